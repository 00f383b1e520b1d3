"""A people import of 50,000 rows (issue 17, part 7).

``bench_import(url, tmp, rows, pg_url=None)``: ``citynet import csv people FILE`` as a user runs
it (a fresh process, start to exit, peak memory VmHWM) into a copy of the large store, on SQLite
and on PostgreSQL, each alternating with its floor: a fresh process that reads the same CSV with
the csv module and inserts the rows citynet wrote for it (person, change, search_doc and
search_term rows, read back from a first import into another copy) with raw ``executemany`` in
one transaction — on PostgreSQL the search index rows by COPY, as citynet writes them — 1,000
records per batch (so the floor holds one batch of rows in memory, as the import holds one
part), each batch's terms in the index's order as citynet sorts them. ``bench_import_lock(url, tmp, rows)``: how long the import holds SQLite's
write lock, as another writer sees it.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import (
    HWM,
    RESULTS,
    ROOT,
    alternate,
    failed,
    loadavg,
    open_engine,
    process_env,
    record,
    spread,
)

IMPORT_GOALS = {"sqlite": (20.0, 120.0), "postgresql": (30.0, None)}  # seconds, MB (issue 17 part 7)
FLOOR_BATCH = 1000

# --- 7. import: how long the write lock is held ----------------------------------------------------

IMPORT_GIVEN = ("Jonas", "Mira", "Tomasz", "Ines", "Kofi", "Lena", "Ravi", "Noor")  # none in the store


def people_csv(path: Path, rows: int) -> Path:
    """``rows`` new people as an office's spreadsheet lists them (Latin names, e-mail), every name
    new to the store so that each row creates a person."""
    import synthetic

    syllables = [s[0] for s in synthetic.SYLLABLES]
    lines = ["Family name,Given name,メール"]
    for i in range(rows):
        digits, k = [], i
        for _ in range(4):  # the row's number in syllables: a family name of its own
            k, d = divmod(k, len(syllables))
            digits.append(syllables[d])
        family = "Im" + "".join(digits)
        given = IMPORT_GIVEN[i % len(IMPORT_GIVEN)]
        lines.append(f"{family.capitalize()},{given},{given.lower()}.{family.lower()}@example.org")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _probe_write_lock(path: str, stop: threading.Event, out: dict) -> None:
    """Another writer: ``BEGIN IMMEDIATE`` without waiting, every 2 ms; the longest stretch in
    which it could not take the write lock is how long the lock was held as other saves see it."""
    import sqlite3

    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    blocked_since, longest, polls = None, 0.0, 0
    try:
        while not stop.is_set():
            t = time.perf_counter()
            polls += 1
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                if blocked_since is not None:
                    longest, blocked_since = max(longest, t - blocked_since), None
            except sqlite3.OperationalError:  # database is locked
                if blocked_since is None:
                    blocked_since = t
            time.sleep(0.002)
        if blocked_since is not None:
            longest = max(longest, time.perf_counter() - blocked_since)
    finally:
        connection.close()
    out.update(longest=longest, polls=polls)


def _raw_insert_floor(source: str, target: Path, tables: dict[str, list[tuple]], columns: dict[str, list[str]]) -> float:
    """The same rows inserted with one executemany per table in one transaction (raw sqlite3,
    with the page cache citynet's connections use)."""
    import shutil
    import sqlite3

    from citynet.store.db import SQLITE_CACHE_SIZE

    shutil.copyfile(source, target)
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute(f"PRAGMA cache_size={SQLITE_CACHE_SIZE}")
    try:
        t = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        for name, rows in tables.items():
            names = columns[name]
            connection.executemany(
                f'INSERT INTO "{name}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})', rows)
        connection.execute("COMMIT")
        return time.perf_counter() - t
    finally:
        connection.close()


def bench_import_lock(url: str, tmp: Path, rows: int) -> None:
    """A people import of ``rows`` new people into a copy of the large store. The import reads and
    checks the whole file with no lock, then writes in one transaction: that transaction holds
    SQLite's write lock, and a save by someone else meanwhile waits up to the busy timeout."""
    import shutil

    from citynet.services.importer import import_file
    from citynet.store.db import SQLITE_BUSY_TIMEOUT_MS

    name = f"people import ({rows:,} rows): write lock held"
    try:
        source = url.removeprefix("sqlite:///")
        store = tmp / "import.db"
        shutil.copyfile(source, store)
        csv = people_csv(tmp / "people.csv", rows)
        engine = open_engine(f"sqlite:///{store}")
        with engine.connect() as c:
            before = {t: c.exec_driver_sql(f'SELECT coalesce(max(id), 0) FROM "{t}"').scalar()
                      for t in ("person", "change")}
        marks: dict[str, float] = {}
        stop, seen = threading.Event(), {}
        prober = threading.Thread(target=_probe_write_lock, args=(str(store), stop, seen))
        prober.start()
        try:
            t0 = time.perf_counter()
            report = import_file(engine, "people", csv, "csv", before_write=lambda: marks.update(
                write=time.perf_counter(), cpu=time.process_time()))
            t_end, cpu_end = time.perf_counter(), time.process_time()
        finally:
            stop.set()
            prober.join(60)
        created = sum(1 for a in report.actions if a.action == "create")
        if not report.written or created != rows:
            raise RuntimeError(f"the import wrote {created} of {rows} people "
                               f"({len(report.rejected)} rejected, {len(report.conflicts)} conflicts)")
        with engine.connect() as c:
            written, columns = {}, {}
            for t in ("person", "change"):
                result = c.exec_driver_sql(f'SELECT * FROM "{t}" WHERE id > ? ORDER BY id', (before[t],))
                columns[t] = list(result.keys())
                written[t] = [tuple(r) for r in result]
            for t in ("search_doc", "search_term"):  # the new people's search index rows
                result = c.exec_driver_sql(f"SELECT * FROM {t} WHERE kind = 'person' AND record_id > ?",
                                           (before["person"],))
                columns[t] = list(result.keys())
                written[t] = [tuple(r) for r in result]
        engine.dispose()
        floor = _raw_insert_floor(source, tmp / "import-floor.db", written, columns)
        window = t_end - marks["write"]
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        record(name, seen["longest"], "s", floor, f"≤ {timeout:g} s", seen["longest"] <= timeout,
               f"as another writer sees it (BEGIN IMMEDIATE polled every 2 ms, {seen['polls']:,} polls); "
               f"the write phase, before_write to return, took {window:.2f} s ({cpu_end - marks['cpu']:.2f} s "
               f"of CPU in this process); floor: the same "
               f"{len(written['person']):,} person, {len(written['change']):,} change and "
               f"{len(written['search_term']) + len(written['search_doc']):,} search index rows by raw "
               f"executemany in one transaction; a save by someone else waits up to the busy timeout "
               f"({timeout:g} s), then is refused as busy")
        record(f"people import ({rows:,} rows): read and check, no lock", marks["write"] - t0, "s",
               None, "", None, "the whole file parsed and checked against a snapshot before the write")
    except Exception as error:
        failed(name, error)


# --- 7. import: the whole process against a fair floor ----------------------------------------------

_TABLES = ("person", "change", "search_doc", "search_term")

_CITYNET = HWM + r"""
import sys
from citynet.cli import main
code = main(sys.argv[1:])
print("hwm_mb", hwm_mb())
print("exit", code)
"""

_FLOOR_SQLITE = HWM + r"""
import csv, pickle, sqlite3, sys
store, sheet, rows_file, cache = sys.argv[1:5]
with open(sheet, newline="", encoding="utf-8") as f:
    cells = sum(1 for _row in csv.reader(f))  # the file read as the import reads it
connection = sqlite3.connect(store, isolation_level=None)
connection.execute(f"PRAGMA cache_size={cache}")
connection.execute("BEGIN IMMEDIATE")
with open(rows_file, "rb") as f:
    statements = pickle.load(f)
    while True:
        try:
            batch = pickle.load(f)
        except EOFError:
            break
        for table, rows in batch.items():
            connection.executemany(statements[table], rows)
connection.execute("COMMIT")
print("hwm_mb", hwm_mb())
print("rows", cells)
"""

_FLOOR_PG = HWM + r"""
import csv, pickle, sys
import psycopg
url, sheet, rows_file = sys.argv[1:4]
with open(sheet, newline="", encoding="utf-8") as f:
    cells = sum(1 for _row in csv.reader(f))
with psycopg.connect(url) as connection, open(rows_file, "rb") as f:
    statements = pickle.load(f)
    with connection.cursor() as cursor:
        while True:
            try:
                batch = pickle.load(f)
            except EOFError:
                break
            for table, rows in batch.items():
                if table.startswith("search_"):  # COPY, as citynet writes its search index
                    columns = statements[table].split("(", 1)[1].split(")", 1)[0]
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(statements[table], rows)
print("hwm_mb", hwm_mb())
print("rows", cells)
"""


def _whole_process(code: str, *args: str) -> tuple[float, float]:
    """(wall seconds from start to exit, peak resident MB) of a fresh interpreter."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=process_env(), cwd=ROOT, timeout=900, check=False)
    took = time.perf_counter() - t
    out = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if line.startswith(("hwm_mb ", "exit ")))
    if proc.returncode != 0 or out.get("exit", "0") != "0" or "hwm_mb" not in out:
        tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:]
        raise RuntimeError(f"exit {proc.returncode}: {tail}")
    return took, float(out["hwm_mb"])


def _new_rows(read, before: dict[str, int]) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows a people import wrote, per table, by record (search_term: columns kind, term,
    record_id, place, so that a sorted batch is in the index's order)."""
    queries = {
        "person": f"SELECT * FROM person WHERE id > {before['person']} ORDER BY id",
        "change": f"SELECT * FROM change WHERE id > {before['change']} ORDER BY id",
        "search_doc": f"SELECT * FROM search_doc WHERE kind = 'person' AND record_id > {before['person']} "
                      "ORDER BY record_id",
        "search_term": f"SELECT kind, term, record_id, place FROM search_term WHERE kind = 'person' AND record_id > {before['person']} "
                       "ORDER BY record_id",
    }
    return {table: read(sql) for table, sql in queries.items()}


def _write_floor_rows(path: Path, written: dict[str, tuple[list[str], list[tuple]]], mark: str) -> int:
    """The rows in batches of FLOOR_BATCH records (person ids), one pickle each, after
    the INSERT statements; the number of rows."""
    statements = {table: 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        table, ", ".join(f'"{c}"' for c in columns), ", ".join([mark] * len(columns)))
        for table, (columns, _rows) in written.items()}
    person_ids = [row[0] for row in written["person"][1]]
    edges = person_ids[::FLOOR_BATCH][1:] + [float("inf")]
    record_column = {t: cols.index("record_id") if t != "person" else 0 for t, (cols, _r) in written.items()}
    with path.open("wb") as f:
        pickle.dump(statements, f, pickle.HIGHEST_PROTOCOL)
        cursor = dict.fromkeys(written, 0)
        for edge in edges:
            batch = {}
            for table, (_columns, rows) in written.items():
                start = end = cursor[table]
                col = record_column[table]
                while end < len(rows) and rows[end][col] < edge:
                    end += 1
                # the search terms of a batch in the index's order, as search.write_index sorts them
                batch[table] = sorted(rows[start:end]) if table == "search_term" else rows[start:end]
                cursor[table] = end
            pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
        left = {t: len(rows) - cursor[t] for t, (_c, rows) in written.items()}
        if any(left.values()):
            raise RuntimeError(f"rows not of the new people: {left}")
    return sum(len(rows) for _columns, rows in written.values())


def _sqlite_before(path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as c:
        return {t: c.execute(f'SELECT coalesce(max(id), 0) FROM "{t}"').fetchone()[0] for t in ("person", "change")}


def _sqlite_rows(path: Path, before: dict[str, int]) -> dict[str, tuple[list[str], list[tuple]]]:
    import sqlite3

    with sqlite3.connect(path) as c:
        def read(sql):
            cursor = c.execute(sql)
            return [d[0] for d in cursor.description], [tuple(r) for r in cursor]
        return _new_rows(read, before)


def _pairs(cases: dict, runs: int) -> tuple[dict[str, list], list[float]]:
    out = alternate(cases, runs)
    ratios = [a[0] / b[0] for a, b in zip(*out.values())]
    return out, ratios


def _record_pairs(label: str, out: dict, ratios: list[float], goal_s: float, goal_mb: float | None,
                  rows: int, floor_rows: int, load: str) -> None:
    mine, floor = out.values()
    wall = statistics.median(t for t, _m in mine)
    mem = statistics.median(m for _t, m in mine)
    floor_wall = statistics.median(t for t, _m in floor)
    record(f"people import ({rows:,} rows), {label}: whole process", wall, "s", floor_wall,
           f"≤ {goal_s:g} s", wall <= goal_s,
           f"`citynet import csv people` start to exit, {len(ratios)} alternating pairs: citynet "
           f"{spread([t for t, _m in mine])} s, floor {spread([t for t, _m in floor])} s, ratio "
           f"{spread(ratios)}; floor: the same CSV read with the csv module and the "
           f"{floor_rows:,} rows citynet wrote (person, change, search_doc, search_term) inserted by "
           f"raw executemany in one transaction (PostgreSQL: the search index by COPY, as citynet), "
           f"{FLOOR_BATCH:,} records a batch; load {load}",
           ratio=statistics.median(ratios))
    record(f"people import ({rows:,} rows), {label}: peak memory", mem, "MB",
           statistics.median(m for _t, m in floor), f"≤ {goal_mb:g} MB" if goal_mb else "",
           mem <= goal_mb if goal_mb else None,
           f"VmHWM of the whole process: citynet {spread([m for _t, m in mine])}, floor "
           f"{spread([m for _t, m in floor])} MB")


def bench_import(url: str, tmp: Path, rows: int, pg_url: str | None = None, runs: int | None = None) -> None:
    """``citynet import csv people`` of ``rows`` new people as whole processes against their
    floors, alternating (3 pairs at 50,000 rows and more, else 5), on SQLite and, with
    ``pg_url``, on PostgreSQL (see the module's docstring)."""
    runs = runs or (3 if rows >= 50_000 else 5)
    sheet = people_csv(tmp / "people.csv", rows)
    source = Path(url.removeprefix("sqlite:///"))
    name = f"people import ({rows:,} rows), SQLite"
    try:
        from citynet.store.db import SQLITE_CACHE_SIZE

        store = tmp / "import-cli.db"
        probe = tmp / "import-probe.db"
        shutil.copyfile(source, probe)
        before = _sqlite_before(probe)
        _whole_process(_CITYNET, "import", "csv", "--db", f"sqlite:///{probe}", "people", str(sheet))
        floor_rows = _write_floor_rows(tmp / "floor-rows.pickle", _sqlite_rows(probe, before), "?")
        probe.unlink()

        def citynet_run():
            shutil.copyfile(source, store)
            return _whole_process(_CITYNET, "import", "csv", "--db", f"sqlite:///{store}", "people", str(sheet))

        def floor_run():
            shutil.copyfile(source, store)
            return _whole_process(_FLOOR_SQLITE, str(store), str(sheet), str(tmp / "floor-rows.pickle"),
                                  str(SQLITE_CACHE_SIZE))

        out, ratios = _pairs({"citynet": citynet_run, "floor": floor_run}, runs)
        store.unlink()
        _record_pairs("SQLite", out, ratios, *IMPORT_GOALS["sqlite"], rows, floor_rows, loadavg())
    except Exception as error:
        failed(name, error)
    if pg_url:
        name = f"people import ({rows:,} rows), PostgreSQL"
        try:
            _bench_import_pg(source, pg_url, tmp, sheet, rows, runs)
        except Exception as error:
            failed(name, error)


def _bench_import_pg(source: Path, pg_url: str, tmp: Path, sheet: Path, rows: int, runs: int) -> None:
    """The same on PostgreSQL: a template database holding the large store (bench/pg_store.py),
    and a fresh copy of it (CREATE DATABASE … TEMPLATE) for every run, dropped at the end."""
    import pg_store
    import psycopg
    import sqlalchemy as sa
    from psycopg import sql

    base = sa.engine.make_url(pg_url)
    # one template per store (the quick run's smaller store has its own)
    template = base.set(database=f"{base.database}_import_{hashlib.sha1(source.name.encode()).hexdigest()[:8]}")
    pg_store.ensure(source, template.render_as_string(hide_password=False), log=lambda *_a: None)
    target = base.set(database=f"{base.database}_import_run")
    admin = pg_store._libpq(base.set(database="postgres"))

    def fresh() -> str:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.database)))
            c.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target.database), sql.Identifier(template.database)))
        return target.render_as_string(hide_password=False)

    try:
        libpq = pg_store._libpq(target)
        run_url = fresh()
        with psycopg.connect(libpq) as c:
            before = {t: c.execute(f'SELECT coalesce(max(id), 0) FROM "{t}"').fetchone()[0]
                      for t in ("person", "change")}
        _whole_process(_CITYNET, "import", "csv", "--db", run_url, "people", str(sheet))
        with psycopg.connect(libpq) as c:
            def read(query):
                cursor = c.execute(query)
                return [d.name for d in cursor.description], [tuple(r) for r in cursor]
            written = _new_rows(read, before)
        floor_rows = _write_floor_rows(tmp / "floor-rows-pg.pickle", written, "%s")

        def citynet_run():
            fresh()
            return _whole_process(_CITYNET, "import", "csv", "--db", run_url, "people", str(sheet))

        def floor_run():
            fresh()
            return _whole_process(_FLOOR_PG, libpq, str(sheet), str(tmp / "floor-rows-pg.pickle"))

        out, ratios = _pairs({"citynet": citynet_run, "floor": floor_run}, runs)
        _record_pairs("PostgreSQL", out, ratios, *IMPORT_GOALS["postgresql"], rows, floor_rows, loadavg())
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target.database)))


def main(argv=None) -> int:
    import argparse

    import synthetic

    parser = argparse.ArgumentParser(description="people import against its floors (issue 17, part 7)")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--pg", help="PostgreSQL URL (a database name to derive the bench's own from)")
    parser.add_argument("--lock", action="store_true", help="also the write-lock measurement")
    args = parser.parse_args(argv)
    import tempfile

    url = f"sqlite:///{synthetic.build(1, args.scale)}"
    with tempfile.TemporaryDirectory(prefix="citynet-import-") as tmp:
        bench_import(url, Path(tmp), args.rows, args.pg, args.runs)
        if args.lock:
            bench_import_lock(url, Path(tmp), args.rows)
    for result in RESULTS:
        print(f"- {result['name']}: {result['note']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
