"""Person names, titles and 五十音順.

Names are data: never romanised, split or normalised here. Japanese persons are written family
name first in both languages; in English the family name is in capitals ("SHIMIZU Hayato"), as
the 関係府省庁申合せ of 令和元年10月25日 recommends. Foreign persons keep their own order, with an
optional katakana form for Japanese text (ペーター・クルツ). Sorting uses the kana reading staff
entered, because kanji order (ICU or code points) is not 五十音順.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from citynet.i18n import gettext_in
from citynet.i18n.text import bilingual

__all__ = ["NAME_ORDERS", "person_display_name", "position_title", "titled_name",
           "kana_sort_key", "sort_by_reading"]

NAME_ORDERS = ("family_first", "given_first", "single")
T = TypeVar("T")


def _order(name_order: str) -> str:
    order = name_order.replace("-", "_").lower()
    if order not in NAME_ORDERS:
        raise ValueError(f"name_order must be one of {NAME_ORDERS}, not {name_order!r}")
    return order


def _join(*parts: str | None, sep: str = " ") -> str:
    return sep.join(p.strip() for p in parts if p and p.strip())


def _latin(family: str | None, given: str | None, order: str) -> str:
    if order == "family_first":
        return _join(family.upper() if family else None, given)
    if order == "given_first":
        return _join(given, family)
    return _join(given, family)  # single: whichever is given


def _japanese(family: str | None, given: str | None, katakana: str | None, order: str) -> str:
    if order == "family_first":
        return _join(family, given)
    if katakana and katakana.strip():
        return katakana.strip()
    # A foreign name in kanji (some Chinese names) keeps its own order: given・family.
    return _join(given, family, sep="・") if order == "given_first" else _join(given, family)


def person_display_name(family_ja: str | None, given_ja: str | None, family_latin: str | None,
                        given_latin: str | None, name_order: str, lang: str,
                        katakana: str | None = None) -> str:
    """清水 勇人 / SHIMIZU Hayato; Peter Kurz / ペーター・クルツ; single names (no family name) too.

    In Japanese a foreign person without a Japanese form is shown in Latin letters (a name is not
    a translation). In English a Japanese person without a romanised name is shown with the
    missing-translation marker: romanisation must come from the person's office.
    ``lang`` "both" gives "清水 勇人 / SHIMIZU Hayato" (once when the two are the same).
    """
    order = _order(name_order)
    latin = _latin(family_latin, given_latin, order)
    japanese = _japanese(family_ja, given_ja, katakana, order)
    ja = japanese or latin
    en = latin if latin else bilingual(japanese, None, "en")
    if lang == "ja":
        return ja
    if lang == "en":
        return en
    if lang == "both":
        return ja if ja == en else f"{ja} / {en}"
    raise ValueError(f"lang must be ja, en or both, not {lang!r}")


def position_title(title_ja: str | None, title_en: str | None, ended: bool, lang: str) -> str:
    """クアラルンプール市長（当時） / then Mayor of Kuala Lumpur for a position that has ended."""
    def then(text: str | None, in_lang: str) -> str | None:
        if not (text and text.strip()) or not ended:
            return text
        return gettext_in(in_lang, "then {title}").format(title=text.strip())

    return bilingual(then(title_ja, "ja"), then(title_en, "en"), lang)


def titled_name(name: str, title: str, lang: str) -> str:
    """さいたま市長 清水 勇人 / SHIMIZU Hayato, Mayor of Saitama City."""
    if not title:
        return name
    return gettext_in(lang, "{name}, {title}").format(name=name, title=title)


# -- 五十音順 ---------------------------------------------------------------------------------

_VOWELS = {"A": "あ", "I": "い", "U": "う", "E": "え", "O": "お"}


def kana_sort_key(reading: str) -> tuple:
    """A key giving dictionary (五十音) order for kana readings, after JIS X 4061.

    Levels: (1) base kana, with katakana read as hiragana, voicing marks and small kana ignored,
    and ー read as the preceding vowel; (2) unvoiced < voiced < semi-voiced (はは, ばば, ぱぱ);
    (3) small before large and ー before the vowel it stands for; (4) hiragana before katakana.
    """
    primary: list[str] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    quaternary: list[int] = []
    vowel: str | None = None
    for ch in unicodedata.normalize("NFKC", reading):  # half-width katakana, U+3000
        katakana = "\u30a1" <= ch <= "\u30f6"
        hira = chr(ord(ch) - 0x60) if katakana else ch
        long_mark = False
        small = False
        voice = 0
        if ch == "ー" and vowel is not None:
            long_mark, base = True, vowel
        else:
            decomposed = unicodedata.normalize("NFD", hira)
            base = decomposed[0]
            voice = 1 if "\u3099" in decomposed else 2 if "\u309a" in decomposed else 0
            name = unicodedata.name(base, "")
            if name.startswith("HIRAGANA LETTER SMALL "):
                small = True
                base = unicodedata.lookup(name.replace("SMALL ", ""))
                name = unicodedata.name(base)
            vowel = _VOWELS.get(name[-1]) if name.startswith("HIRAGANA LETTER ") else None
        primary.append(base)
        secondary.append(voice)
        tertiary.append(0 if long_mark or small else 1)
        quaternary.append(1 if katakana else 0)
    return "".join(primary), tuple(secondary), tuple(tertiary), tuple(quaternary)


def sort_by_reading(items: Iterable[T], key: Callable[[T], str | None] | None = None) -> list[T]:
    """Items in 五十音順 of their reading; items without a reading go last, in input order."""
    def sort_key(item: T) -> tuple:
        raw = key(item) if key is not None else item
        reading = raw if isinstance(raw, str) else None  # without a key, items are the readings
        return (1, ()) if not reading else (0, kana_sort_key(reading))

    return sorted(items, key=sort_key)
