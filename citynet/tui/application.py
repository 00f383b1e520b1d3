"""The Textual application: global keys, language and time display, start-up and navigation.

Layering (Harlequin's): screens ask for data through ``CitynetScreen.load`` which runs a service
function in a thread worker and hands the result back on the event loop; nothing here runs SQL.
Services are imported inside workers so the first paint does not wait for SQLAlchemy.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from collections import deque

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from citynet.i18n import _, _l, describe, get_language, set_language


def _commands():
    from citynet.tui.commands import CitynetCommands

    return CitynetCommands


NOW_ENV = "CITYNET_NOW"
# Kinds without a slug or a page of their own, shown in other records' pages (a row key
# ``commitment:<id>``): opening one opens its form.
BY_ID_KINDS = ("commitment",)


def _env_now() -> datetime | None:
    text = os.environ.get(NOW_ENV, "").strip()
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class CitynetApp(App[int]):
    # Replaces Textual's system commands, whose titles are English only (our provider re-adds
    # the useful ones, translated).
    COMMANDS = {_commands}
    CSS_PATH = Path(__file__).parent / "citynet.tcss"  # absolute: subclasses live elsewhere
    ENABLE_COMMAND_PALETTE = True
    TITLE = "citynet"

    BINDINGS = [
        Binding("ctrl+q", "quit", _l("Quit"), id="quit", priority=True),
        Binding("ctrl+p", "command_palette", _l("Commands"), id="palette", priority=True,
                show=False),
        # Priority (acted on at once, see on_event) but never while typing into a field.
        Binding("slash", "search", _l("Search"), id="search", priority=True),
        # ? types itself into a field; F1 works anywhere.
        Binding("question_mark,f1", "help", _l("Help"), id="help", show=False),
        Binding("L", "toggle_language", _l("Language"), id="language"),
        Binding("T", "toggle_time", _l("Time display"), id="time"),
        # The same switches while an input has focus (letters go to the input there).
        Binding("ctrl+l", "toggle_language", _l("Language"), id="language-anywhere", show=False,
                priority=True),
        Binding("ctrl+t", "toggle_time", _l("Time display"), id="time-anywhere", show=False,
                priority=True),
        Binding("1", "go('dashboard')", _l("Dashboard"), id="go-dashboard", show=False, priority=True),
        Binding("2", "go('city')", _l("Cities"), id="go-cities", show=False, priority=True),
        Binding("3", "go('network')", _l("Networks"), id="go-networks", show=False, priority=True),
        Binding("4", "go('organisation')", _l("Organisations"), id="go-organisations", show=False, priority=True),
        Binding("5", "go('person')", _l("People"), id="go-people", show=False, priority=True),
        Binding("6", "go('event')", _l("Events"), id="go-events", show=False, priority=True),
        Binding("7", "go('session')", _l("Sessions"), id="go-sessions", show=False, priority=True),
        Binding("8", "go('agenda')", _l("Agenda"), id="go-agenda", show=False, priority=True),
    ]

    def __init__(self, database_url: str | None = None, engine=None, offer_demo: bool = True,
                 now: datetime | None = None, keymap: dict[str, str] | None = None):
        super().__init__()
        self.database_url = database_url
        self.engine = engine
        self.offer_demo = offer_demo
        # A fixed "now" (aware) for what depends on the date (the dashboard's "upcoming"); None:
        # the clock. Also read from CITYNET_NOW (ISO 8601), so tests and screenshots are stable.
        self.fixed_now = now if now is not None else _env_now()
        # Binding id -> key(s) overrides, Posting-style; None: the [keys] table of the config.
        self.keymap_overrides = keymap
        self.time_mode = "home"  # "home": times in the home city's zone first; "local": venue's
        self.home_tz = "Asia/Tokyo"
        self.home_slug: str | None = None
        self.ready = False
        self._held_keys: deque = deque()  # typed while a form was still loading
        self._replaying = False
        self._replayed: set = set()  # held keys posted again, not yet back in on_event
        self._shown_first = None  # the dashboard shown before the store was open

    def now(self) -> datetime:
        """The current instant (aware UTC), or the fixed one the app was started with."""
        return self.fixed_now or datetime.now(timezone.utc)

    # --- start-up ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from citynet.tui.screens.dashboard import DashboardScreen

        self.apply_keymap()
        self.title = _("citynet")
        self.push_screen(DashboardScreen())
        if self.engine is not None:  # given (tests): no library left to load
            self.check_first_run()

    @on(events.Ready)
    def _first_frame_shown(self) -> None:
        # The store is opened only once the first frame is on the screen: opening it imports
        # SQLAlchemy and the models, and a worker importing them meanwhile holds the GIL the
        # first paint needs.
        if self.engine is None:
            # The first look's service is imported here, on the loop, not in the worker: after
            # the first frame the loop renders the screen again, and the worker's import waited
            # behind it for the GIL (110-140 ms for 10 ms of work).
            import citynet.services.dashboard  # noqa: F401
            self.open_store()

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_store(self) -> None:
        from citynet.errors import CitynetError
        from citynet.files import protect
        from citynet.store.db import (
            live_database_file, open_database, quick_sqlite_reader, resolve_database_url,
        )

        # A SQLite store already at this build's schema shows its dashboard at once, read with
        # the standard library's sqlite3: SQLAlchemy and the models take longer to load than
        # the whole first screen, and load below while it is read.
        with quick_sqlite_reader(resolve_database_url(self.database_url)) as read:
            if read is not None:
                self._first_look(read)
        notes: list[str] = []
        try:
            engine = open_database(self.database_url, announce=notes.append)
        except CitynetError as error:
            self.call_from_thread(self.exit, 2, describe(error))
            return
        live = live_database_file(resolve_database_url(self.database_url))
        if live is not None:  # no export from the UI may write over the store's own file
            protect(live)
        # The first-run checks in the same thread: one hop through the event loop less
        # before the dashboard can read.
        empty, home = self._first_run_facts(engine)
        self.call_from_thread(self._store_opened, engine, notes, empty, home)

    def _first_look(self, read) -> None:
        from citynet.services import dashboard
        from citynet.tui.screens.dashboard import DashboardScreen

        home = dashboard.home_city(read)
        if home is None and dashboard.is_empty(read):
            return  # a first run: the store's opening offers the demo
        data = DashboardScreen.read(read, self.now(), home.timezone if home else self.home_tz)
        self.call_from_thread(self._show_first_look, home, data, "show_tables")
        if home is not None:
            from citynet.tui import fmt

            fmt.country(home.country)  # Babel's territories, loaded here rather than on the loop
        self.call_from_thread(self._show_first_look, home, data, "show_home")

    def _show_first_look(self, home, data, part: str) -> None:
        from citynet.tui.screens.dashboard import DashboardScreen

        if home is not None:
            self.home_tz, self.home_slug = home.timezone, home.slug
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                getattr(screen, part)(data)
                self._shown_first = screen  # not read again once the store is open

    def _store_opened(self, engine, notes: list[str], empty: bool, home) -> None:
        self.engine = engine
        for note in notes:
            self.notify(describe(note), markup=False)
        self._first_run_checked(empty, home)

    @staticmethod
    def _first_run_facts(engine) -> tuple:
        from citynet.services import dashboard

        return dashboard.is_empty(engine), dashboard.home_city(engine)

    # For an app given its engine (opened by the caller). Its own group: an exclusive worker of
    # the "open" group would cancel one still running.
    @work(thread=True, exclusive=True, group="first_run", exit_on_error=False)
    def check_first_run(self) -> None:
        empty, home = self._first_run_facts(self.engine)
        self.call_from_thread(self._first_run_checked, empty, home)

    def _first_run_checked(self, empty: bool, home) -> None:
        if home is not None:
            self.home_tz, self.home_slug = home.timezone, home.slug
        self.ready = True
        if empty and self.offer_demo:
            from citynet.tui.screens.modals import ConfirmModal

            self.push_screen(ConfirmModal(
                _("This database is empty. Load the demo data (Saitama, COP29 in Baku, Urban7 …)?"),
                yes=_("Load demo data"), no=_("Start empty")), self._demo_answer)
        else:
            self.refresh_screens(skip=self._shown_first)
        self._shown_first = None

    def _demo_answer(self, yes: bool | None) -> None:
        if yes:
            self.notify(_("Loading the demo data…"))
            self.load_demo()
        else:
            self.refresh_screens()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def load_demo(self) -> None:
        from citynet.demo.loader import load_demo
        from citynet.services import dashboard

        load_demo(self.engine)
        home = dashboard.home_city(self.engine)
        self.call_from_thread(self._first_run_checked, False, home)
        self.call_from_thread(self.notify, _("Demo data loaded."))

    # --- keys ----------------------------------------------------------------------------------

    def apply_keymap(self) -> None:
        """Apply the user's key overrides (``[keys]`` in the settings file, or ``keymap=``) and,
        from the settings file, the time display last chosen (``time``)."""
        from citynet.tui.keys import clean_keymap

        raw = self.keymap_overrides
        if raw is None:
            from citynet.config import load_config
            from citynet.errors import CitynetError

            try:
                settings = load_config()
            except CitynetError as error:
                self.notify(describe(error), severity="error", markup=False, timeout=8)
                settings = {}
            raw = settings.get("keys")
            # the time display remembered from the last switch (home or local)
            if settings.get("time") in ("home", "local"):
                self.time_mode = settings["time"]
        keymap, problems = clean_keymap(raw)
        if problems:
            self.notify(_("Ignored in the [keys] settings: {items}").format(items=", ".join(problems)),
                        severity="warning", markup=False, timeout=8)
        self.set_keymap(keymap)

    def check_action(self, action: str, parameters) -> bool | None:
        """Section keys and search: never while typing into a field, never away from a form."""
        if action in ("go", "search"):
            from textual.screen import ModalScreen

            try:
                screen = self.screen
            except Exception:
                return True
            if (self._typing_into(self.focused) or isinstance(screen, ModalScreen)
                    or getattr(screen, "blocks_navigation", False)):
                return False
        return True

    @staticmethod
    def _typing_into(widget) -> bool:
        """True when ``widget`` is a text field (an Input or a TextArea).

        Asked for every binding the footer shows, from the first frame on: the classes are taken
        only once loaded (a widget of a class never imported cannot have focus), so the first
        frame does not import the text area and its document model."""
        if widget is None:
            return False
        fields = tuple(getattr(sys.modules.get(module), name, None) for module, name in
                       (("textual.widgets._input", "Input"),
                        ("textual.widgets._text_area", "TextArea")))
        return isinstance(widget, tuple(c for c in fields if c is not None))

    # --- keys typed before a screen is ready -----------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Hold keys (and pastes) typed while the active screen is not ready for them.

        A form is pushed at once but reads its record in a worker; keys that arrive meanwhile
        (a fast typist, a paste, scripted input such as ``tmux send-keys``) would reach no field,
        or be overwritten when the record arrives. They are held and replayed in the order they
        were typed once the form is ready (:meth:`release_keys`). The quit key passes at once.
        """
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if event in self._replayed:
                self._replayed.discard(event)
            elif self._should_hold(event):
                self._held_keys.append(event)
                return
        await super().on_event(event)

    def _should_hold(self, event) -> bool:
        if self._held_keys or self._replaying:
            return True  # keep the order behind keys already held
        try:
            screen = self.screen
        except Exception:
            return False
        if getattr(screen, "keys_ready", True):
            return False
        if isinstance(event, events.Key):
            # The key as it is bound now (after the user's keymap), through the public map.
            active = self.active_bindings.get(event.key)
            if (active is not None and active.node is self and active.binding.priority
                    and active.binding.action in ("quit", "app.quit")):
                return False
        return True

    def release_keys(self) -> None:
        """Replay held keys, in order, now that the screen is ready."""
        if self._held_keys and not self._replaying:
            self._replaying = True
            self.run_worker(self._replay(), group="keys", exit_on_error=False)

    async def _replay(self) -> None:
        try:
            while self._held_keys:
                if not getattr(self.screen, "keys_ready", True):
                    return  # a screen opened by a replayed key is loading: it releases the rest
                held = self._held_keys.popleft()
                event = (events.Key(held.key, held.character) if isinstance(held, events.Key)
                         else events.Paste(held.text))
                self._replayed.add(event)
                self.post_message(event)
                await self._key_handled()
        finally:
            self._replaying = False

    async def _key_handled(self) -> None:
        """Wait until the key just posted has gone where a typed key goes, before the next.

        The app forwards a key to the focused widget; unhandled, it bubbles up through the
        widget's ancestors to the screen and back to the app, which runs its bindings (tab,
        "e" for edit…). Each of those message pumps handles its messages in order, so a
        callback queued on each in turn (``call_later``) runs once the key has passed it.
        """
        await self._drained(self)  # the app has forwarded the key (or run a priority binding)
        target = self.focused or self.screen
        for node in target.ancestors_with_self:  # focused widget, its parents, screen, app
            await self._drained(node)

    @staticmethod
    async def _drained(node) -> None:
        import asyncio

        done = asyncio.Event()
        if node.call_later(done.set):
            try:
                await asyncio.wait_for(done.wait(), timeout=1)
            except asyncio.TimeoutError:
                pass  # a pump closing meanwhile (its screen popped): go on with the next key

    # --- errors from workers -------------------------------------------------------------------

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            screen = self.screen
            if getattr(screen, "keys_ready", True) is False:  # its load failed: do not hold keys
                screen.keys_ready = True
                self.release_keys()
            error = event.worker.error
            from citynet.errors import CitynetError

            message = describe(error) if isinstance(error, CitynetError) else \
                _("Unexpected error: {error}").format(error=f"{type(error).__name__}: {error}")
            self.notify(message, severity="error", markup=False, timeout=8)

    # --- global actions ------------------------------------------------------------------------

    def refresh_screens(self, skip=None) -> None:
        """Re-read what every open screen shows (after a save, a language or time switch), but
        ``skip``."""
        for screen in self.screen_stack:
            reload = getattr(screen, "reload", None) if screen is not skip else None
            if reload is not None:
                reload()

    def remember(self, setting: str, value: str) -> None:
        """Keep a switch for the next start (the settings file); a file that cannot be written
        is said, and the switch still holds for this session."""
        from citynet.config import remember
        from citynet.errors import CitynetError

        try:
            remember(setting, value)
        except CitynetError as error:
            self.notify(describe(error), severity="warning", markup=False, timeout=8)

    def action_toggle_language(self) -> None:
        set_language("en" if get_language() == "ja" else "ja")
        self.remember("lang", get_language())
        self.title = _("citynet")
        for screen in self.screen_stack:
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                relabel()
        self.refresh_bindings()
        self.notify(_("Language: English") if get_language() == "en" else _("Language: Japanese"))

    def action_toggle_time(self) -> None:
        self.time_mode = "local" if self.time_mode == "home" else "home"
        self.remember("time", self.time_mode)
        self.refresh_screens()
        self.notify(_("Times shown in home time") if self.time_mode == "home"
                    else _("Times shown in local (venue) time"))

    def action_command_palette(self) -> None:
        """Textual's palette, in the UI language."""
        from textual.command import CommandPalette

        from citynet.tui.commands import translated_palette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(translated_palette())

    def action_help(self) -> None:
        """The keys of the screen in front, as the keymap has them."""
        from citynet.tui.screens.modals import HelpModal, screen_keys

        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal(screen_keys(self.screen)))

    def action_search(self) -> None:
        from citynet.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_go(self, kind: str) -> None:
        from citynet.tui.screens.dashboard import DashboardScreen
        from citynet.tui.screens.lists import ListScreen

        # Keep the stack shallow: a section key returns to the dashboard first.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if kind == "dashboard":
            return
        if isinstance(self.screen, DashboardScreen):
            if kind == "agenda":
                from citynet.tui.screens.agenda import AgendaScreen

                self.push_screen(AgendaScreen())
            else:
                self.push_screen(ListScreen(kind))

    def open_record(self, kind: str, slug: str) -> None:
        if kind in BY_ID_KINDS:  # no page of its own: a row names it by id, and opens its form
            if slug.isdigit():
                self.open_form(kind, record_id=int(slug))
            return
        from citynet.tui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(kind, slug))

    def open_form(self, kind: str, record_id: int | None = None, defaults: dict | None = None) -> None:
        from citynet.tui.screens.form import FormScreen

        self.push_screen(FormScreen(kind, record_id=record_id, defaults=defaults))

    def action_quit(self) -> None:
        """Quit; a form with unsaved changes asks first (save / discard / keep editing)."""
        from citynet.tui.screens.form import FormScreen

        forms = [s for s in self.screen_stack if isinstance(s, FormScreen)]
        if forms and not any(type(s).__name__ == "LeaveModal" for s in self.screen_stack):
            forms[-1].leave(lambda: self.exit(0))
            return
        self.exit(0)
