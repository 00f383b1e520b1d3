"""A refused save, compared: what someone else stored beside what the user typed, field by field.

Opened from a form whose save met a ``ConflictError`` (someone saved the record first). Only the
fields where their version and the form differ are listed; for each, the user keeps theirs or
takes the stored value. A field the user had not touched starts on "theirs", one they edited on
"yours". The screen is dismissed with the set of fields to take from their version (None: back
to the form unchanged); the form then saves on their revision (``FormScreen.rebase``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable

from citynet.i18n import _, _l
from citynet.tui.widgets import Heading, Para, Table, plain


@dataclass
class CompareRow:
    field: str
    label: str
    theirs: str  # in words
    yours: str
    take_theirs: bool


def compare_rows(form, theirs: dict) -> list[CompareRow]:
    """The fields where the stored record (``theirs``, as ``load_form`` reads it) and the form
    differ, with both values in words."""
    from citynet.services import rules
    from citynet.tui.screens.form import FIELDS, TEXT_TYPES, show_value

    mine = form.current()
    rows = []
    for name, _label, typ in FIELDS[form.kind]:
        stored = theirs["values"].get(name)
        if typ in TEXT_TYPES:
            stored = show_value(typ, stored, theirs["zone"]) or None
        elif typ == "bool":
            stored = bool(stored)
        if stored == mine[name]:
            continue
        rows.append(CompareRow(
            name, rules.field_label(form.kind, name),
            _words(form, name, typ, theirs["values"].get(name), stored, theirs["labels"]),
            _words(form, name, typ, mine[name], mine[name], None),
            take_theirs=mine[name] == form._shown(name)))  # untouched here: theirs is newer
    return rows


def _words(form, name: str, typ, value, shown, labels: dict | None) -> str:
    """A value as the form shows it: text as typed, a choice or a country in words, a record by
    its name (theirs from the stored record, yours from the picker's label), yes/no."""
    from citynet.presenters.history import value_words
    from citynet.tui import fmt

    if value is None or shown is None:
        return _("(none)")
    if isinstance(typ, dict):
        return fmt.code(value, typ)
    if typ == "bool":
        return value_words(bool(value), form.zone or "UTC")
    if typ == "country":
        return f"{fmt.country(value)} ({value})"
    if isinstance(typ, str) and typ.startswith("ref:"):
        if labels is not None:
            return labels.get(name) or str(value)
        return str(form.query_one(f"#f-{name}").label)
    return str(shown)


class CompareScreen(ModalScreen[set | None]):
    """Their value beside yours for each field that differs; keep yours or take theirs."""

    BINDINGS = [Binding("space", "toggle", _l("Keep yours / take theirs"), id="compare-toggle"),
                Binding("ctrl+s", "save", _l("Save"), id="save", priority=True),
                Binding("escape", "back", _l("Back to the form"), id="cancel")]

    def __init__(self, rows: list[CompareRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog compare-dialog"):
            yield Heading(_("Their version and yours"))
            yield Para(_("Enter or space: keep yours or take theirs for the field. Ctrl+S saves "
                         "on their version; Esc goes back to the form."))
            yield Table(id="compare-rows")
            yield Para("", id="compare-values")  # the highlighted field's two values, whole
            with Horizontal(classes="buttons"):
                yield Button(plain(_("Save")), variant="primary", id="compare-save", compact=True)
                yield Button(plain(_("All theirs")), id="all-theirs", compact=True)
                yield Button(plain(_("All yours")), id="all-yours", compact=True)
                yield Button(plain(_("Back")), id="compare-back", compact=True)

    def on_mount(self) -> None:
        # after the first layout: the columns share the dialog's width, not the window's
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        table = self.query_one("#compare-rows", Table)
        table.show([_("Field"), _("Stored now (theirs)"), _("Typed (yours)"), _("Keep")],
                   [(row.field, [row.label, row.theirs, row.yours, self._choice(row)])
                    for row in self.rows])
        table.focus()

    @staticmethod
    def _choice(row: CompareRow) -> str:
        return _("theirs") if row.take_theirs else _("yours")

    def _show(self, index: int) -> None:
        self.query_one("#compare-rows", Table).update_cell_at(
            Coordinate(index, 3), plain(self._choice(self.rows[index])))

    def action_toggle(self) -> None:
        table = self.query_one("#compare-rows", Table)
        if self.rows:
            index = table.cursor_row
            self.rows[index].take_theirs = not self.rows[index].take_theirs
            self._show(index)

    @on(DataTable.RowHighlighted)
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            row = self.rows[event.cursor_row]
            self.query_one("#compare-values", Para).set(
                _("{field}, theirs: {theirs}").format(field=row.label, theirs=row.theirs) + "\n"
                + _("{field}, yours: {yours}").format(field=row.label, yours=row.yours))

    @on(DataTable.RowSelected)
    def selected(self, _event) -> None:
        self.action_toggle()

    def choose_all(self, theirs: bool) -> None:
        for index, row in enumerate(self.rows):
            row.take_theirs = theirs
            self._show(index)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "compare-save":
            self.action_save()
        elif event.button.id == "compare-back":
            self.action_back()
        else:
            self.choose_all(event.button.id == "all-theirs")

    def action_save(self) -> None:
        self.dismiss({row.field for row in self.rows if row.take_theirs})

    def action_back(self) -> None:
        self.dismiss(None)
