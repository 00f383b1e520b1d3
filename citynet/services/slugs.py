"""Slugs from names: the suggestion a form and an import make when no slug is given."""

from __future__ import annotations

import re
import unicodedata


def suggest_slug(*texts: str | None) -> str | None:
    """A slug from the first text with Latin letters or digits ("Baku City" → "baku-city")."""
    for text in texts:
        if not text:
            continue
        ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:70].strip("-")
        if slug:
            return slug
    return None


__all__ = ["suggest_slug"]
