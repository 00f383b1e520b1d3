"""Paged lists of records for the terminal UI and the pickers.

Every function runs a fixed number of column selects and returns frozen dataclasses (never ORM
rows). People, cities, organisations and networks are listed in the reader's language's order
(Japanese: 五十音順 of the reading; English: alphabetical, see ``services/ordering.py``), paged by
keyset on the index ``search_doc (kind, sort, record_id)``; events and sessions by date, newest
first, with OFFSET (both columns indexed). A query filters a list through the search engine
(:func:`citynet.services.search.matching_ids`: the same matching as the search screen) and keeps
the list's order. The first page carries the number of rows the list holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from citynet.services.convert import (
    CITY_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS, city_ref, person_ref,
)
from citynet.services.readmodel import city_label
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


# How each list is ordered: "reading" (五十音順), "alphabetical" or "date" (newest first).
ORDER_BY_NAME = {"ja": "reading", "en": "alphabetical"}


@dataclass(frozen=True)
class Page:
    rows: tuple[Any, ...]  # CityRef, OrganisationRow, NetworkRow, PersonRow, EventRow or SessionRow
    cursor: object | None  # pass back as ``after`` for the next page; None: no more rows
    total: int | None = None  # the rows of the whole list (filtered): on the first page only
    order: str = "date"  # see ORDER_BY_NAME
    # a broad query (the first letters of many names): ``total`` counts only the records the
    # search index's first rows reach (citynet.services.search.BROAD_ROWS); more match
    broad: bool = False


LIST_KINDS = ("city", "network", "organisation", "person", "event", "session")


def list_page(engine: Engine, kind: str, query: str | None = None, after: Any = None,
              limit: int = PAGE_SIZE) -> Page:
    """One page of a list, optionally filtered by a search query."""
    with engine.connect() as c:
        return page_in(c, kind, query, after, limit)


def page_in(c: Connection, kind: str, query: str | None, after: Any, limit: int) -> Page:
    """:func:`list_page` on an open connection (the pickers and the search reuse it)."""
    fetch = {"city": _city_page, "organisation": _org_page, "network": _network_page,
             "person": _person_page, "event": _event_page, "session": _session_page}[kind]
    return fetch(c, query, after, limit)


def _filtered(c: Connection, kind: str, select: sa.Select, query: str | None,
              count: bool) -> tuple[sa.Select, dict[str, str], int | None, bool]:
    """The list's select (joined with ``search_doc``) filtered by ``query``, with the parameters
    to run it with; the number of rows it gives (if ``count``); whether the query is broad (then
    the list holds the matches among the records the search index's first rows reach, not every
    match: type more to see all)."""
    doc = table_of(m.SearchDoc)
    found = match(c, query, [kind])
    params = found.params if found is not None else {}
    counted = sa.select(sa.func.count()).select_from(table_of(SEARCH_KINDS[kind]))
    if found is not None:
        select = select.where(found.matches, reached_by(found))
        # every record has its search_doc row: the matches are counted there, without the table
        counted = (sa.select(sa.func.count()).select_from(doc)
                   .where(doc.c.kind == kind, found.matches, reached_by(found)))
    total = c.execute(counted, params).scalar_one() if count else None
    return select, params, total, bool(found and found.broad)


def _by_name(c: Connection, kind: str, select: sa.Select, id_column: Any, query: str | None,
             after: Any, limit: int, convert: Callable[[Any], Any]) -> Page:
    """A page of a list in the reader's language's order (keyset on ``(sort, id)``)."""
    lang = language_order()
    doc = table_of(m.SearchDoc)
    sort = doc.c.sort_ja if lang == "ja" else doc.c.sort_en
    select = select.add_columns(sort.label("list_sort")).join(
        doc, sa.and_(doc.c.kind == kind, doc.c.record_id == id_column))
    select, params, total, broad = _filtered(c, kind, select, query, count=after is None)
    if after is not None:
        key, last_id = after
        select = select.where(sa.tuple_(sort, doc.c.record_id) > sa.tuple_(
            sa.literal(key, m.SORT_KEY_TYPE), sa.literal(int(last_id))))
    # In the order of the index (kind, sort, record_id): a page reads its rows and stops.
    rows = c.execute(select.order_by(sort, doc.c.record_id).limit(limit + 1), params).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(tuple(convert(r) for r in rows),
                (rows[-1].list_sort, rows[-1].id) if more else None, total, ORDER_BY_NAME[lang],
                broad)


def _city_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    return _by_name(c, "city", sa.select(*CITY_COLUMNS), col(m.City.id), query, after, limit,
                    city_ref)


def _org_row(r: Any) -> OrganisationRow:
    return OrganisationRow(r.id, r.slug, BiText(r.name_ja, r.name_en), r.abbreviation, r.kind,
                           r.country)


def _org_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    return _by_name(c, "organisation", sa.select(*ORGANISATION_COLUMNS), col(m.Organisation.id),
                    query, after, limit, _org_row)


def _network_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    n, ms = m.Network, m.Membership
    members = (sa.select(sa.func.count(col(ms.id))).where(col(ms.network_id) == col(n.id))
               .scalar_subquery().label("members"))
    return _by_name(c, "network", sa.select(col(n.id), col(n.slug), col(n.name_ja),
                                            col(n.name_en), col(n.founded), members),
                    col(n.id), query, after, limit,
                    lambda r: NetworkRow(r.id, r.slug, BiText(r.name_ja, r.name_en), r.founded,
                                         r.members))


def _person_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    return _by_name(c, "person", sa.select(*PERSON_COLUMNS), col(m.Person.id), query, after, limit,
                    lambda r: PersonRow(r.id, r.slug, person_ref(r)))


def _offset_page(c: Connection, kind: str, select: sa.Select, id_column: Any,
                 order: Sequence[Any], query: str | None, after: Any, limit: int,
                 convert: Callable[[Any], Any]) -> Page:
    """A page of a list by date, newest first (OFFSET)."""
    offset = int(after or 0)
    doc = table_of(m.SearchDoc)
    select = select.join(doc, sa.and_(doc.c.kind == kind, doc.c.record_id == id_column))
    select, params, total, broad = _filtered(c, kind, select, query, count=offset == 0)
    rows = c.execute(select.order_by(*order).offset(offset).limit(limit + 1), params).all()
    more = len(rows) > limit
    return Page(tuple(convert(r) for r in rows[:limit]), offset + limit if more else None, total,
                "date", broad)


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


def _event_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    ev = m.Event
    return _offset_page(c, "event", event_select(), col(ev.id),
                        [col(ev.start_date).desc(), col(ev.id).desc()], query, after, limit,
                        event_row)


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


def _session_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    s = m.Session
    return _offset_page(c, "session", session_select(), col(s.id),
                        [col(s.starts_at).desc(), col(s.id).desc()], query, after, limit,
                        session_row)


__all__ = ["PAGE_SIZE", "LIST_KINDS", "OrganisationRow", "NetworkRow", "PersonRow", "EventRow",
           "SessionRow", "Page", "list_page", "page_in", "event_select", "event_row",
           "session_select", "session_row", "ORDER_BY_NAME"]
