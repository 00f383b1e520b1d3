"""CSV and XLSX files of the lists in ``citynet.services.sheet_tables``, written atomically."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlalchemy.engine import Engine

from citynet.errors import CitynetError
from citynet.i18n import _, gettext_in
from citynet.services.sheet_tables import contacts_table, participants_table


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with BOM and CRLF line ends: Japanese Excel opens it as it is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "citynet"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest * 1.6))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_list(engine: Engine, what: str, fmt: str, lang: str, *, event: str | None = None,
                output: Path | None = None) -> Path:
    """Write the contacts or an event's participants as CSV or XLSX (atomic write)."""
    from citynet.files import atomic_write, default_output

    if what == "participants":
        if not event:
            raise CitynetError(_("the participants list needs --event"))
        headers, rows = participants_table(engine, event, lang)
        name = f"{event}-participants"
        title = gettext_in(lang, "Participants")
    else:
        headers, rows = contacts_table(engine, lang)
        name, title = "contacts", gettext_in(lang, "Contacts")
    data = to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, title)
    path = Path(output) if output else default_output(f"{name}.{fmt}")
    return atomic_write(path, data, create_parent=output is None)
