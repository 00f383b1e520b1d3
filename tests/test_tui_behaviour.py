"""The terminal UI's change history, key map, 五十音 person list and keys typed faster than the
UI loads (a save never loses what was typed)."""

from __future__ import annotations

import asyncio
import os

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

import test_tui_app as tui_app  # noqa: E402
from test_tui_app import engine, make_app, screen_text  # noqa: E402,F401

from citynet.i18n import set_language  # noqa: E402

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def settings(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("CITYNET_CONFIG", str(path))
    monkeypatch.setenv("CITYNET_USER", "Sato")
    set_language("en")
    yield path
    set_language("en")


async def settle(app, pilot, rounds: int = 3) -> None:
    await tui_app.settle(app, pilot, rounds, pause=0.02)


async def press(app, pilot, *keys: str) -> None:
    """Press these keys and wait for what they start (workers, screens) to settle."""
    await pilot.press(*keys)
    await settle(app, pilot)


# --- keys typed before the form is there ----------------------------------------------------------

# On the session's page: edit, tab to "Ends", replace the time, save.
EDIT_END_TIME = ["e"] + ["tab"] * 7 + ["end"] + ["backspace"] * 5 + list("14:45") + ["ctrl+s"]


@pytest.mark.parametrize("burst", [False, True], ids=["paced", "burst"])
def test_keys_typed_before_the_form_loads_are_kept(engine, burst):  # noqa: F811
    """``tmux send-keys`` delivers every key at once: before the fix, the keys after "e" went to
    the page (the form was not there yet) and the end time was silently not saved."""
    from textual import events

    from citynet.services import pickers

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_record("session", "cop29-press-conference")
            await settle(app, pilot)
            if burst:  # all queued before the app handles the first
                for key in EDIT_END_TIME:
                    app.post_message(events.Key(key, key if len(key) == 1 else None))
            else:
                await pilot.press(*EDIT_END_TIME)
            await settle(app, pilot, rounds=6)
            assert type(app.screen).__name__ == "DetailScreen"
    asyncio.run(go())
    after = pickers.record_values(engine, "session", slug="cop29-press-conference")
    assert after.revision == 2
    assert after.values["ends_at"].isoformat() == "2024-11-11T10:45:00+00:00"  # 14:45 in Baku


def test_typing_into_a_form_before_its_record_arrives_is_not_overwritten(engine):  # noqa: F811
    from textual import events

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_record("city", "zagreb")
            await settle(app, pilot)
            for key in ["e", "tab", "tab", "tab", *"Zagreb City"]:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await settle(app, pilot)
            form = app.screen
            assert type(form).__name__ == "FormScreen"
            assert form.query_one("#f-name_en").value == "Zagreb City"  # typed over (selected)
            assert form.query_one("#f-name_ja").value  # the rest came from the record
    asyncio.run(go())


def test_section_keys_never_leave_a_form(engine):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_form("participant")
            await settle(app, pilot)
            form = app.screen
            form.query_one("#f-session_id").focus()  # a picker button, not a text field
            await pilot.press("2", "slash")
            await settle(app, pilot)
            assert app.screen is form
            form.query_one("#f-sort_order").focus()
            await pilot.press("2", "slash")
            assert form.query_one("#f-sort_order").value == "2/"
    asyncio.run(go())


# --- history ------------------------------------------------------------------------------------


def test_history_of_a_record_lists_who_when_and_old_to_new(engine):  # noqa: F811
    from citynet.services import pickers
    from citynet.services.records import update_record

    record = pickers.record_values(engine, "session", slug="cop29-press-conference")
    update_record(engine, "session", record.id, record.revision, {"room_en": "Hall B"}, origin="form")
    set_language("ja")

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=(200, 30)) as pilot:  # every column of the history at once
            await settle(app, pilot)
            app.open_record("event", "cop29")
            await settle(app, pilot)
            await pilot.press("h")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "HistoryScreen"
            text = screen_text(app)
            assert "履歴" in text and "Sato" in text and "会議室（英語）" in text  # the field's label
            assert "∅ → Hall B" in text  # old → new
            assert "更新（フォーム）" in text  # what happened, and where from
            assert "セッション cop29-press-conference" in text  # a session of the event
            await pilot.press("escape")
            await settle(app, pilot)
            app.open_record("city", "zagreb")  # nothing changed there since the demo loaded it
            await settle(app, pilot)
            await pilot.press("h")
            await settle(app, pilot)
            assert "作成（デモデータ）" in screen_text(app) and "更新" not in screen_text(app)
    asyncio.run(go())


def test_a_save_through_the_form_appears_in_the_history(engine):  # noqa: F811
    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            app.open_record("city", "zagreb")
            await settle(app, pilot)
            await pilot.press("e")
            await settle(app, pilot)
            app.screen.query_one("#f-notes_en").value = "Twinning talks"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            await pilot.press("h")
            await settle(app, pilot)
            text = screen_text(app)
            assert "Sato" in text and "updated (form)" in text and "Notes (English)" in text
            assert "Twinning talks" in text
    asyncio.run(go())


# --- key map ------------------------------------------------------------------------------------


def test_keys_from_the_settings_file(engine, settings):  # noqa: F811
    settings.write_text('[keys]\nsearch = "ctrl+f"\ngo-cities = "c"\nedit = "E"\nno-such = "x"\n',
                        encoding="utf-8")

    async def go():
        app = make_app(engine, keymap=None)  # reads [keys] from the settings file
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert any("no-such" in n.message for n in app._notifications)
            app.clear_notifications()  # the toast would cover the footer read below
            await pilot.press("slash")  # the default key is replaced
            await settle(app, pilot)
            assert type(app.screen).__name__ == "DashboardScreen"
            await pilot.press("c")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "ListScreen"
            await pilot.press("ctrl+f")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "SearchScreen"
            await pilot.press("escape")
            app.open_record("city", "baku")
            await settle(app, pilot)
            assert "E Edit" in screen_text(app)
            await pilot.press("E")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "FormScreen"
    asyncio.run(go())


def test_every_binding_has_an_id():
    from textual.binding import Binding

    from citynet.tui.keys import _screen_classes, binding_ids

    ids = binding_ids()
    assert {"quit", "search", "go-cities", "edit", "history", "save", "new"} <= set(ids)
    for cls in _screen_classes():
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.show:
                assert binding.id, (cls.__name__, binding.key)


def test_bad_keys_table_is_reported_not_fatal():
    from citynet.tui.keys import clean_keymap

    keymap, problems = clean_keymap({"search": "ctrl+f", "quit": "", "nope": "x", "edit": 3})
    assert keymap == {"search": "ctrl+f"}
    assert sorted(problems) == ["edit = 3", "nope", "quit = ''"]
    assert clean_keymap("ctrl+f") == ({}, ["[keys]"])


# --- 五十音順 -------------------------------------------------------------------------------------


def test_people_listed_in_kana_order(engine):  # noqa: F811
    from citynet.services import lists
    from citynet.services.records import create_record

    people = [("Kato", "Bb", "かとう"), ("Goto", "Aa", "ごとう"), ("Abe", "Cc", "アベ"),
              ("Kai", "Dd", "カイ"), ("Zed", "Ee", None), ("Adams", "Ff", None),
              ("Ōta", "Gg", "おおた"), ("Kōno", "Hh", "こうの")]
    for family, given, kana in people:
        values = {"family_name_latin": family, "given_name_latin": given,
                  "slug": f"kana-{given.lower()}"}
        if kana:
            values["name_kana"] = kana
        create_record(engine, "person", values, origin="form")
    from citynet.i18n import set_language

    def listed() -> list[str]:
        page = lists.list_page(engine, "person", limit=100)
        order = [(r.person.family_name_latin) for r in page.rows]
        small = lists.list_page(engine, "person", limit=3)
        rest = lists.list_page(engine, "person", after=small.cursor, limit=100)
        assert [r.slug for r in small.rows + rest.rows] == [r.slug for r in page.rows]  # paging
        return [name for name in order if name in {p[0] for p in people}]

    # In English: alphabetical by the Latin family name, accents second.
    set_language("en")
    assert listed() == ["Abe", "Adams", "Goto", "Kai", "Kato", "Kōno", "Ōta", "Zed"]
    # In Japanese: あべ おおた かい かとう こうの ごとう (voicing second), then no reading: Adams, Zed
    set_language("ja")
    assert listed() == ["Abe", "Ōta", "Kai", "Kato", "Kōno", "Goto", "Adams", "Zed"]

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("5")
            await settle(app, pilot)
            table = app.screen.query_one("#rows")
            shown = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
            assert shown.index("ABE Cc") < shown.index("GOTO Aa") < shown.index("ADAMS Ff")
            assert "五十音順" in str(app.screen.query_one("#list-status").render())
    asyncio.run(go())


def test_help_lists_the_screen_s_keys_as_remapped(engine):  # noqa: F811
    """? and F1 open the keys of the screen in front, with the user's own keys, in the UI
    language; Esc closes it."""
    from citynet.tui.screens.modals import HelpModal

    async def go(lang: str, open_key: str):
        set_language(lang)
        app = make_app(engine, keymap={"filter": "g"})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await press(app, pilot, "2")
            await press(app, pilot, open_key)
            assert isinstance(app.screen, HelpModal)
            table = app.screen.query_one("#help-keys")
            rows = {str(table.get_row_at(n)[1]): str(table.get_row_at(n)[0])
                    for n in range(table.row_count)}
            await press(app, pilot, "escape")
            assert not isinstance(app.screen, HelpModal)
            return rows

    english = asyncio.run(go("en", "f1"))
    assert english["Filter"] == "g" and english["New"] == "n" and english["Search"] == "/"
    japanese = asyncio.run(go("ja", "question_mark"))
    assert japanese["絞り込み"] == "g" and "Filter" not in japanese


def test_a_list_says_which_row_of_how_many(engine):  # noqa: F811
    async def go():
        set_language("en")
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await press(app, pilot, "2")
            table = app.screen.query_one("#rows")
            await press(app, pilot, "down", "down")
            status = str(app.screen.query_one("#list-status").render())
            assert status == f"row 3 of {table.row_count}, in alphabetical order", status
    asyncio.run(go())


def test_language_and_time_display_are_remembered_in_the_settings_file(engine, settings):  # noqa: F811
    """L and T are kept for the next start: their lines in the settings file change, the rest of
    the file (comments, other settings, [keys]) stays as written."""
    from citynet.config import load_config

    settings.write_text('# mine\nuser = "Sato"  # who I am\n\n[keys]\nsearch = "ctrl+f"\n',
                        encoding="utf-8")

    async def go():
        app = make_app(engine, keymap=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert app.time_mode == "home"
            await press(app, pilot, "L", "T")
        return app

    asyncio.run(go())
    assert load_config() == {"user": "Sato", "lang": "ja", "time": "local",
                             "keys": {"search": "ctrl+f"}}
    text = settings.read_text(encoding="utf-8")
    assert text.startswith('# mine\nuser = "Sato"  # who I am\n') and text.endswith(
        '\n[keys]\nsearch = "ctrl+f"\n')
    again = asyncio.run(go_again(engine))
    assert again == "local"  # the next start shows local time


async def go_again(engine) -> str:  # noqa: F811
    app = make_app(engine, keymap=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        return app.time_mode


def test_an_unwritable_settings_file_is_said_and_the_switch_still_holds(engine, tmp_path,  # noqa: F811
                                                                        monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CITYNET_CONFIG", str(blocker / "config.toml"))  # its folder is a file

    async def go():
        app = make_app(engine, keymap={})
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await press(app, pilot, "T")
            return app.time_mode, [n.message for n in app._notifications]

    mode, messages = asyncio.run(go())
    assert mode == "local"
    assert any(str(blocker) in m and "\n" not in m for m in messages), messages


def test_columns_share_the_window_width():
    """Columns as wide as their contents when they fit; else the widest are cut to one common
    width that fills the window (a long title grows with it), none below 16 cells (a date, a
    time range): when even that does not fit, the table scrolls sideways."""
    from citynet.tui.widgets import column_widths

    assert column_widths([10, 20, 8], 80, 2) == [10, 20, 8]  # 38 + 6 fit in 80
    widths = column_widths([20, 90, 18, 8], 80, 2)  # 136 + 8 do not
    assert widths[0] == 20 and widths[2] == 18 and widths[3] == 8  # the short ones whole
    assert sum(widths) + 8 == 80 and widths[1] == 80 - 8 - 46  # the title takes the rest
    assert column_widths([20, 90, 18, 8], 250, 2) == [20, 90, 18, 8]  # nothing cut at 250
    assert column_widths([20, 15, 15, 40, 30], 78, 2) == [16, 15, 15, 16, 16]  # sideways


def test_the_events_list_says_date_not_recorded_for_a_held_event_without_dates(engine):  # noqa: F811
    """An event that took place but whose dates were never recorded will not be "confirmed":
    the list says so, as the city page does."""
    from citynet.services import lists
    from citynet.services.records import create_record
    from citynet.tui.screens.lists import cells

    create_record(engine, "event", {"slug": "old-visit", "kind": "inbound_visit", "status": "held",
                                    "title_en": "Old visit", "timezone": "Asia/Tokyo"}, origin="form")
    create_record(engine, "event", {"slug": "next-visit", "kind": "inbound_visit",
                                    "status": "planned", "title_en": "Next visit",
                                    "timezone": "Asia/Tokyo"}, origin="form")
    set_language("en")
    rows = {r.slug: cells("event", r, "home", "Asia/Tokyo")[0]
            for r in lists.list_page(engine, "event").rows}
    assert (rows["old-visit"], rows["next-visit"]) == ("date not recorded", "date to be confirmed")
    assert "date to be confirmed" not in {rows[slug] for slug in rows if slug != "next-visit"}


def test_the_readme_key_table_is_the_bindings():
    """README's table of binding ids and default keys is exactly what the app binds: every id,
    no other, each with its keys (so a remapped or renamed key cannot go undocumented)."""
    import re
    from pathlib import Path

    from citynet.tui.keys import binding_ids

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Key bindings", 1)[1]
    rows = re.findall(r"^\| `([\w-]+)` \| ((?:`[^`]+`(?:, )?)+) \|", section, flags=re.M)
    documented = {binding_id: ",".join(re.findall(r"`([^`]+)`", keys)) for binding_id, keys in rows}
    assert documented == binding_ids()
