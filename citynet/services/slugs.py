"""Slugs from names: the suggestion a form and an import make when no slug is given.

A slug is made from the English name when there is one ("Baku City" → "baku-city"); otherwise
from a romanised reading: the kana reading (``name_kana``) or the kana of the Japanese name,
romanised by the search's rule (``citynet.services.fold.romanise``: さいたま → saitama,
ワークショップ → wakusyoppu). Kanji have no reading here and are left out.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Mapping

# The fields a slug is made from, best first: English, then a reading, then the Japanese name.
# (A person's two Latin names, and two Japanese ones, are joined family name first.)
ENGLISH_SOURCES = ("name_en", "title_en", "family_name_latin given_name_latin")
READING_SOURCES = ("name_kana", "name_katakana", "name_ja", "title_ja", "family_name_ja given_name_ja")
SOURCE_FIELDS = tuple(dict.fromkeys(
    field for source in ENGLISH_SOURCES + READING_SOURCES for field in source.split()))

_SLUG_LENGTH = 70  # under the rule book's 80: room for a suffix a user adds to tell two apart
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]+")


def _ascii_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:_SLUG_LENGTH].strip("-")


def _romanised(text: str) -> str:
    """The text with each run of kana romanised and anything else Japanese left out."""
    from citynet.services.fold import romanise, to_hiragana

    text = unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    last = 0
    for run in _KANA.finditer(text):
        parts.append(text[last:run.start()])
        parts.append(f" {romanise(to_hiragana(run.group())) or ''} ")
        last = run.end()
    parts.append(text[last:])
    return "".join(parts)


def suggest_slug(*texts: str | None) -> str | None:
    """A slug from the first text with Latin letters or digits ("Baku City" → "baku-city");
    failing that, from the first whose kana read as Latin letters (さいたま市 → "saitama")."""
    for text in texts:
        slug = _ascii_slug(text) if text else ""
        if slug:
            return slug
    for text in texts:
        slug = _ascii_slug(_romanised(text)) if text else ""
        if re.search("[a-z]", slug):
            return slug
    return None


def slug_for(values: Mapping[str, object]) -> str | None:
    """The slug suggested for a record with these values (any kind): its English name, else a
    romanised reading of its Japanese one; None when neither gives one (a name in kanji only)."""
    def text(source: str) -> str | None:
        joined = " ".join(str(values[f]) for f in source.split() if values.get(f))
        return joined or None

    english = [text(source) for source in ENGLISH_SOURCES]
    for candidate in english:
        slug = _ascii_slug(candidate) if candidate else ""
        if slug:
            return slug
    for source in READING_SOURCES:
        candidate = text(source)
        slug = _ascii_slug(_romanised(candidate)) if candidate else ""
        if re.search("[a-z]", slug):  # not digits alone (第29回 → "29")
            return slug
    return None


__all__ = ["SOURCE_FIELDS", "slug_for", "suggest_slug"]
