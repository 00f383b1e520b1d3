"""Numbers, units, counts of people and the participation sentence.

Rounding is 四捨五入 (ROUND_HALF_UP), as Japanese tables use; Babel rounds half-even, so values
are quantized here first and Babel only groups digits. Japanese large numbers use 万・億・兆
(767.4万, 1億2,345.7万) with commas inside each group, as 公用文 does; English uses million and
billion with the same absolute precision (767.4万 t = 7.674 million t).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from citynet.i18n import LANGUAGES, N_, gettext_in, ngettext_in

__all__ = ["format_number", "format_percent", "format_man_oku", "format_tonnes_co2",
           "format_key_figure", "format_count_people", "participation_sentence"]

_JA_UNITS = ((10**12, "兆"), (10**8, "億"))


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    return lang


def _round(value: float | int | Decimal, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _group(value: Decimal, lang: str, strip_zeros: bool = False) -> str:
    """Digits grouped by Babel, showing exactly the decimals ``value`` carries."""
    from babel.numbers import format_decimal

    if strip_zeros and value == value.to_integral():
        value = value.quantize(Decimal(1))
    elif strip_zeros:
        value = value.normalize()
    exponent = value.as_tuple().exponent  # a str only for NaN and infinities
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=lang, decimal_quantization=True)


def format_number(value: float | int | Decimal, lang: str, decimals: int | None = None) -> str:
    """7,674,000; with ``decimals`` rounded half-up to that many places (21.65 → 21.7),
    otherwise up to three places without trailing zeros."""
    lang = _check(lang)
    if decimals is None:
        return _group(_round(value, 3), lang, strip_zeros=True)
    return _group(_round(value, decimals), lang)


def format_percent(value: float | int | Decimal, lang: str, decimals: int | None = None) -> str:
    """A value already in percent: 21.7 → 21.7%."""
    return f"{format_number(value, lang, decimals)}%"


def format_man_oku(value: float | int | Decimal, decimals: int = 1) -> str:
    """Japanese large numbers: 7674000 → 767.4万; 123456789 → 1億2,345.7万; 5000 → 5,000.

    ``decimals`` counts places of the 万 unit, so the precision is 10^(4 - decimals); numbers
    below 1万 are shown whole.
    """
    if abs(Decimal(str(value))) < 10**4:
        return _group(_round(value, 0), "ja")
    v = _round(Decimal(str(value)) / 10**4, decimals) * 10**4
    sign, v = ("-" if v < 0 else ""), abs(v)
    parts = []
    for size, unit in _JA_UNITS[:2]:  # 兆 and 億 as whole numbers, the rest in 万
        count = v // size
        if count:
            parts.append(_group(count, "ja") + unit)
            v -= count * size
    if v:
        parts.append(_group(v / 10**4, "ja", strip_zeros=True) + "万")
    return sign + "".join(parts)


def _en_large(value: Decimal, decimals: int) -> str:
    if abs(value) < 10**6:
        return _group(_round(value, 0), "en")
    v = _round(value / 10**4, decimals) * 10**4
    size, msgid = (10**9, N_("{value} billion")) if abs(v) >= 10**9 else (10**6, N_("{value} million"))
    return gettext_in("en", msgid).format(value=_group(v / size, "en", strip_zeros=True))


def format_tonnes_co2(tonnes: float | int | Decimal, lang: str, decimals: int = 1) -> str:
    """767.4万t-CO2 / 7.674 million t-CO2 (rounded to 1,000 t by default; whole tonnes below 1万
    or one million)."""
    if _check(lang) == "ja":
        return f"{format_man_oku(tonnes, decimals)}t-CO2"
    return f"{_en_large(Decimal(str(tonnes)), decimals)} t-CO2"


def format_key_figure(value: float | int | Decimal, unit: str, lang: str) -> str:
    """A key figure with its unit: 767.4万t-CO2 / 7.674 million t-CO2, 21.7%, 0 t-CO2;
    other units follow the number after a space (1,234.5 km)."""
    if unit == "%":
        return format_percent(value, lang)
    if unit == "t-CO2":
        return f"0 {unit}" if value == 0 else format_tonnes_co2(value, lang)
    return f"{format_number(value, lang)} {unit}".strip()


def format_count_people(n: int, lang: str) -> str:
    """329名 / 329 participants."""
    return ngettext_in(_check(lang), "{n} participant", "{n} participants", n).format(n=format_number(n, lang))


def participation_sentence(totals: Mapping[str, int | None] | object, lang: str) -> str:
    """The source's participant line: 海外9か国15都市をはじめ、国内22都市、50企業・団体など 329名 /
    329 participants, including 15 cities in 9 overseas countries, 22 cities in Japan and 50
    companies and organisations.

    Keys: total, overseas_countries, overseas_cities, domestic_cities, organisations (companies and
    organisations), as a mapping or as attributes; absent or None parts are left out.
    """
    lang = _check(lang)
    num = lambda n: format_number(n, lang)  # noqa: E731

    def get(key: str) -> int | None:
        return totals.get(key) if isinstance(totals, Mapping) else getattr(totals, key, None)

    parts = []
    countries, cities = get("overseas_countries"), get("overseas_cities")
    city_text = (ngettext_in(lang, "{n} city", "{n} cities", cities).format(n=num(cities))
                 if cities is not None else None)
    country_text = (ngettext_in(lang, "{n} overseas country", "{n} overseas countries", countries)
                    .format(n=num(countries)) if countries is not None else None)
    if city_text and country_text:
        parts.append(gettext_in(lang, "{cities} in {countries}").format(cities=city_text, countries=country_text))
    elif city_text:
        parts.append(gettext_in(lang, "{cities} overseas").format(cities=city_text))
    elif country_text:
        parts.append(country_text)
    if (domestic := get("domestic_cities")) is not None:
        domestic_text = ngettext_in(lang, "{n} city", "{n} cities", domestic).format(n=num(domestic))
        parts.append(gettext_in(lang, "{cities} in Japan").format(cities=domestic_text))
    if (orgs := get("organisations")) is not None:
        parts.append(ngettext_in(lang, "{n} company or organisation", "{n} companies and organisations", orgs)
                     .format(n=num(orgs)))

    total = get("total")
    names = dict(zip("abc", parts))
    if total is None:
        templates = {0: "", 1: "{a}", 2: gettext_in(lang, "{a} and {b}"), 3: gettext_in(lang, "{a}, {b} and {c}")}
        return templates[len(parts)].format(**names)
    names["total"] = format_count_people(total, lang)
    templates = {
        0: "{total}",
        1: gettext_in(lang, "{total}, including {a}"),
        2: gettext_in(lang, "{total}, including {a} and {b}"),
        3: gettext_in(lang, "{total}, including {a}, {b} and {c}"),
    }
    return templates[len(parts)].format(**names)
