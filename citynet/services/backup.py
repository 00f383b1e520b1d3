"""Backups and restores of the whole store.

Three kinds of backup file, chosen by the name's suffix:

- ``.db`` / ``.sqlite``: a copy of a SQLite store made with SQLite's online backup API (a consistent
  snapshot while others keep working), as a single file;
- ``.json``: the JSON dump (docs/dump-format.md), from any engine, every table read in one
  snapshot (:func:`citynet.store.db.read_snapshot`), so no row refers to one added after its
  table was read;
- ``.pgdump``: pg_dump's custom format, for a PostgreSQL store (a team server) where pg_dump is
  installed; it is restored with PostgreSQL's pg_restore.

A backup is written under a temporary name beside the target, read back from the disk and checked
— every table holds as many rows as the database had in the same snapshot, every reference
resolves, a SQLite copy passes SQLite's integrity check — and only then renamed: a backup that
says "Written" restores. A SQLite file that fails SQLite's integrity check is refused, never
copied. Every error says whether the database (the source) or the backup file (the target) failed.

A restore reads and checks the whole backup before it touches the database, then writes every row
in one transaction (:func:`citynet.services.dump.restore_dump`): a failure or a kill half-way
leaves the database as it was. A backup from an older schema is upgraded first, in a temporary
SQLite database, with the same Alembic migrations that upgrade a store.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from citynet.errors import N_, CitynetError
from citynet.files import check_output, default_output
from citynet.i18n import _
from citynet.services import dump
from citynet.services.tables import table_name, table_of
from citynet.store import models as m
from citynet.store.schema import KNOWN_REVISIONS, SCHEMA_HEAD

SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
JSON_SUFFIXES = (".json",)
PG_DUMP_SUFFIXES = (".pgdump",)
# SQLite's result codes (the low byte of an extended code) that mean the file read is damaged or
# not a database, and the extended codes of a failed read: the source's fault, not the target's.
_SQLITE_DAMAGED = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
_SQLITE_SOURCE_SIDE = _SQLITE_DAMAGED + (5, 6, 266, 522)  # BUSY, LOCKED, IOERR_READ, IOERR_SHORT_READ


def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in SQLITE_SUFFIXES:
        return "sqlite"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in PG_DUMP_SUFFIXES:
        return "pgdump"
    raise CitynetError(N_("a backup file name ends in .db, .sqlite or .json (or .pgdump for "
                          "PostgreSQL): {path}"), path=path)


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


# --- whose fault --------------------------------------------------------------------------------


def _reason(error: BaseException) -> str:
    """One line saying what went wrong (an OSError's own words, a driver's first line)."""
    original = getattr(error, "orig", None) or error
    text = getattr(original, "strerror", None) or str(original)
    lines = str(text).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def _sqlite_code(error: BaseException) -> int | None:
    code = getattr(getattr(error, "orig", None) or error, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def _is_damage(error: BaseException) -> bool:
    code = _sqlite_code(error)
    return code is not None and (code & 0xFF) in _SQLITE_DAMAGED


def _target_failed(path: Path, cause: BaseException | str) -> CitynetError:
    """The backup file could not be written: a full disk, a directory that cannot be written."""
    return CitynetError(N_("cannot write the backup {path}: {reason}"), path=path,
                        reason=cause if isinstance(cause, str) else _reason(cause))


def _source_failed(database: object, cause: BaseException | str) -> CitynetError:
    """The database could not be read (the backup's source, not its file)."""
    return CitynetError(N_("cannot read the database {database}: {reason}"), database=database,
                        reason=cause if isinstance(cause, str) else _reason(cause))


def _store_damaged(database: object, problem: str) -> CitynetError:
    return CitynetError(N_("the database {database} is damaged: it fails SQLite's integrity check "
                           "({problem}); no backup was written"), database=database, problem=problem)


def _not_kept(path: Path, problem: str) -> CitynetError:
    """The file written does not hold what was read: it is removed, never reported as written."""
    return CitynetError(N_("the backup written to {path} does not match the database ({problem}); "
                           "it was not kept"), path=path, problem=problem)


def _database_label(engine: Engine) -> str:
    from citynet.store.db import safe_url

    source = sqlite_file(engine)
    return str(source) if source is not None else safe_url(engine)


# --- checks -------------------------------------------------------------------------------------


def _first_problem(rows) -> str | None:
    """The first problem a ``PRAGMA quick_check`` reports, None when it says ``ok``."""
    for (text,) in rows:
        for line in str(text).splitlines():
            line = line.strip()
            if line and line != "ok" and not line.startswith("*** in database"):
                return line
    return None


def _quick_check(run: Callable[[str], Sequence]) -> str | None:
    """SQLite's ``quick_check`` (every page and record well-formed; ``integrity_check`` without
    comparing indexes to tables, so linear in the file's size): the first problem, or None."""
    try:
        return _first_problem(run("PRAGMA quick_check"))
    except (sqlite3.DatabaseError, sa.exc.DatabaseError) as error:
        if _is_damage(error):  # so damaged that the check itself stops
            return _reason(error)
        raise


def dangling_references(tables: dict) -> list[str]:
    """Rows of a dump's ``tables`` whose references name a row the dump does not hold, as
    ``table id.column → table id`` (empty when every reference resolves)."""
    ids = {name: {row.get("id") for row in rows if isinstance(row, dict)}
           for name, rows in tables.items() if isinstance(rows, list)}
    found = []
    for model in m.ALL_TABLES:
        table = table_of(model)
        references = [(column.name, key.column.table.name) for column in table.columns
                      for key in column.foreign_keys]
        rows = tables.get(table.name)
        if not references or not isinstance(rows, list):
            continue
        for row in rows:
            for column, target in references:
                value = row.get(column) if isinstance(row, dict) else None
                if value is not None and value not in ids.get(target, ()):
                    found.append(f"{table.name} {row.get('id')}.{column} → {target} {value}")
    return found


def _count_rows(connection) -> dict[str, int]:
    return {table_name(model): connection.execute(
        sa.select(sa.func.count()).select_from(table_of(model))).scalar_one()
        for model in m.ALL_TABLES}


def _check_json_backup(temporary: Path, path: Path, counts: dict[str, int]) -> None:
    """Read the written file back from the disk: a dump, every table with the rows counted in the
    snapshot it was read from, every reference resolved."""
    try:
        data = json.loads(temporary.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise _not_kept(path, _reason(error)) from None
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict) or data.get("format") != dump.FORMAT:
        raise _not_kept(path, _("not a citynet dump"))
    for name, expected in counts.items():
        rows = tables.get(name)
        written = len(rows) if isinstance(rows, list) else 0
        if written != expected:
            raise _not_kept(path, _("{table}: {written} rows written, {expected} in the database")
                            .format(table=name, written=written, expected=expected))
    dangling = dangling_references(tables)
    if dangling:
        raise _not_kept(path, _("{reference} refers to a record the backup does not hold")
                        .format(reference=dangling[0]))


# --- writing a backup ---------------------------------------------------------------------------


def _prepare_target(path: Path, create_parent: bool) -> None:
    """The rule every output follows (``citynet.files.check_output``: never the live database, a
    directory, a device or a FIFO — a backup replaces a whole file), then the default directory."""
    check_output(path, create_parent=create_parent, stream_ok=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _target_failed(path, error) from None


def _write_checked(path: Path, fill: Callable[[Path], None], check: Callable[[Path], None]) -> Path:
    """``fill`` a temporary file beside ``path``, flush it to the disk, ``check`` what the disk
    holds, then rename it to ``path``: ``path`` is only ever a whole, checked backup, and a
    failure anywhere leaves what was there before."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
    except OSError as error:
        raise _target_failed(path, error) from None
    temporary = Path(name)
    try:
        fill(temporary)
        try:
            with open(temporary, "rb") as stream:
                os.fsync(stream.fileno())
        except OSError as error:
            raise _target_failed(path, error) from None
        check(temporary)
        try:
            os.replace(temporary, path)
        except OSError as error:
            raise _target_failed(path, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _backup_json(engine: Engine, path: Path) -> Path:
    from citynet.store.db import read_snapshot

    database = _database_label(engine)
    try:
        with read_snapshot(engine) as connection:  # every table as it was at one moment
            if connection.dialect.name == "sqlite":
                problem = _quick_check(lambda sql: connection.exec_driver_sql(sql).fetchall())
                if problem is not None:
                    raise _store_damaged(database, problem)
            counts = _count_rows(connection)
            data = dump.export_from(connection)
    except sa.exc.DatabaseError as error:
        if _is_damage(error):
            raise _store_damaged(database, _reason(error)) from None
        raise _source_failed(database, error) from None
    text = dump.dumps(data).encode("utf-8")
    del data

    def fill(temporary: Path) -> None:
        try:
            temporary.write_bytes(text)
        except OSError as error:
            raise _target_failed(path, error) from None

    return _write_checked(path, fill, lambda temporary: _check_json_backup(temporary, path, counts))


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names}


@dataclass(frozen=True)
class _Blame:
    """What to say when a SQLite copy fails, by whose fault: the source's (unreadable, damaged,
    referring to missing records) or the target's (not written, or not read back the same)."""

    unreadable: Callable[[str], CitynetError]
    damaged: Callable[[str], CitynetError]
    dangling: Callable[[str], CitynetError]
    not_written: Callable[[str], CitynetError]
    not_kept: Callable[[str], CitynetError]

    def source(self, error: BaseException) -> CitynetError:
        return self.damaged(_reason(error)) if _is_damage(error) else self.unreadable(_reason(error))


def _copy_sqlite(source: str, target: Path, blame: _Blame, *, source_uri: bool = False) -> dict[str, int]:
    """SQLite's online backup from ``source`` into a new file ``target``, as a single file
    (rollback journal, not WAL, so that the copy needs no -wal file beside it). Returns the rows
    per table of the source, counted in the same read transaction as the copy."""
    try:
        src = sqlite3.connect(source, uri=source_uri, timeout=30)
    except sqlite3.Error as error:
        raise blame.source(error) from None
    try:
        try:
            src.execute("BEGIN")  # the counts and the copy: one snapshot
            counts = _sqlite_counts(src)
        except sqlite3.Error as error:
            raise blame.source(error) from None
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        except sqlite3.Error as error:
            code = _sqlite_code(error)
            if code is not None and (code in _SQLITE_SOURCE_SIDE or (code & 0xFF) in _SQLITE_DAMAGED):
                raise blame.source(error) from None
            raise blame.not_written(_reason(error)) from None  # a full disk, an unwritable file
    finally:
        src.close()
    return counts


def _check_sqlite_copy(copy: Path, counts: dict[str, int], source: str, blame: _Blame, *,
                       source_uri: bool = False) -> None:
    """A SQLite copy read back: SQLite's integrity check, every reference resolved, the rows of
    the source. The copy is the source page for page, so a problem found in both is the source's."""
    connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        problem = _quick_check(lambda sql: connection.execute(sql).fetchall())
        if problem is None:
            dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
            if dangling:
                table, rowid, parent, _key = dangling[0]
                raise blame.dangling(_("{table} {id} refers to a {parent} that does not exist")
                                     .format(table=table, id=rowid, parent=parent))
            if _sqlite_counts(connection) != counts:
                raise blame.not_kept(_("the copy does not hold the same rows"))
    except sqlite3.DatabaseError as error:
        problem = _reason(error)
    finally:
        connection.close()
    if problem is not None:
        try:
            original = sqlite3.connect(source, uri=source_uri, timeout=30)
            try:
                in_source = _quick_check(lambda sql: original.execute(sql).fetchall())
            finally:
                original.close()
        except sqlite3.Error as error:
            raise blame.source(error) from None
        raise blame.damaged(in_source) if in_source is not None else blame.not_kept(problem)


def _store_blame(engine: Engine, path: Path) -> _Blame:
    database = _database_label(engine)
    return _Blame(
        unreadable=lambda reason: _source_failed(database, reason),
        damaged=lambda problem: _store_damaged(database, problem),
        dangling=lambda problem: CitynetError(N_("the database {database} holds a record that "
                                                 "refers to a missing one ({problem}); no backup "
                                                 "was written"), database=database, problem=problem),
        not_written=lambda reason: _target_failed(path, reason),
        not_kept=lambda problem: _not_kept(path, problem))


def _backup_sqlite(engine: Engine, path: Path) -> Path:
    source = sqlite_file(engine)
    if source is None:
        raise CitynetError(N_("a .db backup needs a SQLite database; this one is {dialect}: "
                              "name the backup .json"), dialect=engine.dialect.name)
    if path.resolve() == source.resolve():
        raise CitynetError(N_("the backup would overwrite the database itself: {path}"), path=path)
    blame = _store_blame(engine, path)
    counts: dict[str, int] = {}

    def fill(temporary: Path) -> None:
        counts.update(_copy_sqlite(str(source), temporary, blame))

    return _write_checked(path, fill, lambda temporary: _check_sqlite_copy(
        temporary, counts, str(source), blame))


# --- pg_dump (PostgreSQL) -----------------------------------------------------------------------


def _pg_tools() -> tuple[str, str]:
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if pg_dump is None or pg_restore is None:
        raise CitynetError(N_("a .pgdump backup needs PostgreSQL's pg_dump and pg_restore, which are "
                              "not installed here: install the PostgreSQL client tools, or name "
                              "the backup .json"))
    return pg_dump, pg_restore


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The store's URL as pg_dump and pg_restore read it, and their environment (the password
    goes there, not on a command line that others can see)."""
    env = dict(os.environ)
    if engine.url.password:
        env["PGPASSWORD"] = str(engine.url.password)
    url = engine.url.set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False), env


def _tool_error(stream) -> str:
    stream.seek(0)
    lines = [line.strip() for line in stream.read().decode("utf-8", "replace").splitlines()
             if line.strip()]
    if not lines:
        return "?"
    line = next((line for line in lines if "error:" in line), lines[0])
    return line.split("error:", 1)[-1].strip()


def _pg_dump_counts(pg_restore: str, archive: Path, path: Path) -> dict[str, int]:
    """The rows per table that a custom-format archive holds: pg_restore reads the whole archive
    back and writes its data as COPY text, one line per row."""
    counts: dict[str, int] = {}
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([pg_restore, "--data-only", "--file=-", str(archive)],
                                   stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None
        current = None
        with process.stdout:
            for line in process.stdout:
                if current is None:
                    if line.startswith(b"COPY "):
                        name = line[5:].split(b" (", 1)[0].decode("utf-8", "replace")
                        current = name.rsplit(".", 1)[-1].strip('"')
                        counts[current] = 0
                elif line == b"\\.\n":
                    current = None
                else:
                    counts[current] += 1
        if process.wait():
            raise _not_kept(path, _tool_error(errors))
    return counts


def _check_pg_dump(pg_restore: str, archive: Path, path: Path, counts: dict[str, int]) -> None:
    written = _pg_dump_counts(pg_restore, archive, path)
    for name, expected in counts.items():
        if written.get(name) != expected:
            raise _not_kept(path, _("{table}: {written} rows written, {expected} in the database")
                            .format(table=name, written=written.get(name, 0), expected=expected))


def _backup_pg_dump(engine: Engine, path: Path) -> Path:
    """pg_dump's custom format of the store's schema, taken in the snapshot in which the rows are
    counted (pg_dump --snapshot), then read back whole with pg_restore and counted again."""
    from citynet.store.db import read_snapshot

    pg_dump, pg_restore = _pg_tools()
    database = _database_label(engine)
    url, env = _libpq(engine)
    try:
        with read_snapshot(engine) as connection:
            schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
            snapshot = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            counts = _count_rows(connection)

            def fill(temporary: Path) -> None:
                with tempfile.TemporaryFile() as errors:
                    done = subprocess.run(
                        [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--schema={schema}",
                         f"--file={temporary}", f"--dbname={url}"],
                        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
                    if done.returncode:
                        reason = _tool_error(errors)
                        if "output file" in reason:  # pg_dump's words for its own file
                            raise _target_failed(path, reason)
                        raise _source_failed(database, reason)

            return _write_checked(path, fill,
                                  lambda temporary: _check_pg_dump(pg_restore, temporary, path, counts))
    except sa.exc.DatabaseError as error:
        raise _source_failed(database, error) from None


# --- backup -------------------------------------------------------------------------------------


def backup(engine: Engine, output: Path | None = None, *, create_parent: bool | None = None) -> Path:
    """Write a backup of the whole store to ``output`` (default: a timestamped file in exports/),
    read back and checked before it takes that name (see the module doc)."""
    path = Path(output) if output is not None else default_backup_path(engine)
    kind = _kind_of(path)
    if create_parent is None:
        create_parent = output is None
    if kind == "sqlite" and sqlite_file(engine) is None:
        raise CitynetError(N_("a .db backup needs a SQLite database; this one is {dialect}: "
                              "name the backup .json"), dialect=engine.dialect.name)
    if kind == "pgdump":
        if engine.dialect.name != "postgresql":
            raise CitynetError(N_("a .pgdump backup is for a PostgreSQL database; this one is "
                                  "{dialect}: name the backup .db or .json"),
                               dialect=engine.dialect.name)
        _pg_tools()
    _prepare_target(path, create_parent)
    if kind == "json":
        return _backup_json(engine, path)
    if kind == "pgdump":
        return _backup_pg_dump(engine, path)
    return _backup_sqlite(engine, path)


# --- reading a backup ---------------------------------------------------------------------------


def _scratch_engine(directory: str) -> Engine:
    from citynet.store.db import make_engine

    return make_engine(f"sqlite:///{Path(directory) / 'scratch.db'}")


def _backup_file_blame(path: Path) -> _Blame:
    """The messages for a .db backup being read: the file is the source, a scratch copy the target."""
    return _Blame(
        unreadable=lambda reason: CitynetError(N_("cannot read {path} as a SQLite database: {reason}"),
                                               path=path, reason=reason),
        damaged=lambda problem: CitynetError(N_("the backup {path} is damaged: it fails SQLite's "
                                                "integrity check ({problem})"), path=path, problem=problem),
        dangling=lambda problem: CitynetError(N_("the backup {path} holds a record that refers to a "
                                                 "missing one ({problem})"), path=path, problem=problem),
        not_written=lambda reason: CitynetError(N_("cannot copy the backup {path} into the temporary "
                                                   "directory: {reason}"), path=path, reason=reason),
        not_kept=lambda problem: CitynetError(N_("cannot copy the backup {path} into the temporary "
                                                 "directory: {reason}"), path=path, reason=problem))


def read_sqlite_backup(path: Path) -> dict:
    """The dump (at the current schema) of a .db backup; the file itself is never written."""
    from citynet.store.db import make_engine, read_schema_state
    from citynet.store.migrate import upgrade

    if not path.is_file():
        raise CitynetError(_("no such file: {path}").format(path=path))
    with tempfile.TemporaryDirectory(prefix="citynet-restore-") as directory:
        copy = Path(directory) / "backup.db"
        source, blame = f"file:{path}?mode=ro", _backup_file_blame(path)
        counts = _copy_sqlite(source, copy, blame, source_uri=True)
        _check_sqlite_copy(copy, counts, source, blame, source_uri=True)  # a damaged file: refused
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
    from citynet.store.db import read_snapshot

    metadata = sa.MetaData()
    tables = {}
    with read_snapshot(engine) as connection:  # every table as it was at one moment
        metadata.reflect(connection)
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        order = [table_name(model) for model in m.ALL_TABLES]
        names = [n for n in order if n in metadata.tables] + sorted(
            n for n in metadata.tables
            if n not in order and n != "alembic_version" and n not in m.DERIVED_TABLES)
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
    kind = _kind_of(path)
    if kind == "pgdump":
        raise CitynetError(N_("a .pgdump backup is restored with PostgreSQL's pg_restore: "
                              "pg_restore --clean --if-exists --no-owner --dbname=URL {path}"), path=path)
    if kind == "sqlite":
        return read_sqlite_backup(path)
    return read_json_backup(path)


def restore(engine: Engine, path: Path | str, *, force: bool = False, progress=None) -> dict[str, int]:
    """Replace the store's content with a backup's. Refuses a database holding data unless
    ``force``; everything is checked before the database is touched, then written in one
    transaction. Returns rows per table."""
    rows = dump.check_dump(read_backup(path))
    return dump.restore_dump(engine, rows, replace=force, progress=progress)
