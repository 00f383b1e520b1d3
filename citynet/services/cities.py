"""Cities as the documents need them: a partner city's background and a city profile.

Each function runs a fixed number of queries, whatever the number of cities, positions or events
(the background of every partner city in a briefing is loaded in one batch).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from citynet.i18n import _
from citynet.errors import NotFound
from citynet.fuzzy import FuzzyDate
from citynet.services.convert import city_ref, event_view, organisation_ref, position_view
from citynet.services.readmodel import city_event_links, event_timing
from citynet.services.views import (
    BiText, CityRef, MembershipView, NetworkRef, OrganisationRef, PositionView, RelationshipView,
    TimelineEntry, bitext,
)
from citynet.store import models as m


@dataclass(frozen=True)
class CityBackground:
    city: CityRef
    region: BiText
    notes: BiText
    relationships: tuple[RelationshipView, ...]
    memberships: tuple[MembershipView, ...]
    positions: tuple[PositionView, ...]  # current first, then past
    timeline: tuple[TimelineEntry, ...]  # events and milestones, oldest first; undated last

    @property
    def current_positions(self) -> tuple[PositionView, ...]:
        return tuple(p for p in self.positions if p.is_current)

    @property
    def past_positions(self) -> tuple[PositionView, ...]:
        return tuple(p for p in self.positions if not p.is_current)


@dataclass(frozen=True)
class ProjectView:
    """A project of a city, with the organisations taking part (role, organisation) in order."""

    slug: str
    title: BiText
    summary: BiText
    start: str | None  # fuzzy: the year it starts (or started)
    planned: bool  # 「（予定）」: the start is a plan
    partners: tuple[tuple[str, OrganisationRef], ...] = ()


@dataclass(frozen=True)
class PartnerView:
    """One of the home city's relationships, with the partner city it is with."""

    city: CityRef
    relationship: RelationshipView


@dataclass(frozen=True)
class CityProfile:
    """A city's background with its timeline split at a day (``readmodel.event_timing``):
    ``past`` holds past events (a held event without dates too: its date was not recorded, see
    ``readmodel.date_not_recorded``) and the milestones; ``upcoming`` the events ahead;
    ``undated`` the planned events without dates yet. ``projects`` are the city's own;
    ``partners`` (the home city's profile only) every relationship the home city has."""

    background: CityBackground
    home: CityRef | None
    past: tuple[TimelineEntry, ...]
    upcoming: tuple[TimelineEntry, ...]
    undated: tuple[TimelineEntry, ...]
    projects: tuple[ProjectView, ...] = ()
    partners: tuple[PartnerView, ...] = ()


# How sure a document may be that a post's holder holds it (see ``position_standing``).
Standing = Literal["former", "current", "as_of", "unconfirmed"]


def position_standing(position: PositionView, day: date) -> Standing:
    """What a document may say of a post on ``day``: ``former`` when it is known to have ended
    (or has an end date); ``current`` only when the holder's last confirmation (``as_of``)
    reaches ``day`` (a month or a year covers each of its days); ``as_of`` when it was
    confirmed before (the documents print "as of <date>"); ``unconfirmed`` when it never was."""
    if not position.is_current:
        return "former"
    if not position.as_of:
        return "unconfirmed"
    return "current" if _last_day(FuzzyDate.parse(position.as_of)) >= day else "as_of"


def _last_day(value: FuzzyDate) -> date:
    """The latest day a fuzzy date can mean (31 March for a fiscal year)."""
    if value.fiscal:
        return date(value.year + 1, 3, 31)
    if value.day is not None:
        return value.first_day()
    if value.month is not None:
        following = date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(value.year, 12, 31)


def _stored(record_id: int | None) -> int:
    """A stored record's id (SQLModel types ``id`` optional, for records not yet saved)."""
    assert record_id is not None
    return record_id


def home_city(db: Session) -> m.City | None:
    return db.exec(select(m.City).where(col(m.City.is_home).is_(True))).first()


def city_backgrounds(db: Session, city_ids: Iterable[int | None]) -> dict[int, CityBackground]:
    """The background of each city in ``city_ids``, in nine queries whatever their number."""
    ids = sorted({i for i in city_ids if i is not None})
    if not ids:
        return {}
    cities = {c.id: c for c in db.exec(select(m.City).where(col(m.City.id).in_(ids)))}
    relationships = list(db.exec(select(m.Relationship)
                                 .where(col(m.Relationship.city_id).in_(ids))
                                 .order_by(col(m.Relationship.id))))
    memberships = list(db.exec(
        select(m.Membership, m.Network)
        .join(m.Network, col(m.Network.id) == col(m.Membership.network_id))
        .where(col(m.Membership.city_id).in_(ids)).order_by(col(m.Network.slug))))
    positions = list(db.exec(select(m.Position).where(col(m.Position.city_id).in_(ids))
                             .order_by(col(m.Position.ended), col(m.Position.id))))
    person_ids = {p.person_id for p in positions if p.person_id}
    persons = ({p.id: p for p in db.exec(select(m.Person).where(col(m.Person.id).in_(person_ids)))}
               if person_ids else {})
    # The events of each city: readmodel.city_event_links, the same as the city calendar's.
    event_cities: dict[int, set[int]] = defaultdict(set)
    for event_id, city_id in db.connection().execute(city_event_links(ids)):
        event_cities[event_id].add(city_id)
    events = (list(db.exec(select(m.Event).where(col(m.Event.id).in_(list(event_cities)))))
              if event_cities else [])
    venue_ids = {e.city_id for e in events if e.city_id and e.city_id not in cities}
    venues = dict(cities)
    if venue_ids:
        venues.update({c.id: c for c in db.exec(select(m.City).where(col(m.City.id).in_(venue_ids)))})
    milestones = list(db.exec(select(m.Milestone).where(col(m.Milestone.city_id).in_(ids))))

    result: dict[int, CityBackground] = {}
    for city_id, city in cities.items():
        ref = city_ref(city)
        own_positions = tuple(position_view(p, persons, cities, {}) for p in positions
                              if p.city_id == city_id)
        own_positions = tuple(sorted(own_positions, key=lambda p: not p.is_current))
        timeline: list[TimelineEntry] = []
        rels = tuple(RelationshipView(r.slug, r.kind, r.since, r.until, r.status, bitext(r, "notes"))
                     for r in relationships if r.city_id == city_id)
        for event in events:
            if city_id in event_cities[_stored(event.id)]:
                view = event_view(event, venues.get(event.city_id))
                timeline.append(TimelineEntry("event", view.title, None, event.start_date,
                                              event.end_date, view, slug=view.slug))
        listed = {event.id for event in events if city_id in event_cities[_stored(event.id)]}
        for milestone in milestones:
            # a milestone that records an event already listed ("held the summit") would list
            # it twice: the event, with its exact dates, stands for it
            if milestone.city_id == city_id and milestone.event_id not in listed:
                timeline.append(TimelineEntry("milestone", bitext(milestone, "title"), milestone.when,
                                              None, None, None, milestone.ongoing,
                                              slug=milestone.slug))
        result[_stored(city_id)] = CityBackground(
            ref, bitext(city, "region"), bitext(city, "notes"), rels,
            tuple(MembershipView(_stored(ms.id), NetworkRef(n.slug, bitext(n, "name"),
                                                   bitext(n, "description"), n.founded),
                                 ref, None, ms.country, bitext(ms, "role"), ms.start, ms.end,
                                 bitext(ms, "notes"))
                  for ms, n in memberships if ms.city_id == city_id),
            own_positions, tuple(sorted(timeline, key=lambda t: t.sort_key)))
    return result


def city_profile(engine: Engine, slug: str, today: date | None = None) -> CityProfile:
    """A city with its people, relationship, networks, projects and exchanges, split at
    ``today``; the home city's own profile has its partner cities instead of a relationship."""
    today = today or date.today()
    with Session(engine) as db:
        city = db.exec(select(m.City).where(col(m.City.slug) == slug)).first()
        if city is None:
            raise NotFound(_("no city with slug {slug!r}").format(slug=slug))
        home = home_city(db)
        background = city_backgrounds(db, [city.id])[_stored(city.id)]
        projects = _projects(db, _stored(city.id))
        partners = _partners(db) if city.is_home else ()
    split: dict[str, list[TimelineEntry]] = {"past": [], "upcoming": [], "undated": []}
    for entry in background.timeline:  # oldest first
        if entry.event is None:  # a milestone: an exchange that happened
            split["past"].append(entry)
        else:
            e = entry.event
            split[event_timing(e.status, e.start_date, e.end_date, today)].append(entry)
    return CityProfile(background, city_ref(home) if home else None, tuple(split["past"]),
                       tuple(split["upcoming"]), tuple(split["undated"]), projects, partners)


def _projects(db: Session, city_id: int) -> tuple[ProjectView, ...]:
    """The city's projects (by start, undated last) with their partners, in two queries."""
    rows = list(db.exec(select(m.Project).where(col(m.Project.city_id) == city_id)
                        .order_by(col(m.Project.id))))
    if not rows:
        return ()
    pp = m.ProjectPartner
    links = list(db.exec(select(pp, m.Organisation)
                         .join(m.Organisation, col(m.Organisation.id) == col(pp.organisation_id))
                         .where(col(pp.project_id).in_([r.id for r in rows]))
                         .order_by(col(pp.sort_order), col(pp.id))))
    views = [ProjectView(r.slug, bitext(r, "title"), bitext(r, "summary"), r.start, r.planned,
                         tuple((link.role, organisation_ref(org)) for link, org in links
                               if link.project_id == r.id))
             for r in rows]
    return tuple(sorted(views, key=lambda v: (v.start is None,
                                              FuzzyDate.parse(v.start).first_day() if v.start
                                              else date.min)))


def _partners(db: Session) -> tuple[PartnerView, ...]:
    """Every relationship of the home city with the city it is with, by the city's English name."""
    rows = db.exec(select(m.Relationship, m.City)
                   .join(m.City, col(m.City.id) == col(m.Relationship.city_id))
                   .order_by(col(m.Relationship.id)))
    views = [PartnerView(city_ref(c), RelationshipView(r.slug, r.kind, r.since, r.until, r.status,
                                                       bitext(r, "notes")))
             for r, c in rows]
    return tuple(sorted(views, key=lambda v: (v.city.name.en or v.city.slug, v.relationship.slug)))


__all__ = ["CityBackground", "CityProfile", "PartnerView", "ProjectView", "Standing", "city_backgrounds",
           "city_profile", "home_city", "position_standing"]
