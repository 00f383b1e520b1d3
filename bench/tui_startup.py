"""Time to first screen of citynet's UI against a minimal Textual app with a DataTable, and list /
search latencies on a large dataset (10k cities, 100k people, 20k events, 100k sessions).

    .venv/bin/python bench/tui_startup.py [--large /tmp/citynet-large.db] [--runs 3]

Start-up runs each app headless in a fresh interpreter (best of N): "first paint" is ``on_ready``;
"data shown" is when the dashboard's tables hold rows (the store opened and read in a worker).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MINIMAL = r"""
import time; t0 = time.perf_counter()
from textual.app import App
from textual.widgets import DataTable, Footer
class M(App):
    def compose(self):
        yield DataTable(); yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable); t.add_columns("a", "b"); t.add_row("1", "2")
    def on_ready(self):
        print(f"first_paint {time.perf_counter() - t0:.3f}"); self.exit()
M().run(headless=True)
"""

CITYNET = r"""
import time; t0 = time.perf_counter()
import sys
from citynet.tui.app import configure_keyboard; configure_keyboard()
from citynet.i18n import set_language; set_language("ja")
from citynet.tui.application import CitynetApp
class B(CitynetApp):
    def on_ready(self):
        print(f"first_paint {time.perf_counter() - t0:.3f}")
        self.set_interval(0.005, self.check)
    def check(self):
        tables = self.screen.query("#recent")
        if tables and tables.first().row_count:
            print(f"data_shown {time.perf_counter() - t0:.3f}")
            bad = [m for m in ("reportlab", "icalendar", "alembic") if m in sys.modules]
            print("heavy_modules", bad or "none")
            self.exit()
B(database_url=sys.argv[1], offer_demo=False).run(headless=True)
"""


def run(code: str, *args: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120).stdout
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def make_large(path: Path) -> None:
    import sqlalchemy as sa
    from datetime import date, datetime, timedelta, timezone

    from citynet.store import models as m
    from citynet.store.db import open_database

    engine = open_database(f"sqlite:///{path}")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    kana = "あいうえおかきくけこさしすせそたちつてとなにぬねの"
    with engine.begin() as c:
        c.execute(sa.insert(m.City), [dict(
            slug=f"city-{i}", name_ja=f"都市{i}", name_en=f"City {i}", name_kana=kana[i % 25] + f"{i}",
            country="JP", timezone="Asia/Tokyo", is_home=(i == 0), created_at=now, updated_at=now,
            revision=1) for i in range(10_000)])
        c.execute(sa.insert(m.Person), [dict(
            slug=f"person-{i}", family_name_ja=f"山田{i}", given_name_ja="太郎",
            family_name_latin=f"Yamada{i}", given_name_latin="Taro",
            name_kana=f"やまだ{i} たろう", name_order="family_first", created_at=now,
            updated_at=now, revision=1) for i in range(100_000)])
        c.execute(sa.insert(m.Event), [dict(
            slug=f"event-{i}", kind="meeting", title_ja=f"会議{i}", title_en=f"Meeting {i}",
            start_date=date(2020, 1, 1) + timedelta(days=i % 3000), timezone="Asia/Tokyo",
            city_id=(i % 10_000) + 1, status="planned", visibility="public", created_at=now,
            updated_at=now, revision=1) for i in range(20_000)])
        c.execute(sa.insert(m.Session), [dict(
            slug=f"session-{i}", event_id=(i % 20_000) + 1, kind="meeting", title_ja=f"分科会{i}",
            title_en=f"Session {i}", starts_at=now + timedelta(hours=i), status="planned",
            visibility="public", created_at=now, updated_at=now, revision=1)
            for i in range(100_000)])
    engine.dispose()


def latencies(path: Path) -> None:
    from citynet.services import browse
    from citynet.store.db import open_database

    engine = open_database(f"sqlite:///{path}")

    def timed(label, fn, *args):
        best = min(_once(fn, *args) for _ in range(3))
        print(f"{label:<44} {best * 1000:7.1f} ms")

    def _once(fn, *args):
        t = time.perf_counter(); fn(engine, *args); return time.perf_counter() - t

    timed("dashboard", browse.dashboard)
    for kind in browse.LIST_KINDS:
        first = browse.list_page(engine, kind)
        timed(f"list {kind}: first page", browse.list_page, kind)
        timed(f"list {kind}: next page", browse.list_page, kind, None, first.cursor)
    timed("list session: page at offset 50,000", browse.list_page, "session", None, 50_000)
    for q in ("やまだ9999", "yamada 12345", "ＹＡＭＡＤＡ1", "都市42", "Meeting 1999"):
        timed(f"search_all {q!r}", browse.search_all, q)
    timed("list person filtered 'taro 4242'", browse.list_page, "person", "taro 4242")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", default="/tmp/citynet-large.db")
    parser.add_argument("--demo", default="/tmp/citynet-bench-demo.db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    demo = Path(args.demo)
    if not demo.exists():
        from citynet.demo.loader import load_demo
        from citynet.store.db import open_database

        load_demo(open_database(f"sqlite:///{demo}"))
    print("start-up (best of", args.runs, "runs, headless)")
    minimal = min((run(MINIMAL) for _ in range(args.runs)), key=lambda r: float(r["first_paint"]))
    print(f"  minimal Textual app + DataTable  first paint {float(minimal['first_paint']):.3f} s")
    results = [run(CITYNET, f"sqlite:///{demo}") for _ in range(args.runs)]
    best = min(results, key=lambda r: float(r.get("first_paint", 99)))
    print(f"  citynet (demo data)              first paint {float(best['first_paint']):.3f} s, "
          f"data shown {float(best['data_shown']):.3f} s, heavy modules: {best['heavy_modules']}")
    large = Path(args.large)
    if not large.exists():
        t = time.perf_counter()
        make_large(large)
        print(f"built large dataset in {time.perf_counter() - t:.1f} s")
    results = [run(CITYNET, f"sqlite:///{large}") for _ in range(args.runs)]
    best = min(results, key=lambda r: float(r.get("first_paint", 99)))
    print(f"  citynet (large data)             first paint {float(best['first_paint']):.3f} s, "
          f"data shown {float(best['data_shown']):.3f} s")
    print("latencies on the large dataset (best of 3, service call only)")
    latencies(large)


if __name__ == "__main__":
    main()
