"""The agenda screen with Pilot on the demo store, in Japanese and English, at 80x24 and 160x48:
opened by its key and from the palette, today, a jump to an era date, home and local time, Enter
on a session, its keys in the help; an SVG snapshot in Japanese at 80x24."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

from test_tui_app import engine, make_app, run, screen_text, settle  # noqa: E402,F401

from citynet.i18n import set_language  # noqa: E402

# Saitama's "today" in these tests: 2025-04-29 (the Urban7 summit in Saitama, a one-day event).
NOW = datetime(2025, 4, 29, 3, 0, tzinfo=timezone.utc)
SIZES = [(80, 24), (160, 48)]


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CITYNET_CONFIG", str(tmp_path / "no-config.toml"))


async def shown(app, pilot, text: str, rounds: int = 40) -> str:
    """The screen's text once it holds ``text`` (the agenda reads in a worker)."""
    for _ in range(rounds):
        await settle(app, pilot, rounds=1)
        seen = screen_text(app)
        if text in seen:
            return seen
    return seen


def row_of(app, key: str) -> int:
    table = app.screen.query_one("#agenda-rows")
    keys = [row.key.value.rsplit("|", 1)[0] for row in table.ordered_rows]
    return keys.index(key)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_agenda_today_jump_times_and_enter(engine, lang, size):  # noqa: F811
    set_language(lang)
    ja = lang == "ja"

    async def go():
        app = make_app(engine, now=NOW)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("8")
            text = await shown(app, pilot, "2025")
            assert type(app.screen).__name__ == "AgendaScreen"
            # Opens on the week of today (Monday 28 April - Sunday 4 May 2025).
            assert ("2025年4月28日（月）～5月4日（日）" if ja else "Mon 28 Apr – Sun 4 May 2025") in text
            assert ("4月29日（火）" if ja else "Tue 29 Apr") in text
            assert ("日本時間" if ja else "home time") in text
            assert "Traceback" not in text

            # Jump to an era date: the week of COP29's first days, in home (Japan) time.
            await pilot.press("g", *"令和6年11月12日", "enter")
            text = await shown(app, pilot, "21:30-22:30")
            assert ("2024年11月11日（月）～17日（日）" if ja else "Mon 11 – Sun 17 Nov 2024") in text
            assert "18:00-18:30" in text and "21:30-22:30" in text  # 13:00 and 16:30 in Baku
            # (at 80 columns the titles share the width: their beginnings)
            assert ("プレスカンファ" if ja else "Press conf") in text and "E-KIZUNA" in text
            assert ("終日 1/12日目" if ja else "all day 1/12") in text  # COP29, 11-22 November
            assert ("本市関係者が参加" if ja else "* with home city people") in text
            assert "2025" not in text.split("\n", 3)[3]  # nothing of the week left behind

            # T: the venue's (Baku's) time.
            await pilot.press("T")
            text = await shown(app, pilot, "16:30-17:30")
            assert "13:00-13:30" in text and "16:30-17:30" in text
            assert "18:00-18:30" not in text and ("現地時間" if ja else "local time") in text

            # Today again.
            await pilot.press("t")
            text = await shown(app, pilot, "2025")
            assert "16:30-17:30" not in text
            assert ("4月29日（火）" if ja else "Tue 29 Apr") in text

            # Back to COP29; the day view; Enter on the session opens it.
            await pilot.press("g", *"2024-11-12", "enter")
            await shown(app, pilot, "16:30-17:30")
            await pilot.press("v", "v")  # week -> month -> day
            text = await shown(app, pilot, "11月12日（火）" if ja else "Tue 12 Nov 2024")
            assert "13:00-13:30" not in text  # the 11th is another day
            table = app.screen.query_one("#agenda-rows")
            table.move_cursor(row=row_of(app, "session:e-kizuna-high-level-talks"))
            await pilot.press("enter")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "DetailScreen"
            assert app.screen.kind == "session"
            text = await shown(app, pilot, "E-KIZUNA")
            assert "E-KIZUNA" in text
            await pilot.press("escape")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "AgendaScreen"
    run(go())


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_agenda_from_the_palette_previous_next_and_a_bad_date(engine, lang):  # noqa: F811
    set_language(lang)
    ja = lang == "ja"

    async def go():
        app = make_app(engine, now=NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+p")
            await settle(app, pilot)
            await pilot.press(*("予定表" if ja else "agenda"))
            await settle(app, pilot)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await shown(app, pilot, "2025")
            assert type(app.screen).__name__ == "AgendaScreen"
            await pilot.press("v")  # the month of today
            text = await shown(app, pilot, "2025年4月1日～30日" if ja else "1–30 April 2025")
            assert ("開催済み" if ja else "held") in text or "U7" in text or "Urban" in text
            await pilot.press("right")  # next month: the declaration handed over in Toronto
            text = await shown(app, pilot, "5月29日（木）" if ja else "Thu 29 May")
            assert ("2025年5月1日～31日" if ja else "1–31 May 2025") in text
            await pilot.press("left", "left")
            text = await shown(app, pilot, "2025年3月1日～31日" if ja else "1–31 March 2025")
            assert ("この期間の予定はありません" if ja else "Nothing on these days") in text
            # A date that is not one: said on the status line, the agenda stays where it was.
            await pilot.press("g", *"2025-02-30", "enter")
            await settle(app, pilot)
            text = screen_text(app)
            assert "Traceback" not in text and ("2025年3月1日～31日" if ja else "1–31 March 2025") in text
            assert type(app.screen).__name__ == "AgendaScreen"
            # The help lists the agenda's keys (from their binding ids).
            await pilot.press("escape")  # leave the date field
            await pilot.press("f1")
            await settle(app, pilot)
            text = screen_text(app)
            for words in (["今日", "日付へ移動", "日/週/月", "前の日・週・月"] if ja
                          else ["Today", "Go to date", "Day/week/month", "Previous day"]):
                assert words in text
    run(go())


def test_agenda_snapshot_ja_80x24(snap_compare, engine):  # noqa: F811
    from citynet.tui.application import CitynetApp

    async def before(pilot):
        from textual.widgets import Input

        await settle(pilot.app, pilot)
        await pilot.press("8")
        await settle(pilot.app, pilot)
        await pilot.press("g", *"令和6年11月12日", "enter")
        await settle(pilot.app, pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    set_language("ja")
    try:
        app = CitynetApp(engine=engine, now=NOW, keymap={})
        assert snap_compare(app, run_before=before, terminal_size=(80, 24))
    finally:
        set_language("en")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_agenda_warnings_panel_names_what_the_checker_finds(engine, lang):  # noqa: F811
    """The week of the E-KIZUNA talks (21:30-22:30 in Japan, the mayor taking part): the panel
    under the agenda names the night-time warning; a week without findings says there are none."""
    set_language(lang)
    ja = lang == "ja"

    async def go():
        app = make_app(engine, now=NOW)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("8")
            await shown(app, pilot, "2025")
            text = await shown(app, pilot, "警告はありません" if ja else "No warnings.")
            assert ("警告はありません" if ja else "No warnings.") in text
            await pilot.press("g", *"2024-11-12", "enter")
            text = await shown(app, pilot, "警告: 1件" if ja else "Warnings: 1")
            assert ("警告: 1件" if ja else "Warnings: 1") in text
            assert ("［参考］「E-KIZUNAハイレベル会議」" if ja else "[advisory]") in text
            assert ("日本時間 21:30～22:30" if ja else "21:30–22:30 JST") in text
    run(go())
