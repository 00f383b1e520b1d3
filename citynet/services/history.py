"""Who changed what: the user name saves are stamped with, the ``change`` rows every save writes,
and the history of a record, an event, a city or a person read back from them.

The single write path (``services/records.py``) writes the change rows, inside the transaction of
each create, update and delete, with the write's origin; a refused or failed save records
nothing. A restore keeps the dump's history and adds one ``restore`` entry.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from citynet.errors import NotFound
from citynet.i18n import _
from citynet.services.tables import table_of
from citynet.store import models as m

ENV_USER = "CITYNET_USER"
USER_MAX = 120
DEFAULT_LIMIT = 200


def current_user(user: str | None = None) -> str:
    """The name saves are recorded under: ``user`` if given, else ``user`` in the settings file,
    else ``CITYNET_USER``, else the operating-system login name."""
    if user and user.strip():
        return user.strip()[:USER_MAX]
    from citynet.config import load_config

    configured = load_config().get("user")
    if isinstance(configured, str) and configured.strip():
        return configured.strip()[:USER_MAX]
    env = os.environ.get(ENV_USER, "").strip()
    if env:
        return env[:USER_MAX]
    try:
        return getpass.getuser()[:USER_MAX]
    except Exception:  # no login name (some containers): getpass raises OSError or KeyError
        return "?"


# --- writing ------------------------------------------------------------------------------------


def encode_value(value):
    """A column value as JSON (the dump's encoding): dates ISO, instants ISO in UTC with Z."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def field_changes(old: dict | None, new: dict | None, fields) -> dict[str, list]:
    """``{field: [old, new]}`` for the fields whose encoded value differs, in ``fields`` order."""
    found = {}
    for name in fields:
        before = encode_value(old.get(name)) if old is not None else None
        after = encode_value(new.get(name)) if new is not None else None
        if before != after:
            found[name] = [before, after]
    return found


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object  # JSON values: str, int, float, bool or None
    new: object


@dataclass(frozen=True)
class ChangeView:
    id: int
    at: datetime  # aware, UTC
    user: str | None
    kind: str
    record_id: int
    slug: str | None
    action: str  # create | update | delete | restore
    origin: str | None  # form | cli | import | restore | demo (None: before origins were kept)
    changes: tuple[FieldChange, ...]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def home_zone(connection: Connection) -> str:
    """The home city's IANA zone, or ``UTC`` when no home city is recorded."""
    zone = connection.execute(sa.select(table_of(m.City).c.timezone)
                              .where(table_of(m.City).c.is_home.is_(True))).scalar()
    return zone or "UTC"


def home_time_zone(engine: Engine) -> str:
    with engine.connect() as connection:
        return home_zone(connection)


def format_instant(at: datetime, zone: str) -> str:
    """``2024-11-11 18:00 JST``: minutes, in ``zone``, with its abbreviation (or UTC offset)."""
    local = _aware(at).astimezone(ZoneInfo(zone))
    label = "UTC" if zone == "UTC" else (local.tzname() or "")
    if not label or label[0] in "+-":
        from citynet.i18n.format import format_utc_offset

        label = format_utc_offset(local.utcoffset())
    return f"{local:%Y-%m-%d %H:%M} {label}"


def _ids(connection: Connection, model, column: str, values: set[int]) -> set[int]:
    if not values:
        return set()
    table = model.__table__
    return set(connection.execute(sa.select(table.c.id).where(table.c[column].in_(values))).scalars())


def _ids_from_history(connection: Connection, kind: str, field: str, values: set[int]) -> set[int]:
    """Records of ``kind`` whose history shows ``field`` (old or new) in ``values``: children
    that have since been deleted or moved elsewhere are found this way."""
    if not values:
        return set()
    table = table_of(m.Change)
    rows = connection.execute(sa.select(table.c.record_id, table.c.changes).where(
        table.c.kind == kind, table.c.changes.like(f'%"{field}"%')))
    found = set()
    for record_id, text in rows:
        pair = json.loads(text).get(field)
        if pair and (pair[0] in values or pair[1] in values):
            found.add(record_id)
    return found


def _related(connection: Connection, kind: str, model, field: str, parents: set[int]) -> set[int]:
    return _ids(connection, model, field, parents) | _ids_from_history(connection, kind, field, parents)


def _own_ids(connection: Connection, kind: str, model, slug: str) -> set[int]:
    """Ids a slug has named: the current record and any deleted one in the history."""
    table, changes = model.__table__, table_of(m.Change)
    ids = set(connection.execute(sa.select(table.c.id).where(table.c.slug == slug)).scalars())
    ids |= set(connection.execute(sa.select(changes.c.record_id).where(
        changes.c.kind == kind, changes.c.slug == slug)).scalars())
    if not ids:
        raise NotFound(_("no {kind} with slug {slug!r}").format(kind=kind, slug=slug))
    return ids


def _scope(connection: Connection, *, event, city, person) -> dict[str, set[int]]:
    """Record ids per kind that belong to the named event, city or person."""
    scope: dict[str, set[int]] = {}
    if event is not None:
        events = _own_ids(connection, "event", m.Event, event)
        sessions = _related(connection, "session", m.Session, "event_id", events)
        scope.update({
            "event": events,
            "session": sessions,
            "participant": _related(connection, "participant", m.SessionParticipant,
                                    "session_id", sessions),
            "organisation_role": _related(connection, "organisation_role", m.OrganisationRole,
                                          "event_id", events),
            "participation_totals": _related(connection, "participation_totals",
                                             m.ParticipationTotals, "event_id", events),
            "commitment": _related(connection, "commitment", m.Commitment, "session_id", sessions),
        })
    if city is not None:
        cities = _own_ids(connection, "city", m.City, city)
        scope.setdefault("city", set()).update(cities)
        scope.setdefault("relationship", set()).update(
            _related(connection, "relationship", m.Relationship, "city_id", cities))
        scope.setdefault("position", set()).update(
            _related(connection, "position", m.Position, "city_id", cities))
        scope.setdefault("commitment", set()).update(
            _related(connection, "commitment", m.Commitment, "to_city_id", cities))
    if person is not None:
        people = _own_ids(connection, "person", m.Person, person)
        scope.setdefault("person", set()).update(people)
        scope.setdefault("position", set()).update(
            _related(connection, "position", m.Position, "person_id", people))
        scope.setdefault("commitment", set()).update(
            _related(connection, "commitment", m.Commitment, "by_person_id", people)
            | _related(connection, "commitment", m.Commitment, "to_person_id", people))
    return scope


def _view(row) -> ChangeView:
    pairs = json.loads(row.changes or "{}")
    return ChangeView(row.id, _aware(row.at), row.user, row.kind, row.record_id, row.slug,
                      row.action, row.origin, tuple(FieldChange(name, old, new)
                                        for name, (old, new) in pairs.items()))


def history(engine: Engine, *, kind: str | None = None, record_id: int | None = None,
            slug: str | None = None, event: str | None = None, city: str | None = None,
            person: str | None = None, since: date | None = None,
            limit: int = DEFAULT_LIMIT) -> list[ChangeView]:
    """Recorded changes, newest first. Filters combine (all must hold):

    ``kind`` / ``record_id`` / ``slug`` match the change row itself; ``event`` adds its sessions,
    their participants and commitments, its organisation roles and totals; ``city`` its
    relationships, positions and the commitments made to it; ``person`` their positions and the
    commitments by or to them (deleted ones too, found through the history).
    ``since`` is a day in the home city's zone (UTC without a home city): changes from its start.
    An unknown slug (never stored, never in the history) raises NotFound.
    """
    table = table_of(m.Change)
    with engine.connect() as connection:
        where = []
        if kind is not None:
            where.append(table.c.kind == kind)
        if record_id is not None:
            where.append(table.c.record_id == record_id)
        if slug is not None:
            where.append(table.c.slug == slug)
        if event is not None or city is not None or person is not None:
            scope = _scope(connection, event=event, city=city, person=person)
            where.append(sa.or_(*[sa.and_(table.c.kind == k, table.c.record_id.in_(ids))
                                  for k, ids in scope.items() if ids] or [sa.false()]))
        if since is not None:
            start = datetime.combine(since, time(0), tzinfo=ZoneInfo(home_zone(connection)))
            where.append(table.c.at >= start.astimezone(timezone.utc))
        rows = connection.execute(sa.select(table).where(*where)
                                  .order_by(table.c.at.desc(), table.c.id.desc()).limit(limit))
        return [_view(row) for row in rows]
