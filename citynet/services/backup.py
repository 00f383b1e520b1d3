"""Backups and restores of the whole store.

Two kinds of backup file, chosen by the name's suffix:

- ``.db`` / ``.sqlite``: a copy of a SQLite store made with SQLite's online backup API (a consistent
  snapshot while others keep working), written under a temporary name and then renamed;
- ``.json``: the JSON dump (docs/dump-format.md), from any engine.

A restore reads and checks the whole backup before it touches the database, then writes every row
in one transaction (:func:`citynet.services.dump.restore_dump`): a failure or a kill half-way
leaves the database as it was. A backup from an older schema is upgraded first, in a temporary
SQLite database, with the same Alembic migrations that upgrade a store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from citynet.errors import CitynetError
from citynet.files import default_output
from citynet.i18n import _
from citynet.services import dump
from citynet.services.tables import table_name
from citynet.store import models as m
from citynet.store.schema import KNOWN_REVISIONS, SCHEMA_HEAD

SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
JSON_SUFFIXES = (".json",)


def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in SQLITE_SUFFIXES:
        return "sqlite"
    if suffix in JSON_SUFFIXES:
        return "json"
    raise CitynetError(_("a backup file name ends in .db, .sqlite or .json: {path}").format(path=path))


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite store, None for other engines (and in-memory SQLite)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def default_backup_path(engine: Engine, now: datetime | None = None) -> Path:
    """exports/citynet-backup-YYYYMMDD-HHMMSS.db (SQLite) or .json (other engines)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = ".db" if sqlite_file(engine) is not None else ".json"
    return default_output(f"citynet-backup-{stamp}{suffix}")


# --- backup -------------------------------------------------------------------------------------


def _copy_sqlite(source: Path | str, target: Path, *, source_uri: bool = False) -> None:
    """SQLite's online backup from ``source`` into a new file ``target``, as a single file
    (rollback journal, not WAL, so that the copy needs no -wal file beside it)."""
    try:
        src = sqlite3.connect(source, uri=source_uri, timeout=30)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as error:
        raise CitynetError(_("cannot read {path} as a SQLite database: {reason}").format(
            path=source, reason=error)) from None


def backup(engine: Engine, output: Path | None = None, *, create_parent: bool | None = None) -> Path:
    """Write a backup of the whole store to ``output`` (default: a timestamped file in exports/)."""
    path = Path(output) if output is not None else default_backup_path(engine)
    kind = _kind_of(path)
    if create_parent is None:
        create_parent = output is None
    if kind == "json":
        from citynet.files import atomic_write

        return atomic_write(path, dump.dumps(dump.export_json(engine)).encode("utf-8"),
                            create_parent=create_parent)
    source = sqlite_file(engine)
    if source is None:
        raise CitynetError(_("a .db backup needs a SQLite database; this one is {dialect}: "
                             "name the backup .json").format(dialect=engine.dialect.name))
    directory = path.parent
    if not directory.exists():
        if not create_parent:
            raise CitynetError(_("directory does not exist: {directory}").format(directory=directory))
        directory.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise CitynetError(_("is a directory, not a file: {path}").format(path=path))
    if path.resolve() == source.resolve():
        raise CitynetError(_("the backup would overwrite the database itself: {path}").format(path=path))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    os.close(handle)
    try:
        _copy_sqlite(str(source), Path(temporary))
        with open(temporary, "rb") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


# --- reading a backup ---------------------------------------------------------------------------


def _scratch_engine(directory: str) -> Engine:
    from citynet.store.db import make_engine

    return make_engine(f"sqlite:///{Path(directory) / 'scratch.db'}")


def read_sqlite_backup(path: Path) -> dict:
    """The dump (at the current schema) of a .db backup; the file itself is never written."""
    from citynet.store.db import make_engine, read_schema_state
    from citynet.store.migrate import upgrade

    if not path.is_file():
        raise CitynetError(_("no such file: {path}").format(path=path))
    with tempfile.TemporaryDirectory(prefix="citynet-restore-") as directory:
        copy = Path(directory) / "backup.db"
        _copy_sqlite(f"file:{path}?mode=ro", copy, source_uri=True)
        engine = make_engine(f"sqlite:///{copy}")
        try:
            state = read_schema_state(engine)
            if state.revision is None:
                raise CitynetError(_("not a citynet database: {path}").format(path=path))
            if not state.is_current:
                upgrade(engine)  # the temporary copy, with the store's own migrations
            return dump.export_json(engine)
        finally:
            engine.dispose()


def _to_column_value(column: sa.Column, value):
    """A JSON value for a reflected column (dates and instants as Python objects)."""
    if value is None or not isinstance(value, str):
        return value
    try:
        if isinstance(column.type, sa.DateTime):
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            return parsed.astimezone(timezone.utc)
        if isinstance(column.type, sa.Date):
            return date.fromisoformat(value)
    except ValueError:
        raise CitynetError(_("{table}: not a valid value: {value!r}").format(
            table=column.table.name, value=value)) from None
    return value


def load_rows_as_they_are(connection, tables: dict) -> None:
    """Insert a dump's rows into the tables the database has now (reflected, not the models):
    for a dump of an older schema, into a database at that schema. Columns the table does not
    have are left out."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    for name, rows in tables.items():
        if name not in metadata.tables:
            raise CitynetError(_("the dump has an unknown table: {name}").format(name=name))
        table = metadata.tables[name]
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise CitynetError(_("not a citynet dump"))
        if rows:
            connection.execute(sa.insert(table), [
                {c.name: _to_column_value(c, row.get(c.name)) for c in table.columns}
                for row in rows])


def export_as_it_is(engine: Engine) -> dict:
    """A dump of a database at any known schema (reflected tables): what an older citynet wrote."""
    metadata = sa.MetaData()
    tables = {}
    with engine.connect() as connection:
        metadata.reflect(connection)
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        order = [table_name(model) for model in m.ALL_TABLES]
        names = [n for n in order if n in metadata.tables] + sorted(
            n for n in metadata.tables if n not in order and n != "alembic_version")
        for name in names:
            table = metadata.tables[name]
            rows = connection.execute(sa.select(table).order_by(table.c.id))
            tables[name] = [{c.name: dump._encode(dump._as_aware(row._mapping[c.name]))
                             for c in table.columns} for row in rows]
    return {"format": dump.FORMAT, "format_version": dump.FORMAT_VERSION, "schema": revision,
            "tables": tables}


def upgrade_dump(data: dict) -> dict:
    """A dump of an older schema, brought to the current one: loaded into a temporary SQLite
    database migrated to the dump's revision, upgraded to head with Alembic, exported again."""
    from citynet.store.migrate import upgrade

    schema = data.get("schema")
    if schema not in KNOWN_REVISIONS:
        dump._check_header(data)  # says why
    with tempfile.TemporaryDirectory(prefix="citynet-upgrade-") as directory:
        engine = _scratch_engine(directory)
        try:
            upgrade(engine, cast(str, schema))  # one of KNOWN_REVISIONS: _check_header refused others
            try:
                with engine.begin() as connection:
                    load_rows_as_they_are(connection, data["tables"])
            except IntegrityError as error:
                reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
                raise CitynetError(_("the dump is inconsistent: {reason}").format(reason=reason)) from None
            upgrade(engine)
            return dump.export_json(engine)
        finally:
            engine.dispose()


def read_json_backup(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CitynetError(_("no such file: {path}").format(path=path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CitynetError(_("cannot read {path}: {reason}").format(path=path, reason=error)) from None
    if (isinstance(data, dict) and data.get("format") == dump.FORMAT
            and data.get("format_version") == dump.FORMAT_VERSION
            and data.get("schema") in KNOWN_REVISIONS and data.get("schema") != SCHEMA_HEAD
            and isinstance(data.get("tables"), dict)):
        return upgrade_dump(data)
    return data


def read_backup(path: Path | str) -> dict:
    """The dump, at the current schema, held by a .db backup or a .json dump."""
    path = Path(path)
    if _kind_of(path) == "sqlite":
        return read_sqlite_backup(path)
    return read_json_backup(path)


def restore(engine: Engine, path: Path | str, *, force: bool = False, progress=None) -> dict[str, int]:
    """Replace the store's content with a backup's. Refuses a database holding data unless
    ``force``; everything is checked before the database is touched, then written in one
    transaction. Returns rows per table."""
    rows = dump.check_dump(read_backup(path))
    return dump.restore_dump(engine, rows, replace=force, progress=progress)
