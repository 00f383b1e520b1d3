"""A city's and a person's label and reference from a row, without the ORM: anything with the
columns' names as attributes (a record, a Core row, a row read by a plain driver).

Kept free of SQLAlchemy so that the dashboard, read at start-up before the ORM is loaded, shares
them with every other screen and document.
"""

from __future__ import annotations

from typing import Any

from citynet.i18n.names import person_display_name
from citynet.services.views import BiText, CityRef, PersonRef, bitext


def person_label(person: Any) -> BiText:
    """A person's name for Japanese (``ja``) and English (``en``) text, from anything with the
    person's name fields (a ``PersonRef``, a row, a record).

    Each side is :func:`citynet.i18n.names.person_display_name` in that language: 清水 勇人 /
    SHIMIZU Hayato, ペーター・クルツ / Peter Kurz. A name is not a translation, so a foreign person
    without a Japanese form has the Latin name on the ``ja`` side; a person without a Latin form
    has no ``en`` side (shown with the missing-translation marker, as the documents do).
    """
    order = person.name_order or "family_first"
    ja = person_display_name(person.family_name_ja, person.given_name_ja, person.family_name_latin,
                             person.given_name_latin, order, "ja", katakana=person.name_katakana)
    en = person_display_name(None, None, person.family_name_latin, person.given_name_latin, order,
                             "en")
    return BiText(ja or None, en or None)


def city_label(city: Any) -> BiText:
    """A city's name in Japanese and English, from anything with ``name_ja`` and ``name_en`` (a
    row, a record); a missing side stays None."""
    return BiText(city.name_ja, city.name_en)


def city_ref(row: Any) -> CityRef:
    return CityRef(row.id, row.slug, city_label(row), row.name_kana, row.country, row.timezone,
                   bool(row.is_home))


def person_ref(row: Any) -> PersonRef:
    return PersonRef(row.id, row.slug, row.family_name_ja, row.given_name_ja, row.family_name_latin,
                     row.given_name_latin, row.name_kana, row.name_katakana, row.name_order,
                     bitext(row, "honorific"))


__all__ = ["city_label", "city_ref", "person_label", "person_ref"]
