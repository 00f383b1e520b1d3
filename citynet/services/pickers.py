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
from citynet.services.hits import SearchHit, describe
from citynet.services.readmodel import city_label, person_label
from citynet.services.search import Found, language_order, rank
from citynet.services.views import BiText
from citynet.services.tables import table_of
from citynet.store import models as m

MODELS: dict[str, Any] = {
    "city": m.City, "organisation": m.Organisation, "network": m.Network,
    "membership": m.Membership, "relationship": m.Relationship, "person": m.Person,
    "position": m.Position, "event": m.Event, "session": m.Session,
    "participant": m.SessionParticipant, "organisation_role": m.OrganisationRole,
    "commitment": m.Commitment,
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


def choices(engine: Engine, kind: str, query: str | None = None,
            limit: int = 50) -> tuple[SearchHit, ...]:
    """Records to pick from in a form (a city, an event, a person …), filtered while typing by
    the search engine (best match first); with nothing typed, the first of the list in the
    reader's language's order."""
    with engine.connect() as c:
        if query and query.strip():
            return describe(c, rank(c, query, kinds=[kind], limit=limit).found)
        doc = table_of(m.SearchDoc)
        sort = doc.c.sort_ja if language_order() == "ja" else doc.c.sort_en
        ids = c.execute(sa.select(doc.c.record_id).where(doc.c.kind == kind)
                        .order_by(sort, doc.c.record_id).limit(limit)).scalars()
        return describe(c, [Found(kind, record_id, 0, False) for record_id in ids])


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
