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

import test_tui_app as tui_app  # noqa: E402
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
    await tui_app.settle(app, pilot, rounds)


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


# --- safe entry ---------------------------------------------------------------------------------


def session_record(engine):
    from citynet.services import pickers

    return pickers.record_values(engine, "session", slug="cop29-press-conference")


async def open_session(app, pilot, engine):
    record = session_record(engine)
    app.open_form("session", record_id=record.id)
    await settle(app, pilot)
    return app.screen, record


def screen_name(app) -> str:
    return type(app.screen).__name__


def test_leaving_a_form_asks_only_when_something_is_unsaved(engine):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            # nothing typed: Esc leaves at once
            form, record = await open_session(app, pilot, engine)
            await pilot.press("escape")
            await settle(app, pilot)
            assert screen_name(app) == "DashboardScreen"

            # typed: Esc asks; "keep editing" (Esc again) returns with the input
            form, record = await open_session(app, pilot, engine)
            form.query_one("#f-room_en").value = "Hall C"
            await pilot.press("escape")
            await settle(app, pilot)
            assert screen_name(app) == "LeaveModal"
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen is form and form.query_one("#f-room_en").value == "Hall C"

            # the Cancel button asks too; "discard" leaves and nothing is written
            form.query_one("#cancel").press()
            await settle(app, pilot)
            assert screen_name(app) == "LeaveModal"
            app.screen.query_one("#answer-discard").press()
            await settle(app, pilot)
            assert screen_name(app) == "DashboardScreen"
            assert session_record(engine).revision == record.revision

            # "save" saves, then leaves
            form, record = await open_session(app, pilot, engine)
            form.query_one("#f-room_en").value = "Hall D"
            await pilot.press("escape")
            await settle(app, pilot)
            app.screen.query_one("#answer-save").press()
            await settle(app, pilot)
            assert screen_name(app) == "DashboardScreen"
            assert session_record(engine).values["room_en"] == "Hall D"

            # a new record: a name typed is something to lose
            app.open_form("city")
            await settle(app, pilot)
            await pilot.press(*"アーヘン")
            await pilot.press("escape")
            await settle(app, pilot)
            assert screen_name(app) == "LeaveModal"
    asyncio.run(go())


@pytest.mark.parametrize("answer", ["keep", "discard", "save"])
def test_quitting_with_unsaved_changes_asks(engine, answer):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            form, _record = await open_session(app, pilot, engine)
            form.query_one("#f-room_en").value = "Hall Q"
            await pilot.press("ctrl+q")
            await settle(app, pilot)
            assert screen_name(app) == "LeaveModal"
            app.screen.query_one(f"#answer-{answer}").press()
            for _ in range(300):  # (the app may be gone: no Pilot calls)
                await asyncio.sleep(0.01)
                if app.return_code is not None:
                    break
            if answer == "keep":
                await settle(app, pilot)
                assert app.screen is form and form.query_one("#f-room_en").value == "Hall Q"
            return app.return_code
    code = asyncio.run(go())
    saved = session_record(engine).values["room_en"] == "Hall Q"
    assert saved == (answer == "save")
    assert (code == 0) == (answer != "keep")


def test_quitting_from_a_clean_form_does_not_ask(engine):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await open_session(app, pilot, engine)
            await pilot.press("ctrl+q")
            for _ in range(300):
                await asyncio.sleep(0.01)
                if app.return_code is not None:
                    break
            return app.return_code
    assert asyncio.run(go()) == 0


def test_a_refused_save_can_reload_their_version_and_then_save(engine):  # noqa: F811
    from citynet.services.records import update_record

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            form, record = await open_session(app, pilot, engine)
            update_record(engine, "session", record.id, record.revision,
                          {"room_en": "Hall B", "room_ja": "Bホール"}, origin="cli", user="sato")
            form.query_one("#f-room_en").value = "Hall C"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert screen_name(app) == "ConflictModal"
            assert "sato" in "\n".join(s.text for s in app.screen._compositor.render_strips())
            app.screen.query_one("#answer-reload").press()
            await settle(app, pilot)
            # every field shows what is stored now, and the form stands on their revision
            assert app.screen is form
            assert form.query_one("#f-room_en").value == "Hall B"
            assert form.query_one("#f-room_ja").value == "Bホール"
            assert form.revision == record.revision + 1
            form.query_one("#f-room_en").value = "Hall B (east)"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert screen_name(app) == "DashboardScreen"
    asyncio.run(go())
    after = session_record(engine)
    assert after.values["room_en"] == "Hall B (east)" and after.values["room_ja"] == "Bホール"


def test_compare_takes_theirs_or_keeps_yours_field_by_field_in_english(engine):  # noqa: F811
    from citynet.services.records import update_record

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            form, record = await open_session(app, pilot, engine)
            update_record(engine, "session", record.id, record.revision,
                          {"room_en": "Hall B", "status": "cancelled"}, origin="cli")
            form.query_one("#f-room_en").value = "Hall C"
            form.query_one("#f-theme_en").value = "Cities and finance"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            app.screen.query_one("#answer-compare").press()
            await settle(app, pilot)
            await pilot.pause(0.1)
            compare = app.screen
            assert screen_name(app) == "CompareScreen"
            rows = {row.field: row for row in compare.rows}
            assert set(rows) == {"status", "theme_en", "room_en"}
            assert (rows["status"].theirs, rows["status"].yours) == ("cancelled", "held")
            assert (rows["room_en"].theirs, rows["room_en"].yours) == ("Hall B", "Hall C")
            # what only they changed starts on theirs, what was typed on yours
            assert rows["status"].take_theirs and not rows["room_en"].take_theirs
            # all mine: the typed room and theme, and the status as it was
            compare.query_one("#all-yours").press()
            await settle(app, pilot)
            assert not any(row.take_theirs for row in compare.rows)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert screen_name(app) == "DashboardScreen"
    asyncio.run(go())
    after = session_record(engine)
    assert after.values["room_en"] == "Hall C" and after.values["theme_en"] == "Cities and finance"
    assert after.values["status"] == "held"


def test_the_slug_follows_the_name_until_the_user_edits_it(engine):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_form("city")
            await settle(app, pilot)
            form = app.screen
            slug = form.query_one("#f-slug")
            await pilot.press(*"アーヘン")  # the form starts at the name
            await settle(app, pilot)
            assert slug.value == "ahen"  # the romanised reading
            form.query_one("#f-name_en").focus()
            await pilot.press("end", *"Aachen")
            await settle(app, pilot)
            assert slug.value == "aachen"  # the English name wins
            slug.focus()
            await pilot.press("end", *"-de")
            await settle(app, pilot)
            form.query_one("#f-name_en").focus()
            await pilot.press("end", *" City")
            await settle(app, pilot)
            assert slug.value == "aachen-de"  # the user's slug stays
            slug.value = ""  # emptied: it follows the name again
            await settle(app, pilot)
            form.query_one("#f-name_en").focus()
            await pilot.press("end", "backspace")
            await settle(app, pilot)
            assert slug.value == "aachen-cit"
    asyncio.run(go())


def test_slugs_from_english_names_or_romanised_readings():
    from citynet.services.slugs import slug_for, suggest_slug

    assert slug_for({"title_en": "Visit to Mannheim", "title_ja": "マンハイム訪問"}) == "visit-to-mannheim"
    assert slug_for({"family_name_latin": "Tanaka", "given_name_latin": "Aiko"}) == "tanaka-aiko"
    assert slug_for({"name_ja": "さいたま市", "name_kana": "さいたま"}) == "saitama"
    assert slug_for({"title_ja": "歓迎レセプション"}) == "resepusyon"  # kanji have no reading here
    assert slug_for({"title_ja": "第29回締約国会議"}) is None  # digits alone are no slug
    assert suggest_slug(None, "Baku City") == "baku-city"
    assert suggest_slug("にてろい") == "niteroi"


def test_required_fields_are_marked(engine):  # noqa: F811
    set_language("ja")

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=(100, 60)) as pilot:
            await settle(app, pilot)
            app.open_form("event")
            await settle(app, pilot)
            labels = [str(label.render()) for label in app.screen.query(".field-label")]
            assert "種類 *" in labels and "タイムゾーン *" in labels and "スラッグ *" in labels
            assert "名称（日本語） +" in labels and "名称（英語） +" in labels  # one of them
            assert "状況" in labels and "都市" in labels  # a default, or optional: unmarked
            legend = str(app.screen.query_one("#form-legend").render())
            assert "必須" in legend
    try:
        asyncio.run(go())
    finally:
        set_language("en")


def test_an_unexpected_error_ends_saving_and_keeps_the_input(engine, monkeypatch):  # noqa: F811
    from citynet.tui.screens import form as form_module

    real = form_module.save_record
    calls = []

    def broken(*args):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("disk I/O error")
        return real(*args)

    monkeypatch.setattr(form_module, "save_record", broken)

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            form, _record = await open_session(app, pilot, engine)
            form.query_one("#f-room_en").value = "Hall E"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form and not form.saving
            assert any("disk I/O error" in n.message for n in app._notifications)
            assert form.query_one("#f-room_en").value == "Hall E"
            await pilot.press("ctrl+s")  # works again
            await settle(app, pilot)
            assert screen_name(app) == "DashboardScreen"
    asyncio.run(go())
    assert len(calls) == 2 and session_record(engine).values["room_en"] == "Hall E"


# --- exports from the UI ------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_exports_from_the_ui_any_document_language_and_calendar(engine, tmp_path, monkeypatch,  # noqa: F811
                                                                 umask):
    import stat

    monkeypatch.chdir(tmp_path)
    # (record, button, language) → the file the export writes
    wanted = [("event", "cop29", "pdf-programme", "ja", "cop29-programme-ja.pdf"),
              ("event", "cop29", "pdf-report", "en", "cop29-report-en.pdf"),
              ("city", "mannheim", "pdf-city", "both", "mannheim-city-both.pdf"),
              ("network", "urban7", "ics-internal", "en", "network-urban7-internal-en.ics"),
              ("city", "mannheim", "ics-public", "ja", "city-mannheim-public-ja.ics")]

    async def go():
        shown = []
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            for kind, slug, button, lang, _name in wanted:
                app.open_record(kind, slug)
                await settle(app, pilot)
                await pilot.press("x")
                await settle(app, pilot)
                modal = app.screen
                assert screen_name(app) == "ExportModal"
                modal.query_one(f"#lang-{lang}").value = True
                await pilot.pause()
                modal.query_one(f"#{button}").press()
                for _ in range(100):
                    await settle(app, pilot, rounds=1)
                    if "Written" in str(modal.query_one("#result").render()):
                        break
                shown.append(str(modal.query_one("#result").render()))
                await pilot.press("escape")
                await pilot.press("escape")
                await settle(app, pilot)
        return shown

    old = os.umask(umask)
    try:
        shown = asyncio.run(go())
    finally:
        os.umask(old)
    for (_kind, _slug, _button, _lang, name), text in zip(wanted, shown):
        path = (tmp_path / "exports" / name).resolve()
        assert text == f"Written: {path}", text  # the absolute path
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~umask, name  # documents: the umask


def test_the_export_offers_each_kind_its_documents(engine):  # noqa: F811
    async def go():
        offered = {}
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            for kind, slug in (("event", "cop29"), ("city", "mannheim"), ("network", "urban7")):
                app.open_record(kind, slug)
                await settle(app, pilot)
                await pilot.press("x")
                await settle(app, pilot)
                offered[kind] = [b.id for b in app.screen.query("Button")]
                await pilot.press("escape", "escape")
                await settle(app, pilot)
        return offered

    offered = asyncio.run(go())
    assert offered["event"] == ["pdf-briefing", "pdf-programme", "pdf-report", "ics-public",
                                "ics-internal", "close"]
    assert offered["city"] == ["pdf-city", "ics-public", "ics-internal", "close"]
    assert offered["network"] == ["ics-public", "ics-internal", "close"]


def test_switching_the_language_keeps_what_was_typed(engine):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            form, record = await open_session(app, pilot, engine)
            form.query_one("#f-room_en").value = "Hall L"
            form.query_one("#f-status").value = "cancelled"
            await pilot.press("ctrl+l")  # to Japanese
            await settle(app, pilot)
            await pilot.pause(0.1)
            assert app.screen is form
            labels = [str(label.render()) for label in form.query(".field-label")]
            assert "会議室（英語）" in labels
            assert form.query_one("#f-room_en").value == "Hall L"
            assert form.query_one("#f-status").value == "cancelled"
            assert form.query_one("#f-title_en").value == record.values["title_en"]
            assert not any(w.display for w in form.query(".field-error"))
            assert form.dirty()
    try:
        asyncio.run(go())
    finally:
        set_language("en")
