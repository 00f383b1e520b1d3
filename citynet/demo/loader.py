"""Load the demo dataset (``citynet.demo.data``) into a store, in one transaction.

Records in ``data.py`` refer to each other by slug; this module turns the slugs into ids, dates and
times into Python values, numbers ``sort_order`` from the source order, and stamps every row with
one fixed timestamp so that a dump of the demo is the same every time.

Every record is written through the single write path (origin ``demo``, user ``demo``), so the
rule book checks it and the history shows where it came from. Identities are fixed too: each
record's uuid derives from its table and slug (or its place in the data), so two loads give the
same store.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timezone
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from citynet.demo import data
from citynet.errors import N_, CitynetError
from citynet.services.records import KIND_OF, legacy_uuid, writing
from citynet.services.tables import table_name, table_of
from citynet.store import models

ALREADY_HOLDS_DATA = N_("the database already holds data; use --force to replace it")
DEMO_USER = "demo"

# Reference keys used in data.py: key -> (the column it fills, the table it names by slug).
REFERENCES: dict[str, tuple[str, type[models.Record]]] = {
    "city": ("city_id", models.City),
    "organisation": ("organisation_id", models.Organisation),
    "network": ("network_id", models.Network),
    "person": ("person_id", models.Person),
    "position": ("position_id", models.Position),
    "event": ("event_id", models.Event),
    "session": ("session_id", models.Session),
    "project": ("project_id", models.Project),
}

DATE_FIELDS = ("start_date", "end_date", "attend_start", "attend_end", "day")
FUZZY_FIELDS = ("when", "since", "until", "start", "end", "founded", "period", "base_period")

# How sort_order is numbered (1, 2, …) in source order: per session for the people in it; per
# parent and role for organisations (so the four 後援 ministries are 1–4) and project partners.
SORT_GROUPS: dict[type[models.Record], tuple[str, ...]] = {
    models.SessionParticipant: ("session",),
    models.OrganisationRole: ("event", "session", "role"),
    models.ProjectPartner: ("project", "role"),
}


def demo_rows() -> dict[type[models.Record], list[dict[str, Any]]]:
    """The demo's rows gathered per table (parents first), in source order."""
    by_name = {table_name(model): model for model in KIND_OF}  # every kind of record, parents first
    rows: dict[type[models.Record], list[dict[str, Any]]] = {model: [] for model in KIND_OF}
    for slide in data.SLIDES:
        for key, table_rows in slide.items():
            if key == "source":
                continue
            rows[by_name[key]].extend(table_rows)
    return rows


def count_rows(connection: Connection) -> dict[str, int]:
    return {
        table_name(model): connection.execute(
            sa.select(sa.func.count()).select_from(table_of(model))).scalar_one()
        for model in models.ALL_TABLES
    }


def load_demo(engine: Engine, *, force: bool = False) -> dict[str, int]:
    """Insert the demo dataset; return the number of rows per table.

    A store that already holds records is refused unless ``force``, which deletes every row of
    every table first — in the same transaction, so a failure leaves the store as it was.
    """
    stamp = datetime.fromisoformat(data.TIMESTAMP).astimezone(timezone.utc)
    with writing(engine, origin="demo", user=DEMO_USER, now=stamp) as writer:
        if any(count_rows(writer.c).values()):
            if not force:
                raise CitynetError(ALREADY_HOLDS_DATA)
            writer.delete_everything()
        ids: dict[type[models.Record], dict[str, int]] = defaultdict(dict)
        zones: dict[str, str] = {}  # event slug -> IANA zone, for session times
        for model, table_rows in demo_rows().items():
            numbers: dict[tuple, int] = defaultdict(int)
            for place, row in enumerate(table_rows, start=1):
                values = _values(model, row, ids, zones, numbers)
                if "slug" in row and row["slug"] in ids[model]:
                    raise ValueError(f"demo data: duplicate {model.__tablename__} slug {row['slug']!r}")
                info = writer.create(KIND_OF[model], values,
                                     uuid=legacy_uuid(table_name(model), row.get("slug"), place))
                if "slug" in row:
                    ids[model][row["slug"]] = info.id
                if model is models.Event:
                    zones[row["slug"]] = row["timezone"]
        counts = count_rows(writer.c)
    counts.update(_release_demo_documents(engine, stamp))
    return counts


def _release_demo_documents(engine: Engine, stamp: datetime) -> dict[str, int]:
    """The demo's releases (``data.RELEASES``), recorded as ``citynet release`` records them but
    without writing the PDFs. A second transaction: a release reads the committed records. Its
    warnings go out with it, as a person releasing with --accept-warnings would have them."""
    from citynet.render.pdf.release import release_document

    for release in data.RELEASES:
        release_document(engine, release["document"], release["event"], release["lang"],
                         accept_warnings=True, origin="demo", user=DEMO_USER, now=stamp,
                         generated_on=stamp.date(), write_file=False)
    return {table_name(models.Release): len(data.RELEASES)}


def _values(model, row: dict[str, Any], ids, zones: dict[str, str], numbers) -> dict[str, Any]:
    """The column values of one data row: slugs resolved, dates parsed, sort order numbered."""
    values: dict[str, Any] = {}
    for key, value in row.items():
        if key in REFERENCES:
            column, target = REFERENCES[key]
            try:
                values[column] = ids[target][value]
            except KeyError:
                raise ValueError(
                    f"demo data: {model.__tablename__} refers to unknown {key} {value!r}") from None
        elif key in DATE_FIELDS:
            values[key] = date.fromisoformat(value)
        elif model is models.Session and key in ("start", "end"):
            continue  # local wall-clock times: turned into instants below
        else:
            values[key] = value
    if model is models.Session:
        values.update(_session_instants(row, zones))
    if model in SORT_GROUPS:
        group = tuple(row.get(key) for key in SORT_GROUPS[model])
        numbers[group] += 1
        values["sort_order"] = numbers[group]
    unknown = set(values) - set(model.model_fields)
    if unknown:
        raise ValueError(f"demo data: {model.__tablename__} has no field(s) {sorted(unknown)}")
    return values


def _session_instants(row: dict[str, Any], zones: dict[str, str]) -> dict[str, Any]:
    """``day`` + local ``start``/``end`` in the event's zone -> aware instants in UTC."""
    if "start" not in row:
        return {}
    zone = ZoneInfo(zones[row["event"]])
    day = date.fromisoformat(row["day"])

    def instant(hhmm: str) -> datetime:
        local = datetime.combine(day, time.fromisoformat(hhmm), tzinfo=zone)
        return local.astimezone(timezone.utc)

    values = {"starts_at": instant(row["start"])}
    if "end" in row:
        values["ends_at"] = instant(row["end"])
    return values
