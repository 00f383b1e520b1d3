"""What a search shows: each hit with its label and what tells it apart from its namesakes — a
person's current (or last) post, a city's region and country, an organisation's abbreviation and
country, a post's holder, an event's dates, a session's event and day — and the totals.

The ranking is :func:`citynet.services.search.rank`; this module reads the rows of the page
only (a fixed number of selects per kind on the page, however many hits there are).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from citynet.services.convert import CITY_COLUMNS, ORGANISATION_COLUMNS, PERSON_COLUMNS, person_ref
from citynet.services.readmodel import person_label
from citynet.services.search import SEARCH_KINDS, Found, rank
from citynet.services.views import BiText, PersonRef
from citynet.services.tables import table_of
from citynet.store import models as m


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    slug: str
    label: BiText  # a person's: citynet.services.readmodel.person_label
    person: PersonRef | None = None
    context: BiText | None = None  # a post and its body, a region, a holder, an event's title
    country: str | None = None  # ISO 3166 code of a city or an organisation
    start: date | None = None  # an event's first day, a session's day
    end: date | None = None  # an event's last day


@dataclass(frozen=True)
class SearchResults:
    hits: tuple[SearchHit, ...]
    total: int
    totals: dict[str, int] = field(default_factory=dict)  # kind → hits of that kind
    offset: int = 0
    # more records match than the search read (the first letters of many names): the totals
    # count those read (see citynet.services.search.BROAD_ROWS)
    broad: bool = False


def search(engine: Engine, query: str | None, *, kinds: Sequence[str] | None = None,
           limit: int = 40, offset: int = 0, lang: str | None = None) -> SearchResults:
    """The hits of ``query`` best first, ``limit`` from ``offset``, with the totals."""
    with engine.connect() as c:
        ranked = rank(c, query, kinds=kinds, limit=limit, offset=offset, lang=lang)
        hits = describe(c, ranked.found)
    return SearchResults(hits, ranked.total, ranked.totals, offset, ranked.broad)


def describe(c: Connection, found: Sequence[Found]) -> tuple[SearchHit, ...]:
    """The hits of ``found`` in its order, each with its label and what tells it apart."""
    ids: dict[str, list[int]] = {}
    for f in found:
        ids.setdefault(f.kind, []).append(f.id)
    described: dict[tuple[str, int], SearchHit] = {}
    for kind, kind_ids in ids.items():
        for hit in _DESCRIBE[kind](c, kind_ids):
            described[kind, hit.id] = hit
    return tuple(described[f.kind, f.id] for f in found if (f.kind, f.id) in described)


def _rows(c: Connection, kind: str, columns: Sequence[Any], ids: list[int]) -> list[Any]:
    table = table_of(SEARCH_KINDS[kind])
    return list(c.execute(sa.select(*columns).where(table.c.id.in_(ids))))


def _names(c: Connection, table: Any, ids: set[int]) -> dict[int, BiText]:
    if not ids:
        return {}
    return {r.id: BiText(r.name_ja, r.name_en) for r in c.execute(
        sa.select(table.c.id, table.c.name_ja, table.c.name_en).where(table.c.id.in_(ids)))}


def _post_label(title: BiText, body: BiText | None) -> BiText:
    """A post with its body when the title does not name it already: 市長（さいたま市） /
    Mayor, Saitama."""
    if not body:
        return title
    ja = title.ja and (title.ja if body.ja and body.ja in title.ja or not body.ja
                       else f"{title.ja}（{body.ja}）")
    en = title.en and (title.en if body.en and body.en in title.en or not body.en
                       else f"{title.en}, {body.en}")
    return BiText(ja, en)


def _posts(c: Connection, where: sa.ColumnElement[bool]) -> list[Any]:
    """The posts ``where`` selects, each with ``label``: its title with its body (city or
    organisation) — one statement."""
    p, ct, o = table_of(m.Position), table_of(m.City), table_of(m.Organisation)
    rows = c.execute(
        sa.select(p.c.id, p.c.slug, p.c.person_id, p.c.title_ja, p.c.title_en, p.c.start, p.c.end,
                  p.c.ended, sa.func.coalesce(ct.c.name_ja, o.c.name_ja).label("body_ja"),
                  sa.func.coalesce(ct.c.name_en, o.c.name_en).label("body_en"))
        .outerjoin(ct, ct.c.id == p.c.city_id).outerjoin(o, o.c.id == p.c.organisation_id)
        .where(where))
    return [SimpleNamespace(**row._mapping, label=_post_label(
        BiText(row.title_ja, row.title_en), BiText(row.body_ja, row.body_en) or None))
        for row in rows]


def _people(c: Connection, ids: list[int]) -> list[SearchHit]:
    posts = _posts(c, col(m.Position.person_id).in_(ids))
    today = date.today().isoformat()

    def current_last(post: Any) -> tuple:  # a post not ended ranks above one ended, then by start
        ended = bool(post.ended) or bool(post.end and post.end <= today)
        return (not ended, post.start or "", post.id)

    best = {post.person_id: post for post in sorted(posts, key=current_last)}
    events = _last_events(c, [i for i in ids if i not in best])
    hits = []
    for r in _rows(c, "person", PERSON_COLUMNS, ids):
        ref = person_ref(r)
        post = best.get(r.id)
        event = events.get(r.id)
        if post is not None:
            hits.append(SearchHit("person", r.id, r.slug, person_label(ref), ref, post.label))
        else:  # no post known: the last event the person took part in, with its dates
            hits.append(SearchHit("person", r.id, r.slug, person_label(ref), ref,
                                  event and BiText(event.title_ja, event.title_en),
                                  start=event and event.start_date, end=event and event.end_date))
    return hits


def _last_events(c: Connection, ids: list[int]) -> dict[int, Any]:
    """For each of these people, the event of the latest session they took part in (by the
    event's first day)."""
    if not ids:
        return {}
    sp, s, ev = m.SessionParticipant, m.Session, m.Event
    rows = c.execute(
        sa.select(col(sp.person_id), col(ev.title_ja), col(ev.title_en), col(ev.start_date),
                  col(ev.end_date))
        .join(s, col(s.id) == col(sp.session_id)).join(ev, col(ev.id) == col(s.event_id))
        .where(col(sp.person_id).in_(ids))
        .order_by(col(sp.person_id), col(ev.start_date), col(ev.id)))
    return {row.person_id: row for row in rows}  # the last of each person's rows wins


def _cities(c: Connection, ids: list[int]) -> list[SearchHit]:
    ct = m.City
    return [SearchHit("city", r.id, r.slug, BiText(r.name_ja, r.name_en),
                      context=BiText(r.region_ja, r.region_en) or None, country=r.country)
            for r in _rows(c, "city", [*CITY_COLUMNS, col(ct.region_ja), col(ct.region_en)], ids)]


def _organisations(c: Connection, ids: list[int]) -> list[SearchHit]:
    return [SearchHit("organisation", r.id, r.slug, BiText(r.name_ja, r.name_en),
                      context=BiText(r.abbreviation, r.abbreviation) if r.abbreviation else None,
                      country=r.country)
            for r in _rows(c, "organisation", ORGANISATION_COLUMNS, ids)]


def _networks(c: Connection, ids: list[int]) -> list[SearchHit]:
    n = m.Network
    return [SearchHit("network", r.id, r.slug, BiText(r.name_ja, r.name_en),
                      context=BiText(r.founded, r.founded) if r.founded else None)
            for r in _rows(c, "network", [col(n.id), col(n.slug), col(n.name_ja), col(n.name_en),
                                          col(n.founded)], ids)]


def _positions(c: Connection, ids: list[int]) -> list[SearchHit]:
    rows = _posts(c, col(m.Position.id).in_(ids))
    holders = {r.id: person_label(person_ref(r)) for r in c.execute(
        sa.select(*PERSON_COLUMNS).where(col(m.Person.id).in_({r.person_id for r in rows
                                                                if r.person_id})))}
    return [SearchHit("position", r.id, r.slug, r.label, context=holders.get(r.person_id))
            for r in rows]


def _events(c: Connection, ids: list[int]) -> list[SearchHit]:
    ev = m.Event
    return [SearchHit("event", r.id, r.slug, BiText(r.title_ja, r.title_en),
                      start=r.start_date, end=r.end_date)
            for r in _rows(c, "event", [col(ev.id), col(ev.slug), col(ev.title_ja),
                                        col(ev.title_en), col(ev.start_date), col(ev.end_date)],
                           ids)]


def _sessions(c: Connection, ids: list[int]) -> list[SearchHit]:
    from citynet.services.lists import session_row, session_select

    rows = c.execute(session_select().where(col(m.Session.id).in_(ids)))
    hits = []
    for r in rows:
        row = session_row(r)
        day = row.day or (row.starts_at.astimezone(ZoneInfo(row.timezone)).date()
                          if row.starts_at else None)
        hits.append(SearchHit("session", row.id, row.slug, row.title, context=row.event_title,
                              start=day))
    return hits


def _projects(c: Connection, ids: list[int]) -> list[SearchHit]:
    pr = m.Project
    rows = _rows(c, "project", [col(pr.id), col(pr.slug), col(pr.title_ja), col(pr.title_en),
                                col(pr.city_id)], ids)
    cities = _names(c, table_of(m.City), {r.city_id for r in rows})
    return [SearchHit("project", r.id, r.slug, BiText(r.title_ja, r.title_en),
                      context=cities.get(r.city_id)) for r in rows]


_DESCRIBE = {"person": _people, "city": _cities, "organisation": _organisations,
             "network": _networks, "position": _positions, "event": _events,
             "session": _sessions, "project": _projects}


__all__ = ["SearchHit", "SearchResults", "search", "describe"]
