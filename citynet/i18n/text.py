"""Bilingual record text: pick ja, en or both, and flag a missing side instead of hiding it.

Records (cities, events, titles …) store their text in both languages. A missing side is never
silently replaced by the other language: the output carries :data:`MISSING_MARK`, followed by
the text that does exist so staff can see what needs translating. The marker is written in both
languages because a document's reader and its editor may not share one, and uses only ASCII
brackets and common kanji so every PDF font and terminal shows it at a predictable width.
"""

from __future__ import annotations

__all__ = ["MISSING_MARK", "BILINGUAL_SEPARATOR", "bilingual", "is_missing", "has_missing_mark"]

MISSING_MARK = "[未訳/missing]"
BILINGUAL_SEPARATOR = " / "
_MODES = ("ja", "en", "both")


def _present(text: str | None) -> bool:
    return text is not None and text.strip() != ""


def _stripped(text: str | None) -> str | None:
    """The text without surrounding blanks, or None when nothing is left (see :func:`_present`)."""
    return (text.strip() or None) if text is not None else None


def _one(wanted: str | None, other: str | None) -> str:
    if (found := _stripped(wanted)) is not None:
        return found
    if (found := _stripped(other)) is not None:
        return f"{MISSING_MARK} {found}"
    return ""


def bilingual(ja: str | None, en: str | None, lang: str) -> str:
    """The text in ``lang`` ("ja", "en" or "both" → "ja / en").

    An empty record (both sides empty) gives "": there is nothing to translate.
    """
    if lang not in _MODES:
        raise ValueError(f"lang must be one of {_MODES}, not {lang!r}")
    if lang == "ja":
        return _one(ja, en)
    if lang == "en":
        return _one(en, ja)
    left, right = _stripped(ja), _stripped(en)
    if left is None and right is None:
        return ""
    return f"{left or MISSING_MARK}{BILINGUAL_SEPARATOR}{right or MISSING_MARK}"


def is_missing(ja: str | None, en: str | None, lang: str = "both") -> bool:
    """True when :func:`bilingual` would show the marker for this record and language."""
    if not _present(ja) and not _present(en):
        return False
    if lang == "ja":
        return not _present(ja)
    if lang == "en":
        return not _present(en)
    return not (_present(ja) and _present(en))


def has_missing_mark(text: str) -> bool:
    """For checks over rendered output (PDF text, UI snapshots)."""
    return MISSING_MARK in text
