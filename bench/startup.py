"""UI start and the command line against bare floors (issue 17, parts 2 and 3)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from common import RESULTS, ROOT, alternate, child_timed, failed, loadavg, process_env, process_time, record, spread

# --- 1. UI first screen -----------------------------------------------------------------------------
# The floor: a bare Textual app, a header, a DataTable and a footer, showing the rows of citynet's
# first table (the dashboard's "upcoming": events from today, sessions from now, else the latest;
# dates and home times as the Japanese UI writes them), read with plain sqlite3 before its first
# frame and timed to on_ready. ``--rows`` prints the rows instead (tests/test_bench_startup_floor.py
# holds them to what citynet shows). CITYNET_NOW fixes "now", as it does for citynet.
MINIMAL = r"""
import time; t0 = time.perf_counter()
import json, os, sqlite3, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from textual.app import App
from textual.widgets import DataTable, Footer, Header

def upcoming(path, now, limit=12):
    db = sqlite3.connect(path)
    home = db.execute("SELECT timezone FROM city WHERE is_home = 1").fetchone()
    home = ZoneInfo(home[0] if home else "Asia/Tokyo")
    today = now.astimezone(home).date().isoformat()
    stamp = now.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    event = "SELECT 0, start_date, starts_at, ends_at, title_ja, title_en, '', '', id FROM event"
    session = ("SELECT 1, s.day, s.starts_at, s.ends_at, s.title_ja, s.title_en, e.title_ja, "
               "e.title_en, s.id FROM session s JOIN event e ON e.id = s.event_id")
    events = (db.execute(f"{event} WHERE end_date >= ? AND start_date < ? ORDER BY +start_date, id "
                         "LIMIT ?", (today, today, limit)).fetchall()
              + db.execute(f"{event} WHERE start_date >= ? ORDER BY start_date, id LIMIT ?",
                           (today, limit)).fetchall())[:limit]
    sessions = (db.execute(f"{session} WHERE s.starts_at >= ? ORDER BY s.starts_at, s.id LIMIT ?",
                           (stamp, limit)).fetchall()
                + db.execute(f"{session} WHERE coalesce(s.starts_at, s.starts_at) IS NULL AND "
                             "s.day >= ? ORDER BY s.day, s.id LIMIT ?", (today, limit)).fetchall())
    sessions = sorted(sessions, key=lambda r: (r[2] or r[1], r[2] is not None, r[8]))[:limit]
    past = not events and not sessions
    if past:
        events = db.execute(f"{event} WHERE start_date IS NOT NULL ORDER BY start_date DESC, id DESC "
                            "LIMIT ?", (limit // 2,)).fetchall()
        sessions = db.execute(f"{session} WHERE s.starts_at IS NOT NULL ORDER BY s.starts_at DESC, "
                              "s.id DESC LIMIT ?", (limit,)).fetchall()
    rows = [*events, *sessions]
    rows.sort(key=lambda r: r[2] or (r[1] or today) + " 00:00:00.000000", reverse=past)

    def text(ja, en):
        ja, en = (ja or "").strip(), (en or "").strip()
        return ja or (f"[未訳/missing] {en}" if en else "")

    def day(d):
        return f"{d.year}年{d.month}月{d.day}日"

    out = []
    for kind, d, start, end, ja, en, ev_ja, ev_en, _ in rows[:limit]:
        if start:
            local = datetime.fromisoformat(start).replace(tzinfo=timezone.utc).astimezone(home)
            until = datetime.fromisoformat(end).replace(tzinfo=timezone.utc).astimezone(home) if end else None
            when = (day(local), local.strftime("%H:%M") + (until.strftime("–%H:%M") if until else ""))
        else:
            when = (day(datetime.fromisoformat(d)), "時間未定") if d else ("", "")
        out.append([*when, text(ja, en), text(ev_ja, ev_en) if kind else ""])
    return out

fixed = os.environ.get("CITYNET_NOW")
now = datetime.fromisoformat(fixed.replace("Z", "+00:00")) if fixed else datetime.now(timezone.utc)
now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
if "--rows" in sys.argv:
    print(json.dumps(upcoming(sys.argv[1], now), ensure_ascii=False)); sys.exit()

class M(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable); t.add_columns("日付", "時刻", "名称", "イベント")
        t.add_rows(upcoming(sys.argv[1], now))
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
            path = url.removeprefix("sqlite:///")
            got = alternate({"bare": lambda: child_timed(MINIMAL, path)["first_paint"],
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
                   f"dashboard read with sqlite3 in a worker after the first frame (the store "
                   f"opened with SQLAlchemy after it; the home line's country name, Babel, just "
                   f"after the tables); ratio per pair "
                   f"{spread(r_shown)}; citynet {spread(shown)} s; floor: the bare app's first "
                   f"frame, showing the same rows read with plain sqlite3", ratio=ratio)
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
