"""citynet's benchmark suite (issue 8): every figure as a ratio against a floor measured in the
same run, a table on stdout and the same in ``docs/benchmarks.md``.

    .venv/bin/python bench/run.py            # full: 100k people / 100k sessions (≈ 6–9 min)
    .venv/bin/python bench/run.py --quick    # smoke: the 10k-session dataset only (≈ 1–2 min)

Datasets come from ``bench/synthetic.py`` (seed 1; cached under ``bench/.cache/``). "Large" is
scale 1.0 (10k cities, 100k people, 20k events, 100k sessions, 300k participants); "small" is
scale 0.1. ``--quick`` uses scale 0.1 as large and 0.01 as small. Not part of the test run.

Measurements (each in a fresh interpreter where start-up or memory matters):

* UI first screen: ``CitynetApp`` on the demo store and on the large store, headless, to
  ``on_ready`` (first paint) and to the dashboard showing rows, against a bare Textual app (a
  header, a 50-row DataTable, a footer) to its first frame; whole process against whole process,
  alternating, 5 rounds (``--runs``), the median of the per-round ratios and their spread;
* the command line: each command (stats, search, history, check, releases, changes, export ics,
  export pdf) on the demo store against a process importing what that command loads besides
  citynet's own modules (read from a run of it); alternating, 5 rounds, median and spread;
* people list: first page, paging to row 50,000 (the list loads 100 rows as the cursor nears the
  end, so row 50,000 is 500 page loads), per page p95, against the same keyset SELECT in raw SQL;
* search per keystroke over 100k people and 10k cities, on SQLite and on PostgreSQL holding the
  same store (``bench/pg_store.py``; ``--pg URL`` or ``CITYNET_BENCH_POSTGRES_URL``, ``--no-pg``
  to skip): the search screen, the people and cities list filters, the person and city pickers,
  p50/p95 over every prefix of several queries (3 rounds, cases alternating per keystroke),
  against one plain indexed range scan on the search index;
* ICS export of all internal events (≈ 110k VEVENTs at scale 1) against icalendar building the same
  VEVENTs from in-memory tuples; peak RSS at small and large;
* programme PDF of ``bench-programme`` (300 sessions, 1,000 participants) against ReportLab platypus
  building the same tables from in-memory strings with the same fonts;
* SQL statements per UI screen and per export at small and large (``before_cursor_execute``);
* the feeds following the store: the incremental build after one session moved in (a copy of)
  the large store, against noticing the change, rendering that event's calendar whole and writing
  the files the build rewrote (the first run builds the feeds from scratch, kept in
  ``bench/.cache/``);
* the feed server: conditional GETs (If-None-Match → 304) on 127.0.0.1, 2 client threads, bounded
  by count and time, against a trivial WSGI app under the same waitress settings;
* a people import of 50,000 new people (5,000 with ``--quick``) into a copy of the large store: how
  long SQLite's write lock is held, as another connection polling ``BEGIN IMMEDIATE`` sees it,
  against the same rows inserted by raw ``executemany`` in one transaction; goal: within the busy
  timeout, past which a save by someone else is refused. ``--import-rows N`` sets the size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path


from common import (BENCH, DOC, NOTES, PROFILES, RESULTS, ROOT, SECTION, _timed, alternate, dataset, failed, fmt, loadavg,
                    open_engine, pct, process_time, profile, record, spread)
from startup import _show_note, bench_cli, bench_ui_startup, demo_store
from ics_export import bench_ics
from feeds_incremental import bench_feeds_incremental
from people_import import bench_import, bench_import_lock

# --- 2. lists and search ----------------------------------------------------------------------------


def bench_lists(url: str, rows_target: int) -> None:
    from citynet.services import lists

    engine = open_engine(url)
    try:
        t = time.perf_counter()
        page = lists.list_page(engine, "person")
        first = time.perf_counter() - t
        times, shown, cursor = [], len(page.rows), page.cursor
        t_all = time.perf_counter()
        budget = t_all + 30  # seconds: a slow list is reported, not waited for
        while shown < rows_target and cursor is not None and time.perf_counter() < budget:
            t = time.perf_counter()
            page = lists.list_page(engine, "person", None, cursor)
            times.append(time.perf_counter() - t)
            shown += len(page.rows)
            cursor = page.cursor
        total = time.perf_counter() - t_all
        # floor: the same keyset query in raw SQL through the same connection pool
        with engine.connect() as c:
            raw = c.connection.dbapi_connection
            slugs = [r[0] for r in raw.execute("SELECT slug FROM person ORDER BY slug LIMIT ?", (rows_target,))]
            floor_times = []
            for k in range(100, len(slugs), 100):
                t = time.perf_counter()
                raw.execute("SELECT id, slug, family_name_ja, given_name_ja, family_name_latin, given_name_latin, "
                            "name_kana, name_katakana, name_order, honorific_ja, honorific_en FROM person "
                            "WHERE slug > ? ORDER BY slug LIMIT 101", (slugs[k - 1],)).fetchall()
                floor_times.append(time.perf_counter() - t)
        record("people list: first page (100 rows)", first * 1000, "ms", None, "< 50 ms", first < 0.05)
        reached = shown >= rows_target or cursor is None
        projected = total if reached else total * (rows_target - 100) / max(shown - 100, 1)
        record(f"people list: page to row {rows_target:,}", projected, "s",
               sum(floor_times) or None, "", None,
               "service calls only, no widget work" + ("" if reached else
               f"; stopped after 30 s at row {shown:,}, time projected linearly (an underestimate when pages slow down with depth)"))
        record("people list: one page load p95", pct(times, 95) * 1000, "ms",
               pct(floor_times, 95) * 1000 if floor_times else None, "< 50 ms", pct(times, 95) < 0.05)
    except Exception as error:
        failed("people list", error)
    finally:
        engine.dispose()


QUERIES = ("やまだ たろう", "yamada taro", "ＳＡＴＯ", "サトウ", "anna", "清水勇人", "kamira",
           "sato", "ｻｲﾀﾏ", "munster")
SEARCH_GOAL_MS = 30.0
SEARCH_ROUNDS = 3


def search_faces(engine, in_memory: bool = True) -> list[tuple[str, str, object]]:
    """(label, floor, fn(query)) of every face of the search engine the user types into; with
    ``in_memory``, also the time-zone picker (a fixed list filtered in memory by the same rules,
    the same on every engine), when citynet has one."""
    from citynet.services import hits, lists, pickers

    faces = [
        ("search screen", "person terms", lambda q: hits.search(engine, q)),
        ("people list filter", "person list", lambda q: lists.list_page(engine, "person", q)),
        ("cities list filter", "city list", lambda q: lists.list_page(engine, "city", q)),
        ("person picker", "person terms", lambda q: pickers.choices(engine, "person", q)),
        ("city picker", "city terms", lambda q: pickers.choices(engine, "city", q)),
    ]
    zones = _timezone_picker()
    if in_memory and zones is not None:
        faces.append(("time-zone picker", "zones", zones))
    return faces


def _timezone_picker():
    """The time-zone picker's filter as the form calls it (None if citynet has none)."""
    try:
        from citynet.i18n import get_language
        from citynet.services.fixed_choices import filter_choices, timezone_choices
    except ImportError:
        return None
    return lambda q: filter_choices(timezone_choices(get_language()), q)


def _timezone_words() -> list[str]:
    from citynet.i18n import get_language
    from citynet.services.fixed_choices import timezone_choices

    return [c.words for c in timezone_choices(get_language())]


def search_limits(engine, raw) -> dict[str, object]:
    """The physical limit of each face, through the driver (no SQLAlchemy): one index range scan
    of the query's first word (its first folded spelling) on ``search_term`` within one kind
    (person for the search screen and the person picker, city for the city picker), in the
    key's order, 40 rows; for a list, that scan capped at BROAD_ROWS index rows (as the engine
    caps it), joined to ``search_doc`` and ordered by ``sort_ja``, 101 rows. It does less than
    any correct answer (one word, no ranking): a bound, not the floor."""
    from citynet.services.search import BROAD_ROWS, query_words
    from citynet.store import models as m

    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    top = "\U0010ffff"
    key = ", ".join(c.name for c in m.SearchTerm.__table__.primary_key.columns)  # the index's order
    scan = (f"SELECT kind, record_id FROM search_term WHERE kind = {mark} AND term >= {mark} "
            f"AND term < {mark} ORDER BY {key}")
    listed = (f"SELECT d.record_id, d.sort_ja FROM ({scan} LIMIT {BROAD_ROWS}) t "
              "JOIN search_doc d ON d.kind = t.kind AND d.record_id = t.record_id "
              "ORDER BY d.sort_ja, d.record_id LIMIT 101")

    def word(q):
        words = query_words(q)
        return words[0].forms[0] if words else ""

    def run(sql, params):
        cursor = raw.cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()

    zone_words = _timezone_words() if _timezone_picker() is not None else []

    def zones(q):  # the time-zone picker's: one substring test per zone on its folded words
        w = word(q)
        return [z for z in zone_words if w in z]

    return {
        "zones": zones,
        "person terms": lambda q: run(scan + " LIMIT 40", ("person", word(q), word(q) + top)),
        "city terms": lambda q: run(scan + " LIMIT 40", ("city", word(q), word(q) + top)),
        "person list": lambda q: run(listed, ("person", word(q), word(q) + top)),
        "city list": lambda q: run(listed, ("city", word(q), word(q) + top)),
    }


def replay_floor(engine, raw, fn, prefixes) -> object:
    """The floor of one read (a search face, the dashboard): for each input, the very statements
    citynet runs for it (read
    once per keystroke before any clock starts) replayed through the driver with their
    parameters, every row fetched. Same statements, same data, same rows: what citynet adds to
    it is its own Python (query words, building and executing statements through SQLAlchemy,
    sorting, labels). ``tests/test_bench_search_floor.py`` checks that the rows hold the ids
    citynet shows."""
    plans = {q: [(statement, parameters) for _took, statement, parameters in _statements(engine, fn, q)]
             for q in prefixes}

    def replay(q):
        rows = []
        for statement, parameters in plans[q]:
            cursor = raw.cursor()
            try:
                cursor.execute(statement, parameters)
                rows.append(cursor.fetchall())
            finally:
                cursor.close()
        return rows

    return replay


def search_prefixes() -> list[str]:
    """Every keystroke of every query: its prefixes (not only spaces)."""
    return [q[:i] for q in QUERIES for i in range(1, len(q) + 1) if q[:i].strip()]


def _statements(engine, fn, query: str) -> list[tuple[float, str, object]]:
    """(seconds, statement, parameters) of each SQL statement ``fn(query)`` runs."""
    import sqlalchemy as sa

    seen: list[tuple[float, str, object]] = []
    started: list[float] = []

    def before(_conn, _cursor, statement, parameters, _context, _many):
        started.append(time.perf_counter())

    def after(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((time.perf_counter() - started.pop(), statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        fn(query)
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    return seen


def _explain_slowest(engine, fn, query: str) -> str:
    """The slowest statement of ``fn(query)`` with its plan: EXPLAIN (ANALYZE, BUFFERS) on
    PostgreSQL, EXPLAIN QUERY PLAN on SQLite; and the time of each statement."""
    statements = _statements(engine, fn, query)
    if not statements:
        return "no statements"
    took, statement, parameters = max(statements, key=lambda s: s[0])
    lines = [f"{len(statements)} statements: " + ", ".join(f"{s[0] * 1000:.1f}" for s in statements)
             + " ms", f"slowest ({took * 1000:.1f} ms):", statement.strip(), f"parameters: {parameters!r}", ""]
    with engine.connect() as c:
        if engine.dialect.name == "postgresql":
            plan = c.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            lines += [r[0] for r in plan]
        else:
            plan = c.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            lines += [" ".join(str(x) for x in r) for r in plan]
    return "\n".join(lines)


def measure_search(engine, rounds: int = SEARCH_ROUNDS, in_memory: bool = True) -> dict:
    """Per face and per floor, the time of each keystroke in each round. Every case runs once
    to warm up; then, for each keystroke, every case once in the same order, and the whole
    sequence ``rounds`` times (same data, same order: a slow moment of the machine falls on all
    cases alike)."""
    prefixes = search_prefixes()
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        if engine.dialect.name == "postgresql":
            driver.autocommit = True  # the floor: one statement, no transaction around it
        faces = search_faces(engine, in_memory)
        limits = search_limits(engine, driver)
        used = {limit for _label, limit, _fn in faces}
        cases = [(label, fn) for label, _limit, fn in faces]
        cases += [(f"floor: {label}", replay_floor(engine, driver, fn, prefixes))
                  for label, limit, fn in faces if limit != "zones"]
        cases += [(f"limit: {k}", fn) for k, fn in limits.items() if k in used]
        for _label, fn in cases:
            fn(prefixes[0])  # warm
        times = {label: [[0.0] * len(prefixes) for _ in range(rounds)] for label, _fn in cases}
        for r in range(rounds):
            for i, p in enumerate(prefixes):
                for label, fn in cases:
                    t = time.perf_counter()
                    fn(p)
                    times[label][r][i] = time.perf_counter() - t
        return {"prefixes": prefixes, "times": times, "faces": faces}
    finally:
        raw.invalidate()  # not back to the pool with autocommit set


def report_search(engine_label: str, engine, measured: dict) -> None:
    prefixes, times = measured["prefixes"], measured["times"]
    n = len(prefixes)

    def summary(label):
        rounds = times[label]
        p95s = [pct(r, 95) * 1000 for r in rounds]
        p50s = [pct(r, 50) * 1000 for r in rounds]
        per_prefix = [statistics.median(r[i] for r in rounds) * 1000 for i in range(n)]
        return statistics.median(p95s), p95s, statistics.median(p50s), per_prefix

    for label, limit_key, fn in measured["faces"]:
        p95, p95s, p50, per_prefix = summary(label)
        l95, _l95s, l50, _ = summary(f"limit: {limit_key}")
        # in memory (the time-zone picker) there is no statement to replay: its floor is the limit
        floor_label = f"floor: {label}" if f"floor: {label}" in times else f"limit: {limit_key}"
        f95, _f95s, f50, _ = summary(floor_label)
        worst = max(range(n), key=lambda i: per_prefix[i])
        over = [prefixes[i] for i in range(n) if per_prefix[i] >= SEARCH_GOAL_MS]
        note = (f"p50 {p50:.1f} ms (floor {f50:.2f}); p95 of each round "
                + " / ".join(f"{x:.1f}" for x in p95s)
                + f" ms (spread {max(p95s) - min(p95s):.1f}); slowest keystroke {prefixes[worst]!r} "
                f"{per_prefix[worst]:.1f} ms (median of rounds); limit (one range scan) p95 {l95:.2f} ms"
                + (f"; {len(over)} of {n} keystrokes ≥ {SEARCH_GOAL_MS:g} ms: "
                   + ", ".join(repr(p) for p in over[:8]) + (" …" if len(over) > 8 else "") if over else ""))
        ok = p95 < SEARCH_GOAL_MS
        where = "in memory, no database" if limit_key == "zones" else engine_label
        record(f"search ({where}): {label}, p95 per keystroke ({n})", p95, "ms", f95,
               f"p95 < {SEARCH_GOAL_MS:g} ms", ok, note)
        if not ok:
            try:
                PROFILES[f"{label} on {engine_label}, keystroke {prefixes[worst]!r}: statements"] = \
                    _explain_slowest(engine, fn, prefixes[worst])
                profile(f"{label} on {engine_label}, keystroke {prefixes[worst]!r} ×3 (cProfile, tottime)",
                        lambda fn=fn, q=prefixes[worst]: [fn(q) for _ in range(3)])
            except Exception as error:
                NOTES.append(f"profile of {label} on {engine_label} failed: {error}")


def store_targets(url: str, pg_url: str | None, what: str) -> list[tuple[str, str]]:
    """The large store on SQLite and, given ``pg_url``, the same store on PostgreSQL
    (``bench/pg_store.py`` copies it there once)."""
    targets = [("SQLite", url)]
    if pg_url:
        try:
            import pg_store

            targets.append(("PostgreSQL", pg_store.ensure(url, pg_url, log=lambda s: print(s, flush=True))))
        except Exception as error:
            failed(f"{what} (PostgreSQL): copy of the store", error)
    return targets


def bench_search(url: str, pg_url: str | None = None) -> None:
    """The search engine's faces per keystroke on SQLite and, given ``pg_url``, on PostgreSQL
    holding the same store (``bench/pg_store.py`` copies it there once)."""
    targets = store_targets(url, pg_url, "search")
    from citynet.services.search import BROAD_ROWS

    NOTES.append(
        f"search: {len(search_prefixes())} keystrokes (every prefix of {', '.join(repr(q) for q in QUERIES)}); "
        f"each case warmed once, then per keystroke every face and floor once in the same order, "
        f"{SEARCH_ROUNDS} rounds; the value is the median of the rounds' p95s. Floor of each face: "
        "the statements citynet runs for that keystroke (captured before the clock) replayed through "
        "the driver, every row fetched: the same SQL on the same data. Limit (a bound below any "
        "correct answer): the range scan of the first query word's folded spelling on search_term "
        "within one kind (kind = k AND term >= w AND term < w||U+10FFFF, in the key's order, LIMIT "
        "40; k = person for the search screen and the person picker, city for the city picker); "
        f"lists: the same scan capped at BROAD_ROWS ({BROAD_ROWS:,}) rows as the engine caps it, "
        "joined to search_doc, ORDER BY sort_ja LIMIT 101"
        + ("; time-zone picker (fixed_choices.filter_choices over timezone_choices, in memory, "
           "measured in the SQLite rounds only): a substring test of the first folded word on each "
           "zone's words" if _timezone_picker() is not None else
           "; no time-zone picker measured (citynet.services has no choices function for time zones)")
        + ".")
    for label, target in targets:
        engine = None
        try:
            load = os.getloadavg()[0]
            engine = open_engine(target)
            measured = measure_search(engine, in_memory=label == "SQLite")
            NOTES.append(f"search on {label}: load average (1 min) {load:.2f} before, "
                         f"{os.getloadavg()[0]:.2f} after, on {os.cpu_count()} CPUs")
            report_search(label, engine, measured)
        except Exception as error:
            failed(f"search ({label})", error)
        finally:
            if engine is not None:
                engine.dispose()


# --- 2b. the dashboard's read -----------------------------------------------------------------------

DASHBOARD_GOAL_MS = 50.0


def bench_dashboard(url: str, pg_url: str | None, rounds: int = 21) -> None:
    """The dashboard's statements on the large store (100k), in process: as the UI reads it at start (a fresh
    sqlite3 connection, ``store.db.quick_sqlite_reader``) and through the engine (SQLAlchemy, both
    engines), alternating with the same statements replayed through the driver."""
    from datetime import date, datetime, timezone

    from citynet.services.dashboard import dashboard
    from citynet.store.db import quick_sqlite_reader

    # a fixed instant inside the synthetic data's years, so every list has rows
    now = datetime(2026, 6, 1, 3, 0, tzinfo=timezone.utc)
    today = date(2026, 6, 1)
    targets = store_targets(url, pg_url, "dashboard")
    for label, target in targets:
        name = f"dashboard read, large store ({label})"
        engine = None
        try:
            engine = open_engine(target)
            raw = engine.raw_connection()
            read = lambda _q: dashboard(engine, today, now=now)  # noqa: E731
            cases = {"engine": read, "floor": replay_floor(engine, raw.driver_connection, read, [""])}
            if label == "SQLite":
                def quick(_q):
                    with quick_sqlite_reader(target) as reader:
                        return dashboard(reader, today, now=now)
                cases["start"] = quick
            got = alternate({k: (lambda fn=fn: _timed(lambda: fn(""))) for k, fn in cases.items()}, rounds)
            ms = {k: [x * 1000 for x in v] for k, v in got.items()}
            ratios = [a / b for a, b in zip(ms["engine"], ms["floor"])]
            value = statistics.median(ms["engine"])
            note = (f"{rounds} alternating rounds; through the engine {spread(ms['engine'])} ms; floor (the "
                    f"same statements replayed through the driver) {spread(ms['floor'])} ms")
            if "start" in ms:
                note += f"; at start (fresh sqlite3 connection, no SQLAlchemy) {spread(ms['start'])} ms"
            record(name, value, "ms", statistics.median(ms["floor"]), f"< {DASHBOARD_GOAL_MS:g} ms",
                   value < DASHBOARD_GOAL_MS and statistics.median(ms.get("start", ms["engine"])) < DASHBOARD_GOAL_MS,
                   note, ratio=statistics.median(ratios))
            raw.invalidate()
        except Exception as error:
            failed(name, error)
        finally:
            if engine is not None:
                engine.dispose()


# --- 3. query counts --------------------------------------------------------------------------------


def count_queries(engine, fn) -> int:
    import sqlalchemy as sa

    count = [0]

    def before(*_args, **_kw):
        count[0] += 1

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    return count[0]


def query_cases(engine):
    from citynet.services import briefing, dashboard, details, hits, lists

    from citynet.services.calendar import calendar_data, calendar_stream

    return [
        ("dashboard", lambda: dashboard.dashboard(engine)),
        ("people list, first page", lambda: lists.list_page(engine, "person")),
        ("people list, filtered", lambda: lists.list_page(engine, "person", "yamada")),
        ("sessions list, first page", lambda: lists.list_page(engine, "session")),
        ("search screen", lambda: hits.search(engine, "yamada")),
        ("person detail", lambda: details.person_detail(engine, lists.list_page(engine, "person").rows[0].slug)),
        ("programme data (PDF)", lambda: briefing.programme_data(engine, "bench-programme")),
        ("calendar data, event", lambda: calendar_data(engine, "event", "bench-programme", "internal")),
        # The export reads its events in batches (calendar_stream): statements up front plus a
        # constant number per 500-event batch; counted here: up front and the first batch.
        ("calendar data, all (ICS export), up front + first 500-event batch",
         lambda: next(iter(calendar_stream(engine, "all", None, "internal").events), None)),
    ]


def bench_queries(small: str, large: str) -> None:
    counts = {}
    for label, url in (("small", small), ("large", large)):
        engine = open_engine(url)
        try:
            for name, fn in query_cases(engine):
                try:
                    counts.setdefault(name, {})[label] = count_queries(engine, fn)
                except Exception as error:
                    counts.setdefault(name, {})[label] = f"error: {error}"
        finally:
            engine.dispose()
    for name, c in counts.items():
        s, l = c.get("small"), c.get("large")
        if isinstance(s, int) and isinstance(l, int):
            record(f"SQL statements: {name} (small → large)", l, "stmts", s, "constant", l <= s + 2,
                   f"{s} at small, {l} at large" + ("" if l == s else
                   " (a query is skipped when its id set is empty; not a per-row query)"))
        else:
            failed(f"SQL statements: {name}", f"{s} / {l}")


# --- 5. programme PDF -------------------------------------------------------------------------------


PDF_GOAL = 1.3

# The floor as a whole process: ReportLab platypus setting the programme's day headings and
# 3-column tables (time, session, speakers) from strings prepared beforehand (``pdf_floor_spec``),
# with the same font files, written to a file. Everything citynet does to get those strings
# (reading the store, formatting times and names) is left out of the floor: it is stricter.
PDF_FLOOR = r"""
import json, sys
from xml.sax.saxutils import escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
spec = json.load(open(sys.argv[1], encoding="utf-8"))
for name, path in spec["fonts"].items():
    pdfmetrics.registerFont(TTFont(name, path))
main = spec["main"]
cell = ParagraphStyle("c", fontName=main, fontSize=9, leading=13, wordWrap="CJK")
head = ParagraphStyle("h", fontName=main, fontSize=13, leading=18)
story = []
width = A4[0] - 36 * mm
for title, rows in spec["days"]:
    story.append(Paragraph(escape(title), head))
    table = Table([[Paragraph(x, cell) for x in spec["header"]]]
                  + [[Paragraph("<br/>".join(escape(line) for line in value), cell) for value in row]
                     for row in rows],
                  colWidths=[width * 1.9 / 7, width * 2.1 / 7, width * 3 / 7], repeatRows=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#b8c4d0")]))
    story.append(table)
SimpleDocTemplate(sys.argv[2], pagesize=A4, invariant=1).build(story)
"""


def pdf_floor_spec(engine, slug: str, lang: str) -> dict:
    """What the floor sets, as citynet's programme states it: per day its heading and, per
    session, its times, its title and every participant (role: name), each a list of lines;
    and the font files citynet registers."""
    from itertools import groupby

    from reportlab.pdfbase import pdfmetrics

    from citynet.render.pdf.common import home_tz, participant_role, participant_text, session_day, session_times
    from citynet.render.pdf.fonts import FALLBACK, FALLBACK_BOLD, MAIN, MAIN_BOLD, register_fonts
    from citynet.services.briefing import programme_data

    register_fonts()
    data = programme_data(engine, slug)
    tz = home_tz(data)
    days = []
    for _day, sessions in groupby(data.detail.sessions, key=lambda s: s.local_day):
        sessions = list(sessions)
        rows = [[session_times(s, tz, lang).split(" / "), [s.title.ja or s.title.en or ""],
                 [f"{participant_role(p.role, lang)}: {participant_text(p, lang)}" for p in s.participants]]
                for s in sessions]
        days.append((session_day(sessions[0], lang), rows))
    fonts = {name: pdfmetrics.getFont(name).face.filename for name in (MAIN, MAIN_BOLD, FALLBACK, FALLBACK_BOLD)}
    return {"fonts": fonts, "main": MAIN, "header": ["Time", "Session", "Speakers"], "days": days,
            "sessions": sum(len(rows) for _title, rows in days),
            "participants": sum(len(row[2]) for _title, rows in days for row in rows)}


def bench_pdf(url: str, tmp: Path, runs: int) -> None:
    """The 300-session programme as a user makes it (``citynet export pdf programme``), whole
    process against the floor's whole process, alternating."""
    name = "programme PDF, whole process"
    engine = open_engine(url)
    try:
        spec = pdf_floor_spec(engine, "bench-programme", "ja")
    except Exception as error:
        failed(name, error)
        return
    finally:
        engine.dispose()
    try:
        name = f"programme PDF ({spec['sessions']} sessions, {spec['participants']:,} participants), whole process"
        spec_file = tmp / "pdf-floor.json"
        spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        script = Path(sys.executable).with_name("citynet")
        base = [sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "citynet"]
        command = base + ["--db", url, "export", "pdf", "programme", "--event", "bench-programme",
                          "--lang", "ja", "-o", str(tmp / "programme.pdf")]
        floor = [sys.executable, "-c", PDF_FLOOR, str(spec_file), str(tmp / "programme-floor.pdf")]
        before = loadavg()
        got = alternate({"floor": lambda: process_time(floor), "citynet": lambda: process_time(command)}, runs)
        ratios = [a / b for a, b in zip(got["citynet"], got["floor"])]
        ratio = statistics.median(ratios)
        pages = [(tmp / f).read_bytes().count(b"/Type /Page\n") for f in ("programme.pdf", "programme-floor.pdf")]
        record(name, statistics.median(got["citynet"]), "s", statistics.median(got["floor"]),
               f"≤ {PDF_GOAL}×", ratio <= PDF_GOAL, ratio=ratio, note=
               f"{runs} alternating pairs; ratio per pair {spread(ratios)}; citynet "
               f"{spread(got['citynet'])} s; floor {spread(got['floor'])} s (ReportLab setting the same "
               f"headings and rows from prepared strings with the same fonts; "
               f"{pages[0]} / {pages[1]} pages); load average {before} → {loadavg()}")
        _show_note()
    except Exception as error:
        failed(name, error)


# --- 6. feed server ---------------------------------------------------------------------------------


def _hammer(port: int, path: str, etag: str | None, requests: int, seconds: float, threads: int = 2):
    import http.client

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, codes = [], {}
        for _ in range(n):
            if time.perf_counter() > deadline:
                break
            t = time.perf_counter()
            conn.request("GET", path, headers={"If-None-Match": etag} if etag else {})
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - t)
            codes[response.status] = codes.get(response.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    t0 = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(requests // threads,)) for _ in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    wall = time.perf_counter() - t0
    return len(latencies) / wall, pct(latencies, 99) * 1000, statuses


def _serve(app):
    import logging

    import waitress

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" under load

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4, ident="citynet")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, thread


def bench_feeds(url: str, tmp: Path, requests: int, seconds: float) -> None:
    from citynet.feeds.server import make_app
    from citynet.render.ics import render_calendar
    from citynet.services.calendar import calendar_data

    engine = open_engine(url)
    servers = []
    try:
        feeds = tmp / "feeds"
        (feeds / "public").mkdir(parents=True, exist_ok=True)
        body = render_calendar(calendar_data(engine, "event", "bench-programme", "public"), "both")
        (feeds / "public" / "event-bench-programme.ics").write_bytes(body)
        (feeds / "index.html").write_text("<html></html>")
        app = make_app(feeds, tmp / "feed-tokens.json")
        server, _ = _serve(app)
        servers.append(server)
        port = server.effective_port
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/public/event-bench-programme.ics")
        response = conn.getresponse()
        response.read()
        etag = response.getheader("ETag")
        conn.close()

        def trivial(environ, start_response):
            start_response("304 Not Modified", [("ETag", etag)])
            return [b""]

        floor_server, _ = _serve(trivial)
        servers.append(floor_server)
        rate, p99, codes = _hammer(port, "/public/event-bench-programme.ics", etag, requests, seconds)
        f_rate, f_p99, _ = _hammer(floor_server.effective_port, "/", etag, requests, seconds)
        note = f"{len(body) / 1e3:.0f} kB feed; statuses {codes}; trivial app {f_rate:.0f} req/s"
        record("feed server: conditional GET → 304, throughput", rate, "req/s", f_rate, "", None, note)
        record("feed server: conditional GET → 304, p99 latency", p99, "ms", f_p99, "", None)
        if set(codes) != {304}:
            NOTES.append(f"feed server answered {codes} to conditional GETs (expected only 304)")
    except Exception as error:
        failed("feed server", error)
    finally:
        for server in servers:
            server.close()
        engine.dispose()




def profile_gaps(small: str, section: str) -> None:
    """A profile of a missed goal, on the small dataset (the large one's own profile is in
    bench/ANALYSIS.md, written by hand)."""
    missed = [r for r in RESULTS if r["ok"] is False and r["section"] == section]
    if not missed or section not in ("ics", "pdf"):
        return
    engine = open_engine(small)
    try:
        if section == "ics":
            from citynet.render.ics import render_calendar
            from citynet.services.calendar import calendar_data

            profile("ICS export, all internal, small dataset (cProfile, tottime)",
                    lambda: render_calendar(calendar_data(engine, "all", None, "internal"), "both"))
        else:
            from citynet.render.pdf import render_pdf

            profile("programme PDF (cProfile, tottime)",
                    lambda: render_pdf(engine, "programme", "bench-programme", "ja"))
    finally:
        engine.dispose()


# --- the test suite ---------------------------------------------------------------------------------

TESTS_GOAL = 180.0  # seconds per engine on 2 cores (issue 17, part 8)


def bench_tests(pg_url: str | None) -> None:
    """The README's test command, as CI runs it: the whole suite on SQLite, then the tests that
    reach PostgreSQL with a server URL set (``-m postgres``); wall time of each whole run."""
    import re

    runs = [("SQLite", {}, [])]
    if pg_url:
        runs.append(("PostgreSQL (-m postgres)", {"CITYNET_TEST_POSTGRES_URL": pg_url}, ["-m", "postgres"]))
    for label, extra, args in runs:
        name = f"test suite, {label}"
        try:
            env = dict(os.environ, **extra)
            if not extra:
                env.pop("CITYNET_TEST_POSTGRES_URL", None)
            before = loadavg()
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", *args],
                                  capture_output=True, text=True, env=env, cwd=ROOT, timeout=1800)
            took = time.perf_counter() - t
            tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
            counts = ", ".join(re.findall(r"\d+ (?:passed|failed|skipped|errors?)", tail))
            failures = re.findall(r"^(?:FAILED|ERROR) (\S+)", proc.stdout, re.M)
            if failures:
                counts += " (" + ", ".join(failures[:5]) + ")"
            record(name, took, "s", None, f"≤ {TESTS_GOAL:.0f} s", took <= TESTS_GOAL and proc.returncode == 0,
                   f"{counts or tail}; exit {proc.returncode}; {os.cpu_count()} CPUs, pytest-xdist as "
                   f"configured; load average {before} → {loadavg()}")
        except Exception as error:
            failed(name, error)


# --- report -----------------------------------------------------------------------------------------


def machine(pg_url: str | None) -> dict:
    import sqlite3
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]
        mem = f"{int(mem) / 1024 / 1024:.1f} GiB"
    except OSError:
        mem = "unknown"
    versions = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    if pg_url:
        try:
            import sqlalchemy as sa

            engine = sa.create_engine(pg_url)
            with engine.connect() as c:
                versions["PostgreSQL"] = c.exec_driver_sql("SHOW server_version").scalar()
            engine.dispose()
        except Exception:
            versions["PostgreSQL"] = "not reachable"
    for dist in ("textual", "reportlab", "icalendar", "SQLAlchemy", "sqlmodel", "psycopg", "waitress"):
        try:
            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "?"
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "os": platform.platform(), "versions": versions}


SECTIONS = ("ui", "cli", "lists", "search", "queries", "ics", "pdf", "feeds", "feeds-incremental", "import",
            "tests")
RESULTS_DIR = BENCH / ".cache" / "results"


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT).stdout.strip()
        return head + (" + uncommitted changes" if dirty else "")
    except OSError:
        return "?"


def save_section(mode: str, section: str, results: list, notes: list, profiles: dict, meta: dict) -> None:
    """One section's figures, kept until that section is measured again: the page is put
    together from the latest run of every section (a full run measures them all)."""
    folder = RESULTS_DIR / mode
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{section}.json"
    path.write_text(json.dumps({"meta": meta, "results": results, "notes": notes, "profiles": profiles},
                               ensure_ascii=False, indent=1))


def write_doc(mode: str, pg_url: str | None) -> None:
    info = machine(pg_url)
    stored = {}
    for section in SECTIONS:
        path = RESULTS_DIR / mode / f"{section}.json"
        if path.exists():
            stored[section] = json.loads(path.read_text())
    command = "python bench/run.py" + (" --quick" if mode == "quick" else "")
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/run.py` (issues 8 and 17). One command measures every section and "
        "rewrites this page:",
        "",
        "```sh",
        f".venv/bin/{command}",
        "```",
        "",
        "`--only SECTION,…` measures some sections again; the page is then put together from the "
        "latest run of each section (its date, commit and load are in the table below).",
        "",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "- data: `bench/synthetic.py --seed 1` — scale 1.0 is 10,000 cities, 100,000 people, "
        "20,000 events, 100,000 sessions, 300,000 participants"
        + ("; --quick uses scale 0.1 as large and 0.01 as small" if mode == "quick" else "; small is scale 0.1"),
        "- protocol: a figure and its floor run in the same setting (whole process against whole "
        "process, or in process against in process), alternating, and the ratio is the median of "
        "the pairs' ratios; the notes give the spread (min–max) and the load average. Each floor "
        "does the same work on the same data and gives the same output (tests/test_bench_*.py "
        "check it); a *limit*, where given, is a bound below any correct answer.",
        "",
        "| Section | Measured (UTC) | Commit | Took | Load average before → after |",
        "|---|---|---|---:|---|",
    ]
    for section, data in stored.items():
        meta = data["meta"]
        lines.append(f"| {section} | {meta['date']} | {meta['commit']} | {meta['took']:.0f} s | "
                     f"{meta['load_before']} → {meta['load_after']} |")
    lines += ["", "| Measurement | Value | Floor | Ratio | Goal | Met | Notes |",
              "|---|---:|---:|---:|---|---|---|"]
    notes, profiles = [], {}
    for data in stored.values():
        for r in data["results"]:
            met = "" if r["ok"] is None else ("yes" if r["ok"] else "**no**")
            value = f"{fmt(r['value'])} {r['unit']}" if r["value"] is not None else "–"
            ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "–"
            lines.append(f"| {r['name']} | {value} | {fmt(r['floor'])} | {ratio} | {r['goal']} | {met} | {r['note']} |")
        notes += data["notes"]
        profiles |= data["profiles"]
    if notes:
        lines += ["", "Notes from these runs:", ""] + [f"- {n}" for n in notes]
    if profiles:
        lines += ["", "## Profiles of the gaps (these runs)", ""]
        for label, text in profiles.items():
            lines += [f"### {label}", "", "```", text, "```", ""]
    analysis = BENCH / "ANALYSIS.md"
    if analysis.exists():
        lines += ["", analysis.read_text().strip(), ""]
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text("\n".join(lines) + "\n")
    print(f"wrote {DOC.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description="citynet benchmarks (issues 8 and 17)")
    parser.add_argument("--quick", action="store_true", help="small datasets, fewer runs (smoke test)")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--only", help="comma-separated sections: " + ",".join(SECTIONS))
    parser.add_argument("--runs", type=int, default=5,
                        help="alternating runs of the UI start, each command and the PDF (default 5)")
    parser.add_argument("--import-rows", type=int, help="rows of the people import (default 50,000; "
                        "5,000 with --quick)")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("CITYNET_BENCH_POSTGRES_URL") or
                        "postgresql+psycopg://postgres@127.0.0.1:5432/citynet_bench",
                        help="PostgreSQL database for the sections where the engine matters (search, "
                        "ICS reads, import), (re)created and filled with the large store by "
                        "bench/pg_store.py when it does not hold it (default: $CITYNET_BENCH_POSTGRES_URL, "
                        "else %(default)s)")
    parser.add_argument("--test-pg", metavar="URL", default=os.environ.get("CITYNET_TEST_POSTGRES_URL") or
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
                        help="the server URL the test suite's PostgreSQL run uses (section tests)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--doc-only", action="store_true",
                        help="measure nothing: rewrite docs/benchmarks.md from the kept results and bench/ANALYSIS.md")
    args = parser.parse_args()
    if args.doc_only:
        write_doc("quick" if args.quick else "full", None if args.no_pg else args.pg)
        return 0
    only = list(dict.fromkeys(args.only.split(","))) if args.only else list(SECTIONS)
    unknown = [name for name in only if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}: use {', '.join(SECTIONS)}")
    mode = "quick" if args.quick else "full"
    pg = None if args.no_pg else args.pg
    if pg and args.quick and pg == parser.get_default("pg") and not os.environ.get("CITYNET_BENCH_POSTGRES_URL"):
        # the quick store in a database of its own
        pg += "_quick"
    started = time.perf_counter()
    large_scale, small_scale = (0.1, 0.01) if args.quick else (1.0, 0.1)
    print(f"datasets: large = scale {large_scale:g}, small = scale {small_scale:g}", flush=True)
    large, small = dataset(large_scale), dataset(small_scale)
    runs = 3 if args.quick else args.runs
    import_rows = args.import_rows or (5_000 if args.quick else 50_000)
    with tempfile.TemporaryDirectory(prefix="citynet-bench-") as tmp:
        tmp = Path(tmp)
        measure = {
            "ui": lambda: bench_ui_startup({"demo store": demo_store(tmp), "large store": large}, runs),
            "cli": lambda: bench_cli(demo_store(tmp), tmp, runs),
            "lists": lambda: bench_lists(large, 5_000 if args.quick else 50_000),
            "search": lambda: bench_search(large, pg),
            "queries": lambda: (bench_dashboard(large, pg), bench_queries(small, large)),
            "ics": lambda: bench_ics(small, large, tmp, pg),
            "pdf": lambda: bench_pdf(large, tmp, runs),
            "feeds": lambda: bench_feeds(large, tmp, 2_000 if args.quick else 10_000, 5 if args.quick else 20),
            "feeds-incremental": lambda: bench_feeds_incremental(large),
            "import": lambda: (bench_import(large, tmp, import_rows, pg), bench_import_lock(large, tmp, import_rows)),
            "tests": lambda: bench_tests(None if args.no_pg else args.test_pg),
        }
        for section in only:
            print(f"[{section}]", flush=True)
            SECTION["name"] = section
            counts = len(RESULTS), len(NOTES), set(PROFILES)
            load_before, t = loadavg(), time.perf_counter()
            measure[section]()
            profile_gaps(small, section)
            meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"), "commit": _commit(),
                    "took": time.perf_counter() - t, "load_before": load_before, "load_after": loadavg()}
            save_section(mode, section, RESULTS[counts[0]:], NOTES[counts[1]:],
                         {k: v for k, v in PROFILES.items() if k not in counts[2]}, meta)
    print(f"suite took {time.perf_counter() - started:.0f} s")
    if not args.no_doc:
        write_doc(mode, pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
