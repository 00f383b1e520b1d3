"""One definition of each read concept the terminal UI, the PDFs and the calendars share.

* **The events of a city** (:func:`city_event_links`, :func:`events_of_city`): events held in the
  city, or with a participant holding one of its positions, an organisation of the city taking a
  role, or a registration from the city. The city detail of the UI, the city profile and the
  briefing backgrounds of the PDFs and the city (and network) calendars all ask this one query;
  a calendar asks it for its audience (``public`` or ``internal``), and then only the links that
  audience may see count (:func:`link_seen_by`): a participant of a session it may see, an
  organisation's role in the whole event or in such a session, and — internal calendars only —
  a registration (registrations are never published). A public event whose only tie to a city is
  a post-holder in an internal session is not in the city's public calendar.
* **An event's timing** (:func:`event_timing`, :func:`date_not_recorded`): past, upcoming or
  undated, from its status and dates. A held or cancelled event is past whatever its dates; one
  without dates is past with its date *not recorded* (not "to be confirmed": nothing is left to
  confirm). A planned, confirmed or postponed event without dates is undated, neither upcoming
  nor past. Otherwise the last day decides: before today is past, today or later upcoming.
* **A person's label** (:func:`person_label`) and **a city's label** (:func:`city_label`): the
  bilingual name shown for the record in lists, pickers, search hits and recent changes.

Plain functions over values and SQL expressions; no session, no ORM rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import col

from citynet.services.labels import city_label, person_label
from citynet.store import models as m

Timing = Literal["past", "upcoming", "undated"]
TIMINGS: tuple[Timing, ...] = ("past", "upcoming", "undated")
# Statuses that mean the event is over, whatever its dates say.
OVER = ("held", "cancelled")


# --- the events of a city -----------------------------------------------------------------------

# The record visibilities each calendar audience may see (``confidential``: never in a calendar).
AUDIENCE_VISIBILITIES: dict[str, tuple[str, ...]] = {"public": ("public",),
                                                     "internal": ("public", "internal")}
# The audiences that may see registrations (who signed up is never published).
REGISTRATIONS_SEEN_BY = ("internal",)


def link_seen_by(audience: str | None) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool], bool]:
    """What ties an event to a body for ``audience`` (None: staff, every tie):
    (a condition on ``Session`` for a participant's session, a condition on ``OrganisationRole``
    for a role — in the whole event or in a session the audience may see —, whether
    registrations count)."""
    if audience is None:
        return sa.true(), sa.true(), True
    seen = AUDIENCE_VISIBILITIES[audience]
    s, role = m.Session, m.OrganisationRole
    session_seen = col(s.visibility).in_(seen)
    role_seen = sa.or_(col(role.session_id).is_(None),
                       col(role.session_id).in_(sa.select(col(s.id)).where(session_seen)))
    return session_seen, role_seen, audience in REGISTRATIONS_SEEN_BY


def city_event_links(city_ids: Iterable[int] | sa.Select[Any],
                     audience: str | None = None) -> sa.CompoundSelect[Any]:
    """``(event_id, city_id)`` for every event of any of ``city_ids`` (a list, or a SELECT of ids).

    An event is *of* a city when it is held in the city (``event.city_id``), when a participant of
    one of its sessions holds a position at the city, when an organisation of the city has a role
    in it, or when a registration comes from the city. Each pair appears once. With an
    ``audience`` only the ties it may see count (:func:`link_seen_by`); the event's own
    visibility is the caller's to check.
    """
    ids = city_ids if isinstance(city_ids, sa.Select) else list(city_ids)
    ev, s, sp, pos = m.Event, m.Session, m.SessionParticipant, m.Position
    role, org, reg = m.OrganisationRole, m.Organisation, m.Registration
    def pair(event_id: Any, city_id: Any) -> sa.Select[Any]:
        return sa.select(sa.label("event_id", col(event_id)), sa.label("city_id", col(city_id)))

    session_seen, role_seen, registrations = link_seen_by(audience)
    held_in = pair(ev.id, ev.city_id).where(col(ev.city_id).in_(ids))
    took_part = (pair(s.event_id, pos.city_id)
                 .join(sp, col(sp.session_id) == col(s.id))
                 .join(pos, col(pos.id) == col(sp.position_id))
                 .where(col(pos.city_id).in_(ids), session_seen))
    organised = (pair(role.event_id, org.city_id)
                 .join(org, col(org.id) == col(role.organisation_id))
                 .where(col(org.city_id).in_(ids), role_seen))
    registered = pair(reg.event_id, reg.city_id).where(col(reg.city_id).in_(ids))
    return sa.union(held_in, took_part, organised, *([registered] if registrations else []))


def events_of_city(city_ids: Iterable[int] | sa.Select[Any],
                   audience: str | None = None) -> sa.Select[Any]:
    """A SELECT of the ids of the events of any of ``city_ids`` (see :func:`city_event_links`),
    for ``Event.id.in_(...)``; with an ``audience``, through the ties it may see."""
    links = city_event_links(city_ids, audience).subquery("city_event")
    return sa.select(links.c.event_id).distinct()


def events_of_organisations(organisation_ids: Iterable[int] | sa.Select[Any] | sa.CompoundSelect[Any],
                            audience: str | None = None) -> list[sa.Select[Any]]:
    """SELECTs (to be joined by UNION) of the ids of the events tied to these organisations: a
    role in the event, a participant holding a position at one of them, a registration from one
    of them (the same ties as a city's; with an ``audience``, those it may see)."""
    ids = organisation_ids if isinstance(organisation_ids, (sa.Select, sa.CompoundSelect)) \
        else list(organisation_ids)
    role, s, sp, pos, reg = (m.OrganisationRole, m.Session, m.SessionParticipant, m.Position,
                             m.Registration)
    session_seen, role_seen, registrations = link_seen_by(audience)
    roles = sa.select(col(role.event_id)).where(col(role.organisation_id).in_(ids), role_seen)
    took_part = (sa.select(col(s.event_id)).join(sp, col(sp.session_id) == col(s.id))
                 .join(pos, col(pos.id) == col(sp.position_id))
                 .where(col(pos.organisation_id).in_(ids), session_seen))
    registered = sa.select(col(reg.event_id)).where(col(reg.organisation_id).in_(ids))
    return [roles, took_part, *([registered] if registrations else [])]


def events_of_network(network_id: int, network_slug: str,
                      audience: str | None = None) -> sa.Select[Any]:
    """A SELECT of the ids of the events *of* a network: events recorded as the network's own
    (``event.network_id``), and events of a member city or of a member organisation
    (:func:`events_of_city`, :func:`events_of_organisations`). The organisation with
    the network's own slug (its secretariat, e.g. ``iclei``) counts as a member. The home city
    is left out of the members: it belongs to every network it is in and takes part in nearly
    every event, so counting it would make every network's events the home city's."""
    ms = m.Membership
    home = sa.select(col(m.City.id)).where(col(m.City.is_home) == sa.true())
    member_cities = sa.select(col(ms.city_id)).where(
        col(ms.network_id) == network_id, col(ms.city_id).is_not(None), col(ms.city_id).not_in(home))
    member_orgs = sa.union(
        sa.select(col(ms.organisation_id)).where(col(ms.network_id) == network_id,
                                                 col(ms.organisation_id).is_not(None)),
        sa.select(col(m.Organisation.id)).where(col(m.Organisation.slug) == network_slug))
    own = sa.select(col(m.Event.id)).where(col(m.Event.network_id) == network_id)
    events = sa.union(own, events_of_city(member_cities, audience),
                      *events_of_organisations(member_orgs, audience)).subquery("network_event")
    return sa.select(events.c[0]).distinct()


# --- past, upcoming, undated --------------------------------------------------------------------


def event_timing(status: str, start_date: date | None, end_date: date | None,
                 today: date) -> Timing:
    """"past", "upcoming" or "undated" (see the module's docstring for the rule)."""
    if status in OVER:
        return "past"
    last = end_date or start_date
    if last is None:
        return "undated"
    return "past" if last < today else "upcoming"


def date_not_recorded(status: str, start_date: date | None, end_date: date | None = None) -> bool:
    """True for an event that is over (held or cancelled) without dates: it is listed as past,
    and its dates read "date not recorded" rather than "to be confirmed"."""
    return status in OVER and start_date is None and end_date is None


__all__ = ["Timing", "TIMINGS", "OVER", "AUDIENCE_VISIBILITIES", "REGISTRATIONS_SEEN_BY",
           "link_seen_by", "city_event_links", "events_of_city", "events_of_organisations",
           "events_of_network", "event_timing",
           "date_not_recorded", "person_label", "city_label"]
