"""Pilot tests of the terminal UI on a temporary SQLite database holding the demo data.

pytest-asyncio is not a project dependency, so each test drives its own event loop with
``asyncio.run``. "Snapshots" are the rendered screen text at 80x24 (from the compositor's strips),
asserted in Japanese and in English; SVG snapshots of the main screens are in
test_tui_snapshots.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

from citynet.i18n import set_language  # noqa: E402
from citynet.store.db import open_database  # noqa: E402

SIZE = (80, 24)


@pytest.fixture
def engine(demo_sqlite_template, tmp_path):
    path = tmp_path / "t.db"
    shutil.copy(demo_sqlite_template, path)
    engine = open_database(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def language():
    set_language("en")
    yield
    set_language("en")


def make_app(engine, **kwargs):
    from citynet.tui.application import CitynetApp

    kwargs.setdefault("keymap", {})  # not the developer's own [keys] settings
    return CitynetApp(engine=engine, **kwargs)


def screen_text(app) -> str:
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


SETTLE_LIMIT = 60.0  # seconds: an app still busy by then is stuck, not slow


def busy(app) -> bool:
    """Is the app still on its way somewhere: a worker not finished, keys held for a screen still
    loading (or being replayed to it), or the screen in front still reading what it shows?"""
    return (any(not worker.is_finished for worker in app.workers) or bool(app._held_keys)
            or app._replaying or not getattr(app.screen, "keys_ready", True))


async def settle(app, pilot, rounds: int = 3, pause: float = 0.01) -> None:
    """Wait until the app has been quiet (:func:`busy` false) for ``rounds`` pauses in a row.

    A fixed number of pauses is not enough: on a loaded machine a worker reading a record, or
    the replay of keys typed before a form was ready, can take longer than they last, and the
    test then reads a screen that is still on its way (a test failing one run in a few)."""
    deadline = time.monotonic() + SETTLE_LIMIT
    quiet = 0
    while quiet < rounds:
        await app.workers.wait_for_complete()
        await pilot.pause(pause)
        quiet = 0 if busy(app) else quiet + 1
        assert time.monotonic() < deadline, f"the app did not settle within {SETTLE_LIMIT:.0f} s"


def run(coro):
    return asyncio.run(coro)


# --- browsing -----------------------------------------------------------------------------------


def test_dashboard_and_lists_in_japanese_and_english(engine):
    set_language("ja")

    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            text = screen_text(app)
            assert "さいたま市" in text and "esc" in text  # home city, footer
            assert "Traceback" not in text
            await pilot.press("2")
            await settle(app, pilot)
            text = screen_text(app)
            assert type(app.screen).__name__ == "ListScreen"
            assert "バクー" in text and "アゼルバイジャン" in text
            await pilot.press("L")  # switch to English at run time
            await settle(app, pilot)
            text = screen_text(app)
            assert "Baku" in text and "Azerbaijan" in text and "Back" in text
            assert "戻る" not in text  # the footer follows the language
            await pilot.press("escape", "6")
            await settle(app, pilot)
            assert "29th Conference of the Parties" in screen_text(app)
            await pilot.press("L")
            await settle(app, pilot)
            assert "国連気候変動枠組条約" in screen_text(app)  # at 80 columns the title shares the width
    run(go())


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_event_timetable_local_and_home_time(engine, lang):
    set_language(lang)

    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_record("event", "cop29")
            for _ in range(40):
                await settle(app, pilot, rounds=1)
                text = screen_text(app)
                if "18:00-18:30" in text:
                    break
            # Press conference: 13:00 in Baku (UTC+4) is 18:00 in Japan.
            assert "18:00-18:30" in text and "13:00-13:30" in text
            assert ("タイムテーブル" in text or "時刻" in text) if lang == "ja" else "Timetable" in text
            first = text.index("18:00-18:30")
            assert first < text.index("13:00-13:30")  # home time first by default
            await pilot.press("T")  # local time first
            for _ in range(40):  # the detail is re-read in a worker, then rebuilt
                await settle(app, pilot, rounds=1)
                text = screen_text(app)
                if "13:00-13:30" in text and text.index("13:00-13:30") < text.index("18:00-18:30"):
                    break
            assert app.time_mode == "local"
            assert text.index("13:00-13:30") < text.index("18:00-18:30")
    run(go())


def test_city_to_event_to_session(engine):
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_record("city", "baku")
            await settle(app, pilot)
            assert "Baku" in screen_text(app)
            # the first table of Baku lists its events; Enter opens COP29
            while "Event:" not in screen_text(app):
                focused = app.focused
                assert focused is not None
                if "COP29" in str(focused.get_row_at(focused.cursor_row)):
                    await pilot.press("enter")
                else:
                    await pilot.press("tab")
                await settle(app, pilot)
            assert "COP29" in screen_text(app)
            await pilot.press("enter")  # first timetable row: the press conference
            await settle(app, pilot)
            text = screen_text(app)
            assert "Session: Press conference" in text
            assert "18:00–18:30 JST / 13:00–13:30 (Baku, UTC+4)" in text
    run(go())


def test_person_and_network_and_organisation_screens(engine):
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_record("person", "shimizu-hayato")
            await settle(app, pilot)
            text = screen_text(app)
            assert "SHIMIZU Hayato" in text and "Mayor of Saitama City" in text
            assert "Sessions taken part in" in text
            await pilot.press("escape")
            for kind in ("network", "organisation", "city", "event", "session", "person"):
                await pilot.press("escape")
                await settle(app, pilot)
                await app.run_action(f"go('{kind}')")
                await settle(app, pilot)
                assert type(app.screen).__name__ == "ListScreen"
                table = app.screen.query_one("#rows")
                assert table.row_count > 0, kind
                await pilot.press("enter")
                await settle(app, pilot)
                assert type(app.screen).__name__ == "DetailScreen", kind
                assert "Traceback" not in screen_text(app)
    run(go())


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["しみず", "シミズ", "ＳＨＩＭＩＺＵ", "hayato shimizu", "清水"])
def test_search_by_kana_romaji_and_full_width(engine, query):
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("slash")
            await settle(app, pilot)
            await pilot.press(*query)
            await pilot.pause(0.3)
            await settle(app, pilot)
            assert "SHIMIZU Hayato" in screen_text(app)
            await pilot.press("enter", "enter")  # to the results, open the first
            await settle(app, pilot)
            assert "Person: SHIMIZU Hayato" in screen_text(app)
    run(go())


def test_list_filter_while_typing(engine):
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("2", "f", *"ばくー")
            await pilot.pause(0.3)
            await settle(app, pilot)
            table = app.screen.query_one("#rows")
            assert table.row_count == 1
            assert "Baku" in screen_text(app)
    run(go())


@pytest.mark.parametrize("wait", [False, True], ids=["enter-at-once", "enter-after-the-rows"])
def test_enter_in_the_filter_opens_the_only_row(engine, wait):
    """Enter right after typing (before the filter's delay has run) opens the row of what was
    typed, never the row that was highlighted before."""
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("2", "f", *"ばくー")
            if wait:
                await pilot.pause(0.3)
                await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "DetailScreen"
            assert "City: Baku" in screen_text(app)
    run(go())


def test_command_palette_finds_records(engine):
    async def go():
        from citynet.tui.commands import CitynetCommands

        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            provider = CitynetCommands(app.screen)
            hits = [hit async for hit in provider.search("しみず")]
            assert any("SHIMIZU Hayato" in str(h.text or h.match_display) for h in hits)
            hits = [hit async for hit in provider.search("language")]
            assert hits
    run(go())


def test_the_command_palette_speaks_japanese(engine):
    """Textual's own words in the palette (its placeholder, "No matches found") follow the UI
    language too."""
    async def go():
        from textual.command import CommandPalette

        set_language("ja")
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+p")
            await settle(app, pilot)
            assert isinstance(app.screen, CommandPalette)
            assert "コマンドを検索" in screen_text(app)
            await pilot.press(*"zzqqxx")
            await pilot.pause(0.8)  # the palette says "no matches" after half a second
            await settle(app, pilot)
            text = screen_text(app)
            assert "一致するものがありません" in text and "No matches" not in text
    run(go())


# --- forms --------------------------------------------------------------------------------------


async def open_session_form(app, pilot, engine):
    from citynet.services import pickers

    record = pickers.record_values(engine, "session", slug="cop29-press-conference")
    app.open_form("session", record_id=record.id)
    await settle(app, pilot)
    return record


def test_edit_session_time_with_era_date_and_full_width_digits(engine):
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            record = await open_session_form(app, pilot, engine)
            screen = app.screen
            starts = screen.query_one("#f-starts_at")
            assert starts.value == "2024-11-11 13:00"  # shown in the venue's time
            starts.value = "令和6年11月11日 １４：００"
            screen.query_one("#f-ends_at").value = "２０２４/１１/１１ 14:45"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "DashboardScreen"
            from citynet.services import pickers
            after = pickers.record_values(engine, "session", record_id=record.id)
            assert after.revision == record.revision + 1
            assert after.values["starts_at"].isoformat() == "2024-11-11T10:00:00+00:00"
            assert after.values["ends_at"].isoformat() == "2024-11-11T10:45:00+00:00"
    run(go())


def test_validation_errors_are_shown_and_input_kept(engine):
    set_language("ja")

    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            record = await open_session_form(app, pilot, engine)
            screen = app.screen
            screen.query_one("#f-starts_at").value = "平成32年1月1日 10:00"  # no such era year
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is screen
            error = str(screen.query_one("#e-starts_at").render())
            assert "平成32年" in error
            # a rule of the record (end before start) comes back from the service
            screen.query_one("#f-starts_at").value = "2024-11-11 15:00"
            screen.query_one("#f-ends_at").value = "2024-11-11 14:00"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is screen
            assert screen.query_one("#e-ends_at").display
            assert screen.query_one("#f-starts_at").value == "2024-11-11 15:00"
            from citynet.services import pickers
            assert pickers.record_values(engine, "session", record_id=record.id).revision == record.revision
    run(go())


def test_concurrent_save_is_refused_and_input_kept(engine):
    async def go():
        from citynet.services import pickers
        from citynet.services.records import update_record

        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            record = await open_session_form(app, pilot, engine)
            form = app.screen
            # another user saves the same session first
            update_record(engine, "session", record.id, record.revision, {"room_en": "Hall B"}, origin="form")
            form.query_one("#f-room_en").value = "Hall C"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            # the refusal offers compare / reload / keep editing; Esc keeps editing
            assert type(app.screen).__name__ == "ConflictModal"
            assert "Not saved" in screen_text(app)
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen is form
            assert form.query_one("#f-room_en").value == "Hall C"  # the input is kept
            stored = pickers.record_values(engine, "session", record_id=record.id)
            assert stored.values["room_en"] == "Hall B"  # theirs is not overwritten
    run(go())


def test_a_save_that_meets_a_locked_database_is_refused_and_can_be_retried(engine):
    """Another program holds SQLite's write lock (a long import, say): the save waits the busy
    timeout, then says so; the form keeps what was typed and saves once the lock is gone."""
    import sqlite3

    async def go():
        from citynet.services import pickers

        app = make_app(engine)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            record = await open_session_form(app, pilot, engine)
            form = app.screen
            form.query_one("#f-room_en").value = "Hall C"
            holder = sqlite3.connect(engine.url.database, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                await pilot.press("ctrl+s")
                await settle(app, pilot)  # waits for the save's worker: the busy timeout, 5 s
                shown = screen_text(app) + " ".join(n.message for n in app._notifications)
                assert "busy" in shown, shown
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            if app.screen is not form:  # a message in a modal: close it
                await pilot.press("escape")
                await settle(app, pilot)
            assert app.screen is form and form.query_one("#f-room_en").value == "Hall C"
            assert pickers.record_values(engine, "session", record_id=record.id).values["room_en"] != "Hall C"
            await pilot.press("ctrl+s")  # the lock is gone: the same input saves
            await settle(app, pilot, rounds=6)
            assert pickers.record_values(engine, "session", record_id=record.id).values["room_en"] == "Hall C"
    run(go())


def test_create_city_with_pickers_then_delete(engine):
    async def go():
        from citynet.services import lists

        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_form("city")
            await settle(app, pilot)
            form = app.screen
            form.query_one("#f-name_en").value = "[/foo] Testville"
            form.query_one("#f-name_ja").value = "<b>x テスト市"
            # searchable time-zone picker
            form.query_one("#f-timezone").press()
            await settle(app, pilot)
            await pilot.press(*"kuching")
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            # country picker with Babel's names
            form.query_one("#f-country").press()
            await settle(app, pilot)
            await pilot.press(*"malaysia")
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.screen is form
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            page = lists.list_page(engine, "city", "testville")
            assert len(page.rows) == 1
            row = page.rows[0]
            assert (row.timezone, row.country, row.slug) == ("Asia/Kuching", "MY", "foo-testville")
            app.open_record("city", row.slug)
            await settle(app, pilot)
            text = screen_text(app)
            assert "[/foo] Testville" in text  # shown as typed, not parsed as markup
            await pilot.press("d")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "ConfirmModal"
            await pilot.press("enter")
            await settle(app, pilot)
            assert lists.list_page(engine, "city", "testville").rows == ()
    run(go())


def test_delete_with_dependents_says_what_depends(engine):
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_record("event", "cop29")
            await settle(app, pilot)
            await pilot.press("d")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "MessageModal"
            text = app.screen.text
            assert "cannot be deleted" in text and "Session: 4" in text
    run(go())


def test_add_participant_to_session(engine):
    async def go():
        from citynet.services.events import event_detail

        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_record("session", "cop29-press-conference")
            await settle(app, pilot)
            await pilot.press("a")  # a session offers a participant (first) or a commitment
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            form = app.screen
            assert "Press conference" in str(form.query_one("#f-session_id").label)
            form.query_one("#f-person_id").press()
            await settle(app, pilot)
            await pilot.press(*"しみず")
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            form.query_one("#f-role").value = "moderator"
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            detail = event_detail(engine, "cop29")
            session = next(s for s in detail.sessions if s.slug == "cop29-press-conference")
            assert "moderator" in [p.role for p in session.participants]
    run(go())


# --- start-up, export, safety -------------------------------------------------------------------


def test_first_run_offers_demo_data(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'empty.db'}")

    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert type(app.screen).__name__ == "ConfirmModal"
            assert "demo" in screen_text(app)
            await pilot.press("enter")
            await settle(app, pilot, rounds=6)
            assert "Saitama" in screen_text(app)
    run(go())
    engine.dispose()


def test_app_opens_database_by_url_in_a_worker(demo_sqlite_template, tmp_path):
    path = tmp_path / "u.db"
    shutil.copy(demo_sqlite_template, path)

    async def go():
        from citynet.tui.application import CitynetApp

        app = CitynetApp(database_url=f"sqlite:///{path}")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot, rounds=5)
            assert "Saitama" in screen_text(app)
        app.engine.dispose()
    run(go())


def test_export_event_calendar_from_the_ui(engine, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            app.open_record("event", "cop29")
            await settle(app, pilot)
            await pilot.press("x")
            await settle(app, pilot)
            app.screen.query_one("#ics-public").press()
            await settle(app, pilot)
            result = str(app.screen.query_one("#result").render())
            assert "Written:" in result, result
    run(go())
    written = list((tmp_path / "exports").glob("*.ics"))
    assert written and b"BEGIN:VCALENDAR" in written[0].read_bytes()


def test_user_text_is_never_markup(engine):
    from citynet.services.records import create_record

    create_record(engine, "event", {"slug": "markup-test", "kind": "meeting",
                                    "title_ja": "[/foo] 会議", "title_en": "<b>x [bold]y",
                                    "timezone": "Asia/Tokyo", "start_date": "2030-01-01"}, origin="form")

    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert "<b>x [bold]y" in screen_text(app)  # upcoming on the dashboard
            app.open_record("event", "markup-test")
            await settle(app, pilot)
            assert "<b>x [bold]y" in screen_text(app)
            await pilot.press("L")
            await settle(app, pilot)
            assert "[/foo] 会議" in screen_text(app)
    run(go())


# --- Japanese input -----------------------------------------------------------------------------

LONG_COMMIT = "国際交流課の日本語入力テストです、長い確定文字列「［／ｆｏｏ］会議」"


def test_kitty_protocol_is_off_by_default():
    from citynet.tui.app import configure_keyboard

    env: dict[str, str] = {}
    assert configure_keyboard(env) is True and env["TEXTUAL_DISABLE_KITTY_KEY"] == "1"
    import textual.constants

    assert textual.constants.DISABLE_KITTY_KEY is True
    assert configure_keyboard({"TEXTUAL_DISABLE_KITTY_KEY": "0"}) is False  # opt-in kept
    configure_keyboard(dict(env))


# A Textual app in a real (pseudo-)terminal, started the way ``run_app`` starts citynet: its
# driver reads the bytes a terminal sends and Textual's own parser turns them into keys.
TERMINAL_APP = """
import sys
from pathlib import Path

from citynet.tui.app import configure_keyboard

configure_keyboard()
from textual.app import App
from textual.widgets import Input


class Typed(App):
    def compose(self):
        yield Input()

    def on_ready(self):
        Path(sys.argv[1], "ready").touch()

    def on_input_submitted(self, event):
        Path(sys.argv[1], "typing").write_text(event.value, encoding="utf-8")
        Path(sys.argv[1], "typing").rename(Path(sys.argv[1], "typed"))
        self.exit()


Typed().run()
"""


def typed_in_a_terminal(tmp_path: Path, data: str, kitty: bool) -> str:
    """What an input field holds after a terminal sends ``data`` then Enter."""
    import pty
    import select
    import time

    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DISABLE_KITTY_KEY"}
    if kitty:
        env["TEXTUAL_DISABLE_KITTY_KEY"] = "0"  # the user's opt-in; otherwise citynet's default
    env["TERM"] = "xterm-256color"
    for name in ("ready", "typed"):
        (tmp_path / name).unlink(missing_ok=True)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", TERMINAL_APP, str(tmp_path)], stdin=slave,
                            stdout=slave, stderr=slave, env=env,
                            cwd=Path(__file__).resolve().parents[1])
    os.close(slave)

    def wait_for(path: Path) -> bool:
        end = time.monotonic() + 30
        while not path.exists() and time.monotonic() < end and proc.poll() is None:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)  # what the app draws: read it, so it never blocks
                except OSError:
                    break
        return path.exists()

    try:
        assert wait_for(tmp_path / "ready"), "the app did not start in the terminal"
        os.write(master, (data + "\r").encode())
        assert wait_for(tmp_path / "typed"), "the app did not take the input"
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    return (tmp_path / "typed").read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_long_ime_commit_arrives_intact_without_kitty_protocol(tmp_path):
    """With the protocol off (citynet's default), an IME commit is plain UTF-8 and reaches the
    field intact; with it on, Textual 8.2.8's parser breaks the same commit into junk."""
    assert typed_in_a_terminal(tmp_path, LONG_COMMIT, kitty=False) == LONG_COMMIT

    kitty = "\x1b[0;;" + ":".join(str(ord(c)) for c in LONG_COMMIT) + "u"
    assert typed_in_a_terminal(tmp_path, kitty, kitty=True) != LONG_COMMIT  # why it is off


def test_long_japanese_text_typed_into_a_form_field(engine):
    async def go():
        app = make_app(engine)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            app.open_form("city")
            await settle(app, pilot)
            field = app.screen.query_one("#f-name_ja")
            field.focus()
            typed = "".join(c for c in LONG_COMMIT if c.isalnum())  # Pilot types letters only
            await pilot.press(*typed)
            assert field.value == typed
            # a whole commit delivered at once, as a terminal without the Kitty protocol does
            from textual import events
            field.value = ""
            app.screen.query_one("#f-name_en").focus()
            field.focus()
            field.post_message(events.Paste(LONG_COMMIT))
            await pilot.pause(0.1)
            assert field.value == LONG_COMMIT
    run(go())


def test_start_path_imports_no_exporters_or_migrations():
    code = ("import sys, citynet.tui.app as a; assert 'textual' not in sys.modules; "
            "import citynet.tui.application; "
            "bad = [m for m in ('reportlab', 'icalendar', 'alembic', 'sqlalchemy') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stdout + done.stderr


FIRST_LOOK_PROBE = r"""
import json, sys
import citynet.tui.application as application
class Probe(application.CitynetApp):
    def run(self, **kwargs):
        return super().run(headless=True, size=(120, 40))
    def on_ready(self):
        self.set_interval(0.002, self.look)
    def look(self):
        table = self.screen.query_one("#upcoming")
        if table.row_count:
            print(json.dumps({"rows": table.row_count, "engine": self.engine is not None,
                              "sqlalchemy": "sqlalchemy" in sys.modules}))
            self.exit()
application.CitynetApp = Probe
from citynet.cli import main
main(["--db", sys.argv[1], "--lang", "ja"])
"""


def test_dashboard_rows_shown_before_the_store_libraries_load(demo_sqlite_template, tmp_path):
    """Started on a current SQLite store, the dashboard's rows are on the screen before
    SQLAlchemy is imported (read with the standard library's sqlite3 in the opening worker)."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_sqlite_template, path)
    done = subprocess.run([sys.executable, "-c", FIRST_LOOK_PROBE, f"sqlite:///{path}"],
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1],
                          env={**os.environ, "CITYNET_NOW": "2024-11-11T05:00:00Z",
                               "CITYNET_CONFIG": str(tmp_path / "none.toml")})
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"rows": 5, "engine": False, "sqlalchemy": False}
