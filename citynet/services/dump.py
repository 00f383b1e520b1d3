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
from sqlmodel import SQLModel

from citynet.errors import CitynetError
from citynet.i18n import _
from citynet.services.validation import ValidationError, coerce_value, validate_values
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
    tables = {}
    with engine.connect() as connection:
        for model in m.ALL_TABLES:
            table = model.__table__
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


def _clean_row(model, row, index: int) -> dict:
    where = f"{model.__tablename__} #{index + 1}"
    if not isinstance(row, dict):
        raise CitynetError(_("{where}: not a record").format(where=where))
    columns = {c.name for c in model.__table__.columns}
    extra = sorted(set(row) - columns)
    if extra:
        raise CitynetError(_("{where}: unknown field {field!r}").format(where=where, field=extra[0]))
    label = row.get("slug") or row.get("id")
    where = f"{model.__tablename__} {label}"
    try:
        clean = {name: coerce_value(model, name, row.get(name)) for name in columns
                 if name != "sort_key"}
        if clean["id"] is None:
            raise ValidationError("id", _("a value is required"))
        if "sort_key" in columns:  # derived, like search_key below; required, so before checking
            from citynet.services.search import person_sort_key

            clean["sort_key"] = person_sort_key(clean)
        validate_values(model, clean)
    except ValidationError as error:
        raise CitynetError(_("{where}: {reason}").format(where=where, reason=error)) from None
    if "search_key" in columns:
        # Derived from the names: always recomputed, so a dump from an older schema (no key) or an
        # edited dump restores searchable, and a round trip gives the same bytes.
        from citynet.services.search import search_key_for

        clean["search_key"] = search_key_for(model, clean)
    return clean


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return all(connection.execute(sa.select(sa.func.count()).select_from(model.__table__))
                   .scalar_one() == 0 for model in m.ALL_TABLES)


def check_dump(data) -> dict:
    """Validate a whole dump without touching any database; returns its rows ready to insert."""
    _check_header(data)
    rows_by_table = {}
    for model in m.ALL_TABLES:
        rows = data["tables"].get(model.__tablename__, [])
        if not isinstance(rows, list):
            raise CitynetError(_("not a citynet dump"))
        rows_by_table[model] = clean = [_clean_row(model, row, i) for i, row in enumerate(rows)]
        for key in ("id", "slug"):
            # change.slug repeats (one row per change of a record): only unique keys are checked.
            if key in model.model_fields and (model.__table__.c[key].primary_key
                                              or model.__table__.c[key].unique):
                _refuse_duplicates(model, key, [row[key] for row in clean])
    return rows_by_table


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
    return any(connection.execute(sa.select(sa.func.count()).select_from(model.__table__))
               .scalar_one() for model in m.ALL_TABLES)


def restore_dump(engine: Engine, rows_by_table: dict, *, replace: bool = False,
                 progress=None) -> dict[str, int]:
    """Write checked rows (from :func:`check_dump`) in one transaction: all or nothing.

    Into an empty database only, unless ``replace``: then everything already there is deleted
    first, in the same transaction, so a failure or a kill half-way leaves the old data.
    ``progress(table, n)`` is called after each table is written.
    """
    counts = {}
    try:
        with engine.begin() as connection:
            if _holds_data(connection):
                if not replace:
                    raise CitynetError(_("the database is not empty; restore only into an empty "
                                         "database (or use --force to replace everything)"))
                present = set(sa.inspect(connection).get_table_names())
                for table in reversed(SQLModel.metadata.sorted_tables):  # children first
                    if table.name in present:
                        connection.execute(sa.delete(table))
            for model, rows in rows_by_table.items():
                if rows:
                    connection.execute(sa.insert(model.__table__), rows)
                counts[model.__tablename__] = len(rows)
                if progress is not None:
                    progress(model.__tablename__, len(rows))
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection)
    except IntegrityError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise CitynetError(_("the dump is inconsistent: {reason}").format(reason=reason)) from None
    return counts


def _reset_sequences(connection) -> None:
    """After inserting explicit ids, move each id sequence past the highest id."""
    for model in m.ALL_TABLES:
        name = model.__tablename__
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
