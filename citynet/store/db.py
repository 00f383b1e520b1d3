"""Where the store lives and how to open it.

The URL comes from ``--db``, else ``CITYNET_DATABASE_URL``, else a SQLite file in the user data
directory. SQLite runs with foreign keys on, WAL and a busy timeout. Opening checks that the
database is citynet's and of a schema this build knows, upgrading it when it is older.

SQLAlchemy is imported by the functions that use it, not by this module: the terminal UI and the
command line resolve the URL before anything else, and the UI draws its first frame before the
store is opened (in a worker).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citynet.errors import N_, CitynetError, Message
from citynet.store.schema import KNOWN_REVISIONS, SCHEMA_HEAD

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection, Engine

ENV_URL = "CITYNET_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 5000


def default_database_url() -> str:
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path('citynet', appauthor=False) / 'citynet.db'}"


def resolve_database_url(cli_url: str | None = None) -> str:
    return cli_url or os.environ.get(ENV_URL) or default_database_url()


def _sqlite_path(url: sa.URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def live_database_file(url: str) -> Path | None:
    """The SQLite file ``url`` names (the live store, which no export may write over); None for
    another database, an in-memory or URI database, or a text that is not a database URL."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # not a URL: opening it says so, in one line
        return None
    return _sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None


def _check_sqlite_location(path: Path, create_dir: bool) -> None:
    directory = path.parent
    if not directory.exists():
        if not create_dir:
            raise CitynetError(N_("directory does not exist: {directory}"), directory=directory)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CitynetError(N_("cannot create directory {directory}: {reason}"),
                               directory=directory, reason=error.strerror) from None
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise CitynetError(N_("database file is not writable: {path}"), path=path)
    elif not os.access(directory, os.W_OK | os.X_OK):
        raise CitynetError(N_("directory is not writable: {directory}"), directory=directory)


def _check_sqlite_file(path: Path) -> None:
    """Look at an existing SQLite file read-only before citynet opens it for writing: opening
    switches the file to WAL, which must never happen to a file that is not citynet's."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    import sqlite3

    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise CitynetError(N_("not a citynet database: {path} ({reason})"), path=path, reason=str(error)) from None
    if tables and not {"alembic_version", "city"} <= tables:
        raise CitynetError(N_("not a citynet database: {path}"), path=path)


# SQLite's page cache per connection, in KiB when negative (SQLite's default is 2 MiB). Inserts
# into the indexes on random keys (uuid, slug, search and sort keys) of a 100,000-person store
# miss a small cache on nearly every row: 50,000 people take 3.5 s with the default and 1.9 s
# with 32 MiB, and the import holds the write lock that long. Pages are taken only as used.
SQLITE_CACHE_SIZE = -32 * 1024


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # a DB-API connection
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size={SQLITE_CACHE_SIZE}")
    cursor.close()


def _use_wal(engine: Engine) -> None:
    """Switch a SQLite file to WAL once it is known to be a current citynet database
    (the mode is stored in the file, so it must never be set on a file citynet refuses)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            mode = str(connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()).lower()
            if mode not in ("wal", "memory"):
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")


# user:password@ in a URL: the password part, for texts that are not a URL SQLAlchemy can read.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]*):[^@\s]*@")


def mask_url(url: str) -> str:
    """``url`` for a message: its password shown as ***, even when it is not a valid URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _URL_PASSWORD.sub(r"\1:***@", url)


def url_passwords(url: str | None) -> list[str]:
    """The password of a database URL as a driver or a URL may write it (nothing if none)."""
    if not url:
        return []
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        match = re.search(r"://[^:/?#@\s]*:([^@\s]*)@", url)
        password = match.group(1) if match else None
    if not password:
        return []
    from urllib.parse import quote, quote_plus, unquote

    forms = {str(password), quote(str(password), safe=""), quote_plus(str(password)),
             unquote(str(password))}
    return sorted(forms, key=len, reverse=True)


def hide_passwords(text: str, *urls: str | None) -> str:
    """``text`` with any URL's password shown as ***, and the passwords of ``urls`` (the
    database URLs in use) replaced wherever a driver repeated them."""
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    for url in urls:
        for password in url_passwords(url):
            text = text.replace(password, "***")
    return text


def make_engine(url: str, *, create_dir: bool = False) -> Engine:
    """An engine for ``url``; for a SQLite file, checks the directory first (one-line errors)."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
        raise CitynetError(N_("not a database URL: {url}"), url=mask_url(url)) from None
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(parsed)
        if path is not None:
            _check_sqlite_location(path, create_dir)
            _check_sqlite_file(path)
        engine = sa.create_engine(parsed)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("psycopg2", "default", ""):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except Exception as error:  # an unknown dialect or a missing driver
        raise CitynetError(N_("cannot use database URL {url}: {reason}"), url=mask_url(url),
                           reason=hide_passwords(str(error), url)) from None


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see the database as it was at one moment, whatever others
    save meanwhile (a backup, a dump): one read-only REPEATABLE READ transaction on PostgreSQL;
    one read transaction on SQLite, whose Python driver would otherwise run each SELECT in a
    transaction of its own (WAL keeps the snapshot of the first read to the end and never blocks
    a writer). Always rolled back: it writes nothing."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN DEFERRED")
        try:
            yield connection
        finally:
            connection.rollback()


# --- statements written as SQL text ----------------------------------------------------------------
# What the UI shows first (the dashboard) is read before SQLAlchemy is loaded: its statements are
# SQL text with named parameters (``:name``), the one text run by the standard library's sqlite3 at
# start-up and through the engine everywhere else. A reader is ``read(sql, params) -> rows``
# whose rows have the selected columns as attributes; dates and instants come back as the driver
# gives them (text on SQLite, objects on PostgreSQL).

Read = Callable[[str, dict], list]


def _text_param(value: Any, sqlite: bool) -> Any:
    """A parameter as the store holds it: instants naive UTC (aware ones converted); on SQLite
    the text SQLAlchemy writes there (``2024-11-11``, ``2024-11-11 05:00:00.000000``), which
    compares as the stored text does."""
    from datetime import date, datetime, timezone

    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value
    if isinstance(value, date) and sqlite:
        return value.isoformat()
    return value


@contextmanager
def text_reader(engine: Engine) -> Iterator[Read]:
    """A reader on one connection of ``engine``."""
    import sqlalchemy as sa

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        def read(sql: str, params: dict) -> list:
            return list(connection.execute(sa.text(sql), {k: _text_param(v, sqlite)
                                                          for k, v in params.items()}))

        yield read


_ROW_TYPES: dict[tuple[str, ...], type] = {}


def _named_row(cursor: Any, values: tuple) -> Any:
    fields = tuple(d[0] for d in cursor.description)
    row_type = _ROW_TYPES.get(fields)
    if row_type is None:
        from collections import namedtuple

        row_type = _ROW_TYPES[fields] = namedtuple("Row", fields, rename=True)
    return row_type(*values)


@contextmanager
def quick_sqlite_reader(url: str) -> Iterator[Read | None]:
    """A reader on a SQLite file that is a citynet store at this build's schema, through the
    standard library's driver alone (no SQLAlchemy, which takes longer to load than the first
    screen takes to read). None for anything else — another database, a URL with options, a
    missing file, a schema to upgrade, a file that is not citynet's: ``open_database`` decides
    those and says why. Nothing is created or written."""
    import sqlite3
    from urllib.parse import quote

    prefix = "sqlite:///"
    path = url[len(prefix):] if url.startswith(prefix) else ""
    if not path or path == ":memory:" or path.startswith("file:") or any(c in path for c in "?%#"):
        yield None
        return
    try:
        connection = sqlite3.connect(f"file:{quote(path)}?mode=rw", uri=True)
    except sqlite3.Error:
        yield None
        return
    try:
        connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        current = {"alembic_version", "city"} <= tables and connection.execute(
            "SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]
    except sqlite3.Error:
        current = False
    try:
        if not current:
            yield None
            return
        connection.row_factory = _named_row

        def read(sql: str, params: dict) -> list:
            return connection.execute(sql, {k: _text_param(v, True) for k, v in params.items()}).fetchall()

        yield read
    finally:
        connection.close()


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # None: the database is empty
    is_current: bool


def read_schema_state(engine: Engine) -> SchemaState:
    """What schema the database holds, or a one-line error if it is not citynet's."""
    import sqlalchemy as sa
    from sqlalchemy.exc import DatabaseError

    try:
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            if not tables:
                return SchemaState(None, False)
            if "alembic_version" not in tables or "city" not in tables:
                raise CitynetError(N_("not a citynet database: {database}"), database=safe_url(engine))
            revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError as error:
        raise CitynetError(N_("cannot open database {database}: {reason}"),
                           database=safe_url(engine), reason=_first_line(error, engine)) from None
    if revision not in KNOWN_REVISIONS:
        raise CitynetError(N_("the database has schema {revision}, newer than this citynet knows "
                              "({head}); upgrade citynet"), revision=revision, head=SCHEMA_HEAD)
    return SchemaState(revision, revision == SCHEMA_HEAD)


def safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _first_line(error: Exception, engine: Engine | None = None) -> str:
    original = getattr(error, "orig", None) or error
    line = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    if engine is None:
        return hide_passwords(line)
    return hide_passwords(line, engine.url.render_as_string(hide_password=False))


def open_database(url: str | None = None, *, upgrade: bool = True, create: bool = True,
                  announce: Callable[[str], object] | None = None) -> Engine:
    """Open the store at ``url`` (resolved as documented above), upgrading an older schema.

    With ``create=False`` a missing or empty database is an error and nothing is created (for
    commands that only read). ``announce`` receives one line saying what was upgraded, if anything
(a :class:`~citynet.errors.Message`: English as a ``str``; ``citynet.i18n.describe`` translates it).
Errors are :class:`~citynet.errors.CitynetError` with a msgid and arguments, translated at the edge.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    resolved = resolve_database_url(url)
    if not create:
        path = _sqlite_path(make_url(resolved)) if resolved.startswith("sqlite") else None
        if path is not None and not path.exists():
            raise CitynetError(N_("no citynet database at {path}; create one with: citynet demo"), path=path)
    # Only the default location is created; a directory the user named must exist.
    engine = make_engine(resolved, create_dir=resolved == default_database_url())
    try:
        state = read_schema_state(engine)
    except CitynetError:
        engine.dispose()
        raise
    if state.revision is None and not create:
        engine.dispose()
        raise CitynetError(N_("the database {database} is empty; create one with: citynet demo"),
                           database=safe_url(engine))
    if not state.is_current:
        if not upgrade:
            raise CitynetError(N_("the database schema is {revision}; run: citynet db upgrade"),
                               revision=state.revision or "empty")
        from citynet.store.migrate import upgrade as run_upgrade

        try:
            run_upgrade(engine)
        except OperationalError as error:
            raise CitynetError(N_("cannot upgrade database {database}: {reason}"),
                               database=safe_url(engine), reason=_first_line(error, engine)) from None
        if announce is not None:
            before = state.revision or "empty"
            announce(Message(N_("database {database} upgraded from {before} to {after}"),
                             database=safe_url(engine), before=before, after=SCHEMA_HEAD))
    _use_wal(engine)
    return engine
