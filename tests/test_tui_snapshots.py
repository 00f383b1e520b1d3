"""SVG snapshots (pytest-textual-snapshot's ``snap_compare``) of the main screens, in Japanese and
in English, at 80x24.

Deterministic: the demo data has fixed timestamps, the app gets a fixed "now" (``now=``), the
settings file is pointed at nothing (no user key overrides), cursors do not blink and every
worker has finished before the picture is taken. Baselines live in ``tests/__snapshots__/``;
regenerate with ``pytest tests/test_tui_snapshots.py --snapshot-update`` after a deliberate UI or
Textual change, and look at the report before committing them.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

import test_tui_app as tui_app  # noqa: E402
from test_tui_app import engine  # noqa: E402,F401  (fixtures)

from citynet.i18n import set_language  # noqa: E402

SIZE = (80, 24)
NOW = datetime(2024, 11, 1, 0, 0, tzinfo=timezone.utc)  # COP29 (11-22 Nov 2024) is ahead


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYNET_CONFIG", str(tmp_path / "no-config.toml"))


async def settle(pilot, rounds: int = 3) -> None:
    await tui_app.settle(pilot.app, pilot, rounds, pause=0.02)


async def still(pilot) -> None:
    """Finish loading and stop every blinking cursor."""
    from textual.widgets import Input

    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _open_record(kind, slug):
    async def before(pilot):
        await settle(pilot)
        pilot.app.open_record(kind, slug)
        await still(pilot)
    return before


async def _dashboard(pilot):
    await still(pilot)


async def _cities(pilot):
    await settle(pilot)
    await pilot.press("2")
    await still(pilot)


async def _search(pilot):
    await settle(pilot)
    await pilot.press("slash")
    await settle(pilot)
    await pilot.press(*"しみず")
    await pilot.pause(0.3)
    await still(pilot)


async def _form(pilot):
    from citynet.services import pickers

    await settle(pilot)
    record = pickers.record_values(pilot.app.engine, "session", slug="cop29-press-conference")
    pilot.app.open_form("session", record_id=record.id)
    await still(pilot)


SCREENS = {
    "dashboard": _dashboard,
    "cities": _cities,
    "city": _open_record("city", "baku"),
    "event": _open_record("event", "cop29"),
    "session": _open_record("session", "cop29-press-conference"),
    "person": _open_record("person", "shimizu-hayato"),
    "search": _search,
    "form": _form,
}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, engine, screen, lang):  # noqa: F811
    from citynet.tui.application import CitynetApp

    set_language(lang)
    try:
        app = CitynetApp(engine=engine, now=NOW, keymap={})
        assert snap_compare(app, run_before=SCREENS[screen], terminal_size=SIZE)
    finally:
        set_language("en")
