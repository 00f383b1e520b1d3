"""Widgets shared by the screens. Every cell and label is a ``rich.text.Text``: user text such as
"[/foo] 会議" is shown as typed, never parsed as markup."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable, Static


def plain(value) -> Text:
    return value if isinstance(value, Text) else Text("" if value is None else str(value))


class Table(DataTable):
    """A row-cursor table whose row keys name records ("kind:slug")."""

    DEFAULT_CSS = """
    Table { height: auto; max-height: 16; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def show(self, columns: list[str], rows: list[tuple[str | None, list]]) -> None:
        self.clear(columns=True)
        natural = [max([cell_len(label)] + [cell_len(str(r[1][n] or "")) for r in rows[:200]])
                   for n, label in enumerate(columns)]
        # the window's width, less the table's margins and the scroll bar: before the first
        # layout the table has no size of its own
        available = (self.size.width or self.app.size.width - self.styles.margin.width) - 2
        for label, width in zip(columns, column_widths(natural, available, 2 * self.cell_padding)):
            self.add_column(plain(label), width=width)
        self.append(rows)

    def append(self, rows: list[tuple[str | None, list]]) -> None:
        # A record can appear on several rows (a person in two sessions): keys get a row suffix.
        for key, cells in rows:
            self.add_row(*[plain(c) for c in cells], key=f"{key or ''}|{self.row_count}")

    def current_key(self) -> str | None:
        if self.row_count == 0:
            return None
        return record_key(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)


KEEP = 16  # cells: a column is cut no narrower than this (a date, a time range, a short name)


def column_widths(natural: list[int], available: int, padding: int) -> list[int]:
    """Widths for columns whose contents are ``natural`` cells wide, sharing ``available`` cells
    (each column also takes ``padding``): all as wide as their contents when they fit; else the
    widest are cut to one common width, as wide as the window allows (a long title grows with the
    window and is cut only when it must be), none below :data:`KEEP` cells — when even that does
    not fit, the table scrolls sideways."""
    room = available - padding * len(natural)
    if sum(natural) <= room:
        return list(natural)
    keep = [min(width, KEEP) for width in natural]

    def widths(cap: int) -> list[int]:
        return [max(kept, min(width, cap)) for kept, width in zip(keep, natural)]

    low, high = 0, max(natural)
    while low < high:  # the widest common cap that still fits
        cap = (low + high + 1) // 2
        if sum(widths(cap)) <= room:
            low = cap
        else:
            high = cap - 1
    return widths(low)


def record_key(row_key: str | None) -> tuple[str, str] | None:
    """(kind, slug) named by a row key, or None for a row that opens nothing."""
    key = (row_key or "").rsplit("|", 1)[0]
    if ":" not in key:
        return None
    kind, slug = key.split(":", 1)
    return (kind, slug) if slug and slug != "None" else None


class Heading(Static):
    DEFAULT_CSS = """
    Heading { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(plain(text), markup=False, **kwargs)


class Para(Static):
    def __init__(self, text="", **kwargs) -> None:
        super().__init__(plain(text), markup=False, **kwargs)

    def set(self, text) -> None:
        self.update(plain(text))
