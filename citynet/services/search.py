"""Search by name over one indexed, normalised column per table (``search_key``).

``search_key_for`` puts every name of a record (Japanese, English, kana reading, katakana, Latin
names, abbreviation, slug) through ``normalise_query`` — NFKC (full-width letters and digits,
half-width katakana), casefold, katakana → hiragana — and joins them with spaces. A query goes
through the same function, so ＳＡＩＴＡＭＡ, saitama, サイタマ and さいたま all meet. The store
then compares one plain column with ``LIKE '%word%'`` (``instr`` on SQLite): no functions over
name columns, no OR across them.

Writers keep the key current: ``services/records.py`` on every create and update, the demo loader,
the dump restore (always recomputed, so a dump never carries a stale key) and migration 0002
(which keeps a frozen copy of these rules for existing rows).

**Search input is cut to** :data:`MAX_QUERY_LENGTH` **(200) characters** after normalising, and
each word counts once: nobody types a name that long, and a pasted text of 100,000 characters made
SQLite refuse the query ("LIKE or GLOB pattern too complex", "Expression tree is too large") and
PostgreSQL's driver refuse its parameters ("number of parameters must be between 0 and 65535"). Every entry point (the list filter and the
pickers through :func:`terms_clause`, the search across kinds through :func:`search_records`)
reads its words through :func:`query_words`.

``person_sort_key`` is the people list's 五十音順 as one stored, indexed text (``person.sort_key``),
kept current by the same writers (migration 0003 fills existing rows).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from citynet.services.readmodel import city_label, person_label
from citynet.services.views import BiText
from citynet.store import models as m

# The names that make each searchable table's key, in order.
KEY_FIELDS: dict[type, tuple[str, ...]] = {
    m.City: ("name_ja", "name_en", "name_kana", "slug"),
    m.Organisation: ("name_ja", "name_en", "name_kana", "abbreviation", "slug"),
    m.Network: ("name_ja", "name_en", "slug"),
    m.Person: ("family_name_ja", "given_name_ja", "family_name_latin", "given_name_latin",
               "name_kana", "name_katakana", "slug"),
    m.Event: ("title_ja", "title_en", "slug"),
    m.Session: ("title_ja", "title_en", "slug"),
}
# A Japanese name is often typed without the space between family and given name (清水勇人,
# しみずはやと): the key also holds these names joined.
JOINED_FIELDS: dict[type, tuple[tuple[str, ...], ...]] = {
    m.Person: (("family_name_ja", "given_name_ja"), ("name_kana",), ("name_katakana",)),
}

SEARCH_KINDS: dict[str, type[Any]] = {
    "city": m.City, "person": m.Person, "organisation": m.Organisation, "network": m.Network,
    "event": m.Event, "session": m.Session,
}


# ァ (U+30A1) … ヶ (U+30F6) sit 0x60 above ぁ … ゖ; ー and ・ have no hiragana and stay.
_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def _to_hiragana(text: str) -> str:
    return text.translate(_HIRAGANA)


# The longest search input read, in characters after normalising; the rest is not read.
MAX_QUERY_LENGTH = 200


def query_words(query: str | None, normalise=None) -> list[str]:
    """The words of a search input, each once, from its first :data:`MAX_QUERY_LENGTH`
    characters after ``normalise`` (:func:`normalise_query` unless given)."""
    text = (normalise or normalise_query)(query)[:MAX_QUERY_LENGTH]
    return list(dict.fromkeys(text.split()))


def normalise_query(text: str | None) -> str:
    """NFKC + casefold + katakana → hiragana, whitespace collapsed to single spaces."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_to_hiragana(folded).split())


def search_key_for(model: type, values: dict) -> str:
    """The search key of a record of ``model`` with these column values."""
    parts: list[str] = []
    for name in KEY_FIELDS[model]:
        parts.append(normalise_query(values.get(name)))
    for group in JOINED_FIELDS.get(model, ()):
        joined = "".join(normalise_query(values.get(name)).replace(" ", "") for name in group)
        parts.append(joined)
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return " ".join(seen)


# --- 五十音順 as a stored key ----------------------------------------------------------------------

SORT_SEPARATOR = "\x01"  # below every character a key part can hold (see _sort_text)


def _sort_text(text: str) -> str:
    """``text`` with U+0000–U+0002 escaped as U+0002 + a printable, so that SORT_SEPARATOR sorts
    below every encoded character and the code-point order of the text is kept."""
    return "".join("\x02" + chr(ord(c) + 0x20) if c < "\x03" else c for c in text)


def latin_sort_text(text: str | None) -> str:
    """König sorts as konig (accents second), case ignored."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def person_sort_key(values: dict) -> str:
    """The person's place in the people list as text whose code-point order (SQLite BINARY,
    PostgreSQL ``COLLATE "C"``, Python ``str``) is the list order:

    people with a reading first, in 五十音順 (``citynet.i18n.names.kana_sort_key``: base kana,
    then voicing, then small/long marks, then hiragana before katakana), then by Latin family
    and given name (accents and case ignored); people without a reading after them, by Latin
    family and given name. Ties are left to the caller (``ORDER BY sort_key, id``).
    """
    from citynet.i18n.names import kana_sort_key

    reading = (values.get("name_kana") or "").strip()
    if reading:
        primary, secondary, tertiary, quaternary = kana_sort_key(reading)
        # The three later levels have one digit per character of ``primary``: when the primaries
        # are equal the digit strings are of equal length and compare as the tuples do.
        head = SORT_SEPARATOR.join(["0" + _sort_text(primary),
                                    *("".join(map(str, level))
                                      for level in (secondary, tertiary, quaternary))])
    else:
        head = "1"
    return SORT_SEPARATOR.join([head, _sort_text(latin_sort_text(values.get("family_name_latin"))),
                                _sort_text(latin_sort_text(values.get("given_name_latin")))])


def has_search_key(model: type) -> bool:
    return model in KEY_FIELDS


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- the list filter: LIKE over the name columns -------------------------------------------------


def search_key(text: str | None) -> str:
    """NFKC + casefold: 'ＳＡＩＴＡＭＡ' and 'saitama' give the same key; full-width digits too."""
    return unicodedata.normalize("NFKC", text or "").casefold().strip()


def _to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def _variants(term: str) -> set[str]:
    """The term, and its other kana spelling when it has kana (いとう ↔ イトウ)."""
    return {term, _to_katakana(term), _to_hiragana(term)}


def terms_clause(query: str | None, columns: Sequence[Any]) -> sa.ColumnElement[bool] | None:
    """Every word of the query must occur in one of the columns (any kana spelling); None for
    an empty query.

    The paged lists and the pickers filter with this (their rows come in list order, which the
    ``search_key`` ranking of :func:`search_records` would not keep). LIKE with a leading wildcard
    scans the table (about 30 ms per 100k rows on SQLite); stored text is compared as typed,
    lower-cased by the database.
    """
    terms = query_words(query, search_key)
    if not terms:
        return None
    clauses = []
    for term in terms:
        ors = [sa.func.lower(column).like(f"%{_escape_like(v)}%", escape="\\")
               for v in _variants(term) for column in columns]
        clauses.append(sa.or_(*ors))
    return sa.and_(*clauses)


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "city", "person", "organisation", "network", "event", "session"
    id: int
    slug: str
    label_ja: str | None
    label_en: str | None


def _labels(kind: str, row: Any) -> tuple[str | None, str | None]:
    if kind == "person":
        label = person_label(row)
    elif kind == "city":
        label = city_label(row)
    elif kind in ("event", "session"):
        label = BiText(row.title_ja, row.title_en)
    else:
        label = BiText(row.name_ja, row.name_en)
    return label.ja, label.en


def _label_columns(model: Any) -> list[Any]:
    t = model.__table__
    if model is m.Person:
        return [t.c.family_name_ja, t.c.given_name_ja, t.c.given_name_latin, t.c.family_name_latin,
                t.c.name_order, t.c.name_katakana]
    if model in (m.Event, m.Session):
        return [t.c.title_ja, t.c.title_en]
    return [t.c.name_ja, t.c.name_en]


def search_records(engine: Engine, query: str, *, kinds=None, limit: int = 20,
                   offset: int = 0) -> list[SearchResult]:
    """Records whose names contain every word of ``query`` (any script, width or case).

    Order: records where the first word starts a name (prefix of a key word) before records that
    merely contain it; then by kind (city, person, organisation, network, event, session); then
    by search key and id. ``offset`` pages through that order.
    """
    words = query_words(query)
    if not words or limit <= 0:
        return []
    wanted = list(SEARCH_KINDS) if kinds is None else [k for k in SEARCH_KINDS if k in kinds]
    enough = offset + limit
    found: list[tuple] = []
    with engine.connect() as connection:
        contains = _contains_for(connection.dialect.name)
        for order, kind in enumerate(wanted):
            model = SEARCH_KINDS[kind]
            t = model.__table__
            key = t.c.search_key
            # First word at the start of a name: the key starts with it or has it after a space.
            prefix = sa.or_(contains(sa.literal(" ") + key, " " + words[0]))
            rank = sa.case((prefix, 0), else_=1).label("rank")
            # Only id and key: SQLite answers from the search_key index alone (covering scan).
            hits = connection.execute(
                sa.select(t.c.id, key, rank).where(*[contains(key, w) for w in words])
                .order_by(rank, key, t.c.id).limit(enough)).all()
            if not hits:
                continue
            labels = {row.id: row for row in connection.execute(
                sa.select(t.c.id, t.c.slug, *_label_columns(model))
                .where(t.c.id.in_([hit.id for hit in hits])))}
            for hit in hits:
                row = labels[hit.id]
                ja, en = _labels(kind, row)
                found.append((hit.rank, order, hit.search_key, hit.id,
                              SearchResult(kind, hit.id, row.slug, ja, en)))
    found.sort(key=lambda item: item[:4])
    return [item[4] for item in found[offset:enough]]


def _contains_for(dialect: str):
    """``text contains word`` for already-normalised text: ``instr`` on SQLite (exact and much
    cheaper than its ASCII-folding LIKE), ``LIKE '%word%'`` with % and _ escaped elsewhere."""
    if dialect == "sqlite":
        return lambda column, word: sa.func.instr(column, word) > 0
    return lambda column, word: column.like(f"%{_escape_like(word)}%", escape="\\")
