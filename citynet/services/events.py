"""Events with their sessions, participants, organisation roles and participation totals.

Each function runs a fixed number of queries, whatever the number of sessions or participants.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from citynet.i18n import _
from citynet.errors import NotFound
from citynet.services.convert import (
    event_view, organisation_ref, person_ref, position_view, session_view,
)
from citynet.services.views import (
    EventDetail, EventView, OrganisationRoleView, ParticipantView, TotalsView, bitext,
)
from citynet.store import models as m


def _by_id(db: Session, model, ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {row.id: row for row in db.exec(select(model).where(model.id.in_(ids)))}


def get_event(db: Session, slug: str) -> m.Event:
    event = db.exec(select(m.Event).where(col(m.Event.slug) == slug)).first()
    if event is None:
        raise NotFound(_("no event with slug {slug!r}").format(slug=slug))
    return event


def event_detail(engine: Engine, slug: str) -> EventDetail:
    """An event with everything a timetable, a briefing or a calendar needs."""
    with Session(engine) as db:
        event = get_event(db, slug)
        sessions = list(db.exec(select(m.Session).where(col(m.Session.event_id) == event.id)))
        session_ids = [s.id for s in sessions]
        participant_rows = list(db.exec(
            select(m.SessionParticipant).where(col(m.SessionParticipant.session_id).in_(session_ids))
            .order_by(col(m.SessionParticipant.session_id), col(m.SessionParticipant.sort_order),
                      col(m.SessionParticipant.id)))) if session_ids else []
        role_rows = list(db.exec(
            select(m.OrganisationRole).where(col(m.OrganisationRole.event_id) == event.id)
            .order_by(col(m.OrganisationRole.sort_order), col(m.OrganisationRole.id))))
        positions = _by_id(db, m.Position, (p.position_id for p in participant_rows))
        persons = _by_id(db, m.Person, [p.person_id for p in participant_rows]
                         + [p.person_id for p in positions.values()])
        organisations = _by_id(db, m.Organisation, [r.organisation_id for r in role_rows]
                               + [p.organisation_id for p in positions.values()])
        cities = _by_id(db, m.City, [p.city_id for p in positions.values()] + [event.city_id])
        totals = participation_totals_in(db, event)

        position_views = {pid: position_view(p, persons, cities, organisations)
                          for pid, p in positions.items()}
        participants_by_session: defaultdict[int | None, list[ParticipantView]] = defaultdict(list)
        for row in participant_rows:
            person = persons.get(row.person_id)
            participants_by_session[row.session_id].append(ParticipantView(
                row.role, row.sort_order, person_ref(person) if person else None,
                position_views.get(row.position_id), bitext(row, "capacity")))
        roles_by_session: defaultdict[int | None, list[OrganisationRoleView]] = defaultdict(list)
        event_roles: list[OrganisationRoleView] = []
        for role in role_rows:
            view = OrganisationRoleView(role.role, role.sort_order,
                                        organisation_ref(organisations[role.organisation_id]),
                                        role.session_id)
            (roles_by_session[role.session_id] if role.session_id else event_roles).append(view)
        session_views = sorted(
            (session_view(s, event.timezone, participants_by_session[s.id], roles_by_session[s.id])
             for s in sessions),
            key=session_sort_key)
        return EventDetail(event_view(event, cities.get(event.city_id)), tuple(session_views),
                           tuple(event_roles), totals)


def session_sort_key(session) -> tuple:
    """Timed sessions in time order, then day-only sessions by day, then unknown times."""
    day = session.local_day
    return (day is None, day.toordinal() if day else 0, session.starts_at is None,
            session.starts_at.timestamp() if session.starts_at else 0, session.slug)


def participation_totals_in(db: Session, event: m.Event) -> TotalsView | None:
    """The recorded totals of a past event, else totals counted from its registrations."""
    recorded = db.exec(select(m.ParticipationTotals)
                       .where(col(m.ParticipationTotals.event_id) == event.id)).first()
    if recorded is not None:
        return TotalsView(recorded.total, recorded.overseas_countries, recorded.overseas_cities,
                          recorded.domestic_cities, recorded.organisations, recorded.sponsors,
                          computed=False)
    r = m.Registration
    category = col(r.category)

    def distinct_where(kind: str, column: Any) -> Any:
        return sa.func.count(sa.distinct(sa.case((category == kind, col(column)))))

    row = db.connection().execute(sa.select(
        sa.func.count(col(r.id)),
        distinct_where("overseas_city", r.country),
        distinct_where("overseas_city", r.city_id),
        distinct_where("domestic_city", r.city_id),
        distinct_where("organisation", r.organisation_id),
    ).where(col(r.event_id) == event.id)).one()
    if row[0] == 0:
        return None
    return TotalsView(row[0], row[1], row[2], row[3], row[4], None, computed=True)


def participation_totals(engine: Engine, slug: str) -> TotalsView | None:
    with Session(engine) as db:
        return participation_totals_in(db, get_event(db, slug))


def list_events(engine: Engine, *, visibility: tuple[str, ...] | None = None) -> list[EventView]:
    """All events, dated ones first in date order."""
    with Session(engine) as db:
        query = select(m.Event)
        if visibility is not None:
            query = query.where(col(m.Event.visibility).in_(visibility))
        events = list(db.exec(query))
        cities = _by_id(db, m.City, (e.city_id for e in events))
    views = [event_view(e, cities.get(e.city_id)) for e in events]
    return sorted(views, key=lambda e: (e.start_date is None, e.start_date or 0, e.slug))

