"""The change history of one record (for an event, a city or a person: with what belongs to it):
when, who, what happened, and each field's old and new value. Read in a thread worker through
``citynet.services.history``; times in the home city's zone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header

from citynet.i18n import _
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import Heading, Para, Table

SCOPED = ("event", "city", "person")  # kinds whose history includes their children


def load_history(engine, kind: str, record_id: int, slug: str | None):
    from citynet.services.history import history, home_zone

    if kind in SCOPED and slug:
        changes = history(engine, **{kind: slug})
    else:
        changes = history(engine, kind=kind, record_id=record_id)
    from citynet.presenters.history import ref_names

    with engine.connect() as connection:
        zone = home_zone(connection)
    return changes, zone, ref_names(engine, changes)


def history_rows(changes, zone: str, kind: str, record_id: int,
                 names: dict | None = None) -> list[tuple[str | None, list]]:
    from citynet.presenters.history import action_words, field_value_words
    from citynet.services.history import format_instant
    from citynet.services.rules import field_label

    rows = []
    for change in changes:
        own = change.kind == kind and change.record_id == record_id
        record = "" if own else (
            f"{fmt.kind_name(change.kind)} {change.slug or '#' + str(change.record_id)}")
        key = f"{change.kind}:{change.slug}" if (change.slug and not own
                                                  and change.action != "delete") else None
        head = [format_instant(change.at, zone), change.user or "?", action_words(change)]
        fields = change.changes or ()
        if not fields:
            rows.append((key, head + ["", "", record]))
        for n, c in enumerate(fields):  # the record last: the values matter more in a narrow window
            rows.append((key, (head if n == 0 else ["", "", ""])
                         + [field_label(change.kind, c.field),
                            " → ".join(field_value_words(change.kind, c.field, value, zone,
                                                         names or {}) for value in (c.old, c.new)),
                            record if n == 0 else ""]))
    return rows


class HistoryScreen(CitynetScreen):
    def __init__(self, kind: str, record_id: int, slug: str | None, title: str) -> None:
        super().__init__()
        self.kind, self.record_id, self.slug, self.title_text = kind, record_id, slug, title

    def compose(self) -> ComposeResult:
        yield Header()
        yield Heading(_("History: {name}").format(name=self.title_text), id="history-title")
        yield Para(_("Loading…"), id="history-status")
        yield Table(id="history")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load(load_history, self.kind, self.record_id, self.slug, then=self.show,
                  group="history")

    def show(self, result) -> None:
        changes, zone, names = result
        self.query_one("#history-status", Para).set(
            _("No changes recorded.") if not changes
            else _("{count} changes, newest first; times in {zone}.").format(
                count=len(changes), zone=zone))
        table = self.query_one("#history", Table)
        table.show([_("When"), _("Who"), _("Change"), _("Field"), _("Old → new"), _("Record")],
                   history_rows(changes, zone, self.kind, self.record_id, names))
        if table.row_count:
            table.focus()

    def on_data_table_row_selected(self, event: Table.RowSelected) -> None:
        from citynet.tui.widgets import record_key

        found = record_key(event.row_key.value)
        if found is not None:
            self.app.open_record(*found)
