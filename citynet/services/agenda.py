"""The agenda: what is on each day of a range, in home time or in each venue's local time.

:func:`agenda` gives the events and sessions of the days ``[start, end)`` as :class:`AgendaItem`
rows, each placed on the day it falls on in the zone asked for:

* a **timed session** on the day of its start in that zone (13:00 in Baku is 18:00 the same day in
  Tokyo; 23:30 in Baku is 04:30 the next day in Tokyo): the home zone (``mode="home"``) or its
  event's zone (``mode="local"``);
* a **session known only to the day** (``session.day``, no instants) on that day in either mode:
  it is a day of the venue's calendar, with no instant to move;
* an **event** on each of its days (``start_date`` to ``end_date``, the venue's days, end
  inclusive) as an all-day row; a timed event (``starts_at``) from the day of its start to the
  day of its end in the zone asked for, its start and end times on those days.

Undated records (no day, no time; events without dates) have no place in an agenda: the lists
show them. Every row says whether someone holding a post of the home city (``city.is_home``)
takes part: a participant in a post of the home city, or a participant person who holds one (any
post of the home city, past or present: the store does not date a person's capacity at a
session). An event's row is marked when one of its sessions is.

At most four SELECTs per range whatever its length or the size of the store: sessions with a
time (by the ``session.starts_at`` index), sessions known only to the day (``session.day``),
events (``event.start_date``), and which sessions of the events found someone of the home city
takes part in — read from the home city's side (its few posts and their holders, then
``session_participant`` by ``position_id`` / ``person_id``), not as an EXISTS per row, which
PostgreSQL planned as a scan of every participant. A month of the 100,000-session synthetic
store (about 1,000 rows) is read in 50-110 ms on SQLite and on PostgreSQL, and three months
(3,186 rows, 2,366 sessions) in 0.15-0.3 s: the screen reads a range whole, without paging.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from citynet.services.readmodel import city_label
from citynet.services.views import BiText
from citynet.store import models as m

Mode = Literal["home", "local"]
Span = Literal["day", "week", "month"]
SPANS: tuple[Span, ...] = ("day", "week", "month")
DEFAULT_HOME_TZ = "Asia/Tokyo"  # when the store has no home city yet
# No zone is more than 14 hours from UTC: instants this far outside the range's days (in UTC)
# cannot fall on them in any zone.
ZONE_MARGIN = timedelta(days=1)
MAX_DAYS = 366  # a range longer than this is refused (an agenda is read by the day)


@dataclass(frozen=True)
class AgendaItem:
    day: date  # the day the row is shown on (in the zone asked for)
    kind: str  # "event" or "session"
    slug: str
    title: BiText
    event_title: BiText  # the session's event; an event's own title
    event_slug: str
    city: BiText  # the venue city's label (empty when the event has no city)
    status: str  # a code of ``event_status`` (events) or ``session_status`` (sessions)
    timezone: str  # the venue's zone
    # The start and end shown on this day, in the zone asked for; None: all day (an event's
    # day, a session known only to the day) or, for ``ends``, no end that day.
    starts: datetime | None
    ends: datetime | None
    home_people: bool  # someone holding a post of the home city takes part
    # For an event over several days: (which day, how many days); None for one day.
    day_of: tuple[int, int] | None = None

    @property
    def all_day(self) -> bool:
        return self.starts is None and self.ends is None


@dataclass(frozen=True)
class Agenda:
    start: date
    end: date  # exclusive
    mode: Mode
    home_tz: str
    items: tuple[AgendaItem, ...]  # by day, then all-day rows, then by time

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days)]


# --- ranges ---------------------------------------------------------------------------------------


def span_range(anchor: date, span: Span) -> tuple[date, date]:
    """``[start, end)`` of the day, the week (Monday to Sunday) or the month holding ``anchor``."""
    if span == "day":
        return anchor, anchor + timedelta(days=1)
    if span == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=7)
    if span == "month":
        start = anchor.replace(day=1)
        return start, start + timedelta(days=monthrange(anchor.year, anchor.month)[1])
    raise ValueError(span)


def step(anchor: date, span: Span, by: int) -> date:
    """``anchor`` moved by ``by`` days, weeks or months (a month keeps the day when it can:
    31 January + 1 month is 29 February or 28 February)."""
    if span == "day":
        return anchor + timedelta(days=by)
    if span == "week":
        return anchor + timedelta(weeks=by)
    months = anchor.year * 12 + anchor.month - 1 + by
    year, month = divmod(months, 12)
    return date(year, month + 1, min(anchor.day, monthrange(year, month + 1)[1]))


# --- the read model -------------------------------------------------------------------------------


def agenda(engine: Engine, start: date, end: date, mode: Mode = "home",
           home_tz: str | None = None) -> Agenda:
    """The events and sessions of the days ``[start, end)`` (see the module's docstring), in
    home time (``home_tz``; None: the home city's zone) or in each venue's local time."""
    if mode not in ("home", "local"):
        raise ValueError(mode)
    if not start < end or (end - start).days > MAX_DAYS:  # the screens ask for a day to a month
        raise ValueError(f"not an agenda range: {start} to {end}")
    with engine.connect() as c:
        if home_tz is None:
            home_tz = c.execute(sa.select(col(m.City.timezone))
                                .where(col(m.City.is_home) == sa.true())
                                .order_by(col(m.City.id)).limit(1)).scalar() or DEFAULT_HOME_TZ
        sessions = _timed_sessions(c, start, end, mode, home_tz) + _day_sessions(c, start, end)
        events = _event_rows(c, start, end)
        marked_sessions, marked_events = _home_marks(
            c, {r.event_id for r, *_ in sessions} | {r.id for r in events})
    items = [_session_item(r, day, starts, ends, r.id in marked_sessions)
             for r, day, starts, ends in sessions]
    items += _event_items(events, start, end, mode, home_tz, marked_events)
    items.sort(key=_order)
    return Agenda(start, end, mode, home_tz, tuple(items))


def _order(item: AgendaItem) -> tuple:
    # All-day rows first (events before sessions known only to the day), then by the time shown
    # (the wall clock: in local time, 09:00 in Tokyo and 09:00 in Baku sit together).
    return (item.day, item.starts is not None, item.kind == "session",
            item.starts.time() if item.starts else time(0), item.starts or datetime.min.replace(
                tzinfo=timezone.utc), item.slug)


def _home_marks(c: Connection, event_ids: set[int]) -> tuple[set[int], set[int]]:
    """(ids of the sessions, ids of the events) among the sessions of ``event_ids`` that someone
    holding a post of the home city takes part in: a participant in one of its posts, or a
    person holding one. Read from the home city's side: its posts, then their participations
    by index, then those sessions by key, kept when of one of the events."""
    if not event_ids:
        return set(), set()
    s, sp, pos = m.Session, m.SessionParticipant, m.Position
    home = sa.select(col(m.City.id)).where(col(m.City.is_home) == sa.true())
    posts = sa.select(col(pos.id)).where(col(pos.city_id).in_(home))
    holders = sa.select(col(pos.person_id)).where(col(pos.city_id).in_(home),
                                                   col(pos.person_id).is_not(None))
    events = sorted(event_ids)

    def taking_part(who: Any) -> sa.Select:
        return (sa.select(col(s.id), col(s.event_id))
                .join(sp, col(sp.session_id) == col(s.id))
                .where(who, col(s.event_id).in_(events)))

    rows = c.execute(sa.union(taking_part(col(sp.position_id).in_(posts)),
                              taking_part(col(sp.person_id).in_(holders)))).all()
    return {r[0] for r in rows}, {r[1] for r in rows}


def _session_select() -> sa.Select:
    s, ev, ct = m.Session, m.Event, m.City
    return (sa.select(col(s.id), col(s.event_id), col(s.slug), col(s.title_ja), col(s.title_en),
                      col(s.day), col(s.starts_at), col(s.ends_at), col(s.status),
                      col(ev.timezone), sa.label("event_slug", col(ev.slug)),
                      sa.label("ev_ja", col(ev.title_ja)), sa.label("ev_en", col(ev.title_en)),
                      col(ct.name_ja), col(ct.name_en))
            .join(ev, col(ev.id) == col(s.event_id))
            .outerjoin(ct, col(ct.id) == col(ev.city_id)))


def _session_item(r: Any, day: date, starts: datetime | None, ends: datetime | None,
                  home_people: bool) -> AgendaItem:
    return AgendaItem(day, "session", r.slug, BiText(r.title_ja, r.title_en),
                      BiText(r.ev_ja, r.ev_en), r.event_slug, city_label(r), r.status, r.timezone,
                      starts, ends, home_people)


def _instant_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC instants around the days ``[start, end)`` wide enough for every zone."""
    return (datetime.combine(start, time(0), timezone.utc) - ZONE_MARGIN,
            datetime.combine(end, time(0), timezone.utc) + ZONE_MARGIN)


Placed = tuple[Any, date, "datetime | None", "datetime | None"]  # a row, its day, start, end


def _timed_sessions(c: Connection, start: date, end: date, mode: Mode,
                    home_tz: str) -> list[Placed]:
    s = m.Session
    low, high = _instant_bounds(start, end)
    rows = c.execute(_session_select().where(col(s.starts_at) >= low, col(s.starts_at) < high)
                     .order_by(col(s.starts_at), col(s.id))).all()
    home = ZoneInfo(home_tz)
    zones: dict[str, ZoneInfo] = {}
    placed: list[Placed] = []
    for r in rows:
        zone = home if mode == "home" else zones.setdefault(r.timezone, ZoneInfo(r.timezone))
        starts = r.starts_at.astimezone(zone)
        if start <= starts.date() < end:
            placed.append((r, starts.date(), starts,
                           r.ends_at.astimezone(zone) if r.ends_at else None))
    return placed


def _day_sessions(c: Connection, start: date, end: date) -> list[Placed]:
    s = m.Session
    rows = c.execute(_session_select().where(col(s.starts_at).is_(None), col(s.day) >= start,
                                             col(s.day) < end)
                     .order_by(col(s.day), col(s.id))).all()
    return [(r, r.day, None, None) for r in rows]


def _event_rows(c: Connection, start: date, end: date) -> list[Any]:
    """Events whose dates reach the days ``[start, end)``, with a day of margin each side (a
    timed event may move a day in another zone; :func:`_event_items` places it exactly)."""
    ev, ct = m.Event, m.City
    last = sa.func.coalesce(col(ev.end_date), col(ev.start_date))
    margin = timedelta(days=1)
    return list(c.execute(
        sa.select(col(ev.id), col(ev.slug), col(ev.title_ja), col(ev.title_en), col(ev.status),
                  col(ev.start_date), col(ev.end_date), col(ev.starts_at), col(ev.ends_at),
                  col(ev.timezone), col(ct.name_ja), col(ct.name_en))
        .outerjoin(ct, col(ct.id) == col(ev.city_id))
        .where(col(ev.start_date) < end + margin, last >= start - margin)
        .order_by(col(ev.start_date), col(ev.id))).all())


def _event_items(rows: list[Any], start: date, end: date, mode: Mode, home_tz: str,
                 marked: set[int]) -> list[AgendaItem]:
    """A row per day of each event that falls in ``[start, end)``."""
    home = ZoneInfo(home_tz)
    items = []
    for r in rows:
        title = BiText(r.title_ja, r.title_en)
        if r.starts_at is not None:
            zone = home if mode == "home" else ZoneInfo(r.timezone)
            starts = r.starts_at.astimezone(zone)
            ends = r.ends_at.astimezone(zone) if r.ends_at else None
            first, final = starts.date(), (ends or starts).date()
        else:
            starts = ends = None
            first, final = r.start_date, r.end_date or r.start_date
        total = (final - first).days + 1
        for n in range(max(0, (start - first).days), min(total, (end - first).days)):
            day = first + timedelta(days=n)
            items.append(AgendaItem(
                day, "event", r.slug, title, title, r.slug, city_label(r), r.status, r.timezone,
                starts if n == 0 else None, ends if n == total - 1 else None,
                r.id in marked, (n + 1, total) if total > 1 else None))
    return items


__all__ = ["Mode", "Span", "SPANS", "AgendaItem", "Agenda", "span_range", "step", "agenda",
           "MAX_DAYS"]
