"""The dashboard of the terminal UI: the home city, counts, what is on next, recent changes.

A fixed number of column selects whatever the size of the store; frozen dataclasses out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from citynet.services.convert import CITY_COLUMNS, PERSON_COLUMNS, city_ref, person_ref
from citynet.services.readmodel import city_label, person_label
from citynet.services.views import BiText, CityRef, KeyFigureView
from citynet.store import models as m


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


def is_empty(engine: Engine) -> bool:
    """True when the store holds no city at all (a first run)."""
    with engine.connect() as c:
        return c.execute(sa.select(col(m.City.id)).limit(1)).first() is None


def home_city(engine: Engine) -> CityRef | None:
    with engine.connect() as c:
        r = c.execute(sa.select(*CITY_COLUMNS).where(col(m.City.is_home).is_(True))).first()
        return city_ref(r) if r else None


def _next_sessions(c: Any, session_sel: Any, now: datetime, today: date, limit: int) -> Sequence[Any]:
    """The first ``limit`` sessions from now on, in the order of ``coalesce(starts_at, day), id``:
    those with a time from ``now``, those with only a day from ``today``.

    Two statements, each read in its own index's order (``starts_at``; ``day``) and merged here:
    one statement with the two conditions OR-ed and that order sorted the whole future
    (90 ms at 100,000 sessions; the two together take under 1 ms). ``coalesce(starts_at,
    starts_at) IS NULL`` says ``starts_at IS NULL`` in a way SQLite does not answer from the
    ``starts_at`` index (which holds thousands of NULLs), so it walks ``day`` in order instead.
    A day alone sorts before the times of that day, as SQLite compares them (an ISO date is a
    prefix of its times)."""
    s = m.Session
    timed = c.execute(session_sel.where(col(s.starts_at) >= now)
                      .order_by(col(s.starts_at), col(s.id)).limit(limit)).all()
    untimed = c.execute(session_sel.where(sa.func.coalesce(col(s.starts_at), col(s.starts_at)).is_(None),
                                          col(s.day) >= today)
                        .order_by(col(s.day), col(s.id)).limit(limit)).all()

    def order(row: Any) -> tuple:
        if row.starts_at is not None:
            return (row.starts_at.astimezone(timezone.utc), 1, row.id)
        return (datetime.combine(row.day, datetime.min.time(), timezone.utc), 0, row.id)

    return sorted([*timed, *untimed], key=order)[:limit]


COUNTED: tuple[tuple[str, Any], ...] = (
    ("city", m.City), ("network", m.Network), ("organisation", m.Organisation),
    ("person", m.Person), ("event", m.Event), ("session", m.Session))
# The tables in "recent changes" besides people, with the columns of their label.
_RECENT: tuple[tuple[str, Any, str, str], ...] = (
    ("city", m.City, "name_ja", "name_en"), ("event", m.Event, "title_ja", "title_en"),
    ("session", m.Session, "title_ja", "title_en"),
    ("organisation", m.Organisation, "name_ja", "name_en"),
    ("network", m.Network, "name_ja", "name_en"))


def dashboard(engine: Engine, today: date | None = None, limit: int = 12,
              now: datetime | None = None) -> Dashboard:
    """``now`` (aware) and ``today`` default to the clock; the UI passes a fixed pair in tests.

    "Upcoming" here is the agenda from now on: events whose dates reach today or later and
    sessions from now on, whatever their status (see ``readmodel.event_timing`` for an event's
    past / upcoming / undated in a city's lists and documents)."""
    now = now or datetime.now(timezone.utc)
    today = today or date.today()
    with engine.connect() as c:
        home_row = c.execute(sa.select(*CITY_COLUMNS).where(col(m.City.is_home).is_(True))).first()
        home = city_ref(home_row) if home_row else None
        counts = {kind: c.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
                  for kind, model in COUNTED}
        ev = m.Event
        s = m.Session
        event_cols = (col(ev.slug), col(ev.title_ja), col(ev.title_en), col(ev.start_date),
                      col(ev.starts_at), col(ev.ends_at), col(ev.timezone))
        session_sel = (sa.select(col(s.id), col(s.slug), col(s.title_ja), col(s.title_en), col(s.day),
                                 col(s.starts_at), col(s.ends_at), col(ev.timezone),
                                 sa.label("ev_ja", col(ev.title_ja)),
                                 sa.label("ev_en", col(ev.title_en)))
                       .join(ev, col(ev.id) == col(s.event_id)))
        events = c.execute(
            sa.select(*event_cols)
            .where(sa.or_(col(ev.start_date) >= today, col(ev.end_date) >= today))
            .order_by(col(ev.start_date), col(ev.id)).limit(limit)).all()
        sessions = _next_sessions(c, session_sel, now, today, limit)
        past = not events and not sessions
        if past:  # nothing ahead: show the latest, newest first
            events = c.execute(sa.select(*event_cols).where(col(ev.start_date).is_not(None))
                               .order_by(col(ev.start_date).desc(), col(ev.id).desc())
                               .limit(limit // 2)).all()
            sessions = c.execute(session_sel.where(col(s.starts_at).is_not(None))
                                 .order_by(col(s.starts_at).desc(), col(s.id).desc())
                                 .limit(limit)).all()
        upcoming = [UpcomingItem("event", r.slug, BiText(r.title_ja, r.title_en),
                                 BiText(r.title_ja, r.title_en), r.start_date, r.starts_at,
                                 r.ends_at, r.timezone) for r in events]
        upcoming += [UpcomingItem("session", r.slug, BiText(r.title_ja, r.title_en),
                                  BiText(r.ev_ja, r.ev_en), r.day, r.starts_at, r.ends_at,
                                  r.timezone) for r in sessions]
        recent: list[RecentChange] = []
        for kind, model, ja, en in _RECENT:
            for r in c.execute(sa.select(model.slug, getattr(model, ja), getattr(model, en),
                                         model.updated_at, model.revision)
                               .order_by(model.updated_at.desc(), model.id.desc()).limit(limit)):
                label = city_label(r) if kind == "city" else BiText(r[1], r[2])
                recent.append(RecentChange(kind, r[0], label, r[3], r[4]))
        p = m.Person
        for person in c.execute(sa.select(*PERSON_COLUMNS, col(p.updated_at), col(p.revision))
                                .order_by(col(p.updated_at).desc(), col(p.id).desc())
                                .limit(limit)):
            ref = person_ref(person)
            recent.append(RecentChange("person", ref.slug, person_label(ref), person.updated_at,
                                       person.revision))
        recent.sort(key=lambda x: x.updated_at, reverse=True)
        figures: tuple[KeyFigureView, ...] = ()
        if home is not None:
            k = m.KeyFigure
            figures = tuple(KeyFigureView(r.slug, BiText(r.label_ja, r.label_en), r.kind, r.value,
                                          r.unit, r.period, r.base_period)
                            for r in c.execute(sa.select(k).where(col(k.city_id) == home.id)
                                               .order_by(col(k.sort_order), col(k.id))))
    upcoming.sort(key=lambda u: (u.starts_at.timestamp() if u.starts_at else
                                 datetime.combine(u.day or today, datetime.min.time(),
                                                  timezone.utc).timestamp()), reverse=past)
    return Dashboard(home, counts, tuple(upcoming[:limit]), tuple(recent[:limit]), figures, past)


__all__ = ["UpcomingItem", "RecentChange", "Dashboard", "COUNTED", "is_empty", "home_city",
           "dashboard"]
