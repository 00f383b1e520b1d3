"""One record with what relates to it, for the terminal UI's detail screens.

Every function runs a fixed number of column selects and returns frozen dataclasses (never ORM
rows). A city's events are :func:`citynet.services.readmodel.events_of_city`, split into past,
upcoming and undated by :func:`citynet.services.readmodel.event_timing`, as in the city profile
and the city calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from citynet.errors import NotFound
from citynet.i18n import _
from citynet.services.commitments import CommitmentView, commitments_where, read_commitments
from citynet.services.convert import (
    CITY_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS, city_ref, organisation_ref, person_ref,
)
from citynet.services.lists import EventRow, SessionRow, event_row, event_select, session_row, session_select
from citynet.services.readmodel import event_timing, events_of_city, events_of_network
from citynet.services.views import (
    BiText, CityRef, MembershipView, NetworkRef, OrganisationRef, PersonRef, PositionView,
    RelationshipView, TimelineEntry,
)
from citynet.store import models as m

EVENTS_SHOWN = 200  # events read for one detail screen, newest first


@dataclass(frozen=True)
class CityDetail:
    city: CityRef
    region: BiText
    notes: BiText
    revision: int
    relationships: tuple[RelationshipView, ...]
    memberships: tuple[MembershipView, ...]
    positions: tuple[PositionView, ...]
    past_events: tuple[EventRow, ...]  # newest first; held or cancelled without dates last
    upcoming_events: tuple[EventRow, ...]  # soonest first
    undated_events: tuple[EventRow, ...]  # planned, confirmed or postponed, no dates yet
    timeline: tuple[TimelineEntry, ...]  # relationships, memberships and dated events, oldest first
    # to the city, its organisations or its post-holders (services.commitments), open first
    commitments: tuple[CommitmentView, ...] = ()


@dataclass(frozen=True)
class NetworkDetail:
    id: int
    slug: str
    name: BiText
    description: BiText
    founded: str | None
    revision: int
    members: tuple[MembershipView, ...]
    # its events (of its members: readmodel.events_of_network, as its calendar), split as a city's
    past_events: tuple[EventRow, ...] = ()
    upcoming_events: tuple[EventRow, ...] = ()
    undated_events: tuple[EventRow, ...] = ()


@dataclass(frozen=True)
class OrganisationDetail:
    organisation: OrganisationRef
    city: CityRef | None
    notes: BiText
    revision: int
    positions: tuple[PositionView, ...]
    memberships: tuple[MembershipView, ...]
    events: tuple[tuple[str, EventRow], ...]  # (role, event)


@dataclass(frozen=True)
class PersonSession:
    role: str
    session: SessionRow


@dataclass(frozen=True)
class PersonDetail:
    person: PersonRef
    notes: BiText
    revision: int
    positions: tuple[PositionView, ...]
    sessions: tuple[PersonSession, ...]
    commitments: tuple[CommitmentView, ...] = ()  # by or to the person, open first


# --- shared reads -------------------------------------------------------------------------------


def _one(c: Connection, select: sa.Select, what: str, slug: str) -> Any:
    row = c.execute(select).first()
    if row is None:
        raise NotFound(_("no {what} with slug {slug!r}").format(what=what, slug=slug))
    return row


def _known(ids: Iterable[int | None]) -> set[int]:
    return {i for i in ids if i is not None}


def _cities_by_id(c: Connection, ids: Iterable[int | None]) -> dict[int, CityRef]:
    wanted = _known(ids)
    if not wanted:
        return {}
    return {r.id: city_ref(r)
            for r in c.execute(sa.select(*CITY_COLUMNS).where(col(m.City.id).in_(wanted)))}


def _persons_by_id(c: Connection, ids: Iterable[int | None]) -> dict[int, PersonRef]:
    wanted = _known(ids)
    if not wanted:
        return {}
    return {r.id: person_ref(r)
            for r in c.execute(sa.select(*PERSON_COLUMNS).where(col(m.Person.id).in_(wanted)))}


def _orgs_by_id(c: Connection, ids: Iterable[int | None]) -> dict[int, OrganisationRef]:
    wanted = _known(ids)
    if not wanted:
        return {}
    return {r.id: organisation_ref(r)
            for r in c.execute(sa.select(*ORGANISATION_COLUMNS)
                               .where(col(m.Organisation.id).in_(wanted)))}


def _positions(c: Connection, where: sa.ColumnElement[bool]) -> tuple[PositionView, ...]:
    p = m.Position
    rows = c.execute(sa.select(col(p.id), col(p.slug), col(p.person_id), col(p.city_id),
                               col(p.organisation_id), col(p.title_ja), col(p.title_en),
                               col(p.start), col(p.end), col(p.ended)).where(where)
                     .order_by(col(p.ended), sa.func.coalesce(col(p.start), "").desc(),
                               col(p.id))).all()
    persons = _persons_by_id(c, (r.person_id for r in rows))
    cities = _cities_by_id(c, (r.city_id for r in rows))
    orgs = _orgs_by_id(c, (r.organisation_id for r in rows))
    return tuple(PositionView(r.id, r.slug, BiText(r.title_ja, r.title_en), persons.get(r.person_id),
                              cities.get(r.city_id), orgs.get(r.organisation_id), r.start, r.end,
                              bool(r.ended)) for r in rows)


def _memberships(c: Connection, where: sa.ColumnElement[bool]) -> tuple[MembershipView, ...]:
    ms, n = m.Membership, m.Network
    rows = c.execute(sa.select(col(ms.id), col(ms.city_id), col(ms.organisation_id),
                               col(ms.country), col(ms.role_ja), col(ms.role_en), col(ms.start),
                               col(ms.end), col(ms.notes_ja), col(ms.notes_en), col(n.slug),
                               col(n.name_ja), col(n.name_en), col(n.description_ja),
                               col(n.description_en), col(n.founded))
                     .join(n, col(n.id) == col(ms.network_id)).where(where)
                     .order_by(sa.func.coalesce(col(ms.start), ""), col(ms.id))).all()
    cities = _cities_by_id(c, (r.city_id for r in rows))
    orgs = _orgs_by_id(c, (r.organisation_id for r in rows))
    return tuple(MembershipView(
        r.id, NetworkRef(r.slug, BiText(r.name_ja, r.name_en),
                         BiText(r.description_ja, r.description_en), r.founded),
        cities.get(r.city_id), orgs.get(r.organisation_id), r.country,
        BiText(r.role_ja, r.role_en), r.start, r.end, BiText(r.notes_ja, r.notes_en))
        for r in rows)


def _event_rows(c: Connection, where: sa.ColumnElement[bool],
                limit: int = EVENTS_SHOWN) -> list[EventRow]:
    """Events newest first, events without dates last (on every engine)."""
    ev = m.Event
    rows = c.execute(event_select().where(where)
                     .order_by(col(ev.start_date).is_(None), col(ev.start_date).desc(),
                               col(ev.id).desc()).limit(limit)).all()
    return [event_row(r) for r in rows]


# --- details ------------------------------------------------------------------------------------


def city_detail(engine: Engine, slug: str, today: date | None = None) -> CityDetail:
    """A city with its relationship, networks, people and events (its events: the same as the
    city profile's and the city calendar's), the events split at ``today``."""
    today = today or date.today()
    with engine.connect() as c:
        ct = m.City
        r = _one(c, sa.select(*CITY_COLUMNS, col(ct.region_ja), col(ct.region_en),
                              col(ct.notes_ja), col(ct.notes_en), col(ct.revision))
                 .where(col(ct.slug) == slug), "city", slug)
        city = city_ref(r)
        rel = m.Relationship
        relationships = tuple(
            RelationshipView(x.slug, x.kind, x.since, x.until, x.status,
                             BiText(x.notes_ja, x.notes_en))
            for x in c.execute(sa.select(rel).where(col(rel.city_id) == city.id)
                               .order_by(col(rel.since), col(rel.id))))
        memberships = _memberships(c, col(m.Membership.city_id) == city.id)
        positions = _positions(c, col(m.Position.city_id) == city.id)
        events = _event_rows(c, col(m.Event.id).in_(events_of_city([city.id])))
        commitments = read_commitments(c, commitments_where("city", city.id))
    past, upcoming, undated = _split_events(events, today)
    timeline = [TimelineEntry("relationship", BiText(), x.since, None, None, relationship=x,
                              slug=x.slug) for x in relationships if x.since]
    timeline += [TimelineEntry("membership", x.network.name, x.start, None, None,
                               slug=x.network.slug) for x in memberships if x.start]
    timeline += [TimelineEntry("event", e.title, None, e.start_date, e.end_date, slug=e.slug)
                 for e in events if e.start_date]
    timeline.sort(key=lambda t: t.sort_key)
    return CityDetail(city, BiText(r.region_ja, r.region_en), BiText(r.notes_ja, r.notes_en),
                      r.revision, relationships, memberships, positions, past, upcoming, undated,
                      tuple(timeline), commitments)


def _split_events(events: list[EventRow], today: date) -> tuple[tuple[EventRow, ...], ...]:
    """(past: newest first, undated held last; upcoming: soonest first; undated: by slug)."""
    split: dict[str, list[EventRow]] = {"past": [], "upcoming": [], "undated": []}
    for e in events:  # newest first, undated last: the order of ``past``
        split[event_timing(e.status, e.start_date, e.end_date, today)].append(e)
    upcoming = sorted(split["upcoming"], key=lambda e: (e.start_date or today, e.id))
    undated = sorted(split["undated"], key=lambda e: e.slug)
    return tuple(split["past"]), tuple(upcoming), tuple(undated)


def network_detail(engine: Engine, slug: str, today: date | None = None) -> NetworkDetail:
    """A network with its members over time and its events (those of its members, as its
    calendar has them), split at ``today``."""
    today = today or date.today()
    with engine.connect() as c:
        n = m.Network
        r = _one(c, sa.select(n).where(col(n.slug) == slug), "network", slug)
        members = _memberships(c, col(m.Membership.network_id) == r.id)
        events = _event_rows(c, col(m.Event.id).in_(events_of_network(r.id, r.slug)))
    return NetworkDetail(r.id, r.slug, BiText(r.name_ja, r.name_en),
                         BiText(r.description_ja, r.description_en), r.founded, r.revision, members,
                         *_split_events(events, today))


def organisation_detail(engine: Engine, slug: str) -> OrganisationDetail:
    with engine.connect() as c:
        o = m.Organisation
        r = _one(c, sa.select(*ORGANISATION_COLUMNS, col(o.city_id), col(o.notes_ja),
                              col(o.notes_en), col(o.revision))
                 .where(col(o.slug) == slug), "organisation", slug)
        positions = _positions(c, col(m.Position.organisation_id) == r.id)
        memberships = _memberships(c, col(m.Membership.organisation_id) == r.id)
        role = m.OrganisationRole
        roles = c.execute(sa.select(col(role.event_id), col(role.role))
                          .where(col(role.organisation_id) == r.id)
                          .where(col(role.session_id).is_(None))).all()
        events = {e.id: e for e in _event_rows(c, col(m.Event.id).in_([x.event_id for x in roles]))}
        city = _cities_by_id(c, [r.city_id]).get(r.city_id)
    return OrganisationDetail(organisation_ref(r), city, BiText(r.notes_ja, r.notes_en), r.revision,
                              positions, memberships,
                              tuple((x.role, events[x.event_id]) for x in roles
                                    if x.event_id in events))


def person_detail(engine: Engine, slug: str) -> PersonDetail:
    with engine.connect() as c:
        p = m.Person
        r = _one(c, sa.select(*PERSON_COLUMNS, col(p.notes_ja), col(p.notes_en), col(p.revision))
                 .where(col(p.slug) == slug), "person", slug)
        positions = _positions(c, col(m.Position.person_id) == r.id)
        sp, s = m.SessionParticipant, m.Session
        position_ids = [x.id for x in positions]
        who: sa.ColumnElement[bool] = col(sp.person_id) == r.id
        if position_ids:
            who = sa.or_(who, col(sp.position_id).in_(position_ids))
        rows = c.execute(session_select().add_columns(sa.label("role", col(sp.role)))
                         .join(sp, col(sp.session_id) == col(s.id)).where(who)
                         .order_by(col(s.starts_at).desc(), col(s.day).desc(), col(s.id))).all()
        commitments = read_commitments(c, commitments_where("person", r.id))
    return PersonDetail(person_ref(r), BiText(r.notes_ja, r.notes_en), r.revision, positions,
                        tuple(PersonSession(x.role, session_row(x)) for x in rows), commitments)


def session_event_slug(engine: Engine, slug: str) -> str:
    """The slug of the event a session belongs to (for ``events.event_detail``)."""
    with engine.connect() as c:
        s, ev = m.Session, m.Event
        r = _one(c, sa.select(col(ev.slug)).join(s, col(s.event_id) == col(ev.id))
                 .where(col(s.slug) == slug), "session", slug)
        return str(r.slug)


__all__ = ["CityDetail", "NetworkDetail", "OrganisationDetail", "PersonSession", "PersonDetail",
           "city_detail", "network_detail", "organisation_detail", "person_detail",
           "session_event_slug"]
