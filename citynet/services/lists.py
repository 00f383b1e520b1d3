"""Paged lists of records for the terminal UI and the pickers.

Every function runs a fixed number of column selects and returns frozen dataclasses (never ORM
rows). By default people, cities, organisations and networks are listed in the reader's
language's order (Japanese: 五十音順 of the reading; English: alphabetical, see
``services/ordering.py``), on the index ``search_doc (kind, sort, record_id)``; events and
sessions by date, newest first.

A list sorts by any of its columns (:data:`SORTS`, in the order the screen shows them), up or
down. Whatever the sort, a page is read by keyset, never by OFFSET: the sort's keys (never NULL:
a missing value is a fixed first value) and the record id break ties, and the next page is the
rows after the last one's keys (``after``), the page before the rows before the first one's
(``before``); the last page of the whole list is read backwards (``last``). A page deep in a
list costs what the first one does.

A query filters a list through the search engine (:func:`citynet.services.search.match`: the
same matching as the search screen) and keeps the list's order; :class:`ListFilter` narrows it
by country, status, a date range and a network (:data:`FILTERS`: which apply to which list;
a network's events are :func:`citynet.services.readmodel.events_of_network`'s). The first page
(and the last) carries the number of rows the filtered list holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from citynet.services.convert import (
    CITY_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS, city_ref, person_ref,
)
from citynet.services.readmodel import city_label, events_of_network
from citynet.services.search import SEARCH_KINDS, language_order, match, reached_by
from citynet.services.views import BiText, PersonRef
from citynet.services.tables import table_of
from citynet.store import models as m

PAGE_SIZE = 100


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    slug: str
    name: BiText
    abbreviation: str | None
    kind: str
    country: str | None


@dataclass(frozen=True)
class NetworkRow:
    id: int
    slug: str
    name: BiText
    founded: str | None
    members: int


@dataclass(frozen=True)
class PersonRow:
    id: int
    slug: str
    person: PersonRef


@dataclass(frozen=True)
class EventRow:
    id: int
    slug: str
    title: BiText
    kind: str
    status: str
    start_date: date | None
    end_date: date | None
    city: BiText  # the venue city's label (citynet.services.readmodel.city_label)
    timezone: str


@dataclass(frozen=True)
class SessionRow:
    id: int
    slug: str
    title: BiText
    event_title: BiText
    event_slug: str
    day: date | None
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    status: str


# How each list is ordered by default: "reading" (五十音順), "alphabetical" or "date" (newest
# first); "column" for a sort the user chose (the screen names the column).
ORDER_BY_NAME = {"ja": "reading", "en": "alphabetical"}

# The columns a list sorts by, in the order the screen shows its columns. A session's date and
# time are one instant: both sort by it.
SORTS: dict[str, tuple[str, ...]] = {
    "city": ("name", "reading", "country", "timezone"),
    "organisation": ("name", "abbreviation", "kind", "country"),
    "network": ("name", "founded", "members"),
    "person": ("name", "reading", "honorific"),
    "event": ("date", "title", "city", "status"),
    "session": ("date", "date", "title", "event"),
}
# (sort, descending) of a list the user has not sorted
DEFAULT_SORT: dict[str, tuple[str, bool]] = {
    "city": ("name", False), "organisation": ("name", False), "network": ("name", False),
    "person": ("name", False), "event": ("date", True), "session": ("date", True),
}
# The filters each list takes besides text.
FILTERS: dict[str, tuple[str, ...]] = {
    "city": ("country", "network"), "organisation": ("country", "network"), "network": (),
    "person": (), "event": ("country", "status", "dates", "network"),
    "session": ("country", "status", "dates", "network"),
}



@dataclass(frozen=True)
class _Missing:
    """A sort key that may be missing (NULL), kept as the column itself so that its index reads
    the list in order (a date sort stays an index scan); a missing value sorts first going up,
    last going down. Other keys are never NULL (a missing text is "")."""

    column: Any


@dataclass(frozen=True)
class ListFilter:
    """What narrows a list besides its text: a country (ISO code; an event's and a session's is
    the venue city's), a status code, a date range (inclusive; an event that overlaps it, a
    session on a day within it; either end open), a network (id: its member cities and
    organisations, its events and their sessions)."""

    country: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    network: int | None = None

    def active(self) -> bool:
        return any(v is not None for v in (self.country, self.status, self.since, self.until,
                                           self.network))


@dataclass(frozen=True)
class Page:
    rows: tuple[Any, ...]  # CityRef, OrganisationRow, NetworkRow, PersonRow, EventRow or SessionRow
    cursor: object | None  # pass back as ``after`` for the next page; None: no more rows
    total: int | None = None  # the rows of the whole list (filtered): on the first and last page
    order: str = "date"  # see ORDER_BY_NAME
    # a broad query (the first letters of many names): ``total`` counts only the records the
    # search index's first rows reach (citynet.services.search.BROAD_ROWS); more match
    broad: bool = False
    before: object | None = None  # pass back as ``before`` for the page before; None: the first


LIST_KINDS = ("city", "network", "organisation", "person", "event", "session")


def list_page(engine: Engine, kind: str, query: str | None = None, after: Any = None,
              limit: int = PAGE_SIZE, *, sort: str | None = None,
              descending: bool | None = None, filters: ListFilter | None = None,
              before: Any = None, last: bool = False) -> Page:
    """One page of a list, optionally filtered by a search query and :class:`ListFilter`,
    sorted by one of :data:`SORTS` (default: :data:`DEFAULT_SORT`): the first page, the one
    ``after`` or ``before`` a cursor of an earlier page, or the ``last`` page of the list."""
    with engine.connect() as c:
        return page_in(c, kind, query, after, limit, sort=sort, descending=descending,
                       filters=filters, before=before, last=last)


def page_in(c: Connection, kind: str, query: str | None, after: Any, limit: int, *,
            sort: str | None = None, descending: bool | None = None,
            filters: ListFilter | None = None, before: Any = None, last: bool = False) -> Page:
    """:func:`list_page` on an open connection (the pickers and the search reuse it)."""
    default_sort, default_down = DEFAULT_SORT[kind]
    sort = sort or default_sort
    if sort not in SORTS[kind]:
        raise ValueError(f"a {kind} list does not sort by {sort!r}")
    if descending is None:  # the list's own direction, or up for a column the user chose
        descending = default_down and sort == default_sort
    down = descending
    lang = language_order()
    source = _source(kind, lang)
    order = (ORDER_BY_NAME[lang] if sort == "name" and not down
             else "date" if (sort, down) == ("date", True) else "column")
    return _page(c, kind, source, sort, down, query, filters or ListFilter(),
                 after, before, last, limit, order)


@dataclass(frozen=True)
class _Source:
    """A list's select (its columns, joined with its ``search_doc`` row as ``doc``), its id
    column, its sort keys by sort name, the columns its filters test and the row it gives."""

    select: sa.Select
    id_column: Any
    keys: dict[str, tuple[Any, ...]]
    convert: Callable[[Any], Any]
    country: Any = None
    status: Any = None
    day_first: Any = None  # the first and last day a record covers (dates filter)
    day_last: Any = None
    network: Callable[[int], Any] | None = None  # a network id → a condition on the row
    # Joins made only when a sort, a filter or a query needs them (the planner then reads a
    # date-sorted list from its index): name → the select with the join; which each sort
    # and the country filter need ("doc": the record's own search_doc row).
    joins: dict[str, Callable[[sa.Select], sa.Select]] | None = None
    needs: dict[str, tuple[str, ...]] | None = None
    country_needs: tuple[str, ...] = ()


def _doc() -> Any:
    return table_of(m.SearchDoc)


def _name_sort(lang: str, doc: Any = None) -> Any:
    doc = doc if doc is not None else _doc()
    return doc.c.sort_ja if lang == "ja" else doc.c.sort_en


def _joined(select: sa.Select, kind: str, id_column: Any) -> sa.Select:
    doc = _doc()
    return select.join(doc, sa.and_(doc.c.kind == kind, doc.c.record_id == id_column))


def _own_doc(kind: str, id_column: Any) -> dict[str, Any]:
    """The join with the record's own search_doc row, for the sorts by name and a query."""
    return {"joins": {"doc": lambda select: _joined(select, kind, id_column)},
            "needs": {"name": ("doc",), "reading": ("doc",), "title": ("doc",)}}


def _text(*columns: Any) -> Any:
    return sa.func.coalesce(*columns, sa.literal("", sa.String()))


def _rank(column: Any, codes: Sequence[str]) -> Any:
    """A code's place in its vocabulary (the order the vocabulary is written in)."""
    return sa.case({code: n for n, code in enumerate(codes)}, value=column, else_=len(codes))


def country_order(lang: str) -> list[str]:
    """Every country code, in the order of its name in ``lang`` (as the lists show it)."""
    from babel import Locale

    from citynet.i18n.format import country_name

    codes = [c for c in map(str, Locale.parse("en").territories) if len(c) == 2 and c.isalpha()]
    named = []
    for code in codes:
        try:
            named.append((country_name(code, lang), code))
        except ValueError:
            continue
    return [code for _name, code in sorted(named)]


def _country_key(column: Any, lang: str) -> Any:
    """A country code's place in the list of country names (no country first)."""
    return sa.func.coalesce(_rank(column, country_order(lang)), -1)


def _member_of(column: Any, member: Any) -> Callable[[int], Any]:
    def condition(network_id: int) -> Any:
        ms = m.Membership
        return column.in_(sa.select(member).where(col(ms.network_id) == network_id,
                                                  member.is_not(None)))
    return condition


def _city_source(lang: str) -> _Source:
    ct = m.City
    return _Source(sa.select(*CITY_COLUMNS), col(ct.id), {
        "name": (_name_sort(lang),), "reading": (_doc().c.sort_ja,),
        "country": (_country_key(col(ct.country), lang),), "timezone": (col(ct.timezone),),
    }, city_ref, country=col(ct.country),
        network=_member_of(col(ct.id), col(m.Membership.city_id)), **_own_doc("city", col(ct.id)))


def _org_row(r: Any) -> OrganisationRow:
    return OrganisationRow(r.id, r.slug, BiText(r.name_ja, r.name_en), r.abbreviation, r.kind,
                           r.country)


def _org_source(lang: str) -> _Source:
    o = m.Organisation
    return _Source(sa.select(*ORGANISATION_COLUMNS), col(o.id), {
        "name": (_name_sort(lang),), "abbreviation": (_text(col(o.abbreviation)),),
        "kind": (_rank(col(o.kind), m.ORGANISATION_KINDS),),
        "country": (_country_key(col(o.country), lang),),
    }, _org_row, country=col(o.country),
        network=_member_of(col(o.id), col(m.Membership.organisation_id)),
        **_own_doc("organisation", col(o.id)))


def _network_source(lang: str) -> _Source:
    n, ms = m.Network, m.Membership
    members = (sa.select(sa.func.count(col(ms.id))).where(col(ms.network_id) == col(n.id))
               .scalar_subquery())
    select = _joined(sa.select(col(n.id), col(n.slug), col(n.name_ja), col(n.name_en),
                               col(n.founded), members.label("members")), "network", col(n.id))
    return _Source(select, col(n.id), {
        "name": (_name_sort(lang),), "founded": (_text(col(n.founded)),), "members": (members,),
    }, lambda r: NetworkRow(r.id, r.slug, BiText(r.name_ja, r.name_en), r.founded, r.members))


def _person_source(lang: str) -> _Source:
    p = m.Person
    honorific = (col(p.honorific_ja), col(p.honorific_en))
    return _Source(sa.select(*PERSON_COLUMNS), col(p.id), {
        "name": (_name_sort(lang),), "reading": (_doc().c.sort_ja,),
        "honorific": (_text(*(honorific if lang == "ja" else honorific[::-1])),),
    }, lambda r: PersonRow(r.id, r.slug, person_ref(r)), **_own_doc("person", col(p.id)))


def _network_events(network_id: int) -> Any:
    """The ids of a network's events (the rule of its page and its calendar)."""
    slug = sa.select(col(m.Network.slug)).where(col(m.Network.id) == network_id).scalar_subquery()
    return events_of_network(network_id, slug)  # type: ignore[arg-type]


def _event_source(lang: str) -> _Source:
    ev, ct = m.Event, m.City
    city_doc = _doc().alias("city_doc")
    joins = _own_doc("event", col(ev.id))
    joins["joins"]["city_doc"] = lambda select: select.outerjoin(city_doc, sa.and_(
        city_doc.c.kind == "city", city_doc.c.record_id == col(ev.city_id)))
    joins["needs"]["city"] = ("city_doc",)
    return _Source(event_select(), col(ev.id), {
        "date": (_Missing(col(ev.start_date)),), "title": (_name_sort(lang),),
        "city": (_text(_name_sort(lang, city_doc)),),
        "status": (_rank(col(ev.status), m.EVENT_STATUSES),),
    }, event_row, country=col(ct.country), status=col(ev.status),
        day_first=col(ev.start_date),
        day_last=sa.func.coalesce(col(ev.end_date), col(ev.start_date)),
        network=lambda network_id: col(ev.id).in_(_network_events(network_id)), **joins)


def _session_source(lang: str) -> _Source:
    s, ev, ct = m.Session, m.Event, m.City
    event_doc = _doc().alias("event_doc")
    joins = {
        "doc": lambda select: _joined(select, "session", col(s.id)),
        "city": lambda select: select.outerjoin(ct, col(ct.id) == col(ev.city_id)),
        "event_doc": lambda select: select.join(event_doc, sa.and_(
            event_doc.c.kind == "event", event_doc.c.record_id == col(s.event_id))),
    }
    return _Source(session_select(), col(s.id), {
        "date": (_Missing(col(s.day)), _Missing(col(s.starts_at))), "title": (_name_sort(lang),),
        "event": (_name_sort(lang, event_doc),),
    }, session_row, country=col(ct.country), status=col(s.status), day_first=col(s.day),
        day_last=col(s.day),
        network=lambda network_id: col(s.event_id).in_(_network_events(network_id)),
        joins=joins, needs={"title": ("doc",), "event": ("event_doc",)}, country_needs=("city",))


_SOURCES: dict[str, Callable[[str], _Source]] = {
    "city": _city_source, "organisation": _org_source, "network": _network_source,
    "person": _person_source, "event": _event_source, "session": _session_source,
}


@lru_cache(maxsize=None)
def _source(kind: str, lang: str) -> _Source:
    """A list's source, built once per language: its expressions are immutable, and building
    them (the country sort is a CASE over every country) cost more per keystroke than the
    statements they make (a cities list filter: 20 ms of 24)."""
    return _SOURCES[kind](lang)


def _narrowed(source: _Source, filters: ListFilter) -> list[Any]:
    """The conditions of ``filters`` on ``source``'s rows (those the list takes)."""
    conditions = []
    if filters.country and source.country is not None:
        conditions.append(source.country == filters.country.upper())
    if filters.status and source.status is not None:
        conditions.append(source.status == filters.status)
    if source.day_first is not None:
        if filters.since is not None:
            conditions.append(source.day_last >= filters.since)
        if filters.until is not None:
            conditions.append(source.day_first <= filters.until)
    if filters.network is not None and source.network is not None:
        conditions.append(source.network(filters.network))
    return conditions


def _page(c: Connection, kind: str, source: _Source, sort: str, down: bool,
          query: str | None, filters: ListFilter, after: Any, before: Any, last: bool,
          limit: int, order: str) -> Page:
    keys = source.keys[sort]
    doc = _doc()
    select = source.select
    if source.joins is not None:  # only the joins this page needs
        wanted = set((source.needs or {}).get(sort, ()))
        if query and query.strip():
            wanted.add("doc")
        if filters.country:
            wanted.update(source.country_needs)
        for name, join in source.joins.items():
            if name in wanted:
                select = join(select)
    # A sort by the record's own search_doc row breaks ties by that row's record_id (the same
    # id): the keys and the tie are then the index (kind, sort, record_id), which PostgreSQL
    # seeks for a page deep in the list as SQLite does.
    own_doc = source.joins is None or "doc" in (source.needs or {}).get(sort, ())
    tiebreak = doc.c.record_id if own_doc and sort in ("name", "reading", "title") \
        else source.id_column
    select = select.add_columns(*(
        (key.column if isinstance(key, _Missing) else key).label(f"k{n}")
        for n, key in enumerate(keys)))
    conditions = _narrowed(source, filters)
    if conditions:
        select = select.where(*conditions)
    found = match(c, query, [kind])
    params = found.params if found is not None else {}
    if found is not None:
        select = select.where(found.matches, reached_by(found))
    total = None
    if (after is None and before is None) or last:
        if conditions:
            counted = sa.select(sa.func.count()).select_from(
                select.with_only_columns(source.id_column).subquery())
        elif found is not None:  # every record has its search_doc row: counted there
            counted = (sa.select(sa.func.count()).select_from(doc)
                       .where(doc.c.kind == kind, found.matches, reached_by(found)))
        else:
            counted = sa.select(sa.func.count()).select_from(table_of(SEARCH_KINDS[kind]))
        total = c.execute(counted, params).scalar_one()
    # reading backwards (the page before a cursor, the last page): the opposite order, reversed
    backwards = before is not None or last
    ascending = down == backwards
    columns = [key.column if isinstance(key, _Missing) else key for key in keys]
    if after is not None or before is not None:
        cursor = after if after is not None else before
        select = select.where(_beyond(keys, columns, cursor, tiebreak, ascending))
    missing_order = c.dialect.name != "sqlite"  # SQLite's NULLs already sort first
    ordering = []
    for key, column in zip([*keys, None], [*columns, tiebreak]):
        term = column.asc() if ascending else column.desc()
        if isinstance(key, _Missing) and missing_order:
            term = term.nulls_first() if ascending else term.nulls_last()
        ordering.append(term)
    select = select.order_by(*ordering)
    fetched = c.execute(select.limit(limit + 1), params).all()
    more = len(fetched) > limit
    rows = list(fetched[:limit])
    if backwards:
        rows.reverse()

    def cursor_of(row: Any) -> tuple[Any, ...]:
        return tuple(getattr(row, f"k{n}") for n in range(len(keys))) + (row.id,)

    has_after = (more and not backwards) or (before is not None and bool(rows))
    has_before = (more and backwards) or (after is not None and bool(rows))
    return Page(tuple(source.convert(r) for r in rows),
                cursor_of(rows[-1]) if has_after else None, total, order,
                bool(found and found.broad), cursor_of(rows[0]) if has_before else None)


def _beyond(keys: tuple[Any, ...], columns: list[Any], cursor: tuple[Any, ...], id_column: Any,
            ascending: bool) -> Any:
    """The rows after ``cursor`` (its keys' values, then the record id) in the order of
    ``keys`` (up or down, then the id). Keys never NULL: one row-value comparison, as an index
    seeks it. A key that may be missing (:class:`_Missing`): spelled out key by key, missing
    values first going up and last going down."""

    def bound(column: Any, value: Any) -> Any:
        return sa.bindparam(None, value, type_=column.type)

    values = [*cursor[:-1], int(cursor[-1])]
    columns = [*columns, id_column]
    if not any(isinstance(key, _Missing) for key in keys):
        row = sa.tuple_(*columns)
        limit = sa.tuple_(*(bound(column, value) for column, value in zip(columns, values)))
        return row > limit if ascending else row < limit
    terms = []
    for n, (column, value) in enumerate(zip(columns, values)):
        same = [prior.is_(None) if seen is None else prior == bound(prior, seen)
                for prior, seen in zip(columns[:n], values[:n])]
        if ascending:  # missing first: past a value are greater ones; past a missing one, all
            past = column.is_not(None) if value is None else column > bound(column, value)
        elif value is None:  # missing last: nothing is past a missing value but what ties
            continue
        else:
            past = column < bound(column, value)
            if n < len(keys) and isinstance(keys[n], _Missing):
                past = sa.or_(past, column.is_(None))
        terms.append(sa.and_(*same, past))
    return sa.or_(*terms)


def narrow_choices(engine: Engine, kind: str) -> tuple[list[str], list[tuple[int, BiText]]]:
    """What a list's filters offer: the countries its records have and the networks."""
    countries = filter_countries(engine, kind) if "country" in FILTERS[kind] else []
    networks = filter_networks(engine) if "network" in FILTERS[kind] else []
    return countries, networks


def filter_networks(engine: Engine) -> list[tuple[int, BiText]]:
    """The networks a list can be narrowed to: (id, name), in the reader's language's order."""
    n = m.Network
    with engine.connect() as c:
        rows = c.execute(_joined(sa.select(col(n.id), col(n.name_ja), col(n.name_en)), "network",
                                 col(n.id)).order_by(_name_sort(language_order()), col(n.id)))
        return [(r.id, BiText(r.name_ja, r.name_en)) for r in rows]


def filter_countries(engine: Engine, kind: str) -> list[str]:
    """The country codes a list's records have (an event's and a session's: its venue
    city's), in the order of their names in the reader's language."""
    ct = m.City
    column = col(m.Organisation.country) if kind == "organisation" else col(ct.country)
    with engine.connect() as c:
        found: Any
        if kind in ("event", "session"):
            found = c.execute(sa.select(col(ct.country)).distinct().where(
                col(ct.id).in_(sa.select(col(m.Event.city_id))))).scalars()
        else:
            found = c.execute(sa.select(column).distinct()).scalars()
        present = {code for code in found if code}
    return [code for code in country_order(language_order()) if code in present]


def event_select() -> sa.Select:
    """The columns of an :class:`EventRow`: the event's and its venue city's names."""
    ev, ct = m.Event, m.City
    return (sa.select(col(ev.id), col(ev.slug), col(ev.title_ja), col(ev.title_en), col(ev.kind),
                      col(ev.status), col(ev.start_date), col(ev.end_date), col(ev.timezone),
                      col(ct.name_ja), col(ct.name_en))
            .outerjoin(ct, col(ct.id) == col(ev.city_id)))


def event_row(r: Any) -> EventRow:
    return EventRow(r.id, r.slug, BiText(r.title_ja, r.title_en), r.kind, r.status, r.start_date,
                    r.end_date, city_label(r), r.timezone)


def session_select() -> sa.Select:
    """The columns of a :class:`SessionRow`: the session's and its event's."""
    s, ev = m.Session, m.Event
    return (sa.select(col(s.id), col(s.slug), col(s.title_ja), col(s.title_en), col(s.day),
                      col(s.starts_at), col(s.ends_at), col(s.status), col(ev.timezone),
                      sa.label("event_slug", col(ev.slug)), sa.label("ev_ja", col(ev.title_ja)),
                      sa.label("ev_en", col(ev.title_en)))
            .join(ev, col(ev.id) == col(s.event_id)))


def session_row(r: Any) -> SessionRow:
    return SessionRow(r.id, r.slug, BiText(r.title_ja, r.title_en), BiText(r.ev_ja, r.ev_en),
                      r.event_slug, r.day, r.starts_at, r.ends_at, r.timezone, r.status)


__all__ = ["PAGE_SIZE", "LIST_KINDS", "OrganisationRow", "NetworkRow", "PersonRow", "EventRow",
           "SessionRow", "Page", "ListFilter", "list_page", "page_in", "event_select",
           "event_row", "session_select", "session_row", "ORDER_BY_NAME", "SORTS",
           "DEFAULT_SORT", "FILTERS", "country_order", "filter_networks", "filter_countries",
           "narrow_choices"]
