"""Read queries for calendars: the events of one event, a city, a network or all, per audience.

Each query runs a fixed number of SQL statements per batch of events (:data:`BATCH`), whatever
the number of sessions or participants, and returns frozen dataclasses (never ORM rows).

Audiences (what a feed may show):

* ``public``: events and sessions whose visibility is ``public``;
* ``internal``: ``public`` and ``internal`` ones.

``confidential`` records are never in a calendar. Personal data (a person's e-mail and phone) is
never read here: :class:`~citynet.services.views.PersonRef` carries names only.

Scopes:

* ``event``: the one event (an error if the audience may not see it);
* ``city``: the events of the city (``readmodel.events_of_city``, as in the city's detail screen
  and profile): held in it (``event.city_id``), or with a participant holding a position at the
  city, an organisation of the city with a role in the event, or a registration from the city —
  counting only the ties the audience may see: a participant of a session of its visibilities,
  a role in the whole event or in such a session, registrations in internal calendars only
  (``readmodel.link_seen_by``). A public event attended by a city's post-holder only in an
  internal session is not in that city's public calendar;
* ``network``: events *of* the network (``readmodel.events_of_network``, as in the network's
  detail screen): events of a member city (as above), or with a member organisation taking a
  role in it, a participant holding a position at it, or a registration from it (the same ties
  an audience may see as for a city); the network's own secretariat counts as a member, the home
  city does not. Membership periods are not checked (their dates are fuzzy);
* ``all``: every event the audience may see.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from citynet.i18n import _, get_language
from citynet.i18n.vocabulary import CALENDAR_AUDIENCES, VISIBILITIES, label
from citynet.errors import CitynetError, NotFound
from citynet.services.convert import (
    CITY_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS, city_ref, event_view, organisation_ref, person_ref,
    position_view, session_view,
)
from citynet.services.events import session_sort_key
from citynet.services.readmodel import AUDIENCE_VISIBILITIES, events_of_city, events_of_network
from citynet.services.views import (
    BiText, CityRef, EventView, OrganisationRoleView, ParticipantView, SessionView, bitext,
)
from citynet.store import models as m
from citynet.store.db import SQLITE_CACHE_SIZE

SCOPES = ("event", "city", "network", "all")
AUDIENCES = ("public", "internal")
_VISIBLE = AUDIENCE_VISIBILITIES


def visible_to(audience: str) -> tuple[str, ...]:
    """The record visibilities an audience may see."""
    try:
        return _VISIBLE[audience]
    except KeyError:
        raise CitynetError(_("unknown audience {audience!r}: use public or internal").format(audience=audience)) from None


@dataclass(frozen=True)
class CalendarSession:
    session: SessionView
    # The latest change to anything the session's calendar entry shows: the session, its event
    # (venue, title), its participants, their positions, persons and organisations.
    last_modified: datetime
    # The event's revision is added so that a venue change bumps the sessions' SEQUENCE too.
    sequence: int


@dataclass(frozen=True)
class CalendarEvent:
    event: EventView
    sessions: tuple[CalendarSession, ...]  # the audience's sessions, in time order
    organisation_roles: tuple[OrganisationRoleView, ...]
    last_modified: datetime  # the event row and its event-level organisation roles
    sequence: int


@dataclass(frozen=True)
class CalendarData:
    """Everything one calendar file shows."""

    scope: str
    slug: str | None
    audience: str
    title: BiText  # what the calendar is of: the event's, city's or network's name (None: all)
    home: CityRef | None
    events: tuple[CalendarEvent, ...]

    @property
    def last_modified(self) -> datetime | None:
        stamps = [e.last_modified for e in self.events] + [
            s.last_modified for e in self.events for s in e.sessions]
        return max(stamps) if stamps else None


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:  # SQLite returns naive UTC when a row was not loaded via SQLModel
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _latest(*rows) -> datetime:
    return max(_utc(r.updated_at) for r in rows if r is not None)


def _rows(model) -> sa.Select:
    """A Core SELECT of every column of ``model``'s table: plain rows with the same attributes
    and column types as the ORM objects, without building an instance (and identity-map entry)
    per row — several times faster and lighter on the 100k-row calendars."""
    return sa.select(model.__table__)


def _run(db: Session, query):
    return db.connection().execute(query)


def _rows_by_id(db: Session, model, ids, columns=None) -> dict:
    """Rows of ``model`` by id: every column, or ``columns`` and ``updated_at`` (the calendar's
    stamps); never a person's e-mail or phone."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    query = _rows(model) if columns is None else sa.select(*columns, col(model.updated_at))
    return {row.id: row for row in _run(db, query.where(model.id.in_(ids)))}


def _event_ids(db: Session, scope: str, slug: str | None, audience: str):
    """(the scope's title, a SELECT of the ids of the audience's events of the scope)."""
    visible = visible_to(audience)
    query = select(col(m.Event.id)).where(col(m.Event.visibility).in_(visible))
    if scope == "all":
        if slug:
            raise CitynetError(_("scope 'all' takes no slug"))
        return BiText(), query
    if not slug:
        raise CitynetError(_("scope {scope!r} needs a slug").format(scope=scope))
    if scope == "event":
        row = _run(db, _rows(m.Event).where(col(m.Event.slug) == slug)).first()
        if row is None:
            raise NotFound(_("no event with slug {slug!r}").format(slug=slug))
        if row.visibility not in visible:
            lang = get_language()
            raise CitynetError(_("event {slug!r} is {visibility}; not in the {calendar}").format(
                slug=slug, visibility=label(VISIBILITIES, row.visibility, lang),
                calendar=label(CALENDAR_AUDIENCES, audience, lang)))
        return bitext(row, "title"), query.where(col(m.Event.id) == row.id)
    if scope == "city":
        city = _run(db, _rows(m.City).where(col(m.City.slug) == slug)).first()
        if city is None:
            raise NotFound(_("no city with slug {slug!r}").format(slug=slug))
        return bitext(city, "name"), query.where(col(m.Event.id).in_(events_of_city([city.id], audience)))
    if scope == "network":
        network = _run(db, _rows(m.Network).where(col(m.Network.slug) == slug)).first()
        if network is None:
            raise NotFound(_("no network with slug {slug!r}").format(slug=slug))
        return bitext(network, "name"), query.where(
            col(m.Event.id).in_(events_of_network(network.id, network.slug, audience)))
    raise CitynetError(_("unknown scope {scope!r}: use one of {choices}").format(scope=scope, choices=', '.join(SCOPES)))


BATCH = 500  # events per batch of a calendar stream


@dataclass(frozen=True)
class CalendarStream:
    """What :class:`CalendarData` holds, with the events read in batches as they are iterated.

    ``events`` may be iterated once: each step of :func:`calendar_stream`'s generator reads one
    run of events (at most ``BATCH`` events and ``SESSIONS_PER_RUN`` sessions, with their
    participants, positions, persons, bodies and organisation roles) in a constant number of
    statements and lets the previous run go, so memory does not grow with the number of events
    or of sessions in an event. The order is :class:`CalendarData`'s.
    """

    scope: str
    slug: str | None
    audience: str
    title: BiText
    home: CityRef | None
    events: Iterator[CalendarEvent]


def _event_order():
    # The order CalendarData had from Python's sort on (start_date is None, start_date or 0,
    # slug): dates are ISO text in SQLite (text order is date order), slugs unique ASCII.
    return (col(m.Event.start_date).is_(None), col(m.Event.start_date), col(m.Event.slug))


def calendar_stream(engine: Engine, scope: str, slug: str | None, audience: str, *,
                    batch: int = BATCH) -> CalendarStream:
    """The calendar of ``scope``/``slug`` for ``audience``, its events read ``batch`` at a time.

    Three statements up front at most (the scope's row, the home city, the ordered event ids);
    then one per batch (its sessions counted, :func:`calendar_events`) and eight per run of
    events within it at most (events, sessions, participants, organisation roles, positions,
    persons, organisations, cities: a query is skipped when its id set is empty)."""
    outline, event_ids = calendar_outline(engine, scope, slug, audience)
    return CalendarStream(outline.scope, outline.slug, outline.audience, outline.title, outline.home,
                          calendar_events(engine, event_ids, audience, batch=batch))


def calendar_outline(engine: Engine, scope: str, slug: str | None,
                     audience: str) -> tuple[CalendarStream, list[int]]:
    """What a calendar is of, without its events (a :class:`CalendarStream` whose ``events`` are
    empty: scope, slug, audience, title, home city), and the ids of its events in calendar order
    (:func:`calendar_events` reads them). The feeds ask this for calendars they put together
    from events they have already rendered."""
    visible_to(audience)
    if scope not in SCOPES:
        raise CitynetError(_("unknown scope {scope!r}: use one of {choices}").format(scope=scope, choices=', '.join(SCOPES)))
    with Session(engine) as db:
        title, ids_query = _event_ids(db, scope, slug, audience)
        home = _run(db, _rows(m.City).where(col(m.City.is_home) == sa.true())).first()
        # Only the ids are kept for the whole calendar (a few bytes per event).
        event_ids = list(_run(db, ids_query.order_by(*_event_order())).scalars())
    outline = CalendarStream(scope, slug if scope != "all" else None, audience, title,
                             city_ref(home) if home else None, iter(()))
    return outline, event_ids


def calendar_events(engine: Engine, event_ids: list[int], audience: str, *,
                    batch: int = BATCH) -> Iterator[CalendarEvent]:
    """The calendar events of ``event_ids`` for ``audience``, in that order, read ``batch`` at a
    time as they are iterated (ids of events no longer stored are skipped); a batch is read in
    runs of at most :data:`SESSIONS_PER_RUN` sessions, so what is held at once does not depend
    on how the sessions fall among the events."""
    visible = visible_to(audience)
    with Session(engine) as db, _page_cache_for_streaming(db):
        for first in range(0, len(event_ids), batch):
            for run in _runs(db, event_ids[first:first + batch], visible):
                yield from _event_batch(db, run, visible)


SESSIONS_PER_RUN = 500  # the audience's sessions read (with their participants) at once


def _runs(db: Session, event_ids: list[int], visible) -> Iterator[list[int]]:
    """``event_ids`` in order, cut into runs of at most :data:`SESSIONS_PER_RUN` sessions of the
    audience (an event with more is a run alone), from one count per batch."""
    counts = dict(_run(db, select(col(m.Session.event_id), sa.func.count())
                       .where(col(m.Session.event_id).in_(event_ids), col(m.Session.visibility).in_(visible))
                       .group_by(col(m.Session.event_id))).all())
    run: list[int] = []
    held = 0
    for event_id in event_ids:
        count = counts.get(event_id, 0)
        if run and held + count > SESSIONS_PER_RUN:
            yield run
            run, held = [], 0
        run.append(event_id)
        held += count
    if run:
        yield run


@contextmanager
def _page_cache_for_streaming(db: Session) -> Iterator[None]:
    """On SQLite, SQLite's own page cache size (2 MiB) while a calendar streams the store: each
    page is read once, so the store's larger cache (kept for writes: ``SQLITE_CACHE_SIZE``) would
    only grow with the export, by up to 32 MiB. Restored before the connection goes back to the pool."""
    connection = db.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA cache_size=-2000")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={SQLITE_CACHE_SIZE}")


def _event_batch(db: Session, event_ids: list[int], visible) -> list[CalendarEvent]:
    """The calendar events of ``event_ids`` (in that order), read in a constant number of statements."""
    events = list(_run(db, _rows(m.Event).where(col(m.Event.id).in_(event_ids))))
    order = {event_id: n for n, event_id in enumerate(event_ids)}
    events.sort(key=lambda e: order[e.id])
    sessions = list(_run(db, _rows(m.Session).where(
        col(m.Session.event_id).in_(event_ids), col(m.Session.visibility).in_(visible)))) if event_ids else []
    session_ids = [s.id for s in sessions]
    participant_rows = list(_run(db,
        _rows(m.SessionParticipant).where(col(m.SessionParticipant.session_id).in_(session_ids))
        .order_by(col(m.SessionParticipant.session_id), col(m.SessionParticipant.sort_order),
                  col(m.SessionParticipant.id)))) if session_ids else []
    role_rows = list(_run(db,
        _rows(m.OrganisationRole).where(col(m.OrganisationRole.event_id).in_(event_ids))
        .order_by(col(m.OrganisationRole.sort_order), col(m.OrganisationRole.id)))) if event_ids else []
    positions = _rows_by_id(db, m.Position, (p.position_id for p in participant_rows))
    persons = _rows_by_id(db, m.Person, [p.person_id for p in participant_rows]
                          + [p.person_id for p in positions.values()], PERSON_COLUMNS)
    organisations = _rows_by_id(db, m.Organisation, [r.organisation_id for r in role_rows]
                                + [p.organisation_id for p in positions.values()], ORGANISATION_COLUMNS)
    cities = _rows_by_id(db, m.City, [p.city_id for p in positions.values()]
                         + [e.city_id for e in events], CITY_COLUMNS)

    position_views = {pid: position_view(p, persons, cities, organisations)
                      for pid, p in positions.items()}
    participants = defaultdict(list)
    participant_changes = defaultdict(list)
    for row in participant_rows:
        person = persons.get(row.person_id)
        participants[row.session_id].append(ParticipantView(
            row.role, row.sort_order, person_ref(person) if person else None,
            position_views.get(row.position_id), bitext(row, "capacity")))
        position = positions.get(row.position_id)
        holder = persons.get(position.person_id) if position else None
        body = (cities.get(position.city_id) or organisations.get(position.organisation_id)
                if position else None)
        participant_changes[row.session_id].append(_latest(row, person, position, holder, body))
    session_roles: defaultdict[int, list[OrganisationRoleView]] = defaultdict(list)
    event_roles: defaultdict[int, list[OrganisationRoleView]] = defaultdict(list)
    role_changes = defaultdict(list)
    for row in role_rows:
        organisation = organisations[row.organisation_id]
        view = OrganisationRoleView(row.role, row.sort_order, organisation_ref(organisation),
                                    row.session_id)
        (session_roles[row.session_id] if row.session_id else event_roles[row.event_id]).append(view)
        role_changes[row.session_id or ("event", row.event_id)].append(_latest(row, organisation))

    sessions_by_event = defaultdict(list)
    for s in sessions:
        sessions_by_event[s.event_id].append(s)
    result = []
    for e in events:
        city = cities.get(e.city_id)
        event_changed = _latest(e, city)
        calendar_sessions = [
            CalendarSession(
                session_view(s, e.timezone, participants[s.id], session_roles[s.id]),
                max([_utc(s.updated_at), event_changed, *participant_changes[s.id],
                     *role_changes[s.id]]),
                max(s.revision - 1, 0) + max(e.revision - 1, 0))
            for s in sessions_by_event[e.id]]
        calendar_sessions.sort(key=lambda c: session_sort_key(c.session))  # slug last: a total order
        result.append(CalendarEvent(
            event_view(e, city), tuple(calendar_sessions), tuple(event_roles[e.id]),
            max([event_changed, *role_changes[("event", e.id)]]), max(e.revision - 1, 0)))
    return result


def calendar_data(engine: Engine, scope: str, slug: str | None, audience: str) -> CalendarData:
    """The events (with their sessions) one calendar of ``scope``/``slug`` shows to ``audience``,
    all in memory (exports use :func:`calendar_stream`, which reads them in batches)."""
    stream = calendar_stream(engine, scope, slug, audience)
    return CalendarData(stream.scope, stream.slug, stream.audience, stream.title, stream.home,
                        tuple(stream.events))


def partner_city_slugs(engine: Engine) -> list[str]:
    """Cities the home city has a relationship with (the per-city feeds)."""
    with Session(engine) as db:
        rows = db.exec(select(col(m.City.slug)).join(m.Relationship, col(m.Relationship.city_id) == col(m.City.id))
                       .where(col(m.City.is_home) == sa.false()).distinct())
        return sorted(rows)


def network_slugs(engine: Engine) -> list[str]:
    with Session(engine) as db:
        return sorted(db.exec(select(col(m.Network.slug))))


def event_slugs(engine: Engine, audience: str) -> list[str]:
    with Session(engine) as db:
        return sorted(db.exec(select(col(m.Event.slug)).where(col(m.Event.visibility).in_(visible_to(audience)))))
