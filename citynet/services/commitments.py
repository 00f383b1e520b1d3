"""Commitments: what was promised at a session, by whom, to whom, by when (the read model).

A commitment belongs to one session; it is made by a person (or by no one recorded) to a person,
a city or an organisation (at most one of the three, or none). Every function runs a fixed
number of queries and returns frozen views.

* **A city's commitments** (:func:`commitments_of_city`): those made to the city, to an
  organisation of the city, or by or to a person who holds or held a post of the city.
* **A person's commitments** (:func:`commitments_of_person`): those made by or to the person.
* **Where we last met** (:func:`last_meetings`): for a person, the last session before a day in
  which the person took part (in their own name or through a post they hold); for a city, the
  last session before that day in which someone holding a post of the city took part. The city
  an event is held in is *not* a meeting with that city by itself: being at a conference in Baku
  is not meeting Baku's people. Sessions that were cancelled, and sessions whose day is not
  known, are no meetings. The session's day is its local day (in the venue's zone).

Lists are ordered open first, then done, then dropped; within a status, the session's day newest
first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from citynet.errors import NotFound
from citynet.i18n import _
from citynet.services.convert import session_view
from citynet.services.tables import table_of
from citynet.services.views import BiText, CityRef, OrganisationRef, PersonRef
from citynet.store import models as m

STATUS_ORDER = {"open": 0, "done": 1, "dropped": 2}
# Sessions that never took place are no meetings.
NOT_MET = ("cancelled",)


@dataclass(frozen=True)
class CommitmentView:
    id: int
    revision: int
    text: BiText
    status: str  # open | done | dropped (COMMITMENT_STATUSES)
    due: str | None  # fuzzy date
    session_slug: str
    session_title: BiText
    session_day: date | None  # the session's local day
    event_slug: str
    event_title: BiText
    by: PersonRef | None
    to: PersonRef | CityRef | OrganisationRef | None

    @property
    def to_kind(self) -> str | None:
        """``person``, ``city`` or ``organisation`` (the record kind ``to`` is), or None."""
        if isinstance(self.to, PersonRef):
            return "person"
        if isinstance(self.to, CityRef):
            return "city"
        if isinstance(self.to, OrganisationRef):
            return "organisation"
        return None


@dataclass(frozen=True)
class Meeting:
    """The last session where we met a city or a person, with the commitments made at it by or
    to them (dropped ones too: a document leaves them out itself)."""

    session_slug: str
    session_title: BiText
    day: date
    event_slug: str
    event_title: BiText
    commitments: tuple[CommitmentView, ...] = ()


@dataclass(frozen=True)
class LastMeetings:
    cities: dict[int, Meeting] = field(default_factory=dict)  # city id → meeting
    persons: dict[int, Meeting] = field(default_factory=dict)  # person id → meeting


def _sort_key(view: CommitmentView) -> tuple:
    day = view.session_day
    return (STATUS_ORDER.get(view.status, 9), -(day.toordinal() if day else 0), view.id)


def read_commitments(c: Connection, where: sa.ColumnElement[bool]) -> tuple[CommitmentView, ...]:
    """The commitments matching ``where`` (a condition on ``Commitment``, ``Session`` or
    ``Event``), ordered: four queries (commitments with their sessions, then people, cities and
    organisations named, in one batch each)."""
    from citynet.services.details import _cities_by_id, _orgs_by_id, _persons_by_id

    cm, s, ev = m.Commitment, m.Session, m.Event
    session_columns = [column.label(f"s_{column.name}") for column in table_of(s).columns]
    rows = c.execute(
        sa.select(col(cm.id), col(cm.revision), col(cm.text_ja), col(cm.text_en), col(cm.status),
                  col(cm.due), col(cm.by_person_id), col(cm.to_person_id), col(cm.to_city_id),
                  col(cm.to_organisation_id), *session_columns,
                  sa.label("event_slug", col(ev.slug)), sa.label("event_title_ja", col(ev.title_ja)),
                  sa.label("event_title_en", col(ev.title_en)),
                  sa.label("event_timezone", col(ev.timezone)))
        .join(s, col(s.id) == col(cm.session_id)).join(ev, col(ev.id) == col(s.event_id))
        .where(where)).all()
    persons = _persons_by_id(c, [r.by_person_id for r in rows] + [r.to_person_id for r in rows])
    cities = _cities_by_id(c, (r.to_city_id for r in rows))
    orgs = _orgs_by_id(c, (r.to_organisation_id for r in rows))
    views = []
    for r in rows:
        session = session_view(_Prefixed(r, "s_"), r.event_timezone)
        to: PersonRef | CityRef | OrganisationRef | None = (
            persons.get(r.to_person_id) or cities.get(r.to_city_id) or orgs.get(r.to_organisation_id))
        views.append(CommitmentView(
            r.id, r.revision, BiText(r.text_ja, r.text_en), r.status, r.due, session.slug,
            session.title, session.local_day, r.event_slug,
            BiText(r.event_title_ja, r.event_title_en), persons.get(r.by_person_id), to))
    return tuple(sorted(views, key=_sort_key))


class _Prefixed:
    """A row's ``s_``-prefixed columns read under their own names (for ``session_view``)."""

    def __init__(self, row, prefix: str) -> None:
        self._row, self._prefix = row, prefix

    def __getattr__(self, name: str):
        return getattr(self._row, self._prefix + name)


def _holders_of(city_ids: Iterable[int]) -> sa.Select:
    """People who hold or held a post of these cities."""
    return sa.select(col(m.Position.person_id)).where(
        col(m.Position.city_id).in_(list(city_ids)), col(m.Position.person_id).is_not(None))


def _of_city(city_id: int) -> sa.ColumnElement[bool]:
    cm, org = m.Commitment, m.Organisation
    holders = _holders_of([city_id])
    return sa.or_(col(cm.to_city_id) == city_id,
                  col(cm.to_organisation_id).in_(sa.select(col(org.id)).where(col(org.city_id) == city_id)),
                  col(cm.by_person_id).in_(holders), col(cm.to_person_id).in_(holders))


def _of_person(person_id: int) -> sa.ColumnElement[bool]:
    cm = m.Commitment
    return sa.or_(col(cm.by_person_id) == person_id, col(cm.to_person_id) == person_id)


def commitments_where(scope: str, record_id: int) -> sa.ColumnElement[bool]:
    """The condition for the commitments of a ``city`` or a ``person`` (for
    :func:`read_commitments` inside a reader's own connection, as the detail screens do)."""
    return _of_city(record_id) if scope == "city" else _of_person(record_id)


def _id_of(c: Connection, model, what: str, slug: str) -> int:
    found = c.execute(sa.select(model.__table__.c.id).where(model.__table__.c.slug == slug)).scalar()
    if found is None:
        raise NotFound(_("no {what} with slug {slug!r}").format(what=what, slug=slug))
    return int(found)


def commitments_of_city(engine: Engine, slug: str) -> tuple[CommitmentView, ...]:
    """Commitments made to the city, to one of its organisations, or by or to one of its
    (present or past) post-holders."""
    with engine.connect() as c:
        return read_commitments(c, _of_city(_id_of(c, m.City, "city", slug)))


def commitments_of_person(engine: Engine, slug: str) -> tuple[CommitmentView, ...]:
    """Commitments made by or to the person."""
    with engine.connect() as c:
        return read_commitments(c, _of_person(_id_of(c, m.Person, "person", slug)))


def commitments_of_session(engine: Engine, slug: str) -> tuple[CommitmentView, ...]:
    """Commitments made at the session."""
    with engine.connect() as c:
        return read_commitments(c, col(m.Commitment.session_id) == _id_of(c, m.Session, "session", slug))


def all_commitments(engine: Engine, event: str | None = None) -> tuple[CommitmentView, ...]:
    """Every commitment, or those made at the sessions of one event (by slug)."""
    with engine.connect() as c:
        where: sa.ColumnElement[bool] = sa.true()
        if event is not None:
            where = col(m.Event.id) == _id_of(c, m.Event, "event", event)
        return read_commitments(c, where)


# --- where we last met ----------------------------------------------------------------------------


def last_meetings(engine: Engine, *, city_ids: Iterable[int] = (), person_ids: Iterable[int] = (),
                  before: date) -> LastMeetings:
    """Per city and per person, the last session before ``before`` (a local day) where we met
    them (see the module's account), with the commitments made at it that concern them (as
    :func:`commitments_of_city` and :func:`commitments_of_person` count them). Three queries
    whatever the number of cities and people, plus those of :func:`read_commitments`."""
    cities, persons = set(city_ids), set(person_ids)
    if not cities and not persons:
        return LastMeetings()
    sp, pos, s, ev = m.SessionParticipant, m.Position, m.Session, m.Event
    who = sa.func.coalesce(col(sp.person_id), col(pos.person_id))
    ties = []
    if persons:
        ties.append(who.in_(persons))
    if cities:
        ties.append(col(pos.city_id).in_(cities))
    # A coarse bound in SQL (an instant a day past ``before`` in UTC covers every zone's
    # ``before``); the local day is decided below, in the venue's zone.
    bound = datetime.combine(before + timedelta(days=1), time(0), tzinfo=timezone.utc)
    with engine.connect() as c:
        rows = c.execute(
            sa.select(*[column.label(f"s_{column.name}") for column in table_of(s).columns],
                      sa.label("person_id", who), sa.label("city_id", col(pos.city_id)),
                      sa.label("event_slug", col(ev.slug)),
                      sa.label("event_title_ja", col(ev.title_ja)),
                      sa.label("event_title_en", col(ev.title_en)),
                      sa.label("event_timezone", col(ev.timezone)))
            .select_from(sp).join(s, col(s.id) == col(sp.session_id))
            .join(ev, col(ev.id) == col(s.event_id))
            .outerjoin(pos, col(pos.id) == col(sp.position_id))
            .where(sa.or_(*ties), col(s.status).not_in(NOT_MET),
                   sa.or_(col(s.starts_at) < bound, sa.and_(col(s.starts_at).is_(None),
                                                            col(s.day) < before)))).all()
        best: dict[tuple[str, int], tuple[tuple, Meeting]] = {}
        for r in rows:
            session = session_view(_Prefixed(r, "s_"), r.event_timezone)
            day = session.local_day
            if day is None or day >= before:
                continue
            meeting = Meeting(session.slug, session.title, day, r.event_slug,
                              BiText(r.event_title_ja, r.event_title_en))
            rank = (day, session.starts_at or datetime.min.replace(tzinfo=timezone.utc), session.id)
            keys = []
            if r.person_id in persons:
                keys.append(("person", r.person_id))
            if r.city_id in cities:
                keys.append(("city", r.city_id))
            for key in keys:
                if key not in best or best[key][0] < rank:
                    best[key] = (rank, meeting)
        if not best:
            return LastMeetings()
        met_sessions = {meeting.session_slug for _rank, meeting in best.values()}
        made = read_commitments(c, col(s.slug).in_(met_sessions))
        holders: dict[int, set[int]] = {}
        organisations: dict[int, set[int]] = {}
        if cities:
            for row in c.execute(sa.select(col(pos.person_id), col(pos.city_id))
                                 .where(col(pos.city_id).in_(cities),
                                        col(pos.person_id).is_not(None))):
                holders.setdefault(row.city_id, set()).add(row.person_id)
            org = m.Organisation
            for row in c.execute(sa.select(col(org.id), col(org.city_id))
                                 .where(col(org.city_id).in_(cities))):
                organisations.setdefault(row.city_id, set()).add(row.id)
    found = LastMeetings()
    for (kind, record_id), (_rank, meeting) in sorted(best.items()):
        at = [x for x in made if x.session_slug == meeting.session_slug]
        if kind == "person":
            mine = [x for x in at if _concerns_person(x, record_id)]
            found.persons[record_id] = _with(meeting, mine)
        else:
            mine = [x for x in at if _concerns_city(x, record_id, holders.get(record_id, set()),
                                                    organisations.get(record_id, set()))]
            found.cities[record_id] = _with(meeting, mine)
    return found


def _with(meeting: Meeting, commitments: list[CommitmentView]) -> Meeting:
    return Meeting(meeting.session_slug, meeting.session_title, meeting.day, meeting.event_slug,
                   meeting.event_title, tuple(commitments))


def _concerns_person(view: CommitmentView, person_id: int) -> bool:
    return ((view.by is not None and view.by.id == person_id)
            or (isinstance(view.to, PersonRef) and view.to.id == person_id))


def _concerns_city(view: CommitmentView, city_id: int, holders: set[int],
                   organisations: set[int]) -> bool:
    """As :func:`commitments_of_city` counts them: to the city or one of its organisations, or
    by or to one of its post-holders."""
    if isinstance(view.to, CityRef):
        return view.to.id == city_id
    if isinstance(view.to, OrganisationRef) and view.to.id in organisations:
        return True
    if isinstance(view.to, PersonRef) and view.to.id in holders:
        return True
    return view.by is not None and view.by.id in holders


__all__ = ["CommitmentView", "Meeting", "LastMeetings", "read_commitments", "commitments_of_city",
           "commitments_of_person", "commitments_of_session", "commitments_where", "all_commitments",
           "last_meetings",
           "STATUS_ORDER"]
