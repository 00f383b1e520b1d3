"""One formatting module for the UI, the PDFs and the calendars.

Every function takes an explicit ``lang`` ("ja" or "en"): a document chooses its language
independently of the UI language. Words that are not data ("since", "planned", "FY", "then",
"participants", "time to be confirmed") come from the same gettext catalog as the UI, looked up
for that language with :func:`citynet.i18n.gettext_in` — one place, checked by the catalog test.
Names of countries, months, weekdays and time zones come from Babel (CLDR), never typed by hand,
except the reviewed country names in :data:`COUNTRY_OVERRIDES`. Japanese date patterns (年月日,
元年, 年度) are format patterns like CLDR's and live in :mod:`citynet.i18n.eras` and here.

House style: ～ (U+FF5E) for Japanese ranges, – (U+2013) for English ones, plain spaces (Babel's
U+2009/U+202F become U+0020 so PDFs break and extract predictably), 24-hour times, weekday as
（月） after a Japanese date (full-width parentheses, as every aside in Japanese dates: 令和6年（2024年）)
and "Mon 11 Nov 2024" in English. English dates are always Gregorian.

Numbers, units and people are in :mod:`.quantities` and :mod:`.names`, re-exported here.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterator
from zoneinfo import ZoneInfo

from citynet.i18n import LANGUAGES, get_language, gettext_in
from citynet.i18n.eras import (
    format_fiscal_year, format_number_digits, ja_paren, ja_weekday, to_wareki, wareki_year_label,
)
from citynet.i18n.names import (  # noqa: F401  (re-exported)
    kana_sort_key, person_display_name, position_title, sort_by_reading, titled_name,
)
from citynet.i18n.quantities import (  # noqa: F401  (re-exported)
    format_count_people, format_key_figure, format_man_oku, format_number, format_percent,
    format_tonnes_co2, participation_sentence,
)

__all__ = [
    "STYLES", "format_date", "format_month_day", "format_date_range", "format_fuzzy_date",
    "format_stored_fuzzy",
    "format_figure_period", "format_session_times",
    "format_utc_offset", "format_zone", "zone_abbreviation", "ZONE_ABBREVIATIONS", "date_style", "country_name", "COUNTRY_OVERRIDES", "REVIEWED_COUNTRIES",
    "timezone_city", "clean_spaces",
    "format_number", "format_percent", "format_man_oku", "format_tonnes_co2", "format_key_figure",
    "format_count_people",
    "participation_sentence", "person_display_name", "position_title", "titled_name",
    "kana_sort_key", "sort_by_reading",
]

JA_RANGE = "～"
EN_DASH = "–"
# "both" is 令和6年（2024年）11月11日; "seireki(wareki)" is 2024年（令和6年）11月11日.
STYLES = {"seireki": "seireki", "wareki": "wareki", "both": "wareki(seireki)",
          "wareki(seireki)": "wareki(seireki)", "seireki(wareki)": "seireki(wareki)"}


def clean_spaces(text: str) -> str:
    """Babel's thin and no-break spaces (U+2009, U+202F, U+00A0) → plain spaces."""
    return text.replace("\u2009", " ").replace("\u202f", " ").replace("\u00a0", " ")


def _lang(lang: str | None) -> str:
    lang = lang or get_language()
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    return lang


# The date style of the document being written (``[documents] dates`` in the settings file): a
# document sets it once around its whole build (:func:`date_style`), so every date in it, however
# deep in the helpers, is written the same way without each call passing it. Outside a document
# (the UI, calendars) it is unset and dates are 西暦.
_DOCUMENT_STYLE: ContextVar[str | None] = ContextVar("citynet_date_style", default=None)


@contextmanager
def date_style(style: str | None) -> Iterator[None]:
    """Inside the block, dates without an explicit style are written in ``style`` ("seireki",
    "wareki" or "both"; None leaves the default)."""
    token = _DOCUMENT_STYLE.set(_style(style) if style else None)
    try:
        yield
    finally:
        _DOCUMENT_STYLE.reset(token)


def _style(style: str | None) -> str:
    try:
        return STYLES[style or _DOCUMENT_STYLE.get() or "seireki"]
    except KeyError:
        raise ValueError(f"style must be one of {sorted(STYLES)}, not {style!r}") from None


def _babel_date(d: date, pattern: str, lang: str) -> str:
    from babel.dates import format_date as babel_format_date

    return clean_spaces(babel_format_date(d, pattern, locale=lang))


# -- Japanese date parts --------------------------------------------------------------------


def _ja_year(d: date, style: str, digits: str, short: bool = False) -> str:
    """The year part: 2024年, 令和6年, 令和6年（2024年）, 2024年（令和6年）; short drops the era name."""
    era, year = to_wareki(d)
    wareki = wareki_year_label(era, year, digits)
    if short:
        wareki = wareki[len(era.kanji):]
    seireki = f"{format_number_digits(d.year, digits)}年"
    return {"seireki": seireki, "wareki": wareki, "wareki(seireki)": wareki + ja_paren(seireki),
            "seireki(wareki)": seireki + ja_paren(wareki)}[style]


def _ja_md(d: date, digits: str, weekday: bool, month: bool = True) -> str:
    n = lambda v: format_number_digits(v, digits)  # noqa: E731
    text = (f"{n(d.month)}月" if month else "") + f"{n(d.day)}日"
    return text + (ja_weekday(d) if weekday else "")


# -- dates ----------------------------------------------------------------------------------


def format_date(d: date, lang: str, style: str | None = None, weekday: bool = False, digits: str = "half") -> str:
    """2024年11月11日（月） / 令和6年11月11日 / 令和6年（2024年）11月11日; 11 November 2024 / Mon 11 Nov 2024."""
    lang, style = _lang(lang), _style(style)
    if isinstance(d, datetime):
        d = d.date()
    if lang == "en":
        return _babel_date(d, "EEE d MMM y" if weekday else "d MMMM y", "en")
    return _ja_year(d, style, digits) + _ja_md(d, digits, weekday)


def format_month_day(d: date, lang: str, weekday: bool = True, digits: str = "half") -> str:
    """A day without its year, where the year is said elsewhere (an agenda's rows under a heading
    with the range): 11月12日（火） / Tue 12 Nov."""
    lang = _lang(lang)
    if lang == "en":
        return _babel_date(d, "EEE d MMM" if weekday else "d MMM", "en")
    return _ja_md(d, digits, weekday)


def format_date_range(start: date, end: date | None, lang: str, style: str | None = None,
                      weekday: bool = False, digits: str = "half") -> str:
    """An inclusive range: 2022年11月22日～24日 / 22–24 November 2022, across months and years too."""
    lang, style = _lang(lang), _style(style)
    start = start.date() if isinstance(start, datetime) else start
    end = end.date() if isinstance(end, datetime) else end
    if end is None or end == start:
        return format_date(start, lang, style, weekday, digits)
    if end < start:
        raise ValueError(f"range ends before it starts: {start} > {end}")
    if lang == "en":
        return _en_range(start, end, weekday)
    head = format_date(start, lang, style, weekday, digits)
    same_era = to_wareki(start)[0] == to_wareki(end)[0]
    if start.year == end.year and (style == "seireki" or same_era):
        tail = _ja_md(end, digits, weekday, month=start.month != end.month)
    elif style in ("wareki", "wareki(seireki)") and same_era:  # 令和6年12月30日～7年1月2日
        tail = _ja_year(end, style, digits, short=True) + _ja_md(end, digits, weekday)
    else:
        tail = format_date(end, lang, style, weekday, digits)
    return f"{head}{JA_RANGE}{tail}"


def _en_range(start: date, end: date, weekday: bool) -> str:
    day = "EEE d" if weekday else "d"
    day_month = "EEE d MMM" if weekday else "d MMMM"
    full = "EEE d MMM y" if weekday else "d MMMM y"
    if (start.year, start.month) == (end.year, end.month):
        left = _babel_date(start, day, "en")
    elif start.year == end.year:
        left = _babel_date(start, day_month, "en")
    else:
        left = _babel_date(start, full, "en")
    right = _babel_date(end, full, "en")
    dash = EN_DASH if " " not in left else f" {EN_DASH} "  # 22–24 November; 30 November – 2 December
    return f"{left}{dash}{right}"


def _given(value: int | None, part: str) -> int:
    if value is None:
        raise ValueError(f"a date of this precision needs the {part}")
    return value


def format_fuzzy_date(year: int, month: int | None = None, day: int | None = None,
                      precision: str | None = None, lang: str | None = None, planned: bool = False,
                      open_ended: bool = False, style: str | None = None, digits: str = "half",
                      reference: bool = False) -> str:
    """Dates known only roughly: 2009年～ / since 2009; 令和8年度（予定） / FY2026 (planned); 2019年7月 / July 2019.

    ``precision`` is "year", "month", "day" or "fiscal_year" (``year`` is then the fiscal year);
    by default the finest given. ``style`` defaults to wareki for fiscal years (as Japanese
    budgets write them) and to seireki otherwise. A year in wareki takes the era in force at its
    end (2019 → 令和元年), as statistical tables label a year of an era change. ``reference``
    marks a plan's target or base year: a fiscal year is then 2050年度, not 令和32年度 (see
    :func:`citynet.i18n.eras.format_fiscal_year`).
    """
    lang = _lang(lang)
    precision = precision or ("day" if day else "month" if month else "year")
    if precision == "fiscal_year":
        # A budget's year is written in the era (令和8年度) even in a document whose days are
        # 西暦, as the office's budget papers write it; "both" gives 令和8年度（2026年度）.
        chosen = style or (_DOCUMENT_STYLE.get() if _DOCUMENT_STYLE.get() != "seireki" else None)
        calendar = {"seireki": "seireki", "wareki": "wareki"}.get(_style(chosen or "wareki"), "both")
        text = format_fiscal_year(year, lang, calendar, digits, reference=reference)
    elif precision == "day":
        text = format_date(date(year, _given(month, "month"), _given(day, "day")), lang, _style(style))
    elif precision == "month":
        first = date(year, _given(month, "month"), 1)
        text = (_babel_date(first, "MMMM y", "en") if lang == "en"
                else _ja_year(first, _style(style), digits) + f"{format_number_digits(first.month, digits)}月")
    elif precision == "year":
        text = str(year) if lang == "en" else _ja_year(date(year, 12, 31), _style(style), digits)
    else:
        raise ValueError(f"unknown precision {precision!r}")
    if open_ended:
        text = gettext_in(lang, "since {date}").format(date=text)
    if planned:
        text = gettext_in(lang, "{date} (planned)").format(date=text)
    return text


def format_stored_fuzzy(text: str | None, lang: str | None = None, *, planned: bool = False,
                        open_ended: bool = False, reference: bool = False) -> str:
    """A fuzzy date as the store keeps it ("2009", "2019-07", "2022-11-22", "FY2026") in words:
    2009年 / 2019年7月 / 令和8年度 / FY2026, with :func:`format_fuzzy_date`'s planned and
    open-ended forms. No text gives ""; text that is not a fuzzy date raises CitynetError."""
    if not text:
        return ""
    from citynet.fuzzy import FuzzyDate

    value = FuzzyDate.parse(text)
    return format_fuzzy_date(value.year, value.month, value.day, value.precision, lang,
                             planned=planned, open_ended=open_ended, reference=reference)


def format_figure_period(text: str | None, kind: str | None, lang: str | None = None, *,
                         base: bool = False) -> str:
    """The period of a key figure, the rule for every key-figure table (briefing, dashboard): the
    year of a target (``kind`` "target") and a base year (``base``) are a plan's reference
    points and print as 2030年度 / 2013年度; the year of an actual figure keeps the era
    (平成25年度). English is FY2030 either way."""
    return format_stored_fuzzy(text, lang, reference=base or kind == "target")


# -- times and zones ------------------------------------------------------------------------


def format_utc_offset(offset: timedelta | None) -> str:
    """UTC+4, UTC+5:30, UTC-3, UTC (also for None, what ``utcoffset()`` types allow)."""
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h}" + (f":{m:02d}" if m else "")


@lru_cache(maxsize=1024)
def timezone_city(tz: str, lang: str) -> str:
    """The zone's exemplar city from CLDR: Asia/Baku → Baku / バクー (cached: exports ask per event)."""
    from babel.dates import get_timezone_location

    return clean_spaces(get_timezone_location(ZoneInfo(tz), locale=_lang(lang), return_city=True))


def _home_label(tz: str, instant: datetime, lang: str) -> str | None:
    """How home time is named: 日本時間 (CLDR location) in Japanese, the tzdata abbreviation
    (JST, CET, CEST) in English; None when the abbreviation is numeric (+04)."""
    if lang == "ja":
        from babel.dates import get_timezone_location

        return clean_spaces(get_timezone_location(ZoneInfo(tz), locale="ja"))
    abbr = instant.astimezone(ZoneInfo(tz)).tzname() or ""
    return abbr if abbr.isalpha() else None


def _times(start: datetime, end: datetime | None, tz: str, lang: str) -> str:
    z = ZoneInfo(tz)
    text = start.astimezone(z).strftime("%H:%M")
    if end is not None:
        text += (JA_RANGE if lang == "ja" else EN_DASH) + end.astimezone(z).strftime("%H:%M")
    return text


# Abbreviations for zones whose tzdata abbreviation is only a number ("+08", "+04"): the ones
# the zones' own countries print in schedules (standard time, summer time). A zone in neither
# tzdata's letters nor this table is named by its offset alone: an invented abbreviation would
# mislead more than "UTC+7".
ZONE_ABBREVIATIONS: dict[str, tuple[str, str]] = {
    "Asia/Kuala_Lumpur": ("MYT", "MYT"), "Asia/Kuching": ("MYT", "MYT"),
    "Asia/Baku": ("AZT", "AZST"), "Asia/Singapore": ("SGT", "SGT"),
    "Asia/Bangkok": ("ICT", "ICT"), "Asia/Ho_Chi_Minh": ("ICT", "ICT"),
    "Europe/Istanbul": ("TRT", "TRT"), "Asia/Tbilisi": ("GET", "GET"), "Asia/Dubai": ("GST", "GST"),
    "Asia/Yerevan": ("AMT", "AMST"), "Asia/Tashkent": ("UZT", "UZT"),
}


def zone_abbreviation(tz: str, instant: datetime) -> str | None:
    """The zone's abbreviation at that instant: tzdata's when it is letters (CET / CEST, JST,
    KST), else :data:`ZONE_ABBREVIATIONS` (MYT, AZT); None when neither has one."""
    local = _aware(instant).astimezone(ZoneInfo(tz))
    abbr = local.tzname() or ""
    if abbr.isalpha():
        return abbr
    names = ZONE_ABBREVIATIONS.get(tz)
    if names is None:
        return None
    return names[1] if local.dst() else names[0]


def format_zone(tz: str, instant: datetime, lang: str) -> str:
    """A zone as documents name it, by abbreviation and offset at that instant: "CET, UTC+1",
    "CEST、UTC+2", "MYT, UTC+8"; the offset alone when the zone has no abbreviation."""
    lang = _lang(lang)
    offset = format_utc_offset(_aware(instant).astimezone(ZoneInfo(tz)).utcoffset())
    abbr = zone_abbreviation(tz, instant)
    if abbr is None:
        return offset
    return f"{abbr}{'、' if lang == 'ja' else ', '}{offset}"


def _part(start: datetime, end: datetime | None, tz: str, lang: str, home: bool, ref_day: date,
          city: str | None = None) -> str:
    times = _times(start, end, tz, lang)
    label = _home_label(tz, start, lang) if home else None
    offset = format_utc_offset(start.astimezone(ZoneInfo(tz)).utcoffset())
    abbr = zone_abbreviation(tz, start) if city is not None else None
    if label is not None:
        text = gettext_in(lang, "{times} {zone}").format(times=times, zone=label)
    elif abbr is not None and city:
        text = gettext_in(lang, "{times} ({city}, {zone}, {offset})").format(
            times=times, city=city, zone=abbr, offset=offset)
    elif abbr is not None:  # a document that knows no venue city: the zone alone, never a guess
        text = gettext_in(lang, "{times} ({city}, {offset})").format(times=times, city=abbr, offset=offset)
    else:
        text = gettext_in(lang, "{times} ({city}, {offset})").format(
            times=times, city=city or timezone_city(tz, lang), offset=offset)
    day = start.astimezone(ZoneInfo(tz)).date()
    if day > ref_day:
        text = gettext_in(lang, "{times} (next day)").format(times=text)
    elif day < ref_day:
        text = gettext_in(lang, "{times} (previous day)").format(times=text)
    return text


def format_session_times(start_utc_or_aware: datetime | date | None, end: datetime | None,
                         venue_tz: str, home_tz: str, lang: str, partner_tz: str | None = None, *,
                         city: str | None = None) -> str:
    """Venue time beside home time: "13:00–13:30 (Baku, UTC+4) / 18:00–18:30 JST",
    "13:00～13:30（バクー、UTC+4）/ 日本時間 18:00～18:30".

    For an event at home (venue_tz == home_tz) only home time is shown, followed by a partner's
    local time when ``partner_tz`` is given. Naive datetimes are read as UTC (the store keeps
    UTC). No time (None, or a date without one) gives "time to be confirmed" / "時間未定".
    Offsets are computed from the instant, so summer time shows (Berlin UTC+1 / UTC+2).

    ``city``: the venue's own city, as documents name it — then the venue time reads
    "13:00–13:30 (Mannheim, CET, UTC+1)" (abbreviation and offset, :func:`format_zone`) rather
    than by the zone's exemplar city (Europe/Berlin is "Berlin", which a Mannheim reader would
    take for another place); ``""``: a document that knows no venue city, "13:00 (CET, UTC+1)".
    The UI and calendars leave it out (None): a zone's city is what they show.
    """
    lang = _lang(lang)
    if start_utc_or_aware is None or not isinstance(start_utc_or_aware, datetime):
        return gettext_in(lang, "time to be confirmed")
    start = _aware(start_utc_or_aware)
    end = _aware(end) if end is not None else None
    ref_day = start.astimezone(ZoneInfo(venue_tz)).date()
    parts = [_part(start, end, venue_tz, lang, venue_tz == home_tz, ref_day, city)]
    if venue_tz != home_tz:
        parts.append(_part(start, end, home_tz, lang, True, ref_day))
    elif partner_tz and partner_tz != home_tz:
        parts.append(_part(start, end, partner_tz, lang, False, ref_day))
    return " / ".join(parts)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=timezone.utc)


# -- countries ------------------------------------------------------------------------------

# Reviewed names where Japanese government usage differs from CLDR (外務省 style): CLDR gives
# アメリカ合衆国, イギリス, 中華人民共和国香港特別行政区, ミャンマー (ビルマ), パレスチナ自治区.
COUNTRY_OVERRIDES: dict[str, dict[str, str]] = {
    "ja": {"US": "米国", "GB": "英国", "HK": "香港", "MM": "ミャンマー", "PS": "パレスチナ"},
    "en": {},
}
# Codes whose CLDR names (or overrides) have been checked in both languages; a code in use that is
# not listed here should be reviewed and added (see tests/test_i18n_format.py).
REVIEWED_COUNTRIES = frozenset(
    "JP MY AZ DE US GB IT FR HR BR CA KR CN TW HK TR CZ GE MK PS MM TH VN ID PH SG IN AU".split()
)


def country_name(code: str, lang: str) -> str:
    """マレーシア / Malaysia, from CLDR territories with the reviewed overrides."""
    from babel import Locale

    lang, code = _lang(lang), code.upper()
    if code in COUNTRY_OVERRIDES[lang]:
        return COUNTRY_OVERRIDES[lang][code]
    try:
        return clean_spaces(Locale.parse(lang).territories[code])
    except KeyError:
        raise ValueError(f"unknown country code {code!r}") from None
