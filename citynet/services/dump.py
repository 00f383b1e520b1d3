"""The JSON dump: every record of every table, stable and documented (docs/dump-format.md).

Rows are listed per table in dependency order, sorted by id, with their columns in model order;
dates are ISO 8601, instants ISO 8601 in UTC with ``Z``. The same data always gives the same
bytes, and a dump restored into an empty database exports again as the same dump.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from citynet.errors import N_, CitynetError
from citynet.i18n import _
from citynet.services import rules
from citynet.services.records import KIND_OF, legacy_uuid, writing
from citynet.services.rules import ValidationError
from citynet.services.tables import table_of
from citynet.store import models as m
from citynet.store.schema import KNOWN_REVISIONS, SCHEMA_HEAD

FORMAT = "citynet-dump"
FORMAT_VERSION = 1


def _encode(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_json(engine: Engine) -> dict:
    """The dump of the whole store, every table read in one snapshot (one transaction), so that
    no row can refer to a row that others added after its table was read."""
    from citynet.store.db import read_snapshot

    with read_snapshot(engine) as connection:
        return export_from(connection)


def export_from(connection) -> dict:
    """The dump as ``connection`` sees the store (a :func:`~citynet.store.db.read_snapshot`)."""
    tables = {}
    for model in m.ALL_TABLES:
        table = table_of(model)
        rows = connection.execute(sa.select(table).order_by(table.c.id))
        columns = [c.name for c in table.columns]
        tables[table.name] = [
            {name: _encode(_as_aware(row._mapping[name])) for name in columns}
            for row in rows]
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema": SCHEMA_HEAD,
            "tables": tables}


def _as_aware(value):
    # Core selects bypass SQLModel's UTCDateTime result processing on some dialects; be explicit.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _check_header(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(
            data.get("tables"), dict):
        raise CitynetError(_("not a citynet dump"))
    if data.get("format_version") != FORMAT_VERSION:
        raise CitynetError(_("unsupported dump format version: {v!r}").format(v=data.get("format_version")))
    schema = data.get("schema")
    if schema not in KNOWN_REVISIONS:
        raise CitynetError(_("the dump has schema {schema!r}, newer than this citynet knows ({head}); "
                             "upgrade citynet").format(schema=schema, head=SCHEMA_HEAD))
    known = {model.__tablename__ for model in m.ALL_TABLES}
    unknown = sorted(set(data["tables"]) - known)
    if unknown:
        raise CitynetError(_("the dump has an unknown table: {name}").format(name=unknown[0]))


def _instant(value) -> datetime:
    if isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(value)
    return parsed.astimezone(timezone.utc)


def _whole(value, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= rules.INT_MAX:
        raise ValueError(value)
    return value


def _text(value, *, nullable: bool = True, limit: int | None = None) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str) or (limit is not None and len(value) > limit):
        raise ValueError(value)
    return value


def _one_of(value, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(value)
    return value


# The columns citynet fills itself, as a dump carries them: each with its reader.
_MANAGED_READERS = {
    "id": lambda v: _whole(v, 1), "uuid": lambda v: _text(v, nullable=False, limit=36),
    "created_at": _instant, "updated_at": _instant, "revision": lambda v: _whole(v, 1),
    "updated_by": lambda v: _text(v, limit=120),
}
_CHANGE_READERS = {
    "id": lambda v: _whole(v, 1), "at": _instant, "user": lambda v: _text(v, limit=120),
    "kind": lambda v: _text(v, nullable=False, limit=32), "record_id": lambda v: _whole(v),
    "slug": lambda v: _text(v, limit=80),
    "action": lambda v: _one_of(v, m.CHANGE_ACTIONS),
    "origin": lambda v: None if v is None else _one_of(v, m.CHANGE_ORIGINS),
    "changes": lambda v: _text(v, nullable=False),
}


def _clean_row(model, row, index: int, zones: dict[int, str]) -> dict:
    """One dumped row, read and checked by the rule book, ready for the write path. A time
    written without an offset is in the venue's zone (``zones``: event id → zone), as in a form."""
    where = f"{model.__tablename__} #{index + 1}"
    if not isinstance(row, dict):
        raise CitynetError(_("{where}: not a record").format(where=where))
    columns = [c.name for c in table_of(model).columns]
    extra = sorted(set(row) - set(columns))
    if extra:
        raise CitynetError(_("{where}: unknown field {field!r}").format(where=where, field=extra[0]))
    label = row.get("slug") or row.get("id")
    where = f"{model.__tablename__} {label}"
    readers = _CHANGE_READERS if model is m.Change else _MANAGED_READERS
    if model is not m.Change and row.get("uuid") is None and isinstance(row.get("id"), int):
        # A dump written by hand may leave identities out: the same ones a migration gives.
        row = {**row, "uuid": legacy_uuid(model.__tablename__, row.get("slug"), row["id"])}
    clean = {}
    for name, read in readers.items():
        try:
            clean[name] = read(row.get(name))
        except (TypeError, ValueError):
            raise CitynetError(_("{where}: not a valid value for {field}: {value!r}").format(
                where=where, field=name, value=_short(row.get(name)))) from None
    if model is m.Change:
        return clean
    kind = KIND_OF[model]
    try:
        editable = {name: row.get(name) for name in columns if name not in rules.MANAGED_FIELDS}
        event_id = editable.get("event_id")  # zones' keys are event ids, never None
        zone = editable.get("timezone") if kind == "event" else (
            None if event_id is None else zones.get(event_id))
        values = {name: rules.parse_value(kind, name, raw, zone=zone if isinstance(zone, str) else None)
                  for name, raw in editable.items()}
        rules.check_record(kind, values)
    except ValidationError as error:
        raise CitynetError(_("{where}: {reason}").format(where=where, reason=error)) from None
    return {**values, **clean}


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def is_empty(engine: Engine) -> bool:
    from citynet.store.db import read_snapshot

    with read_snapshot(engine) as connection:  # not one table seen empty, the next just filled
        return all(connection.execute(sa.select(sa.func.count()).select_from(table_of(model)))
                   .scalar_one() == 0 for model in m.ALL_TABLES)


def check_dump(data) -> dict:
    """Validate a whole dump without touching any database; returns its rows ready to insert."""
    _check_header(data)
    rows_by_table = {}
    zones: dict[int, str] = {}
    for model in m.ALL_TABLES:
        rows = data["tables"].get(model.__tablename__, [])
        if not isinstance(rows, list):
            raise CitynetError(_("not a citynet dump"))
        rows_by_table[model] = clean = [_clean_row(model, row, i, zones) for i, row in enumerate(rows)]
        if model is m.Event:
            zones = {row["id"]: row["timezone"] for row in clean}
        for key in ("id", "slug", "uuid"):
            # change.slug repeats (one row per change of a record): only unique keys are checked.
            if key in model.model_fields and (table_of(model).c[key].primary_key
                                              or table_of(model).c[key].unique):
                _refuse_duplicates(model, key, [row[key] for row in clean])
    _refuse_dangling_references(rows_by_table)
    return rows_by_table


def _refuse_dangling_references(rows_by_table: dict) -> None:
    """Every reference names a record of the dump: said in words here, before the database
    would refuse it with a constraint error."""
    ids = {table_of(model).name: {row["id"] for row in rows} for model, rows in rows_by_table.items()}
    for model, rows in rows_by_table.items():
        if model is m.Change:
            continue
        kind = KIND_OF[model]
        references = [(column.name, key.column.table.name) for column in table_of(model).columns
                      for key in column.foreign_keys]
        for row in rows:
            for field, target in references:
                value = row.get(field)
                if value is not None and value not in ids.get(target, ()):
                    error = ValidationError(kind, field, N_("refers to a record that is not in "
                                                            "the dump (id {id})"), id=value)
                    raise CitynetError(_("{where}: {reason}").format(
                        where=f"{table_of(model).name} {row.get('slug') or row.get('id')}",
                        reason=error))


def _refuse_duplicates(model, key: str, values: list) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise CitynetError(_("{table}: duplicate {key} {value!r}").format(
                table=model.__tablename__, key=key, value=value))
        seen.add(value)


def import_json(engine: Engine, data: dict) -> dict[str, int]:
    """Restore a dump into an empty database, all or nothing. Returns rows per table."""
    return restore_dump(engine, check_dump(data))


def _holds_data(connection) -> bool:
    return any(connection.execute(sa.select(sa.func.count()).select_from(table_of(model)))
               .scalar_one() for model in m.ALL_TABLES)


def restore_dump(engine: Engine, rows_by_table: dict, *, replace: bool = False,
                 progress=None, source: str = "dump") -> dict[str, int]:
    """Write checked rows (from :func:`check_dump`) through the write path, in one transaction:
    all or nothing. The dump's history is kept, and one ``restore`` entry naming ``source`` is
    added to it.

    Into an empty database only, unless ``replace``: then everything already there is deleted
    first, in the same transaction, so a failure or a kill half-way leaves the old data.
    ``progress(table, n)`` is called after each table is written.
    """
    counts = {}
    try:
        with writing(engine, origin="restore") as writer:
            connection = writer.c
            if _holds_data(connection):
                if not replace:
                    raise CitynetError(_("the database is not empty; restore only into an empty "
                                         "database (or use --force to replace everything)"))
                writer.delete_everything()
            for model, rows in rows_by_table.items():
                if model is m.Change:
                    writer.restore_history(rows)
                else:
                    writer.restore_rows(KIND_OF[model], rows)
                counts[model.__tablename__] = len(rows)
                if progress is not None:
                    progress(model.__tablename__, len(rows))
            writer.restored(source, {name: n for name, n in counts.items()
                                     if name != m.Change.__tablename__})
    except IntegrityError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise CitynetError(_("the dump is inconsistent: {reason}").format(reason=reason)) from None
    return counts
