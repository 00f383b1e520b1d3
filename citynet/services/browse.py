"""Read queries for the terminal UI: dashboard figures, paged lists, record details and search.

Every function takes an engine, runs a fixed number of column selects and returns frozen
dataclasses (never ORM rows). Lists are paged: slugged tables by keyset on ``slug``, people by
keyset on ``(sort_key, id)`` (五十音順, indexed), events and sessions by ``(date, id)`` with OFFSET
(both columns indexed). Search normalises the query with
NFKC + casefold, tries hiragana and katakana spellings of it, and matches every word of the query
against any name column (LIKE, case-insensitive). A dedicated normalised search-key column would
make this index-friendly; see the note in :func:`_terms_clause`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from citynet.i18n import _
from citynet.errors import NotFound
from citynet.services.views import (
    BiText, CityRef, OrganisationRef, PersonRef, PositionView,
)
from citynet.store import models as m

PAGE_SIZE = 100

# --- normalisation ------------------------------------------------------------------------------


def search_key(text: str | None) -> str:
    """NFKC + casefold: 'ＳＡＩＴＡＭＡ' and 'saitama' give the same key; full-width digits too."""
    return unicodedata.normalize("NFKC", text or "").casefold().strip()


def _to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def _to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def _variants(term: str) -> set[str]:
    """The term, and its other kana spelling when it has kana (いとう ↔ イトウ)."""
    return {term, _to_katakana(term), _to_hiragana(term)}


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _terms_clause(query: str | None, columns: list) -> sa.ColumnElement | None:
    """Every word of the query must occur in one of the columns (any kana spelling).

    LIKE with a leading wildcard scans the table (about 30 ms per 100k rows on SQLite). An
    indexed, NFKC-normalised ``search_key`` column per table (or FTS5 / pg_trgm) would make it
    an index lookup; stored text is compared as typed, lower-cased by the database.
    """
    key = search_key(query)
    if not key:
        return None
    clauses = []
    for term in key.split():
        ors = [sa.func.lower(col).like(f"%{_escape_like(v)}%", escape="\\")
               for v in _variants(term) for col in columns]
        clauses.append(sa.or_(*ors))
    return sa.and_(*clauses)


# --- small refs ---------------------------------------------------------------------------------


def _city_ref(r) -> CityRef:
    return CityRef(r.id, r.slug, BiText(r.name_ja, r.name_en), r.name_kana, r.country, r.timezone,
                   bool(r.is_home))


_CITY_COLS = (m.City.id, m.City.slug, m.City.name_ja, m.City.name_en, m.City.name_kana,
              m.City.country, m.City.timezone, m.City.is_home)
_PERSON_COLS = (m.Person.id, m.Person.slug, m.Person.family_name_ja, m.Person.given_name_ja,
                m.Person.family_name_latin, m.Person.given_name_latin, m.Person.name_kana,
                m.Person.name_katakana, m.Person.name_order, m.Person.honorific_ja,
                m.Person.honorific_en)
_ORG_COLS = (m.Organisation.id, m.Organisation.slug, m.Organisation.name_ja,
             m.Organisation.name_en, m.Organisation.kind, m.Organisation.country,
             m.Organisation.abbreviation)


def _person_ref(r) -> PersonRef:
    return PersonRef(r.id, r.slug, r.family_name_ja, r.given_name_ja, r.family_name_latin,
                     r.given_name_latin, r.name_kana, r.name_katakana, r.name_order,
                     BiText(r.honorific_ja, r.honorific_en))


def _org_ref(r) -> OrganisationRef:
    return OrganisationRef(r.id, r.slug, BiText(r.name_ja, r.name_en), r.kind, r.country,
                           r.abbreviation)


def _cities_by_id(c, ids) -> dict[int, CityRef]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {r.id: _city_ref(r) for r in c.execute(sa.select(*_CITY_COLS).where(m.City.id.in_(ids)))}


def _persons_by_id(c, ids) -> dict[int, PersonRef]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {r.id: _person_ref(r)
            for r in c.execute(sa.select(*_PERSON_COLS).where(m.Person.id.in_(ids)))}


def _orgs_by_id(c, ids) -> dict[int, OrganisationRef]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {r.id: _org_ref(r)
            for r in c.execute(sa.select(*_ORG_COLS).where(m.Organisation.id.in_(ids)))}


# --- dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigureView:
    label: BiText
    kind: str
    value: float
    unit: str
    period: str | None
    base_period: str | None


@dataclass(frozen=True)
class UpcomingItem:
    kind: str  # "event" or "session"
    slug: str
    title: BiText
    event_title: BiText  # the session's event (same as title for an event)
    day: date | None
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str


@dataclass(frozen=True)
class RecentChange:
    kind: str
    slug: str | None
    label: BiText
    updated_at: datetime
    revision: int


@dataclass(frozen=True)
class Dashboard:
    home: CityRef | None
    counts: dict[str, int]
    upcoming: tuple[UpcomingItem, ...]
    recent: tuple[RecentChange, ...]
    key_figures: tuple[KeyFigureView, ...]
    upcoming_is_past: bool = False  # nothing ahead: ``upcoming`` holds the latest items instead


def is_empty(engine: Engine) -> bool:
    """True when the store holds no city at all (a first run)."""
    with engine.connect() as c:
        return c.execute(sa.select(m.City.id).limit(1)).first() is None


def home_city(engine: Engine) -> CityRef | None:
    with engine.connect() as c:
        r = c.execute(sa.select(*_CITY_COLS).where(m.City.is_home.is_(True))).first()
        return _city_ref(r) if r else None


COUNTED = (("city", m.City), ("network", m.Network), ("organisation", m.Organisation),
           ("person", m.Person), ("event", m.Event), ("session", m.Session))


def dashboard(engine: Engine, today: date | None = None, limit: int = 12,
              now: datetime | None = None) -> Dashboard:
    """``now`` (aware) and ``today`` default to the clock; the UI passes a fixed pair in tests."""
    now = now or datetime.now(timezone.utc)
    today = today or date.today()
    with engine.connect() as c:
        home_row = c.execute(sa.select(*_CITY_COLS).where(m.City.is_home.is_(True))).first()
        home = _city_ref(home_row) if home_row else None
        counts = {kind: c.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
                  for kind, model in COUNTED}
        ev = m.Event
        s = m.Session
        event_cols = (ev.slug, ev.title_ja, ev.title_en, ev.start_date, ev.starts_at, ev.ends_at,
                      ev.timezone)
        session_sel = (sa.select(s.slug, s.title_ja, s.title_en, s.day, s.starts_at, s.ends_at,
                                 ev.timezone, ev.title_ja.label("ev_ja"), ev.title_en.label("ev_en"))
                       .join(ev, ev.id == s.event_id))
        events = c.execute(
            sa.select(*event_cols).where(sa.or_(ev.start_date >= today, ev.end_date >= today))
            .order_by(ev.start_date, ev.id).limit(limit)).all()
        sessions = c.execute(
            session_sel.where(sa.or_(s.starts_at >= now, sa.and_(s.starts_at.is_(None), s.day >= today)))
            .order_by(sa.func.coalesce(s.starts_at, s.day), s.id).limit(limit)).all()
        past = not events and not sessions
        if past:  # nothing ahead: show the latest, newest first
            events = c.execute(sa.select(*event_cols).where(ev.start_date.is_not(None))
                               .order_by(ev.start_date.desc(), ev.id.desc()).limit(limit // 2)).all()
            sessions = c.execute(session_sel.where(s.starts_at.is_not(None))
                                 .order_by(s.starts_at.desc(), s.id.desc()).limit(limit)).all()
        upcoming = [UpcomingItem("event", r.slug, BiText(r.title_ja, r.title_en),
                                 BiText(r.title_ja, r.title_en), r.start_date, r.starts_at,
                                 r.ends_at, r.timezone) for r in events]
        upcoming += [UpcomingItem("session", r.slug, BiText(r.title_ja, r.title_en),
                                  BiText(r.ev_ja, r.ev_en), r.day, r.starts_at, r.ends_at,
                                  r.timezone) for r in sessions]
        recent: list[RecentChange] = []
        for kind, model, ja, en in (("city", m.City, "name_ja", "name_en"),
                                    ("event", m.Event, "title_ja", "title_en"),
                                    ("session", m.Session, "title_ja", "title_en"),
                                    ("organisation", m.Organisation, "name_ja", "name_en"),
                                    ("network", m.Network, "name_ja", "name_en")):
            for r in c.execute(sa.select(model.slug, getattr(model, ja), getattr(model, en),
                                         model.updated_at, model.revision)
                               .order_by(model.updated_at.desc(), model.id.desc()).limit(limit)):
                recent.append(RecentChange(kind, r[0], BiText(r[1], r[2]), r[3], r[4]))
        p = m.Person
        for r in c.execute(sa.select(*_PERSON_COLS, p.updated_at, p.revision)
                           .order_by(p.updated_at.desc(), p.id.desc()).limit(limit)):
            ref = _person_ref(r)
            recent.append(RecentChange("person", ref.slug, BiText(
                " ".join(x for x in (ref.family_name_ja, ref.given_name_ja) if x) or None,
                " ".join(x for x in (ref.given_name_latin, ref.family_name_latin) if x) or None),
                r.updated_at, r.revision))
        recent.sort(key=lambda x: x.updated_at, reverse=True)
        figures = ()
        if home is not None:
            k = m.KeyFigure
            figures = tuple(KeyFigureView(BiText(r.label_ja, r.label_en), r.kind, r.value, r.unit,
                                          r.period, r.base_period)
                            for r in c.execute(sa.select(k).where(k.city_id == home.id)
                                               .order_by(k.sort_order, k.id)))
    upcoming.sort(key=lambda u: (u.starts_at.timestamp() if u.starts_at else
                                 datetime.combine(u.day or today, datetime.min.time(),
                                                  timezone.utc).timestamp()), reverse=past)
    return Dashboard(home, counts, tuple(upcoming[:limit]), tuple(recent[:limit]), figures, past)


# --- paged lists --------------------------------------------------------------------------------


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
    city: BiText
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
    rows: tuple
    cursor: object | None  # pass back as ``after`` for the next page; None: no more rows
    total: int | None = None


LIST_KINDS = ("city", "network", "organisation", "person", "event", "session")


def list_page(engine: Engine, kind: str, query: str | None = None, after=None,
              limit: int = PAGE_SIZE) -> Page:
    """One page of a list, optionally filtered by a search query."""
    fetch = {"city": _city_page, "organisation": _org_page, "network": _network_page,
             "person": _person_page, "event": _event_page, "session": _session_page}[kind]
    with engine.connect() as c:
        return fetch(c, query, after, limit)


def _keyset(c, select, model, query, columns, after, limit, convert) -> Page:
    where = _terms_clause(query, columns)
    if where is not None:
        select = select.where(where)
    if after is not None:
        select = select.where(model.slug > after)
    rows = c.execute(select.order_by(model.slug).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(tuple(convert(r) for r in rows), rows[-1].slug if more else None)


def _city_page(c, query, after, limit) -> Page:
    ct = m.City
    return _keyset(c, sa.select(*_CITY_COLS), ct, query,
                   [ct.name_ja, ct.name_en, ct.name_kana, ct.slug], after, limit,
                   _city_ref)


def _org_page(c, query, after, limit) -> Page:
    o = m.Organisation
    return _keyset(c, sa.select(*_ORG_COLS), o, query,
                   [o.name_ja, o.name_en, o.name_kana, o.abbreviation, o.slug], after, limit,
                   lambda r: OrganisationRow(r.id, r.slug, BiText(r.name_ja, r.name_en),
                                             r.abbreviation, r.kind, r.country))


def _network_page(c, query, after, limit) -> Page:
    n, ms = m.Network, m.Membership
    members = (sa.select(sa.func.count(ms.id)).where(ms.network_id == n.id)
               .scalar_subquery().label("members"))
    return _keyset(c, sa.select(n.id, n.slug, n.name_ja, n.name_en, n.founded, members), n, query,
                   [n.name_ja, n.name_en, n.slug], after, limit,
                   lambda r: NetworkRow(r.id, r.slug, BiText(r.name_ja, r.name_en), r.founded,
                                        r.members))


_PERSON_SEARCH = [m.Person.family_name_ja, m.Person.given_name_ja, m.Person.family_name_latin,
                  m.Person.given_name_latin, m.Person.name_kana, m.Person.name_katakana,
                  m.Person.slug]


def _person_page(c, query, after, limit) -> Page:
    """People in 五十音順 of their reading, then by Latin names; people without a reading last
    (``services.search.person_sort_key``, stored as ``person.sort_key``). Paged by keyset on the
    index ``(sort_key, id)``: the cursor is the last row's ``(sort_key, id)``; ``total`` (the number
    of matching people) comes with the first page only."""
    p = m.Person
    where = _terms_clause(query, _PERSON_SEARCH)
    total_sel = sa.select(sa.func.count()).select_from(p)
    select = sa.select(*_PERSON_COLS, p.sort_key)
    if where is not None:
        total_sel = total_sel.where(where)
        select = select.where(where)
    # Counted for the first page only: a COUNT over every match would cost more than the page.
    total = c.execute(total_sel).scalar_one() if after is None else None
    if after is not None:
        key, last_id = after
        select = select.where(sa.tuple_(p.sort_key, p.id) > sa.tuple_(
            sa.literal(key, m.SORT_KEY_TYPE), sa.literal(int(last_id))))
    rows = c.execute(select.order_by(p.sort_key, p.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(tuple(PersonRow(r.id, r.slug, _person_ref(r)) for r in rows),
                (rows[-1].sort_key, rows[-1].id) if more else None, total)


def _offset_page(c, select, order, query, columns, after, limit, convert) -> Page:
    where = _terms_clause(query, columns)
    if where is not None:
        select = select.where(where)
    offset = int(after or 0)
    rows = c.execute(select.order_by(*order).offset(offset).limit(limit + 1)).all()
    more = len(rows) > limit
    return Page(tuple(convert(r) for r in rows[:limit]), offset + limit if more else None)


def _event_page(c, query, after, limit) -> Page:
    ev, ct = m.Event, m.City
    select = (sa.select(ev.id, ev.slug, ev.title_ja, ev.title_en, ev.kind, ev.status,
                        ev.start_date, ev.end_date, ev.timezone, ct.name_ja, ct.name_en)
              .outerjoin(ct, ct.id == ev.city_id))
    return _offset_page(
        c, select, [ev.start_date.desc(), ev.id.desc()], query,
        [ev.title_ja, ev.title_en, ev.slug, ct.name_ja, ct.name_en, ct.name_kana], after, limit,
        lambda r: EventRow(r.id, r.slug, BiText(r.title_ja, r.title_en), r.kind, r.status,
                           r.start_date, r.end_date, BiText(r.name_ja, r.name_en), r.timezone))


def _session_select():
    s, ev = m.Session, m.Event
    return (sa.select(s.id, s.slug, s.title_ja, s.title_en, s.day, s.starts_at, s.ends_at,
                      s.status, ev.timezone, ev.slug.label("event_slug"),
                      ev.title_ja.label("ev_ja"), ev.title_en.label("ev_en"))
            .join(ev, ev.id == s.event_id))


def _session_row(r) -> SessionRow:
    return SessionRow(r.id, r.slug, BiText(r.title_ja, r.title_en), BiText(r.ev_ja, r.ev_en),
                      r.event_slug, r.day, r.starts_at, r.ends_at, r.timezone, r.status)


def _session_page(c, query, after, limit) -> Page:
    s, ev = m.Session, m.Event
    return _offset_page(c, _session_select(), [s.starts_at.desc(), s.id.desc()], query,
                        [s.title_ja, s.title_en, s.slug, ev.title_ja, ev.title_en], after, limit,
                        _session_row)


# --- search across kinds ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str
    slug: str
    label: BiText
    detail: str | None = None  # a reading, a country code or a date, shown beside the label
    person: PersonRef | None = None


def search_all(engine: Engine, query: str, limit: int = 8) -> tuple[SearchHit, ...]:
    """Up to ``limit`` hits of each kind for a query typed in any language or script."""
    if not search_key(query):
        return ()
    hits: list[SearchHit] = []
    with engine.connect() as c:
        for row in _city_page(c, query, None, limit).rows:
            hits.append(SearchHit("city", row.slug, row.name, row.country))
        for row in _person_page(c, query, None, limit).rows:
            p = row.person
            hits.append(SearchHit("person", row.slug, BiText(
                " ".join(x for x in (p.family_name_ja, p.given_name_ja) if x) or None,
                " ".join(x for x in (p.given_name_latin, p.family_name_latin) if x) or None),
                p.name_kana, person=p))
        for row in _org_page(c, query, None, limit).rows:
            hits.append(SearchHit("organisation", row.slug, row.name, row.abbreviation))
        for row in _network_page(c, query, None, limit).rows:
            hits.append(SearchHit("network", row.slug, row.name, row.founded))
        for row in _event_page(c, query, None, limit).rows:
            hits.append(SearchHit("event", row.slug, row.title,
                                  row.start_date.isoformat() if row.start_date else None))
        for row in _session_page(c, query, None, limit).rows:
            hits.append(SearchHit("session", row.slug, row.title,
                                  row.event_title.en or row.event_title.ja))
    return tuple(hits)


def search_hits(engine: Engine, query: str, limit: int = 40) -> tuple[SearchHit, ...]:
    """Hits for a query through the indexed ``search_key`` (``services.search.search_records``),
    in its order (prefix matches first, then kind), with what the UI shows beside each name.
    Falls back to :func:`search_all` where that service is not available."""
    try:
        from citynet.services.search import search_records
    except ImportError:  # pragma: no cover - a store without search keys
        return search_all(engine, query, max(1, limit // 6))
    results = search_records(engine, query, limit=limit)
    if not results:
        return ()
    ids: dict[str, list[int]] = {}
    for r in results:
        ids.setdefault(r.kind, []).append(r.id)
    found: dict[tuple[str, int], SearchHit] = {}
    with engine.connect() as c:
        if "city" in ids:
            for r in c.execute(sa.select(*_CITY_COLS).where(m.City.id.in_(ids["city"]))):
                found["city", r.id] = SearchHit("city", r.slug, BiText(r.name_ja, r.name_en),
                                                r.country)
        if "person" in ids:
            for r in c.execute(sa.select(*_PERSON_COLS).where(m.Person.id.in_(ids["person"]))):
                p = _person_ref(r)
                found["person", r.id] = SearchHit("person", r.slug, BiText(
                    " ".join(x for x in (p.family_name_ja, p.given_name_ja) if x) or None,
                    " ".join(x for x in (p.given_name_latin, p.family_name_latin) if x) or None),
                    p.name_kana, person=p)
        if "organisation" in ids:
            o = m.Organisation
            for r in c.execute(sa.select(*_ORG_COLS).where(o.id.in_(ids["organisation"]))):
                found["organisation", r.id] = SearchHit("organisation", r.slug,
                                                        BiText(r.name_ja, r.name_en), r.abbreviation)
        if "network" in ids:
            n = m.Network
            for r in c.execute(sa.select(n.id, n.slug, n.name_ja, n.name_en, n.founded)
                               .where(n.id.in_(ids["network"]))):
                found["network", r.id] = SearchHit("network", r.slug, BiText(r.name_ja, r.name_en),
                                                   r.founded)
        if "event" in ids:
            ev = m.Event
            for r in c.execute(sa.select(ev.id, ev.slug, ev.title_ja, ev.title_en, ev.start_date)
                               .where(ev.id.in_(ids["event"]))):
                found["event", r.id] = SearchHit("event", r.slug, BiText(r.title_ja, r.title_en),
                                                 r.start_date.isoformat() if r.start_date else None)
        if "session" in ids:
            for r in c.execute(_session_select().where(m.Session.id.in_(ids["session"]))):
                found["session", r.id] = SearchHit("session", r.slug, BiText(r.title_ja, r.title_en),
                                                   r.ev_en or r.ev_ja)
    return tuple(found[r.kind, r.id] for r in results if (r.kind, r.id) in found)


# --- details ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationshipView:
    slug: str
    kind: str
    status: str
    since: str | None
    until: str | None
    notes: BiText


@dataclass(frozen=True)
class MembershipView:
    id: int
    network_slug: str
    network: BiText
    city: CityRef | None
    organisation: OrganisationRef | None
    country: str | None
    role: BiText
    start: str | None
    end: str | None


@dataclass(frozen=True)
class TimelineEntry:
    when: str  # fuzzy date text or ISO date, sortable
    kind: str  # "relationship", "membership", "event"
    label: BiText
    slug: str | None = None


@dataclass(frozen=True)
class CityDetail:
    city: CityRef
    region: BiText
    notes: BiText
    revision: int
    relationships: tuple[RelationshipView, ...]
    memberships: tuple[MembershipView, ...]
    positions: tuple[PositionView, ...]
    past_events: tuple[EventRow, ...]
    upcoming_events: tuple[EventRow, ...]
    timeline: tuple[TimelineEntry, ...]


def _one(c, select, what: str, slug: str):
    row = c.execute(select).first()
    if row is None:
        raise NotFound(_("no {what} with slug {slug!r}").format(what=what, slug=slug))
    return row


def _positions(c, where) -> tuple[PositionView, ...]:
    p = m.Position
    rows = c.execute(sa.select(p.id, p.slug, p.person_id, p.city_id, p.organisation_id, p.title_ja,
                               p.title_en, p.start, p.end, p.ended).where(where)
                     .order_by(p.ended, sa.func.coalesce(p.start, "").desc(), p.id)).all()
    persons = _persons_by_id(c, (r.person_id for r in rows))
    cities = _cities_by_id(c, (r.city_id for r in rows))
    orgs = _orgs_by_id(c, (r.organisation_id for r in rows))
    return tuple(PositionView(r.id, r.slug, BiText(r.title_ja, r.title_en), persons.get(r.person_id),
                              cities.get(r.city_id), orgs.get(r.organisation_id), r.start, r.end,
                              bool(r.ended)) for r in rows)


def _memberships(c, where) -> tuple[MembershipView, ...]:
    ms, n = m.Membership, m.Network
    rows = c.execute(sa.select(ms.id, ms.city_id, ms.organisation_id, ms.country, ms.role_ja,
                               ms.role_en, ms.start, ms.end, n.slug, n.name_ja, n.name_en)
                     .join(n, n.id == ms.network_id).where(where)
                     .order_by(sa.func.coalesce(ms.start, ""), ms.id)).all()
    cities = _cities_by_id(c, (r.city_id for r in rows))
    orgs = _orgs_by_id(c, (r.organisation_id for r in rows))
    return tuple(MembershipView(r.id, r.slug, BiText(r.name_ja, r.name_en), cities.get(r.city_id),
                                orgs.get(r.organisation_id), r.country,
                                BiText(r.role_ja, r.role_en), r.start, r.end) for r in rows)


def _event_rows(c, where, limit=200) -> list[EventRow]:
    ev, ct = m.Event, m.City
    rows = c.execute(sa.select(ev.id, ev.slug, ev.title_ja, ev.title_en, ev.kind, ev.status,
                               ev.start_date, ev.end_date, ev.timezone, ct.name_ja, ct.name_en)
                     .outerjoin(ct, ct.id == ev.city_id).where(where)
                     .order_by(ev.start_date.desc(), ev.id.desc()).limit(limit)).all()
    return [EventRow(r.id, r.slug, BiText(r.title_ja, r.title_en), r.kind, r.status, r.start_date,
                     r.end_date, BiText(r.name_ja, r.name_en), r.timezone) for r in rows]


def city_detail(engine: Engine, slug: str, today: date | None = None) -> CityDetail:
    today = today or date.today()
    with engine.connect() as c:
        ct = m.City
        r = _one(c, sa.select(*_CITY_COLS, ct.region_ja, ct.region_en, ct.notes_ja, ct.notes_en,
                              ct.revision).where(ct.slug == slug), "city", slug)
        city = _city_ref(r)
        rel = m.Relationship
        relationships = tuple(RelationshipView(x.slug, x.kind, x.status, x.since, x.until,
                                               BiText(x.notes_ja, x.notes_en))
                              for x in c.execute(sa.select(rel).where(rel.city_id == city.id)
                                                 .order_by(rel.since, rel.id)))
        memberships = _memberships(c, m.Membership.city_id == city.id)
        positions = _positions(c, m.Position.city_id == city.id)
        # Events in the city, and events where people holding its positions took part.
        sp, s, p = m.SessionParticipant, m.Session, m.Position
        via_people = (sa.select(s.event_id).join(sp, sp.session_id == s.id)
                      .join(p, p.id == sp.position_id).where(p.city_id == city.id))
        events = _event_rows(c, sa.or_(m.Event.city_id == city.id, m.Event.id.in_(via_people)))
    past = tuple(e for e in events if e.start_date is not None and (e.end_date or e.start_date) < today)
    upcoming = tuple(sorted((e for e in events if e not in past),
                            key=lambda e: (e.start_date is None, e.start_date or today)))
    timeline = [TimelineEntry(x.since, "relationship", BiText(x.kind, x.kind), x.slug)
                for x in relationships if x.since]
    timeline += [TimelineEntry(x.start, "membership", x.network, x.network_slug)
                 for x in memberships if x.start]
    timeline += [TimelineEntry(e.start_date.isoformat(), "event", e.title, e.slug)
                 for e in events if e.start_date]
    timeline.sort(key=lambda t: t.when)
    return CityDetail(city, BiText(r.region_ja, r.region_en), BiText(r.notes_ja, r.notes_en),
                      r.revision, relationships, memberships, positions, past, upcoming,
                      tuple(timeline))


@dataclass(frozen=True)
class NetworkDetail:
    id: int
    slug: str
    name: BiText
    description: BiText
    founded: str | None
    revision: int
    members: tuple[MembershipView, ...]


def network_detail(engine: Engine, slug: str) -> NetworkDetail:
    with engine.connect() as c:
        n = m.Network
        r = _one(c, sa.select(n).where(n.slug == slug), "network", slug)
        members = _memberships(c, m.Membership.network_id == r.id)
    return NetworkDetail(r.id, r.slug, BiText(r.name_ja, r.name_en),
                         BiText(r.description_ja, r.description_en), r.founded, r.revision, members)


@dataclass(frozen=True)
class OrganisationDetail:
    organisation: OrganisationRef
    city: CityRef | None
    notes: BiText
    revision: int
    positions: tuple[PositionView, ...]
    memberships: tuple[MembershipView, ...]
    events: tuple[tuple[str, EventRow], ...]  # (role, event)


def organisation_detail(engine: Engine, slug: str) -> OrganisationDetail:
    with engine.connect() as c:
        o = m.Organisation
        r = _one(c, sa.select(*_ORG_COLS, o.city_id, o.notes_ja, o.notes_en, o.revision)
                 .where(o.slug == slug), "organisation", slug)
        positions = _positions(c, m.Position.organisation_id == r.id)
        memberships = _memberships(c, m.Membership.organisation_id == r.id)
        role = m.OrganisationRole
        roles = c.execute(sa.select(role.event_id, role.role).where(role.organisation_id == r.id)
                          .where(role.session_id.is_(None))).all()
        events = {e.id: e for e in _event_rows(c, m.Event.id.in_([x.event_id for x in roles]))}
        city = _cities_by_id(c, [r.city_id]).get(r.city_id)
    return OrganisationDetail(_org_ref(r), city, BiText(r.notes_ja, r.notes_en), r.revision,
                              positions, memberships,
                              tuple((x.role, events[x.event_id]) for x in roles
                                    if x.event_id in events))


@dataclass(frozen=True)
class PersonSession:
    role: str
    session: SessionRow


@dataclass(frozen=True)
class PersonDetail:
    person: PersonRef
    notes: BiText
    revision: int
    positions: tuple[PositionView, ...]
    sessions: tuple[PersonSession, ...]


def person_detail(engine: Engine, slug: str) -> PersonDetail:
    with engine.connect() as c:
        p = m.Person
        r = _one(c, sa.select(*_PERSON_COLS, p.notes_ja, p.notes_en, p.revision)
                 .where(p.slug == slug), "person", slug)
        positions = _positions(c, m.Position.person_id == r.id)
        sp, s = m.SessionParticipant, m.Session
        position_ids = [x.id for x in positions]
        who = sp.person_id == r.id
        if position_ids:
            who = sa.or_(who, sp.position_id.in_(position_ids))
        rows = c.execute(_session_select().add_columns(sp.role.label("role"))
                         .join(sp, sp.session_id == s.id).where(who)
                         .order_by(s.starts_at.desc(), s.day.desc(), s.id)).all()
    return PersonDetail(_person_ref(r), BiText(r.notes_ja, r.notes_en), r.revision, positions,
                        tuple(PersonSession(x.role, _session_row(x)) for x in rows))


def session_event_slug(engine: Engine, slug: str) -> str:
    """The slug of the event a session belongs to (for ``events.event_detail``)."""
    with engine.connect() as c:
        r = _one(c, sa.select(m.Event.slug).join(m.Session, m.Session.event_id == m.Event.id)
                 .where(m.Session.slug == slug), "session", slug)
        return r.slug


# --- records for forms --------------------------------------------------------------------------

MODELS: dict[str, type[m.Record]] = {
    "city": m.City, "organisation": m.Organisation, "network": m.Network,
    "membership": m.Membership, "relationship": m.Relationship, "person": m.Person,
    "position": m.Position, "event": m.Event, "session": m.Session,
    "participant": m.SessionParticipant, "organisation_role": m.OrganisationRole,
}


@dataclass(frozen=True)
class RecordValues:
    kind: str
    id: int
    revision: int
    values: dict = field(default_factory=dict)


def record_values(engine: Engine, kind: str, *, slug: str | None = None,
                  record_id: int | None = None) -> RecordValues:
    """A record's column values as stored (for an edit form), with its revision."""
    model = MODELS[kind]
    where = model.slug == slug if slug is not None else model.id == record_id
    with engine.connect() as c:
        row = c.execute(sa.select(model.__table__).where(where)).mappings().first()
    if row is None:
        raise NotFound(_("no {kind} {slug!r}").format(kind=kind, slug=slug or record_id))
    values = dict(row)
    return RecordValues(kind, values["id"], values["revision"], values)


@dataclass(frozen=True)
class Choice:
    id: int
    slug: str
    label: BiText
    detail: str | None = None


def choices(engine: Engine, kind: str, query: str | None = None, limit: int = 50) -> tuple[Choice, ...]:
    """Records to pick from in a form (a city, an event, a person …), filtered while typing."""
    with engine.connect() as c:
        if kind == "person":
            return tuple(Choice(r.id, r.slug, BiText(
                " ".join(x for x in (r.person.family_name_ja, r.person.given_name_ja) if x) or None,
                " ".join(x for x in (r.person.given_name_latin, r.person.family_name_latin) if x)
                or None), r.person.name_kana) for r in _person_page(c, query, None, limit).rows)
        if kind == "position":
            p = m.Position
            sel = sa.select(p.id, p.slug, p.title_ja, p.title_en)
            where = _terms_clause(query, [p.title_ja, p.title_en, p.slug])
            if where is not None:
                sel = sel.where(where)
            return tuple(Choice(r.id, r.slug, BiText(r.title_ja, r.title_en))
                         for r in c.execute(sel.order_by(p.slug).limit(limit)))
        page = {"city": _city_page, "organisation": _org_page, "network": _network_page,
                "event": _event_page, "session": _session_page}[kind](c, query, None, limit)
        out = []
        for r in page.rows:
            label = getattr(r, "name", None) or getattr(r, "title")
            out.append(Choice(r.id, r.slug, label))
        return tuple(out)


def choice_label(engine: Engine, kind: str, record_id: int | None) -> Choice | None:
    if record_id is None:
        return None
    model = MODELS[kind]
    ja, en = (("name_ja", "name_en") if hasattr(model, "name_ja") else
              ("title_ja", "title_en") if hasattr(model, "title_ja") else
              ("family_name_ja", "family_name_latin"))
    with engine.connect() as c:
        r = c.execute(sa.select(model.id, model.slug, getattr(model, ja), getattr(model, en))
                      .where(model.id == record_id)).first()
    return Choice(r[0], r[1], BiText(r[2], r[3])) if r else None


def suggest_slug(*texts: str | None) -> str | None:
    """A slug from the first text with Latin letters or digits ("Baku City" → "baku-city")."""
    import re

    for text in texts:
        if not text:
            continue
        ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:70].strip("-")
        if slug:
            return slug
    return None
