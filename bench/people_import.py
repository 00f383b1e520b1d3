"""A people import of 50,000 rows (issue 17, part 7)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from common import failed, open_engine, record

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
