"""What the terminal UI's forms read: a record's stored values, and the records a reference field
picks from (a city, an event, a person …), with the label each is shown by.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from citynet.errors import NotFound
from citynet.i18n import _
from citynet.services.convert import CITY_COLUMNS, PERSON_COLUMNS, person_ref
from citynet.services.lists import page_in
from citynet.services.readmodel import city_label, person_label
from citynet.services.search import terms_clause
from citynet.services.views import BiText
from citynet.store import models as m

MODELS: dict[str, Any] = {
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
    values: dict[str, Any] = field(default_factory=dict)


def record_values(engine: Engine, kind: str, *, slug: str | None = None,
                  record_id: int | None = None) -> RecordValues:
    """A record's column values as stored (for an edit form), with its revision."""
    table = MODELS[kind].__table__
    where = table.c.slug == slug if slug is not None else table.c.id == record_id
    with engine.connect() as c:
        row = c.execute(sa.select(table).where(where)).mappings().first()
    if row is None:
        raise NotFound(_("no {kind} {slug!r}").format(kind=kind, slug=slug or record_id))
    values = dict(row)
    return RecordValues(kind, values["id"], values["revision"], values)


@dataclass(frozen=True)
class Choice:
    id: int
    slug: str
    label: BiText  # a person's: readmodel.person_label; a city's: readmodel.city_label
    detail: str | None = None


def choices(engine: Engine, kind: str, query: str | None = None,
            limit: int = 50) -> tuple[Choice, ...]:
    """Records to pick from in a form (a city, an event, a person …), filtered while typing."""
    with engine.connect() as c:
        if kind == "person":
            return tuple(Choice(r.id, r.slug, person_label(r.person), r.person.name_kana)
                         for r in page_in(c, "person", query, None, limit).rows)
        if kind == "position":
            p = m.Position
            sel = sa.select(col(p.id), col(p.slug), col(p.title_ja), col(p.title_en))
            where = terms_clause(query, [col(p.title_ja), col(p.title_en), col(p.slug)])
            if where is not None:
                sel = sel.where(where)
            return tuple(Choice(r.id, r.slug, BiText(r.title_ja, r.title_en))
                         for r in c.execute(sel.order_by(col(p.slug)).limit(limit)))
        page = page_in(c, kind, query, None, limit)
        return tuple(Choice(r.id, r.slug, getattr(r, "name", None) or getattr(r, "title"))
                     for r in page.rows)


def choice_label(engine: Engine, kind: str, record_id: int | None) -> Choice | None:
    """The record a reference field holds, labelled as :func:`choices` labels it."""
    if record_id is None:
        return None
    table = MODELS[kind].__table__
    with engine.connect() as c:
        if kind == "person":
            person = c.execute(sa.select(*PERSON_COLUMNS)
                               .where(col(m.Person.id) == record_id)).first()
            if person is None:
                return None
            ref = person_ref(person)
            return Choice(ref.id, ref.slug, person_label(ref))
        if kind == "city":
            city = c.execute(sa.select(*CITY_COLUMNS).where(col(m.City.id) == record_id)).first()
            return Choice(city.id, city.slug, city_label(city)) if city else None
        ja, en = ("name_ja", "name_en") if "name_ja" in table.c else ("title_ja", "title_en")
        row = c.execute(sa.select(table.c.id, table.c.slug, table.c[ja], table.c[en])
                        .where(table.c.id == record_id)).first()
    return Choice(row[0], row[1], BiText(row[2], row[3])) if row else None


__all__ = ["MODELS", "RecordValues", "record_values", "Choice", "choices", "choice_label"]
