"""The fair floor of the ICS export (issue 17, parts 1 and 4): the calendar of every event an
audience may see, built without citynet's store, services or renderer.

    python bench/ics_floor.py URL OUTPUT [--lang both] [--audience internal] [--plain]

The same rows citynet reads, read with the DB-API driver (``sqlite3``, or ``psycopg`` for a
PostgreSQL URL): the events' ids in calendar order, then per batch of 500 events their rows,
their sessions of the audience's visibilities, the sessions' participants, the organisation
roles, and the positions, persons, organisations and cities these name — the same filters and
order, the columns the calendar shows. The same VEVENTs (UIDs, stamps, sequences, times, summaries,
descriptions, locations, classes, statuses, LANGUAGE parameters) are built with icalendar
(``Event.new``) and serialised one by one to a temporary file while each zone's first and last
local day is noted; then the calendar's head (icalendar) and one VTIMEZONE per zone, built by
icalendar from zoneinfo over the same window of whole years citynet uses (``Timezone.from_tzid``),
are written before the entries. The words of descriptions come from citynet's formatting
library (``citynet.i18n``: catalogs, dates, names, times in two zones), which a floor written from
scratch would have to repeat.

``--plain``: the physical limit — the same text written with plain string formatting (escaping
and folding by hand) instead of icalendar components for the VEVENTs.

Prints one JSON line: seconds (from the first query to the file written), VEVENTs, bytes, VmHWM
at start and at the end (MiB).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time as _time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 500
VISIBLE = {"public": ("public",), "internal": ("public", "internal")}
STATUS = {"planned": "TENTATIVE", "postponed": "TENTATIVE", "confirmed": "CONFIRMED",
          "held": "CONFIRMED", "cancelled": "CANCELLED"}
HOME_DEFAULT = "Asia/Tokyo"


def hwm_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --- reading --------------------------------------------------------------------------------------


class Reader:
    """Rows as dicts through the DB-API driver; dates and times as Python values (SQLite keeps
    them as ISO text, naive UTC)."""

    def __init__(self, url: str):
        if url.startswith("sqlite"):
            import sqlite3

            self.conn = sqlite3.connect(url.split(":///", 1)[1])
            self.mark = "?"
        else:
            import psycopg

            self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))
            self.conn.execute("SET TIME ZONE 'UTC'")
            self.mark = "%s"

    def rows(self, sql: str, params=()) -> list[dict]:
        cursor = self.conn.cursor()
        cursor.execute(sql.replace("?", self.mark), tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def by_id(self, table: str, columns: str, ids) -> dict:
        ids = sorted({i for i in ids if i is not None})
        if not ids:
            return {}
        return {r["id"]: r for r in self.rows(
            f"SELECT {columns} FROM {table} WHERE id IN ({','.join('?' * len(ids))})", ids)}


def instant(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


EVENT = ("id, slug, uuid, kind, title_ja, title_en, theme_ja, theme_en, start_date, end_date, "
         "starts_at, ends_at, timezone, city_id, venue_ja, venue_en, status, visibility, revision, updated_at")
SESSION = ("id, slug, uuid, event_id, title_ja, title_en, theme_ja, theme_en, day, starts_at, ends_at, "
           "room_ja, room_en, status, visibility, revision, updated_at")
PARTICIPANT = "id, session_id, person_id, position_id, role, sort_order, capacity_ja, capacity_en, updated_at"
ROLE = "id, event_id, session_id, organisation_id, sort_order, updated_at"
POSITION = "id, person_id, city_id, organisation_id, title_ja, title_en, ended, updated_at"
PERSON = ("id, family_name_ja, given_name_ja, family_name_latin, given_name_latin, name_katakana, "
          "name_order, updated_at")
ORGANISATION = "id, updated_at"
CITY = "id, name_ja, name_en, updated_at"


def read_batch(db: Reader, ids: list[int], visible) -> list[tuple[dict, list[dict], dict]]:
    """(event, its sessions with their participants, stamps) per event of ``ids``, in that order."""
    marks = ",".join("?" * len(ids))
    vis = ",".join("?" * len(visible))
    events = {r["id"]: r for r in db.rows(f"SELECT {EVENT} FROM event WHERE id IN ({marks})", ids)}
    sessions = db.rows(f"SELECT {SESSION} FROM session WHERE event_id IN ({marks}) AND visibility IN ({vis})",
                       [*ids, *visible])
    sids = [s["id"] for s in sessions]
    participants = db.rows(
        f"SELECT {PARTICIPANT} FROM session_participant WHERE session_id IN ({','.join('?' * len(sids))}) "
        "ORDER BY session_id, sort_order, id", sids) if sids else []
    roles = db.rows(f"SELECT {ROLE} FROM organisation_role WHERE event_id IN ({marks}) ORDER BY sort_order, id", ids)
    positions = db.by_id("position", POSITION, (p["position_id"] for p in participants))
    persons = db.by_id("person", PERSON, [p["person_id"] for p in participants]
                       + [p["person_id"] for p in positions.values()])
    organisations = db.by_id("organisation", ORGANISATION, [r["organisation_id"] for r in roles]
                             + [p["organisation_id"] for p in positions.values()])
    cities = db.by_id("city", CITY, [p["city_id"] for p in positions.values()]
                      + [e["city_id"] for e in events.values()])

    def latest(*rows) -> datetime:
        return max(instant(r["updated_at"]) for r in rows if r is not None)

    people = defaultdict(list)
    for p in participants:
        position = positions.get(p["position_id"])
        holder = persons.get(p["person_id"]) or (persons.get(position["person_id"]) if position else None)
        body = (cities.get(position["city_id"]) or organisations.get(position["organisation_id"])
                if position else None)
        changed = latest(p, persons.get(p["person_id"]), position,
                         persons.get(position["person_id"]) if position else None, body)
        people[p["session_id"]].append((p, holder, position, changed))
    role_changes = defaultdict(list)
    for r in roles:
        role_changes[r["session_id"] or ("event", r["event_id"])].append(
            latest(r, organisations[r["organisation_id"]]))
    by_event = defaultdict(list)
    for s in sessions:
        by_event[s["event_id"]].append(s)
    out = []
    for event_id in ids:
        e = events.get(event_id)
        if e is None:
            continue
        for key in ("start_date", "end_date"):
            e[key] = day(e[key])
        e["starts_at"], e["ends_at"] = instant(e["starts_at"]), instant(e["ends_at"])
        e["city"] = cities.get(e["city_id"])
        changed = latest(e, e["city"])
        zone = ZoneInfo(e["timezone"])
        rows = []
        for s in by_event[event_id]:
            s["day"], s["starts_at"], s["ends_at"] = day(s["day"]), instant(s["starts_at"]), instant(s["ends_at"])
            s["people"] = people[s["id"]]
            s["stamp"] = max([instant(s["updated_at"]), changed, *(c for *_x, c in s["people"]),
                              *role_changes[s["id"]]])
            s["sequence"] = max(s["revision"] - 1, 0) + max(e["revision"] - 1, 0)
            local = s["starts_at"].astimezone(zone).date() if s["starts_at"] else s["day"]
            s["order"] = (local is None, local.toordinal() if local else 0, s["starts_at"] is None,
                          s["starts_at"].timestamp() if s["starts_at"] else 0, s["slug"])
            rows.append(s)
        rows.sort(key=lambda s: s["order"])
        stamps = {"event": max([changed, *role_changes[("event", event_id)]]),
                  "latest": max([changed, *role_changes[("event", event_id)], *(s["stamp"] for s in rows)])}
        out.append((e, rows, stamps))
    return out


# --- words ----------------------------------------------------------------------------------------


class Words:
    """The text of entries in one calendar language, with citynet's formatting library."""

    def __init__(self, lang: str, home_tz: str):
        from citynet.i18n import gettext_in, pgettext_in
        from citynet.i18n.format import (
            format_date_range,
            format_session_times,
            person_display_name,
            position_title,
            titled_name,
        )
        from citynet.i18n.text import bilingual
        from citynet.i18n.vocabulary import PARTICIPANT_ROLES, dates_msgid, label

        self.lang, self.home = lang, home_tz
        self.langs = ("ja", "en") if lang == "both" else (lang,)
        self.one = "en" if lang == "both" else lang
        self.gettext_in, self.pgettext_in, self.bilingual = gettext_in, pgettext_in, bilingual
        self.times, self.dates = format_session_times, format_date_range
        self.display, self.title, self.titled = person_display_name, position_title, titled_name
        self.roles, self.label, self.dates_msgid = PARTICIPANT_ROLES, label, dates_msgid
        self.cache: dict = {}

    def both(self, text_in) -> str:
        if self.lang != "both":
            return text_in(self.lang)
        ja, en = text_in("ja"), text_in("en")
        return en if ja == en else self.bilingual(ja, en, "both")

    def word(self, msgid, **values) -> str:
        def text_in(one):
            text = self.pgettext_in(one, *msgid) if isinstance(msgid, tuple) else self.gettext_in(one, msgid)
            return text.format(**values)
        return self.both(text_in)

    def line(self, msgid, value: str) -> str:
        return self.gettext_in(self.one, "{label}: {value}").format(label=self.word(msgid), value=value).rstrip()

    @staticmethod
    def clean(text, keep_newlines=False) -> str:
        import re

        if not text:
            return ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not keep_newlines:
            text = " ".join(text.split("\n"))
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text.replace("\t", " ")).strip()

    @staticmethod
    def shown(ja, en, lang) -> str:
        has_ja, has_en = bool(ja and ja.strip()), bool(en and en.strip())
        return lang if has_ja == has_en else ("ja" if has_ja else "en")

    def text(self, row, name, lang=None) -> str:
        ja, en = row[f"{name}_ja"], row[f"{name}_en"]
        return self.clean(self.bilingual(ja, en, self.shown(ja, en, lang or self.lang)))

    def location(self, e, room_of=None) -> str:
        parts = []
        if room_of is not None and (room_of["room_ja"] or room_of["room_en"]):
            parts.append(self.text(room_of, "room"))
        if e["venue_ja"] or e["venue_en"]:
            parts.append(self.text(e, "venue"))
        if e["city"] is not None and (e["city"]["name_ja"] or e["city"]["name_en"]):
            parts.append(self.text(e["city"], "name"))
        return ("、" if self.lang == "ja" else ", ").join(dict.fromkeys(p for p in parts if p))

    def time_lines(self, start, end, venue_tz) -> list[str]:
        return [self.line(("date and time", "Time"), self.times(start, end, venue_tz, self.home, one))
                for one in self.langs]

    def dates_line(self, first, last, msgid="Dates") -> str:
        return self.line(msgid, " / ".join(self.dates(first, last, one) for one in self.langs))

    def participant(self, p, holder, position) -> str:
        parts = []
        for one in self.langs:
            name = ""
            if holder is not None:
                japanese = holder["family_name_ja"] or holder["given_name_ja"] or holder["name_katakana"]
                latin = holder["family_name_latin"] or holder["given_name_latin"]
                name = self.display(holder["family_name_ja"], holder["given_name_ja"], holder["family_name_latin"],
                                    holder["given_name_latin"], holder["name_order"],
                                    self.shown(japanese, latin, one), holder["name_katakana"])
            title = ""
            if position is not None:
                title = self.title(position["title_ja"], position["title_en"], position["ended"],
                                   self.shown(position["title_ja"], position["title_en"], one))
            text = self.titled(name, title, one) if name else title
            capacity = self.bilingual(p["capacity_ja"], p["capacity_en"],
                                      self.shown(p["capacity_ja"], p["capacity_en"], one))
            if capacity:
                text = (f"{text}／{capacity}" if one == "ja" else f"{text}, {capacity}") if text else capacity
            parts.append(text)
        text = " / ".join(dict.fromkeys(x for x in parts if x))
        role = self.both(lambda one: self.label(self.roles, p["role"], one))
        return self.clean(self.gettext_in(self.one, "{role}: {who}").format(role=role, who=text))

    def summary(self, row, status) -> str:
        text = self.text(row, "title") or row["slug"]
        return f"[{self.word('Cancelled')}] {text}" if status == "cancelled" else text

    def event_description(self, e, sessions) -> str:
        lines = []
        if e["theme_ja"] or e["theme_en"]:
            lines.append(self.line("Theme", self.text(e, "theme")))
        if e["starts_at"] is not None:
            lines += self.time_lines(e["starts_at"], e["ends_at"], e["timezone"])
        elif e["start_date"] is not None:
            lines.append(self.dates_line(e["start_date"], e["end_date"] or e["start_date"],
                                         self.dates_msgid(e["kind"])))
        where = self.location(e)
        if where:
            lines.append(self.line("Venue", where))
        unknown = [s for s in sessions if s["starts_at"] is None and s["day"] is None]
        if unknown:
            lines.append(self.line("Time to be confirmed", ""))
            lines += [f"- {self.text(s, 'title') or s['slug']}" for s in unknown]
        return "\n".join(self.clean(x) for x in lines)

    def session_description(self, e, s) -> str:
        lines = [self.line("Event", self.text(e, "title") or e["slug"])]
        if s["theme_ja"] or s["theme_en"]:
            lines.append(self.line("Theme", self.text(s, "theme")))
        if s["starts_at"] is not None:
            lines += self.time_lines(s["starts_at"], s["ends_at"], e["timezone"])
        elif s["day"] is not None:
            lines.append(self.dates_line(s["day"], s["day"]))
        where = self.location(e, s)
        if where:
            lines.append(self.line("Venue", where))
        if s["people"]:
            lines.append(self.line("Participants", ""))
            lines += [f"- {self.participant(p, holder, position)}" for p, holder, position, _c in s["people"]]
        return "\n".join(self.clean(x) for x in lines)


# --- entries --------------------------------------------------------------------------------------


def span(start_at, end_at, start_day, end_day, tzid):
    if start_at is not None:
        zone = ZoneInfo(tzid)
        return start_at.astimezone(zone), end_at.astimezone(zone) if end_at is not None else None
    return start_day, (end_day or start_day) + timedelta(days=1)


def entries(e, sessions, stamps, words: Words):
    """(uid, stamp, sequence, start, end, summary, description, location, status, class) of an
    event's VEVENTs: the event's own when it has dates, then its placed sessions'."""
    language = "ja" if words.lang == "both" else words.lang
    if e["start_date"] is not None or e["starts_at"] is not None:
        start, end = span(e["starts_at"], e["ends_at"], e["start_date"], e["end_date"], e["timezone"])
        yield (e["uuid"], stamps["event"], max(e["revision"] - 1, 0), start, end, words.summary(e, e["status"]),
               words.event_description(e, sessions), words.location(e), STATUS.get(e["status"], "CONFIRMED"),
               "PUBLIC" if e["visibility"] == "public" else "PRIVATE", language)
    for s in sessions:
        if s["starts_at"] is None and s["day"] is None:
            continue
        status = "cancelled" if e["status"] == "cancelled" else s["status"]
        start, end = span(s["starts_at"], s["ends_at"], s["day"], None, e["timezone"])
        yield (s["uuid"], s["stamp"], s["sequence"], start, end, words.summary(s, status),
               words.session_description(e, s), words.location(e, s), STATUS.get(status, "CONFIRMED"),
               "PUBLIC" if s["visibility"] == "public" else "PRIVATE", language)


def vevent_icalendar(uid, stamp, sequence, start, end, summary, description, location, status, klass,
                     language) -> bytes:
    from icalendar import Event

    item = Event.new(uid=uid, stamp=stamp, last_modified=stamp, sequence=sequence, start=start, end=end,
                     summary=summary, description=description or None, location=location or None,
                     status=status)
    item.add("CLASS", klass)
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        if name in item:
            item[name].params["LANGUAGE"] = language
    return item.to_ical()


def _escape(text: str) -> str:
    return (text.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> bytes:
    data = line.encode()
    out, at = [], 0
    while len(data) - at > 74:
        cut = at + 74
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1
        out.append(data[at:cut])
        at = cut
    out.append(data[at:])
    return b"\r\n ".join(out) + b"\r\n"


def _ical_time(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d")


_UTC_LIKE: dict[str, bool] = {}


def _utc_like(key: str) -> bool:
    """Whether icalendar takes the zone for UTC (Africa/Bamako: a Z time, no TZID), as the
    exported entries have it."""
    if key not in _UTC_LIKE:
        from icalendar.timezone.tzid import tzid_from_tzinfo

        _UTC_LIKE[key] = tzid_from_tzinfo(ZoneInfo(key)) == "UTC"
    return _UTC_LIKE[key]


def vevent_plain(uid, stamp, sequence, start, end, summary, description, location, status, klass,
                 language) -> bytes:
    def when(name, value):
        if isinstance(value, datetime):
            key = value.tzinfo.key
            return f"{name}:{_ical_time(value)}Z" if _utc_like(key) else f"{name};TZID={key}:{_ical_time(value)}"
        return f"{name};VALUE=DATE:{_ical_time(value)}"
    at = _ical_time(stamp.astimezone(UTC)) + "Z"
    lines = [f"SUMMARY;LANGUAGE={language}:{_escape(summary)}", when("DTSTART", start)]
    if end is not None:
        lines.append(when("DTEND", end))
    lines += [f"DTSTAMP:{at}", f"UID:{uid}", f"SEQUENCE:{sequence}", f"CLASS:{klass}"]
    if description:
        lines.append(f"DESCRIPTION;LANGUAGE={language}:{_escape(description)}")
    lines.append(f"LAST-MODIFIED:{at}")
    if location:
        lines.append(f"LOCATION;LANGUAGE={language}:{_escape(location)}")
    lines.append(f"STATUS:{status}")
    return b"BEGIN:VEVENT\r\n" + b"".join(map(_fold, lines)) + b"END:VEVENT\r\n"


# --- the calendar ---------------------------------------------------------------------------------


def build(url: str, output: str, lang: str = "both", audience: str = "internal", plain: bool = False) -> int:
    """Write the calendar; the number of VEVENTs."""
    import uuid

    from icalendar import Calendar, Timezone, vDuration, vText

    from citynet.i18n.eras import ja_paren

    vevent = vevent_plain if plain else vevent_icalendar
    visible = VISIBLE[audience]
    db = Reader(url)
    home = db.rows("SELECT timezone FROM city WHERE is_home = ?", [True])
    words = Words(lang, home[0]["timezone"] if home else HOME_DEFAULT)
    ids = [r["id"] for r in db.rows(
        f"SELECT id FROM event WHERE visibility IN ({','.join('?' * len(visible))}) "
        "ORDER BY start_date IS NULL, start_date, slug", visible)]
    spans: dict[str, list[date]] = {}  # zone: [first local day, last local day]
    latest = None
    count = 0
    with tempfile.TemporaryFile() as spool:
        for first in range(0, len(ids), BATCH):
            for e, sessions, stamps in read_batch(db, ids[first:first + BATCH], visible):
                latest = stamps["latest"] if latest is None else max(latest, stamps["latest"])
                for entry in entries(e, sessions, stamps, words):
                    for value in entry[3:5]:
                        if isinstance(value, datetime):
                            known = spans.setdefault(value.tzinfo.key, [value.date(), value.date()])
                            known[0], known[1] = min(known[0], value.date()), max(known[1], value.date())
                    spool.write(vevent(*entry))
                    count += 1
        if not spans and not count:
            spans[words.home] = [date(2000, 1, 1)] * 2
        namespace = uuid.UUID("6f1c2b8e-3d4a-5b6c-9e7f-0a1b2c3d4e5f")
        cal = Calendar.new(prodid="-//citynet//all calendar//EN",
                           uid=str(uuid.uuid5(namespace, f"calendar:all:all:{audience}:{lang}")))
        name = words.word("All events")
        if audience == "internal":
            internal = words.word("internal")
            name += ja_paren(internal) if lang == "ja" else f" ({internal})"
        cal.calendar_name = vText(words.clean(name))
        cal["NAME"].params["LANGUAGE"] = "ja" if lang == "both" else lang
        cal.add("REFRESH-INTERVAL", vDuration(timedelta(hours=12)))
        cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        cal.add("X-PUBLISHED-TTL", vDuration(timedelta(hours=12)))
        if latest is not None:
            cal.add("LAST-MODIFIED", latest)
        head = cal.to_ical()[:-len(b"END:VCALENDAR\r\n")]
        with open(output, "wb") as out:
            out.write(head)
            for tzid in sorted(spans):
                low, high = spans[tzid]
                out.write(Timezone.from_tzid(tzid, first_date=date(low.year - 1, 1, 1),
                                             last_date=date(high.year + 2, 1, 1)).to_ical())
            spool.seek(0)
            shutil.copyfileobj(spool, out, 1 << 20)
            out.write(b"END:VCALENDAR\r\n")
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("output")
    parser.add_argument("--lang", default="both")
    parser.add_argument("--audience", default="internal")
    parser.add_argument("--plain", action="store_true")
    args = parser.parse_args(argv)
    import icalendar  # noqa: F401  (the libraries loaded before the start mark, as citynet's are)

    import citynet.i18n.format  # noqa: F401
    base = hwm_mb()
    t = _time.perf_counter()
    count = build(args.url, args.output, args.lang, args.audience, args.plain)
    took = _time.perf_counter() - t
    print(json.dumps({"seconds": took, "vevents": count, "bytes": os.path.getsize(args.output),
                      "base_mb": base, "rss_mb": hwm_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
