"""The iCalendar exporter: one event, a city, a network or all events, as an ``.ics`` file.

The rules follow RFC 5545 and RFC 7986 plus what Outlook, Google, Apple and Thunderbird are
known to read; the comments below cite the sections. In short:

* **Identity.** An event's or a session's UID is the record's own uuid, given when it was created
  and kept by dumps and restores: renaming a slug or moving the record to another database
  changes nothing for a subscriber. A calendar's own UID is ``uuid5(CITYNET_NAMESPACE,
  "calendar:<scope>:<slug>:<audience>:<lang>")``. UIDs carry no person and no host name.
* **Change stamps.** DTSTAMP = LAST-MODIFIED = the latest ``updated_at`` of every row the entry
  shows (session, event, city, participants, positions, persons, organisations), never "now",
  so unchanged data exports byte-identically (RFC 5545 §3.8.7.2–3.8.7.4). SEQUENCE is ``revision - 1`` (a new
  record is 0); a session adds its event's, so a venue change bumps it too.
* **Times.** Timed items in the venue's IANA zone with a VTIMEZONE per TZID: one STANDARD block
  for zones without transitions around the events, else one STANDARD and one DAYLIGHT with a
  yearly RRULE (the shape Outlook and Thunderbird read: Outlook ignores RDATE and keeps one
  STANDARD and one DAYLIGHT rule, MS-STANOICAL §2.2.47), checked against tzdata for
  every instant in the file; the RDATE form is the fallback when no single rule fits (Morocco's
  Ramadan changes, Chile). Both are built from tzdata's own transitions (zoneinfo), never from
  icalendar's, which dropped some changes (Africa/Casablanca, Africa/El_Aaiun). All-day
  and multi-day items use ``VALUE=DATE`` with an exclusive DTEND (RFC 5545 §3.6.1).
* **Unknown times.** A session known only to the day is an all-day item on that day; a session
  with neither day nor time is left out of the calendar (never placed at midnight) and listed
  under "Time to be confirmed" in its event's DESCRIPTION. An event without dates is left out.
* **Feeds are not invitations**: no METHOD, ORGANIZER or ATTENDEE (RFC 5545 §3.7.2, §3.8.4.3). People appear in
  DESCRIPTION with their role, name and title only; a person's e-mail and phone are never read.
* Cancelled sessions and events stay in with ``STATUS:CANCELLED`` (RFC 5545 §3.8.1.11).
* **One-language records.** Text a record has in one language only (a title, a venue, a name,
  a position) shows in that language in every calendar language, ``both`` included, never with
  the missing-translation marker (:func:`_shown`).
"""

from __future__ import annotations

import calendar as _calendar
import io
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from collections.abc import Callable, Collection, Iterable, Iterator, Set
from functools import cache, lru_cache
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import (
    STATUS, Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vDDDTypes, vDuration, vText,
)

from citynet.errors import CitynetError
from citynet.files import atomic_write, default_output
from citynet.i18n import N_, NP_, _, gettext_in, pgettext_in
from citynet.i18n.eras import ja_paren
from citynet.i18n.format import (
    format_date_range, format_session_times, person_display_name, position_title, titled_name,
)
from citynet.i18n.text import bilingual
from citynet.i18n.vocabulary import PARTICIPANT_ROLES, dates_msgid, label
from citynet.services.calendar import (
    AUDIENCES, SCOPES, CalendarData, CalendarEvent, CalendarSession, CalendarStream, calendar_stream,
)
from citynet.services.views import BiText, ParticipantView

__all__ = ["export_ics", "render_calendar", "write_calendar", "default_filename", "CITYNET_NAMESPACE", "entry_uid",
           "LANGS", "REFRESH", "EventBlock", "event_block", "home_timezone", "write_blocks", "vtimezone_ical",
           "calendar_head", "END"]

LANGS = ("ja", "en", "both")
# A fixed namespace: UIDs must not change between installations, exports or restores.
CITYNET_NAMESPACE = uuid.UUID("6f1c2b8e-3d4a-5b6c-9e7f-0a1b2c3d4e5f")
REFRESH = timedelta(hours=12)
# Bytes of serialised entries kept in memory before a temporary file: an event's or a city's
# calendar stays in memory; a large one goes to disk (two spools nest in an export: 8 MB each
# cost 30 MB of peak memory, their buffers copied when they roll over).
_SPOOL_IN_MEMORY = 1 << 20
DEFAULT_TZ = "Asia/Tokyo"  # an empty calendar still needs one component (RFC 5545 §3.6)
_SAFE_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
# C0 and C1 controls and DEL; newlines are kept in DESCRIPTION only (vText escapes them).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_STATUS = {"planned": STATUS.TENTATIVE, "postponed": STATUS.TENTATIVE, "confirmed": STATUS.CONFIRMED,
           "held": STATUS.CONFIRMED, "cancelled": STATUS.CANCELLED}

# Document words (msgids in English; extracted through N_, translated with gettext_in).
W_EVENT = N_("Event")
W_TIME = NP_("date and time", "Time")  # 日時: the entry's day is its DTSTART
W_DATES = N_("Dates")  # of a session known to the day (an event's: vocabulary.dates_msgid)
W_VENUE = N_("Venue")
W_THEME = N_("Theme")
W_PARTICIPANTS = N_("Participants")
W_TBC = N_("Time to be confirmed")
W_CANCELLED = N_("Cancelled")
W_ALL_EVENTS = N_("All events")
W_EVENTS_OF = N_("{name}: events")
W_INTERNAL = N_("internal")
W_ROLE_LINE = N_("{role}: {who}")
W_LABELLED = N_("{label}: {value}")  # 「会場：…」 in Japanese
# Errors (raised as msgids with arguments; the CLI and the UI translate them).
E_LANGUAGE = N_("unknown language {lang!r}: use ja, en or both")
E_ENDS_BEFORE = N_("ends before it starts: {start} – {end}")


# --- small helpers ------------------------------------------------------------------------------


def _in(lang: str, text_in) -> str:
    """``text_in(one)`` for ``lang``; "both" gives "ja / en" (once when the two are equal)."""
    if lang != "both":
        return text_in(lang)
    ja, en = text_in("ja"), text_in("en")
    return en if ja == en else bilingual(ja, en, "both")


def _word(msgid: str | tuple[str, str], lang: str, **values) -> str:
    """A document word in ``lang`` (see :func:`_in`); ``msgid`` may be a (context, msgid) pair."""
    def text_in(one: str) -> str:
        text = pgettext_in(one, *msgid) if isinstance(msgid, tuple) else gettext_in(one, msgid)
        return text.format(**values)
    return _in(lang, text_in)


def _line(msgid: str | tuple[str, str], value: str, lang: str) -> str:
    """「会場：…」 / "Venue: …": a labelled line, punctuated in the calendar's language (a
    bilingual label ends in English, so "both" takes the English colon)."""
    one = "en" if lang == "both" else lang
    return gettext_in(one, W_LABELLED).format(label=_word(msgid, lang), value=value).rstrip()


def _clean(text: str | None, *, keep_newlines: bool = False) -> str:
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not keep_newlines:
        text = " ".join(text.split("\n"))
    return _CONTROL.sub("", text.replace("\t", " ")).strip()


def _shown(ja: str | None, en: str | None, lang: str) -> str:
    """The language a record's text is shown in: ``lang`` when the record has that side, else
    the side it has ("both" with one side: that side, once). A subscriber gets the text there
    is, never the missing-translation marker: the marker asks staff for a translation, and a
    calendar is not where they make one."""
    has_ja, has_en = bool(ja and ja.strip()), bool(en and en.strip())
    if has_ja == has_en:  # both sides, or none
        return lang
    return "ja" if has_ja else "en"


def _text(value: BiText, lang: str) -> str:
    return _clean(bilingual(value.ja, value.en, _shown(value.ja, value.en, lang)))


def entry_uid(kind: str, slug: str) -> str:
    """A UID derived from a name: the calendar's own (``kind`` "calendar"); events and sessions
    had these before they had a uuid, and the store migration gave them the same ones."""
    return str(uuid.uuid5(CITYNET_NAMESPACE, f"{kind}:{slug}"))


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _zone(tzid: str) -> ZoneInfo:
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError):
        raise CitynetError(N_("unknown time zone {tzid!r} (not an IANA zone)"), tzid=tzid) from None


def _language_param(lang: str) -> str:
    return "ja" if lang == "both" else lang  # "both": Japanese first, the primary language (RFC 5545 §3.2.10)


# --- the text of entries -------------------------------------------------------------------------


def _participant_line(p: ParticipantView, lang: str) -> str:
    langs = ("ja", "en") if lang == "both" else (lang,)
    parts = []
    person = p.holder
    for one in langs:
        name = ""
        if person is not None:
            japanese = person.family_name_ja or person.given_name_ja or person.name_katakana
            latin = person.family_name_latin or person.given_name_latin
            name = person_display_name(person.family_name_ja, person.given_name_ja,
                                       person.family_name_latin, person.given_name_latin,
                                       person.name_order, _shown(japanese, latin, one),
                                       person.name_katakana)
        title = ""
        if p.position is not None:
            title = position_title(p.position.title.ja, p.position.title.en, p.position.ended,
                                   _shown(p.position.title.ja, p.position.title.en, one))
        # さいたま市長 清水 勇人／capacity, as the briefing writes it; SHIMIZU Hayato, Mayor of …
        text = titled_name(name, title, one) if name else title
        capacity = bilingual(p.capacity.ja, p.capacity.en, _shown(p.capacity.ja, p.capacity.en, one))
        if capacity:
            text = (f"{text}／{capacity}" if one == "ja" else f"{text}, {capacity}") if text else capacity
        parts.append(text)
    text = " / ".join(dict.fromkeys(x for x in parts if x))  # once when both read the same
    role = _in(lang, lambda one: label(PARTICIPANT_ROLES, p.role, one))
    return _clean(_word(W_ROLE_LINE, "en" if lang == "both" else lang, role=role, who=text))


def _location(ev: CalendarEvent, room: BiText | None, lang: str) -> str:
    parts = []
    if room:
        parts.append(_text(room, lang))
    if ev.event.venue:
        parts.append(_text(ev.event.venue, lang))
    if ev.event.city is not None and ev.event.city.name:
        parts.append(_text(ev.event.city.name, lang))
    return ("、" if lang == "ja" else ", ").join(dict.fromkeys(p for p in parts if p))


def _times_lines(start: datetime, end: datetime | None, venue_tz: str, home_tz: str, lang: str) -> list[str]:
    langs = ("ja", "en") if lang == "both" else (lang,)
    return [_line(W_TIME, format_session_times(start, end, venue_tz, home_tz, one), lang)
            for one in langs]


def _dates_line(first: date, last: date, lang: str, msgid: str | tuple[str, str] = W_DATES) -> str:
    langs = ("ja", "en") if lang == "both" else (lang,)
    text = " / ".join(format_date_range(first, last, one) for one in langs)
    return _line(msgid, text, lang)


def _session_description(ev: CalendarEvent, cs: CalendarSession, home_tz: str, lang: str) -> str:
    s = cs.session
    lines = [_line(W_EVENT, _text(ev.event.title, lang) or ev.event.slug, lang)]
    if s.theme:
        lines.append(_line(W_THEME, _text(s.theme, lang), lang))
    if s.starts_at is not None:
        lines += _times_lines(s.starts_at, s.ends_at, s.timezone, home_tz, lang)
    elif s.day is not None:
        lines.append(_dates_line(s.day, s.day, lang))
    location = _location(ev, s.room, lang)
    if location:
        lines.append(_line(W_VENUE, location, lang))
    if s.participants:
        lines.append(_line(W_PARTICIPANTS, "", lang))
        lines += [f"- {_participant_line(p, lang)}" for p in s.participants]
    return "\n".join(_clean(line) for line in lines)


def _event_description(ev: CalendarEvent, home_tz: str, lang: str) -> str:
    e = ev.event
    lines = []
    if e.theme:
        lines.append(_line(W_THEME, _text(e.theme, lang), lang))
    if e.starts_at is not None:
        lines += _times_lines(e.starts_at, e.ends_at, e.timezone, home_tz, lang)
    elif e.start_date is not None:
        lines.append(_dates_line(e.start_date, e.end_date or e.start_date, lang, dates_msgid(e.kind)))
    location = _location(ev, None, lang)
    if location:
        lines.append(_line(W_VENUE, location, lang))
    unknown = [s.session for s in ev.sessions if not _placed(s.session)]
    if unknown:
        lines.append(_line(W_TBC, "", lang))
        lines += [f"- {_text(s.title, lang) or s.slug}" for s in unknown]
    return "\n".join(_clean(line) for line in lines)


def _summary(title: BiText, slug: str, status: str, lang: str) -> str:
    text = _text(title, lang) or slug
    if status == "cancelled":  # Outlook may show a cancelled item as active
        text = f"[{_word(W_CANCELLED, lang)}] {text}"
    return text


# --- entries --------------------------------------------------------------------------------------


def _placed(s) -> bool:
    """Whether a session can be placed in a calendar (a known time or at least a known day)."""
    return s.starts_at is not None or s.day is not None


def _span(start_at, end_at, start_day, end_day, tzid):
    """(DTSTART, DTEND or None) for a timed or an all-day item; all-day ends are exclusive."""
    if start_at is not None:
        zone = _zone(tzid)
        start = _utc(start_at).astimezone(zone)
        end = _utc(end_at).astimezone(zone) if end_at is not None else None
        if end is not None and end <= start:
            raise CitynetError(E_ENDS_BEFORE, start=start.isoformat(), end=end.isoformat())
        return start, end
    last = end_day or start_day
    if last < start_day:
        raise CitynetError(E_ENDS_BEFORE, start=start_day.isoformat(), end=last.isoformat())
    return start_day, last + timedelta(days=1)


# --- serialising an entry -------------------------------------------------------------------------
#
# A VEVENT is written here line by line, byte for byte what icalendar 7's ``Event.new(...)`` and
# ``to_ical()`` wrote for it (the properties in its order: SUMMARY, DTSTART, DTEND, DTSTAMP, UID,
# SEQUENCE, then the others by name; TEXT escaped as its ``_escape_char``; lines folded as its
# ``_foldline``): building and serialising an icalendar component per entry took most of an
# export's time. The calendar's head and its VTIMEZONEs are still built with icalendar.


def _escape(text: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11), as icalendar does it (``\\N`` read as a line break)."""
    return (text.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;")
            .replace(",", r"\,").replace("\r\n", r"\n").replace("\n", r"\n").replace("\r", r"\n"))


_FOLD = 74  # octets per physical line before the fold's CRLF (and a continuation's space)


def _content_line(line: str) -> bytes:
    """One content line, folded (RFC 5545 §3.1) as icalendar folds: at most 74 octets per piece,
    never inside a UTF-8 sequence, and a backslash or caret that would end a piece starts the
    next one (an escape is not split)."""
    data = line.encode()
    if len(data) <= _FOLD:
        return data + b"\r\n"
    pieces = []
    at, size = 0, len(data)
    while size - at > _FOLD:
        cut = at + _FOLD
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[at:cut])
        at = cut
    pieces.append(data[at:])
    return b"\r\n ".join(pieces) + b"\r\n"


def _stamp(value: datetime) -> str:
    value = _utc(value)
    return f"{value.year:04}{value.month:02}{value.day:02}T{value.hour:02}{value.minute:02}{value.second:02}Z"


@cache
def _datetime_form(tzid: str) -> tuple[str, str]:
    """(parameters, suffix) of a DATE-TIME in ``tzid`` as icalendar writes them: ``;TZID=…`` and
    nothing, or (a zone icalendar takes for UTC) nothing and ``Z``."""
    value = vDDDTypes(datetime(2000, 1, 1, tzinfo=_zone(tzid)))
    params = value.params.to_ical().decode()
    return (f";{params}" if params else ""), value.to_ical().decode()[15:]


def _when(name: str, value: date) -> str:
    if isinstance(value, datetime):
        params, suffix = _datetime_form(value.tzinfo.key)  # type: ignore[union-attr]
        return (f"{name}{params}:{value.year:04}{value.month:02}{value.day:02}"
                f"T{value.hour:02}{value.minute:02}{value.second:02}{suffix}")
    return f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"


def _vevent(uid, stamp, sequence, start, end, summary, description, location, status, visibility,
            lang) -> bytes:
    """One serialised VEVENT (see above)."""
    language = f";LANGUAGE={_language_param(lang)}:"
    at = _stamp(stamp)
    lines = [f"SUMMARY{language}{_escape(summary)}", _when("DTSTART", start)]
    if end is not None:
        lines.append(_when("DTEND", end))
    lines += [f"DTSTAMP:{at}", f"UID:{_escape(uid)}", f"SEQUENCE:{sequence}",
              f"CLASS:{'PUBLIC' if visibility == 'public' else 'PRIVATE'}"]
    if description:
        lines.append(f"DESCRIPTION{language}{_escape(description)}")
    lines.append(f"LAST-MODIFIED:{at}")
    if location:
        lines.append(f"LOCATION{language}{_escape(location)}")
    lines.append(f"STATUS:{_STATUS.get(status, STATUS.CONFIRMED)}")
    return b"BEGIN:VEVENT\r\n" + b"".join(map(_content_line, lines)) + b"END:VEVENT\r\n"


def _entries(ev: CalendarEvent, home_tz: str, lang: str) -> Iterator[tuple[bytes, date, date | None]]:
    """One event's VEVENTs, serialised, with their DTSTART and DTEND: the event's own (when it
    has dates), then its placed sessions'."""
    e = ev.event
    if e.start_date is not None or e.starts_at is not None:
        start, end = _span(e.starts_at, e.ends_at, e.start_date, e.end_date, e.timezone)
        yield _vevent(e.uuid, ev.last_modified, ev.sequence, start, end,
                      _summary(e.title, e.slug, e.status, lang),
                      _event_description(ev, home_tz, lang), _location(ev, None, lang),
                      e.status, e.visibility, lang), start, end
    for cs in ev.sessions:
        s = cs.session
        if not _placed(s):
            continue
        status = "cancelled" if e.status == "cancelled" else s.status
        start, end = _span(s.starts_at, s.ends_at, s.day, None, s.timezone)
        yield _vevent(s.uuid, cs.last_modified, cs.sequence, start,
                      end, _summary(s.title, s.slug, status, lang),
                      _session_description(ev, cs, home_tz, lang),
                      _location(ev, s.room, lang), status, s.visibility, lang), start, end


@dataclass(frozen=True)
class EventBlock:
    """One event's part of a calendar file, whatever calendar it is in (it depends on the event,
    the audience's sessions, the home city's zone and the language only): its VEVENTs
    serialised, how many, the latest change of the event or any of its sessions (placed or
    not: the calendar's LAST-MODIFIED is the latest of its blocks'), and the distinct instants
    per zone its timed entries start or end at (the VTIMEZONEs cover them all).

    A calendar file is its head, one VTIMEZONE per zone of its blocks, then its blocks in
    order (:func:`write_blocks`): the feeds keep the blocks of events that did not change and
    put calendars together from them, byte for byte what :func:`write_calendar` writes."""

    body: bytes
    count: int
    latest: datetime
    instants: dict[str, frozenset[datetime]]


def home_timezone(data: CalendarData | CalendarStream) -> str:
    """The zone a calendar's descriptions give home times in (the home city's)."""
    return data.home.timezone if data.home is not None else DEFAULT_TZ


def event_block(ev: CalendarEvent, home_tz: str, lang: str) -> EventBlock:
    """The :class:`EventBlock` of ``ev`` in ``lang``, home times in ``home_tz``."""
    parts: list[bytes] = []
    instants: dict[str, set[datetime]] = {}
    for body, start, end in _entries(ev, home_tz, lang):
        for value in (start, end):  # None when absent; dates: all-day items
            if isinstance(value, datetime):  # in _span's zone
                instants.setdefault(value.tzinfo.key, set()).add(value)  # type: ignore[union-attr]
        parts.append(body)
    latest = max([ev.last_modified, *(cs.last_modified for cs in ev.sessions)])
    return EventBlock(b"".join(parts), len(parts), latest,
                      {tzid: frozenset(found) for tzid, found in instants.items()})


# --- time zones -----------------------------------------------------------------------------------

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _transitions(zone: ZoneInfo, first: date, last: date) -> list[tuple[datetime, timedelta, timedelta]]:
    """Every change of ``zone``'s UTC offset from ``first`` to ``last``, from tzdata itself:
    (the instant in UTC, the offset before, the offset after). Offsets are compared a day apart
    (no zone changes twice within a day), then each change is found to the second. The scan
    starts at midnight UTC of ``first``, where :func:`_rdate_form` reads the offset it starts
    from (Africa/Sao_Tome changed at 01:00 UTC on 1 January 2019)."""
    found = []
    step = timedelta(days=1)
    at = datetime.combine(first, time(0), tzinfo=timezone.utc)
    end = datetime.combine(last, time(12), tzinfo=timezone.utc)
    offset = at.astimezone(zone).utcoffset()
    while at < end:
        following = at + step
        after = following.astimezone(zone).utcoffset()
        if after != offset:
            low, high = at, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(microsecond=0), offset, after))
            offset = after
        at = following
    return found  # type: ignore[return-value]


def _rdate_form(tzid: str, zone: ZoneInfo, first: date, last: date) -> Timezone:
    """The VTIMEZONE of ``zone`` from ``first`` to ``last`` as tzdata has it: a block for the
    offset at ``first``, then one block per kind of change (STANDARD or DAYLIGHT, from and to
    which offset, under which name) with its first onset as DTSTART and the others as RDATE.
    Onsets are the local time before the change (RFC 5545 §3.6.5)."""
    def block(daylight: bool, onsets: list[datetime], offset_from, offset_to, name):
        new = (TimezoneDaylight if daylight else TimezoneStandard)()
        new.add("DTSTART", onsets[0])
        if onsets[1:]:
            new.add("RDATE", onsets[1:])
        new.add("TZNAME", name.strip("<>"))
        new.add("TZOFFSETFROM", offset_from)
        new.add("TZOFFSETTO", offset_to)
        return new

    start = datetime.combine(first, time(0), tzinfo=timezone.utc)
    local = start.astimezone(zone)
    result = Timezone()
    result.add("TZID", tzid)
    offset = local.utcoffset()
    result.add_component(block(bool(local.dst()), [local.replace(tzinfo=None)], offset, offset,
                               local.tzname() or tzid))
    groups: dict[tuple, list[datetime]] = {}
    for instant, before, after in _transitions(zone, first, last):
        wall = instant.astimezone(zone)
        key = (bool(wall.dst()), before, after, wall.tzname() or tzid)
        groups.setdefault(key, []).append((instant + before).replace(tzinfo=None))
    for (daylight, before, after, name), onsets in groups.items():
        result.add_component(block(daylight, onsets, before, after, name))
    return result


def _yearly_rule(onsets: list[datetime]) -> dict | None:
    """A YEARLY RRULE with one BYDAY ordinal that gives exactly these onsets, if there is one."""
    if len({(o.month, o.weekday(), o.time()) for o in onsets}) != 1:
        return None
    years = [o.year for o in onsets]
    if years != list(range(years[0], years[0] + len(years))):
        return None
    first = onsets[0]
    last_week = all(o.day + 7 > _calendar.monthrange(o.year, o.month)[1] for o in onsets)
    nth = {(o.day - 1) // 7 + 1 for o in onsets}
    if last_week:
        ordinal = -1
    elif len(nth) == 1 and next(iter(nth)) <= 4:
        ordinal = next(iter(nth))
    else:
        return None
    return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"{ordinal}{_WEEKDAYS[first.weekday()]}"}


def _rrule_form(rdate_form: Timezone, zone: ZoneInfo) -> Timezone | None:
    """One STANDARD and one DAYLIGHT block with yearly rules, from the RDATE form, if possible."""
    observances: list[TimezoneStandard | TimezoneDaylight] = [*rdate_form.standard, *rdate_form.daylight]
    blocks = [b for b in observances if b.TZOFFSETFROM != b.TZOFFSETTO]  # drops the window-start block
    kinds = [b.name for b in blocks]
    if sorted(kinds) != ["DAYLIGHT", "STANDARD"]:
        return None
    result = Timezone()
    result.add("TZID", rdate_form["TZID"])
    for block in sorted(blocks, key=lambda b: b.name, reverse=True):  # STANDARD first
        offset_from: timedelta = block.TZOFFSETFROM
        # A VTIMEZONE's onsets are local date-times (DTSTART and each RDATE, never periods).
        starts = [block.DTSTART, *(start for start, _end in block.rdates)]
        onsets = sorted(o for o in starts if isinstance(o, datetime))
        rule = _yearly_rule(onsets)
        if rule is None:
            return None
        new = (TimezoneStandard if block.name == "STANDARD" else TimezoneDaylight)()
        new.add("DTSTART", onsets[0])
        new.add("TZOFFSETFROM", offset_from)
        new.add("TZOFFSETTO", block.TZOFFSETTO)
        new.add("RRULE", rule)
        if "TZNAME" in block:
            new.add("TZNAME", str(block["TZNAME"]).strip("<>"))
        result.add_component(new)
    return result


def _matches_tzdata(embedded, zone: ZoneInfo, instants: Iterable[datetime]) -> bool:
    """Whether the embedded zone (a VTIMEZONE read back as a tzinfo) gives every instant the
    offset tzdata gives (what Outlook computes)."""
    for instant in instants:
        wall = instant.astimezone(zone).replace(tzinfo=None)
        if wall.replace(tzinfo=embedded).utcoffset() != zone.utcoffset(wall):
            return False
    return True


@lru_cache(maxsize=1024)
def _zone_forms(tzid: str, first: date, last: date) -> tuple[Timezone, Timezone | None]:
    """(RDATE form, RRULE form or None) of ``tzid`` over a window: the same for every calendar
    with items in these years, so built once per process (the feeds put thousands of calendars
    together). Never changed once built."""
    zone = _zone(tzid)
    rdate_form = _rdate_form(tzid, zone, first, last)
    return rdate_form, _rrule_form(rdate_form, zone) if len(rdate_form.subcomponents) != 1 else None


@lru_cache(maxsize=1024)
def _embedded(tzid: str, first: date, last: date, rules: bool):
    """One of :func:`_zone_forms` read back as a tzinfo, as a client reads the file."""
    form = _zone_forms(tzid, first, last)[1 if rules else 0]
    assert form is not None
    return form.to_tz(lookup_tzid=False)


def _vtimezone(tzid: str, instants: Collection[date]) -> Timezone:
    """The VTIMEZONE of ``tzid`` for these instants (dates: an empty calendar's placeholder day).
    The instants are read where they are, twice at most (a large export has hundreds of
    thousands): no copy of them is made."""
    zone = _zone(tzid)
    days = (i.astimezone(zone).date() if isinstance(i, datetime) else i for i in instants)
    low = high = next(days)
    for day in days:
        low, high = min(low, day), max(high, day)
    # A window of whole years around the items, so a DST zone shows a full year of rules first.
    first, last = date(low.year - 1, 1, 1), date(high.year + 2, 1, 1)
    rdate_form, rules = _zone_forms(tzid, first, last)

    def timed() -> Iterator[datetime]:
        return (i for i in instants if isinstance(i, datetime))

    candidate, with_rules = rdate_form, False  # a fixed offset around the items: already Outlook's shape
    if rules is not None and _matches_tzdata(_embedded(tzid, first, last, True), zone, timed()):
        candidate, with_rules = rules, True
    if not with_rules and not _matches_tzdata(_embedded(tzid, first, last, False), zone, timed()):
        raise CitynetError(N_("cannot describe time zone {tzid} for these dates"), tzid=tzid)
    return candidate


def vtimezone_ical(tzid: str, instants: Iterable[date]) -> bytes:
    """The serialised VTIMEZONE of ``tzid`` covering ``instants`` (a calendar's, in any order)."""
    return _vtimezone(tzid, instants if isinstance(instants, Collection) else list(instants)).to_ical()


# --- the calendar ---------------------------------------------------------------------------------


def _calendar_name(data: CalendarData | CalendarStream, lang: str) -> str:
    if data.scope == "all":
        name = _word(W_ALL_EVENTS, lang)
    elif data.scope == "event":
        name = _text(data.title, lang) or (data.slug or "")
    else:
        name = _word(W_EVENTS_OF, lang, name=_text(data.title, lang) or (data.slug or ""))
    if data.audience == "internal":
        internal = _word(W_INTERNAL, lang)
        name = name + (ja_paren(internal) if lang == "ja" else f" ({internal})")
    return _clean(name)


def render_calendar(data: CalendarData | CalendarStream, lang: str) -> bytes:
    """The ``.ics`` bytes of ``data`` in ``lang`` ("ja", "en" or "both"): pure and deterministic."""
    buffer = io.BytesIO()
    write_calendar(data, lang, buffer)
    return buffer.getvalue()


def write_calendar(data: CalendarData | CalendarStream, lang: str, stream: IO[bytes]) -> None:
    """Write the ``.ics`` of ``data`` to ``stream``, the same bytes as :func:`render_calendar`.

    Each event's VEVENTs are serialised as soon as they are built (:func:`event_block`) and go
    to a spool (:func:`write_blocks`), so no calendar object ever holds every entry. With a
    :class:`CalendarStream` the events themselves are read in batches, so nothing else grows
    with the number of events.
    """
    if lang not in LANGS:
        raise CitynetError(E_LANGUAGE, lang=lang)
    home_tz = home_timezone(data)
    write_blocks(data, lang, (event_block(ev, home_tz, lang) for ev in data.events), stream)


END = b"END:VCALENDAR\r\n"


def write_blocks(data: CalendarData | CalendarStream, lang: str, blocks: Iterable[EventBlock],
                 stream: IO[bytes], *,
                 zones: Callable[[str, Set[date]], bytes] | None = None) -> None:
    """Write the ``.ics`` of the calendar ``data`` describes (scope, slug, audience, title,
    home; its ``events`` are not read) made of ``blocks``, in order: :func:`calendar_head`,
    the blocks' bodies, :data:`END`.

    The blocks go to a spool (memory up to a few megabytes, then a temporary file): the
    VTIMEZONEs, which come first in the file, need the instants of every entry and are written
    when the blocks are done, with the calendar's LAST-MODIFIED (the latest of the blocks').
    What stays in memory is the set of distinct instants per zone. ``zones`` gives a zone's
    serialised VTIMEZONE for its instants (default :func:`vtimezone_ical`; the feeds keep the
    ones whose instants did not change)."""
    if lang not in LANGS:
        raise CitynetError(E_LANGUAGE, lang=lang)
    zones = zones or vtimezone_ical
    instants: dict[str, set[date]] = {}  # distinct instants: _vtimezone needs no order or repeats
    latest: datetime | None = None
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
        for block in blocks:
            for tzid, found in block.instants.items():
                instants.setdefault(tzid, set()).update(found)
            latest = block.latest if latest is None or block.latest > latest else latest
            spool.write(block.body)
            count += block.count
        if not instants and not count:
            instants[home_timezone(data)] = {date(2000, 1, 1)}  # an empty calendar is invalid: one VTIMEZONE (RFC 5545 §3.6)
        stream.write(calendar_head(data, lang, latest,
                                   [(tzid, zones(tzid, instants[tzid])) for tzid in sorted(instants)]))
        spool.seek(0)
        shutil.copyfileobj(spool, stream, 1 << 20)
        stream.write(END)


def calendar_head(data: CalendarData | CalendarStream, lang: str, latest: datetime | None,
                  timezones: list[tuple[str, bytes]]) -> bytes:
    """What comes before a calendar's VEVENTs: its properties (LAST-MODIFIED ``latest``, the
    latest of its blocks'), then its serialised VTIMEZONEs, one per zone its entries use, by
    TZID (an empty calendar has one: :func:`write_blocks`). The file ends with :data:`END`."""
    if lang not in LANGS:
        raise CitynetError(E_LANGUAGE, lang=lang)
    cal = Calendar.new(
        prodid=f"-//citynet//{data.scope} calendar//EN",  # one PRODID per export kind, so clients de-duplicate correctly
        uid=entry_uid("calendar", f"{data.scope}:{data.slug or 'all'}:{data.audience}:{lang}"))
    name = _calendar_name(data, lang)
    cal.calendar_name = vText(name)  # icalendar 7.3 writes a plain str unescaped (collective/icalendar#1445)
    cal["NAME"].params["LANGUAGE"] = _language_param(lang)
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH))
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # RFC 7986 §5.7 requires it
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    if latest is not None:
        cal.add("LAST-MODIFIED", _utc(latest))
    # Every TZID used has its VTIMEZONE (one per zone of the entries); PRODID and VERSION
    # come from Calendar.new(); the calendar has a component (an entry or a VTIMEZONE).
    for tzid, body in timezones:
        if not body.startswith(b"BEGIN:VTIMEZONE\r\n") or f"\r\nTZID:{tzid}\r\n".encode() not in body:
            raise CitynetError(N_("time zones without definition: {tzids}"), tzids=tzid)
    head = cal.to_ical()
    if not head.endswith(END):
        raise CitynetError(N_("unexpected calendar serialisation"))
    return head[:-len(END)] + b"".join(body for _tzid, body in timezones)


def default_filename(scope: str, slug: str | None, audience: str, lang: str) -> str:
    return f"{scope}-{slug or 'all'}-{audience}-{lang}.ics"


def _check(scope: str, slug: str | None, lang: str, audience: str) -> None:
    if scope not in SCOPES:
        raise CitynetError(N_("unknown scope {scope!r}: use one of {choices}"), scope=scope,
                           choices=", ".join(SCOPES))
    if lang not in LANGS:
        raise CitynetError(E_LANGUAGE, lang=lang)
    if audience not in AUDIENCES:
        raise CitynetError(N_("unknown audience {audience!r}: use public or internal"), audience=audience)
    if scope == "all" and slug:
        raise CitynetError(N_("scope 'all' takes no slug"))
    if scope != "all" and not slug:
        raise CitynetError(N_("scope {scope!r} needs a slug"), scope=scope)
    if slug is not None and not _SAFE_SLUG.match(slug):
        raise CitynetError(N_("not a slug: {slug!r}"), slug=slug)


def export_ics(engine, scope: str, slug: str | None, lang: str, audience: str,
               output: Path | None = None) -> Path:
    """Write the calendar of ``scope``/``slug`` for ``audience`` in ``lang``; return the path.

    Default output: ``exports/<scope>-<slug or all>-<audience>-<lang>.ics``, written atomically.
    """
    _check(scope, slug, lang, audience)
    data = calendar_stream(engine, scope, slug, audience)  # events read in batches while written
    path = Path(output) if output is not None else default_output(default_filename(scope, slug, audience, lang))
    # Written to a spool first (nothing is created if rendering fails), then atomically.
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
        write_calendar(data, lang, spool)
        spool.seek(0)
        # ./exports/ is created when missing; a directory the user named must exist.
        return atomic_write(path, spool, create_parent=output is None)

