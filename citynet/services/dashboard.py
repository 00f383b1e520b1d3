"""The dashboard of the terminal UI: the home city, counts, what is on next, recent changes.

A fixed number of column selects whatever the size of the store; frozen dataclasses out.

The statements are SQL text (``store.db``'s readers): the first screen reads them with the
standard library's sqlite3 while SQLAlchemy and the models still load, and every other caller
runs the same text through the engine. Each statement is written once, here, for both engines;
``tests/test_dashboard.py`` runs them on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from citynet.services.labels import city_label, city_ref, person_label, person_ref
from citynet.services.views import BiText, CityRef, KeyFigureView
from citynet.store.db import Read, text_reader


@dataclass(frozen=True)
class UpcomingItem:
    kind: str  # "event" or "session"
    slug: str
    title: BiText
    event_title: BiText  # the session's event (same as title for an event)
    day: date | None
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str


@dataclass(frozen=True)
class RecentChange:
    kind: str
    slug: str | None
    label: BiText
    updated_at: datetime
    revision: int


@dataclass(frozen=True)
class Dashboard:
    home: CityRef | None
    counts: dict[str, int]
    upcoming: tuple[UpcomingItem, ...]
    recent: tuple[RecentChange, ...]
    key_figures: tuple[KeyFigureView, ...]
    upcoming_is_past: bool = False  # nothing ahead: ``upcoming`` holds the latest items instead


@contextmanager
def _reader(source: Any) -> Iterator[Read]:
    """``source``: an engine, or a reader already open (``store.db.quick_sqlite_reader``)."""
    if callable(source):
        yield source
    else:
        with text_reader(source) as read:
            yield read


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _stamp(value: Any) -> datetime:
    """A record's ``updated_at`` (never NULL: the write path stamps every save), aware."""
    stamp = _instant(value)
    if stamp is None:
        raise ValueError("a record without updated_at")
    return stamp


def _instant(value: Any) -> datetime | None:
    """A stored instant (UTC) as the models return it, aware; from text on SQLite too."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


_CITY = "id, slug, name_ja, name_en, name_kana, country, timezone, is_home"
_HOME = f"SELECT {_CITY} FROM city WHERE is_home = :yes"
_PERSON = ("id, slug, family_name_ja, given_name_ja, family_name_latin, given_name_latin, "
           "name_kana, name_katakana, name_order, honorific_ja, honorific_en")
COUNTED: tuple[str, ...] = ("city", "network", "organisation", "person", "event", "session")
_COUNTS = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in COUNTED)
_EVENT = "SELECT id, slug, title_ja, title_en, start_date, starts_at, ends_at, timezone FROM event"
# Events from today on: those starting today or later, and those still running. Two statements
# read in index order and merged (``_events_ahead``): the two conditions OR-ed walked the
# ``start_date`` index from the first event ever, reading each row (35 ms at 20,000 events).
# The running ones are read from ``(end_date, start_date)`` and sorted (they are few): ordered
# by ``coalesce(start_date, start_date)``, SQLite does not walk the ``start_date`` index for
# its order, through every past event (60-110 ms).
_EVENTS_STARTING = f"{_EVENT} WHERE start_date >= :today ORDER BY start_date, id LIMIT :limit"
_EVENTS_RUNNING = (f"{_EVENT} WHERE end_date >= :today AND start_date < :today "
                   "ORDER BY coalesce(start_date, start_date), id LIMIT :limit")
_EVENTS_LATEST = (f"{_EVENT} WHERE start_date IS NOT NULL "
                  "ORDER BY start_date DESC, id DESC LIMIT :limit")
_SESSION = ("SELECT session.id, session.slug, session.title_ja, session.title_en, session.day, "
            "session.starts_at, session.ends_at, event.timezone, event.title_ja AS ev_ja, "
            "event.title_en AS ev_en FROM session JOIN event ON event.id = session.event_id")
_SESSIONS_TIMED = (f"{_SESSION} WHERE session.starts_at >= :now "
                   "ORDER BY session.starts_at, session.id LIMIT :limit")
# ``coalesce(starts_at, starts_at) IS NULL`` says ``starts_at IS NULL`` in a way SQLite does not
# answer from the ``starts_at`` index (which holds thousands of NULLs), so it walks ``day``.
_SESSIONS_DAY_ONLY = (f"{_SESSION} WHERE coalesce(session.starts_at, session.starts_at) IS NULL "
                      "AND session.day >= :today ORDER BY session.day, session.id LIMIT :limit")
_SESSIONS_LATEST = (f"{_SESSION} WHERE session.starts_at IS NOT NULL "
                    "ORDER BY session.starts_at DESC, session.id DESC LIMIT :limit")
# The tables in "recent changes" besides people, with the columns of their label.
_RECENT: tuple[tuple[str, str], ...] = (
    ("city", "name"), ("event", "title"), ("session", "title"), ("organisation", "name"),
    ("network", "name"))
_RECENT_SQL = {kind: f"SELECT slug, {label}_ja AS name_ja, {label}_en AS name_en, updated_at, "
                     f"revision FROM {kind} ORDER BY updated_at DESC, id DESC LIMIT :limit"
               for kind, label in _RECENT}
_RECENT_PEOPLE = (f"SELECT {_PERSON}, updated_at, revision FROM person "
                  "ORDER BY updated_at DESC, id DESC LIMIT :limit")
_FIGURES = ("SELECT slug, label_ja, label_en, kind, value, unit, period, base_period "
            "FROM key_figure WHERE city_id = :city ORDER BY sort_order, id")


def is_empty(source: Any) -> bool:
    """True when the store holds no city at all (a first run)."""
    with _reader(source) as read:
        return not read("SELECT id FROM city LIMIT 1", {})


def home_city(source: Any) -> CityRef | None:
    with _reader(source) as read:
        rows = read(_HOME, {"yes": True})
        return city_ref(rows[0]) if rows else None


def _events_ahead(read: Read, today: date, limit: int) -> list[Any]:
    """The first ``limit`` events whose dates reach ``today`` or later, by ``start_date, id``
    (the running ones started before today, so they come first)."""
    params = {"today": today, "limit": limit}
    return [*read(_EVENTS_RUNNING, params), *read(_EVENTS_STARTING, params)][:limit]


def _next_sessions(read: Read, now: datetime, today: date, limit: int) -> Sequence[Any]:
    """The first ``limit`` sessions from now on, in the order of ``coalesce(starts_at, day), id``:
    those with a time from ``now``, those with only a day from ``today``.

    Two statements, each read in its own index's order (``starts_at``; ``day``) and merged here:
    one statement with the two conditions OR-ed and that order sorted the whole future
    (90 ms at 100,000 sessions; the two together take under 1 ms). A day alone sorts before the
    times of that day, as SQLite compares them (an ISO date is a prefix of its times)."""
    timed = read(_SESSIONS_TIMED, {"now": now, "limit": limit})
    untimed = read(_SESSIONS_DAY_ONLY, {"today": today, "limit": limit})

    def order(row: Any) -> tuple:
        if row.starts_at is not None:
            return (_instant(row.starts_at), 1, row.id)
        day = _date(row.day) or date.min  # never None here: the statement asks day >= today
        return (datetime.combine(day, datetime.min.time(), timezone.utc), 0, row.id)

    return sorted([*timed, *untimed], key=order)[:limit]


def dashboard(source: Any, today: date | None = None, limit: int = 12,
              now: datetime | None = None) -> Dashboard:
    """``source``: an engine, or a reader (``store.db``). ``now`` (aware) and ``today`` default to
    the clock; the UI passes a fixed pair in tests.

    "Upcoming" here is the agenda from now on: events whose dates reach today or later and
    sessions from now on, whatever their status (see ``readmodel.event_timing`` for an event's
    past / upcoming / undated in a city's lists and documents)."""
    now = now or datetime.now(timezone.utc)
    today = today or date.today()
    with _reader(source) as read:
        home_rows = read(_HOME, {"yes": True})
        home = city_ref(home_rows[0]) if home_rows else None
        counts = read(_COUNTS, {})[0]
        counts = {kind: counts[n] for n, kind in enumerate(COUNTED)}
        events = _events_ahead(read, today, limit)
        sessions = _next_sessions(read, now, today, limit)
        past = not events and not sessions
        if past:  # nothing ahead: show the latest, newest first
            events = read(_EVENTS_LATEST, {"limit": limit // 2})
            sessions = read(_SESSIONS_LATEST, {"limit": limit})
        upcoming = [UpcomingItem("event", r.slug, BiText(r.title_ja, r.title_en),
                                 BiText(r.title_ja, r.title_en), _date(r.start_date),
                                 _instant(r.starts_at), _instant(r.ends_at), r.timezone)
                    for r in events]
        upcoming += [UpcomingItem("session", r.slug, BiText(r.title_ja, r.title_en),
                                  BiText(r.ev_ja, r.ev_en), _date(r.day), _instant(r.starts_at),
                                  _instant(r.ends_at), r.timezone) for r in sessions]
        recent: list[RecentChange] = []
        for kind, _label in _RECENT:
            for r in read(_RECENT_SQL[kind], {"limit": limit}):
                label = city_label(r) if kind == "city" else BiText(r.name_ja, r.name_en)
                recent.append(RecentChange(kind, r.slug, label, _stamp(r.updated_at), r.revision))
        for person in read(_RECENT_PEOPLE, {"limit": limit}):
            ref = person_ref(person)
            recent.append(RecentChange("person", ref.slug, person_label(ref),
                                       _stamp(person.updated_at), person.revision))
        recent.sort(key=lambda x: x.updated_at, reverse=True)
        figures: tuple[KeyFigureView, ...] = ()
        if home is not None:
            figures = tuple(KeyFigureView(r.slug, BiText(r.label_ja, r.label_en), r.kind, r.value,
                                          r.unit, r.period, r.base_period)
                            for r in read(_FIGURES, {"city": home.id}))
    upcoming.sort(key=lambda u: (u.starts_at.timestamp() if u.starts_at else
                                 datetime.combine(u.day or today, datetime.min.time(),
                                                  timezone.utc).timestamp()), reverse=past)
    return Dashboard(home, counts, tuple(upcoming[:limit]), tuple(recent[:limit]), figures, past)


__all__ = ["UpcomingItem", "RecentChange", "Dashboard", "COUNTED", "is_empty", "home_city",
           "dashboard"]
