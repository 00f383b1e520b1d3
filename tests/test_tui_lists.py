"""Lists in the terminal UI (Pilot, 80x24, Japanese and English): End reaches the last row of the
whole list, not only of the rows loaded, and "row X of N" stays right going back up from there;
s sorts by the next column, S the other way, a click on a header by that column; F narrows the
list by status, country, dates and network, together with the text filter."""

from __future__ import annotations

import asyncio
import os
import shutil

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

from citynet.i18n import set_language  # noqa: E402
from citynet.store.db import open_database  # noqa: E402
from tests import test_tui_app as tui_app  # noqa: E402
from tests.test_tui_app import screen_text  # noqa: E402

PEOPLE = 260  # with the demo's 4: more than two pages of 100


@pytest.fixture(scope="module")
def many_people(demo_sqlite_template, tmp_path_factory):
    from citynet.services.records import create_record

    path = tmp_path_factory.mktemp("lists") / "t.db"
    shutil.copy(demo_sqlite_template, path)
    engine = open_database(f"sqlite:///{path}")
    for n in range(PEOPLE):
        create_record(engine, "person", {"slug": f"p{n:03d}", "family_name_latin": f"Zz{n:03d}",
                                         "given_name_latin": "Test", "honorific_en": "Dr"},
                      origin="form")
    for status in ("planned", "cancelled"):
        create_record(engine, "event", {"slug": f"e-{status}", "kind": "meeting",
                                        "title_ja": f"会議{status}", "status": status,
                                        "timezone": "Asia/Tokyo"}, origin="form")
    engine.dispose()
    return path


@pytest.fixture
def engine(many_people, tmp_path):
    path = tmp_path / "t.db"
    shutil.copy(many_people, path)
    engine = open_database(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def language():
    yield
    set_language("en")


async def settle(app, pilot, rounds: int = 4) -> None:
    await tui_app.settle(app, pilot, rounds, pause=0.02)


def make_app(engine):
    from citynet.tui.application import CitynetApp

    return CitynetApp(engine=engine, keymap={})


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_end_reaches_the_last_row_of_the_whole_list(engine, lang):
    set_language(lang)
    total = PEOPLE + 4

    async def go():
        app = make_app(engine)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("5")
            await settle(app, pilot)
            table = app.screen.query_one("#rows")
            assert table.row_count == 100  # one page loaded
            await pilot.press("end")
            await settle(app, pilot)
            text = screen_text(app)
            # in English order the Zz… names come last: the last of them is on screen
            if lang == "en":
                assert "ZZ259" in text
            last = f"{total}件中{total}件目" if lang == "ja" else f"row {total} of {total}"
            assert last in text, text
            assert table.cursor_row == table.row_count - 1
            # going back up from the end reads the pages before, and counts rows right
            for _ in range(40):
                await pilot.press("up")
            await settle(app, pilot)
            above = total - 40
            line = f"{total}件中{above}件目" if lang == "ja" else f"row {above} of {total}"
            assert line in screen_text(app)
            for _ in range(100):
                await pilot.press("up")
            await settle(app, pilot)
            above -= 100
            line = f"{total}件中{above}件目" if lang == "ja" else f"row {above} of {total}"
            assert line in screen_text(app)
            await pilot.press("home")
            await settle(app, pilot)
            first = f"{total}件中1件目" if lang == "ja" else f"row 1 of {total}"
            assert first in screen_text(app)
    asyncio.run(go())


def test_sort_keys_and_a_header_click(engine):
    set_language("ja")

    async def go():
        app = make_app(engine)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("6")
            await settle(app, pilot)
            table = app.screen.query_one("#rows")

            def column(n):
                return [str(table.get_row_at(r)[n]) for r in range(table.row_count)]

            assert "新しい順" in screen_text(app)
            await pilot.press("s")  # the next column: title
            await settle(app, pilot)
            assert "名称の昇順" in screen_text(app)
            titles = column(1)
            await pilot.press("S")  # the other way
            await settle(app, pilot)
            assert "名称の降順" in screen_text(app)
            assert column(1) == list(reversed(titles))
            # a click on the Status header sorts by status; a second click, the other way
            app.screen.on_data_table_header_selected(
                type("Click", (), {"column_index": 3})())
            await settle(app, pilot)
            assert "状況の昇順" in screen_text(app)
            from citynet.i18n import _
            from citynet.i18n.vocabulary import EVENT_STATUSES
            from citynet.store.models import EVENT_STATUSES as CODES

            place = {_(EVENT_STATUSES[code]): n for n, code in enumerate(CODES)}
            shown = [place[word] for word in column(3)]
            assert shown == sorted(shown) and shown[0] < shown[-1]  # 予定 … 開催済み … 中止
            app.screen.on_data_table_header_selected(
                type("Click", (), {"column_index": 3})())
            await settle(app, pilot)
            assert "状況の降順" in screen_text(app)
            assert [place[word] for word in column(3)] == sorted(shown, reverse=True)
    asyncio.run(go())


def test_narrow_by_status_country_and_dates_with_the_text_filter(engine):
    set_language("ja")

    async def go():
        app = make_app(engine)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("6")
            await settle(app, pilot)
            table = app.screen.query_one("#rows")
            everything = table.row_count
            await pilot.press("F")
            await settle(app, pilot)
            dialog = app.screen
            assert type(dialog).__name__ == "NarrowModal"
            text = screen_text(app)
            assert "一覧の絞り込み条件" in text and "国・地域" in text and "ネットワーク" in text
            dialog.query_one("#narrow-country").value = "AZ"
            dialog.query_one("#narrow-since").value = "令和6年11月1日"  # era dates too
            await pilot.click("#narrow-apply")
            await settle(app, pilot)
            text = screen_text(app)
            assert "条件：アゼルバイジャン、2024年11月1日～" in text, text
            assert table.row_count == 1 and "国連気候変動枠組条約" in text
            # a bad date is said, and the dialog stays
            await pilot.press("F")
            await settle(app, pilot)
            app.screen.query_one("#narrow-until").value = "2024-13-40"
            await pilot.click("#narrow-apply")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "NarrowModal"
            await pilot.click("#narrow-clear")
            await settle(app, pilot)
            assert table.row_count == everything and "条件" not in app.screen.query_one(
                "#list-status").visual.plain
            # the text filter and a status together
            await pilot.press("F")
            await settle(app, pilot)
            app.screen.query_one("#narrow-status").value = "planned"
            await pilot.click("#narrow-apply")
            await settle(app, pilot)
            assert table.row_count == 1  # the planned meeting of the fixture
            await pilot.press("F")
            await settle(app, pilot)
            app.screen.query_one("#narrow-status").value = "held"
            await pilot.click("#narrow-apply")
            await settle(app, pilot)
            await pilot.press("f", *"cop")
            await settle(app, pilot, rounds=8)
            assert table.row_count == 1 and "条件：開催済み" in screen_text(app)
    asyncio.run(go())
