"""Backups that can be trusted: a JSON backup or dump reads the whole store in one snapshot even
while others save (every backup restores, no child points at a missing parent), a backup checks
the file it wrote before it says "Written", a damaged SQLite store is refused with a message that
says so, a failure is blamed on the source or the target as the case is, and a team server can
also be backed up in pg_dump's custom format."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from citynet.demo.loader import load_demo
from citynet.errors import CitynetError
from citynet.services import backup as backups
from citynet.services import dump, records
from citynet.store import models as m

WRITERS = 3
BACKUPS = 8


def _orphans(data: dict) -> list[str]:
    """Rows of the dump whose foreign keys name a row the dump does not hold."""
    from citynet.services.tables import table_of

    ids = {name: {row["id"] for row in rows} for name, rows in data["tables"].items()}
    found = []
    for model in m.ALL_TABLES:
        table = table_of(model)
        for row in data["tables"].get(table.name, []):
            for column in table.columns:
                for key in column.foreign_keys:
                    value = row.get(column.name)
                    if value is not None and value not in ids.get(key.column.table.name, set()):
                        found.append(f"{table.name} {row['id']}.{column.name}={value}")
    return found


def _fresh_sqlite(template: Path, path: Path, open_db):
    shutil.copyfile(template, path)
    return open_db(f"sqlite:///{path}")


def _save_parents_and_children(url: str, number: int, stop: threading.Event, errors: list,
                               saved: list) -> None:
    """One user saving events and their sessions through the write path until told to stop."""
    from citynet.store.db import make_engine

    engine = make_engine(url)
    try:
        i = 0
        while not stop.is_set():
            try:
                with records.writing(engine, origin="form", user=f"writer{number}") as writer:
                    event = writer.create("event", {
                        "slug": f"w{number}-event-{i}", "kind": "meeting", "title_en": f"Meeting {i}",
                        "start_date": "2026-05-01", "timezone": "Asia/Tokyo"})
                    writer.create("session", {"slug": f"w{number}-session-{i}", "event_id": event.id,
                                              "kind": "meeting", "title_en": f"Session {i}"})
                saved.append(1)
            except CitynetError as error:  # busy: try again, as a person would
                if "busy" not in str(error):
                    raise
            i += 1
    except Exception as error:  # noqa: BLE001  (reported by the test)
        errors.append(error)
    finally:
        engine.dispose()


def test_json_backups_while_others_save_all_restore(engine, tmp_path, open_db,
                                                     migrated_sqlite_template):
    load_demo(engine)
    url = engine.url.render_as_string(hide_password=False)
    stop, errors, saved = threading.Event(), [], []
    threads = [threading.Thread(target=_save_parents_and_children, args=(url, n, stop, errors, saved))
               for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    made = []
    try:
        while len(saved) < 3 and not errors:  # the writers are under way
            threading.Event().wait(0.01)
        at_start = len(saved)
        for k in range(BACKUPS):
            made.append(backups.backup(engine, tmp_path / f"backup-{k}.json"))
        during = len(saved) - at_start
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
    assert during > 0  # they did save while the backups were taken
    orphans = {path.name: _orphans(json.loads(path.read_text(encoding="utf-8"))) for path in made}
    assert not any(orphans.values()), (
        f"{sum(map(len, orphans.values()))} orphans in {sum(map(bool, orphans.values()))} of "
        f"{BACKUPS} backups taken during {during} saves: {orphans}")
    for k, path in enumerate(made):
        target = _fresh_sqlite(migrated_sqlite_template, tmp_path / f"restored-{k}.db", open_db)
        counts = backups.restore(target, path)
        data = json.loads(path.read_text(encoding="utf-8"))
        assert counts == {name: len(rows) for name, rows in data["tables"].items()}


# --- a backup checks what it wrote -----------------------------------------------------------------


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("damage", ["a row lost", "a reference to nothing"])
def test_a_json_backup_that_does_not_match_is_not_kept(engine, tmp_path, monkeypatch, damage):
    """What is written is read back and checked: a row lost on the way, or a reference that names
    nothing, and the backup is refused and removed rather than reported as written."""
    load_demo(engine)
    export_from = dump.export_from

    def damaged(connection):
        data = export_from(connection)
        sessions = data["tables"]["session"]
        if damage == "a row lost":
            sessions.pop()
        else:
            sessions[0]["event_id"] = 999_999
        return data

    monkeypatch.setattr(dump, "export_from", damaged)
    target = tmp_path / "b.json"
    with pytest.raises(CitynetError, match="it was not kept") as raised:
        backups.backup(engine, target)
    assert ("session: " if damage == "a row lost" else "event 999999") in str(raised.value)
    assert not target.exists() and not _leftovers(tmp_path)


def test_backup_and_dump_read_in_one_snapshot(engine):
    """One read-only REPEATABLE READ transaction on PostgreSQL, one read transaction on SQLite."""
    from citynet.store.db import read_snapshot

    with read_snapshot(engine) as connection:
        if engine.dialect.name == "postgresql":
            assert connection.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
            assert connection.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
        else:
            connection.exec_driver_sql("SELECT count(*) FROM city").scalar()
            assert connection.connection.dbapi_connection.in_transaction
    with engine.connect() as connection:  # the connection goes back to the pool as it was
        if engine.dialect.name == "postgresql":
            assert connection.exec_driver_sql("SHOW transaction_read_only").scalar() == "off"


# --- a damaged source, a target that cannot be written ---------------------------------------------


def _demo_file(path: Path) -> Path:
    from citynet.store.db import open_database

    engine = open_database(f"sqlite:///{path}")
    load_demo(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    assert not Path(f"{path}-wal").exists()
    return path


def _damage_table(path: Path, table: str) -> int:
    """Overwrite the first cell pointer of a leaf page of ``table``: SELECT then reads a row of
    garbage without an error; SQLite's integrity check finds it. Returns the page number."""
    import sqlite3
    import struct

    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        page = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                  (table,)).fetchone()[0]
    connection.close()
    with open(path, "r+b") as stream:
        while True:
            stream.seek((page - 1) * page_size)
            header = stream.read(12)
            if header[0] == 0x0D:  # a table leaf
                break
            assert header[0] == 0x05, header  # a table interior page: go down its first child
            first_cell = struct.unpack(">H", stream.read(2))[0]  # the cell pointers follow the header
            stream.seek((page - 1) * page_size + first_cell)
            page = struct.unpack(">I", stream.read(4))[0]
        stream.seek((page - 1) * page_size + 8)
        stream.write(b"\x00\x01")
    return page


@pytest.fixture
def damaged_store(tmp_path) -> Path:
    path = _demo_file(tmp_path / "damaged.db")
    _damage_table(path, "city")
    return path


@pytest.mark.parametrize("suffix", [".db", ".json"])
def test_a_damaged_store_is_refused(cli, tmp_path, damaged_store, suffix):
    target = tmp_path / f"backup{suffix}"
    code, out, err = cli("backup", "-o", str(target), "--db", f"sqlite:///{damaged_store}")
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert f"the database {damaged_store} is damaged" in err and "integrity check" in err, err
    assert "no backup was written" in err
    assert not target.exists() and not _leftovers(tmp_path)


def test_a_damaged_db_backup_is_refused_on_restore(cli, tmp_path, damaged_store):
    code, out, err = cli("restore", str(damaged_store), "--db", f"sqlite:///{tmp_path / 'new.db'}")
    assert code == 2, (out, err)
    assert f"the backup {damaged_store} is damaged" in err and "integrity check" in err, err


@pytest.fixture
def unwritable_directory(tmp_path) -> Iterator[Path]:
    """A directory nobody can write in: no write permission, and for root (whom permissions do
    not stop) the immutable attribute."""
    directory = tmp_path / "locked"
    directory.mkdir()
    directory.chmod(0o555)
    immutable = False
    if os.access(directory, os.W_OK):  # root
        immutable = shutil.which("chattr") is not None and subprocess.run(
            ["chattr", "+i", str(directory)], capture_output=True).returncode == 0
        if not immutable:
            directory.chmod(0o755)
            pytest.skip("running as root without chattr +i: no directory here is unwritable")
    yield directory
    if immutable:
        subprocess.run(["chattr", "-i", str(directory)], check=True)
    directory.chmod(0o755)


@pytest.mark.parametrize("suffix", [".db", ".json"])
def test_an_unwritable_target_is_the_targets_fault(cli, tmp_path, unwritable_directory, suffix):
    _demo_file(tmp_path / "cli.db")
    target = unwritable_directory / f"backup{suffix}"
    code, out, err = cli("backup", "-o", str(target))
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert f"cannot write the backup {target}" in err, err
    assert "cannot read" not in err
    assert not target.exists()


def _limit_file_size(limit: int):
    def limit_it():
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_it


@pytest.mark.parametrize("suffix", [".db", ".json"])
def test_a_full_disk_is_the_targets_fault(cli, tmp_path, suffix):
    """A write that fails half-way (a disk that fills up: here, a file-size limit) is the backup
    file's fault, not "cannot read the database", and leaves no file behind."""
    store = _demo_file(tmp_path / "cli.db")
    target = tmp_path / "out" / f"backup{suffix}"
    target.parent.mkdir()
    limit = 64 * 1024
    assert store.stat().st_size > limit
    completed = subprocess.run([sys.executable, "-m", "citynet", "backup", "-o", str(target)],
                               env=cli.env, cwd=tmp_path, capture_output=True, text=True,
                               encoding="utf-8", preexec_fn=_limit_file_size(limit), timeout=120)
    err = completed.stderr
    assert completed.returncode == 2, (completed.stdout, err)
    assert len(err.strip().splitlines()) == 1, err
    assert f"cannot write the backup {target}" in err, err
    assert "cannot read" not in err
    assert not target.exists() and not _leftovers(target.parent)


# --- pg_dump's custom format for a team server -----------------------------------------------------

needs_pg_dump = pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
                                   reason="pg_dump/pg_restore are not installed on this machine")


@pytest.mark.postgres
@needs_pg_dump
def test_pgdump_backup_restores_with_pg_restore(cli, tmp_path, pg_url, pg_admin_engine, open_db):
    import secrets
    from urllib.parse import quote

    from sqlalchemy.engine import make_url

    engine = open_db(pg_url)
    load_demo(engine)
    original = dump.export_json(engine)
    target = tmp_path / "team.pgdump"
    code, out, err = cli("backup", "-o", str(target), "--db", pg_url)
    assert code == 0, err
    assert out.strip() == f"Written: {target}"
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    # restored with pg_restore into a database of its own, it holds the same store
    with engine.connect() as connection:
        schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
    name = f"citynet_r_{secrets.token_hex(6)}"
    with pg_admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        server = make_url(pg_admin_engine.url.render_as_string(hide_password=False)).set(database=name)
        libpq = server.set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={libpq}", str(target)], check=True,
                       capture_output=True)
        restored = open_db(f"{server.render_as_string(hide_password=False)}"
                           f"?options={quote(f'-csearch_path={schema}', safe='')}")
        assert dump.dumps(dump.export_json(restored)) == dump.dumps(original)
        restored.dispose()
    finally:
        with pg_admin_engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.mark.postgres
def test_pgdump_without_pg_dump_is_refused_in_one_line(cli, tmp_path, pg_url, open_db):
    load_demo(open_db(pg_url))
    target = tmp_path / "team.pgdump"
    empty = tmp_path / "bin"
    empty.mkdir()
    code, out, err = cli("backup", "-o", str(target), "--db", pg_url, env={"PATH": str(empty)})
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "pg_dump" in err and ".json" in err, err
    assert not target.exists()


def test_pgdump_on_sqlite_is_refused_in_one_line(cli, tmp_path):
    _demo_file(tmp_path / "cli.db")
    target = tmp_path / "b.pgdump"
    code, out, err = cli("backup", "-o", str(target))
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and "PostgreSQL" in err and "sqlite" in err, err
    assert not target.exists()
    code, out, err = cli("restore", str(target))
    assert code == 2 and "pg_restore" in err, err
