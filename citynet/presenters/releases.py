"""Releases and what changed since one, in words: for ``citynet releases`` and ``changes``, the
event page's releases and the annex of a later release. Every sentence is in an explicit
language (a document's, or the UI's)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from citynet.i18n import N_, gettext_in, ngettext_in
from citynet.i18n.format import format_date, format_session_times
from citynet.i18n.text import bilingual
from citynet.i18n.vocabulary import DOCUMENT_LANGS, EVENT_STATUSES, RELEASE_DOCUMENTS, SESSION_STATUSES, label
from citynet.services.releases import ChangesSince, Difference, ReleaseView

if TYPE_CHECKING:
    from citynet.render.pdf.release import Released


def _text(pair: dict | None, lang: str) -> str:
    if not pair:
        return ""
    return bilingual(pair.get("ja"), pair.get("en"), lang)


def _date(iso: str | None, lang: str) -> str:
    if not iso:
        return gettext_in(lang, "date not recorded")
    return format_date(date.fromisoformat(iso), lang, weekday=True)


def session_when(entry: dict, home_tz: str, lang: str) -> str:
    """The day, then the times at the venue and at home: 2024年11月12日（火）13:00～13:30（バクー、UTC+4）/ 日本時間 18:00～18:30."""
    day = _date(entry.get("day"), lang)
    starts = entry.get("starts_at")
    if not starts:
        return day
    ends = entry.get("ends_at")
    times = format_session_times(datetime.fromisoformat(starts),
                                 datetime.fromisoformat(ends) if ends else None,
                                 entry["timezone"], home_tz, lang)
    return f"{day} {times}"


def _who(entry: dict, lang: str) -> str:
    name, post = _text(entry.get("name"), lang), _text(entry.get("post"), lang)
    if name and post:
        return gettext_in(lang, "{name}, {title}").format(name=name, title=post)
    return name or post


def _event_value(field: str, value, lang: str) -> str:
    if value is None:
        return "∅"
    if field in ("start_date", "end_date"):
        return _date(value, lang)
    if field == "status":
        return label(EVENT_STATUSES, value, lang)
    if isinstance(value, dict):
        return _text(value, lang) or "∅"
    return str(value)


_EVENT_FIELDS = {"title": N_("Event title"), "start_date": N_("Start date"), "end_date": N_("End date"),
                 "venue": N_("Venue"), "city": N_("City"), "status": N_("Status")}


def difference_text(d: Difference, home_tz: str, lang: str) -> str:
    """One difference as one sentence in ``lang``."""
    say = lambda msgid, **values: gettext_in(lang, msgid).format(**values)  # noqa: E731
    if d.what.startswith("event_"):
        field = d.what.removeprefix("event_")
        return say(N_("{field}: {old} → {new}"), field=gettext_in(lang, _EVENT_FIELDS[field]),
                   old=_event_value(field, d.old, lang), new=_event_value(field, d.new, lang))
    session = d.session or {}
    title = _text(session.get("title"), lang)
    if d.what == "session_added":
        return say(N_("Added: {title} ({when})"), title=title, when=session_when(session, home_tz, lang))
    if d.what == "session_removed":
        return say(N_("Removed: {title} ({when})"), title=title, when=session_when(session, home_tz, lang))
    if d.what == "session_cancelled":
        return say(N_("Cancelled: {title} ({when})"), title=title, when=session_when(session, home_tz, lang))
    if d.what == "session_status":
        return say(N_("{title}: status {old} → {new}"), title=title,
                   old=label(SESSION_STATUSES, d.old, lang), new=label(SESSION_STATUSES, d.new, lang))
    if d.what == "session_moved":
        return say(N_("Moved: {title}: {old} → {new}"), title=title,
                   old=session_when(d.old, home_tz, lang), new=session_when(d.new, home_tz, lang))
    if d.what == "session_title":
        return _title_change(d.old or {}, d.new or {}, lang)
    if d.what == "session_room":
        return say(N_("{title}: room {old} → {new}"), title=title,
                   old=_text(d.old, lang) or "∅", new=_text(d.new, lang) or "∅")
    who = d.who or {}
    if d.what == "participant_added":
        return say(N_("{title}: added {who}"), title=title, who=_who(who, lang))
    if d.what == "participant_removed":
        return say(N_("{title}: removed {who}"), title=title, who=_who(who, lang))
    if d.what == "participant_post":
        return say(N_("{title}: {name} now takes part as {new} (before: {old})"), title=title,
                   name=_text(who.get("name"), lang) or _text(who.get("post"), lang),
                   new=_role_post(d.new or {}, lang), old=_role_post(d.old or {}, lang))
    raise ValueError(f"unknown difference {d.what!r}")


def _role_post(entry: dict, lang: str) -> str:
    from citynet.i18n.vocabulary import PARTICIPANT_ROLES

    post = _text(entry.get("post"), lang)
    role = label(PARTICIPANT_ROLES, entry.get("role"), lang)
    return f"{post} ({role})" if post else role


def _title_change(old: dict, new: dict, lang: str) -> str:
    """A title changed, or only its translation: the sentence names which."""
    say = lambda msgid, **values: gettext_in(lang, msgid).format(**values)  # noqa: E731
    changed = [side for side in ("ja", "en") if old.get(side) != new.get(side)]
    if changed == ["en"] and lang == "ja" or changed == ["ja"] and lang == "en":
        side = changed[0]
        return say(N_("{title}: the {language} title {old} → {new}"), title=_text(new, lang),
                   language=gettext_in(lang, DOCUMENT_LANGS[side]),
                   old=old.get(side) or "∅", new=new.get(side) or "∅")
    return say(N_("Retitled: {old} → {new}"), old=_text(old, lang) or "∅", new=_text(new, lang) or "∅")


def release_name(release: ReleaseView, lang: str) -> str:
    """"v2 briefing (Japanese and English)"."""
    return gettext_in(lang, "v{version} {document} ({language})").format(
        version=release.version, document=label(RELEASE_DOCUMENTS, release.document, lang),
        language=label(DOCUMENT_LANGS, release.lang, lang))


def release_line(release: ReleaseView, zone: str, lang: str) -> str:
    """One release: what, when (home time), who, to whom, its note and the start of its hash."""
    from citynet.services.history import format_instant

    say = lambda msgid, **values: gettext_in(lang, msgid).format(**values)  # noqa: E731
    parts = [release_name(release, lang), format_instant(release.released_at, zone)]
    if release.released_by:
        parts.append(say(N_("by {user}"), user=release.released_by))
    if release.recipients:
        parts.append(say(N_("to {recipients}"), recipients=release.recipients))
    if release.note:
        parts.append(release.note.replace("\n", " "))
    if release.accepted_warnings:
        count = len(release.accepted_warnings)
        parts.append(ngettext_in(lang, "{count} warning went out with it",
                                 "{count} warnings went out with it", count).format(count=count))
    parts.append(f"sha256:{release.content_hash[:12]}")
    return " — ".join(parts)


def released_lines(done: Released, lang: str) -> list[str]:
    """What ``citynet release`` says it did."""
    say = lambda msgid, **values: gettext_in(lang, msgid).format(**values)  # noqa: E731
    lines = [say(N_("Released version {version}."), version=done.version)]
    if done.since is not None:
        lines.append(changed_since(done.since, len(done.differences), lang))
        lines += ["  " + difference_text(d, done.home_tz, lang) for d in done.differences]
    if done.accepted:
        count = len(done.accepted)
        lines.append(ngettext_in(lang, "{count} warning went out with it (listed in its annex).",
                                 "{count} warnings went out with it (listed in its annex).",
                                 count).format(count=count))
    return lines


def changed_since(version: int, count: int, lang: str) -> str:
    """"Changed since v1: 2 changes", or "Unchanged since v1"."""
    if not count:
        return gettext_in(lang, "Unchanged since v{version}").format(version=version)
    return ngettext_in(lang, "Changed since v{version}: {count} change",
                       "Changed since v{version}: {count} changes", count).format(
        version=version, count=count)


def changes_lines(report: ChangesSince, lang: str) -> list[str]:
    """What ``citynet changes`` prints: which release, then one line per change."""
    say = lambda msgid, **values: gettext_in(lang, msgid).format(**values)  # noqa: E731
    head = say(N_("Since {release}, released {when}:"), release=release_name(report.release, lang),
               when=format_date(report.release.released_at.date(), lang))
    if not report.differences:
        return [head, "  " + say(N_("no changes"))]
    return [head] + ["  " + difference_text(d, report.home_tz, lang) for d in report.differences]


__all__ = ["changed_since", "changes_lines", "difference_text", "release_line", "release_name", "released_lines",
           "session_when"]
