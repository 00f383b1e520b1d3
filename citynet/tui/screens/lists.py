"""A list of one kind of record, filtered while typing, paged as the cursor nears either end of
the rows loaded; sorted by any column (``s`` the next column, ``S`` the other way, or a click on
a column's header); narrowed by country, status, dates and network (``F``); End reads the last
page of the whole list, Home the first (the rows loaded are a window on the list: "row X of N"
counts from the list's first row)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, Input, Label, Select

from citynet.i18n import _, _l, get_language, pgettext
from citynet.presenters.search import list_line
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import plain, record_key, Heading, Para, Table

FILTER_DELAY = 0.15  # seconds of quiet typing before the list is filtered
NEAR = 20  # rows from either end of the rows loaded at which the next page is read
STATUS_VOCABULARY = {"event": "event_status", "session": "session_status"}


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
        # short words: at 80 columns the footer holds these and the app's keys
        Binding("F", "narrow", _l("Conditions"), id="narrow", priority=True),
        Binding("s", "sort", _l("Sort"), id="sort", priority=True),
        Binding("S", "reverse", _l("Reverse"), id="reverse", priority=True, show=False),
        # the whole list's first and last rows, not only the rows loaded
        Binding("home", "first", _l("First row"), id="first-row", priority=True, show=False),
        Binding("end", "last", _l("Last row"), id="last-row", priority=True, show=False),
    ]
    TYPING_ACTIONS = ("new", "focus_filter", "narrow", "sort", "reverse", "first", "last")

    def check_action(self, action: str, parameters) -> bool | None:
        if action in self.TYPING_ACTIONS and isinstance(self.focused, Input):
            return False
        if action == "narrow" and not self.narrowing():
            return False
        return True

    def __init__(self, kind: str) -> None:
        from citynet.services.lists import DEFAULT_SORT, SORTS

        super().__init__()
        self.kind = kind
        self.query_text = ""
        self.cursor = None  # the next page's cursor (after the last row loaded)
        self.before = None  # the previous page's cursor (before the first row loaded)
        self.start = 0  # the place in the whole list of the first row loaded
        self.loading = False
        self._timer = None
        self.shown_query: str | None = None  # the filter text of the rows on screen
        self.shown_page = None  # the first page of the rows on screen
        sort, self.descending = DEFAULT_SORT[kind]
        self.sort_column = SORTS[kind].index(sort)
        self.filters = None  # a services.lists.ListFilter, or None
        self.filter_words = ""  # the filters in words, for the status line

    def narrowing(self) -> tuple[str, ...]:
        from citynet.services.lists import FILTERS

        return FILTERS[self.kind]

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

    # --- reading pages ---------------------------------------------------------------------------

    def sort_name(self) -> str:
        from citynet.services.lists import SORTS

        return SORTS[self.kind][self.sort_column]

    def fetch(self, then, group: str = "load", **where) -> None:
        """A page of the list as it is sorted and narrowed now (``where``: after, before, last)."""
        from citynet.services import lists

        self.load(lists.list_page, self.kind, self.query_text, where.pop("after", None),
                  sort=self.sort_name(), descending=self.descending, filters=self.filters,
                  then=then, group=group, **where)

    def reload(self, then=None) -> None:
        self.loading = True
        query = self.query_text

        def shown(page) -> None:
            self.show_first(page, query)
            if then is not None:
                then()

        self.fetch(shown)

    def show_first(self, page, query: str, start: int = 0, at_end: bool = False) -> None:
        self.shown_query = query
        table = self.query_one("#rows", Table)
        mode, home_tz = self.app.time_mode, self.app.home_tz
        table.show(columns(self.kind, mode),
                   [(f"{self.kind}:{r.slug}", cells(self.kind, r, mode, home_tz)) for r in page.rows])
        self.shown_page = page  # its total, order and breadth, for the status line
        self.start = start
        self.cursor, self.before = page.cursor, page.before
        if at_end and table.row_count:
            table.move_cursor(row=table.row_count - 1)
        self.show_status(table.cursor_row if table.row_count else None)
        self.loading = False

    def show_status(self, row: int | None) -> None:
        """"row X of N, in 五十音 order" above the list (N: the whole list, not the rows loaded;
        X counted from the list's first row), the sort the user chose and the filters."""
        page = self.shown_page
        if page is None:
            return
        order_text = None
        if page.order == "column":
            heading = columns(self.kind, self.app.time_mode)[self.sort_column]
            order_text = (_("by {column}, descending") if self.descending
                          else _("by {column}, ascending")).format(column=heading)
        line = list_line(page.total, page.order, page.broad, get_language(),
                         None if row is None else self.start + row + 1, order_text=order_text)
        if self.filter_words:
            line += _("; only {filters}").format(filters=self.filter_words)
        self.query_one("#list-status", Para).set(line)

    def show_more(self, page) -> None:
        table = self.query_one("#rows", Table)
        mode, home_tz = self.app.time_mode, self.app.home_tz
        table.append([(f"{self.kind}:{r.slug}", cells(self.kind, r, mode, home_tz)) for r in page.rows])
        self.cursor = page.cursor
        self.loading = False

    def show_earlier(self, page) -> None:
        """The page before the rows loaded, put above them; the cursor stays on its row."""
        table = self.query_one("#rows", Table)
        if not page.rows:
            self.before, self.loading = None, False
            return
        mode, home_tz = self.app.time_mode, self.app.home_tz
        kept = [(table.coordinate_to_cell_key((n, 0)).row_key.value.rsplit("|", 1)[0],
                 table.get_row_at(n)) for n in range(table.row_count)]
        row = table.cursor_row
        earlier = [(f"{self.kind}:{r.slug}", cells(self.kind, r, mode, home_tz)) for r in page.rows]
        table.show(columns(self.kind, mode), earlier + kept)
        table.move_cursor(row=row + len(earlier), animate=False)
        self.start = max(0, self.start - len(earlier))
        self.before = page.before
        self.loading = False

    def on_data_table_row_highlighted(self, event: Table.RowHighlighted) -> None:
        table = event.data_table
        self.show_status(event.cursor_row)
        if self.loading:
            return
        if self.cursor is not None and event.cursor_row >= table.row_count - NEAR:
            self.loading = True
            self.fetch(self.show_more, group="more", after=self.cursor)
        elif self.before is not None and event.cursor_row < NEAR:
            self.loading = True
            self.fetch(self.show_earlier, group="more", before=self.before)

    # --- keys ------------------------------------------------------------------------------------

    def action_first(self) -> None:
        table = self.query_one("#rows", Table)
        table.focus()
        if self.start == 0 and self.before is None:
            if table.row_count:
                table.move_cursor(row=0)
            return
        self.reload()

    def action_last(self) -> None:
        """The last row of the whole list: read backwards from its end when not loaded yet."""
        table = self.query_one("#rows", Table)
        table.focus()
        if self.cursor is None:
            if table.row_count:
                table.move_cursor(row=table.row_count - 1)
            return
        self.loading = True
        query = self.query_text

        def shown(page) -> None:
            total = page.total or len(page.rows)
            self.show_first(page, query, start=max(0, total - len(page.rows)), at_end=True)

        self.fetch(shown, last=True)

    def action_sort(self) -> None:
        """The next column (one sorting as this one does is passed over: a session's date and
        time), each first in its natural direction (dates newest first)."""
        from citynet.services.lists import SORTS

        sorts = SORTS[self.kind]
        column = self.sort_column
        for _step in sorts:
            column = (column + 1) % len(sorts)
            if sorts[column] != self.sort_name():
                break
        self.sort_by(column)

    def sort_by(self, column: int, flip: bool = False) -> None:
        from citynet.services.lists import SORTS

        if flip:
            self.descending = not self.descending
        else:
            self.sort_column = column
            self.descending = SORTS[self.kind][column] == "date"
        self.reload()

    def action_reverse(self) -> None:
        self.sort_by(self.sort_column, flip=True)

    def on_data_table_header_selected(self, event: Table.HeaderSelected) -> None:
        """A click on a column's header sorts by it; a second click, the other way."""
        from citynet.services.lists import SORTS

        same = SORTS[self.kind][event.column_index] == self.sort_name()
        self.sort_by(event.column_index, flip=same)

    def action_narrow(self) -> None:
        """The dialog of the list's filters (its choices read first: the countries its records
        have, the networks)."""
        from citynet.services.lists import narrow_choices

        self.load(narrow_choices, self.kind, then=self._ask_filters, group="narrow")

    def _ask_filters(self, choices) -> None:
        self.app.push_screen(NarrowModal(self.kind, choices, self.filters), self._narrowed)

    def _narrowed(self, answer) -> None:
        if answer is None:  # cancelled
            return
        filters, words = answer
        self.filters = filters if filters.active() else None
        self.filter_words = words if self.filters is not None else ""
        self.reload()

    # --- the text filter and opening a row -----------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
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


class NarrowModal(ModalScreen):
    """A list's filters besides its text: country, status, from and to dates (era dates too),
    network; those the list takes. Dismissed with (ListFilter, the filters in words), or None
    when cancelled."""

    BINDINGS = [Binding("escape", "cancel", _l("Cancel"), id="cancel")]

    def __init__(self, kind: str, choices, current) -> None:
        super().__init__()
        self.kind = kind
        self.countries, self.networks = choices
        self.current = current

    def compose(self) -> ComposeResult:
        from citynet.services.lists import FILTERS

        taken = FILTERS[self.kind]
        current = self.current
        lang = get_language()
        with Vertical(classes="dialog"):
            yield Heading(_("Narrow the list"))
            if "country" in taken:
                yield from self._row(_("Country"), Select(
                    [(plain(fmt.country(code, lang)), code) for code in self.countries],
                    prompt=_("Any"), id="narrow-country", compact=True,
                    value=current.country if current and current.country in self.countries
                    else Select.NULL))
            if "status" in taken:
                vocabulary = STATUS_VOCABULARY[self.kind]
                from citynet.i18n.vocabulary import VOCABULARIES

                yield from self._row(_("Status"), Select(
                    [(plain(fmt.code(code, vocabulary)), code) for code in VOCABULARIES[vocabulary]],
                    prompt=_("Any"), id="narrow-status", compact=True,
                    value=current.status if current and current.status else Select.NULL))
            if "dates" in taken:
                hint = _("2024-11-11 or 令和6年11月11日")
                yield from self._row(pgettext("date range", "From"), Input(
                    value=current.since.isoformat() if current and current.since else "",
                    placeholder=hint, id="narrow-since", compact=True))
                yield from self._row(pgettext("date range", "To"), Input(
                    value=current.until.isoformat() if current and current.until else "",
                    placeholder=hint, id="narrow-until", compact=True))
            if "network" in taken:
                yield from self._row(_("Network"), Select(
                    [(plain(fmt.bi(name)), network_id) for network_id, name in self.networks],
                    prompt=_("Any"), id="narrow-network", compact=True,
                    value=current.network if current and current.network is not None
                    else Select.NULL))
            yield Para("", id="narrow-problem", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(plain(_("Apply")), variant="primary", id="narrow-apply")
                yield Button(plain(_("Clear")), id="narrow-clear")
                yield Button(plain(_("Cancel")), id="narrow-cancel")

    @staticmethod
    def _row(label: str, widget):
        row = Horizontal(classes="row")
        row.compose_add_child(Label(plain(label), classes="field-label narrow-label"))
        row.compose_add_child(widget)
        yield row

    def on_mount(self) -> None:
        first = self.query("Select, Input").first()
        first.focus()

    def _value(self, selector: str):
        found = self.query(selector)
        if not found:
            return None
        value = found.first().value
        return None if value is Select.NULL or value == "" else value

    def _answer(self):
        """(ListFilter, words) from the dialog, or None after saying what is wrong."""
        from citynet.errors import CitynetError
        from citynet.i18n import describe
        from citynet.i18n.eras import parse_date
        from citynet.services.lists import ListFilter

        days = {}
        for name in ("since", "until"):
            text = (self._value(f"#narrow-{name}") or "").strip()
            try:
                days[name] = parse_date(text) if text else None
            except CitynetError as error:
                self.query_one("#narrow-problem", Para).set(describe(error))
                self.query_one(f"#narrow-{name}", Input).focus()
                return None
        if days["since"] and days["until"] and days["until"] < days["since"]:
            self.query_one("#narrow-problem", Para).set(_("The end comes before the start."))
            return None
        filters = ListFilter(country=self._value("#narrow-country"),
                             status=self._value("#narrow-status"), since=days["since"],
                             until=days["until"], network=self._value("#narrow-network"))
        return filters, filter_words(self.kind, filters, dict(self.networks))

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        from citynet.services.lists import ListFilter

        if event.button.id == "narrow-apply":
            answer = self._answer()
            if answer is not None:
                self.dismiss(answer)
        elif event.button.id == "narrow-clear":
            self.dismiss((ListFilter(), ""))
        else:
            self.dismiss(None)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        answer = self._answer()
        if answer is not None:
            self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)


def filter_words(kind: str, filters, networks: dict) -> str:
    """The filters in words, as the status line says them: ドイツ、開催済み、2024年1月1日～、ICLEI."""
    lang = get_language()
    parts = []
    if filters.country:
        parts.append(fmt.country(filters.country, lang))
    if filters.status:
        parts.append(fmt.code(filters.status, STATUS_VOCABULARY[kind]))
    if filters.since or filters.until:
        if filters.since and filters.until:
            parts.append(fmt.day_range(filters.since, filters.until))
        elif filters.since:
            parts.append(_("from {date}").format(date=fmt.day(filters.since)))
        else:
            parts.append(_("until {date}").format(date=fmt.day(filters.until)))
    if filters.network is not None and filters.network in networks:
        parts.append(fmt.bi(networks[filters.network]))
    return _(", ").join(parts)
