"""What every citynet screen shares: loading data in a thread worker, and relabelling."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from citynet.i18n import _l


class CitynetScreen(Screen):
    BINDINGS = [Binding("escape", "back", _l("Back"), id="back")]
    # "-narrow" below 100 columns: the footer leaves out the palette's key (ctrl+p, listed by
    # the help) so that the screen's keys and the app's fit in 80 columns (citynet.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    # False while the screen cannot take typing yet (not mounted; a form reading its record):
    # the app holds keys typed meanwhile and replays them once the screen is ready.
    keys_ready = False
    wait_for_data = False  # True: ready only after the data is shown (calls ``keys_now_ready``)
    blocks_navigation = False  # True: section keys and search do not leave this screen

    def on_mount(self) -> None:
        # Textual calls this for every class in the MRO, so subclasses' on_mount do not hide it.
        if not self.wait_for_data:
            self.keys_now_ready()

    def keys_now_ready(self) -> None:
        self.keys_ready = True
        self.app.release_keys()

    def load(self, fn, *args, then, group: str = "load", **kwargs) -> None:
        """Run ``fn(engine, *args)`` in a thread; ``then(result)`` runs on the event loop."""
        if self.app.engine is None:
            return
        self.run_worker(partial(self._run, fn, args, kwargs, then), thread=True, exclusive=True,
                        group=group, exit_on_error=False)

    def _run(self, fn, args, kwargs, then) -> None:
        worker = get_current_worker()
        result = fn(self.app.engine, *args, **kwargs)
        if not worker.is_cancelled:
            self.app.call_from_thread(then, result)

    def reload(self) -> None:
        """Read the data again (after a save, a switch of time display)."""

    def relabel(self) -> None:
        """Show the screen in the new UI language: rebuild, then read the data again."""
        self.refresh(recompose=True)
        self.call_after_refresh(self.reload)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
