"""Backups and restores: .db and .json backups, refusing to overwrite without --force, dumps
and .db files from an older schema, and imports and restores killed half-way (SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_dump import without_restore_entry
import sqlalchemy as sa

from citynet.demo.loader import load_demo
from citynet.errors import CitynetError
from citynet.services import backup as backups
from citynet.services.dump import dumps, export_json
from citynet.store.schema import KNOWN_REVISIONS

OLDEST = KNOWN_REVISIONS[0]


def _export(cli, *args) -> dict:
    code, out, err = cli("export", "json", "-o", "-", *args)
    assert code == 0, err
    return json.loads(out)


def test_backup_db_restore_export_is_the_original(cli, tmp_path):
    cli.load_demo()
    original = _export(cli)
    code, out, err = cli("backup")
    assert code == 0, err
    [made] = (tmp_path / "exports").glob("citynet-backup-*.db")
    url = f"sqlite:///{tmp_path / 'copy.db'}"
    code, out, err = cli("restore", str(made), "--db", url)
    assert code == 0, err
    assert without_restore_entry(_export(cli, "--db", url)) == original
    with sqlite3.connect(made) as connection:  # a single file, not in WAL mode
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_restore_into_non_empty_refuses_without_force(cli, tmp_path):
    cli.load_demo()
    original = _export(cli)
    assert cli("backup", "-o", str(tmp_path / "b.json"))[0] == 0
    # change something, then try to go back
    extra = tmp_path / "extra.csv"
    extra.write_text("City,Country,Time zone\nHeidelberg,DE,Europe/Berlin\n", encoding="utf-8")
    assert cli("import", "csv", "cities", str(extra))[0] == 0
    changed = _export(cli)
    code, out, err = cli("restore", str(tmp_path / "b.json"))
    assert code == 2 and "--force" in err and len(err.strip().splitlines()) == 1
    assert _export(cli) == changed
    code, out, err = cli("restore", str(tmp_path / "b.json"), "--force")
    assert code == 0, err
    assert without_restore_entry(_export(cli)) == original


def test_json_backup_round_trip_on_each_engine(engine, tmp_path, open_db):
    load_demo(engine)
    original = export_json(engine)
    path = backups.backup(engine, tmp_path / "b.json")
    copy = open_db(f"sqlite:///{tmp_path / 'copy.db'}")
    backups.restore(copy, path)
    assert dumps(without_restore_entry(export_json(copy))) == dumps(original)
    with pytest.raises(CitynetError, match="not empty"):
        backups.restore(engine, path)
    backups.restore(engine, path, force=True)  # replaces everything, in one transaction
    assert dumps(without_restore_entry(export_json(engine))) == dumps(original)


def test_db_backup_needs_sqlite(engine, tmp_path):
    if engine.dialect.name == "sqlite":
        pytest.skip("the refusal is for other engines")
    with pytest.raises(CitynetError, match=r"\.json"):
        backups.backup(engine, tmp_path / "b.db")


def test_backup_refuses_other_suffixes(sqlite_engine, tmp_path):
    with pytest.raises(CitynetError, match=r"\.db, \.sqlite or \.json"):
        backups.backup(sqlite_engine, tmp_path / "b.txt")


def _old_schema_database(path: Path, head_dump: dict):
    """A SQLite store at the oldest revision holding the head dump's data (the columns that
    revision has): what an older citynet would have had."""
    from citynet.store.db import make_engine
    from citynet.store.migrate import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, OLDEST)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        backups.load_rows_as_they_are(connection, {
            name: rows for name, rows in head_dump["tables"].items() if name in metadata.tables})
    return engine


@pytest.mark.skipif(len(KNOWN_REVISIONS) < 2, reason="no older schema revision yet")
@pytest.mark.parametrize("suffix", [".json", ".db"])
def test_backup_from_an_older_schema_restores_after_an_upgrade(engine, tmp_path, open_db, suffix):
    source = open_db(f"sqlite:///{tmp_path / 'source.db'}")
    load_demo(source)
    original = export_json(source)
    old = _old_schema_database(tmp_path / "old.db", original)
    # what the oldest schema can hold: its tables and their columns (later tables, such as the
    # releases the demo records, and later columns, such as a post's as_of date, are not in it)
    inspector = sa.inspect(old)
    old_columns = {name: {c["name"] for c in inspector.get_columns(name)}
                   for name in inspector.get_table_names()}
    try:
        if suffix == ".json":
            old_dump = backups.export_as_it_is(old)
            assert old_dump["schema"] == OLDEST
            assert set(old_dump["tables"]["city"][0]) < set(original["tables"]["city"][0])
            backup_file = tmp_path / "old.json"
            backup_file.write_text(json.dumps(old_dump, ensure_ascii=False), encoding="utf-8")
        else:
            backup_file = tmp_path / "old.db"
    finally:
        old.dispose()
    backups.restore(engine, backup_file)
    # every record as it was; the oldest schema kept no history and no author of the last save:
    # only the restore entry is in the history, and updated_by is empty
    restored = export_json(engine)
    assert [c["action"] for c in restored["tables"]["change"]] == ["restore"]

    def records_only(tables):
        return {name: [{key: None if key == "updated_by" else value for key, value in row.items()
                        if key in old_columns[name]} for row in rows]
                for name, rows in tables.items() if name != "change" and name in old_columns}
    assert records_only(restored["tables"]) == records_only(original["tables"])
    assert not restored["tables"].get("document_release")  # not in the oldest schema
    # the backup file itself is left as it was
    if suffix == ".db":
        with sqlite3.connect(backup_file) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").scalar() if False else \
                connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == OLDEST


# --- killed half-way ----------------------------------------------------------------------------


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _run_and_kill(cli, args: list[str], *, marker: str = "…", timeout: float = 120) -> tuple[int, str]:
    """Start ``python -m citynet ARGS``, wait for a progress line (it is writing by then), SIGKILL."""
    process = subprocess.Popen([sys.executable, "-m", "citynet", *args], env=cli.env, cwd=cli.tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8")
    seen = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith(marker):
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        if process.poll() is None and time.monotonic() >= deadline:
            process.kill()
        process.wait(timeout=30)
        process.stderr.close()
    return process.returncode, "".join(seen)


def _big_cities_csv(path: Path, n: int = 10_000) -> Path:
    lines = ["都市名,City,国,タイムゾーン"]
    lines += [f"テスト都市{i},Test City {i},JP,Asia/Tokyo" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_killed_half_way_leaves_the_database_unchanged(cli, tmp_path):
    cli.load_demo()
    before = _export(cli)
    big = _big_cities_csv(tmp_path / "big.csv")
    code, err = _run_and_kill(cli, ["import", "csv", "cities", str(big)], marker="… 1000 of 10000 records written")
    assert code == -signal.SIGKILL, err  # killed while writing, not finished
    assert "of 10000 records written" in err
    db = tmp_path / "cli.db"
    assert _integrity(db) == "ok"
    assert _export(cli) == before
    # and the same import, left to finish, does write
    code, out, err = cli("import", "csv", "cities", str(big))
    assert code == 0, err
    assert len(_export(cli)["tables"]["city"]) == len(before["tables"]["city"]) + 10_000


def _big_dump(n: int = 20_000) -> dict:
    stamp = "2026-01-01T00:00:00Z"
    base = {"created_at": stamp, "updated_at": stamp, "revision": 1}
    cities = [{**base, "id": i, "slug": f"city-{i}", "name_en": f"City {i}", "country": "JP",
               "timezone": "Asia/Tokyo", "is_home": False} for i in range(1, n + 1)]
    people = [{**base, "id": i, "slug": f"person-{i}", "family_name_latin": f"Person {i}",
               "name_order": "family_first"} for i in range(1, n + 1)]
    positions = [{**base, "id": i, "slug": f"position-{i}", "person_id": i, "city_id": i,
                  "title_en": "Mayor", "ended": False} for i in range(1, n + 1)]
    return {"format": "citynet-dump", "format_version": 1, "schema": KNOWN_REVISIONS[-1],
            "tables": {"city": cities, "person": people, "position": positions}}


def test_restore_killed_half_way_leaves_the_database_unchanged(cli, tmp_path):
    cli.load_demo()
    before = _export(cli)
    dump_file = tmp_path / "big.json"
    dump_file.write_text(json.dumps(_big_dump()), encoding="utf-8")
    code, err = _run_and_kill(cli, ["restore", str(dump_file), "--force"])
    assert code == -signal.SIGKILL, err
    assert "city: 20000" in err
    assert _integrity(tmp_path / "cli.db") == "ok"
    assert _export(cli) == before


@pytest.mark.postgres
def test_import_killed_half_way_leaves_postgresql_unchanged(cli, tmp_path, pg_url):
    """The same kill on a shared PostgreSQL database: the open transaction dies with the process."""
    cli.env["CITYNET_DATABASE_URL"] = pg_url
    assert cli("demo")[0] == 0
    before = _export(cli)
    big = _big_cities_csv(tmp_path / "big.csv")
    code, err = _run_and_kill(cli, ["import", "csv", "cities", str(big)], marker="… 1000 of 10000 records written")
    assert code == -signal.SIGKILL, err
    assert "of 10000 records written" in err
    # the server ends the dead client's session and rolls its transaction back
    deadline = time.monotonic() + 30
    while True:
        after = _export(cli)
        if after == before or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert after == before
