"""The event page lists the event's releases, and "c" shows what changed since the newest one
(issue 15, parts 1 and 2), in Japanese and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest

from citynet.i18n import set_language
from citynet.services import records
from tests.test_tui_app import SIZE, engine, language, make_app, run, settle  # noqa: F401


async def _event_page(app, pilot):
    app.open_record("event", "cop29")
    for _ in range(60):
        await settle(app, pilot, rounds=1)
        built = getattr(app.screen, "built", None)
        if built is not None:
            return built
    raise AssertionError("the event page did not load")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_event_page_lists_releases_and_shows_changes(engine, lang):
    press = records.find_by_slug(engine, "session", "cop29-press-conference")
    records.update_record(engine, "session", press["id"], press["revision"],
                          {"starts_at": press["starts_at"] + timedelta(minutes=30),
                           "ends_at": press["ends_at"] + timedelta(minutes=30)}, origin="cli")
    set_language(lang)

    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            built = await _event_page(app, pilot)
            (releases,) = [s for s in built.sections if s.title == ("発行履歴" if lang == "ja" else "Releases")]
            (row,) = releases.rows
            assert row[1][0] == ("ブリーフィング資料 第1版（日英併記）" if lang == "ja"
                                 else "v1 briefing (Japanese and English)")
            await pilot.press("c")
            for _ in range(60):
                await settle(app, pilot, rounds=1)
                if type(app.screen).__name__ == "MessageModal":
                    break
            assert type(app.screen).__name__ == "MessageModal"
            text = app.screen.text
            if lang == "ja":
                assert "日時変更: プレスカンファレンス" in text and "日本時間 18:30～19:00" in text
            else:
                assert "Moved: Press conference" in text and "18:30–19:00 JST" in text
    run(go())
