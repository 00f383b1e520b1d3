"""Cities as the documents need them: a partner city's background and a city profile.

Each function runs a fixed number of queries, whatever the number of cities, positions or events
(the background of every partner city in a briefing is loaded in one batch).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from citynet.i18n import _
from citynet.errors import NotFound
from citynet.services.convert import city_ref, event_view, position_view
from citynet.services.views import BiText, CityRef, EventView, PositionView, bitext
from citynet.store import models as m
from citynet.store.fuzzy import FuzzyDate


@dataclass(frozen=True)
class RelationshipView:
    slug: str
    kind: str
    since: str | None  # fuzzy date
    until: str | None
    status: str
    notes: BiText


@dataclass(frozen=True)
class NetworkRef:
    slug: str
    name: BiText
    description: BiText
    founded: str | None


@dataclass(frozen=True)
class MembershipView:
    network: NetworkRef
    role: BiText
    country: str | None
    start: str | None
    end: str | None
    notes: BiText


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item of the exchanges between the home city and a city."""

    kind: str  # "relationship", "event", "milestone"
    title: BiText
    when: str | None  # fuzzy date text, or None when unknown
    start_date: date | None  # exact dates of an event, when known
    end_date: date | None
    event: EventView | None = None
    ongoing: bool = False

    @property
    def sort_key(self) -> tuple:
        if self.start_date is not None:
            first = self.start_date
        elif self.when:
            first = FuzzyDate.parse(self.when).first_day()
        else:
            first = None
        return (first is None, first or date.min, self.title.en or self.title.ja or "")


@dataclass(frozen=True)
class CityBackground:
    city: CityRef
    region: BiText
    notes: BiText
    relationships: tuple[RelationshipView, ...]
    memberships: tuple[MembershipView, ...]
    positions: tuple[PositionView, ...]  # current first, then past
    timeline: tuple[TimelineEntry, ...]  # oldest first; undated last

    @property
    def current_positions(self) -> tuple[PositionView, ...]:
        return tuple(p for p in self.positions if p.is_current)

    @property
    def past_positions(self) -> tuple[PositionView, ...]:
        return tuple(p for p in self.positions if not p.is_current)


@dataclass(frozen=True)
class CityProfile:
    background: CityBackground
    home: CityRef | None
    past: tuple[TimelineEntry, ...]
    upcoming: tuple[TimelineEntry, ...]


def home_city(db: Session) -> m.City | None:
    return db.exec(select(m.City).where(m.City.is_home == sa.true())).first()


def _event_is_upcoming(event: EventView, today: date) -> bool:
    if event.status in ("held", "cancelled"):
        return False
    last = event.end_date or event.start_date
    return last is None or last >= today


def city_backgrounds(db: Session, city_ids) -> dict[int, CityBackground]:
    """The background of each city in ``city_ids``, in nine queries whatever their number."""
    ids = sorted({i for i in city_ids if i is not None})
    if not ids:
        return {}
    cities = {c.id: c for c in db.exec(select(m.City).where(m.City.id.in_(ids)))}
    relationships = list(db.exec(select(m.Relationship).where(m.Relationship.city_id.in_(ids))
                                 .order_by(m.Relationship.id)))
    memberships = list(db.exec(
        select(m.Membership, m.Network).join(m.Network, m.Network.id == m.Membership.network_id)
        .where(m.Membership.city_id.in_(ids)).order_by(m.Network.slug)))
    positions = list(db.exec(select(m.Position).where(m.Position.city_id.in_(ids))
                             .order_by(m.Position.ended, m.Position.id)))
    persons = ({p.id: p for p in db.exec(select(m.Person).where(
        m.Person.id.in_({p.person_id for p in positions if p.person_id})))}
        if any(p.person_id for p in positions) else {})
    # Events linking a city to the home city: held there, or with the city's people taking part.
    took_part = list(db.exec(
        select(m.Session.event_id, m.Position.city_id).distinct()
        .join(m.SessionParticipant, m.SessionParticipant.session_id == m.Session.id)
        .join(m.Position, m.Position.id == m.SessionParticipant.position_id)
        .where(m.Position.city_id.in_(ids))))
    registered = list(db.exec(
        select(m.Registration.event_id, m.Registration.city_id).distinct()
        .where(m.Registration.city_id.in_(ids))))
    event_cities: dict[int, set[int]] = defaultdict(set)
    for event_id, city_id in took_part + registered:
        event_cities[event_id].add(city_id)
    events = list(db.exec(select(m.Event).where(
        sa.or_(m.Event.city_id.in_(ids), m.Event.id.in_(list(event_cities) or [-1])))))
    venue_ids = {e.city_id for e in events if e.city_id and e.city_id not in cities}
    venues = dict(cities)
    if venue_ids:
        venues.update({c.id: c for c in db.exec(select(m.City).where(m.City.id.in_(venue_ids)))})
    milestones = list(db.exec(select(m.Milestone).where(m.Milestone.city_id.in_(ids))))

    result = {}
    for city_id, city in cities.items():
        ref = city_ref(city)
        own_positions = tuple(position_view(p, persons, cities, {}) for p in positions
                              if p.city_id == city_id)
        own_positions = tuple(sorted(own_positions, key=lambda p: not p.is_current))
        timeline: list[TimelineEntry] = []
        rels = tuple(RelationshipView(r.slug, r.kind, r.since, r.until, r.status, bitext(r, "notes"))
                     for r in relationships if r.city_id == city_id)
        for event in events:
            if event.city_id == city_id or city_id in event_cities.get(event.id, ()):
                view = event_view(event, venues.get(event.city_id))
                timeline.append(TimelineEntry("event", view.title, None, event.start_date,
                                              event.end_date, view))
        for milestone in milestones:
            if milestone.city_id == city_id:
                timeline.append(TimelineEntry("milestone", bitext(milestone, "title"), milestone.when,
                                              None, None, None, milestone.ongoing))
        result[city_id] = CityBackground(
            ref, bitext(city, "region"), bitext(city, "notes"), rels,
            tuple(MembershipView(NetworkRef(n.slug, bitext(n, "name"), bitext(n, "description"),
                                            n.founded),
                                 bitext(ms, "role"), ms.country, ms.start, ms.end, bitext(ms, "notes"))
                  for ms, n in memberships if ms.city_id == city_id),
            own_positions, tuple(sorted(timeline, key=lambda t: t.sort_key)))
    return result


def city_profile(engine: Engine, slug: str, today: date | None = None) -> CityProfile:
    """A city with its people, relationship, networks and exchanges, split at ``today``."""
    today = today or date.today()
    with Session(engine) as db:
        city = db.exec(select(m.City).where(m.City.slug == slug)).first()
        if city is None:
            raise NotFound(_("no city with slug {slug!r}").format(slug=slug))
        home = home_city(db)
        background = city_backgrounds(db, [city.id])[city.id]
    upcoming = tuple(t for t in background.timeline if t.event and _event_is_upcoming(t.event, today))
    past = tuple(t for t in background.timeline if t not in upcoming)
    return CityProfile(background, city_ref(home) if home else None, past, upcoming)


__all__ = ["RelationshipView", "NetworkRef", "MembershipView", "TimelineEntry", "CityBackground",
           "CityProfile", "city_backgrounds", "city_profile", "home_city"]
