"""The order of lists, as stored text (``search_doc.sort_ja`` / ``sort_en``): Japanese lists in
五十音順 of the reading, English lists alphabetically by the English (Latin) name.

Each sort text compares by code point (SQLite BINARY, PostgreSQL ``COLLATE "C"``, Python
``str``) exactly as the list is ordered, so a list pages by keyset on an index. Ties are left to
the caller (``ORDER BY sort, id``).

Japanese: records with a reading first — a person's ``name_kana`` (or the katakana form of a
foreign name), a city's or organisation's ``name_kana``, or a name written in kana alone
(ミュンスター市, read with 市 as し) — in 五十音順 (:func:`citynet.i18n.names.kana_sort_key`: base
kana, then voicing, then small and long marks, then hiragana before katakana); then records with
only a Japanese name in kanji, by code point; then records with only a Latin name, alphabetically.

English: by the Latin name (a person's family name, then given name; accents and case second),
then records with only a Japanese name, in the Japanese order.
"""

from __future__ import annotations

import re
import unicodedata

SORT_SEPARATOR = "\x01"  # below every character a key part can hold (see _escaped)

# The name fields of each kind: (Japanese, reading, English).
_FIELDS = {
    "city": ("name_ja", "name_kana", "name_en"),
    "organisation": ("name_ja", "name_kana", "name_en"),
    "network": ("name_ja", None, "name_en"),
    "position": ("title_ja", None, "title_en"),
    "event": ("title_ja", None, "title_en"),
    "session": ("title_ja", None, "title_en"),
    "project": ("title_ja", None, "title_en"),
}
# A name in kana but for a last 市, 町, 郡, 州 … is read as written (ミュンスター市 → みゅんすたーし).
_SUFFIX_READINGS = {"市": "し", "町": "まち", "村": "むら", "郡": "ぐん", "州": "しゅう", "県": "けん", "区": "く",
                    "都": "と", "府": "ふ"}


_LOW = re.compile("[\x00-\x02]")


def _escaped(text: str) -> str:
    """``text`` with U+0000–U+0002 escaped as U+0002 + a printable, so that SORT_SEPARATOR sorts
    below every encoded character and the code-point order of the text is kept."""
    if not _LOW.search(text):  # nearly every text: nothing to escape
        return text
    return "".join("\x02" + chr(ord(c) + 0x20) if c < "\x03" else c for c in text)


def latin_sort_text(text: str | None) -> str:
    """König sorts as konig (accents second), case ignored."""
    if text is None or text.isascii():  # nothing to decompose
        return (text or "").lower().strip()
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def _is_kana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u30ff" or ch in " 　・"


def written_reading(name: str | None) -> str | None:
    """The reading of a name written in kana alone (with perhaps a last 市/町/村); else None."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if text[-1:] in _SUFFIX_READINGS:
        text = text[:-1] + _SUFFIX_READINGS[text[-1]]
    return text if text and all(_is_kana(ch) for ch in text) else None


def _kana_levels(reading: str) -> str:
    from citynet.i18n.names import kana_sort_key

    # ・ parts a foreign name as a space does a Japanese one: the first part decides first
    primary, secondary, tertiary, quaternary = kana_sort_key(reading.replace("・", " "))
    # The three later levels have one digit per character of ``primary``: when the primaries are
    # equal the digit strings are of equal length and compare as the tuples do.
    return SORT_SEPARATOR.join(["0" + _escaped(primary),
                                *("".join(map(str, level))
                                  for level in (secondary, tertiary, quaternary))])


def _latin(*texts: str | None) -> str:
    return SORT_SEPARATOR.join(_escaped(latin_sort_text(t)) for t in texts)


def japanese_sort_text(kind: str, values: dict) -> str:
    """A record's place in a Japanese list (see the module's docstring)."""
    if kind == "person":
        reading = (values.get("name_kana") or "").strip() or written_reading(values.get("name_katakana"))
        kanji = (values.get("family_name_ja") or "") + (values.get("given_name_ja") or "")
        latin = _latin(values.get("family_name_latin"), values.get("given_name_latin"))
    else:
        ja, kana, en = _FIELDS[kind]
        reading = ((values.get(kana) or "").strip() if kana else "") or written_reading(values.get(ja))
        kanji = (values.get(ja) or "").strip()
        latin = _latin(values.get(en))
    if reading:
        head = _kana_levels(reading)
    elif kanji:
        head = "1" + _escaped(unicodedata.normalize("NFKC", kanji))
    else:
        head = "2"
    return SORT_SEPARATOR.join([head, latin])


def english_sort_text(kind: str, values: dict, japanese: str | None = None) -> str:
    """A record's place in an English list (see the module's docstring); ``japanese``: its
    :func:`japanese_sort_text`, when the caller has it already."""
    if kind == "person":
        latin = [values.get("family_name_latin"), values.get("given_name_latin")]
    else:
        latin = [values.get(_FIELDS[kind][2])]
    head = "0" + _latin(*latin) if any(latin_sort_text(t) for t in latin) else "1"
    return SORT_SEPARATOR.join([head, japanese if japanese is not None else japanese_sort_text(kind, values)])


__all__ = ["SORT_SEPARATOR", "latin_sort_text", "written_reading", "japanese_sort_text",
           "english_sort_text"]
