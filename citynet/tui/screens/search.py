"""Search every kind of record while typing (Japanese, English, kana readings, romanised names)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Input

from citynet.i18n import _, get_language
from citynet.presenters.search import hit_detail, hit_name, kind_name, results_line
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import record_key, Heading, Para, Table

SEARCH_DELAY = 0.12


def hit_cells(hit) -> list[str]:
    lang = get_language()
    return [kind_name(hit.kind), hit_name(hit, lang), hit_detail(hit, lang)]


class SearchScreen(CitynetScreen):
    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Heading(_("Search"))
        yield Input(value=self.query_text, id="search-input",
                    placeholder=_("Name in Japanese, English, kana or romaji"))
        yield Para("", id="search-status")
        yield Table(id="hits")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        if self.query_text:
            self.reload()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self.reload)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        table = self.query_one("#hits", Table)
        if table.row_count:
            table.focus()

    def reload(self) -> None:
        from citynet.services.hits import search

        if not self.query_text.strip():
            self.query_one("#hits", Table).clear()
            self.query_one("#search-status", Para).set("")
            return
        self.load(search, self.query_text, then=self.show)

    def show(self, results) -> None:
        self.query_one("#search-status", Para).set(results_line(results, get_language()))
        self.query_one("#hits", Table).show(
            [_("Kind"), _("Name"), _("Detail")],
            [(f"{h.kind}:{h.slug}", hit_cells(h)) for h in results.hits])

    def on_data_table_row_selected(self, event: Table.RowSelected) -> None:
        found = record_key(event.row_key.value)
        if found is not None:
            self.app.open_record(*found)
