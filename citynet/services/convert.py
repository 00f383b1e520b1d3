"""Turn ORM rows into the plain views of ``views.py`` (one place for each mapping)."""

from __future__ import annotations

from citynet.services.views import (
    BiText, CityRef, EventView, OrganisationRef, PersonRef, PositionView, SessionView, bitext,
)
from citynet.store import models as m


def city_ref(row: m.City) -> CityRef:
    return CityRef(row.id, row.slug, bitext(row, "name"), row.name_kana, row.country, row.timezone,
                   row.is_home)


def organisation_ref(row: m.Organisation) -> OrganisationRef:
    return OrganisationRef(row.id, row.slug, bitext(row, "name"), row.kind, row.country,
                           row.abbreviation)


def person_ref(row: m.Person) -> PersonRef:
    return PersonRef(row.id, row.slug, row.family_name_ja, row.given_name_ja, row.family_name_latin,
                     row.given_name_latin, row.name_kana, row.name_katakana, row.name_order,
                     bitext(row, "honorific"))


def position_view(row: m.Position, persons: dict, cities: dict, organisations: dict) -> PositionView:
    person = persons.get(row.person_id)
    city = cities.get(row.city_id)
    organisation = organisations.get(row.organisation_id)
    return PositionView(
        row.id, row.slug, bitext(row, "title"),
        person_ref(person) if person else None,
        city_ref(city) if city else None,
        organisation_ref(organisation) if organisation else None,
        row.start, row.end, row.ended)


def event_view(row: m.Event, city: m.City | None) -> EventView:
    return EventView(
        row.id, row.slug, row.kind, bitext(row, "title"), bitext(row, "theme"), row.start_date,
        row.end_date, row.starts_at, row.ends_at, row.timezone, city_ref(city) if city else None,
        bitext(row, "venue"), row.status, row.attend_start, row.attend_end, row.visibility,
        bitext(row, "notes"), row.revision, row.created_at, row.updated_at)


def session_view(row: m.Session, timezone: str, participants=(), organisation_roles=()) -> SessionView:
    return SessionView(
        row.id, row.slug, row.event_id, row.kind, bitext(row, "title"), bitext(row, "theme"),
        row.day, row.starts_at, row.ends_at, timezone, bitext(row, "room"), row.status,
        row.visibility, bitext(row, "notes"), row.revision, row.created_at, row.updated_at,
        tuple(participants), tuple(organisation_roles))


__all__ = ["BiText", "city_ref", "organisation_ref", "person_ref", "position_view", "event_view",
           "session_view"]
