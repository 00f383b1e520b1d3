"""The UI benchmark's floor (bench/startup.py MINIMAL, a bare Textual app reading with plain
sqlite3) shows the rows citynet's dashboard shows in its first table, on the demo store: the
ratio compares the same work. Checked at instants with events and sessions ahead, and after the
demo's last event (the dashboard then shows the latest)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

from citynet.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from startup import MINIMAL

INSTANTS = ["2024-11-10T23:00:00+00:00", "2024-11-11T05:00:00+00:00", "2024-11-12T10:00:00+00:00",
            "2020-01-01T00:00:00+00:00", "2026-11-30T06:00:00+00:00"]


@pytest.fixture(scope="module")
def demo_file(demo_sqlite_template, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("floor") / "demo.db"
    shutil.copyfile(demo_sqlite_template, path)
    return path


def floor_rows(path: Path, now: str) -> list[list[str]]:
    out = subprocess.run([sys.executable, "-c", MINIMAL, str(path), "--rows"], check=True,
                         capture_output=True, text=True, env=dict(os.environ, CITYNET_NOW=now))
    return json.loads(out.stdout)


def citynet_rows(path: Path, now: str) -> list[list[str]]:
    """The rows of the dashboard's first table, as the Japanese UI shows them when started on
    the file (the path a user's start takes: the store opened by the app itself)."""
    from citynet.tui.application import CitynetApp

    async def go():
        app = CitynetApp(database_url=f"sqlite:///{path}", now=datetime.fromisoformat(now), keymap={})
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(200):
                await pilot.pause(0.02)
                if app.engine is not None and not app.workers._workers:
                    break
            table = app.screen.query_one("#upcoming")
            return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]

    set_language("ja")
    try:
        return asyncio.run(go())
    finally:
        set_language("en")


@pytest.mark.parametrize("now", INSTANTS)
def test_floor_shows_the_dashboards_first_table(demo_file, now):
    shown = citynet_rows(demo_file, now)
    assert shown, "the dashboard shows rows"
    assert floor_rows(demo_file, now) == shown
