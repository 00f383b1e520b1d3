"""The one search engine: the search screen, the command palette, every list filter, every picker
in the forms and ``citynet search`` find records through this module.

**The index.** Every searchable record (city, person, organisation, network, position, event,
session, project) has rows in ``search_term``: each word of each of its names in every folded spelling
(:mod:`citynet.services.fold`: width, case, kana, diacritics, Hepburn, romanised kana), with its
*place*: 0 a whole name (its words joined: ``abeai``, ``佐藤勇人``, ``munster``), 1 a word, 2 the
rest of a word from one of its later characters (so 市長 is found inside マンハイム市長 and
``heim`` inside Mannheim). A row in ``search_doc`` holds its names and words, spaced out as a
query is matched against them, and its place in a Japanese list (五十音順 of its reading) and in
an English one (alphabetical). The single write path
(``services/records.py``) keeps both in step with every create, update, delete and restore.

**A query** is cut and folded by the same rules. Every word of it must match the record (in
any order, across names): a one-character word only a whole word (林, 森); a two-letter Latin
word the start of a word; a longer Latin word, or a Japanese word of two characters or more,
also the inside of one (a romanised kana word reaches no further than its Latin letters allow:
あい reaches inside words, its ``ai`` only their start). The narrowest word reads the candidates
from the index, one range per spelling and kind (``term >= w AND term < w || U+10FFFF``, at most
:data:`BROAD_ROWS` rows each; past a kind with more — a *broad* word, the first letters of many
names — the later kinds are read only for the word whole); the other words are matched against
each candidate's ``search_doc`` row. The same SQL on SQLite and PostgreSQL, so both engines give
the same results; statements are built once per shape of query, with bound parameters.

**Ranking**: a whole name typed in several words first (``abe ai``), then match quality
(summed over the query's words: whole word 0, start of a word — or in Japanese its end, the
head of a compound — 1, inside a word 2), then kind (people, cities, organisations, networks,
posts, events, sessions, projects), then the whole name, then — among the first
:data:`RECENT_WINDOW` — people and cities involved in a session within :data:`RECENT_DAYS` days
(or upcoming), then the order of the list in the reader's language. The total and the total of
each kind come with every page (for a broad query: of the records read).

**Search input is cut to** :data:`MAX_QUERY_LENGTH` **(200) characters**, each word counted once:
a pasted text of 100,000 characters once made SQLite refuse the query and the PostgreSQL driver
its parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
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
RECENT_WINDOW = 60
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
    known: dict[str, list[str]] = {}  # a person's Latin names come in both orders: fold once
    for name in names:
        forms = [known[w] if w in known else known.setdefault(w, word_forms(w))
                 for w in raw_words(name)]
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

    japanese = japanese_sort_text(kind, values)
    return japanese, english_sort_text(kind, values, japanese)


_TERM, _DOC = table_of(m.SearchTerm), table_of(m.SearchDoc)


def _insert_rows(connection: Connection, table: sa.Table, columns: Sequence[str],
                 rows: list[tuple]) -> None:
    """Rows in by the driver itself: PostgreSQL's COPY (an import's 700,000 terms take half the
    time of an executemany), SQLite's executemany."""
    if connection.dialect.name == "postgresql":
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) "
                               f"VALUES ({', '.join([mark] * len(columns))})", rows)


def write_index(connection: Connection, kind: str,
                entries: Iterable[tuple[int, IndexEntry]], *, replace: bool = False) -> None:
    """Store the index rows of these records (``replace``: drop their old rows first), with
    the driver's bulk statements: an import writes a million rows."""
    entries = list(entries)
    if not entries:
        return
    if replace:
        remove_index(connection, kind, [record_id for record_id, _entry in entries])
    # in the index's order: an import's 15,000 terms a batch land on neighbouring pages
    terms = sorted((term, kind, record_id, place) for record_id, entry in entries
                   for term, place in entry.terms.items())
    docs = [(kind, record_id, entry.names, entry.words, entry.sort_ja, entry.sort_en)
            for record_id, entry in entries]
    _insert_rows(connection, _DOC, ("kind", "record_id", "names", "words", "sort_ja", "sort_en"), docs)
    if terms:
        _insert_rows(connection, _TERM, ("term", "kind", "record_id", "place"), terms)


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


# Statements are built once for each *shape* of query (which kinds are read, each spelling's
# reach and script) with the spellings as bound parameters: building SQLAlchemy expressions per
# keystroke would cost more than running them.


def _text(name: str) -> sa.BindParameter[str]:
    return sa.bindparam(name, type_=m.SORT_KEY_TYPE)


@dataclass(frozen=True)
class _Spelling:
    """One spelling of a query word as a statement sees it: parameters, reach, script."""

    name: str  # the parameter holding the spelling ("d0", "o1s0"); name + "_end" ends its range
    reach: str
    latin: bool

    @property
    def form(self) -> sa.BindParameter[str]:
        return _text(self.name)

    @property
    def end(self) -> sa.BindParameter[str]:
        return _text(self.name + "_end")


def _spellings(prefix: str, word: QueryWord) -> tuple[_Spelling, ...]:
    return tuple(_Spelling(f"{prefix}s{n}", reach, is_latin_word(form))
                 for n, (form, reach) in enumerate(zip(word.forms, word.reaches)))


def _params(prefix: str, word: QueryWord) -> dict[str, str]:
    params = {}
    for n, form in enumerate(word.forms):
        params[f"{prefix}s{n}"], params[f"{prefix}s{n}_end"] = form, form + _TOP
    return params


def _reached_where(spelling: _Spelling) -> list[sa.ColumnElement[bool]]:
    """The index range (or term) one spelling reaches."""
    t = _TERM
    if spelling.reach == WHOLE_WORD:
        return [t.c.term == spelling.form, t.c.place <= WORD]
    where = [t.c.term >= spelling.form, t.c.term < spelling.end]
    return where + ([t.c.place <= WORD] if spelling.reach == START else [])


def _term_rows(spelling: _Spelling, kind: str) -> sa.Select:
    """The index rows of ``kind`` one spelling reaches, in index order (one range of the key
    (kind, term, record_id): the same order on every engine), each with the quality of the match
    it stands for (the rule of :func:`_quality`) and whether it is the whole name typed."""
    t, form = _TERM, spelling.form
    head = (t.c.term == form) if not spelling.latin and spelling.reach == ANYWHERE else sa.false()
    quality = sa.case((sa.and_(t.c.term == form, t.c.place <= WORD), 0),
                      (sa.or_(t.c.place <= WORD, head), 1), else_=2)
    whole = sa.case((sa.and_(t.c.term == form, t.c.place == WHOLE), 1), else_=0)
    return (sa.select(t.c.kind, t.c.record_id, quality.label("quality"), whole.label("whole"))
            .where(t.c.kind == kind, *_reached_where(spelling)).order_by(t.c.term, t.c.record_id))


def _exact_rows(spellings: tuple[_Spelling, ...], kind: str) -> sa.Select:
    """The first index rows of ``kind`` holding a spelling as a whole word or name (quality 0)."""
    t = _TERM
    whole = sa.case((t.c.place == WHOLE, 1), else_=0)
    return (sa.select(t.c.kind, t.c.record_id, sa.literal(0).label("quality"), whole.label("whole"))
            .where(t.c.kind == kind, t.c.place <= WORD,
                   sa.or_(*(t.c.term == s.form for s in spellings)))
            .order_by(t.c.term, t.c.record_id).limit(BROAD_ROWS).subquery().select())


# A query word reaching more index rows than this in one kind is *broad* (the first letters of
# many names): a search reads its first rows only, in the index's order.
BROAD_ROWS = 500


def _rows_reached(connection: Connection, word: QueryWord, kinds: Sequence[str]) -> dict[str, int]:
    """For each kind, the most index rows one spelling of the word reaches there (each read up
    to its first BROAD_ROWS), counted up to ``BROAD_ROWS + 1`` (one statement)."""
    statement = _count_statement(tuple(kinds), _spellings("d", word))
    counted: dict[str, int] = dict.fromkeys(kinds, 0)
    for kind, rows in connection.execute(statement, _params("d", word)):
        counted[kind] = max(counted[kind], rows)
    return counted


@lru_cache(maxsize=256)
def _count_statement(kinds: tuple[str, ...], spellings: tuple[_Spelling, ...]) -> sa.CompoundSelect:
    t = _TERM
    counts = []
    for kind in kinds:
        for spelling in spellings:
            capped = (sa.select(sa.literal(1).label("one"))
                      .where(t.c.kind == kind, *_reached_where(spelling))
                      .limit(BROAD_ROWS + 1).subquery())
            counts.append(sa.select(sa.literal(kind).label("kind"),
                                    sa.select(sa.func.count()).select_from(capped)
                                    .scalar_subquery().label("rows")))
    return sa.union_all(*counts)


def _position(dialect: str):
    """``position of needle in haystack`` (0: absent): instr on SQLite, strpos on PostgreSQL."""
    name = "instr" if dialect == "sqlite" else "strpos"
    return lambda haystack, needle: getattr(sa.func, name)(haystack, needle)


def _quality(spellings: tuple[_Spelling, ...], dialect: str) -> sa.ColumnElement[Any]:
    """How well a record (its ``search_doc`` row) matches a query word: 0 a whole word or name,
    1 the start of one (or, in Japanese, its end: the head of a compound, 市長 in マンハイム市長),
    2 inside a word; NULL: not at all. :func:`quality_in` is the same rule in memory."""
    position, doc = _position(dialect), _DOC
    space = sa.literal(" ")

    def anyof(needles: list[tuple[Any, Any]]) -> sa.ColumnElement[bool]:
        return sa.or_(*(position(column, needle) > 0 for column, needle in needles))

    both = (doc.c.words, doc.c.names)
    whens = [(anyof([(c, space + s.form + space) for s in spellings for c in both]), 0)]
    start = [(c, space + s.form) for s in spellings if s.reach != WHOLE_WORD for c in both]
    start += [(doc.c.words, s.form + space) for s in spellings
              if s.reach == ANYWHERE and not s.latin]
    if start:
        whens.append((anyof(start), 1))
    inside = [(doc.c.words, s.form) for s in spellings if s.reach == ANYWHERE]
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
class _Shape:
    read: tuple[str, ...]  # the kinds whose first index rows the narrowest word reads
    unread: tuple[str, ...]  # the kinds after a broad one: read only for whole words
    driver: tuple[_Spelling, ...]  # the narrowest word's spellings
    others: tuple[tuple[_Spelling, ...], ...]  # the other words' spellings
    dialect: str


@dataclass(frozen=True)
class Match:
    """How the records matching a query are found and scored: statements' parts with the query's
    spellings as bound parameters (``params``; pass them to ``execute``).

    ``reached`` holds, per record the query's narrowest word reaches — kind after kind, the first
    BROAD_ROWS index rows of each — the quality of its best match for that word (``quality``) and
    whether one of its whole names is that word (``whole``). The other words are matched against
    ``search_doc`` (``others``: a quality each, NULL when absent)."""

    words: list[QueryWord]
    reached: sa.Subquery  # kind, record_id, quality, whole
    others: tuple[sa.ColumnElement[Any], ...]  # on search_doc: each other word's quality or NULL
    # a kind read only in part (the kinds after it read only for whole words): not every match
    # is reached
    broad: bool
    params: dict[str, str] = field(default_factory=dict)
    shape: _Shape | None = None

    @property
    def matches(self) -> sa.ColumnElement[bool]:
        """On search_doc joined with ``reached``: the record matches every other word."""
        return sa.and_(sa.true(), *(q.is_not(None) for q in self.others))

    @property
    def score(self) -> sa.ColumnElement[Any]:
        """The summed quality of the record's matches (lower is better)."""
        return sum(self.others, self.reached.c.quality)


@lru_cache(maxsize=256)
def _parts(shape: _Shape) -> tuple[sa.Subquery, tuple[sa.ColumnElement[Any], ...]]:
    read: list[sa.Select] = [
        sa.select(_TERM.c.kind, _TERM.c.record_id, sa.literal(0).label("quality"),
                  sa.literal(0).label("whole")).where(sa.false())]
    for kind in shape.read:
        read += [_term_rows(s, kind).limit(BROAD_ROWS).subquery().select() for s in shape.driver]
    read += [_exact_rows(shape.driver, kind) for kind in shape.unread]
    rows = sa.union_all(*read).subquery("rows_read")
    reached = (sa.select(rows.c.kind, rows.c.record_id, sa.func.min(rows.c.quality).label("quality"),
                         sa.func.max(rows.c.whole).label("whole"))
               .group_by(rows.c.kind, rows.c.record_id).subquery("reached"))
    return reached, tuple(_quality(other, shape.dialect) for other in shape.others)


def _narrowness(word: QueryWord) -> tuple:
    """Which word of a query reads the candidates: one that reaches inside words before one that
    reaches their start only, before a whole word of one character; then the longest (the
    fewest names hold it); then the first."""
    strictness = max(_STRICTNESS.index(reach) for reach in word.reaches)
    return (-strictness, -max(len(form) for form in word.forms))


def match(connection: Connection, query: str | None,
          kinds: Sequence[str] | None = None) -> Match | None:
    """The plan for finding the records (of ``kinds``) matching ``query``; None for an empty
    query (a query of punctuation only matches nothing).

    The narrowest word (:func:`_narrowness`) reads the candidates: its index rows are counted per
    kind (up to BROAD_ROWS + 1), then read kind after kind in rank order, the first BROAD_ROWS
    rows of each; after a kind with more rows than that (a broad word: the first letters of many
    names) the later kinds are read only for records holding the word whole (they rank below
    the broad kind's records otherwise)."""
    words = query_words(query)
    dialect = connection.dialect.name
    if not words:
        if not (query or "").strip():
            return None
        # Typed, but not one letter or digit (%%%, ・・・): no name holds it.
        empty = _Shape((), (), (), (), dialect)
        reached, _others = _parts(empty)
        return Match([], reached, (), False, {}, empty)
    kinds = [k for k in SEARCH_KINDS if kinds is None or k in kinds]
    narrowest = min(range(len(words)), key=lambda n: _narrowness(words[n]))
    driver = words[narrowest]
    per_kind = _rows_reached(connection, driver, kinds)
    read: list[str] = []
    unread: list[str] = []
    for number, kind in enumerate(kinds):
        if per_kind[kind]:
            read.append(kind)
        if per_kind[kind] > BROAD_ROWS:
            unread = kinds[number + 1:]
            break
    others = [(n, w) for n, w in enumerate(words) if n != narrowest]
    shape = _Shape(tuple(read), tuple(unread), _spellings("d", driver),
                   tuple(_spellings(f"o{n}", w) for n, w in others), dialect)
    params = _params("d", driver)
    for n, word in others:
        params |= _params(f"o{n}", word)
    reached, qualities = _parts(shape)
    return Match(words, reached, qualities, bool(unread) or any(
        count > BROAD_ROWS for count in per_kind.values()), params, shape)


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
    several = len(found.words) > 1
    params: dict[str, Any] = dict(found.params)
    names = whole_names(found.words) if several else []
    params |= {f"whole{n}": f" {name} " for n, name in enumerate(names)}
    since = (today or datetime.now(timezone.utc).date()) - timedelta(days=RECENT_DAYS)
    params |= {"since_day": since, "window": max(offset + limit, RECENT_WINDOW),
               "since": datetime.combine(since, datetime.min.time(), timezone.utc)}
    assert found.shape is not None  # match() always gives one
    statement = _rank_statement(found.shape, len(names), lang or language_order())
    rows = connection.execute(statement, params).all()
    counts = {row.kind: row.of_kind for row in rows if row.of_kind is not None}
    rows = [row for row in rows if row.of_kind is None]
    if not rows:
        return Ranked((), 0, {}, found.broad)
    rows.sort(key=lambda r: (-r.whole if several else 0, r.score, KIND_RANK[r.kind], -r.whole,
                             r.sort, r.record_id))  # the order of ``first``, code point by code point
    # Among the first RECENT_WINDOW, people and cities involved lately go first (a stable sort
    # keeps the order otherwise).
    ranked = sorted(enumerate(rows), key=lambda item: (
        -item[1].whole if several else 0, item[1].score, KIND_RANK[item[1].kind], -item[1].whole,
        not (item[1].recent and item[0] < RECENT_WINDOW)))
    ordered = [row for _number, row in ranked]
    hits = tuple(Found(r.kind, r.record_id, r.score, bool(r.whole))
                 for r in ordered[offset:offset + limit])
    return Ranked(hits, sum(counts.values()), counts, found.broad)


@lru_cache(maxsize=256)
def _rank_statement(shape: _Shape, names: int, lang: str) -> sa.CompoundSelect:
    """The ranking of :func:`rank` for one shape of query: the first ``:window`` records by
    (whole name typed in several words, score, kind, whole name, list order in ``lang``), each
    with whether it was involved lately, and one row per kind with that kind's number of hits."""
    reached, others = _parts(shape)
    doc = _DOC
    sort = doc.c.sort_ja if lang == "ja" else doc.c.sort_en
    several = len(shape.others) > 0
    if several:  # the query's words joined: one of the record's whole names
        position = _position(shape.dialect)
        whole: sa.ColumnElement[Any] = sa.case((sa.or_(*(
            position(doc.c.names, _text(f"whole{n}")) > 0 for n in range(names))), 1), else_=0)
    else:
        whole = reached.c.whole
    # Scored once (MATERIALIZED: neither engine computes a record's matches twice), counted per
    # kind, then the window sorted.
    score = sum(others, reached.c.quality)
    scored = (sa.select(doc.c.kind, doc.c.record_id, score.label("score"), whole.label("whole"),
                        sort.label("sort"))
              .join(reached, sa.and_(reached.c.kind == doc.c.kind,
                                     reached.c.record_id == doc.c.record_id))
              .where(sa.true(), *(q.is_not(None) for q in others))
              .cte("scored").prefix_with("MATERIALIZED"))
    totals = (sa.select(scored.c.kind, sa.func.count().label("of_kind"))
              .group_by(scored.c.kind).cte("totals"))
    # A whole name typed in full in several words (abe ai, high-level talks) goes first; one word
    # that is also a whole name (sato: a city) does not put that kind above the others.
    order = ([scored.c.whole.desc()] if several else []) + [
        scored.c.score, sa.case(KIND_RANK, value=scored.c.kind), scored.c.whole.desc(),
        scored.c.sort, scored.c.record_id]
    first = (sa.select(scored.c.kind, scored.c.record_id, scored.c.score, scored.c.whole,
                       scored.c.sort)
             .order_by(*order).limit(sa.bindparam("window", type_=sa.Integer)).subquery("first"))
    recent = sa.case((_recently_involved(first.c.kind, first.c.record_id), 1), else_=0)
    return sa.union_all(
        sa.select(first, recent.label("recent"), sa.cast(sa.null(), sa.Integer).label("of_kind")),
        sa.select(totals.c.kind, *(sa.cast(sa.null(), sa.Integer) for _ in range(3)),
                  sa.cast(sa.null(), m.SORT_KEY_TYPE), sa.cast(sa.null(), sa.Integer),
                  totals.c.of_kind))


def whole_names(words: list[QueryWord]) -> list[str]:
    """The query's words joined, as a whole name is stored (``abe ai`` → ``abeai``)."""
    return list(dict.fromkeys(["".join(w.forms[0] for w in words),
                               "".join(w.forms[-1] for w in words)]))


def _recently_involved(kind: Any, record_id: Any) -> sa.ColumnElement[bool]:
    """Whether the person or city (``kind``, ``record_id``) took part in a session on or after
    the parameter ``since_day`` / ``since`` (or upcoming): a person as participant or as the holder
    of a post taking part; a city as the venue of the session's event."""
    s, p, pos, ev = (table_of(m.Session), table_of(m.SessionParticipant), table_of(m.Position),
                     table_of(m.Event))
    recent = sa.or_(s.c.day >= sa.bindparam("since_day", type_=sa.Date),
                    s.c.starts_at >= sa.bindparam("since", type_=s.c.starts_at.type))
    direct = sa.exists().where(p.c.person_id == record_id, s.c.id == p.c.session_id, recent)
    held = sa.exists().where(pos.c.person_id == record_id, p.c.position_id == pos.c.id,
                             s.c.id == p.c.session_id, recent)
    venue = sa.exists().where(ev.c.city_id == record_id, s.c.event_id == ev.c.id, recent)
    return sa.or_(sa.and_(kind == "person", sa.or_(direct, held)),
                  sa.and_(kind == "city", venue))


__all__ = ["SEARCH_KINDS", "NAMES", "MAX_QUERY_LENGTH", "BROAD_ROWS", "IndexEntry", "index_entry",
           "write_index", "remove_index", "index_fields", "rebuild_index", "QueryWord",
           "query_words", "quality_in", "spellings", "spaced", "Match", "match", "reached_by", "Found", "Ranked", "rank",
           "language_order", "to_hiragana"]
