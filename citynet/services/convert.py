"""Turn rows into the plain views of ``views.py`` (one place for each mapping).

Each converter takes an ORM record or a Core row with the same column names (the calendars read
whole tables as Core rows; the lists select :data:`CITY_COLUMNS`, :data:`PERSON_COLUMNS` or
:data:`ORGANISATION_COLUMNS`), hence ``Any`` for the row.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col

from citynet.services.labels import city_ref, person_ref
from citynet.services.views import (
    EventView, OrganisationRef, PositionView, SessionView, bitext,
)
from citynet.store import models as m

# The columns each ref is made of, for Core SELECTs (no ORM instance per row).
CITY_COLUMNS = (col(m.City.id), col(m.City.slug), col(m.City.name_ja), col(m.City.name_en),
                col(m.City.name_kana), col(m.City.country), col(m.City.timezone),
                col(m.City.is_home))
PERSON_COLUMNS = (col(m.Person.id), col(m.Person.slug), col(m.Person.family_name_ja),
                  col(m.Person.given_name_ja), col(m.Person.family_name_latin),
                  col(m.Person.given_name_latin), col(m.Person.name_kana),
                  col(m.Person.name_katakana), col(m.Person.name_order),
                  col(m.Person.honorific_ja), col(m.Person.honorific_en))
ORGANISATION_COLUMNS = (col(m.Organisation.id), col(m.Organisation.slug),
                        col(m.Organisation.name_ja), col(m.Organisation.name_en),
                        col(m.Organisation.kind), col(m.Organisation.country),
                        col(m.Organisation.abbreviation))


def organisation_ref(row: Any) -> OrganisationRef:
    return OrganisationRef(row.id, row.slug, bitext(row, "name"), row.kind, row.country,
                           row.abbreviation)


def position_view(row: Any, persons: dict, cities: dict, organisations: dict) -> PositionView:
    person = persons.get(row.person_id)
    city = cities.get(row.city_id)
    organisation = organisations.get(row.organisation_id)
    return PositionView(
        row.id, row.slug, bitext(row, "title"),
        person_ref(person) if person else None,
        city_ref(city) if city else None,
        organisation_ref(organisation) if organisation else None,
        row.start, row.end, row.ended, bitext(row, "notes"), row.as_of)


def event_view(row: Any, city: Any) -> EventView:
    return EventView(
        row.id, row.slug, row.uuid, row.kind, bitext(row, "title"), bitext(row, "theme"), row.start_date,
        row.end_date, row.starts_at, row.ends_at, row.timezone, city_ref(city) if city else None,
        bitext(row, "venue"), row.status, row.attend_start, row.attend_end, row.visibility,
        bitext(row, "notes"), row.revision, row.created_at, row.updated_at)


def session_view(row: Any, timezone: str, participants=(), organisation_roles=()) -> SessionView:
    return SessionView(
        row.id, row.slug, row.uuid, row.event_id, row.kind, bitext(row, "title"), bitext(row, "theme"),
        row.day, row.starts_at, row.ends_at, timezone, bitext(row, "room"), row.status,
        row.visibility, bitext(row, "notes"), row.revision, row.created_at, row.updated_at,
        tuple(participants), tuple(organisation_roles))


__all__ = ["CITY_COLUMNS", "PERSON_COLUMNS", "ORGANISATION_COLUMNS", "city_ref", "organisation_ref",
           "person_ref", "position_view", "event_view", "session_view"]
