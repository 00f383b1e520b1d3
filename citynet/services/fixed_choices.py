"""The fixed lists a form picks from — time zones and countries — with every name each is found
by, filtered by the search engine's own rules (:func:`citynet.services.search.quality_in`).

A time zone is found by its IANA name and by its city and country in Japanese and English
(とうきょう, ベルリン, Malaysia); a country by its code and its names in both languages. Names come
from Babel (CLDR).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from citynet.services.search import quality_in, query_words, spaced, spellings


@dataclass(frozen=True)
class FixedChoice:
    value: str
    label: str  # as the picker shows it, in the UI language
    names: str  # whole names, folded and spaced as the search index holds them
    words: str  # words, likewise


def _choice(value: str, label: str, names: list[str | None]) -> FixedChoice:
    whole, words = spellings(names)
    return FixedChoice(value, label, spaced(whole), spaced(words))


@lru_cache(maxsize=4)
def timezone_choices(lang: str) -> tuple[FixedChoice, ...]:
    """Every IANA zone with a region (and UTC): "Asia/Tokyo — 東京（日本）"."""
    from zoneinfo import available_timezones

    from babel import Locale
    from babel.core import get_global
    from babel.dates import get_timezone_location

    territories = get_global("zone_territories")
    ja, en = Locale.parse("ja").territories, Locale.parse("en").territories
    shown = ja if lang == "ja" else en
    out = []
    for zone in sorted(z for z in available_timezones() if "/" in z or z == "UTC"):
        city_ja = get_timezone_location(zone, locale="ja", return_city=True)
        city_en = get_timezone_location(zone, locale="en", return_city=True)
        country = territories.get(zone)
        place = city_ja if lang == "ja" else city_en
        label = f"{zone} — {place}" + (f"（{shown[country]}）" if lang == "ja" and country
                                       else f" ({shown[country]})" if country else "")
        out.append(_choice(zone, label, [zone.replace("/", " "), city_ja, city_en, country,
                                         ja.get(country or ""), en.get(country or "")]))
    return tuple(out)


@lru_cache(maxsize=4)
def country_choices(lang: str) -> tuple[FixedChoice, ...]:
    """Every ISO 3166 country: "日本 (JP)"."""
    from babel import Locale

    ja, en = Locale.parse("ja").territories, Locale.parse("en").territories
    shown = ja if lang == "ja" else en
    codes = sorted(c for c in map(str, en) if len(c) == 2 and c.isalpha())
    return tuple(_choice(c, f"{shown.get(c, c)} ({c})", [c, ja.get(c), en.get(c)]) for c in codes)


def filter_choices(choices: tuple[FixedChoice, ...], query: str | None,
                   limit: int = 300) -> list[FixedChoice]:
    """The choices matching every word of ``query``, best match first (then in list order)."""
    words = query_words(query)
    if not words:
        return list(choices[:limit])
    scored = []
    for position, choice in enumerate(choices):
        qualities = [quality_in(w, choice.names, choice.words) for w in words]
        if None not in qualities:
            scored.append((sum(q for q in qualities if q is not None), position, choice))
    scored.sort(key=lambda item: item[:2])
    return [choice for _score, _position, choice in scored[:limit]]


__all__ = ["FixedChoice", "timezone_choices", "country_choices", "filter_choices"]
