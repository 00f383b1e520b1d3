"""Create, update and delete any record, with validation and optimistic locking.

A save names the revision the user started from; if the stored revision has moved on, someone else
saved in the meantime and the save is refused (the caller keeps the user's input). Every successful
save bumps the revision and ``updated_at`` and stamps ``updated_by`` with the saving user
(``history.current_user``); a refused save names who saved (or deleted) the record and when.

Every create, update and delete also appends a ``change`` row (``services/history.py``) in the
same transaction, so a refused or failed save records nothing. ``search_key`` (and a person's
``sort_key``) is recomputed from the record's names on every create and update
(``services/search.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from citynet.errors import ConflictError, NotFound
from citynet.i18n import _
from citynet.services.history import (
    current_user, field_changes, format_instant, home_zone, record_change,
)
from citynet.services.search import has_search_key, person_sort_key, search_key_for
from citynet.services.validation import ValidationError, coerce_value, validate_values
from citynet.store import models as m

KINDS: dict[str, type[m.Record]] = {
    "city": m.City, "relationship": m.Relationship, "organisation": m.Organisation,
    "network": m.Network, "membership": m.Membership, "person": m.Person, "position": m.Position,
    "event": m.Event, "session": m.Session, "participant": m.SessionParticipant,
    "organisation_role": m.OrganisationRole, "participation_totals": m.ParticipationTotals,
    "registration": m.Registration, "milestone": m.Milestone, "project": m.Project,
    "project_partner": m.ProjectPartner, "key_figure": m.KeyFigure,
}
KIND_OF: dict[type[m.Record], str] = {model: kind for kind, model in KINDS.items()}
# Columns citynet fills itself: a form or an import cannot set them.
MANAGED_FIELDS = ("id", "created_at", "updated_at", "revision", "updated_by", "search_key",
                  "sort_key")


@dataclass(frozen=True)
class RecordInfo:
    kind: str
    id: int
    slug: str | None
    revision: int


@dataclass(frozen=True)
class Dependent:
    kind: str
    label: str  # the dependent table's name
    count: int


def model_for(kind: str) -> type[m.Record]:
    try:
        return KINDS[kind]
    except KeyError:
        raise NotFound(_("unknown kind of record: {kind!r}").format(kind=kind)) from None


def _info(kind: str, row: m.Record) -> RecordInfo:
    return RecordInfo(kind, row.id, getattr(row, "slug", None), row.revision)


def _editable_fields(model: type[m.Record]) -> list[str]:
    return [c.name for c in model.__table__.columns if c.name not in MANAGED_FIELDS]


def _coerce_all(model, values: dict) -> dict:
    unknown = set(values) - set(_editable_fields(model))
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError(field, _("no such field"))
    return {name: coerce_value(model, name, raw) for name, raw in values.items()}


def _integrity_message(error: IntegrityError) -> str:
    text = str(getattr(error, "orig", error)).lower()
    if "unique" in text or "duplicate" in text:
        if "slug" in text:
            return _("that slug is already in use")
        if "is_home" in text or "uq_city_home" in text:
            return _("there is already a home city")
        return _("a record with these values already exists")
    if "foreign key" in text:
        return _("it refers to a record that does not exist, or others depend on it")
    return _("the database refused the values: {reason}").format(
        reason=str(getattr(error, "orig", error)).strip().splitlines()[0])


def _defaults(model) -> dict:
    """The values a new record starts with (model defaults), so whole-record rules can run."""
    probe = model()
    return {name: getattr(probe, name) for name in _editable_fields(model)}


def _stamps(model, full: dict, user: str | None, now) -> dict:
    """The managed values a save writes besides the user's: who, when, the search key."""
    stamps = {"updated_by": current_user(user), "updated_at": now}
    if has_search_key(model):
        stamps["search_key"] = search_key_for(model, full)
    if model is m.Person:
        stamps["sort_key"] = person_sort_key(full)
    return stamps


def create_record(engine: Engine, kind: str, values: dict, *, user: str | None = None) -> RecordInfo:
    model = model_for(kind)
    clean = _coerce_all(model, values)
    full = {**_defaults(model), **clean}
    validate_values(model, full)
    now = m.utcnow()
    stamps = _stamps(model, full, user, now)
    row = model(**clean, **stamps, created_at=now)
    with Session(engine) as db:
        db.add(row)
        try:
            db.flush()
            after = {name: getattr(row, name) for name in _editable_fields(model)}
            record_change(db.connection(), kind=kind, record_id=row.id,
                          slug=getattr(row, "slug", None), action="create",
                          changes=field_changes(None, after, _editable_fields(model)),
                          user=stamps["updated_by"], at=now)
            db.commit()
        except IntegrityError as error:
            db.rollback()
            raise ValidationError("slug" if "slug" in str(error.orig).lower() else kind,
                                  _integrity_message(error)) from None
        db.refresh(row)
        return _info(kind, row)


def get_values(engine: Engine, kind: str, record_id: int) -> dict:
    """Every column of one record (for a form), including its revision."""
    model = model_for(kind)
    with Session(engine) as db:
        row = db.get(model, record_id)
        if row is None:
            raise NotFound(_("no {kind} with id {id}").format(kind=kind, id=record_id))
        return {c.name: getattr(row, c.name) for c in model.__table__.columns}


def update_record(engine: Engine, kind: str, record_id: int, expected_revision: int, changes: dict,
                  *, user: str | None = None) -> RecordInfo:
    """Save ``changes`` if the record is still at ``expected_revision``; else ConflictError."""
    model = model_for(kind)
    clean = _coerce_all(model, changes)
    table = model.__table__
    with Session(engine) as db:
        connection = db.connection()
        row = connection.execute(sa.select(table).where(table.c.id == record_id)).first()
        if row is None:
            db.rollback()
            if _was_deleted(engine, kind, record_id):  # while the user was editing it
                raise ConflictError(_conflict_message(engine, kind, record_id, expected_revision))
            raise NotFound(_("no {kind} with id {id}").format(kind=kind, id=record_id))
        if row.revision != expected_revision:
            # Checked before the write too, so that ``before`` below is the state being replaced.
            db.rollback()
            raise ConflictError(_conflict_message(engine, kind, record_id, expected_revision))
        before = {c: row._mapping[c] for c in _editable_fields(model)}
        after = {**before, **clean}
        validate_values(model, after)
        now = m.utcnow()
        stamps = _stamps(model, after, user, now)
        # The revision check and the write are one statement, so two savers cannot both win.
        statement = (sa.update(table)
                     .where(table.c.id == record_id, table.c.revision == expected_revision)
                     .values(**clean, **stamps, revision=table.c.revision + 1))
        try:
            result = connection.execute(statement)
        except IntegrityError as error:
            db.rollback()
            raise ValidationError(kind, _integrity_message(error)) from None
        if result.rowcount != 1:
            db.rollback()
            raise ConflictError(_conflict_message(engine, kind, record_id, expected_revision))
        record_change(connection, kind=kind, record_id=record_id, slug=after.get("slug"),
                      action="update", changes=field_changes(before, after, _editable_fields(model)),
                      user=stamps["updated_by"], at=now)
        db.commit()
        fresh = db.get(model, record_id, populate_existing=True)
        return _info(kind, fresh)


def _was_deleted(engine: Engine, kind: str, record_id: int) -> bool:
    changes = m.Change.__table__
    with engine.connect() as connection:
        return connection.execute(sa.select(changes.c.id).where(
            changes.c.kind == kind, changes.c.record_id == record_id,
            changes.c.action == "delete").limit(1)).first() is not None


def _conflict_message(engine: Engine, kind: str, record_id: int, expected_revision: int) -> str:
    """Who saved (or deleted) the record since the user opened it, and when (in home time)."""
    table, changes = model_for(kind).__table__, m.Change.__table__
    with engine.connect() as connection:
        zone = home_zone(connection)
        row = connection.execute(sa.select(table.c.revision, table.c.updated_at, table.c.updated_by)
                                 .where(table.c.id == record_id)).first()
        if row is None:
            deleted = connection.execute(
                sa.select(changes.c.at, changes.c.user)
                .where(changes.c.kind == kind, changes.c.record_id == record_id,
                       changes.c.action == "delete")
                .order_by(changes.c.id.desc()).limit(1)).first()
            if deleted is None:
                return _("someone else deleted this record; your input is kept")
            return _("{user} deleted this record at {when}; your input is kept").format(
                user=deleted.user or "?", when=format_instant(deleted.at, zone))
        when = format_instant(row.updated_at, zone)
        if row.updated_by is None:
            return _("someone else saved this record at {when} (revision {theirs}, you started from "
                     "{yours}); your input is kept: reload to see their version").format(
                when=when, theirs=row.revision, yours=expected_revision)
        return _("{user} saved this record at {when} (revision {theirs}, you started from "
                 "{yours}); your input is kept: reload to see their version").format(
            user=row.updated_by, when=when, theirs=row.revision, yours=expected_revision)


def dependents(engine: Engine, kind: str, record_id: int) -> list[Dependent]:
    """Records that refer to this one (what a delete would break), with counts."""
    model = model_for(kind)
    table_name = model.__tablename__
    found = []
    with Session(engine) as db:
        for other_kind, other in KINDS.items():
            for column in other.__table__.columns:
                for key in column.foreign_keys:
                    if key.column.table.name == table_name:
                        count = db.connection().execute(
                            sa.select(sa.func.count()).select_from(other.__table__)
                            .where(column == record_id)).scalar_one()
                        if count:
                            found.append(Dependent(other_kind, other.__tablename__, count))
    return found


def delete_record(engine: Engine, kind: str, record_id: int, expected_revision: int,
                  *, user: str | None = None) -> None:
    """Delete a record nobody depends on, if it is still at ``expected_revision``."""
    model = model_for(kind)
    blocking = dependents(engine, kind, record_id)
    if blocking:
        listed = ", ".join(f"{d.count} {d.label}" for d in blocking)
        raise ValidationError(kind, _("other records depend on it: {listed}").format(listed=listed))
    table = model.__table__
    who = current_user(user)
    with Session(engine) as db:
        connection = db.connection()
        row = connection.execute(sa.select(table).where(table.c.id == record_id)).first()
        if row is None or row.revision != expected_revision:
            db.rollback()
            raise ConflictError(_conflict_message(engine, kind, record_id, expected_revision))
        before = {c: row._mapping[c] for c in _editable_fields(model)}
        try:
            result = connection.execute(
                sa.delete(table).where(table.c.id == record_id, table.c.revision == expected_revision))
        except IntegrityError as error:  # a dependent added since the check above
            db.rollback()
            raise ValidationError(kind, _integrity_message(error)) from None
        if result.rowcount != 1:
            db.rollback()
            raise ConflictError(_conflict_message(engine, kind, record_id, expected_revision))
        record_change(connection, kind=kind, record_id=record_id, slug=before.get("slug"),
                      action="delete", changes=field_changes(before, None, _editable_fields(model)),
                      user=who, at=m.utcnow())
        db.commit()
