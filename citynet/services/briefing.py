"""What the event documents (briefing, programme, report) need beyond ``event_detail``.

A fixed number of queries per document: the event detail, the home city, the backgrounds of the
partner cities present (one batch, see :mod:`citynet.services.cities`), where we last met those
cities and the event's people before it (one batch, see :mod:`citynet.services.commitments`), the
home city's key figures and milestones, and registration counts for the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from citynet.services.cities import CityBackground, city_backgrounds, home_city
from citynet.services.commitments import Meeting, last_meetings
from citynet.services.details import _memberships
from citynet.services.convert import city_ref
from citynet.services.events import event_detail, get_event
from citynet.services.readmodel import events_of_network
from citynet.services.views import (
    BiText, CityRef, EventDetail, KeyFigureView, MembershipView, NetworkRef, PersonRef, SessionView,
    bitext,
)
from citynet.store import models as m


@dataclass(frozen=True)
class MilestoneView:
    slug: str
    when: str  # fuzzy
    ongoing: bool
    title: BiText
    description: BiText


@dataclass(frozen=True)
class MetBefore:
    """A partner city or a person of the event (one of the two), and the last session before
    the event where we met them, with the commitments made at it that concern them."""

    meeting: Meeting
    city: CityRef | None = None
    person: PersonRef | None = None


@dataclass(frozen=True)
class NetworkBackground:
    """A network the event is one of (``readmodel.events_of_network``: the same events as the
    network's page and calendar), with its members over time."""

    network: NetworkRef
    members: tuple[MembershipView, ...]


@dataclass(frozen=True)
class EventDocumentData:
    """An event with its home city; the briefing fills the partner and home-city sections."""

    detail: EventDetail
    home: CityRef | None
    home_sessions: tuple[SessionView, ...]  # sessions with the home city's people taking part
    partners: tuple[CityBackground, ...] = ()  # cities present, other than home, by name
    key_figures: tuple[KeyFigureView, ...] = ()
    milestones: tuple[MilestoneView, ...] = ()
    registrations_by_category: tuple[tuple[str, int], ...] = ()
    registrations_by_country: tuple[tuple[str | None, int], ...] = ()
    # partner cities (in ``partners`` order), then people (in programme order) met before
    met_before: tuple[MetBefore, ...] = ()
    networks: tuple[NetworkBackground, ...] = ()  # by English name


def _home_sessions(detail: EventDetail, home: CityRef | None) -> tuple[SessionView, ...]:
    if home is None:
        return detail.sessions

    def ours(session: SessionView) -> bool:
        for participant in session.participants:
            position = participant.position
            if position and position.city and position.city.id == home.id:
                return True
        return any(role.organisation.slug and role.role in ("host", "co_host")
                   and role.organisation.country == home.country and role.organisation.kind == "city_government"
                   for role in session.organisation_roles)

    return tuple(s for s in detail.sessions if ours(s))


def _load(engine: Engine, slug: str) -> tuple[EventDetail, CityRef | None]:
    detail = event_detail(engine, slug)
    with Session(engine) as db:
        home = home_city(db)
    return detail, city_ref(home) if home else None


def programme_data(engine: Engine, slug: str) -> EventDocumentData:
    detail, home = _load(engine, slug)
    return EventDocumentData(detail, home, _home_sessions(detail, home))


def briefing_data(engine: Engine, slug: str) -> EventDocumentData:
    """The event, the partner cities present (participants' cities and the venue) with their
    backgrounds, and the home city's key figures and milestones."""
    detail, home = _load(engine, slug)
    present = {p.position.city.id for s in detail.sessions for p in s.participants
               if p.position and p.position.city}
    if detail.event.city is not None:
        present.add(detail.event.city.id)
    if home is not None:
        present.discard(home.id)
    with Session(engine) as db:
        backgrounds = city_backgrounds(db, present)
        figures: tuple[KeyFigureView, ...] = ()
        milestones: tuple[MilestoneView, ...] = ()
        if home is not None:
            figures = tuple(KeyFigureView(k.slug, bitext(k, "label"), k.kind, k.value, k.unit, k.period,
                                          k.base_period)
                            for k in db.exec(select(m.KeyFigure).where(col(m.KeyFigure.city_id) == home.id)
                                             .order_by(col(m.KeyFigure.sort_order), col(m.KeyFigure.id))))
            rows = db.exec(select(m.Milestone).where(col(m.Milestone.city_id) == home.id))
            milestones = tuple(sorted(
                (MilestoneView(r.slug, r.when, r.ongoing, bitext(r, "title"), bitext(r, "description"))
                 for r in rows), key=lambda v: (v.when, v.slug)))
    partners = tuple(sorted(backgrounds.values(),
                            key=lambda b: (not b.relationships, b.city.name.en or b.city.slug)))
    return EventDocumentData(detail, home, _home_sessions(detail, home), partners, figures, milestones,
                             met_before=_met_before(engine, detail, home, partners),
                             networks=_networks(engine, detail.event.id))


def _networks(engine: Engine, event_id: int) -> tuple[NetworkBackground, ...]:
    """The networks the event is one of, with their members, in three queries: the networks, one
    UNION asking each whether the event is among its events, and their memberships."""
    n = m.Network
    with engine.connect() as c:
        networks = c.execute(sa.select(col(n.id), col(n.slug), col(n.name_ja), col(n.name_en),
                                       col(n.description_ja), col(n.description_en),
                                       col(n.founded))).all()
        if not networks:
            return ()
        involved = {row[0] for row in c.execute(sa.union(*(
            sa.select(sa.literal(r.id).label("network_id"))
            .where(sa.literal(event_id).in_(events_of_network(r.id, r.slug)))
            for r in networks)))}
        members = (_memberships(c, col(m.Membership.network_id).in_(sorted(involved)))
                   if involved else ())
    found = [NetworkBackground(NetworkRef(r.slug, BiText(r.name_ja, r.name_en),
                                          BiText(r.description_ja, r.description_en), r.founded),
                               tuple(x for x in members if x.network.slug == r.slug))
             for r in networks if r.id in involved]
    return tuple(sorted(found, key=lambda x: x.network.name.en or x.network.slug))


def _met_before(engine: Engine, detail: EventDetail, home: CityRef | None,
                partners: tuple[CityBackground, ...]) -> tuple[MetBefore, ...]:
    """Where we last met, before the event's first day (today for an event without dates), each
    partner city and each person taking part other than the home city's own post-holders."""
    people: dict[int, PersonRef] = {}
    for session in detail.sessions:
        for participant in session.participants:
            position = participant.position
            if home is not None and position and position.city and position.city.id == home.id:
                continue
            holder = participant.holder
            if holder is not None:
                people.setdefault(holder.id, holder)
    before = detail.event.start_date or date.today()
    met = last_meetings(engine, city_ids=[p.city.id for p in partners], person_ids=list(people),
                        before=before)
    found = [MetBefore(met.cities[p.city.id], city=p.city) for p in partners if p.city.id in met.cities]
    found += [MetBefore(met.persons[pid], person=ref) for pid, ref in people.items()
              if pid in met.persons]
    return tuple(found)


def report_data(engine: Engine, slug: str) -> EventDocumentData:
    """The event with its totals and, for a computed total, registrations by category and country."""
    detail, home = _load(engine, slug)
    by_category: tuple[tuple[str, int], ...] = ()
    by_country: tuple[tuple[str | None, int], ...] = ()
    if detail.totals is not None and detail.totals.computed:
        with Session(engine) as db:
            event = get_event(db, slug)
            r = m.Registration
            count = sa.func.count(col(r.id))
            by_category = tuple((x[0], x[1]) for x in db.exec(
                select(col(r.category), count).where(col(r.event_id) == event.id)
                .group_by(col(r.category)).order_by(count.desc(), col(r.category))))
            by_country = tuple((x[0], x[1]) for x in db.exec(
                select(col(r.country), count).where(col(r.event_id) == event.id)
                .group_by(col(r.country)).order_by(count.desc(), col(r.country))))
    return EventDocumentData(detail, home, _home_sessions(detail, home),
                             registrations_by_category=by_category,
                             registrations_by_country=by_country)


__all__ = ["MilestoneView", "MetBefore", "NetworkBackground", "EventDocumentData", "briefing_data",
           "programme_data", "report_data"]
