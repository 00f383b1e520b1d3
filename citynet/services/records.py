"""The single write path: the only code that inserts, updates or deletes records.

Every face writes through a :class:`Writer` — the terminal UI's forms (origin ``form``), the
command line (``cli``), spreadsheet imports (``import``), dump and backup restores (``restore``)
and the demo loader (``demo``). For each record it:

1. parses every value and checks the whole record with the rule book (``services/rules.py``);
2. derives the search key and a person's sort key (``services/search.py``);
3. stamps who and when, a new record's uuid, and the revision;
4. for an update or a delete, checks that the record is still at the revision the caller started
   from — the check and the write are one statement, so two savers cannot both win; a refused save
   names who saved (or deleted) the record and when;
5. appends the field-level ``change`` row with the write's origin, in the same transaction.

A database refusal (a slug already taken, a reference to nothing) becomes a ValidationError with a
message in words: no constraint error reaches a user raw.

On SQLite a writer's transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock first,
so it never reads a state that another writer then changes under it.

Writes come one at a time or in bulk (``create_many``, ``update_many``): the same steps, with one
statement per batch. A create can be prepared — parsed, checked, keyed, stamped and converted for
the database driver — before its transaction begins (``prepare_creates``), and written later
(``insert_prepared``): an import of 50,000 people holds SQLite's write lock for the inserts
alone, a few seconds.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime
from typing import Any, NamedTuple, NoReturn

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import SQLModel

from citynet.errors import N_, CitynetError, ConflictError, NotFound
from citynet.services import rules
from citynet.services.history import current_user, field_changes, format_instant, home_zone
from citynet.services.rules import ValidationError
from citynet.services import search
from citynet.services.tables import table_name, table_of
from citynet.store import models as m

KINDS: dict[str, type[m.Record]] = {
    "city": m.City, "relationship": m.Relationship, "organisation": m.Organisation,
    "network": m.Network, "membership": m.Membership, "person": m.Person, "position": m.Position,
    "event": m.Event, "session": m.Session, "participant": m.SessionParticipant,
    "organisation_role": m.OrganisationRole, "participation_totals": m.ParticipationTotals,
    "registration": m.Registration, "milestone": m.Milestone, "project": m.Project,
    "project_partner": m.ProjectPartner, "key_figure": m.KeyFigure, "commitment": m.Commitment,
    "release": m.Release,
}
KIND_OF: dict[type[m.Record], str] = {model: kind for kind, model in KINDS.items()}
# the columns of a change row, in the order Writer._record_changes gives them
_CHANGE_COLUMNS = ("at", "user", "origin", "kind", "record_id", "slug", "action", "changes")
_IN_CHUNK = 500  # ids or slugs per IN (…): well under every engine's limit on parameters


KIND_OF_TABLE: dict[str, str] = {table_name(model): kind for kind, model in KINDS.items()}
ORIGINS = m.CHANGE_ORIGINS
# The namespace of identities derived from names: the calendar UIDs citynet gave events and
# sessions before records had a uuid of their own were uuid5(NAMESPACE, "<table>:<slug>").
NAMESPACE = uuid_module.UUID("6f1c2b8e-3d4a-5b6c-9e7f-0a1b2c3d4e5f")


def legacy_uuid(table: str, slug: str | None, number: int) -> str:
    """The identity a record had before uuids were stored (schema migration 0004 gives existing
    rows the same), also the fixed identities of the demo data: from the table and the slug, or
    the record's number when it has no slug."""
    return str(uuid_module.uuid5(NAMESPACE, f"{table}:{slug}" if slug else f"{table}:#{number}"))


@dataclass(frozen=True)
class RecordInfo:
    kind: str
    id: int
    uuid: str
    slug: str | None
    revision: int


@dataclass(frozen=True)
class Dependent:
    kind: str
    label: str  # the dependent table's name
    count: int


def model_for(kind: str) -> type[m.Record]:
    try:
        return KINDS[kind]
    except KeyError:
        raise NotFound(N_("unknown kind of record: {kind!r}"), kind=kind) from None


@lru_cache(maxsize=None)
def editable_fields(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in table_of(model_for(kind)).columns
                 if c.name not in rules.MANAGED_FIELDS)


def defaults(kind: str) -> dict:
    """The values a new record starts with (model defaults), so whole-record rules can run."""
    return dict(_defaults(kind))


@lru_cache(maxsize=None)
def _defaults(kind: str) -> dict:
    model = model_for(kind)
    found = {}
    for name in editable_fields(kind):
        default = model.model_fields[name].default
        found[name] = None if repr(default) == "PydanticUndefined" else default
    return found


def _integrity_error(kind: str, values: dict, error: IntegrityError) -> ValidationError:
    text = str(getattr(error, "orig", error)).lower()
    if "unique" in text or "duplicate" in text:
        if "slug" in text:
            return ValidationError(kind, "slug", N_("{value!r} is already in use"),
                                   value=values.get("slug"))
        if "is_home" in text or "uq_city_home" in text:
            return ValidationError(kind, "is_home", N_("there is already a home city"))
        if "uuid" in text:
            return ValidationError(kind, "uuid", N_("a record with this identity already exists"))
        return ValidationError(kind, _first_ref(kind) or "id",
                               N_("a record with these values already exists"))
    if "foreign key" in text:
        return ValidationError(kind, _first_ref(kind) or "id",
                               N_("it refers to a record that does not exist, or others depend on it"))
    return ValidationError(kind, "id", N_("the database refused the values"))


def _first_ref(kind: str) -> str | None:
    refs = rules.reference_fields(kind)
    return refs[0] if refs else None


@dataclass
class PreparedCreates:
    """Records of one kind ready to insert (see :meth:`Writer.prepare_creates`)."""

    kind: str
    rows: list[dict] = field(default_factory=list)  # the table's values, stamps included
    changes: list[str] = field(default_factory=list)  # each record's change row, as JSON
    # each row's values as the database driver takes them (converted by SQLAlchemy's own column
    # types), in the order of ``columns``; the id comes at the write
    columns: tuple[str, ...] = ()
    params: list[list] = field(default_factory=list)
    index: list[search.IndexEntry] = field(default_factory=list)  # a searchable kind's index rows

    def part(self, start: int, end: int) -> PreparedCreates:
        return PreparedCreates(self.kind, self.rows[start:end], self.changes[start:end],
                               self.columns, self.params[start:end], self.index[start:end])


class _DriverInsert(NamedTuple):
    """One table's INSERT for the database driver itself: the SQL, and per column SQLAlchemy's
    conversion of a Python value for that database (None: taken as it is). Converting before
    the write keeps SQLAlchemy's per-row work out of the write transaction."""

    sql: str
    columns: tuple[str, ...]
    convert: tuple[Callable[[Any], Any] | None, ...]

    def values(self, row: dict) -> list:
        return [row[name] if convert is None else convert(row[name])
                for name, convert in zip(self.columns, self.convert)]


@lru_cache(maxsize=None)
def _driver_insert(dialect: Dialect, model: type[SQLModel], columns: tuple[str, ...]) -> _DriverInsert:
    table = table_of(model)
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
           f"({', '.join(quote(name) for name in columns)}) VALUES ({', '.join([mark] * len(columns))})")
    return _DriverInsert(sql, columns, tuple(
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns))


def _json(changes: dict) -> str:
    return json.dumps(changes, ensure_ascii=False)


class Writer:
    """The writes of one transaction, all from one origin and one user (see the module doc)."""

    def __init__(self, connection: Connection, *, origin: str, user: str | None = None,
                 now: datetime | None = None) -> None:
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}")
        self.c, self.origin = connection, origin
        self.user = current_user(user)
        self.now = now or m.utcnow()

    # --- reading what a write needs ---------------------------------------------------------

    def _venue_zone(self, kind: str, values: dict) -> str | None:
        """The zone a wall-clock time of this record is in: an event's own, a session's event's."""
        if kind == "event":
            return values.get("timezone")
        if kind == "session" and isinstance(values.get("event_id"), int):
            table = table_of(m.Event)
            return self.c.execute(sa.select(table.c.timezone)
                                  .where(table.c.id == values["event_id"])).scalar()
        return None

    def parse(self, kind: str, raw: dict, base: dict | None = None) -> dict:
        """Raw values → Python values through the rule book; times in the venue's zone."""
        fields = set(editable_fields(kind))
        unknown = sorted(set(raw) - fields)
        if unknown:
            raise ValidationError(kind, unknown[0], N_("no such field"))
        timed = {name for name in raw if (spec := rules.field_spec(kind, name)) is not None
                 and spec.type == "datetime"}
        clean = {name: rules.parse_value(kind, name, value)
                 for name, value in raw.items() if name not in timed}
        if timed:
            zone = self._venue_zone(kind, {**(base or {}), **clean})
            for name in timed:
                clean[name] = rules.parse_value(kind, name, raw[name], zone=zone)
        return clean

    def _stamps(self) -> dict:
        return {"updated_by": self.user, "updated_at": self.now}

    def _record_change(self, kind: str, record_id: int, slug: str | None, action: str,
                       changes: dict) -> None:
        self._record_changes([(kind, record_id, slug, action, _json(changes))])

    def _record_changes(self, entries: list[tuple[str, int, str | None, str, str]]) -> None:
        """The change rows of these writes, ``(kind, record_id, slug, action, changes as JSON)``."""
        if not entries:
            return
        insert = _driver_insert(self.c.dialect, m.Change, _CHANGE_COLUMNS)
        at, user, origin = insert.values({"at": self.now, "user": self.user, "origin": self.origin,
                                          "kind": None, "record_id": None, "slug": None,
                                          "action": None, "changes": None})[:3]
        self.c.exec_driver_sql(insert.sql, [
            (at, user, origin, kind, record_id, slug, action, changes)
            for kind, record_id, slug, action, changes in entries])

    def _execute(self, kind: str, values: dict, statement, parameters: dict | None = None):
        """Run one statement; a database refusal becomes a ValidationError in words."""
        try:
            return self.c.execute(statement, parameters)
        except IntegrityError as error:
            raise _integrity_error(kind, values, error) from None

    # --- the three writes -------------------------------------------------------------------

    def create(self, kind: str, values: dict, *, uuid: str | None = None) -> RecordInfo:
        return self.create_many(kind, [values], uuids=None if uuid is None else [uuid])[0]

    def create_many(self, kind: str, values: list[dict], *,
                    uuids: list[str] | None = None) -> list[RecordInfo]:
        """Create records of one kind, in order, with bulk statements (one INSERT and one change-row
        INSERT per batch, however many records)."""
        return self.insert_prepared(self.prepare_creates(kind, values, uuids=uuids))

    def prepare_creates(self, kind: str, values: list[dict], *, uuids: list[str] | None = None,
                        parsed: bool = False) -> PreparedCreates:
        """Everything a create does short of writing: parse and check each record with the rule
        book, derive its keys, stamp it and describe its change row. References may still be
        temporary (negative) ids of records not yet written; :meth:`insert_prepared` resolves
        them. Work that needs no lock: an import does it before its write transaction.
        ``parsed``: the values come from the rule book's own parsing (an import's plan), so only
        the record check runs again."""
        model = model_for(kind)
        fields = editable_fields(kind)
        prepared = PreparedCreates(kind)
        allowed = set(fields)
        for index, raw in enumerate(values):
            if parsed and not raw.keys() <= allowed:
                raise ValueError(f"prepare_creates: no such {kind} field: {sorted(raw.keys() - allowed)}")
            full = {**defaults(kind), **(raw if parsed else self.parse(kind, raw))}
            rules.check_record(kind, full)
            prepared.rows.append({**full, **self._stamps(),
                                  "uuid": uuids[index] if uuids else m.new_uuid(),
                                  "created_at": self.now, "revision": 1})
            prepared.changes.append(_json(field_changes(None, full, fields)))
            if kind in search.SEARCH_KINDS:
                prepared.index.append(search.index_entry(kind, full))
        if prepared.rows:  # every row of a kind gives the same columns: all its fields, stamps
            first = prepared.rows[0].keys()
            if any(row.keys() != first for row in prepared.rows):
                raise ValueError(f"prepare_creates: {kind} rows with different columns")
            prepared.columns = ("id", *first)
            insert = _driver_insert(self.c.dialect, model, prepared.columns)
            prepared.params = [insert.values({"id": None, **row}) for row in prepared.rows]
        return prepared

    def insert_prepared(self, prepared: PreparedCreates,
                        ids: Mapping[int, int] | None = None) -> list[RecordInfo]:
        """Write prepared creates; ``ids`` maps temporary ids to the ids of records written
        before (an import's parents)."""
        kind, rows = prepared.kind, prepared.rows
        model = model_for(kind)
        if not rows:
            return []
        insert = _driver_insert(self.c.dialect, model, prepared.columns)
        written = self._reserve_ids(model, len(rows))
        changes = list(prepared.changes)
        params = []
        refs = [(index, name) for index, name in enumerate(prepared.columns)
                if name in rules.reference_fields(kind)]
        for number, (record_id, row, values) in enumerate(zip(written, rows, prepared.params)):
            values = [record_id, *values[1:]]
            # a parent written earlier in this transaction: its id is known now (any other
            # reference is written as given, and the database refuses one to nothing)
            pending = [(index, name) for index, name in refs
                       if isinstance(row[name], int) and row[name] in (ids or {})]
            if pending:
                row = {**row, **{name: ids[row[name]] for _index, name in pending}}  # type: ignore[index]
                for index, name in pending:
                    values[index] = row[name]
                changes[number] = _json(field_changes(None, row, editable_fields(kind)))
                rows[number] = row
            params.append(tuple(values))
        try:
            with self.c.begin_nested():
                self.c.exec_driver_sql(insert.sql, params)
        except IntegrityError as error:
            raise _integrity_error(kind, self._refused_row(insert.sql, params, rows), error) from None
        self._record_changes([(kind, record_id, row.get("slug"), "create", change)
                              for record_id, row, change in zip(written, rows, changes)])
        search.write_index(self.c, kind, zip(written, prepared.index))
        return [RecordInfo(kind, record_id, row["uuid"], row.get("slug"), 1)
                for record_id, row in zip(written, rows)]

    def _refused_row(self, sql: str, params: list[tuple], rows: list[dict]) -> dict:
        """The first of ``rows`` the database refuses, found one by one (each rolled back)."""
        if len(rows) > 1:
            for values, row in zip(params, rows):
                try:
                    with self.c.begin_nested() as savepoint:
                        self.c.exec_driver_sql(sql, [values])
                        savepoint.rollback()
                except IntegrityError:
                    return row
        return rows[0]

    def _reserve_ids(self, model: type[m.Record], count: int) -> list[int]:
        """Ids for ``count`` new records, as the database would give them one by one: the next
        values of PostgreSQL's sequence; on SQLite, after the largest id (this transaction holds
        the file's write lock, so no one else can take them meanwhile)."""
        name = table_name(model)
        if self.c.dialect.name == "postgresql":
            return list(self.c.execute(sa.text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                "FROM generate_series(1, :count)"), {"table": name, "count": count}).scalars())
        last = self.c.execute(sa.select(sa.func.max(table_of(model).c.id))).scalar() or 0
        return list(range(last + 1, last + 1 + count))

    def current_rows(self, kind: str, ids: list[int]) -> dict[int, dict]:
        """The records with these ids as they are now, locked against other writers until this
        transaction ends (FOR UPDATE on PostgreSQL; a SQLite writer already holds the file)."""
        table = table_of(model_for(kind))
        found: dict[int, dict] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start:start + _IN_CHUNK]
            statement = sa.select(table).where(table.c.id.in_(chunk))
            if self.c.dialect.name != "sqlite":
                statement = statement.with_for_update()
            found.update((row["id"], dict(row)) for row in self.c.execute(statement).mappings())
        return found

    def slugs_in_use(self, kind: str, slugs: list[str]) -> set[str]:
        table = table_of(model_for(kind))
        taken: set[str] = set()
        for start in range(0, len(slugs), _IN_CHUNK):
            chunk = slugs[start:start + _IN_CHUNK]
            taken.update(self.c.execute(sa.select(table.c.slug)
                                        .where(table.c.slug.in_(chunk))).scalars())
        return taken

    def update(self, kind: str, record_id: int, expected_revision: int,
               changes: dict) -> RecordInfo:
        """Save ``changes`` if the record is still at ``expected_revision``; else ConflictError."""
        return self.update_many(kind, [(record_id, expected_revision, changes)])[0]

    def update_many(self, kind: str, items: list[tuple[int, int, dict]]) -> list[RecordInfo]:
        """Save each ``(record_id, expected_revision, changes)``, with bulk statements; a record
        no longer at its expected revision raises ConflictError and nothing of the call stays."""
        model = model_for(kind)
        table = table_of(model)
        fields = editable_fields(kind)
        ids = [record_id for record_id, _revision, _changes in items]
        if len(set(ids)) != len(ids):
            raise ValueError("update_many: one record twice (merge its changes first)")
        currents = self.current_rows(kind, ids)
        groups: dict[tuple, list[dict]] = {}
        changes_rows, infos = [], []
        reindex: list[tuple[int, search.IndexEntry]] = []
        for record_id, expected_revision, changes in items:
            current = currents.get(record_id)
            if current is None or current["revision"] != expected_revision:
                self._refuse_stale(kind, record_id, expected_revision)
            before = {name: current[name] for name in fields}
            clean = self.parse(kind, changes, base=before)
            after = {**before, **clean}
            rules.check_record(kind, after)
            values = {**clean, **self._stamps()}
            if kind in search.SEARCH_KINDS and any(
                    before.get(name) != after.get(name) for name in search.index_fields(kind)):
                reindex.append((record_id, search.index_entry(kind, after)))
            groups.setdefault(tuple(values), []).append(
                {**values, "_id": record_id, "_revision": expected_revision})
            changes_rows.append((kind, record_id, after.get("slug"), "update",
                                 _json(field_changes(before, after, fields))))
            infos.append(RecordInfo(kind, record_id, current["uuid"],
                                    after.get("slug"), expected_revision + 1))
        for names, group in groups.items():
            statement = (sa.update(table)
                         .where(table.c.id == sa.bindparam("_id"),
                                table.c.revision == sa.bindparam("_revision"))
                         .values({**{name: sa.bindparam(name) for name in names},
                                  "revision": table.c.revision + 1}))
            try:
                with self.c.begin_nested():
                    updated = self.c.execute(statement, group).rowcount
            except IntegrityError as error:
                raise _integrity_error(kind, group[0] if len(group) == 1 else {}, error) from None
            if updated != len(group):  # the rows are locked: not expected, but never silent
                after = self.current_rows(kind, [row["_id"] for row in group])
                for row in group:
                    if after.get(row["_id"], {}).get("revision") != row["_revision"] + 1:
                        raise ConflictError(conflict_message(self.c, kind, row["_id"],
                                                             row["_revision"]))
        search.write_index(self.c, kind, reindex, replace=True)
        self._record_changes(changes_rows)
        return infos

    def _current(self, kind: str, record_id: int, expected_revision: int) -> dict:
        current = self.current_rows(kind, [record_id]).get(record_id)
        if current is None or current["revision"] != expected_revision:
            self._refuse_stale(kind, record_id, expected_revision)
        return current  # _refuse_stale raised otherwise

    def _refuse_stale(self, kind: str, record_id: int, expected_revision: int) -> NoReturn:
        """Conflict (saved or deleted by someone since) or NotFound (never was)."""
        table = table_of(model_for(kind))
        exists = self.c.execute(sa.select(table.c.id).where(table.c.id == record_id)).first()
        if exists is not None or _deleted_change(self.c, kind, record_id) is not None:
            raise ConflictError(conflict_message(self.c, kind, record_id, expected_revision))
        raise NotFound(N_("no {kind} with id {id}"), kind=kind, id=record_id)

    def delete(self, kind: str, record_id: int, expected_revision: int) -> None:
        """Delete a record nobody depends on, if it is still at ``expected_revision``."""
        table = table_of(model_for(kind))
        blocking = dependents_on(self.c, kind, record_id)
        if blocking:
            raise ValidationError(kind, "id", N_("other records depend on it: {listed}"),
                                  listed=", ".join(f"{d.count} {d.label}" for d in blocking))
        current = self._current(kind, record_id, expected_revision)
        statement = sa.delete(table).where(table.c.id == record_id,
                                           table.c.revision == expected_revision)
        if self._execute(kind, current, statement).rowcount != 1:
            raise ConflictError(conflict_message(self.c, kind, record_id, expected_revision))
        if kind in search.SEARCH_KINDS:
            search.remove_index(self.c, kind, [record_id])
        fields = editable_fields(kind)
        self._record_change(kind, record_id, current.get("slug"), "delete",
                            field_changes(current, None, fields))

    # --- restoring a dump -------------------------------------------------------------------

    def restore_rows(self, kind: str, rows: list[dict]) -> int:
        """Insert dumped records as they were (ids, uuids, stamps and revisions kept), each
        checked by the rule book and given freshly derived keys; their history comes with the
        dump, so no change row is written per record (see :meth:`restored`)."""
        model = model_for(kind)
        table = table_of(model)
        prepared = []
        for row in rows:
            clean = self.parse(kind, {k: v for k, v in row.items() if k not in rules.MANAGED_FIELDS})
            full = {**defaults(kind), **clean}
            rules.check_record(kind, full)
            managed = {name: row.get(name) for name in ("id", "uuid", "created_at", "updated_at",
                                                        "revision", "updated_by")}
            prepared.append({**full, **managed})
        if prepared:
            self.c.execute(sa.insert(table), prepared)
        if kind in search.SEARCH_KINDS:
            search.write_index(self.c, kind, [(row["id"], search.index_entry(kind, row))
                                              for row in prepared])
        return len(prepared)

    def restore_history(self, rows: list[dict]) -> None:
        """The change rows of a dump, as they were (ids included)."""
        if rows:
            self.c.execute(sa.insert(table_of(m.Change)), rows)

    def delete_everything(self) -> None:
        """Empty every table (a restore with --force, the demo with --force), children first;
        in this writer's transaction, so a failure later leaves everything as it was."""
        present = set(sa.inspect(self.c).get_table_names())
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name in present:
                self.c.execute(sa.delete(table))

    def restored(self, source: str, counts: dict[str, int]) -> None:
        """The one history entry a restore adds: where from and how many records. Ids given
        explicitly by the dump have been inserted: PostgreSQL's id sequences move past them."""
        if self.c.dialect.name == "postgresql":
            for model in m.ALL_TABLES:
                name = table_name(model)
                self.c.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
        self._record_change("store", 0, None, "restore", {"source": [None, source],
                                                          "records": [None, sum(counts.values())]})


@contextmanager
def writing(engine: Engine, *, origin: str, user: str | None = None, now: datetime | None = None,
            commit: bool = True) -> Iterator[Writer]:
    """A :class:`Writer` in one transaction: committed at the end (rolled back on an error, or
    always when ``commit`` is false — a dry run that does exactly the same work)."""
    with engine.connect() as connection:
        try:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield Writer(connection, origin=origin, user=user, now=now)
            if commit:
                connection.commit()
            else:
                connection.rollback()
        except OperationalError as error:
            connection.rollback()
            raise _locked_or(error) from None
        except BaseException:
            connection.rollback()
            raise


def _locked_or(error: OperationalError) -> CitynetError:
    text = str(getattr(error, "orig", error)).lower()
    if "locked" in text or "busy" in text:
        return CitynetError(N_("the database is busy with another save; nothing was written, "
                               "try again in a moment"))
    return CitynetError(N_("the database refused the write: {reason}"),
                        reason=str(getattr(error, "orig", error)).strip().splitlines()[0])


# --- one-record conveniences for the faces ---------------------------------------------------


def create_record(engine: Engine, kind: str, values: dict, *, origin: str,
                  user: str | None = None) -> RecordInfo:
    with writing(engine, origin=origin, user=user) as writer:
        return writer.create(kind, values)


def update_record(engine: Engine, kind: str, record_id: int, expected_revision: int,
                  changes: dict, *, origin: str, user: str | None = None) -> RecordInfo:
    with writing(engine, origin=origin, user=user) as writer:
        return writer.update(kind, record_id, expected_revision, changes)


def delete_record(engine: Engine, kind: str, record_id: int, expected_revision: int,
                  *, origin: str, user: str | None = None) -> None:
    with writing(engine, origin=origin, user=user) as writer:
        writer.delete(kind, record_id, expected_revision)


def get_values(engine: Engine, kind: str, record_id: int) -> dict:
    """Every column of one record (for a form), including its revision."""
    table = table_of(model_for(kind))
    with engine.connect() as connection:
        row = connection.execute(sa.select(table).where(table.c.id == record_id)).first()
    if row is None:
        raise NotFound(N_("no {kind} with id {id}"), kind=kind, id=record_id)
    return dict(row._mapping)


def find_by_slug(engine: Engine, kind: str, slug: str) -> dict:
    """Every column of the record of ``kind`` named by ``slug``."""
    table = table_of(model_for(kind))
    if "slug" not in table.c:
        raise NotFound(N_("a {kind} has no slug"), kind=kind)
    with engine.connect() as connection:
        row = connection.execute(sa.select(table).where(table.c.slug == slug)).first()
    if row is None:
        raise NotFound(N_("no {kind} with slug {slug!r}"), kind=kind, slug=slug)
    return dict(row._mapping)


# --- who got there first ---------------------------------------------------------------------


def _deleted_change(connection: Connection, kind: str, record_id: int):
    changes = table_of(m.Change)
    return connection.execute(
        sa.select(changes.c.at, changes.c.user)
        .where(changes.c.kind == kind, changes.c.record_id == record_id,
               changes.c.action == "delete")
        .order_by(changes.c.id.desc()).limit(1)).first()


def conflict_message(connection: Connection, kind: str, record_id: int,
                     expected_revision: int) -> str:
    """Who saved (or deleted) the record since the user opened it, and when (in home time)."""
    from citynet.i18n import _

    table = table_of(model_for(kind))
    zone = home_zone(connection)
    row = connection.execute(sa.select(table.c.revision, table.c.updated_at, table.c.updated_by)
                             .where(table.c.id == record_id)).first()
    if row is None:
        deleted = _deleted_change(connection, kind, record_id)
        if deleted is None:
            return _("someone else deleted this record; your input is kept")
        return _("{user} deleted this record at {when}; your input is kept").format(
            user=deleted.user or "?", when=format_instant(deleted.at, zone))
    when = format_instant(row.updated_at, zone)
    if row.updated_by is None:
        return _("someone else saved this record at {when} (revision {theirs}, you started from "
                 "{yours}); your input is kept: reload to see their version").format(
            when=when, theirs=row.revision, yours=expected_revision)
    return _("{user} saved this record at {when} (revision {theirs}, you started from "
             "{yours}); your input is kept: reload to see their version").format(
        user=row.updated_by, when=when, theirs=row.revision, yours=expected_revision)


def dependents_on(connection: Connection, kind: str, record_id: int) -> list[Dependent]:
    """Records that refer to this one (what a delete would break), with counts."""
    target = table_name(model_for(kind))
    found = []
    for other_kind, other in KINDS.items():
        for column in table_of(other).columns:
            for key in column.foreign_keys:
                if key.column.table.name == target:
                    count = connection.execute(
                        sa.select(sa.func.count()).select_from(table_of(other))
                        .where(column == record_id)).scalar_one()
                    if count:
                        found.append(Dependent(other_kind, table_name(other), count))
    return found


def dependents(engine: Engine, kind: str, record_id: int) -> list[Dependent]:
    with engine.connect() as connection:
        return dependents_on(connection, kind, record_id)
