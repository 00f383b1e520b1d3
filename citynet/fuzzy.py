"""Fuzzy dates: a date known only to the year, the month, the day or the fiscal year.

Stored as short text so the precision is kept and no day is ever invented:
``"2009"`` (year), ``"2019-07"`` (month), ``"2022-11-22"`` (day), ``"FY2026"`` (fiscal year,
April to March). Whether a date is planned (予定) or open-ended (～) is stored beside it.

A bottom module: it imports nothing of citynet but the root errors, so the store, i18n and the
services can all use it (errors are raised as msgids with arguments, translated at the edge).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from citynet.errors import N_, CitynetError

_PATTERN = re.compile(r"^(?:(FY)(\d{4})|(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)$")


@dataclass(frozen=True, order=True)
class FuzzyDate:
    year: int
    month: int | None = None
    day: int | None = None
    fiscal: bool = False

    @property
    def precision(self) -> str:
        if self.fiscal:
            return "fiscal_year"
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        match = _PATTERN.match(text.strip())
        if not match:
            raise CitynetError(N_("not a date: {text!r} (use 2009, 2019-07, 2022-11-22 or FY2026)"), text=text)
        if match.group(1):
            return cls(int(match.group(2)), fiscal=True)
        year = int(match.group(3))
        month = int(match.group(4)) if match.group(4) else None
        day = int(match.group(5)) if match.group(5) else None
        if month is not None and not 1 <= month <= 12:
            raise CitynetError(N_("not a date: {text!r} (month {month} does not exist)"), text=text, month=month)
        if month is not None and day is not None:  # the pattern allows a day only after a month
            try:
                date(year, month, day)
            except ValueError:
                raise CitynetError(N_("not a date: {text!r} (that day does not exist)"), text=text) from None
        return cls(year, month, day)

    def __str__(self) -> str:
        if self.fiscal:
            return f"FY{self.year:04d}"
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def first_day(self) -> date:
        """The earliest day the value can mean (for sorting and range checks)."""
        if self.fiscal:
            return date(self.year, 4, 1)
        return date(self.year, self.month or 1, self.day or 1)


def validate_fuzzy(text: str | None) -> str | None:
    """Normalise a stored fuzzy date, or raise a one-line error."""
    if text is None or text == "":
        return None
    return str(FuzzyDate.parse(text))
