"""Paged lists of records for the terminal UI, and the hits of a search across kinds.

Every function runs a fixed number of column selects and returns frozen dataclasses (never ORM
rows). Slugged tables are paged by keyset on ``slug``, people by keyset on ``(sort_key, id)``
(五十音順, indexed), events and sessions by ``(date, id)`` with OFFSET (both columns indexed). A
list filtered by a query keeps its order and matches every word of the query against any name
column (:func:`citynet.services.search.terms_clause`); the search across kinds ranks its hits
through the indexed ``search_key`` (:func:`citynet.services.search.search_records`).
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
from citynet.services.readmodel import city_label, person_label
from citynet.services.search import search_key, search_records, terms_clause
from citynet.services.views import BiText, CityRef, PersonRef
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


@dataclass(frozen=True)
class Page:
    rows: tuple[Any, ...]  # CityRef, OrganisationRow, NetworkRow, PersonRow, EventRow or SessionRow
    cursor: object | None  # pass back as ``after`` for the next page; None: no more rows
    total: int | None = None


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


def _keyset(c: Connection, select: sa.Select, slug: Any, query: str | None,
            columns: Sequence[Any], after: Any, limit: int, convert: Callable[[Any], Any]) -> Page:
    where = terms_clause(query, columns)
    if where is not None:
        select = select.where(where)
    if after is not None:
        select = select.where(slug > after)
    rows = c.execute(select.order_by(slug).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(tuple(convert(r) for r in rows), rows[-1].slug if more else None)


def _city_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    ct = m.City
    return _keyset(c, sa.select(*CITY_COLUMNS), col(ct.slug), query,
                   [col(ct.name_ja), col(ct.name_en), col(ct.name_kana), col(ct.slug)], after,
                   limit, city_ref)


def _org_row(r: Any) -> OrganisationRow:
    return OrganisationRow(r.id, r.slug, BiText(r.name_ja, r.name_en), r.abbreviation, r.kind,
                           r.country)


def _org_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    o = m.Organisation
    return _keyset(c, sa.select(*ORGANISATION_COLUMNS), col(o.slug), query,
                   [col(o.name_ja), col(o.name_en), col(o.name_kana), col(o.abbreviation),
                    col(o.slug)], after, limit, _org_row)


def _network_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    n, ms = m.Network, m.Membership
    members = (sa.select(sa.func.count(col(ms.id))).where(col(ms.network_id) == col(n.id))
               .scalar_subquery().label("members"))
    return _keyset(c, sa.select(col(n.id), col(n.slug), col(n.name_ja), col(n.name_en),
                                col(n.founded), members), col(n.slug), query,
                   [col(n.name_ja), col(n.name_en), col(n.slug)], after, limit,
                   lambda r: NetworkRow(r.id, r.slug, BiText(r.name_ja, r.name_en), r.founded,
                                        r.members))


_PERSON_SEARCH = [col(m.Person.family_name_ja), col(m.Person.given_name_ja),
                  col(m.Person.family_name_latin), col(m.Person.given_name_latin),
                  col(m.Person.name_kana), col(m.Person.name_katakana), col(m.Person.slug)]


def _person_page(c: Connection, query: str | None, after: Any, limit: int) -> Page:
    """People in 五十音順 of their reading, then by Latin names; people without a reading last
    (``services.search.person_sort_key``, stored as ``person.sort_key``). Paged by keyset on the
    index ``(sort_key, id)``: the cursor is the last row's ``(sort_key, id)``; ``total`` (the number
    of matching people) comes with the first page only."""
    p = m.Person
    where = terms_clause(query, _PERSON_SEARCH)
    total_sel = sa.select(sa.func.count()).select_from(p)
    select = sa.select(*PERSON_COLUMNS, col(p.sort_key))
    if where is not None:
        total_sel = total_sel.where(where)
        select = select.where(where)
    # Counted for the first page only: a COUNT over every match would cost more than the page.
    total = c.execute(total_sel).scalar_one() if after is None else None
    if after is not None:
        key, last_id = after
        select = select.where(sa.tuple_(col(p.sort_key), col(p.id)) > sa.tuple_(
            sa.literal(key, m.SORT_KEY_TYPE), sa.literal(int(last_id))))
    rows = c.execute(select.order_by(col(p.sort_key), col(p.id)).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(tuple(PersonRow(r.id, r.slug, person_ref(r)) for r in rows),
                (rows[-1].sort_key, rows[-1].id) if more else None, total)


def _offset_page(c: Connection, select: sa.Select, order: Sequence[Any], query: str | None,
                 columns: Sequence[Any], after: Any, limit: int,
                 convert: Callable[[Any], Any]) -> Page:
    where = terms_clause(query, columns)
    if where is not None:
        select = select.where(where)
    offset = int(after or 0)
    rows = c.execute(select.order_by(*order).offset(offset).limit(limit + 1)).all()
    more = len(rows) > limit
    return Page(tuple(convert(r) for r in rows[:limit]), offset + limit if more else None)


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
    ev, ct = m.Event, m.City
    return _offset_page(
        c, event_select(), [col(ev.start_date).desc(), col(ev.id).desc()], query,
        [col(ev.title_ja), col(ev.title_en), col(ev.slug), col(ct.name_ja), col(ct.name_en),
         col(ct.name_kana)], after, limit, event_row)


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
    s, ev = m.Session, m.Event
    return _offset_page(c, session_select(), [col(s.starts_at).desc(), col(s.id).desc()], query,
                        [col(s.title_ja), col(s.title_en), col(s.slug), col(ev.title_ja),
                         col(ev.title_en)], after, limit, session_row)


# --- search across kinds ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str
    slug: str
    label: BiText  # a person's: citynet.services.readmodel.person_label
    detail: str | None = None  # a reading, a country code or a date, shown beside the label
    person: PersonRef | None = None


def _city_hit(city: CityRef) -> SearchHit:
    return SearchHit("city", city.slug, city.name, city.country)


def _person_hit(person: PersonRef) -> SearchHit:
    return SearchHit("person", person.slug, person_label(person), person.name_kana, person=person)


def search_all(engine: Engine, query: str, limit: int = 8) -> tuple[SearchHit, ...]:
    """Up to ``limit`` hits of each kind, in each list's order, matched with the list filter."""
    if not search_key(query):
        return ()
    hits: list[SearchHit] = []
    with engine.connect() as c:
        hits += [_city_hit(row) for row in _city_page(c, query, None, limit).rows]
        hits += [_person_hit(row.person) for row in _person_page(c, query, None, limit).rows]
        hits += [SearchHit("organisation", row.slug, row.name, row.abbreviation)
                 for row in _org_page(c, query, None, limit).rows]
        hits += [SearchHit("network", row.slug, row.name, row.founded)
                 for row in _network_page(c, query, None, limit).rows]
        hits += [SearchHit("event", row.slug, row.title,
                           row.start_date.isoformat() if row.start_date else None)
                 for row in _event_page(c, query, None, limit).rows]
        hits += [SearchHit("session", row.slug, row.title, row.event_title.en or row.event_title.ja)
                 for row in _session_page(c, query, None, limit).rows]
    return tuple(hits)


def search_hits(engine: Engine, query: str, limit: int = 40) -> tuple[SearchHit, ...]:
    """Hits for a query through the indexed ``search_key`` (``services.search.search_records``),
    in its order (prefix matches first, then kind), with what the UI shows beside each name."""
    results = search_records(engine, query, limit=limit)
    if not results:
        return ()
    ids: dict[str, list[int]] = {}
    for result in results:
        ids.setdefault(result.kind, []).append(result.id)
    found: dict[tuple[str, int], SearchHit] = {}
    o, n, ev = m.Organisation, m.Network, m.Event
    with engine.connect() as c:

        def rows(kind: str, select: sa.Select, id_column: Any) -> list[Any]:
            return list(c.execute(select.where(id_column.in_(ids[kind])))) if kind in ids else []

        for r in rows("city", sa.select(*CITY_COLUMNS), col(m.City.id)):
            found["city", r.id] = _city_hit(city_ref(r))
        for r in rows("person", sa.select(*PERSON_COLUMNS), col(m.Person.id)):
            found["person", r.id] = _person_hit(person_ref(r))
        for r in rows("organisation", sa.select(*ORGANISATION_COLUMNS), col(o.id)):
            found["organisation", r.id] = SearchHit("organisation", r.slug,
                                                    BiText(r.name_ja, r.name_en), r.abbreviation)
        for r in rows("network", sa.select(col(n.id), col(n.slug), col(n.name_ja), col(n.name_en),
                                           col(n.founded)), col(n.id)):
            found["network", r.id] = SearchHit("network", r.slug, BiText(r.name_ja, r.name_en),
                                               r.founded)
        for r in rows("event", sa.select(col(ev.id), col(ev.slug), col(ev.title_ja),
                                         col(ev.title_en), col(ev.start_date)), col(ev.id)):
            found["event", r.id] = SearchHit("event", r.slug, BiText(r.title_ja, r.title_en),
                                             r.start_date.isoformat() if r.start_date else None)
        for r in rows("session", session_select(), col(m.Session.id)):
            found["session", r.id] = SearchHit("session", r.slug, BiText(r.title_ja, r.title_en),
                                               r.ev_en or r.ev_ja)
    return tuple(found[x.kind, x.id] for x in results if (x.kind, x.id) in found)


__all__ = ["PAGE_SIZE", "LIST_KINDS", "OrganisationRow", "NetworkRow", "PersonRow", "EventRow",
           "SessionRow", "Page", "list_page", "page_in", "event_select", "event_row",
           "session_select", "session_row", "SearchHit", "search_all", "search_hits"]
