"""CSV and XLSX files of the lists in ``citynet.services.sheet_tables``, written atomically."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlalchemy.engine import Engine

from citynet.errors import CitynetError
from citynet.i18n import _, gettext_in
from citynet.services.sheet_tables import commitments_table, contacts_table, participants_table


# A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Such a cell gets an apostrophe in front, as OWASP advises, and so does one that already starts
# with apostrophes before such a character: reading a cell takes exactly one off
# (citynet.services.sheet_reading), so every text comes back as it was.
_FORMULA_LIKE = re.compile("'*[" + re.escape("".join(FORMULA_STARTS)) + "]")
# A plain number ("-3", "+81312345678", "-0.5") runs nothing, so it is left as it is: a
# spreadsheet shows it as that number and an import reads the same text back.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def neutralise(value):
    """A text that a spreadsheet would read as a formula, with a leading apostrophe (other values
    as they are)."""
    if isinstance(value, str) and _FORMULA_LIKE.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with BOM and CRLF line ends: Japanese Excel opens it as it is. Formula-like texts
    are neutralised (:func:`neutralise`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(v) for v in headers])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _write_row(sheet, row: int, values: list) -> list:
    """Row ``row`` of cells; texts neutralised and stored as text (type string, format "@"):
    never a formula, whatever they hold."""
    cells = []
    for column, value in enumerate(values, start=1):
        value = neutralise(value)
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl makes a text starting with "=" a formula otherwise
            cell.number_format = "@"
        cells.append(cell)
    return cells


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "citynet"
    for cell in _write_row(sheet, 1, list(headers)):
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        _write_row(sheet, number, list(row))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest * 1.6))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_list(engine: Engine, what: str, fmt: str, lang: str, *, event: str | None = None,
                output: Path | None = None) -> Path:
    """Write the contacts, an event's participants or the commitments (all, or an event's) as
    CSV or XLSX (atomic write)."""
    from citynet.files import atomic_write, default_output

    if what == "participants":
        if not event:
            raise CitynetError(_("the participants list needs --event"))
        headers, rows = participants_table(engine, event, lang)
        name = f"{event}-participants"
        title = gettext_in(lang, "Participants")
    elif what == "commitments":
        headers, rows = commitments_table(engine, lang, event)
        name = f"{event}-commitments" if event else "commitments"
        title = gettext_in(lang, "Commitments")
    else:
        headers, rows = contacts_table(engine, lang)
        name, title = "contacts", gettext_in(lang, "Contacts")
    data = to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, title)
    path = Path(output) if output else default_output(f"{name}.{fmt}")
    # contact and participant lists hold personal data (commitments: internal notes): readable
    # by their owner only
    return atomic_write(path, data, create_parent=output is None, binary=fmt != "csv", private=True)
