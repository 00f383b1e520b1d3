"""What a change in the store may alter in the calendars: the feeds follow the store with it.

Every write appends a ``change`` row (kind, record id, action, the changed fields' old and new
values; a delete keeps every old value). :func:`changes_after` reads the rows a feed directory
has not seen; :func:`reach_of` turns them into a :class:`Reach`:

* ``events``: events whose calendar entries may read differently (the event, its sessions,
  their participants, the participants' posts, persons and bodies, the organisations with a
  role, the event's city: everything a calendar entry shows or stamps);
* ``tied``: events whose ties to cities and networks, or visibility, or place in calendar
  order, may have changed (what ``readmodel.events_of_city`` and ``events_of_network`` read);
* ``cities``, ``organisations``, ``networks``, ``network_slugs``: bodies whose calendars may hold
  other events or another title;
* ``listing``: the list of feeds itself may differ (an event, city, network or relationship was
  written: ``calendar.event_slugs``, ``partner_city_slugs``, ``network_slugs`` read nothing else);
* ``full``: a change that cannot be mapped safely (a restore, the home city — its zone is in
  every description and it is left out of every network —, a kind calendars never heard of, a
  record gone without a trace): every calendar is rebuilt.

The reach is a superset: a caller recomputes each calendar it reaches with the calendars' own
queries and keeps those that come out the same. Kinds no calendar reads (projects, key figures,
milestones, participation totals, commitments, releases) reach nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from citynet.services.tables import table_of
from citynet.store import models as m

# Kinds no calendar reads, neither for its entries nor for which events it holds.
UNREAD_KINDS = frozenset({"participation_totals", "milestone", "project", "project_partner",
                          "key_figure", "commitment", "release"})
# Kinds whose rows say which feeds there are (their slugs, visibility, the home city, partners).
LISTING_KINDS = frozenset({"event", "city", "network", "relationship"})
_CHUNK = 500  # ids per IN (…)
# The kinds whose rows a reach may need to read, by the change table's kind.
_MODELS: dict[str, Any] = {
    "city": m.City, "organisation": m.Organisation, "network": m.Network, "membership": m.Membership,
    "relationship": m.Relationship, "person": m.Person, "position": m.Position, "event": m.Event,
    "session": m.Session, "participant": m.SessionParticipant,
    "organisation_role": m.OrganisationRole, "registration": m.Registration,
}


@dataclass(frozen=True)
class ChangeRow:
    id: int
    kind: str
    record_id: int
    action: str
    changes: str


@dataclass
class Reach:
    full: bool = False
    events: set[int] = field(default_factory=set)
    tied: set[int] = field(default_factory=set)
    cities: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    networks: set[int] = field(default_factory=set)
    network_slugs: set[str] = field(default_factory=set)
    listing: bool = False

    @property
    def empty(self) -> bool:
        return not (self.full or self.events or self.tied or self.cities or self.organisations
                    or self.networks or self.network_slugs or self.listing)


def last_change(engine: Engine) -> tuple[int, str] | None:
    """(id, fingerprint) of the newest change row, or None: a feed directory built up to it
    checks the row is still there, the same, before it trusts what it built (a restore or a
    reloaded demo starts the history again)."""
    table = table_of(m.Change)
    with engine.connect() as c:
        row = c.execute(sa.select(table.c.id, table.c.at, table.c.kind, table.c.record_id,
                                  table.c.action).order_by(table.c.id.desc()).limit(1)).first()
    return None if row is None else (row.id, _fingerprint(row))


def change_fingerprint(engine: Engine, change_id: int) -> str | None:
    """The fingerprint of change row ``change_id`` (see :func:`last_change`), None if none."""
    table = table_of(m.Change)
    with engine.connect() as c:
        row = c.execute(sa.select(table.c.id, table.c.at, table.c.kind, table.c.record_id,
                                  table.c.action).where(table.c.id == change_id)).first()
    return None if row is None else _fingerprint(row)


def _fingerprint(row) -> str:
    at = row.at.isoformat() if hasattr(row.at, "isoformat") else str(row.at)
    return f"{at}|{row.kind}|{row.record_id}|{row.action}"


def change_marks(engine: Engine, after: int) -> tuple[int, int]:
    """(the newest change id, how many change rows lie after id ``after``): two index lookups a
    server polls to know the store moved (0 rows: none). The count sees a row committed late
    below the newest id (PostgreSQL), which the newest id alone would not."""
    table = table_of(m.Change)
    with engine.connect() as c:
        row = c.execute(sa.select(
            sa.select(sa.func.max(table.c.id)).scalar_subquery(),
            sa.select(sa.func.count()).select_from(table).where(table.c.id > after).scalar_subquery())).one()
    return row[0] or 0, row[1] or 0


def changes_after(engine: Engine, after: int, also: Iterable[int] = ()) -> list[ChangeRow]:
    """The change rows after id ``after``, and those among ``also`` (ids below it that were not
    yet committed when last read: on PostgreSQL a sequence hands ids out before commit, so a
    row may appear below one already seen), in id order."""
    table = table_of(m.Change)
    columns = (table.c.id, table.c.kind, table.c.record_id, table.c.action, table.c.changes)
    rows: list[Any] = []
    with engine.connect() as c:
        rows += c.execute(sa.select(*columns).where(table.c.id > after)).all()
        also = sorted(set(also))
        for first in range(0, len(also), _CHUNK):
            rows += c.execute(sa.select(*columns).where(table.c.id.in_(also[first:first + _CHUNK]))).all()
    return sorted((ChangeRow(r.id, r.kind, r.record_id, r.action, r.changes or "{}") for r in rows),
                  key=lambda r: r.id)


class _Lookup:
    """Rows as they are now, or as their delete left them (the change row of a delete holds
    every old value), read in a few IN queries."""

    def __init__(self, c: Connection) -> None:
        self.c = c
        self.rows: dict[tuple[str, int], dict | None] = {}

    def load(self, kind: str, ids: Iterable[int]) -> None:
        wanted = sorted({i for i in ids if isinstance(i, int)} - {i for k, i in self.rows if k == kind})
        if not wanted:
            return
        table = table_of(_MODELS[kind])
        for first in range(0, len(wanted), _CHUNK):
            chunk = wanted[first:first + _CHUNK]
            for row in self.c.execute(sa.select(table).where(table.c.id.in_(chunk))).mappings():
                self.rows[(kind, row["id"])] = dict(row)
            gone = [i for i in chunk if (kind, i) not in self.rows]
            if gone:
                changes = table_of(m.Change)
                for deleted in self.c.execute(sa.select(changes.c.record_id, changes.c.changes).where(
                        changes.c.kind == kind, changes.c.action == "delete",
                        changes.c.record_id.in_(gone)).order_by(changes.c.id)):
                    values = json.loads(deleted.changes or "{}")
                    self.rows[(kind, deleted.record_id)] = {
                        name: pair[0] for name, pair in values.items() if isinstance(pair, list) and len(pair) == 2}
            for i in chunk:
                self.rows.setdefault((kind, i), None)

    def get(self, kind: str, record_id: int) -> dict | None:
        self.load(kind, [record_id])
        return self.rows[(kind, record_id)]


class _Unmappable(Exception):
    pass


def _ids(values: Iterable[Any]) -> set[int]:
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


def _select_ids(c: Connection, query_for, ids: set[int]) -> set[int]:
    found: set[int] = set()
    ordered = sorted(ids)
    for first in range(0, len(ordered), _CHUNK):
        found.update(c.execute(query_for(ordered[first:first + _CHUNK])).scalars())
    return found


def reach_of(engine: Engine, changes: list[ChangeRow]) -> Reach:
    """What ``changes`` may alter in the calendars (see the module's docstring)."""
    reach = Reach()
    try:
        with engine.connect() as c:
            _reach(c, changes, reach)
    except _Unmappable:
        return Reach(full=True)
    return reach


def _reach(c: Connection, changes: list[ChangeRow], reach: Reach) -> None:
    lookup = _Lookup(c)
    # field → its old and new values, per change; plus the record as it is now (or was).
    by_kind: dict[str, list[tuple[ChangeRow, dict]]] = defaultdict(list)
    for change in changes:
        if change.kind in UNREAD_KINDS:
            continue
        if change.kind not in _MODELS or change.action not in ("create", "update", "delete"):
            raise _Unmappable  # a restore, or a kind no one taught the feeds
        try:
            values = json.loads(change.changes)
        except ValueError:
            raise _Unmappable from None
        if not isinstance(values, dict):
            raise _Unmappable
        by_kind[change.kind].append((change, values))
        reach.listing |= change.kind in LISTING_KINDS
    for kind, items in by_kind.items():
        lookup.load(kind, [change.record_id for change, _values in items])

    def refs(kind: str, change: ChangeRow, values: dict, name: str) -> set[Any]:
        found: set[Any] = set()
        pair = values.get(name)
        if isinstance(pair, list):
            found.update(pair)
        current = lookup.get(kind, change.record_id)
        if current is not None:
            found.add(current.get(name))
        elif change.action != "delete" and name not in values:
            raise _Unmappable  # gone, and no delete row to say what it was
        found.discard(None)
        return found

    sp, pos, role, s, ev = (table_of(m.SessionParticipant), table_of(m.Position),
                            table_of(m.OrganisationRole), table_of(m.Session), table_of(m.Event))
    persons: set[int] = set()
    positions: set[int] = set()
    sessions: set[int] = set()
    held_in: set[int] = set()  # cities whose held events and post-holders' entries show its name
    organisations_shown: set[int] = set()

    for kind, items in by_kind.items():
        for change, values in items:
            rid = change.record_id
            if kind == "city":
                if True in refs(kind, change, values, "is_home"):
                    raise _Unmappable  # the home zone is in every description
                reach.cities.add(rid)
                held_in.add(rid)
            elif kind == "organisation":
                reach.organisations.add(rid)
                organisations_shown.add(rid)
                reach.cities.update(_ids(refs(kind, change, values, "city_id")))
                reach.network_slugs.update(str(v) for v in refs(kind, change, values, "slug"))
            elif kind == "network":
                reach.networks.add(rid)
                reach.network_slugs.update(str(v) for v in refs(kind, change, values, "slug"))
            elif kind == "membership":
                reach.networks.update(_ids(refs(kind, change, values, "network_id")))
            elif kind == "relationship":
                reach.cities.update(_ids(refs(kind, change, values, "city_id")))
            elif kind == "person":
                persons.add(rid)
            elif kind == "position":
                positions.add(rid)
                reach.cities.update(_ids(refs(kind, change, values, "city_id")))
                reach.organisations.update(_ids(refs(kind, change, values, "organisation_id")))
            elif kind == "event":
                reach.events.add(rid)
                reach.tied.add(rid)
                reach.cities.update(_ids(refs(kind, change, values, "city_id")))
                # the network whose own event it is (readmodel.events_of_network), before and after
                reach.networks.update(_ids(refs(kind, change, values, "network_id")))
            elif kind == "session":
                found = _ids(refs(kind, change, values, "event_id"))
                reach.events.update(found)
                reach.tied.update(found)
            elif kind == "participant":
                sessions.update(_ids(refs(kind, change, values, "session_id")))
                for position_id in _ids(refs(kind, change, values, "position_id")):
                    position = lookup.get("position", position_id)
                    if position is None:
                        raise _Unmappable
                    reach.cities.update(_ids([position.get("city_id")]))
                    reach.organisations.update(_ids([position.get("organisation_id")]))
            elif kind == "organisation_role":
                found = _ids(refs(kind, change, values, "event_id"))
                reach.events.update(found)
                reach.tied.update(found)
                for organisation_id in _ids(refs(kind, change, values, "organisation_id")):
                    organisation = lookup.get("organisation", organisation_id)
                    if organisation is None:
                        raise _Unmappable
                    reach.organisations.add(organisation_id)
                    reach.cities.update(_ids([organisation.get("city_id")]))
            elif kind == "registration":
                reach.tied.update(_ids(refs(kind, change, values, "event_id")))
                reach.cities.update(_ids(refs(kind, change, values, "city_id")))
                reach.organisations.update(_ids(refs(kind, change, values, "organisation_id")))

    # Sessions → their events (a session gone: what its delete row says).
    lookup.load("session", sessions)
    for session_id in sessions:
        session = lookup.get("session", session_id)
        if session is None or not isinstance(session.get("event_id"), int):
            raise _Unmappable
        reach.events.add(session["event_id"])
        reach.tied.add(session["event_id"])
    # The entries showing a person (as a participant, or holding a participant's post), a post,
    # a city's or an organisation's name.
    if persons:
        positions |= _select_ids(c, lambda chunk: sa.select(pos.c.id).where(pos.c.person_id.in_(chunk)), persons)
        sessions_shown = _select_ids(c, lambda chunk: sa.select(sp.c.session_id).where(sp.c.person_id.in_(chunk)),
                                     persons)
        reach.events |= _select_ids(c, lambda chunk: sa.select(s.c.event_id).where(s.c.id.in_(chunk)),
                                    sessions_shown)
    if held_in:
        reach.events |= _select_ids(c, lambda chunk: sa.select(ev.c.id).where(ev.c.city_id.in_(chunk)), held_in)
        positions |= _select_ids(c, lambda chunk: sa.select(pos.c.id).where(pos.c.city_id.in_(chunk)), held_in)
    if organisations_shown:
        reach.events |= _select_ids(c, lambda chunk: sa.select(role.c.event_id).where(
            role.c.organisation_id.in_(chunk)), organisations_shown)
        positions |= _select_ids(c, lambda chunk: sa.select(pos.c.id).where(
            pos.c.organisation_id.in_(chunk)), organisations_shown)
    if positions:
        found = _select_ids(c, lambda chunk: sa.select(s.c.event_id).join(sp, sp.c.session_id == s.c.id)
                            .where(sp.c.position_id.in_(chunk)), positions)
        reach.events |= found
        # A post that moved to another body ties its sessions' events to that body instead.
        reach.tied |= found


def bodies_of(engine: Engine, event_ids: set[int]) -> tuple[set[int], set[int]]:
    """(cities, organisations) tied to these events now in any way a calendar of any audience
    may count (``readmodel.city_event_links``, ``events_of_organisations``): where each is held,
    its participants' posts' bodies, its organisations with a role and their cities, its
    registrations' cities and organisations."""
    cities: set[int] = set()
    organisations: set[int] = set()
    if not event_ids:
        return cities, organisations
    ev, s, sp, pos = table_of(m.Event), table_of(m.Session), table_of(m.SessionParticipant), table_of(m.Position)
    role, org, reg = table_of(m.OrganisationRole), table_of(m.Organisation), table_of(m.Registration)
    ordered = sorted(event_ids)
    with engine.connect() as c:
        for first in range(0, len(ordered), _CHUNK):
            chunk = ordered[first:first + _CHUNK]
            cities.update(c.execute(sa.select(ev.c.city_id).where(ev.c.id.in_(chunk))).scalars())
            for row in c.execute(sa.select(pos.c.city_id, pos.c.organisation_id)
                                 .join(sp, sp.c.position_id == pos.c.id).join(s, s.c.id == sp.c.session_id)
                                 .where(s.c.event_id.in_(chunk))):
                cities.add(row.city_id)
                organisations.add(row.organisation_id)
            for row in c.execute(sa.select(org.c.id, org.c.city_id).join(role, role.c.organisation_id == org.c.id)
                                 .where(role.c.event_id.in_(chunk))):
                organisations.add(row.id)
                cities.add(row.city_id)
            for row in c.execute(sa.select(reg.c.city_id, reg.c.organisation_id).where(reg.c.event_id.in_(chunk))):
                cities.add(row.city_id)
                organisations.add(row.organisation_id)
    cities.discard(None)
    organisations.discard(None)
    return cities, organisations


def networks_of(engine: Engine, cities: set[int], organisations: set[int],
                slugs: set[str]) -> set[int]:
    """Networks with one of these cities or organisations as a member, or whose own
    organisation (the one with the network's slug, ``readmodel.events_of_network``) is one of
    these organisations or has one of these slugs."""
    ms, net, org = table_of(m.Membership), table_of(m.Network), table_of(m.Organisation)
    found: set[int] = set()
    with engine.connect() as c:
        found |= _select_ids(c, lambda chunk: sa.select(ms.c.network_id).where(ms.c.city_id.in_(chunk)), cities)
        found |= _select_ids(c, lambda chunk: sa.select(ms.c.network_id).where(ms.c.organisation_id.in_(chunk)),
                             organisations)
        found |= _select_ids(c, lambda chunk: sa.select(net.c.id).join(org, org.c.slug == net.c.slug)
                             .where(org.c.id.in_(chunk)), organisations)
        names = sorted(slugs)
        for first in range(0, len(names), _CHUNK):
            found.update(c.execute(sa.select(net.c.id).where(net.c.slug.in_(names[first:first + _CHUNK]))).scalars())
    return found


def slugs_of(engine: Engine, kind: str, ids: set[int]) -> set[str]:
    """The slugs of these cities or networks (``kind``), as stored now."""
    table = table_of(_MODELS[kind])
    with engine.connect() as c:
        return {v for v in _select_ids_text(c, table, ids)}


def _select_ids_text(c: Connection, table, ids: set[int]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(ids)
    for first in range(0, len(ordered), _CHUNK):
        found.update(c.execute(sa.select(table.c.slug).where(table.c.id.in_(ordered[first:first + _CHUNK]))).scalars())
    return found


__all__ = [
    "LISTING_KINDS",
    "UNREAD_KINDS",
    "ChangeRow",
    "Reach",
    "bodies_of",
    "change_fingerprint",
    "change_marks",
    "changes_after",
    "last_change",
    "networks_of",
    "reach_of",
    "slugs_of",
]
