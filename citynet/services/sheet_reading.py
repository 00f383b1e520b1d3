"""Reading a spreadsheet file: CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or CP932
(Shift_JIS, as Japanese Excel saves it) — UTF-8 is tried strictly first, then CP932; comma- or
tab-separated — or the first sheet of an XLSX workbook, through openpyxl."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from citynet.errors import CitynetError
from citynet.i18n import _


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-16 by its BOM, else UTF-8 (BOM optional), else CP932."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CitynetError(_("cannot read the file's encoding: save it as UTF-8 or Shift_JIS (CP932)"))


def _cell(value) -> str | None:
    """A cell as text (None when empty): XLSX dates as ISO dates, whole numbers without .0.

    A text that starts with an apostrophe before ``=``, ``+``, ``-``, ``@``, a tab or a CR (after
    any further apostrophes) loses exactly that one apostrophe: citynet's exports put it there so
    that a spreadsheet never runs the text as a formula (citynet.render.sheets.neutralise)."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'")[:1] in tuple("=+-@\t\r"):
        value = value[1:]
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip().strip("\u3000").strip()
    return text or None


def read_rows(path: Path, fmt: str) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """(headers, [(row number, cells)]) of a CSV or XLSX file; blank rows are left out. Read in
    one pass: only the kept rows' cells are held, not the file's rows a second time."""
    if not path.is_file():
        raise CitynetError(_("no such file: {path}").format(path=path))
    if fmt == "csv":
        text = decode_csv(path.read_bytes())
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        try:
            rows = _kept(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            raise CitynetError(_("cannot read {path}: {reason}").format(path=path, reason=error)) from None
        del text
    else:
        import zipfile

        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise CitynetError(_("cannot read {path}: {reason}").format(path=path, reason=error)) from None
        try:
            rows = _kept(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
    if not rows:
        raise CitynetError(_("the file is empty: {path}").format(path=path))
    (_number, headers), data = rows[0], rows[1:]
    return [h or "" for h in headers], data


def _kept(raw: Iterable[Iterable]) -> list[tuple[int, list[str | None]]]:
    """The rows with a cell that is not empty, numbered as the spreadsheet numbers them."""
    return [(number, cells) for number, values in enumerate(raw, start=1)
            if any(cells := [_cell(v) for v in values])]
