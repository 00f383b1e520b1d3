"""The domain tables.

Conventions kept by every table:
- ``id`` integer key, ``slug`` where people refer to a record by name (CLI, file names, UIDs);
- bilingual text as ``*_ja`` / ``*_en`` side by side; a missing translation stays ``None``;
- ``created_at`` / ``updated_at`` in UTC, ``revision`` (optimistic locking, calendar SEQUENCE) and
  ``updated_by`` (who saved last, for the message when a save is refused; NULL for bulk loads);
- the records a user searches by name (city, person, organisation, network, position, event,
  session) have rows in ``search_term`` and ``search_doc`` (the search index and each record's place
  in a Japanese and an English list, ``citynet.services.search``), kept in step by the write path;
- every create, update and delete through ``services/records.py`` appends a ``change`` row;
- closed vocabularies are strings checked by a CHECK constraint (portable across SQLite and
  PostgreSQL, no native enum types to migrate);
- vague dates are fuzzy-date text (see ``fuzzy.py``); instants are aware datetimes, returned in UTC;
  the venue's IANA zone lives on the event.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

# Text compared by code point on every engine (SQLite's default BINARY collation; "C" on PostgreSQL).
SORT_KEY_TYPE = sa.String().with_variant(sa.String(collation="C"), "postgresql")

# --- vocabularies -------------------------------------------------------------------------------

RELATIONSHIP_KINDS = ("sister", "friendship", "network_partner", "mou", "exchange")
RELATIONSHIP_STATUSES = ("active", "planned", "ended")
ORGANISATION_KINDS = (
    "city_government", "local_government", "government_agency", "ministry", "un_body",
    "university", "company", "ngo", "association", "other",
)
NAME_ORDERS = ("family_first", "given_first", "single")
EVENT_KINDS = ("summit", "conference", "inbound_visit", "outbound_visit", "meeting", "ceremony")
EVENT_STATUSES = ("planned", "confirmed", "held", "postponed", "cancelled")
VISIBILITIES = ("public", "internal", "confidential")
ORGANISATION_ROLES = ("host", "co_host", "support", "sponsor", "cooperation")
SESSION_KINDS = (
    "press_conference", "high_level_talks", "seminar", "panel", "site_visit", "plenary",
    "meeting", "ceremony", "other",
)
SESSION_STATUSES = ("planned", "confirmed", "held", "cancelled")
PARTICIPANT_ROLES = ("host", "moderator", "speaker", "panelist", "participant", "interpreter")
PROJECT_PARTNER_ROLES = ("proposer", "co_proposer", "partner")
KEY_FIGURE_KINDS = ("actual", "target")
REGISTRATION_CATEGORIES = ("overseas_city", "domestic_city", "organisation", "other")
COMMITMENT_STATUSES = ("open", "done", "dropped")
RELEASE_DOCUMENTS = ("briefing", "programme")
DOCUMENT_LANGS = ("ja", "en", "both")

# Fields that hold personal data: never in a public export, never in a calendar feed.
PERSONAL_DATA_FIELDS = {"person": ("email", "phone")}


def utcnow() -> datetime:
    """Now, aware, in UTC, to the second (SQLModel stores aware datetimes and returns them in UTC)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def new_uuid() -> str:
    """A new record's identity: random, never derived from a name that a user may later change."""
    return str(uuid.uuid4())


def one_of(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)


def exactly_one(columns: tuple[str, ...], name: str) -> sa.CheckConstraint:
    present = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns)
    return sa.CheckConstraint(f"{present} = 1", name=name)


def at_most_one(columns: tuple[str, ...], name: str) -> sa.CheckConstraint:
    present = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns)
    return sa.CheckConstraint(f"{present} <= 1", name=name)


def at_least_one(columns: tuple[str, ...], name: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(" OR ".join(f"{c} IS NOT NULL" for c in columns), name=name)


def recent_first(table: str) -> sa.Index:
    """The index the dashboard's "recent changes" reads a table's latest rows from."""
    return sa.Index(f"ix_{table}_updated_at", "updated_at")


# Pydantic builds each class's validator when first used instead of at import: reads never
# validate a record, and every command saved that part of loading the models (35-45 ms).
DEFERRED = SQLModelConfig(defer_build=True)


class Record(SQLModel):
    """Columns every table carries."""

    model_config = DEFERRED
    id: int | None = Field(default=None, primary_key=True)
    # Stable identity across renames, dumps, restores and databases: calendar UIDs derive from it.
    # (The empty server default exists only because SQLite adds a NOT NULL column with one; every
    # writer sets the value, and the unique index refuses a second empty one.)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True, index=True,
                      nullable=False, sa_column_kwargs={"server_default": sa.text("''")})
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    revision: int = Field(default=1, nullable=False)
    updated_by: str | None = Field(default=None, max_length=120)  # user name of the last save


# --- places and bodies --------------------------------------------------------------------------


class City(Record, table=True):
    __tablename__ = "city"
    __table_args__ = (
        recent_first("city"),
        sa.Index("uq_city_home", "is_home", unique=True,
                 sqlite_where=sa.text("is_home = 1"), postgresql_where=sa.text("is_home")),
        sa.CheckConstraint("length(country) = 2", name="ck_city_country"),
        sa.CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="ck_city_latitude"),
        sa.CheckConstraint("longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="ck_city_longitude"),
    )

    slug: str = Field(max_length=80, unique=True, index=True)
    name_ja: str | None = None
    name_en: str | None = None
    name_kana: str | None = None
    country: str = Field(max_length=2)  # ISO 3166-1 alpha-2; names come from Babel
    region_ja: str | None = None
    region_en: str | None = None
    timezone: str = Field(max_length=64)  # IANA
    latitude: float | None = None
    longitude: float | None = None
    is_home: bool = Field(default=False)
    notes_ja: str | None = None
    notes_en: str | None = None


class Relationship(Record, table=True):
    """The home city's relationship with a partner city."""

    __tablename__ = "relationship"
    __table_args__ = (
        one_of("kind", RELATIONSHIP_KINDS, "ck_relationship_kind"),
        one_of("status", RELATIONSHIP_STATUSES, "ck_relationship_status"),
    )

    slug: str = Field(max_length=80, unique=True, index=True)
    city_id: int = Field(foreign_key="city.id", index=True)
    kind: str = Field(max_length=32)
    since: str | None = Field(default=None, max_length=16)  # fuzzy date
    until: str | None = Field(default=None, max_length=16)
    status: str = Field(default="active", max_length=16)
    notes_ja: str | None = None
    notes_en: str | None = None


class Organisation(Record, table=True):
    __tablename__ = "organisation"
    __table_args__ = (
        recent_first("organisation"),
        one_of("kind", ORGANISATION_KINDS, "ck_organisation_kind"),
        sa.CheckConstraint("country IS NULL OR length(country) = 2", name="ck_organisation_country"),
    )

    slug: str = Field(max_length=80, unique=True, index=True)
    name_ja: str | None = None
    name_en: str | None = None
    name_kana: str | None = None
    abbreviation: str | None = Field(default=None, max_length=32)
    kind: str = Field(max_length=32)
    country: str | None = Field(default=None, max_length=2)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    notes_ja: str | None = None
    notes_en: str | None = None


class Network(Record, table=True):
    __tablename__ = "network"
    __table_args__ = (recent_first("network"),)

    slug: str = Field(max_length=80, unique=True, index=True)
    name_ja: str | None = None
    name_en: str | None = None
    description_ja: str | None = None
    description_en: str | None = None
    founded: str | None = Field(default=None, max_length=16)  # fuzzy date


class Membership(Record, table=True):
    """A city or an organisation in a network, with its role and dated period."""

    __tablename__ = "membership"
    __table_args__ = (exactly_one(("city_id", "organisation_id"), "ck_membership_member"),)

    network_id: int = Field(foreign_key="network.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    country: str | None = Field(default=None, max_length=2)  # the country it represents, if any
    role_ja: str | None = None
    role_en: str | None = None
    start: str | None = Field(default=None, max_length=16)  # fuzzy
    end: str | None = Field(default=None, max_length=16)
    notes_ja: str | None = None
    notes_en: str | None = None


# --- people -------------------------------------------------------------------------------------


class Person(Record, table=True):
    __tablename__ = "person"
    __table_args__ = (
        recent_first("person"),
        one_of("name_order", NAME_ORDERS, "ck_person_name_order"),
        at_least_one(("family_name_ja", "given_name_ja", "family_name_latin", "given_name_latin"),
                     "ck_person_has_name"),
    )

    slug: str = Field(max_length=80, unique=True, index=True)
    family_name_ja: str | None = None
    given_name_ja: str | None = None
    family_name_latin: str | None = None  # as the person's office writes it; never derived
    given_name_latin: str | None = None
    name_kana: str | None = None  # reading, for 五十音順 and search
    name_katakana: str | None = None  # a foreign person's name written in katakana, if known
    name_order: str = Field(default="family_first", max_length=16)
    honorific_ja: str | None = None
    honorific_en: str | None = None
    email: str | None = None  # personal data
    phone: str | None = None  # personal data
    notes_ja: str | None = None
    notes_en: str | None = None


class Position(Record, table=True):
    """A title held at a city or organisation, with or without a known holder."""

    __tablename__ = "position"
    __table_args__ = (exactly_one(("city_id", "organisation_id"), "ck_position_body"),)

    slug: str = Field(max_length=80, unique=True, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    title_ja: str | None = None
    title_en: str | None = None
    start: str | None = Field(default=None, max_length=16)  # fuzzy
    end: str | None = Field(default=None, max_length=16)
    ended: bool = Field(default=False)  # 「（当時）」: known to have ended even when the end date is not
    # The last day the holder was known to hold the post (fuzzy: "2022-11"): a document calls the
    # holder current only when this reaches its own day, otherwise "as of" this date.
    as_of: str | None = Field(default=None, max_length=16)
    notes_ja: str | None = None
    notes_en: str | None = None


# --- events -------------------------------------------------------------------------------------


class Event(Record, table=True):
    __tablename__ = "event"
    __table_args__ = (
        recent_first("event"),
        # The events still running today (the dashboard's "upcoming"): those started before
        # today are found among the ends from today on, the start read from the index.
        sa.Index("ix_event_end_date", "end_date", "start_date"),
        one_of("kind", EVENT_KINDS, "ck_event_kind"),
        one_of("status", EVENT_STATUSES, "ck_event_status"),
        one_of("visibility", VISIBILITIES, "ck_event_visibility"),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NOT NULL", name="ck_event_end_needs_start"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_event_dates"),
        sa.CheckConstraint("attend_end IS NULL OR attend_start IS NOT NULL", name="ck_event_attend_end_needs_start"),
        sa.CheckConstraint("attend_end IS NULL OR attend_end >= attend_start", name="ck_event_attend_dates"),
        sa.CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ck_event_times"),
    )

    slug: str = Field(max_length=80, unique=True, index=True)
    kind: str = Field(max_length=32)
    title_ja: str | None = None
    title_en: str | None = None
    theme_ja: str | None = None
    theme_en: str | None = None
    # Dates in the venue's zone, end inclusive; unknown dates stay NULL.
    start_date: date | None = Field(default=None, index=True)
    end_date: date | None = None
    # A timed event also has instants; an all-day event has none.
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str = Field(max_length=64)  # the venue's IANA zone
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    # The network whose event it is (an Urban7 summit held by a city outside Urban7): its page,
    # calendar and briefings then count the event, whoever its members are.
    network_id: int | None = Field(default=None, foreign_key="network.id", index=True)
    venue_ja: str | None = None
    venue_en: str | None = None
    status: str = Field(default="planned", max_length=16)
    # The home city's own attendance window inside a longer event.
    attend_start: date | None = None
    attend_end: date | None = None
    visibility: str = Field(default="public", max_length=16)
    notes_ja: str | None = None
    notes_en: str | None = None


class Session(Record, table=True):
    """A session of an event. Start and end are instants shown in the venue's zone;
    a session known only to the day has ``day`` and no instants; an unknown time has neither."""

    __tablename__ = "session"
    __table_args__ = (
        recent_first("session"),
        one_of("kind", SESSION_KINDS, "ck_session_kind"),
        one_of("status", SESSION_STATUSES, "ck_session_status"),
        one_of("visibility", VISIBILITIES, "ck_session_visibility"),
        sa.CheckConstraint("ends_at IS NULL OR starts_at IS NOT NULL", name="ck_session_end_needs_start"),
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ck_session_times"),
    )

    slug: str = Field(max_length=80, unique=True, index=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    kind: str = Field(max_length=32)
    title_ja: str | None = None
    title_en: str | None = None
    theme_ja: str | None = None
    theme_en: str | None = None
    day: date | None = Field(default=None, index=True)  # local day in the venue's zone
    starts_at: datetime | None = Field(default=None, index=True)
    ends_at: datetime | None = None
    room_ja: str | None = None
    room_en: str | None = None
    status: str = Field(default="planned", max_length=16)
    visibility: str = Field(default="public", max_length=16)
    notes_ja: str | None = None
    notes_en: str | None = None


class SessionParticipant(Record, table=True):
    """A person or a position (the holder may be unknown) taking part in a session."""

    __tablename__ = "session_participant"
    __table_args__ = (
        one_of("role", PARTICIPANT_ROLES, "ck_participant_role"),
        at_least_one(("person_id", "position_id"), "ck_participant_who"),
    )

    session_id: int = Field(foreign_key="session.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    position_id: int | None = Field(default=None, foreign_key="position.id", index=True)
    role: str = Field(max_length=16)
    sort_order: int = Field(default=0)
    capacity_ja: str | None = None  # a further capacity named beside the title (／…)
    capacity_en: str | None = None


class OrganisationRole(Record, table=True):
    """An organisation's role in an event or in one of its sessions (主催, 共催, 後援, 協賛, 協力)."""

    __tablename__ = "organisation_role"
    __table_args__ = (one_of("role", ORGANISATION_ROLES, "ck_organisation_role_role"),)

    event_id: int = Field(foreign_key="event.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="session.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: str = Field(max_length=16)
    sort_order: int = Field(default=0)


class ParticipationTotals(Record, table=True):
    """Totals recorded for a past event, as its organisers reported them."""

    __tablename__ = "participation_totals"
    __table_args__ = (
        sa.CheckConstraint(
            "COALESCE(total, 0) >= 0 AND COALESCE(overseas_countries, 0) >= 0 AND "
            "COALESCE(overseas_cities, 0) >= 0 AND COALESCE(domestic_cities, 0) >= 0 AND "
            "COALESCE(organisations, 0) >= 0 AND COALESCE(sponsors, 0) >= 0",
            name="ck_participation_nonnegative"),
    )

    event_id: int = Field(foreign_key="event.id", unique=True, index=True)
    total: int | None = None
    overseas_countries: int | None = None
    overseas_cities: int | None = None
    domestic_cities: int | None = None
    organisations: int | None = None  # companies and organisations
    sponsors: int | None = None  # sponsoring companies (協賛)
    notes_ja: str | None = None
    notes_en: str | None = None


class Registration(Record, table=True):
    """One registered participant of a future event; totals are computed from these."""

    __tablename__ = "registration"
    __table_args__ = (
        one_of("category", REGISTRATION_CATEGORIES, "ck_registration_category"),
        sa.CheckConstraint("country IS NULL OR length(country) = 2", name="ck_registration_country"),
    )

    event_id: int = Field(foreign_key="event.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    name: str | None = None  # when the person is not in the store
    category: str = Field(max_length=16)
    country: str | None = Field(default=None, max_length=2)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)


class Commitment(Record, table=True):
    """An outcome or follow-up of a session: what was promised, by whom, to whom, by when."""

    __tablename__ = "commitment"
    __table_args__ = (
        one_of("status", COMMITMENT_STATUSES, "ck_commitment_status"),
        at_most_one(("to_person_id", "to_city_id", "to_organisation_id"), "ck_commitment_to"),
    )

    session_id: int = Field(foreign_key="session.id", index=True)
    text_ja: str | None = None
    text_en: str | None = None
    by_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    to_person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    to_city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    to_organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    due: str | None = Field(default=None, max_length=16)  # fuzzy
    status: str = Field(default="open", max_length=16)


class Release(Record, table=True):
    """A briefing or programme as it went out (``citynet release``): its version among the releases
    of that event, document and language; who (``updated_by``) and when (``created_at``); to whom;
    the SHA-256 of the PDF; the snapshot of the data it was built from (canonical JSON, see
    ``citynet.services.releases``) that later changes are compared with; the warnings accepted."""

    __tablename__ = "document_release"  # RELEASE is an SQL keyword
    __table_args__ = (
        one_of("document", RELEASE_DOCUMENTS, "ck_release_document"),
        one_of("lang", DOCUMENT_LANGS, "ck_release_lang"),
        sa.UniqueConstraint("event_id", "document", "lang", "version", name="uq_release_version"),
    )

    event_id: int = Field(foreign_key="event.id", index=True)
    document: str = Field(max_length=16)
    lang: str = Field(max_length=4)
    version: int
    recipients: str | None = None
    note: str | None = None
    content_hash: str = Field(max_length=64)
    snapshot: str
    accepted_warnings: str = Field(default="[]")  # JSON list of the warnings accepted


# --- the home city's record ---------------------------------------------------------------------


class Milestone(Record, table=True):
    __tablename__ = "milestone"

    slug: str = Field(max_length=80, unique=True, index=True)
    city_id: int = Field(foreign_key="city.id", index=True)
    when: str = Field(max_length=16)  # fuzzy
    ongoing: bool = Field(default=False)  # 「2009年～」
    title_ja: str | None = None
    title_en: str | None = None
    description_ja: str | None = None
    description_en: str | None = None
    event_id: int | None = Field(default=None, foreign_key="event.id")


class Project(Record, table=True):
    __tablename__ = "project"

    slug: str = Field(max_length=80, unique=True, index=True)
    city_id: int = Field(foreign_key="city.id", index=True)
    title_ja: str | None = None
    title_en: str | None = None
    summary_ja: str | None = None
    summary_en: str | None = None
    start: str | None = Field(default=None, max_length=16)  # fuzzy
    planned: bool = Field(default=False)  # 「（予定）」


class ProjectPartner(Record, table=True):
    __tablename__ = "project_partner"
    __table_args__ = (one_of("role", PROJECT_PARTNER_ROLES, "ck_project_partner_role"),)

    project_id: int = Field(foreign_key="project.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: str = Field(max_length=16)
    sort_order: int = Field(default=0)


class KeyFigure(Record, table=True):
    """A figure the home city reports, e.g. greenhouse-gas emissions and reduction targets."""

    __tablename__ = "key_figure"
    __table_args__ = (one_of("kind", KEY_FIGURE_KINDS, "ck_key_figure_kind"),)

    slug: str = Field(max_length=80, unique=True, index=True)
    city_id: int = Field(foreign_key="city.id", index=True)
    label_ja: str | None = None
    label_en: str | None = None
    kind: str = Field(max_length=16)
    value: float
    unit: str = Field(max_length=16)  # "t-CO2", "%"
    period: str | None = Field(default=None, max_length=16)  # fuzzy: the year the value is for
    base_period: str | None = Field(default=None, max_length=16)  # fuzzy: a reduction's base year
    sort_order: int = Field(default=0)


# --- the change history -------------------------------------------------------------------------

CHANGE_ACTIONS = ("create", "update", "delete", "restore")
# Where a write came from: a form in the terminal UI, a command, a spreadsheet import, a dump or
# backup restored, the demo loader.
CHANGE_ORIGINS = ("form", "cli", "import", "restore", "demo")


class Change(SQLModel, table=True):
    """One create, update or delete, written by the single write path (``services/records.py``)
    in the same transaction as the change itself (append-only), with the write's ``origin``.
    A restore keeps the dump's change rows and adds one ``restore`` row (kind ``store``).

    ``changes`` is JSON text ``{"field": [old, new], ...}`` in column order, values JSON-encoded as
    in the dump (dates ISO, instants ISO UTC with ``Z``); ``null`` on the old side of a create and
    on the new side of a delete. ``record_id`` and ``slug`` stay after the record is deleted.
    """

    model_config = DEFERRED

    __tablename__ = "change"
    __table_args__ = (
        one_of("action", CHANGE_ACTIONS, "ck_change_action"),
        one_of("origin", CHANGE_ORIGINS, "ck_change_origin"),
        sa.Index("ix_change_kind_record", "kind", "record_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    user: str | None = Field(default=None, max_length=120)
    kind: str = Field(max_length=32)  # the records service's kind: "city", "participant", …
    record_id: int
    slug: str | None = Field(default=None, max_length=80, index=True)
    action: str = Field(max_length=8)
    origin: str | None = Field(default=None, max_length=8)  # NULL: written before origins were kept
    changes: str = Field(default="{}")


# --- the search index (derived: rebuilt, never dumped) -------------------------------------------


class SearchTerm(SQLModel, table=True):
    """One searchable spelling of a record's name (``citynet.services.search``): the record is
    found by every query word that is ``term`` or, by ``place``, starts it (0 a whole name, 1 a
    word) or is part of it (2 the rest of a word). Keyed for range scans on ``term`` within a kind."""

    model_config = DEFERRED

    __tablename__ = "search_term"
    __table_args__ = {"sqlite_with_rowid": False}

    kind: str = Field(primary_key=True, max_length=16)
    term: str = Field(primary_key=True, sa_type=SORT_KEY_TYPE)
    record_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    place: int = Field(nullable=False)


class SearchDoc(SQLModel, table=True):
    """A searchable record's names and words, as a query is matched against them, and its place
    in a Japanese list (五十音順) and an English one (alphabetical), as text compared by code
    point (``citynet.services.ordering``)."""

    model_config = DEFERRED

    __tablename__ = "search_doc"
    __table_args__ = (sa.Index("ix_search_doc_ja", "kind", "sort_ja", "record_id"),
                      sa.Index("ix_search_doc_en", "kind", "sort_en", "record_id"),
                      {"sqlite_with_rowid": False})

    kind: str = Field(primary_key=True, max_length=16)
    record_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    # its whole names and its words, folded, each between spaces (" abeai aiabe ", " abe ai ")
    names: str = Field(nullable=False)
    words: str = Field(nullable=False)
    sort_ja: str = Field(sa_type=SORT_KEY_TYPE, nullable=False)
    sort_en: str = Field(sa_type=SORT_KEY_TYPE, nullable=False)


# Tables of derived data: rebuilt from the records, never dumped or restored as they are.
DERIVED_TABLES = ("search_term", "search_doc")

# Tables in dependency order (parents first): the dump, the restore and the demo loader use it.
ALL_TABLES: tuple[type[SQLModel], ...] = (
    City, Relationship, Organisation, Network, Membership, Person, Position, Event, Session,
    SessionParticipant, OrganisationRole, ParticipationTotals, Registration, Commitment, Release,
    Milestone, Project, ProjectPartner, KeyFigure, Change,
)
