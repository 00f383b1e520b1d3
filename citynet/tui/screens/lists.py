"""A list of one kind of record, filtered while typing, paged as the cursor nears the end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input

from citynet.i18n import _, _l, get_language
from citynet.presenters.search import list_line
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import record_key, Heading, Para, Table

FILTER_DELAY = 0.15  # seconds of quiet typing before the list is filtered


def columns(kind: str, mode: str) -> list[str]:
    zone = _("home time") if mode == "home" else _("local time")
    return {
        "city": [_("Name"), _("Reading"), _("Country"), _("Time zone")],
        "organisation": [_("Name"), _("Abbr."), _("Kind"), _("Country")],
        "network": [_("Name"), _("Founded"), _("Members")],
        "person": [_("Name"), _("Reading"), _("Honorific")],
        "event": [_("Dates"), _("Title"), _("City"), _("Status")],
        "session": [_("Date"), _("Time ({zone})").format(zone=zone), _("Title"), _("Event")],
    }[kind]


def cells(kind: str, row, mode: str, home_tz: str) -> list:
    if kind == "city":
        name = fmt.bi(row.name) + (" *" if row.is_home else "")
        return [name, row.name_kana or "", fmt.country(row.country), row.timezone]
    if kind == "organisation":
        return [fmt.bi(row.name), row.abbreviation or "", fmt.code(row.kind, "organisation_kind"), fmt.country(row.country)]
    if kind == "network":
        return [fmt.bi(row.name), fmt.fuzzy(row.founded), str(row.members)]
    if kind == "person":
        return [fmt.person_name(row.person), row.person.name_kana or "", fmt.bi(row.person.honorific)]
    if kind == "event":
        return [fmt.event_dates(row), fmt.bi(row.title), fmt.bi(row.city),
                fmt.code(row.status, "event_status")]
    if kind == "session":
        d, t = fmt.when(row.starts_at, row.ends_at, row.day, row.timezone, home_tz, mode)
        return [d, t, fmt.bi(row.title), fmt.bi(row.event_title)]
    raise ValueError(kind)


class ListScreen(CitynetScreen):
    BINDINGS = [
        # priority (see DetailScreen), except while the filter field has the focus
        Binding("n", "new", _l("New"), id="new", priority=True),
        Binding("f", "focus_filter", _l("Filter"), id="filter", priority=True),
    ]

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("new", "focus_filter") and isinstance(self.focused, Input):
            return False
        return True

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.query_text = ""
        self.cursor = None
        self.loading = False
        self._timer = None
        self.shown_query: str | None = None  # the filter text of the rows on screen
        self.shown_page = None  # the first page of the rows on screen

    def compose(self) -> ComposeResult:
        yield Header()
        yield Heading(_(fmt.PLURAL_NAMES[self.kind]), id="list-title")
        yield Input(value=self.query_text, placeholder=_("Type to filter (Japanese, English, kana, romaji)"),
                    id="filter")
        yield Para("", id="list-status")
        yield Table(id="rows")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rows", Table).focus()
        self.reload()

    def reload(self, then=None) -> None:
        from citynet.services import lists

        self.loading = True
        query = self.query_text

        def shown(page) -> None:
            self.show_first(page, query)
            if then is not None:
                then()

        self.load(lists.list_page, self.kind, query, None, then=shown)

    def show_first(self, page, query: str) -> None:
        self.shown_query = query
        table = self.query_one("#rows", Table)
        mode, home_tz = self.app.time_mode, self.app.home_tz
        table.show(columns(self.kind, mode),
                   [(f"{self.kind}:{r.slug}", cells(self.kind, r, mode, home_tz)) for r in page.rows])
        self.shown_page = page  # its total, order and breadth, for the status line
        self.show_status(table.cursor_row + 1 if table.row_count else None)
        self.cursor = page.cursor
        self.loading = False

    def show_status(self, row: int | None) -> None:
        """"row X of N, in 五十音 order" above the list (N: the whole list, not the rows loaded)."""
        page = self.shown_page
        if page is not None:
            self.query_one("#list-status", Para).set(
                list_line(page.total, page.order, page.broad, get_language(), row))

    def show_more(self, page) -> None:
        table = self.query_one("#rows", Table)
        mode, home_tz = self.app.time_mode, self.app.home_tz
        table.append([(f"{self.kind}:{r.slug}", cells(self.kind, r, mode, home_tz)) for r in page.rows])
        self.cursor = page.cursor
        self.loading = False

    def on_data_table_row_highlighted(self, event: Table.RowHighlighted) -> None:
        table = event.data_table
        self.show_status(event.cursor_row + 1)
        if self.cursor is not None and not self.loading and event.cursor_row >= table.row_count - 20:
            from citynet.services import lists

            self.loading = True
            self.load(lists.list_page, self.kind, self.query_text, self.cursor, then=self.show_more,
                      group="more")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(FILTER_DELAY, self.reload)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the highlighted row (the first, or the only one): at once
        when the rows shown are those of the text typed, else once they are."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.loading or self.shown_query != self.query_text:
            self.reload(then=self._open_highlighted)
        else:
            self._open_highlighted()

    def _open_highlighted(self) -> None:
        table = self.query_one("#rows", Table)
        table.focus()
        if table.row_count:
            row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
            found = record_key(row_key.value)
            if found is not None:
                self.app.open_record(*found)

    def on_data_table_row_selected(self, event: Table.RowSelected) -> None:
        found = record_key(event.row_key.value)
        if found is not None:
            self.app.open_record(*found)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_new(self) -> None:
        self.app.open_form(self.kind)
