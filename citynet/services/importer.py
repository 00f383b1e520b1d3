"""Importing cities, organisations, people and participants from a CSV or XLSX file.

An import runs in two phases:

1. **Read and check**, outside any write transaction: the file is decoded, its columns matched
   (``services/sheet_columns.py``), and every row read with the rule book (``services/rules.py``,
   the same rules and messages as the forms) against a snapshot of the store. The result is a plan:
   per row, the records to create and the changes to make, each change with the revision it was
   read at. A rejected row names its row number (as the spreadsheet numbers it, the header being
   row 1) and the problem.
   The records to create are then prepared for the write path (parsed, checked, keyed, stamped
   and converted for the driver), still without a lock, in parts of ``PROGRESS_EVERY`` records
   kept in a temporary file: what the import holds in memory is the plan, not its records ready
   to write (50,000 people: about 180 MB at the peak, whole process).
2. **Write**, in one short transaction through the single write path (origin ``import``), with
   bulk statements: every planned change is applied only if its record is still at the revision
   phase 1 read (and every new slug still free). A record someone saved in the meantime is not
   overwritten: its row is reported as a conflict, and so is every row that builds on it. Each
   row is written whole or not at all; several rows changing one record make one update.

With any rejection or conflict nothing is written unless ``skip_invalid``. ``dry_run`` does both
phases and then rolls back, so what it reports is exactly what the import would do. A kill
half-way leaves the database as it was.

Importing the same file twice creates nothing new: a row matches an existing record by slug when
it has one, else by a natural key (a city by country and name, an organisation by name or
abbreviation, a person by names and organisation, a position by holder, body and title, a
participant by session and person/position). A matched record is updated with the non-empty
cells that differ; empty cells never erase anything. New slugs come from
:func:`citynet.services.slugs.suggest_slug`.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from citynet.errors import N_, CitynetError
from citynet.i18n import _
from citynet.services import rules
from citynet.services.records import (KIND_OF, KINDS, PreparedCreates, Writer, conflict_message,
                                      defaults, editable_fields, writing)
from citynet.services.rules import ValidationError, match_key
from citynet.services.sheet_columns import ColumnPlan, plan_columns
from citynet.services.sheet_reading import read_rows
from citynet.services.tables import table_of
from citynet.store import models as m
from citynet.store.db import read_snapshot

IMPORT_KINDS = ("cities", "organisations", "people", "participants")
PROGRESS_EVERY = 1000

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヵヶ]")


def has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


def split_name_ja(text: str) -> tuple[str | None, str | None]:
    parts = text.replace("\u3000", " ").split()
    if len(parts) >= 2:
        return parts[0], " ".join(parts[1:])
    return text.strip(), None


def split_name_latin(text: str) -> tuple[str | None, str | None, str]:
    """(family, given, name order) from "SHIMIZU Hayato", "Kurz, Peter" or "Peter Kurz"."""
    text = " ".join(text.split())
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        return family or None, given or None, "given_first"
    parts = text.split(" ")
    if len(parts) == 1:
        return parts[0], None, "single"
    if parts[0].isupper() and len(parts[0]) > 1 and not parts[-1].isupper():
        return parts[0], " ".join(parts[1:]), "family_first"
    return parts[-1], " ".join(parts[:-1]), "given_first"


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rejection:
    row: int
    message: str


@dataclass(frozen=True, slots=True)
class Action:
    row: int
    action: str  # create | update | unchanged
    table: str
    slug: str | None
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    actions: list[Action] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    conflicts: list[Rejection] = field(default_factory=list)  # changed by someone since read
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions if a.action == action)


class RowProblem(CitynetError):
    """A row that cannot be imported; the message names the field by its label."""

    @classmethod
    def of(cls, error: ValidationError) -> RowProblem:
        return cls(str(error))


# --- phase 1: what the store holds, and the plan --------------------------------------------------


@dataclass(slots=True)
class Step:
    """One planned write: a create (``record_id`` is a temporary negative id that later steps may
    refer to; ``values`` without the fields left at their defaults) or an update of a record read
    at ``revision``."""

    kind: str
    record_id: int
    values: dict[str, Any]
    revision: int | None = None  # None: a create


_NONE: frozenset[int] = frozenset()


@dataclass(slots=True)
class PlannedRow:
    """One row's plan. Kept for every row of the file until the write: slotted, and ``finish``
    works out ``creates`` (the temporary ids of the records it creates) and ``needs`` (those of
    records earlier rows create that it refers to or updates)."""

    number: int
    steps: list[Step] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    creates: frozenset[int] = _NONE
    needs: frozenset[int] = _NONE

    def finish(self) -> PlannedRow:
        creates = {step.record_id for step in self.steps if step.revision is None}
        needs = set().union(*(_temporary_ids(step) for step in self.steps),
                            {step.record_id for step in self.steps if step.record_id < 0}) - creates
        self.creates, self.needs = frozenset(creates) or _NONE, frozenset(needs) or _NONE
        return self


class _Table:
    """The rows of one table as the import sees them, with its slugs and natural keys.

    ``lazy`` (the people, 100,000 and more): only the columns of the slugs and keys are read up
    front, and a whole row when a row of the file meets it (:meth:`row`), from the same snapshot;
    ``by_id`` then holds the rows met and created so far. Otherwise ``by_id`` holds every row."""

    def __init__(self, connection: Connection, model: type[m.Record],
                 keys: Callable[[dict], list], *, lazy: tuple[str, ...] | None = None) -> None:
        self.model, self.table, self.keys_of = model, table_of(model), keys
        self.kind = KIND_OF[model]
        self.connection, self.lazy = connection, lazy is not None
        self.by_id: dict[int, dict] = {}
        self.by_slug: dict[str, int] = {}
        # a key as its repr, and one id as itself: 200,000 keys of people take half the memory
        self.by_key: dict[str, int | list[int]] = {}
        if lazy is None:
            for row in connection.execute(sa.select(self.table)).mappings():
                self.remember(dict(row))
            return
        names = ("id", "slug", *lazy)
        for values in connection.execute(sa.select(*(self.table.c[n] for n in names))):
            self.index(dict(zip(names, values)))

    def index(self, row: dict) -> None:
        """Make the row findable by its slug and its keys."""
        if "slug" in row:
            self.by_slug[row["slug"]] = row["id"]
        record_id = row["id"]
        for key in self.keys_of(row):
            if key is not None:
                flat = repr(key)
                ids = self.by_key.setdefault(flat, record_id)
                if isinstance(ids, list):
                    if record_id not in ids:
                        ids.append(record_id)
                elif ids != record_id:
                    self.by_key[flat] = [ids, record_id]

    def remember(self, row: dict, stored: dict | None = None) -> None:
        """A row as the import now sees it (``stored``: what to keep of it, when less)."""
        self.by_id[row["id"]] = row if stored is None else stored
        self.index(row)

    def row(self, record_id: int) -> dict:
        """The whole row of a record as the import sees it."""
        if record_id < 0:  # created by an earlier row of the file: kept without its defaults
            return {**defaults(self.kind), **self.by_id[record_id], "id": record_id, "revision": 0}
        found = self.by_id.get(record_id)
        if found is None:
            found = dict(self.connection.execute(
                sa.select(self.table).where(self.table.c.id == record_id)).mappings().one())
            self.by_id[record_id] = found
        return found

    def find(self, keys: list) -> list[int]:
        """The records of the first of these keys that any record has."""
        for key in keys:
            if key is not None:
                ids = self.by_key.get(repr(key))
                if ids is not None:
                    return list(ids) if isinstance(ids, list) else [ids]
        return []

    def unique_slug(self, base: str | None, fallback: str) -> str:
        base = (base or fallback)[:70].strip("-") or fallback
        slug, n = base, 2
        while slug in self.by_slug:
            slug, n = f"{base}-{n}", n + 1
        return slug


def _hash_slug(prefix: str, *texts: str | None) -> str:
    digest = hashlib.sha1("|".join(t or "" for t in texts).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


def _city_key(text: str | None) -> str:
    """A city's matching key: ミュンスター市 and ミュンスター, Saitama City and Saitama meet."""
    key = match_key(text)
    for suffix in ("市", "city"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[:-len(suffix)]
    return key


def _city_keys(row: dict) -> list:
    return [("en", row.get("country"), _city_key(row.get("name_en"))) if row.get("name_en") else None,
            ("ja", row.get("country"), _city_key(row.get("name_ja"))) if row.get("name_ja") else None,
            ("any-en", _city_key(row.get("name_en"))) if row.get("name_en") else None,
            ("any-ja", _city_key(row.get("name_ja"))) if row.get("name_ja") else None]


def _organisation_keys(row: dict) -> list:
    return [("ja", match_key(row.get("name_ja"))) if row.get("name_ja") else None,
            ("en", match_key(row.get("name_en"))) if row.get("name_en") else None,
            ("abbr", match_key(row.get("abbreviation"))) if row.get("abbreviation") else None]


_PERSON_KEY_FIELDS = ("family_name_ja", "given_name_ja", "family_name_latin", "given_name_latin")


def _person_keys(row: dict) -> list:
    ja = match_key((row.get("family_name_ja") or "") + (row.get("given_name_ja") or ""))
    latin_parts = sorted(match_key(x) for x in (row.get("family_name_latin"),
                                                row.get("given_name_latin")) if x)
    return [("ja", ja) if ja else None, ("latin", tuple(latin_parts)) if latin_parts else None]


def _position_keys(row: dict) -> list:
    body = (row.get("city_id"), row.get("organisation_id"))
    holder = row.get("person_id")
    return [("ja", holder, body, match_key(row.get("title_ja"))) if row.get("title_ja") else None,
            ("en", holder, body, match_key(row.get("title_en"))) if row.get("title_en") else None]


def _participant_keys(row: dict) -> list:
    return [(row.get("session_id"), row.get("person_id"), row.get("position_id"))]


def _suggest(*texts: str | None) -> str | None:
    from citynet.services.slugs import suggest_slug

    return suggest_slug(*texts)


class Planner:
    """Reads each row against a snapshot of the store and plans its writes (nothing is written)."""

    def __init__(self, connection: Connection, kind: str, plan: ColumnPlan) -> None:
        self.kind, self.plan, self.connection = kind, plan, connection
        self.next_temporary_id = -1
        self.row = PlannedRow(0)
        self.done: list[PlannedRow] = []  # the rows planned so far, in file order

    # -- the tables, each read from the snapshot when a row first needs it --

    @cached_property
    def cities(self) -> _Table:
        return _Table(self.connection, m.City, _city_keys)

    @cached_property
    def organisations(self) -> _Table:
        return _Table(self.connection, m.Organisation, _organisation_keys)

    @cached_property
    def people(self) -> _Table:
        return _Table(self.connection, m.Person, _person_keys, lazy=_PERSON_KEY_FIELDS)

    @cached_property
    def positions(self) -> _Table:
        return _Table(self.connection, m.Position, _position_keys)

    @cached_property
    def events(self) -> _Table:
        return _Table(self.connection, m.Event, lambda row: [])

    @cached_property
    def sessions(self) -> _Table:
        return _Table(self.connection, m.Session, lambda row: [("event", row["event_id"])])

    @cached_property
    def participants(self) -> _Table:
        return _Table(self.connection, m.SessionParticipant, _participant_keys)

    # -- helpers --

    def header(self, field_name: str) -> str:
        for name in (field_name, field_name.rsplit("_", 1)[0] + "*"):
            if name in self.plan.headers:
                return self.plan.headers[name]
        return field_name

    @staticmethod
    def values_of(cells: dict) -> dict:
        """Cells → field values, a "*" field split by language."""
        values = {}
        for name, text in cells.items():
            if text is None:
                continue
            if name.endswith("*"):
                base = name[:-1]
                values[f"{base}_ja" if has_japanese(text) else f"{base}_en"] = text
            else:
                values[name] = text
        return values

    def parse(self, store: _Table, values: dict) -> dict:
        """Cell texts → Python values with the rule book (the forms' parsing and messages)."""
        try:
            return {name: rules.parse_value(store.kind, name, raw) for name, raw in values.items()}
        except ValidationError as error:
            raise RowProblem.of(error) from None

    def check(self, kind: str, full: dict) -> None:
        try:
            rules.check_record(kind, full)
        except ValidationError as error:
            raise RowProblem.of(error) from None

    def save(self, store: _Table, values: dict, existing_id: int | None,
             slug_base: str | None, slug_fallback: str, label: str | None = None) -> int:
        """Plan a create or an update of one record (values already parsed); returns its id
        (a temporary negative one for a record to create)."""
        editable = editable_fields(store.kind)
        table_name = store.table.name
        if existing_id is None:
            full = {**defaults(store.kind), **values}
            if "slug" in editable and not full.get("slug"):
                full["slug"] = store.unique_slug(slug_base, slug_fallback)
            elif "slug" in editable and full["slug"] in store.by_slug:
                raise RowProblem.of(ValidationError(store.kind, "slug", N_("{value!r} is already in use"),
                                                    value=full["slug"]))
            self.check(store.kind, full)
            new_id = self.next_temporary_id
            self.next_temporary_id -= 1
            start = defaults(store.kind)
            values = {k: v for k, v in full.items() if k not in start or start[k] != v}
            store.remember({**full, "id": new_id}, values)
            self.row.steps.append(Step(store.kind, new_id, values))
            self.row.actions.append(Action(self.row.number, "create", table_name,
                                           full.get("slug") or label))
            return new_id
        current = store.row(existing_id)
        changes = {k: v for k, v in values.items() if k != "slug" and current.get(k) != v}
        if not changes:
            self.row.actions.append(Action(self.row.number, "unchanged", table_name,
                                           current.get("slug") or label))
            return existing_id
        full = {name: current.get(name) for name in editable}
        full.update(changes)
        self.check(store.kind, full)
        # An update of a record read from the store (revision ≥ 1) or of one an earlier row of
        # this file creates (revision 0): the write merges it into that record's first step.
        self.row.steps.append(Step(store.kind, existing_id, changes, current["revision"]))
        if existing_id < 0:
            store.remember({**current, **changes}, {**store.by_id[existing_id], **changes})
        else:
            store.remember({**current, **changes})
        self.row.actions.append(Action(self.row.number, "update", table_name,
                                       current.get("slug") or label, tuple(sorted(changes))))
        return existing_id

    def one(self, ids: list[int], what: str, text: str | None) -> int | None:
        if len(ids) > 1:
            raise RowProblem(_("{what} {text!r} is ambiguous ({n} records); give its slug").format(
                what=what, text=text, n=len(ids)))
        return ids[0] if ids else None

    def find_city(self, text: str) -> int:
        store = self.cities
        found = store.by_slug.get(text)
        if found is None:
            found = self.one(store.find([("any-ja", _city_key(text)), ("any-en", _city_key(text))]),
                             self.header("city"), text)
        if found is None:
            raise RowProblem(_("{column}: no city {text!r}").format(column=self.header("city"), text=text))
        return found

    def find_organisation(self, text: str) -> int:
        store = self.organisations
        found = store.by_slug.get(text)
        if found is None:
            found = self.one(store.find([("ja", match_key(text)), ("en", match_key(text)),
                                         ("abbr", match_key(text))]),
                             self.header("organisation"), text)
        if found is None:
            raise RowProblem(_("{column}: no organisation {text!r}").format(
                column=self.header("organisation"), text=text))
        return found

    # -- the kinds --

    def city(self, cells: dict) -> None:
        store = self.cities
        values = self.parse(store, self.values_of(cells))
        existing = store.by_slug.get(values["slug"]) if values.get("slug") else None
        if existing is None:
            if not (values.get("name_ja") or values.get("name_en")):
                self.check("city", {})  # says what a city needs, as a form would
            if not values.get("country"):
                raise RowProblem.of(ValidationError("city", "country", N_("a value is required")))
            existing = self.one(store.find(_city_keys(values)[:2]), _("city"),
                                values.get("name_en") or values.get("name_ja"))
        if existing is None and "timezone" not in values:
            zone = rules.default_time_zone(values.get("country"))
            if zone is None:
                raise RowProblem.of(ValidationError(
                    "city", "timezone", N_("a value is required ({country} has several time zones)"),
                    country=values["country"]))
            values["timezone"] = zone
        self.save(store, values, existing, _suggest(values.get("name_en")),
                  _hash_slug("city", values.get("country"), values.get("name_ja")))

    def organisation(self, cells: dict) -> None:
        store = self.organisations
        values = self.values_of(cells)
        city = values.pop("city", None)
        values = self.parse(store, values)
        if city is not None:
            values["city_id"] = self.find_city(city)
        existing = store.by_slug.get(values["slug"]) if values.get("slug") else None
        if existing is None:
            if not (values.get("name_ja") or values.get("name_en")):
                self.check("organisation", {"kind": "other"})
            existing = self.one(store.find(_organisation_keys(values)), _("organisation"),
                                values.get("name_en") or values.get("name_ja"))
            if existing is None:
                values.setdefault("kind", "other")
        self.save(store, values, existing,
                  _suggest(values.get("abbreviation"), values.get("name_en")),
                  _hash_slug("organisation", values.get("name_ja")))

    def person(self, cells: dict) -> None:
        values = self.values_of(cells)
        if "full_name_ja" in values:
            family, given = split_name_ja(values.pop("full_name_ja"))
            values.setdefault("family_name_ja", family)
            if given:
                values.setdefault("given_name_ja", given)
        if "full_name_latin" in values:
            family, given, order = split_name_latin(values.pop("full_name_latin"))
            values.setdefault("family_name_latin", family)
            if given:
                values.setdefault("given_name_latin", given)
            if "family_name_ja" not in values:
                values.setdefault("name_order", order)
        position = {k: values.pop(k) for k in ("title_ja", "title_en", "organisation", "city",
                                               "start", "end") if k in values}
        position_values = {k: position[k] for k in ("title_ja", "title_en", "start", "end")
                           if k in position}
        if position_values:
            position.update(self.parse(self.positions, position_values))
        store = self.people
        values = self.parse(store, values)
        body = {}
        if position.get("organisation"):
            try:
                body["organisation_id"] = self.find_organisation(position["organisation"])
            except RowProblem:
                try:  # 所属: ミュンスター — a city government is often named by its city
                    body["city_id"] = self.find_city(position["organisation"])
                except RowProblem:
                    raise RowProblem(_("{column}: no organisation or city {text!r}").format(
                        column=self.header("organisation"), text=position["organisation"])) from None
        elif position.get("city"):
            body["city_id"] = self.find_city(position["city"])
        existing = store.by_slug.get(values["slug"]) if values.get("slug") else None
        if existing is None:
            candidates = store.find(_person_keys(values))
            if body and len(candidates) > 1:  # the same name at the same organisation or city
                holding = {p["person_id"] for p in self.positions.by_id.values()
                           if p.get("organisation_id") == body.get("organisation_id")
                           and p.get("city_id") == body.get("city_id")}
                candidates = [c for c in candidates if c in holding] or candidates
            existing = self.one(candidates, _("person"),
                                " ".join(v for v in (values.get("family_name_ja"), values.get("given_name_ja"),
                                                     values.get("family_name_latin")) if v))
        title = {k: position[k] for k in ("title_ja", "title_en") if position.get(k)}
        if (title or position.get("start") or position.get("end")) and not body:
            raise RowProblem(_("{column}: a title needs an organisation or a city").format(
                column=self.header("title_ja")))
        if body and not title:
            raise RowProblem(_("{column}: an organisation or city needs a title").format(
                column=self.header("organisation")))
        if title:  # the position is checked before anything of the row is planned
            self.check("position", {**defaults("position"), **body, **title, "slug": "probe",
                                    "start": position.get("start"), "end": position.get("end")})
        person_id = self.save(store, values, existing,
                              _suggest(" ".join(x for x in (values.get("given_name_latin"),
                                                             values.get("family_name_latin")) if x)),
                              _hash_slug("person", values.get("family_name_ja"), values.get("given_name_ja")))
        if title:
            row = {"person_id": person_id, "city_id": body.get("city_id"),
                   "organisation_id": body.get("organisation_id"), **title}
            positions = self.positions
            found = positions.find(_position_keys(row))
            pos_values = {**row, **{k: position[k] for k in ("start", "end") if position.get(k)}}
            body_slug = (self.organisations.by_id[body["organisation_id"]]["slug"] if "organisation_id" in body
                         else self.cities.by_id[body["city_id"]]["slug"])
            person_slug = store.row(person_id)["slug"]
            self.save(positions, pos_values, found[0] if found else None,
                      _suggest(f"{body_slug} {title.get('title_en') or ''} {person_slug}"),
                      _hash_slug("position", body_slug, person_slug))

    def participant(self, cells: dict) -> None:
        values = self.values_of(cells)
        event_text = values.get("event")
        if not event_text:
            raise RowProblem(_("{column}: a value is required").format(column=self.header("event")))
        event_id = self.events.by_slug.get(event_text)
        if event_id is None:
            raise RowProblem(_("{column}: no event {slug!r}").format(column=self.header("event"), slug=event_text))
        sessions = self.sessions.find([("event", event_id)])
        session_text = values.get("session")
        if session_text:
            session_id = self.sessions.by_slug.get(session_text)
            if session_id is None:
                titles = [s for s in sessions if match_key(session_text) in (
                    match_key(self.sessions.by_id[s].get("title_ja")),
                    match_key(self.sessions.by_id[s].get("title_en")))]
                session_id = self.one(titles, self.header("session"), session_text)
            if session_id is None or session_id not in sessions:
                raise RowProblem(_("{column}: the event {event} has no session {session!r}").format(
                    column=self.header("session"), event=event_text, session=session_text))
        elif len(sessions) == 1:
            session_id = sessions[0]
        else:
            raise RowProblem(_("{column}: the event {event} has {n} sessions; name one").format(
                column=self.header("session"), event=event_text, n=len(sessions)))
        person_id = position_id = None
        if values.get("person"):
            text = values["person"]
            person_id = self.people.by_slug.get(text)
            if person_id is None:
                lf, lg, _order = split_name_latin(text)
                probe = [("ja", match_key(text))] + [
                    ("latin", tuple(sorted(match_key(x) for x in (lf, lg) if x)))]
                person_id = self.one(self.people.find(probe), self.header("person"), text)
            if person_id is None:
                raise RowProblem(_("{column}: no person {text!r}").format(column=self.header("person"), text=text))
        if values.get("position"):
            text = values["position"]
            position_id = self.positions.by_slug.get(text)
            if position_id is None:
                matches = [p["id"] for p in self.positions.by_id.values()
                           if match_key(text) in (match_key(p.get("title_ja")), match_key(p.get("title_en")))
                           and (person_id is None or p.get("person_id") == person_id)]
                position_id = self.one(matches, self.header("position"), text)
            if position_id is None:
                raise RowProblem(_("{column}: no position {text!r}").format(
                    column=self.header("position"), text=text))
        store = self.participants
        record: dict[str, Any] = {"session_id": session_id, "person_id": person_id,
                                  "position_id": position_id}
        record.update(self.parse(store, {
            "role": values.get("role") or "participant",
            **{k: values[k] for k in ("capacity_ja", "capacity_en", "sort_order") if values.get(k)}}))
        self.check("participant", {**defaults("participant"), **record})
        found = store.find(_participant_keys(record))
        if not found and record.get("sort_order") is None:
            orders = [p["sort_order"] for p in store.by_id.values() if p["session_id"] == session_id]
            record["sort_order"] = max(orders, default=0) + 1
        who = (self.people.row(person_id)["slug"] if person_id is not None
               else self.positions.by_id[position_id]["slug"])  # type: ignore[index]
        self.save(store, record, found[0] if found else None, None, "",
                  label=f"{self.sessions.by_id[session_id]['slug']}: {who}")

    def plan_row(self, number: int, handler: Callable[[dict], None], cells: dict) -> PlannedRow:
        """Plan one row; on a RowProblem the row's steps are dropped (a record it was to create
        stays known to later rows, which then fail to write with a message saying so)."""
        self.row = PlannedRow(number)
        handler(cells)
        return self.row.finish()


# --- phase 2: the write -------------------------------------------------------------------------


def _temporary_ids(step: Step) -> set[int]:
    """The records not yet written that a step's values refer to (by their temporary ids)."""
    return {value for name in rules.reference_fields(step.kind)
            if isinstance(value := step.values.get(name), int) and value < 0}


def _resolve(step: Step, ids: dict[int, int]) -> dict:
    refs = rules.reference_fields(step.kind)
    return {name: ids[value] if name in refs and isinstance(value, int) and value < 0 else value
            for name, value in step.values.items()}


def _conflicts(writer: Writer, rows: list[PlannedRow]) -> dict[int, str]:
    """Rows that can no longer be written as planned, with why: a record they update was saved
    or deleted by someone since phase 1 read it, or a slug they create was taken meanwhile. Read
    inside the write transaction, with the records locked, so the write that follows cannot
    meet a change the check did not see."""
    updates: dict[str, dict[int, list[tuple[int, int]]]] = {}  # kind -> id -> [(row, revision)]
    creates: dict[str, dict[str, int]] = {}  # kind -> slug -> row
    for row in rows:
        for step in row.steps:
            if step.revision is None:
                if step.values.get("slug"):
                    creates.setdefault(step.kind, {})[step.values["slug"]] = row.number
            elif step.record_id > 0:
                updates.setdefault(step.kind, {}).setdefault(step.record_id, []).append(
                    (row.number, step.revision))
    found: dict[int, str] = {}
    for kind, wanted in updates.items():
        current = writer.current_rows(kind, list(wanted))
        for record_id, readers in wanted.items():
            for number, revision in readers:
                if current.get(record_id, {}).get("revision") != revision:
                    found.setdefault(number, conflict_message(writer.c, kind, record_id, revision))
    for kind, slugs in creates.items():
        for slug in writer.slugs_in_use(kind, list(slugs)):
            found.setdefault(slugs[slug], str(ValidationError(
                kind, "slug", N_("{value!r} is already in use"), value=slug)))
    return found


def _merged_steps(rows: list[PlannedRow]) -> tuple[dict[str, list[Step]], dict[str, list[Step]]]:
    """The rows' steps as one create per new record and one update per existing record, by
    kind (later rows' changes merged into a copy of the first step of their record; the plan
    itself is left as it is, for a second pass without the rows in conflict)."""
    first: dict[tuple[str, int], Step] = {}
    merged: dict[tuple[str, int], dict] = {}
    for row in rows:
        for step in row.steps:
            key = (step.kind, step.record_id)
            if key not in first:
                first[key] = step
            else:
                merged.setdefault(key, dict(first[key].values)).update(step.values)
    creates: dict[str, list[Step]] = {}
    updates: dict[str, list[Step]] = {}
    for key, step in first.items():
        if key in merged:
            step = Step(step.kind, step.record_id, merged[key], step.revision)
        (creates if step.revision is None else updates).setdefault(step.kind, []).append(step)
    return creates, updates


@dataclass
class _Prepared:
    """The plan's records ready to write: the creates prepared in parts of ``PROGRESS_EVERY``
    records, parents first, each with the temporary ids it replaces, kept in a temporary file
    until the write (50,000 people prepared would take hundreds of megabytes in memory);
    the updates merged by record."""

    spill: IO[bytes]
    parts: list[tuple[str, int]]  # (kind, records) of each part, in the file's order
    updates: dict[str, list[Step]]

    def read(self) -> Iterator[tuple[str, list[int], PreparedCreates]]:
        self.spill.seek(0)
        for kind, _count in self.parts:
            temporary, creates = pickle.load(self.spill)
            yield kind, temporary, creates


def _prepare(writer: Writer, rows: list[PlannedRow]) -> _Prepared:
    creates, updates = _merged_steps(rows)
    spill = tempfile.TemporaryFile()  # noqa: SIM115 (closed by import_file, after the write)
    parts = []
    for kind in KINDS:  # parents before children: the order of the foreign keys
        steps = creates.get(kind, [])
        for start in range(0, len(steps), PROGRESS_EVERY):
            part = steps[start:start + PROGRESS_EVERY]
            pickle.dump(([step.record_id for step in part],
                         writer.prepare_creates(kind, [step.values for step in part], parsed=True)),
                        spill, pickle.HIGHEST_PROTOCOL)
            parts.append((kind, len(part)))
    return _Prepared(spill, parts, updates)


def _write(engine: Engine, rows: list[PlannedRow], prepared: _Prepared, report: ImportReport, *,
           now: datetime, commit: bool, all_or_nothing: bool,
           progress: Callable[[str, int, int], None] | None) -> None:
    """Apply the plan through the write path in one transaction that does little else than its
    bulk statements (the creates come prepared). Rows whose records changed since phase 1 (and
    rows that build on them) become conflicts and are left out, whole; with ``all_or_nothing``
    a conflict writes nothing."""
    with writing(engine, origin="import", now=now, commit=commit) as writer:
        stale = _conflicts(writer, rows)
        kept: list[PlannedRow] = []
        to_create: set[int] = set()  # temporary ids of the records the kept rows create
        for row in rows:
            reason = stale.get(row.number)
            if reason is None and not row.needs <= to_create:
                # a record an earlier row was to create: that row was refused or left out
                reason = _("it refers to a record of a row that was not written")
            if reason is None:
                kept.append(row)
                to_create |= row.creates
            else:
                report.conflicts.append(Rejection(row.number, reason))
        if report.conflicts:
            if all_or_nothing and commit:
                raise _NothingWritten
            prepared.spill.close()
            prepared = _prepare(writer, kept)  # again, without the rows left out
        total = (sum(count for _kind, count in prepared.parts)
                 + sum(map(len, prepared.updates.values())))
        ids: dict[int, int] = {}
        done = 0
        parts = prepared.read()
        part = next(parts, None)
        for kind in KINDS:  # parents before children: the order of the foreign keys
            while part is not None and part[0] == kind:
                _kind, temporary, creates = part
                made = writer.insert_prepared(creates, ids)
                ids.update((t, info.id) for t, info in zip(temporary, made))
                done += len(made)
                if progress is not None:
                    progress("written", done, total)
                part = next(parts, None)
            updates = prepared.updates.get(kind, [])
            for start in range(0, len(updates), PROGRESS_EVERY):
                batch = updates[start:start + PROGRESS_EVERY]
                writer.update_many(kind, [(step.record_id, step.revision or 0,
                                           _resolve(step, ids)) for step in batch])
                done += len(batch)
                if progress is not None:
                    progress("written", done, total)
        for row in kept:
            report.actions.extend(row.actions)
    report.written = commit


class _NothingWritten(Exception):
    """Rolls the write back: a conflict in an all-or-nothing import."""


_REQUIRED_COLUMNS = {
    "cities": (("name_ja", "name_en", "slug"), ("country", "slug")),
    "organisations": (("name_ja", "name_en", "slug"),),
    "people": (("family_name_ja", "given_name_ja", "full_name_ja", "family_name_latin",
                "given_name_latin", "full_name_latin", "slug"),),
    "participants": (("event",), ("person", "position")),
}


def import_file(engine: Engine, kind: str, path: Path | str, fmt: str, *, dry_run: bool = False,
                skip_invalid: bool = False, mapping: dict[str, str] | None = None,
                progress: Callable[[str, int, int], None] | None = None,
                before_write: Callable[[], None] | None = None) -> ImportReport:
    """Import a CSV or XLSX file of ``kind`` (see the module docstring); returns the report.
    ``progress(phase, done, total)`` is called every ``PROGRESS_EVERY`` rows of each phase
    ("checked", then "written"); ``before_write`` once every row is read and checked, before the
    write begins."""
    if kind not in IMPORT_KINDS:
        raise CitynetError(_("cannot import {kind}; choose one of: {kinds}").format(
            kind=kind, kinds=", ".join(IMPORT_KINDS)))
    path = Path(path)
    headers, rows = read_rows(path, fmt)
    plan = plan_columns(kind, headers, mapping or {})
    for group in _REQUIRED_COLUMNS[kind]:
        if not any(name in plan.headers or name + "*" in plan.headers for name in group):
            raise CitynetError(_("the file has no column for {field}; name one with --map COLUMN={field}")
                               .format(field=group[0]))
    report = ImportReport(kind, rows=len(rows), ignored_columns=plan.ignored, dry_run=dry_run)
    handler_name = {"cities": "city", "organisations": "organisation", "people": "person",
                    "participants": "participant"}[kind]
    with read_snapshot(engine) as connection:  # phase 1 reads one consistent snapshot
        planner = Planner(connection, kind, plan)
        handler = getattr(planner, handler_name)
        total = len(rows)
        rows.reverse()  # taken from the end: each row's cells are let go once it is planned
        for done in range(1, total + 1):
            number, cells = rows.pop()
            fields = {name: cells[index] if index < len(cells) else None
                      for index, name in plan.fields.items()}
            try:
                planner.done.append(planner.plan_row(number, handler, fields))
            except RowProblem as problem:
                report.rejected.append(Rejection(number, str(problem)))
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress("checked", done, total)
    planned = planner.done
    del rows, planner, handler  # the snapshot: only the plan is needed from here on
    now = m.utcnow()
    with engine.connect() as connection:  # parse, check and stamp the records: no lock yet
        prepared = _prepare(Writer(connection, origin="import", now=now), planned)
    if before_write is not None:
        before_write()
    commit = not dry_run and not (report.rejected and not skip_invalid)
    try:
        _write(engine, planned, prepared, report, now=now, commit=commit,
               all_or_nothing=not skip_invalid, progress=progress)
    except _NothingWritten:
        report.written = False
    finally:
        prepared.spill.close()
    return report
