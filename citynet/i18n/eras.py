"""The Japanese calendar (和暦), fiscal years (年度) and date input.

Babel has no Japanese calendar, so it lives here, with the era table as data: a new era is one
more line in :data:`ERAS`. Dates before 1873-01-01 (明治6年1月1日) are refused, because Japan used
the lunisolar calendar until 明治5年12月2日 and earlier dates do not map to the Gregorian calendar.

The Japanese patterns (令和6年11月11日, 令和元年度) exist only in Japanese and are format patterns,
like Babel's CLDR patterns, so they are written here rather than in the message catalog. Error
messages are msgids with arguments (:class:`DateInputError`), translated where they are shown;
English words go through the catalog.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from datetime import date, timedelta
from typing import NamedTuple

from citynet.errors import N_, CitynetError
from citynet.i18n import gettext_in

__all__ = [
    "Era", "ERAS", "EARLIEST_DATE", "WEEKDAYS_JA", "DateInputError",
    "era_of", "to_wareki", "wareki_year_label", "format_wareki", "format_number_digits",
    "ja_weekday", "ja_paren",
    "fiscal_year", "fiscal_year_bounds", "fiscal_year_era", "format_fiscal_year",
    "normalise_input", "parse_date", "parse_partial_date", "parse_fiscal_year",
]


class Era(NamedTuple):
    kanji: str
    romaji: str
    initial: str
    first_day: date
    # 2018 inter-ministerial agreement 「改元に伴う元号による年表示の取扱いについて」: the whole of
    # FY2019 is 令和元年度 although 平成 was in force on 1 April 2019.
    names_whole_fiscal_year: bool = False


ERAS: tuple[Era, ...] = (
    # 明治 counts from 1868-01-25 (proclaimed 1868-10-23, retroactive); usable only from 1873.
    Era("明治", "Meiji", "M", date(1868, 1, 25)),
    Era("大正", "Taishō", "T", date(1912, 7, 30)),
    Era("昭和", "Shōwa", "S", date(1926, 12, 25)),
    Era("平成", "Heisei", "H", date(1989, 1, 8)),     # 昭和64年政令第1号
    Era("令和", "Reiwa", "R", date(2019, 5, 1), names_whole_fiscal_year=True),  # 平成31年政令第143号
)
EARLIEST_DATE = date(1873, 1, 1)
WEEKDAYS_JA = ("月", "火", "水", "木", "金", "土", "日")  # date.weekday() order


class DateInputError(CitynetError, ValueError):
    """A date that cannot exist or cannot be read, said for the user.

    Raised as a msgid with its arguments: ``str(error)`` is English, :func:`citynet.i18n.describe`
    (or ``gettext_in`` with ``error.msgid``/``error.params``) the user's language. A ValueError
    too, for callers that catch that."""


def _last_day(era: Era) -> date | None:
    i = ERAS.index(era)
    return ERAS[i + 1].first_day - timedelta(days=1) if i + 1 < len(ERAS) else None


def _iso(d: date) -> str:
    return d.isoformat()


def _too_early(text: str) -> DateInputError:
    return DateInputError(N_(
        "{text}: dates before 1873-01-01 (明治6年1月1日) are not supported; "
        "Japan used the lunisolar calendar until then."
    ), text=text)


def era_of(d: date) -> Era:
    if d < EARLIEST_DATE:
        raise _too_early(_iso(d))
    return [e for e in ERAS if e.first_day <= d][-1]


def to_wareki(d: date) -> tuple[Era, int]:
    """(era, era year) of a date; era year 1 is written 元年."""
    era = era_of(d)
    return era, d.year - era.first_day.year + 1


# -- digits ---------------------------------------------------------------------------------

_KANJI_DIGITS = "〇一二三四五六七八九"
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
DIGIT_MODES = ("half", "full", "mixed", "kanji")  # mixed: 1桁は全角、2桁以上は半角


def _kanji_number(n: int) -> str:
    if n >= 100 or n == 0:  # years: 二〇二四
        return "".join(_KANJI_DIGITS[int(c)] for c in str(n))
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _KANJI_DIGITS[tens] + "十")
    return head + (_KANJI_DIGITS[ones] if ones else "")


def format_number_digits(n: int, digits: str = "half") -> str:
    """An integer in one of the digit modes of Japanese documents."""
    if digits == "half":
        return str(n)
    if digits == "full":
        return str(n).translate(_FULL)
    if digits == "mixed":
        return str(n).translate(_FULL) if n < 10 else str(n)
    if digits == "kanji":
        return _kanji_number(n)
    raise ValueError(f"digits must be one of {DIGIT_MODES}, not {digits!r}")


def ja_paren(text: str) -> str:
    """（text）: Japanese dates put their asides in full-width parentheses (令和6年（2024年）,
    11日（月）), as Japanese documents and calendars write them; typed input may use either."""
    return f"（{text}）"


def ja_weekday(d: date) -> str:
    """（月）: the weekday after a Japanese date. The one place it is written, for every document,
    calendar and screen (CLDR's ja patterns give ASCII "(月)")."""
    return ja_paren(WEEKDAYS_JA[d.weekday()])


def wareki_year_label(era: Era, year: int, digits: str = "half") -> str:
    """令和元年, 令和6年."""
    return f"{era.kanji}{'元' if year == 1 else format_number_digits(year, digits)}年"


def format_wareki(d: date, weekday: bool = False, digits: str = "half") -> str:
    """令和6年11月11日, with weekday 令和6年11月11日（月）."""
    era, year = to_wareki(d)
    n = lambda v: format_number_digits(v, digits)  # noqa: E731
    text = f"{wareki_year_label(era, year, digits)}{n(d.month)}月{n(d.day)}日"
    return text + (ja_weekday(d) if weekday else "")


# -- fiscal years ---------------------------------------------------------------------------


def fiscal_year(d: date) -> int:
    """年度 (地方自治法 §208): 1 April – 31 March, named by the year in which it starts."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_year_era(fy: int) -> tuple[Era, int]:
    """The era that names a fiscal year: the one in force on 1 April, unless the next era
    starts within the year and names the whole of it (令和元年度 = FY2019)."""
    start, end = fiscal_year_bounds(fy)
    era, _year = to_wareki(start)
    for later in ERAS[ERAS.index(era) + 1:]:
        if later.names_whole_fiscal_year and later.first_day <= end:
            era = later
    return era, fy - era.first_day.year + 1


def format_fiscal_year(fy: int, lang: str, calendar: str = "wareki", digits: str = "half", *,
                       reference: bool = False) -> str:
    """令和元年度 / 2019年度 / 令和元年度（2019年度） (calendar="both") in Japanese; FY2019 in English.

    ``reference``: the fiscal year is a reference point of a plan — the year a target is set for,
    or the base year a change is measured against. Such a year is written in the Western
    calendar whatever ``calendar`` says (2050年度, 2013年度比), as city and national plans write
    them: a target may lie beyond the current era (令和32年度 presumes the era lasts), and a
    base year is compared across eras. Every other fiscal year keeps the era (令和5年度, 平成25年度).
    """
    if calendar not in ("wareki", "seireki", "both"):
        raise ValueError(f"calendar must be wareki, seireki or both, not {calendar!r}")
    if fy < EARLIEST_DATE.year:
        raise _too_early(str(fy))
    seireki = gettext_in(lang, "FY{year}").format(year=format_number_digits(fy, digits))
    if lang != "ja" or calendar == "seireki" or reference:
        return seireki
    era, year = fiscal_year_era(fy)
    wareki = wareki_year_label(era, year, digits) + "度"
    return wareki if calendar == "wareki" else wareki + ja_paren(seireki)


# -- input ----------------------------------------------------------------------------------

_ERA_NAMES = "|".join(e.kanji for e in ERAS)
_ERA_INITIALS = "".join(e.initial for e in ERAS)
_NUM = r"[0-9]+|[〇一二三四五六七八九十百千]+"  # ASCII only: never \d (it matches other scripts)
_WEEKDAY = rf"(?:\(([{''.join(WEEKDAYS_JA)}])\))?"

_RE_ISO = re.compile(rf"^([0-9]{{4}})[-/.]([0-9]{{1,2}})(?:[-/.]([0-9]{{1,2}}))?{_WEEKDAY}$")
_RE_KANJI_SEIREKI = re.compile(
    rf"^({_NUM})年(?:\(({_ERA_NAMES})(元|{_NUM})年\))?(?:({_NUM})月(?:({_NUM})日)?)?{_WEEKDAY}$"
)
_RE_KANJI_WAREKI = re.compile(
    rf"^({_ERA_NAMES})(元|{_NUM})年(?:\(({_NUM})年\))?(?:({_NUM})月(?:({_NUM})日)?)?{_WEEKDAY}$"
)
_RE_INITIAL = re.compile(
    rf"^([{_ERA_INITIALS}])(元|[0-9]{{1,2}})(?:[-/.]([0-9]{{1,2}})(?:[-/.]([0-9]{{1,2}}))?)?$",
    re.IGNORECASE,
)


def normalise_input(text: str) -> str:
    """NFKC (full-width digits, ㋿ → 令和, （ → () and no white space: for typed dates only."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _int(token: str) -> int:
    if token == "元":
        return 1
    if token.isascii():
        return int(token)
    total, current = 0, 0
    for ch in token:
        if ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS.index(ch)
        else:  # 十 百 千
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def _opt_int(token: str | None) -> int | None:
    """An optional group of a pattern: its number, or None when it did not match."""
    return _int(token) if token else None


def _era(key: str) -> Era:
    return next(e for e in ERAS if key in (e.kanji, e.initial, e.initial.lower()))


def _era_year_to_year(text: str, era: Era, era_year: int) -> int:
    """Check that era year exists (平成32年 does not) and return the Gregorian year."""
    year = era.first_day.year + era_year - 1
    last = _last_day(era)
    label = wareki_year_label(era, era_year)
    if era_year < 1:
        raise DateInputError(N_("{text}: {era} has no year 0; its first year is 元年."), text=text,
                             era=era.kanji)
    if last is not None and year > last.year:
        raise DateInputError(N_("{text}: {label} does not exist; {era} ended on {last} ({last_wareki})."),
                             text=text, label=label, era=era.kanji, last=_iso(last),
                             last_wareki=format_wareki(last))
    return year


def _check_day(text: str, year: int, month: int | None, day: int | None, era: Era | None) -> None:
    if month is not None and not 1 <= month <= 12:
        raise DateInputError(N_("{text}: there is no month {month}."), text=text, month=month)
    if month is not None and day is not None:  # the patterns give a day only after a month
        days = monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise DateInputError(N_("{text}: month {month} of {year} has {days} days."),
                                 text=text, year=year, month=month, days=days)
    if year < EARLIEST_DATE.year:
        raise _too_early(text)
    if era is None:
        return
    # A year or a month is possible in an era when any of its days is.
    latest = date(year, month or 12, day or monthrange(year, month or 12)[1])
    earliest = date(year, month or 1, day or 1)
    if latest < era.first_day:
        raise DateInputError(N_("{text}: {era} began on {first} ({first_wareki})."), text=text,
                             era=era.kanji, first=_iso(era.first_day), first_wareki=format_wareki(era.first_day))
    end = _last_day(era)
    if end is not None and earliest > end:
        raise DateInputError(N_("{text}: {era} ended on {last} ({last_wareki})."), text=text,
                             era=era.kanji, last=_iso(end), last_wareki=format_wareki(end))


def parse_partial_date(text: str) -> tuple[int, int | None, int | None]:
    """(year, month or None, day or None) from a typed date, a year-month or a year.

    Accepts 2024-11-11, 2024/11/11, 2024年11月11日, 令和6年11月11日, 令和元年5月1日, R6.11.11,
    H31.4.30, 令和6年(2024年)11月11日, full-width digits, kanji numerals, ㋿, and years or months
    alone (2009, 2019年7月, 令和元年). Raises DateInputError saying why a date cannot be.
    """
    raw = text.strip()
    s = normalise_input(text)
    if not s:
        raise DateInputError(N_("Enter a date, such as 2024-11-11 or 令和6年11月11日."))
    era: Era | None = None
    weekday: str | None = None
    if m := _RE_ISO.match(s):
        year, month, day, weekday = int(m[1]), int(m[2]), _opt_int(m[3]), m[4]
    elif re.fullmatch(r"[0-9]{4}", s):
        year, month, day = int(s), None, None
    elif m := _RE_KANJI_SEIREKI.match(s):
        year = _int(m[1])
        month, day, weekday = _opt_int(m[4]), _opt_int(m[5]), m[6]
        if m[2] and _era_year_to_year(raw, _era(m[2]), _int(m[3])) != year:
            raise DateInputError(N_("{text}: the era year and the Western year disagree."), text=raw)
    elif m := _RE_KANJI_WAREKI.match(s):
        era = _era(m[1])
        year = _era_year_to_year(raw, era, _int(m[2]))
        month, day, weekday = _opt_int(m[4]), _opt_int(m[5]), m[6]
        if m[3] and _int(m[3]) != year:
            raise DateInputError(N_("{text}: the era year and the Western year disagree."), text=raw)
    elif m := _RE_INITIAL.match(s):
        era = _era(m[1])
        year = _era_year_to_year(raw, era, _int(m[2]))
        month, day = _opt_int(m[3]), _opt_int(m[4])
    else:
        raise DateInputError(N_("Cannot read {text!r} as a date; write it like 2024-11-11 or 令和6年11月11日."),
                             text=raw)
    _check_day(raw, year, month, day, era)
    # A weekday is checked against a full date (after a year and month alone it says nothing).
    if weekday and month is not None and day is not None:
        typed = date(year, month, day)
        actual = WEEKDAYS_JA[typed.weekday()]
        if actual != weekday:
            raise DateInputError(N_("{text}: the weekday of {date} is ({weekday}), not ({given})."),
                                 text=raw, date=_iso(typed), weekday=actual, given=weekday)
    return year, month, day


def parse_date(text: str) -> date:
    """A full date typed by a user; see :func:`parse_partial_date` for the accepted forms."""
    year, month, day = parse_partial_date(text)
    if month is None or day is None:
        raise DateInputError(N_("{text}: give a full date with month and day."), text=text.strip())
    return date(year, month, day)


def parse_fiscal_year(text: str) -> int:
    """令和8年度, R8年度, 2026年度, FY2026 → 2026. 平成31年度 is accepted as FY2019 (= 令和元年度)."""
    raw = text.strip()
    s = normalise_input(text)
    if m := re.fullmatch(r"(?:FY)?([0-9]{4})(?:年度)?", s, re.IGNORECASE):
        fy = int(m[1])
    elif m := re.fullmatch(rf"({_ERA_NAMES}|[{_ERA_INITIALS}])(元|{_NUM})年度", s, re.IGNORECASE):
        era, era_year = _era(m[1]), _int(m[2])
        fy = era.first_day.year + era_year - 1
        start, end = fiscal_year_bounds(fy)
        last = _last_day(era)
        if era_year < 1 or end < era.first_day or (last is not None and start > last):
            raise DateInputError(N_("{text}: there is no such fiscal year; {era} lasted from {first} to {last}."),
                                 text=raw, era=era.kanji, first=_iso(era.first_day),
                                 last=_iso(last) if last else "…")
    else:
        raise DateInputError(N_("Cannot read {text!r} as a fiscal year; write it like 令和8年度 or FY2026."),
                             text=raw)
    if fy < EARLIEST_DATE.year:
        raise _too_early(raw)
    return fy
