"""The one search engine: the search screen, the command palette, every list filter, every picker
in the forms and ``citynet search`` find records through this module.

**The index.** Every searchable record (city, person, organisation, network, position, event,
session, project) has rows in ``search_term``: each word of each of its names in every folded spelling
(:mod:`citynet.services.fold`: width, case, kana, diacritics, Hepburn, romanised kana), with its
*place*: 0 a whole name (its words joined: ``abeai``, ``佐藤勇人``, ``munster``), 1 a word, 2 the
rest of a word from one of its later characters (so 市長 is found inside マンハイム市長 and
``heim`` inside Mannheim). A row in ``search_doc`` holds the record's place in a Japanese list
(五十音順 of its reading) and in an English one (alphabetical). The single write path
(``services/records.py``) keeps both in step with every create, update, delete and restore.

**A query** is cut and folded by the same rules. Every word of it must match one term of the
record (in any order, across names): a one-character word only a whole word (林, 森), a
two-letter Latin or one-character Japanese word the start of a word, anything longer also the
inside of one. Each is one index range (``term >= w AND term < w || U+10FFFF``), the same SQL on
SQLite and PostgreSQL, so both engines give the same results.

**Ranking**: match quality first (summed over the query's words: whole word 0, start of a word 1,
inside a word 2), then kind (people, cities, organisations, networks, posts, events, sessions),
then the whole name typed, then — among the best :data:`RECENT_WINDOW` — people and cities
involved in a session within :data:`RECENT_DAYS` days (or upcoming), then the order of the list
in the reader's language. The total and the total of each kind come with every page.

**Search input is cut to** :data:`MAX_QUERY_LENGTH` **(200) characters**, each word counted once:
a pasted text of 100,000 characters once made SQLite refuse the query and the PostgreSQL driver
its parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from citynet.services.fold import is_latin_word, raw_words, to_hiragana, word_forms
from citynet.services.tables import table_of
from citynet.store import models as m

# Kinds in the order their hits rank when the match is as good.
SEARCH_KINDS: dict[str, Any] = {
    "person": m.Person, "city": m.City, "organisation": m.Organisation, "network": m.Network,
    "position": m.Position, "event": m.Event, "session": m.Session, "project": m.Project,
}
KIND_RANK = {kind: rank for rank, kind in enumerate(SEARCH_KINDS)}

# Each whole name of a record: the fields whose words, joined, make it.
NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "city": (("name_ja",), ("name_en",), ("name_kana",)),
    "person": (("family_name_ja", "given_name_ja"), ("family_name_latin", "given_name_latin"),
               ("given_name_latin", "family_name_latin"), ("name_kana",), ("name_katakana",)),
    "organisation": (("name_ja",), ("name_en",), ("name_kana",), ("abbreviation",)),
    "network": (("name_ja",), ("name_en",)),
    "position": (("title_ja",), ("title_en",)),
    "event": (("title_ja",), ("title_en",)),
    "session": (("title_ja",), ("title_en",)),
    "project": (("title_ja",), ("title_en",)),
}
# Names whose initials are also a word: U7 for Urban7, SSCS for Saitama Sustainable City Summit.
INITIALISED = ("organisation", "network", "event", "project")

WHOLE, WORD, INSIDE = 0, 1, 2
MAX_QUERY_LENGTH = 200
RECENT_WINDOW = 100
RECENT_DAYS = 730
_TOP = "\U0010ffff"  # above every character: ``term < w + _TOP`` ends the range of words w…


def _inside_from(form: str) -> int:
    """The shortest part of a word that is matched inside it: three Latin letters, two others."""
    return 3 if is_latin_word(form) else 2


# --- the index -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    terms: dict[str, int]  # term → place (WHOLE, WORD or INSIDE)
    names: str  # the whole names, each between spaces: " abeai aiabe あべあい "
    words: str  # the words, each between spaces: " abe ai あべ あい "
    sort_ja: str
    sort_en: str


def _initials(text: str | None) -> str | None:
    """Urban7 → u7, Saitama Sustainable City Summit → sscs: the first letter of each run of
    letters, each run of digits whole; None for a Japanese name, a single plain word or two."""
    import re

    parts: list[str] = []
    for word in raw_words(text):
        if not is_latin_word(word):
            return None
        parts += [run if run.isdigit() else run[0] for run in re.findall(r"\d+|\D+", word)]
    # Two plain words give two letters that would stand for too much (Saan Association → sa).
    joined = "".join(parts)
    return joined if len(parts) >= 3 or (len(parts) == 2 and any(c.isdigit() for c in joined)) else None


def index_entry(kind: str, values: dict) -> IndexEntry:
    """The index rows of a record of ``kind`` with these column values."""
    names, words = spellings(" ".join(values.get(name) or "" for name in group)
                             for group in NAMES[kind])
    for word in raw_words((values.get("slug") or "").replace("-", " ")):
        words[word_forms(word)[0]] = None
    if kind in INITIALISED:
        for name in ("name_en", "title_en", "name_ja", "title_ja"):
            initials = _initials(values.get(name))
            if initials:
                words[initials] = None
    terms: dict[str, int] = {}
    for word in words:
        for start in range(1, len(word) - _inside_from(word) + 1):
            terms.setdefault(word[start:], INSIDE)
    terms.update(dict.fromkeys(words, WORD))
    terms.update(dict.fromkeys(names, WHOLE))
    return IndexEntry(terms, spaced(names), spaced(words), *_sort_texts(kind, values))


def spellings(names: Iterable[str | None]) -> tuple[dict[str, None], dict[str, None]]:
    """The whole names (each name's words joined, in their first and their last spelling) and
    the words (every spelling) of these names, folded, each once and in order."""
    whole: dict[str, None] = {}
    words: dict[str, None] = {}
    for name in names:
        forms = [word_forms(w) for w in raw_words(name)]
        if forms:
            whole["".join(f[0] for f in forms)] = None
            whole["".join(f[-1] for f in forms)] = None
            words.update(dict.fromkeys(form for spelled in forms for form in spelled))
    return whole, words


def spaced(items: Iterable[str]) -> str:
    """Items as ``search_doc`` holds them: each between spaces."""
    return " " + " ".join(items) + " "


def _sort_texts(kind: str, values: dict) -> tuple[str, str]:
    from citynet.services.ordering import english_sort_text, japanese_sort_text

    return japanese_sort_text(kind, values), english_sort_text(kind, values)


_TERM, _DOC = table_of(m.SearchTerm), table_of(m.SearchDoc)


def _driver_insert(connection: Connection, table: sa.Table, columns: Sequence[str]) -> str:
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    return (f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join([mark] * len(columns))})")


def write_index(connection: Connection, kind: str,
                entries: Iterable[tuple[int, IndexEntry]], *, replace: bool = False) -> None:
    """Store the index rows of these records (``replace``: drop their old rows first). Driver
    level ``executemany``: an import writes a million rows."""
    entries = list(entries)
    if not entries:
        return
    if replace:
        remove_index(connection, kind, [record_id for record_id, _entry in entries])
    terms = [(term, kind, record_id, place) for record_id, entry in entries
             for term, place in entry.terms.items()]
    docs = [(kind, record_id, entry.names, entry.words, entry.sort_ja, entry.sort_en)
            for record_id, entry in entries]
    connection.exec_driver_sql(_driver_insert(connection, _DOC, (
        "kind", "record_id", "names", "words", "sort_ja", "sort_en")), docs)
    if terms:
        connection.exec_driver_sql(_driver_insert(connection, _TERM, ("term", "kind", "record_id",
                                                                      "place")), terms)


def remove_index(connection: Connection, kind: str, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), 5000):
        chunk = list(ids[start:start + 5000])
        connection.execute(sa.delete(_TERM).where(_TERM.c.kind == kind,
                                                  _TERM.c.record_id.in_(chunk)))
        connection.execute(sa.delete(_DOC).where(_DOC.c.kind == kind, _DOC.c.record_id.in_(chunk)))


def index_fields(kind: str) -> tuple[str, ...]:
    """The columns the index of a record of ``kind`` is made from."""
    return tuple(sorted({name for group in NAMES[kind] for name in group} | {"slug"}))


def rebuild_index(connection: Connection, kinds: Iterable[str] | None = None) -> int:
    """Drop and write again the index of every record of these kinds (all by default); the number
    of records indexed. A migration that changes the rules, a restore and the synthetic store
    call it."""
    count = 0
    for kind in kinds or SEARCH_KINDS:
        table = table_of(SEARCH_KINDS[kind])
        connection.execute(sa.delete(_TERM).where(_TERM.c.kind == kind))
        connection.execute(sa.delete(_DOC).where(_DOC.c.kind == kind))
        columns = [table.c.id, *(table.c[name] for name in index_fields(kind))]
        result = connection.execute(sa.select(*columns).order_by(table.c.id)).mappings()
        while batch := result.fetchmany(5000):
            write_index(connection, kind, [(row["id"], index_entry(kind, dict(row))) for row in batch])
            count += len(batch)
    return count


# --- queries --------------------------------------------------------------------------------------

# How much of a word a query word must match: a whole word, the start of a word, or also the
# inside of one.
WHOLE_WORD, START, ANYWHERE = "whole", "start", "anywhere"


@dataclass(frozen=True)
class QueryWord:
    forms: tuple[str, ...]  # its folded spellings; a record matches the word by any of them
    reaches: tuple[str, ...]  # for each spelling: WHOLE_WORD, START or ANYWHERE


def _reach(text: str) -> str:
    """One character: a whole word (林, 森); two Latin letters or fewer than two other
    characters: the start of a word; more: anywhere in a word."""
    if len(text) == 1:
        return WHOLE_WORD
    return START if len(text) < _inside_from(text) else ANYWHERE


_STRICTNESS = (WHOLE_WORD, START, ANYWHERE)


def _reach_of(word: str, form: str) -> str:
    """A spelling reaches no further than the word as typed nor than itself: あい reaches inside
    words, its romanisation ai only their start (not dAIsuke)."""
    return min(_reach(word), _reach(form), key=_STRICTNESS.index)


def query_words(query: str | None) -> list[QueryWord]:
    """The words of a search input, each once, read from its first :data:`MAX_QUERY_LENGTH`
    characters."""
    text = (query or "")[:MAX_QUERY_LENGTH * 2]
    seen: dict[tuple[str, ...], QueryWord] = {}
    length = 0
    for word in raw_words(text):
        if length >= MAX_QUERY_LENGTH:
            break
        word = word[:MAX_QUERY_LENGTH - length]  # a word past the cap is read up to it
        length += len(word) + 1
        forms = tuple(word_forms(word))
        seen.setdefault(forms, QueryWord(forms, tuple(_reach_of(word, f) for f in forms)))
    return list(seen.values())


def _term_rows(form: str, reach: str, kind: str) -> sa.Select:
    """The index rows of ``kind`` one spelling of a query word reaches, in index order (one
    range of the key (kind, term, record_id): the same order on every engine)."""
    t = _TERM
    if reach == WHOLE_WORD:
        where = [t.c.term == form, t.c.place <= WORD]
    else:
        where = [t.c.term >= form, t.c.term < form + _TOP]
        if reach == START:
            where.append(t.c.place <= WORD)
    return (sa.select(t.c.kind, t.c.record_id).where(t.c.kind == kind, *where)
            .order_by(t.c.term, t.c.record_id))


def _exact_rows(word: QueryWord, kinds: Sequence[str]) -> sa.Select:
    """The index rows holding one of the word's spellings as a whole word or name."""
    t = _TERM
    return sa.select(t.c.kind, t.c.record_id).where(
        t.c.kind.in_(list(kinds)), t.c.term.in_(word.forms), t.c.place <= WORD)


# A query word reaching more index rows than this is *broad*: a search reads the records of its
# first rows only (in the index's order), and a list filters in its own order instead.
BROAD_ROWS = 1000


def _rows_reached(connection: Connection, word: QueryWord, kinds: Sequence[str]) -> dict[str, int]:
    """How many index rows of each kind the word reaches, each spelling counted up to
    ``BROAD_ROWS + 1`` (one statement)."""
    counts = []
    for kind in kinds:
        for form, reach in zip(word.forms, word.reaches):
            capped = _term_rows(form, reach, kind).limit(BROAD_ROWS + 1).subquery()
            counts.append(sa.select(sa.literal(kind).label("kind"),
                                    sa.select(sa.func.count()).select_from(capped)
                                    .scalar_subquery().label("rows")))
    reached: dict[str, int] = dict.fromkeys(kinds, 0)
    for kind, rows in connection.execute(sa.union_all(*counts)):
        reached[kind] += rows
    return reached


def _position(dialect: str):
    """``position of needle in haystack`` (0: absent): instr on SQLite, strpos on PostgreSQL."""
    name = "instr" if dialect == "sqlite" else "strpos"
    return lambda haystack, needle: getattr(sa.func, name)(haystack, needle)


def _quality(word: QueryWord, dialect: str) -> sa.ColumnElement[Any]:
    """How well a record (its ``search_doc`` row) matches a query word: 0 a whole word or name,
    1 the start of one (or, in Japanese, its end: the head of a compound, 市長 in マンハイム市長),
    2 inside a word; NULL: not at all. :func:`quality_in` is the same rule in memory."""
    position, doc = _position(dialect), _DOC

    def anyof(needles: list[tuple[Any, str]]) -> sa.ColumnElement[bool]:
        return sa.or_(*(position(column, needle) > 0 for column, needle in needles))

    both = (doc.c.words, doc.c.names)
    forms = list(zip(word.forms, word.reaches))
    whens = [(anyof([(c, f" {f} ") for f, _reach in forms for c in both]), 0)]
    start = [(c, f" {f}") for f, reach in forms if reach != WHOLE_WORD for c in both]
    start += [(doc.c.words, f"{f} ") for f, reach in forms
              if reach == ANYWHERE and not is_latin_word(f)]
    if start:
        whens.append((anyof(start), 1))
    inside = [(doc.c.words, f) for f, reach in forms if reach == ANYWHERE]
    if inside:
        whens.append((anyof(inside), 2))
    return sa.case(*whens, else_=sa.null())


def quality_in(word: QueryWord, names: str, words: str) -> int | None:
    """:func:`_quality` for texts in memory (a fixed list such as the time zones): the same rule,
    on ``names`` and ``words`` spaced as ``search_doc`` holds them."""
    forms = list(zip(word.forms, word.reaches))
    if any(f" {f} " in text for f, _reach in forms for text in (words, names)):
        return 0
    if any(f" {f}" in text for f, reach in forms if reach != WHOLE_WORD for text in (words, names)) \
            or any(f"{f} " in words for f, reach in forms
                   if reach == ANYWHERE and not is_latin_word(f)):
        return 1
    if any(f in words for f, reach in forms if reach == ANYWHERE):
        return 2
    return None


@dataclass(frozen=True)
class Match:
    """How the records matching a query are found (conditions on ``search_doc``)."""

    words: list[QueryWord]
    matches: sa.ColumnElement[bool]  # the record matches every word
    score: sa.ColumnElement[Any]  # the summed quality of its matches (lower is better)
    # (kind, record_id) of the records read: those the query's narrowest word reaches in the
    # first BROAD_ROWS index rows of each kind read, and those holding it as a whole word
    reached: sa.Subquery
    # a kind read only in part, and the kinds after it (in rank order) not read at all: their
    # matches are not all in ``reached``
    broad: bool
    complete: tuple[str, ...]  # the kinds whose every match is in ``reached``


def match(connection: Connection, query: str | None,
          kinds: Sequence[str] | None = None) -> Match | None:
    """The plan for finding the records (of ``kinds``) matching ``query``; None for an empty
    query (a query of punctuation only matches nothing).

    Counts each word's index rows per kind (up to BROAD_ROWS + 1) to pick the narrowest word,
    which reads the candidates: kind after kind in rank order, the first BROAD_ROWS rows of
    each; after a kind with more rows than that (a broad word: the first letters of many names)
    the later kinds are left unread, as they rank below it anyway — except their records holding
    the word whole."""
    words = query_words(query)
    if not words:
        if not (query or "").strip():
            return None
        # Typed, but not one letter or digit (%%%, ・・・): no name holds it.
        nothing = sa.select(_TERM.c.kind, _TERM.c.record_id).where(sa.false()).subquery("reached")
        return Match([], sa.false(), sa.literal(0), nothing, False, ())
    kinds = [k for k in SEARCH_KINDS if kinds is None or k in kinds]
    counted = [(_rows_reached(connection, w, kinds), n) for n, w in enumerate(words)]
    per_kind, narrowest = min(counted, key=lambda item: (sum(item[0].values()), item[1]))
    driver = words[narrowest]
    read: list[sa.Select] = []
    complete: list[str] = []
    for kind in kinds:
        if not per_kind[kind]:
            complete.append(kind)
            continue
        read += [_term_rows(form, reach, kind).limit(BROAD_ROWS).subquery().select()
                 for form, reach in zip(driver.forms, driver.reaches)]
        if per_kind[kind] > BROAD_ROWS:
            break
        complete.append(kind)
    broad = len(complete) < len(kinds)
    if broad:
        read.append(_exact_rows(driver, kinds))
    rows_read = sa.union_all(*read).subquery() if read else _exact_rows(driver, kinds).subquery()
    reached = sa.select(rows_read.c.kind, rows_read.c.record_id).distinct().subquery("reached")
    dialect = connection.dialect.name
    qualities = [_quality(w, dialect) for w in words]
    return Match(words, sa.and_(*(q.is_not(None) for q in qualities)),
                 sum(qualities[1:], qualities[0]), reached, broad, tuple(complete))


def reached_by(found: Match) -> sa.ColumnElement[bool]:
    """``search_doc`` rows among the records ``found.reached`` holds (a subquery evaluated once)."""
    doc, reached = _DOC, found.reached
    return sa.tuple_(doc.c.kind, doc.c.record_id).in_(sa.select(reached.c.kind, reached.c.record_id))


@dataclass(frozen=True)
class Found:
    kind: str
    id: int
    score: int
    whole: bool


@dataclass(frozen=True)
class Ranked:
    found: tuple[Found, ...]
    total: int  # broad: the records among the first index rows read (more match)
    totals: dict[str, int] = field(default_factory=dict)  # kind → number of hits
    broad: bool = False  # more records match than were read: type more to narrow


def language_order() -> str:
    from citynet.i18n import get_language

    return "ja" if get_language() == "ja" else "en"


def rank(connection: Connection, query: str | None, *, kinds: Sequence[str] | None = None,
         limit: int = 40, offset: int = 0, lang: str | None = None,
         today: date | None = None) -> Ranked:
    """The records matching ``query``, best first (see the module's docstring), ``limit`` from
    ``offset``, with the total and the total of each kind (for a broad query: of the records
    its first index rows reach, with ``broad`` set)."""
    found = match(connection, query, kinds)
    if found is None or limit <= 0:
        return Ranked((), 0, {})
    doc, reached = _DOC, found.reached
    sort = doc.c.sort_ja if (lang or language_order()) == "ja" else doc.c.sort_en
    position = _position(connection.dialect.name)
    whole = sa.case((sa.or_(*(position(doc.c.names, f" {name} ") > 0
                              for name in whole_names(found.words))), 1), else_=0)
    scored = (sa.select(doc.c.kind, doc.c.record_id, found.score.label("score"),
                        whole.label("whole"), sort.label("sort"))
              .join(reached, sa.and_(reached.c.kind == doc.c.kind,
                                     reached.c.record_id == doc.c.record_id))
              .where(found.matches).subquery("scored"))
    window = max(offset + limit, RECENT_WINDOW)
    # A whole name typed in full in several words (abe ai, high-level talks) goes first; one word
    # that is also a whole name (sato: a city) does not put that kind above the others.
    order = ([scored.c.whole.desc()] if len(found.words) > 1 else []) + [
        scored.c.score, sa.case(KIND_RANK, value=scored.c.kind), scored.c.whole.desc(),
        scored.c.sort, scored.c.record_id]
    numbered = sa.select(
        scored, sa.func.count().over(partition_by=scored.c.kind).label("of_kind"),
        sa.func.count().over().label("total"),
        sa.func.row_number().over(order_by=order).label("place"),
        sa.func.row_number().over(partition_by=scored.c.kind, order_by=order).label("in_kind"),
    ).subquery("numbered")
    # The window, and the first of each kind (it carries that kind's total).
    rows = connection.execute(
        sa.select(numbered).where(sa.or_(numbered.c.place <= window, numbered.c.in_kind == 1))
        .order_by(numbered.c.place)).all()
    if not rows:
        return Ranked((), 0, {}, found.broad)
    totals = {row.kind: row.of_kind for row in rows}
    rows = [row for row in rows if row.place <= window]
    recent = _recently_involved(connection, rows[:RECENT_WINDOW],
                                today or datetime.now(timezone.utc).date())
    # Among the first RECENT_WINDOW, people and cities involved lately go first (a stable sort
    # keeps the order otherwise).
    several = len(found.words) > 1
    ordered = sorted(rows, key=lambda r: (-r.whole if several else 0, r.score, KIND_RANK[r.kind],
                                          -r.whole, (r.kind, r.record_id) not in recent))
    hits = tuple(Found(r.kind, r.record_id, r.score, bool(r.whole))
                 for r in ordered[offset:offset + limit])
    return Ranked(hits, rows[0].total, totals, found.broad)


def whole_names(words: list[QueryWord]) -> list[str]:
    """The query's words joined, as a whole name is stored (``abe ai`` → ``abeai``)."""
    return list(dict.fromkeys(["".join(w.forms[0] for w in words),
                               "".join(w.forms[-1] for w in words)]))


def _recently_involved(connection: Connection, rows: Sequence[Any], today: date) -> set[tuple[str, int]]:
    """(kind, id) of the people and cities among ``rows`` with a session within
    :data:`RECENT_DAYS` days before ``today`` or later (a person as participant or as the holder
    of a post taking part; a city as the venue of the session's event)."""
    people = [r.record_id for r in rows if r.kind == "person"]
    cities = [r.record_id for r in rows if r.kind == "city"]
    since = today - timedelta(days=RECENT_DAYS)
    s, p, pos, ev = (table_of(m.Session), table_of(m.SessionParticipant), table_of(m.Position),
                     table_of(m.Event))
    recent_session = sa.or_(s.c.day >= since,
                            s.c.starts_at >= datetime.combine(since, datetime.min.time(), timezone.utc))
    found: set[tuple[str, int]] = set()
    if people:
        direct = (sa.select(p.c.person_id).join(s, s.c.id == p.c.session_id)
                  .where(p.c.person_id.in_(people), recent_session))
        held = (sa.select(pos.c.person_id).join(p, p.c.position_id == pos.c.id)
                .join(s, s.c.id == p.c.session_id)
                .where(pos.c.person_id.in_(people), recent_session))
        found |= {("person", row[0]) for row in connection.execute(sa.union(direct, held))}
    if cities:
        venues = (sa.select(ev.c.city_id).join(s, s.c.event_id == ev.c.id)
                  .where(ev.c.city_id.in_(cities), recent_session).distinct())
        found |= {("city", row[0]) for row in connection.execute(venues)}
    return found


__all__ = ["SEARCH_KINDS", "NAMES", "MAX_QUERY_LENGTH", "BROAD_ROWS", "IndexEntry", "index_entry",
           "write_index", "remove_index", "index_fields", "rebuild_index", "QueryWord",
           "query_words", "quality_in", "spellings", "spaced", "Match", "match", "reached_by", "Found", "Ranked", "rank",
           "language_order", "to_hiragana"]
