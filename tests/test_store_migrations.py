"""Migrations and opening a database: what ``open_database`` creates, that the migrated schema is
exactly the models, and that a database which is not (or not yet) citynet's is left untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from citynet.errors import CitynetError
from citynet.store import migrate
from citynet.store import models  # noqa: F401  (registers every table in SQLModel.metadata)
from citynet.store.db import make_engine, open_database, read_schema_state
from citynet.store.schema import KNOWN_REVISIONS, SCHEMA_HEAD

FUTURE = "9999_future"


def table_names(engine) -> set[str]:
    with engine.connect() as connection:
        return set(sa.inspect(connection).get_table_names())


def alembic_revision(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()


def file_state(path: Path) -> str:
    """A digest of a SQLite file's bytes (its -wal/-shm companions come and go with connections).

    Header bytes 18-19 hold the journal mode: a file switched to WAL is a changed file."""
    data = path.read_bytes()
    return f"{len(data)} bytes, header {data[:20]!r}, sha256 {hashlib.sha256(data).hexdigest()}"


# --- upgrading from empty -----------------------------------------------------------------------


def test_upgrade_from_empty_creates_every_table(database_url, open_db):
    announced: list[str] = []
    engine = open_db(database_url, announce=announced.append)
    assert table_names(engine) == set(SQLModel.metadata.tables) | {"alembic_version"}
    assert {t.__tablename__ for t in models.ALL_TABLES} | set(models.DERIVED_TABLES) == set(
        SQLModel.metadata.tables)
    assert alembic_revision(engine) == SCHEMA_HEAD
    state = read_schema_state(engine)
    assert (state.revision, state.is_current) == (SCHEMA_HEAD, True)
    assert len(announced) == 1
    assert "\n" not in announced[0]
    assert "empty" in announced[0] and SCHEMA_HEAD in announced[0]


def test_empty_database_reads_as_empty(database_url):
    engine = make_engine(database_url, create_dir=True)
    try:
        state = read_schema_state(engine)
        assert (state.revision, state.is_current) == (None, False)
        assert table_names(engine) == set()
    finally:
        engine.dispose()


def test_refusing_to_upgrade_leaves_an_empty_database_empty(database_url):
    with pytest.raises(CitynetError, match="citynet db upgrade"):
        open_database(database_url, upgrade=False)
    engine = make_engine(database_url)
    try:
        assert table_names(engine) == set()
    finally:
        engine.dispose()


def _migration_context(connection) -> MigrationContext:
    return MigrationContext.configure(connection, opts={"compare_type": True,
                                                       "compare_server_default": True})


def test_migrated_schema_matches_the_models(engine):
    """Nobody changes a model without writing a migration (and the other way round)."""
    with engine.connect() as connection:
        differences = compare_metadata(_migration_context(connection), SQLModel.metadata)
    assert differences == [], "models and migrations differ; write a migration:\n" + "\n".join(
        map(repr, differences))


def test_migrated_check_constraints_match_the_models(engine):
    """Alembic's comparison ignores CHECK constraints; the vocabularies live in them."""
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        for name, table in SQLModel.metadata.tables.items():
            expected = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
            # SQLite also reflects CHECKs SQLAlchemy adds for booleans, which carry no name here.
            found = {c["name"] for c in inspector.get_check_constraints(name) if c["name"]}
            assert found == expected, f"CHECK constraints of {name}"


def test_migrated_partial_home_index(engine):
    with engine.connect() as connection:
        indexes = {i["name"]: i for i in sa.inspect(connection).get_indexes("city")}
    assert indexes["uq_city_home"]["unique"]
    assert indexes["uq_city_home"]["column_names"] == ["is_home"]


def test_comparison_would_notice_a_model_without_a_migration(engine):
    """The check above can fail: a column the migrations lack is reported."""
    metadata = sa.MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(metadata)
    sa.Table("city", metadata, sa.Column("motto_en", sa.String()), extend_existing=True)
    with engine.connect() as connection:
        differences = compare_metadata(_migration_context(connection), metadata)
    assert [d[0] for d in differences] == ["add_column"]
    assert differences[0][3].name == "motto_en"


def test_known_revisions_match_the_migration_scripts():
    assert list(KNOWN_REVISIONS) == migrate.script_revisions()
    assert SCHEMA_HEAD == migrate.script_revisions()[-1]


def test_migration_scripts_form_one_line():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [SCHEMA_HEAD]
    assert len(script.get_bases()) == 1


# --- opening again ------------------------------------------------------------------------------


def test_second_open_does_nothing(database_url, open_db):
    first: list[str] = []
    open_db(database_url, announce=first.append)
    assert len(first) == 1
    second: list[str] = []
    engine = open_db(database_url, announce=second.append)
    assert second == []
    assert alembic_revision(engine) == SCHEMA_HEAD
    assert table_names(engine) == set(SQLModel.metadata.tables) | {"alembic_version"}
    # upgrade=False accepts a current database.
    open_db(database_url, upgrade=False, announce=second.append)
    assert second == []


def test_second_open_keeps_the_data(database_url, open_db):
    engine = open_db(database_url)
    with engine.begin() as connection:
        connection.execute(sa.insert(models.City.__table__).values(
            slug="baku", country="AZ", timezone="Asia/Baku", is_home=False, revision=1,
            created_at=models.utcnow(), updated_at=models.utcnow()))
    again = open_db(database_url)
    with again.connect() as connection:
        assert connection.execute(sa.text("SELECT slug FROM city")).scalars().all() == ["baku"]


def test_upgrade_from_0008_keeps_the_rows_and_adds_the_dashboard_indexes(database_url, open_db):
    """A store written by the previous schema opens at the head: its rows kept, and the indexes
    "recent changes" and "upcoming" read from in place (the plan says so, not only the catalog)."""
    engine = make_engine(database_url, create_dir=True)
    try:
        migrate.upgrade(engine, "0008_event_network")
        with engine.begin() as connection:
            for slug in ("baku", "kobe"):
                connection.execute(sa.text(
                    "INSERT INTO city (uuid, slug, country, timezone, is_home, revision, created_at, "
                    "updated_at) VALUES (:uuid, :slug, 'JP', 'Asia/Tokyo', :no, 1, :at, :at)"),
                    {"uuid": slug, "slug": slug, "no": False, "at": models.utcnow()})
    finally:
        engine.dispose()
    announced: list[str] = []
    engine = open_db(database_url, announce=announced.append)
    assert alembic_revision(engine) == SCHEMA_HEAD and len(announced) == 1
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT slug FROM city ORDER BY slug")).scalars().all() == [
            "baku", "kobe"]
        inspector = sa.inspect(connection)
        for table in ("city", "network", "organisation", "person", "event", "session"):
            assert {"name": f"ix_{table}_updated_at", "column_names": ["updated_at"]} in [
                {"name": i["name"], "column_names": i["column_names"]}
                for i in inspector.get_indexes(table)]
        assert {"name": "ix_event_end_date", "column_names": ["end_date", "start_date"]} in [
            {"name": i["name"], "column_names": i["column_names"]} for i in inspector.get_indexes("event")]
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT slug FROM session ORDER BY updated_at DESC, id DESC LIMIT 12"))
            assert "ix_session_updated_at" in plan and "TEMP B-TREE" not in plan


# --- SQLite connection settings -----------------------------------------------------------------


def test_sqlite_pragmas(sqlite_engine):
    # Two connections at once: every pooled connection gets the settings, not only the first.
    with sqlite_engine.connect() as one, sqlite_engine.connect() as two:
        for connection in (one, two):
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar().lower() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_sqlite_file_is_in_wal_mode_for_other_clients(sqlite_engine):
    sqlite_engine.dispose()
    path = sqlite_engine.url.database
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"


def test_open_refuses_a_named_missing_directory(tmp_path):
    missing = tmp_path / "a" / "b"
    with pytest.raises(CitynetError, match="does not exist") as error:
        open_database(f"sqlite:///{missing / 'citynet.db'}")
    _one_line(error)
    assert not (tmp_path / "a").exists()


def test_open_creates_the_default_location(tmp_path, monkeypatch, open_db):
    monkeypatch.delenv("CITYNET_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    engine = open_db()
    assert engine.dialect.name == "sqlite"
    path = Path(engine.url.database)
    assert path.is_relative_to(tmp_path / "xdg") and path.exists()
    assert read_schema_state(engine).is_current


# --- databases that are not (or not yet) citynet's ----------------------------------------------


@pytest.fixture
def foreign_sqlite(tmp_path) -> Path:
    """A SQLite file of another application (rollback-journal mode, as sqlite3 makes it)."""
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        raw.execute("INSERT INTO customers (name) VALUES ('Ada')")
    raw.close()
    return path


@pytest.fixture
def random_file(tmp_path) -> Path:
    path = tmp_path / "noise.db"
    noise = os.urandom(8192)
    assert not noise.startswith(b"SQLite format 3\x00")
    path.write_bytes(noise)
    return path


@pytest.fixture
def future_sqlite(tmp_path) -> Path:
    """A citynet SQLite file whose schema is newer than this build knows."""
    path = tmp_path / "future.db"
    engine = open_database(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


def _one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert message and "\n" not in message, f"not one line: {message!r}"
    assert "Traceback" not in message
    return message


def plain_sqlite_engine(path: Path):
    """An engine without citynet's connection settings, to test ``read_schema_state`` alone."""
    return sa.create_engine(f"sqlite:///{path}")


def test_read_schema_state_refuses_another_applications_tables(foreign_sqlite):
    before = file_state(foreign_sqlite)
    engine = plain_sqlite_engine(foreign_sqlite)
    try:
        with pytest.raises(CitynetError, match="not a citynet database") as error:
            read_schema_state(engine)
    finally:
        engine.dispose()
    _one_line(error)
    assert file_state(foreign_sqlite) == before


def test_make_engine_and_read_schema_state_leave_a_foreign_file_alone(foreign_sqlite):
    """citynet's engine switches files to WAL: it must not do so to a file that is not citynet's
    (the refusal may come from ``make_engine`` or from ``read_schema_state``)."""
    before = file_state(foreign_sqlite)
    engine = None
    with pytest.raises(CitynetError, match="not a citynet database") as error:
        engine = make_engine(f"sqlite:///{foreign_sqlite}")
        read_schema_state(engine)
    if engine is not None:
        engine.dispose()
    _one_line(error)
    assert file_state(foreign_sqlite) == before


def test_open_database_refuses_another_applications_tables(foreign_sqlite):
    before = file_state(foreign_sqlite)
    announced: list[str] = []
    with pytest.raises(CitynetError, match="not a citynet database") as error:
        open_database(f"sqlite:///{foreign_sqlite}", announce=announced.append)
    _one_line(error)
    assert announced == []
    assert file_state(foreign_sqlite) == before
    with sqlite3.connect(foreign_sqlite) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    raw.close()
    assert tables == {"customers"}


def test_read_schema_state_refuses_random_bytes(random_file):
    before = file_state(random_file)
    engine = plain_sqlite_engine(random_file)
    try:
        with pytest.raises(CitynetError) as error:
            read_schema_state(engine)
    finally:
        engine.dispose()
    _one_line(error)
    assert file_state(random_file) == before


def test_make_engine_and_read_schema_state_refuse_random_bytes(random_file):
    before = file_state(random_file)
    engine = None
    with pytest.raises(CitynetError) as error:
        engine = make_engine(f"sqlite:///{random_file}")
        read_schema_state(engine)
    if engine is not None:
        engine.dispose()
    _one_line(error)
    assert file_state(random_file) == before


def test_open_database_refuses_random_bytes(random_file):
    before = file_state(random_file)
    with pytest.raises(CitynetError) as error:
        open_database(f"sqlite:///{random_file}")
    _one_line(error)
    assert file_state(random_file) == before


def test_read_schema_state_refuses_a_newer_schema(future_sqlite):
    before = file_state(future_sqlite)
    engine = make_engine(f"sqlite:///{future_sqlite}")
    try:
        with pytest.raises(CitynetError, match="newer") as error:
            read_schema_state(engine)
    finally:
        engine.dispose()
    assert FUTURE in _one_line(error)
    assert file_state(future_sqlite) == before


def test_open_database_refuses_a_newer_schema(future_sqlite):
    before = file_state(future_sqlite)
    announced: list[str] = []
    with pytest.raises(CitynetError, match="newer") as error:
        open_database(f"sqlite:///{future_sqlite}", announce=announced.append)
    _one_line(error)
    assert announced == []
    assert file_state(future_sqlite) == before


def test_open_database_refuses_a_newer_schema_on_every_backend(database_url, open_db):
    engine = open_db(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE})
    with pytest.raises(CitynetError, match="newer"):
        open_database(database_url)
    assert alembic_revision(engine) == FUTURE
    assert table_names(engine) == set(SQLModel.metadata.tables) | {"alembic_version"}


def test_alembic_version_without_citynet_tables_is_not_citynet(tmp_path):
    path = tmp_path / "other-alembic.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        raw.execute("INSERT INTO alembic_version VALUES ('abc123')")
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    raw.close()
    before = file_state(path)
    with pytest.raises(CitynetError, match="not a citynet database"):
        open_database(f"sqlite:///{path}")
    assert file_state(path) == before


def test_open_database_leaves_a_newer_rollback_journal_file_alone(future_sqlite):
    """A newer citynet may have left its file in rollback-journal mode (or a copy was made in
    that mode): refusing it must not switch it to WAL either."""
    with sqlite3.connect(future_sqlite) as raw:
        assert raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    raw.close()
    before = file_state(future_sqlite)
    with pytest.raises(CitynetError, match="newer"):
        open_database(f"sqlite:///{future_sqlite}")
    assert file_state(future_sqlite) == before


# --- the first look: the UI's read before SQLAlchemy ----------------------------------------------


def test_quick_reader_reads_only_a_current_citynet_file_and_changes_none(
        tmp_path, foreign_sqlite, random_file, future_sqlite, migrated_sqlite_template):
    """The UI's first read (plain sqlite3) takes only a citynet file at this build's schema; every
    other file is left to ``open_database`` (which says why) and left as it was."""
    from citynet.store.db import quick_sqlite_reader

    older = tmp_path / "older.db"
    engine = make_engine(f"sqlite:///{older}", create_dir=True)
    migrate.upgrade(engine, KNOWN_REVISIONS[-2])
    engine.dispose()
    for path in (foreign_sqlite, random_file, future_sqlite, older):
        before = file_state(path)
        with quick_sqlite_reader(f"sqlite:///{path}") as read:
            assert read is None, path.name
        assert file_state(path) == before, path.name
    missing = tmp_path / "missing.db"
    for url in (f"sqlite:///{missing}", "sqlite://", "sqlite:///:memory:",
                f"sqlite:///{migrated_sqlite_template}?mode=ro", "postgresql://nobody@nowhere/x"):
        with quick_sqlite_reader(url) as read:
            assert read is None, url
    assert not missing.exists()
    current = tmp_path / "current.db"
    shutil.copyfile(migrated_sqlite_template, current)
    before = file_state(current)
    with quick_sqlite_reader(f"sqlite:///{current}") as read:
        assert read is not None
        assert read("SELECT version_num FROM alembic_version", {})[0].version_num == SCHEMA_HEAD
    assert file_state(current) == before
