"""Every kind of record created through its form, in Japanese: one invalid value first (the
message is shown in Japanese next to the field, the form stays open with every input kept),
then the value corrected and the record saved and found in the database.

Inputs are set directly; record references, countries and time zones are chosen through the
searchable picker as a user would (type, Enter).
"""

from __future__ import annotations

import asyncio
import os
import re

import pytest
import sqlalchemy as sa

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

from test_tui_app import engine, make_app  # noqa: E402,F401

from citynet.i18n import set_language  # noqa: E402

SIZE = (80, 24)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# kind: (inputs, selects, picks (field -> query typed into the picker), (field, bad value, good
# value), how to find the new record (column, value)).
SPECS = {
    "city": ({"name_ja": "テスト市", "name_en": "Testville", "name_kana": "てすとし"}, {},
             {"country": "MY", "timezone": "kuching"},
             ("latitude", "北緯35度", "35.86"), ("slug", "testville")),
    "organisation": ({"name_ja": "テスト協会", "name_en": "Test Association"},
                     {"kind": "company"}, {"country": "JP", "city_id": "zagreb"},
                     ("slug", "Bad Slug!", "test-association"), ("slug", "test-association")),
    "network": ({"name_ja": "テスト連合", "name_en": "Test League"}, {}, {},
                ("founded", "いつか", "令和元年"), ("slug", "test-league")),
    "membership": ({"role_en": "Member"}, {}, {"network_id": "urban7", "city_id": "zagreb"},
                   ("start", "someday", "2019-07"), ("role_en", "Member")),
    "relationship": ({"slug": "zagreb-friendship", "notes_en": "Signed in Zagreb"}, {"kind": "friendship", "status": "planned"},
                     {"city_id": "zagreb"}, ("since", "昔", "2026"), ("notes_en", "Signed in Zagreb")),
    "person": ({"family_name_latin": "Tanaka", "given_name_latin": "Aiko",
                "family_name_ja": "田中", "given_name_ja": "愛子", "name_kana": "たなか あいこ"},
               {"name_order": "family_first"}, {},
               ("slug", "Tanaka Aiko", "tanaka-aiko"), ("slug", "tanaka-aiko")),
    "position": ({"title_ja": "副市長", "title_en": "Deputy Mayor"}, {},
                 {"person_id": "shimizu", "city_id": "zagreb"},
                 ("start", "先月", "2025-04"), ("slug", "deputy-mayor")),
    "event": ({"title_ja": "テスト会議", "title_en": "Test Meeting"},
              {"kind": "meeting", "status": "planned"}, {"timezone": "tokyo"},
              ("start_date", "平成32年1月1日", "令和8年1月15日"), ("slug", "test-meeting")),
    "session": ({"title_ja": "分科会", "title_en": "Breakout"}, {"kind": "seminar"},
                {"event_id": "cop29"},
                ("starts_at", "2024-11-12 25:00", "2024-11-12 10:00"), ("slug", "breakout")),
    "participant": ({"capacity_en": "Observer"}, {"role": "participant"},
                    {"session_id": "press", "person_id": "lewe"},
                    ("sort_order", "一番", "３"), ("capacity_en", "Observer")),
    "organisation_role": ({}, {"role": "support"}, {"event_id": "cop29", "organisation_id": "moe"},
                          ("sort_order", "x", "2"), ("sort_order", 2)),
    "commitment": ({"text_ja": "報告書を送付する", "text_en": "Send the report"}, {"status": "open"},
                   {"session_id": "press", "by_person_id": "shimizu", "to_city_id": "niteroi"},
                   ("due", "いつか", "令和7年3月"), ("text_en", "Send the report")),
}


async def settle(app, pilot, rounds: int = 2) -> None:
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause(0.01)


def count(engine, kind, column, value) -> int:
    from citynet.services.records import model_for

    model = model_for(kind)
    with engine.connect() as c:
        return c.execute(sa.select(sa.func.count()).select_from(model)
                         .where(getattr(model, column) == value)).scalar_one()


async def pick(app, pilot, form, name: str, query: str) -> None:
    form.query_one(f"#f-{name}").press()
    await settle(app, pilot, rounds=1)
    await pilot.press(*query)
    await settle(app, pilot, rounds=2)
    await pilot.press("enter")
    await settle(app, pilot, rounds=1)
    assert app.screen is form
    assert form.values.get(name) is not None, name


def test_every_form_kind_is_covered():
    from citynet.tui.screens.form import FIELDS

    assert set(SPECS) == set(FIELDS)


@pytest.mark.parametrize("kind", list(SPECS))
def test_create_through_form_with_one_error_first(engine, kind):  # noqa: F811
    inputs, selects, picks, (bad_field, bad, good), (column, value) = SPECS[kind]
    set_language("ja")
    before = count(engine, kind, column, value)

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_form(kind)
            await settle(app, pilot)
            form = app.screen
            for name, text in inputs.items():
                form.query_one(f"#f-{name}").value = text
            for name, choice in selects.items():
                form.query_one(f"#f-{name}").value = choice
            for name, query in picks.items():
                await pick(app, pilot, form, name, query)
            form.query_one(f"#f-{bad_field}").value = bad
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form, "an invalid form must stay open"
            error = form.query_one(f"#e-{bad_field}")
            message = str(error.render())
            assert error.display and JAPANESE.search(message), message
            assert form.query_one(f"#f-{bad_field}").value == bad  # input kept
            for name, text in inputs.items():
                assert form.query_one(f"#f-{name}").value == text
            form.query_one(f"#f-{bad_field}").value = good
            for name in picks:
                assert form.values.get(name) is not None
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is not form, str(form.query(".field-error").first().render())
    try:
        asyncio.run(go())
    finally:
        set_language("en")
    assert count(engine, kind, column, value) == before + 1


def test_new_city_appears_in_the_list(engine):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("2", "n")
            await settle(app, pilot)
            form = app.screen
            form.query_one("#f-name_en").value = "Aachen"
            form.query_one("#f-name_ja").value = "アーヘン"
            await pick(app, pilot, form, "country", "DE")
            await pick(app, pilot, form, "timezone", "berlin")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "ListScreen"
            table = app.screen.query_one("#rows")
            names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
            assert "Aachen" in names
    asyncio.run(go())


def test_a_relationship_without_slug_asks_for_one(engine):  # noqa: F811
    set_language("ja")

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_form("relationship")
            await settle(app, pilot)
            form = app.screen
            await pick(app, pilot, form, "city_id", "zagreb")
            form.query_one("#f-notes_ja").value = "調印予定"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form
            assert "スラッグを入力してください" in str(form.query_one("#e-slug").render())
            assert form.query_one("#f-notes_ja").value == "調印予定"
    try:
        asyncio.run(go())
    finally:
        set_language("en")
