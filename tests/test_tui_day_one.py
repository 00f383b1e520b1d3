"""A new officer's first day, in Japanese, on SQLite and on PostgreSQL, with Pilot:

1. add an outbound visit (its slug made from the English title as it is typed) and two
   sessions typed in Japanese only (their slugs from the romanised katakana);
2. find the sessions in the agenda (``8``, ``g`` to a date) in home (Japan) time, then, after
   ``T``, in the venue's (Mannheim's) time;
3. meet a save from someone else made between opening the form and saving it, and resolve it
   field by field on the compare screen (keep one typed value, take one of theirs), saved on
   their revision;
4. export the briefing in both languages from the UI: the path shown is absolute, the file is
   there, readable by others as any document (umask 022) and its text has both titles.
"""

from __future__ import annotations

import asyncio
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

import test_tui_app as tui_app  # noqa: E402

from citynet.i18n import set_language  # noqa: E402

SIZE = (120, 36)
NOW = datetime(2026, 5, 1, 0, 0, tzinfo=timezone.utc)  # the visit (11-14 May 2026) is ahead


@pytest.fixture
def demo_engine(engine):  # noqa: F811 - the parametrised engine of conftest, with the demo
    from citynet.demo.loader import load_demo

    load_demo(engine)
    return engine


@pytest.fixture(autouse=True)
def japanese():
    set_language("ja")
    yield
    set_language("en")


def text_of(app) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


async def settle(app, pilot, rounds: int = 3) -> None:
    await tui_app.settle(app, pilot, rounds)


async def until(app, pilot, condition, rounds: int = 200):
    """Wait (the screens read in workers) until ``condition()`` holds; return its last value."""
    for _ in range(rounds):
        await settle(app, pilot, rounds=1)
        value = condition()
        if value:
            return value
    return condition()


async def type_into(app, pilot, field_id: str, text: str) -> None:
    """Focus a field and type into it key by key, as a person does."""
    app.screen.query_one(f"#{field_id}").focus()
    await pilot.pause()
    await pilot.press(*text)


async def pick(app, pilot, name: str, query: str) -> None:
    form = app.screen
    form.query_one(f"#f-{name}").press()
    await settle(app, pilot, rounds=1)
    await pilot.press(*query)
    await settle(app, pilot, rounds=2)
    await pilot.press("enter")
    await settle(app, pilot, rounds=1)
    assert app.screen is form and form.values.get(name) is not None, name


def stored(engine, kind: str, slug: str):
    from citynet.services import pickers

    return pickers.record_values(engine, kind, slug=slug)


def test_day_one(demo_engine, tmp_path, monkeypatch):
    from citynet.services.records import update_record
    from citynet.tui.application import CitynetApp

    engine = demo_engine
    monkeypatch.chdir(tmp_path)  # exports/ is written here
    umask = os.umask(0o022)

    async def go():
        app = CitynetApp(engine=engine, keymap={}, now=NOW, offer_demo=False)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)

            # --- 1. a visit with two sessions, typed in Japanese ------------------------------
            await pilot.press("6", "n")
            form = await until(app, pilot, lambda: type(app.screen).__name__ == "FormScreen"
                               and app.screen.filled and app.screen)
            assert "種類 *" in text_of(app)  # required fields are marked
            await pilot.press(*"マンハイム市訪問")  # the form starts at the Japanese title
            await type_into(app, pilot, "f-title_en", "Visit to Mannheim")
            await settle(app, pilot)
            assert form.query_one("#f-title_ja").value == "マンハイム市訪問"
            assert form.query_one("#f-slug").value == "visit-to-mannheim"  # made as typed
            form.query_one("#f-kind").value = "outbound_visit"
            await type_into(app, pilot, "f-start_date", "令和8年5月11日")
            await type_into(app, pilot, "f-end_date", "令和8年5月14日")
            await pick(app, pilot, "timezone", "berlin")
            await pick(app, pilot, "city_id", "mannheim")
            await pilot.press("ctrl+s")
            await until(app, pilot, lambda: app.screen is not form)
            event = stored(engine, "event", "visit-to-mannheim")
            assert event.values["kind"] == "outbound_visit"
            assert event.values["title_ja"] == "マンハイム市訪問"

            app.open_record("event", "visit-to-mannheim")
            await until(app, pilot, lambda: "マンハイム市訪問" in text_of(app))
            sessions = [("歓迎レセプション", "resepusyon", "令和8年5月12日 10:00", "2026-05-12 11:30"),
                        ("環境ワークショップ", "wakusyoppu", "2026-05-12 14:00", "２０２６－０５－１２ １６：００")]
            for title, slug, starts, ends in sessions:
                await pilot.press("a")  # a session of this event
                form = await until(app, pilot, lambda: type(app.screen).__name__ == "FormScreen"
                                   and app.screen.filled and app.screen)
                await pilot.press(*title)
                await settle(app, pilot)
                assert form.query_one("#f-slug").value == slug, title  # romanised katakana
                form.query_one("#f-kind").value = "meeting"
                await type_into(app, pilot, "f-starts_at", starts)
                await type_into(app, pilot, "f-ends_at", ends)
                await pilot.press("ctrl+s")
                await until(app, pilot, lambda: app.screen is not form)
                assert stored(engine, "session", slug).values["title_ja"] == title
            shown = await until(app, pilot, lambda: "環境ワークショップ" in text_of(app) and text_of(app))
            assert "歓迎レセプション" in shown

            # --- 2. the agenda, in home time and in the venue's time ---------------------------
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("8")
            await until(app, pilot, lambda: type(app.screen).__name__ == "AgendaScreen")
            await pilot.press("g", *"令和8年5月12日", "enter")
            # Berlin is UTC+2 in May: 10:00 there is 17:00 in Japan.
            shown = await until(app, pilot, lambda: "17:00-18:30" in text_of(app) and text_of(app))
            assert "17:00-18:30" in shown and "21:00-23:00" in shown, shown
            assert "歓迎レセプション" in shown and "環境ワークショップ" in shown
            assert "日本時間" in shown
            await pilot.press("T")
            shown = await until(app, pilot, lambda: "10:00-11:30" in text_of(app) and text_of(app))
            assert "10:00-11:30" in shown and "14:00-16:00" in shown, shown
            assert "17:00-18:30" not in shown and "現地時間" in shown
            await pilot.press("T")  # back to home time
            await settle(app, pilot)

            # --- 3. someone else saves first; compare and resolve field by field ---------------
            await pilot.press("escape")
            await settle(app, pilot)
            app.open_record("event", "visit-to-mannheim")
            await until(app, pilot, lambda: "マンハイム市訪問" in text_of(app))
            await pilot.press("e")
            form = await until(app, pilot, lambda: type(app.screen).__name__ == "FormScreen"
                               and app.screen.filled and app.screen)
            before = stored(engine, "event", "visit-to-mannheim")
            # a colleague's save, through the one write path, while this form is open
            update_record(engine, "event", before.id, before.revision,
                          {"title_en": "Official visit to Mannheim", "venue_en": "Mannheim City Hall"},
                          origin="form", user="colleague")
            form.query_one("#f-title_en").value = ""
            await type_into(app, pilot, "f-title_en", "Mannheim visit 2026")
            await type_into(app, pilot, "f-venue_ja", "マンハイム市庁舎")
            await pilot.press("ctrl+s")
            await until(app, pilot, lambda: type(app.screen).__name__ == "ConflictModal")
            assert "colleague" in text_of(app)
            app.screen.query_one("#answer-compare").press()
            compare = await until(app, pilot, lambda: type(app.screen).__name__ == "CompareScreen"
                                  and app.screen)
            shown = await until(app, pilot, lambda: "Mannheim City Hall" in text_of(app) and text_of(app))
            # field by field, labels and values in words: theirs beside what was typed
            assert [row.field for row in compare.rows] == ["title_en", "venue_ja", "venue_en"]
            for words in ("名称（英語）", "Official visit to Mannheim", "Mannheim visit 2026",
                          "会場（日本語）", "マンハイム市庁舎", "会場（英語）", "Mannheim City Hall"):
                assert words in shown, words
            # what was typed starts on "yours", what only they changed on "theirs"
            assert [row.take_theirs for row in compare.rows] == [False, False, True]
            # take their English title after all (the first row), keep the typed venue
            await pilot.press("space")
            assert compare.rows[0].take_theirs
            await pilot.press("ctrl+s")
            await until(app, pilot, lambda: type(app.screen).__name__ == "DetailScreen")
            after = stored(engine, "event", "visit-to-mannheim")
            assert after.revision == before.revision + 2  # saved on their revision
            assert after.values["title_en"] == "Official visit to Mannheim"
            assert after.values["venue_en"] == "Mannheim City Hall"
            assert after.values["venue_ja"] == "マンハイム市庁舎"
            await until(app, pilot, lambda: "マンハイム市庁舎" in text_of(app))

            # --- 4. the briefing in both languages, from the UI ---------------------------------
            await pilot.press("x")
            modal = await until(app, pilot, lambda: type(app.screen).__name__ == "ExportModal"
                                and app.screen)
            modal.query_one("#lang-both").value = True
            await pilot.pause()
            modal.query_one("#pdf-briefing").press()
            result = await until(app, pilot, lambda: ".pdf" in str(modal.query_one("#result").render())
                                 and str(modal.query_one("#result").render()))
            return result

    try:
        result = asyncio.run(go())
    finally:
        os.umask(umask)
    match = re.search(r"(/\S+\.pdf)", result)
    assert match and "書き出しました" in result, result
    path = Path(match.group(1))
    assert path.is_absolute() and path.is_file(), result
    assert path == (tmp_path / "exports" / "visit-to-mannheim-briefing-both.pdf").resolve()
    assert path.stat().st_mode & 0o777 == 0o644  # a document: the user's umask
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    text = re.sub(r"\s+", "", text)
    assert "マンハイム市訪問" in text and "OfficialvisittoMannheim" in text
