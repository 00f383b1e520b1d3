"""The checker's findings in words: one sentence each, in a given language (``citynet check``,
the event page's warnings, a release's list of accepted warnings).

Names come from :mod:`citynet.i18n.names`, dates and times from :mod:`citynet.i18n.format` (a
timed session reads "13:00–13:30 (Baku, UTC+4) / 18:00–18:30 JST": venue time, then home time),
every other word from the catalog in that language.
"""

from __future__ import annotations

from citynet.i18n import N_, gettext_in
from citynet.i18n.format import (
    format_date, format_date_range, format_number, format_session_times, format_stored_fuzzy,
)
from citynet.i18n.names import person_display_name, position_title
from citynet.i18n.text import bilingual
from citynet.services.checks import Finding, SessionRef
from citynet.services.views import BiText

__all__ = ["finding_line", "finding_text", "findings_lines", "finding_record", "counts_line", "severity"]

QUOTED = N_("“{title}”")
OTHER_EVENT = N_("{session} of {event}")
LANGUAGE = {"ja": N_("Japanese"), "en": N_("English")}
SEVERITY = {True: N_("[blocking]"), False: N_("[advisory]")}
NO_WARNINGS = N_("No warnings.")
COUNTS = N_("{blocking} blocking, {advisory} advisory")

OVERLAP = N_("{who} is in two sessions at once: {first} ({first_when}) and {second} ({second_when})")
TRAVEL = N_("{who} cannot get from {first_city} to {second_city} in time ({distance} km, about "
            "{hours} h at {speed} km/h): {first} ({first_when}) and {second} ({second_when})")
OUTSIDE = N_("{session} is on {day}, outside the event's dates ({dates})")
POST_ENDED = N_("{who} takes part in {session} ({day}) as {post}, a post held until {end}")
POST_NOT_BEGUN = N_("{who} takes part in {session} ({day}) as {post}, a post held from {start}")
NIGHT = N_("{session} falls in the night in home time: {when} ({who} takes part)")
UNTIMED = N_("{session} has no start time: the programme cannot place it")
MISSING = {
    "event": N_("The event {name} has no title in {language}"),
    "session": N_("The session {name} has no title in {language}"),
    "position": N_("The post {name} has no title in {language}"),
}
MISSING_NAME = {"ja": N_("{name} has no name in Japanese or katakana"),
                "en": N_("{name} has no name in Latin letters")}


def severity(finding: Finding, lang: str) -> str:
    """[blocking] or [advisory], in ``lang``."""
    return gettext_in(lang, SEVERITY[finding.blocking])


def _text(text: BiText | None, lang: str) -> str:
    return bilingual(text.ja, text.en, lang) if text else ""


def _quoted(text: str, lang: str) -> str:
    return gettext_in(lang, QUOTED).format(title=text)


def _session(ref: SessionRef, finding: Finding, lang: str) -> str:
    """A session's title in quotes (its slug when it has none), and its event's when the session
    belongs to another event than the one checked."""
    name = _quoted(_text(ref.title, lang) or ref.slug, lang)
    if ref.event_slug != finding.event:
        name = gettext_in(lang, OTHER_EVENT).format(
            session=name, event=_quoted(_text(ref.event_title, lang) or ref.event_slug, lang))
    return name


def _when(ref: SessionRef, finding: Finding, lang: str) -> str:
    """The session's day and, when known, its times in the venue's zone and home time."""
    if ref.day is None:
        return gettext_in(lang, "date to be confirmed")
    day = format_date(ref.day, lang)
    if ref.starts_at is None:
        return day
    times = format_session_times(ref.starts_at, ref.ends_at, ref.timezone,
                                 finding.home_timezone or ref.timezone, lang)
    return f"{day} {times}"


def _who(finding: Finding, lang: str) -> str:
    """The person's name; the post's title when its holder is not named."""
    person, post = finding.person, finding.position
    if person is not None:
        return person_display_name(person.family_name_ja, person.given_name_ja,
                                   person.family_name_latin, person.given_name_latin,
                                   person.name_order, lang, katakana=person.name_katakana)
    if post is not None:
        return position_title(post.title.ja, post.title.en, post.ended, lang) or post.slug
    return ""


def _post(finding: Finding, lang: str) -> str:
    post = finding.position
    if post is None:
        return ""
    return position_title(post.title.ja, post.title.en, post.ended, lang) or post.slug


def _existing(text: BiText | None) -> str:
    """What a record has, in whichever language it has it (the missing side is the point)."""
    if text is None:
        return ""
    return (text.ja or "").strip() or (text.en or "").strip()


def finding_text(finding: Finding, lang: str) -> str:
    """One sentence saying the finding in ``lang`` ("ja" or "en")."""
    def say(msgid: str, **values: object) -> str:
        return gettext_in(lang, msgid).format(**values)

    refs = finding.sessions
    if finding.rule in ("overlap", "travel"):
        first, second = refs
        values = dict(who=_who(finding, lang), first=_session(first, finding, lang),
                      first_when=_when(first, finding, lang), second=_session(second, finding, lang),
                      second_when=_when(second, finding, lang))
        if finding.rule == "overlap":
            return say(OVERLAP, **values)
        hours = (finding.travel_needed.total_seconds() / 3600) if finding.travel_needed else 0.0
        return say(TRAVEL, first_city=_text(first.city, lang), second_city=_text(second.city, lang),
                   distance=format_number(finding.distance_km or 0, lang, decimals=0),
                   hours=format_number(hours, lang, decimals=1),
                   speed=format_number(finding.speed_kmh or 0, lang), **values)
    if finding.rule == "outside_event":
        ref = refs[0]
        return say(OUTSIDE, session=_session(ref, finding, lang),
                   day=format_date(ref.day, lang) if ref.day else "",
                   dates=format_date_range(finding.event_start, finding.event_end, lang)
                   if finding.event_start else "")
    if finding.rule == "post_not_held":
        ref = refs[0]
        if ref.day is not None:
            day = format_date(ref.day, lang)
        elif finding.event_start is not None:
            day = format_date_range(finding.event_start, finding.event_end, lang)
        else:
            day = gettext_in(lang, "date to be confirmed")
        values = dict(who=_who(finding, lang), session=_session(ref, finding, lang), day=day,
                      post=_post(finding, lang))
        if finding.not_begun:
            return say(POST_NOT_BEGUN, start=format_stored_fuzzy(finding.post_start, lang), **values)
        return say(POST_ENDED, end=format_stored_fuzzy(finding.post_end, lang), **values)
    if finding.rule == "night":
        ref = refs[0]
        return say(NIGHT, session=_session(ref, finding, lang), when=_when(ref, finding, lang),
                   who=_who(finding, lang))
    if finding.rule == "untimed":
        return say(UNTIMED, session=_session(refs[0], finding, lang))
    if finding.rule == "missing_translation":
        lacking = finding.lang or lang
        if finding.record_kind == "person":
            return say(MISSING_NAME[lacking], name=_who(finding, lang))
        return say(MISSING[finding.record_kind or "event"],
                   name=_quoted(_existing(finding.text) or finding.record_slug or "", lang),
                   language=gettext_in(lang, LANGUAGE[lacking]))
    raise ValueError(f"unknown rule {finding.rule!r}")


def counts_line(findings: tuple[Finding, ...] | list[Finding], lang: str) -> str:
    """"1 blocking, 1 advisory"."""
    blocking = sum(1 for f in findings if f.blocking)
    return gettext_in(lang, COUNTS).format(blocking=blocking, advisory=len(findings) - blocking)


def finding_line(finding: Finding, lang: str, *, with_event: bool = False) -> str:
    """"[advisory] …" / 「［参考］…」: the severity, then (``with_event``) the event's slug, then the
    sentence; a full-width bracket takes no space after it."""
    prefix = f"{finding.event}: " if with_event else ""
    space = "" if severity(finding, lang).endswith("］") else " "
    return f"{severity(finding, lang)}{space}{prefix}{finding_text(finding, lang)}"


def findings_lines(findings: tuple[Finding, ...] | list[Finding], lang: str, *,
                   with_event: bool = False) -> list[str]:
    """One line per finding ("[blocking] …" / "[advisory] …"; with ``with_event`` the event's slug
    first), then the counts."""
    lines = [finding_line(finding, lang, with_event=with_event) for finding in findings]
    if not findings:
        lines.append(gettext_in(lang, NO_WARNINGS))
    lines.append(counts_line(findings, lang))
    return lines


def finding_record(finding: Finding, lang: str) -> dict:
    """A finding as plain JSON values (``citynet check --json``), with its sentence in ``lang``."""
    return {
        "rule": finding.rule, "blocking": finding.blocking, "key": finding.key,
        "event": finding.event, "sessions": [s.slug for s in finding.sessions],
        "person": finding.person.slug if finding.person else None,
        "position": finding.position.slug if finding.position else None,
        "text": finding_text(finding, lang),
    }
