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

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path[:0] = [str(ROOT), str(BENCH)]
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS: list[dict] = []
NOTES: list[str] = []
PROFILES: dict[str, str] = {}


def record(name: str, value: float, unit: str, floor: float | None = None, goal: str = "",
           ok: bool | None = None, note: str = "", ratio: float | None = None) -> None:
    """``ratio``: when given, the figure's own (the median of alternating pairs' ratios);
    otherwise value / floor."""
    if ratio is None:
        ratio = value / floor if floor else None
    RESULTS.append(dict(name=name, value=value, unit=unit, floor=floor, ratio=ratio, goal=goal,
                        ok=ok, note=note))
    flag = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"  {name:<52} {value:10.3f} {unit:<5} floor {fmt(floor) if floor is not None else '-':>8}"
          f" {('×%.2f' % ratio) if ratio else '':>7} {goal:<12} {flag}", flush=True)


def failed(name: str, error: BaseException | str) -> None:
    RESULTS.append(dict(name=name, value=None, unit="", floor=None, ratio=None, goal="", ok=False,
                        note=f"error: {str(error).splitlines()[0][:160] if str(error) else type(error).__name__}"))
    print(f"  {name:<52} ERROR {error}", flush=True)


def child(code: str, *args: str, timeout: float = 600) -> dict:
    """Run ``code`` in a fresh interpreter; its ``key value`` / JSON lines become a dict."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(BENCH)]), TEXTUAL_DISABLE_KITTY_KEY="1")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            out.update(json.loads(line))
        elif " " in line:
            key, value = line.split(" ", 1)
            out[key] = value
    if proc.returncode != 0 and not out:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
    return out


# --- datasets ---------------------------------------------------------------------------------------


def dataset(scale: float) -> str:
    import synthetic

    t = time.perf_counter()
    path = synthetic.build(1, scale)
    took = time.perf_counter() - t
    if took > 1:
        NOTES.append(f"built dataset scale {scale:g} in {took:.0f} s")
    return f"sqlite:///{path}"


def open_engine(url: str):
    from citynet.store.db import open_database

    return open_database(url)


# --- 1. UI first screen -----------------------------------------------------------------------------

# Fresh interpreters as a user's: bytecode cached (here in bench/.cache, the checkout stays
# clean), whatever PYTHONDONTWRITEBYTECODE the calling shell has. Without it, citynet's own
# modules compile from source on every start while the libraries' do not.
PYCACHE = BENCH / ".cache" / "pycache"


def process_env() -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(BENCH)]),
               TEXTUAL_DISABLE_KITTY_KEY="1", PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def process_time(argv: list[str], stdin=subprocess.DEVNULL) -> float:
    """Wall time of a whole process (start to exit), as a user waits for it."""
    t = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=process_env(), cwd=ROOT,
                          stdin=stdin, timeout=300)
    took = time.perf_counter() - t
    if proc.returncode not in (0, 1):  # check: 1 = something blocks
        raise RuntimeError(f"{' '.join(argv[:6])}: exit {proc.returncode}: "
                           f"{proc.stderr.strip().splitlines()[-1:] or ''}")
    return took


def child_timed(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=process_env(), cwd=ROOT, timeout=120)
    out = {}
    for line in proc.stdout.splitlines():
        if " " in line:
            key, value = line.split(" ", 1)
            out[key] = float(value)
    if proc.returncode != 0 or not out:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip()
                           else f"exit {proc.returncode}")
    return out


def alternate(cases: dict, runs: int) -> dict[str, list]:
    """Run every case once per round, the cases in turn, ``runs`` rounds (after one unmeasured
    warm-up round): on a shared machine a case and its floor see the same load."""
    for fn in cases.values():
        fn()
    out: dict[str, list] = {name: [] for name in cases}
    for _ in range(runs):
        for name, fn in cases.items():
            out[name].append(fn())
    return out


def spread(values) -> str:
    return f"median {statistics.median(values):.3f}, min–max {min(values):.3f}–{max(values):.3f}"


def loadavg() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


# The floor: a bare Textual app, a header, a 50-row DataTable and a footer, timed to on_ready (its
# first frame, which shows its rows).
MINIMAL = r"""
import time; t0 = time.perf_counter()
from textual.app import App
from textual.widgets import DataTable, Footer, Header
class M(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable); t.add_columns("date", "time", "title", "event")
        for i in range(50):
            t.add_row(f"2026-11-{i % 28 + 1:02d}", "10:00", f"Session {i}", "COP29")
    def on_ready(self):
        print(f"first_paint {time.perf_counter() - t0:.4f}"); self.exit()
M().run(headless=True, size=(120, 40))
"""

# citynet's start as a user runs it: ``citynet --db URL`` (the command line's main, which resolves
# the language and the store and hands over to ``citynet.tui.app.run_app``), the app class
# swapped for one that reports its first frame and the dashboard's first rows, headless.
CITYNET_UI = r"""
import time; t0 = time.perf_counter()
import sys
import citynet.tui.application as application
class B(application.CitynetApp):
    def run(self, **kwargs):
        return super().run(headless=True, size=(120, 40))
    def on_ready(self):
        print(f"first_paint {time.perf_counter() - t0:.4f}")
        self._t_ready = time.perf_counter()
        self.set_interval(0.005, self.check)
    def check(self):
        if time.perf_counter() - self._t_ready > 30:
            print("data_shown nan"); self.exit(); return
        tables = self.screen.query("DataTable")
        if any(t.row_count for t in tables):
            print(f"data_shown {time.perf_counter() - t0:.4f}")
            self.exit()
application.CitynetApp = B
from citynet.cli import main
main(["--db", sys.argv[1], "--lang", "ja"])
"""

UI_FIRST_GOAL, UI_DATA_GOAL = 1.2, 1.6


def demo_store(tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'demo.db'}"
    if not (tmp / "demo.db").exists():
        subprocess.run([sys.executable, "-m", "citynet", "--db", url, "demo"], check=True,
                       capture_output=True, env=process_env(), cwd=ROOT)
    return url


def _show_note() -> None:
    print(f"    {RESULTS[-1]['note']}", flush=True)


def bench_ui_startup(stores: dict[str, str], runs: int) -> None:
    """First paint and dashboard rows shown, whole process against the bare app's whole process,
    alternating (bare, citynet) per round; the ratio of each round's pair, median and spread."""
    for label, url in stores.items():
        name = f"UI first screen (first paint), {label}"
        try:
            before = loadavg()
            got = alternate({"bare": lambda: child_timed(MINIMAL)["first_paint"],
                             "citynet": lambda: child_timed(CITYNET_UI, url)}, runs)
            bare = got["bare"]
            first = [r["first_paint"] for r in got["citynet"]]
            shown = [r["data_shown"] for r in got["citynet"]]
            load = f"load average {before} → {loadavg()} on {os.cpu_count()} CPUs"
            r_first = [a / b for a, b in zip(first, bare)]
            r_shown = [a / b for a, b in zip(shown, bare)]
            # The ratio is the median of the pairs' ratios (each pair ran under the same load).
            floor, ratio = statistics.median(bare), statistics.median(r_first)
            record(name, statistics.median(first), "s", floor, f"≤ {UI_FIRST_GOAL}×",
                   ratio <= UI_FIRST_GOAL,
                   f"{runs} alternating pairs; ratio per pair {spread(r_first)}; citynet "
                   f"{spread(first)} s; bare app {spread(bare)} s; {load}", ratio=ratio)
            _show_note()
            ratio = statistics.median(r_shown)
            record(f"UI dashboard rows shown, {label}", statistics.median(shown), "s",
                   floor, f"≤ {UI_DATA_GOAL}×", ratio <= UI_DATA_GOAL,
                   f"store opened and read in a worker after the first frame; ratio per pair "
                   f"{spread(r_shown)}; citynet {spread(shown)} s; floor: the bare app's first "
                   f"frame with its 50 rows", ratio=ratio)
            _show_note()
        except Exception as error:
            failed(name, error)


# --- 1b. the command line ---------------------------------------------------------------------------

# Each command as a user types it, on the demo store. Its floor is a process importing what the
# command itself loads besides citynet (every library and standard module it ends up with, read
# from a run of the command): the rest is citynet's own modules and the work.
CLI_COMMANDS = (
    ("stats", ["stats", "--event", "cop29"]),
    ("search", ["search", "kurz"]),
    ("history", ["history", "--event", "cop29"]),
    ("check", ["check", "--event", "cop29"]),
    ("releases", ["releases", "--event", "cop29"]),
    ("changes", ["changes", "--event", "cop29", "--since", "v1"]),
    ("export ics", ["export", "ics", "--event", "cop29", "-o", "{tmp}/cop29.ics"]),
    ("export pdf", ["export", "pdf", "briefing", "--event", "cop29", "-o", "{tmp}/briefing.pdf"]),
)
CLI_GOAL = 1.5

CLI_PROBE = r"""
import atexit, json, sys
NEEDS = sys.argv[1]
def _needs():
    names = [n for n, m in list(sys.modules.items())
             if getattr(m, "__file__", None) and not n.startswith(("citynet", "__main__"))]
    with open(NEEDS, "w") as out:
        json.dump(names, out)
atexit.register(_needs)
sys.argv = ["citynet"] + sys.argv[2:]
from citynet.cli import main
sys.exit(main())
"""

CLI_FLOOR = r"""
import importlib, json, sys
for name in json.load(open(sys.argv[1])):
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


def bench_cli(url: str, tmp: Path, runs: int) -> None:
    script = Path(sys.executable).with_name("citynet")  # the installed command, as users run it
    base = ([sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "citynet"])
    base += ["--db", url]
    for label, words in CLI_COMMANDS:
        name = f"CLI: citynet {label}"
        try:
            argv = [w.replace("{tmp}", str(tmp)) for w in words]
            needs = tmp / f"needs-{label.replace(' ', '-')}.json"
            subprocess.run([sys.executable, "-c", CLI_PROBE, str(needs), "--db", url, *argv],
                           capture_output=True, env=process_env(), cwd=ROOT, timeout=300)
            modules = json.loads(needs.read_text())
            heavy = sorted({n.split(".")[0] for n in modules} & {
                "textual", "reportlab", "icalendar", "sqlalchemy", "sqlmodel", "babel", "alembic",
                "openpyxl", "psycopg"})
            before = loadavg()
            got = alternate({"floor": lambda: process_time([sys.executable, "-c", CLI_FLOOR, str(needs)]),
                             "citynet": lambda: process_time(base + argv)}, runs)
            ratios = [a / b for a, b in zip(got["citynet"], got["floor"])]
            value, floor = statistics.median(got["citynet"]), statistics.median(got["floor"])
            ratio = statistics.median(ratios)
            record(name, value, "s", floor, f"≤ {CLI_GOAL}×", ratio <= CLI_GOAL, ratio=ratio, note=
                   f"demo store; {runs} alternating pairs; ratio per pair {spread(ratios)}; "
                   f"command {spread(got['citynet'])} s; floor {spread(got['floor'])} s "
                   f"({len(modules)} modules; of the large libraries: {', '.join(heavy) or 'none'}); "
                   f"load average {before} → {loadavg()}")
            _show_note()
        except Exception as error:
            failed(name, error)


# --- 2. lists and search ----------------------------------------------------------------------------


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


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
SERVER_VERSIONS: dict[str, str] = {}  # shown with the versions in docs/benchmarks.md


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


def search_floors(engine, raw) -> dict[str, object]:
    """One plain indexed query per face, through the driver (no SQLAlchemy): the range scan of
    the query's first word (its first folded spelling) on ``search_term`` within one kind
    (person for the search screen and the person picker, city for the city picker), in the
    order of the table's key, 40 rows; for a list, that scan capped at BROAD_ROWS index rows (as
    the engine caps it), joined to ``search_doc`` and ordered by ``sort_ja``, 101 rows."""
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
        floors = search_floors(engine, driver)
        used = {floor for _label, floor, _fn in faces}
        floors = {k: fn for k, fn in floors.items() if k in used}
        cases = [(label, fn) for label, _floor, fn in faces] + [(f"floor: {k}", fn) for k, fn in floors.items()]
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

    for label, floor_key, fn in measured["faces"]:
        p95, p95s, p50, per_prefix = summary(label)
        f95, _f95s, f50, _ = summary(f"floor: {floor_key}")
        worst = max(range(n), key=lambda i: per_prefix[i])
        over = [prefixes[i] for i in range(n) if per_prefix[i] >= SEARCH_GOAL_MS]
        note = (f"p50 {p50:.1f} ms (floor {f50:.2f}); p95 of each round "
                + " / ".join(f"{x:.1f}" for x in p95s)
                + f" ms (spread {max(p95s) - min(p95s):.1f}); slowest keystroke {prefixes[worst]!r} "
                f"{per_prefix[worst]:.1f} ms (median of rounds)"
                + (f"; {len(over)} of {n} keystrokes ≥ {SEARCH_GOAL_MS:g} ms: "
                   + ", ".join(repr(p) for p in over[:8]) + (" …" if len(over) > 8 else "") if over else ""))
        ok = p95 < SEARCH_GOAL_MS
        where = "in memory, no database" if floor_key == "zones" else engine_label
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


def bench_search(url: str, pg_url: str | None = None) -> None:
    """The search engine's faces per keystroke on SQLite and, given ``pg_url``, on PostgreSQL
    holding the same store (``bench/pg_store.py`` copies it there once)."""
    targets = [("SQLite", url)]
    if pg_url:
        try:
            import pg_store

            targets.append(("PostgreSQL", pg_store.ensure(url, pg_url, log=lambda s: print(s, flush=True))))
        except Exception as error:
            failed("search (PostgreSQL): copy of the store", error)
    from citynet.services.search import BROAD_ROWS

    NOTES.append(
        f"search: {len(search_prefixes())} keystrokes (every prefix of {', '.join(repr(q) for q in QUERIES)}); "
        f"each case warmed once, then per keystroke every face and floor once in the same order, "
        f"{SEARCH_ROUNDS} rounds; the value is the median of the rounds' p95s. Floors, through the "
        "driver: search screen and pickers: the range scan of the first query word's folded spelling "
        "on search_term within one kind (kind = k AND term >= w AND term < w||U+10FFFF, in the "
        "key's order, LIMIT 40; k = person for the search screen and the person picker, city for "
        f"the city picker); lists: the same scan capped at BROAD_ROWS ({BROAD_ROWS:,}) rows as the engine "
        "caps it, joined to search_doc, ORDER BY sort_ja LIMIT 101"
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
            if engine.dialect.name == "postgresql":
                with engine.connect() as c:
                    SERVER_VERSIONS["PostgreSQL"] = c.exec_driver_sql("SHOW server_version").scalar()
            measured = measure_search(engine, in_memory=label == "SQLite")
            NOTES.append(f"search on {label}: load average (1 min) {load:.2f} before, "
                         f"{os.getloadavg()[0]:.2f} after, on {os.cpu_count()} CPUs")
            report_search(label, engine, measured)
        except Exception as error:
            failed(f"search ({label})", error)
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


# --- 4. ICS export ----------------------------------------------------------------------------------

# Peak memory from VmHWM (per address space, so reset at exec): ru_maxrss would carry the parent's
# peak into the child on Linux.
HWM = r"""
def hwm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

ICS_CHILD = HWM + r"""
import json, sys, time
from citynet.store.db import open_database
from citynet.render.ics import export_ics
engine = open_database(sys.argv[1])
base = hwm_mb()
t = time.perf_counter()
path = export_ics(engine, "all", None, "both", "internal", output=sys.argv[2])
took = time.perf_counter() - t
body = open(path, "rb").read()
print(json.dumps({"seconds": took, "vevents": body.count(b"BEGIN:VEVENT"), "bytes": len(body), "base_mb": base,
                  "rss_mb": hwm_mb()}))
"""

# The floor: icalendar building the same VEVENTs (same UIDs, stamps, times, texts, parameters)
# from tuples already in memory, and serialising the calendar. Its input is read from the
# citynet file, so both produce the same entries.
ICS_FLOOR = HWM + r"""
import json, sys, time
from icalendar import Calendar, Event
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
tuples = [(e["UID"], e["DTSTAMP"].dt, e["SEQUENCE"], e["DTSTART"].dt, e["DTEND"].dt if "DTEND" in e else None,
           str(e["SUMMARY"]), str(e.get("DESCRIPTION", "")), str(e.get("LOCATION", "")), str(e["STATUS"]),
           str(e["CLASS"])) for e in cal.walk("VEVENT")]
zones = [c for c in cal.walk("VTIMEZONE")]
del cal
t = time.perf_counter()
out = Calendar.new(prodid="-//bench//floor//EN")
for z in zones:
    out.add_component(z)
for uid, stamp, seq, start, end, summary, desc, loc, status, klass in tuples:
    item = Event.new(uid=uid, stamp=stamp, last_modified=stamp, sequence=seq, start=start, end=end,
                     summary=summary, description=desc or None, location=loc or None, status=status)
    item.add("CLASS", klass)
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        if name in item:
            item[name].params["LANGUAGE"] = "ja"
    out.add_component(item)
body = out.to_ical()
took = time.perf_counter() - t
print(json.dumps({"seconds": took, "vevents": body.count(b"BEGIN:VEVENT"), "rss_mb": hwm_mb()}))
"""


def bench_ics(small: str, large: str, tmp: Path) -> None:
    try:
        runs = {}
        for label, url in (("small", small), ("large", large)):
            out = tmp / f"all-{label}.ics"
            runs[label] = child(ICS_CHILD, url, str(out), timeout=900)
            runs[label]["floor"] = child(ICS_FLOOR, str(out), timeout=900)
        s, l = runs["small"], runs["large"]
        record(f"ICS export, all internal, {l['vevents']:,} VEVENTs", l["seconds"], "s",
               l["floor"]["seconds"], "≤ 1.5×", l["seconds"] / l["floor"]["seconds"] <= 1.5,
               f"{l['bytes'] / 1e6:.0f} MB written")
        record(f"ICS export, all internal, {s['vevents']:,} VEVENTs", s["seconds"], "s",
               s["floor"]["seconds"], "≤ 1.5×", s["seconds"] / s["floor"]["seconds"] <= 1.5)
        grow_s, grow_l = s["rss_mb"] - s["base_mb"], l["rss_mb"] - l["base_mb"]
        record(f"ICS export memory above start, {l['vevents']:,} VEVENTs", grow_l, "MB", grow_s,
               "not growing", grow_l <= 2 * max(grow_s, 20),
               f"peak RSS {l['rss_mb']:.0f} MB (start {l['base_mb']:.0f}); {s['rss_mb']:.0f} MB at "
               f"{s['vevents']:,}; floor (one in-memory Calendar) {l['floor']['rss_mb']:.0f} MB")
    except Exception as error:
        failed("ICS export", error)


# --- 5. programme PDF -------------------------------------------------------------------------------


def pdf_floor(data, lang: str) -> bytes:
    """ReportLab platypus: the same day headings and 3-column tables, from strings in memory."""
    import io
    from itertools import groupby

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from xml.sax.saxutils import escape

    from citynet.render.pdf.common import home_tz, participant_role, participant_text, session_day, session_times
    from citynet.render.pdf.fonts import MAIN, register_fonts

    register_fonts()
    cell = ParagraphStyle("c", fontName=MAIN, fontSize=9, leading=13, wordWrap="CJK")  # as the tables
    head = ParagraphStyle("h", fontName=MAIN, fontSize=13, leading=18)
    tz = home_tz(data)
    # every string computed before the clock starts: the floor is layout and PDF writing only
    days = []
    for day, sessions in groupby(data.detail.sessions, key=lambda s: s.local_day):
        sessions = list(sessions)
        rows = [[escape(session_times(s, tz, lang)).replace(" / ", "<br/>"), escape(s.title.ja or s.title.en or ""),
                 "<br/>".join(escape(f"{participant_role(p.role, lang)}: {participant_text(p, lang)}")
                              for p in s.participants)] for s in sessions]  # everyone, as the programme
        days.append((session_day(sessions[0], lang), rows))
    t = time.perf_counter()
    story = []
    width = A4[0] - 36 * mm
    for title, rows in days:
        story.append(Paragraph(escape(title), head))
        table = Table([[Paragraph(x, cell) for x in ("Time", "Session", "Speakers")]]
                      + [[Paragraph(x, cell) for x in row] for row in rows],
                      colWidths=[width * 1.9 / 7, width * 2.1 / 7, width * 3 / 7], repeatRows=1)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#b8c4d0")]))
        story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue(), time.perf_counter() - t


def bench_pdf(url: str) -> None:
    from citynet.render.pdf import render_pdf
    from citynet.services.briefing import programme_data

    engine = open_engine(url)
    try:
        data = programme_data(engine, "bench-programme")
        n_sessions = len(data.detail.sessions)
        n_people = sum(len(s.participants) for s in data.detail.sessions)
        render_pdf(engine, "programme", "bench-programme", "ja")  # fonts loaded, caches warm
        pdf_floor(data, "ja")
        best = min(_timed(lambda: render_pdf(engine, "programme", "bench-programme", "ja")) for _ in range(2))
        floor = min(pdf_floor(data, "ja")[1] for _ in range(2))
        record(f"programme PDF ({n_sessions} sessions, {n_people:,} participants)", best, "s", floor,
               "≤ 1.5×", best / floor <= 1.5)
    except Exception as error:
        failed("programme PDF", error)
    finally:
        engine.dispose()


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


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


# --- 6b. feeds following the store: the incremental build -----------------------------------------

# In one interpreter: catch the feed directory up with the store (from scratch the first time),
# then per run move one public session 30 minutes through the write path and time the
# incremental build; right after, the floor: what any correct build must at least do — notice
# the change (SELECT max(id) FROM change), render the changed event's calendar whole (both
# audiences, citynet's exporter) and write the bytes of every file the build rewrote (each
# through a temporary file, fsync and rename, as atomic_write does). The bytes to write are read
# before the floor's clock starts.
FEEDS_INC_CHILD = r"""
import json, os, statistics, sys, time
from datetime import timedelta
from pathlib import Path
import sqlalchemy as sa
from citynet.store.db import open_database
from citynet.feeds.build import update_feeds
from citynet.render.ics import render_calendar
from citynet.services import records
from citynet.services.calendar import calendar_stream

url, feeds, runs = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
engine = open_database(url)
build = lambda: update_feeds(engine, feeds, base_url="https://feeds.example.org",
                             tokens_file=feeds.parent / "feed-tokens.json")
t = time.perf_counter()
first = build()
catch_up = {"seconds": time.perf_counter() - t, "full": first.full, "events": first.rendered_events}

def mtimes():
    return {p: p.stat().st_mtime_ns for a in ("public", "internal") for p in (feeds / a).glob("*.ics")}

with engine.connect() as c:
    newest = c.execute(sa.text("SELECT max(id) FROM change")).scalar() or 0
    candidates = c.execute(sa.text(
        "SELECT s.id, e.slug FROM session s JOIN event e ON e.id = s.event_id "
        "WHERE s.visibility = 'public' AND e.visibility = 'public' AND s.starts_at IS NOT NULL "
        "AND s.status <> 'cancelled' ORDER BY s.id")).all()
picked = [candidates[(newest * 7919 + n * 104729) % len(candidates)] for n in range(runs)]
out = []
for session_id, event_slug in picked:
    before = mtimes()
    values = records.get_values(engine, "session", session_id)
    start, end = values["starts_at"], values["ends_at"]
    moved = {"starts_at": (start + timedelta(minutes=30)).isoformat()}
    if end is not None:
        moved["ends_at"] = (end + timedelta(minutes=30)).isoformat()
    records.update_record(engine, "session", session_id, values["revision"], moved, origin="cli")
    t = time.perf_counter()
    report = build()
    seconds = time.perf_counter() - t
    after = mtimes()
    changed = {p for p in after if before.get(p) != after[p]}
    rewritten = set(report.rewritten)
    bodies = [(p, p.read_bytes()) for p in sorted(rewritten)]
    # the floor
    t = time.perf_counter()
    with engine.connect() as c:
        c.execute(sa.text("SELECT max(id) FROM change")).scalar()
    rendered = {a: render_calendar(calendar_stream(engine, "event", event_slug, a), "both")
                for a in ("public", "internal")}
    for p, body in bodies:
        tmp = p.with_name(f".floor-{p.name}.tmp")
        with open(tmp, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p.with_name(f".floor-{p.name}"))
    floor = time.perf_counter() - t
    for p, _ in bodies:
        p.with_name(f".floor-{p.name}").unlink()
    same = all((feeds / a / f"event-{event_slug}.ics").read_bytes() == rendered[a] for a in ("public", "internal"))
    out.append({"seconds": seconds, "floor": floor, "full": report.full, "events": report.rendered_events,
                "rewritten": sorted(p.parent.name + "/" + p.name for p in rewritten),
                "bytes": sum(len(b) for _, b in bodies), "files": len(after),
                "kept": len(after) - len(changed), "changed_is_rewritten": changed == rewritten,
                "event_feed_as_exported": same})
print(json.dumps({"catch_up": catch_up, "runs": out}))
"""


def bench_feeds_incremental(large: str, runs: int = 5) -> None:
    """The feeds after one session changed in the large store (issue 17, part 5): ≤ 2 s."""
    import shutil

    name = "feeds: rebuild after one session changed, 100k store"
    try:
        # The store this measurement changes, and its feed directory, kept beside the dataset:
        # the first run builds the feeds from scratch (minutes), later ones only catch up.
        source = Path(large.removeprefix("sqlite:///"))
        home = BENCH / ".cache" / f"feeds-incremental-{source.stem}"
        store = home / "store.db"
        if not store.exists():
            home.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, home / "store.tmp")
            os.replace(home / "store.tmp", store)
        result = child(FEEDS_INC_CHILD, f"sqlite:///{store}", str(home / "feeds"), str(runs), timeout=7200)
        measured = result["runs"]
        seconds = [r["seconds"] for r in measured]
        floors = [r["floor"] for r in measured]
        value, floor = statistics.median(seconds), statistics.median(floors)
        kept_ok = all(r["changed_is_rewritten"] and r["event_feed_as_exported"] and not r["full"]
                      for r in measured)
        rewritten = sorted({len(r["rewritten"]) for r in measured})
        catch_up = result["catch_up"]
        note = (f"{len(measured)} runs, {min(seconds):.2f}–{max(seconds):.2f} s (floor "
                f"{min(floors):.2f}–{max(floors):.2f} s); {'/'.join(map(str, rewritten))} of "
                f"{measured[0]['files']:,} feed files rewritten per run "
                f"({max(r['bytes'] for r in measured) / 1e6:.0f} MB: both 'all' feeds, the event's, its "
                f"cities' and networks'); every other file kept its bytes, mtime and ETag: "
                f"{'yes' if kept_ok else 'NO'}; catching up first: {catch_up['seconds']:.0f} s"
                f"{' (from scratch)' if catch_up['full'] else ''}")
        record(name, value, "s", floor, "≤ 2 s", value <= 2 and kept_ok, note)
        if not kept_ok:
            NOTES.append(f"{name}: a file changed that the build did not rewrite, or an event feed "
                         f"differs from the exporter's: {measured}")
    except Exception as error:
        failed(name, error)


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


# --- profiles of gaps -------------------------------------------------------------------------------


def profile(label: str, fn, top: int = 15) -> None:
    import cProfile
    import io
    import pstats

    pr = cProfile.Profile()
    pr.enable()
    try:
        fn()
    finally:
        pr.disable()
    text = io.StringIO()
    stats = pstats.Stats(pr, stream=text).sort_stats("tottime")
    stats.print_stats(top)
    lines = [l for l in text.getvalue().splitlines() if l.strip()]
    start = next((i for i, l in enumerate(lines) if "ncalls" in l), 0)
    PROFILES[label] = "\n".join(l.replace(str(ROOT) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
                                for l in lines[start:start + top + 1])


def profile_gaps(small: str) -> None:
    missed = {r["name"].split(",")[0].split(" (")[0] for r in RESULTS if r["ok"] is False}
    engine = open_engine(small)
    try:
        if any(n.startswith("ICS export") for n in missed):
            from citynet.render.ics import render_calendar
            from citynet.services.calendar import calendar_data

            profile("ICS export, all internal, small dataset (cProfile, tottime)",
                    lambda: render_calendar(calendar_data(engine, "all", None, "internal"), "both"))
        if any(n.startswith("programme PDF") for n in missed):
            from citynet.render.pdf import render_pdf

            profile("programme PDF (cProfile, tottime)",
                    lambda: render_pdf(engine, "programme", "bench-programme", "ja"))
        # search: profiled by bench_search itself, on the large store, at its slowest keystroke
    finally:
        engine.dispose()


# --- report -----------------------------------------------------------------------------------------


def machine() -> dict:
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
    versions = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version, **SERVER_VERSIONS}
    for dist in ("textual", "reportlab", "icalendar", "SQLAlchemy", "sqlmodel", "psycopg", "waitress"):
        try:
            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "?"
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "os": platform.platform(), "versions": versions}


def fmt(value, digits=3):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if abs(value) < 1000 else f"{value:,.0f}"


def write_doc(args, took: float) -> None:
    info = machine()
    command = "python bench/run.py" + (" --quick" if args.quick else "")
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/run.py` (issue 8); rerun with:",
        "",
        "```sh",
        f".venv/bin/{command}",
        "```",
        "",
        f"- date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; suite took {took / 60:.1f} min"
        f" ({'quick' if args.quick else 'full'} mode)",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "- data: `bench/synthetic.py --seed 1` — scale 1.0 is 10,000 cities, 100,000 people, "
        "20,000 events, 100,000 sessions, 300,000 participants"
        + ("; --quick uses scale 0.1 as large and 0.01 as small" if args.quick else "; small is scale 0.1"),
        "",
        "Every figure is compared with a floor measured in the same run (the ratio column).",
        "",
        "| Measurement | Value | Floor | Ratio | Goal | Met | Notes |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in RESULTS:
        met = "" if r["ok"] is None else ("yes" if r["ok"] else "**no**")
        value = f"{fmt(r['value'])} {r['unit']}" if r["value"] is not None else "–"
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "–"
        lines.append(f"| {r['name']} | {value} | {fmt(r['floor'])} | {ratio} | {r['goal']} | {met} | {r['note']} |")
    if NOTES:
        lines += ["", "Notes from this run:", ""] + [f"- {n}" for n in NOTES]
    if PROFILES:
        lines += ["", "## Profiles of the gaps (this run)", ""]
        for label, text in PROFILES.items():
            lines += [f"### {label}", "", "```", text, "```", ""]
    analysis = BENCH / "ANALYSIS.md"
    if analysis.exists():
        lines += ["", analysis.read_text().strip(), ""]
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text("\n".join(lines) + "\n")
    print(f"wrote {DOC.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description="citynet benchmarks (issue 8)")
    parser.add_argument("--quick", action="store_true", help="small datasets, fewer runs (smoke test)")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--only", help="comma-separated: ui,cli,lists,search,queries,ics,pdf,feeds,"
                        "feeds-incremental,import")
    parser.add_argument("--runs", type=int, default=5,
                        help="alternating runs of the UI start and of each command (default 5)")
    parser.add_argument("--import-rows", type=int, help="rows of the people import (default 50,000; "
                        "5,000 with --quick)")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("CITYNET_BENCH_POSTGRES_URL") or
                        "postgresql+psycopg://postgres@127.0.0.1:5432/citynet_bench",
                        help="PostgreSQL database for the search benchmark, (re)created and filled "
                        "with the large store by bench/pg_store.py when it does not hold it (default: "
                        "$CITYNET_BENCH_POSTGRES_URL, else %(default)s)")
    parser.add_argument("--no-pg", action="store_true", help="search on SQLite only")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    started = time.perf_counter()
    large_scale, small_scale = (0.1, 0.01) if args.quick else (1.0, 0.1)
    print(f"datasets: large = scale {large_scale:g}, small = scale {small_scale:g}", flush=True)
    large, small = dataset(large_scale), dataset(small_scale)
    want = lambda name: only is None or name in only  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="citynet-bench-") as tmp:
        tmp = Path(tmp)
        if want("ui"):
            bench_ui_startup({"demo store": demo_store(tmp), "large store": large},
                             3 if args.quick else args.runs)
        if want("cli"):
            bench_cli(demo_store(tmp), tmp, 3 if args.quick else args.runs)
        if want("lists"):
            bench_lists(large, 5_000 if args.quick else 50_000)
        if want("search"):
            bench_search(large, None if args.no_pg else args.pg)
        if want("queries"):
            bench_queries(small, large)
        if want("ics"):
            bench_ics(small, large, tmp)
        if want("pdf"):
            bench_pdf(large)
        if want("feeds"):
            bench_feeds(large, tmp, 2_000 if args.quick else 10_000, 5 if args.quick else 20)
        if want("feeds-incremental"):
            bench_feeds_incremental(large)
        if want("import"):
            bench_import_lock(large, tmp, args.import_rows or (5_000 if args.quick else 50_000))
        profile_gaps(small)
    took = time.perf_counter() - started
    print(f"suite took {took:.0f} s")
    if not args.no_doc and only is None:
        write_doc(args, took)
    return 0


if __name__ == "__main__":
    sys.exit(main())
