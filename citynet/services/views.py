"""Plain, immutable views of records, shared by the UI, the PDFs and the calendars."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class BiText:
    """A text in Japanese and English; a missing side stays None (never filled from the other)."""

    ja: str | None = None
    en: str | None = None

    def __bool__(self) -> bool:
        return bool(self.ja or self.en)


def bitext(row, name: str) -> BiText:
    return BiText(getattr(row, f"{name}_ja"), getattr(row, f"{name}_en"))


@dataclass(frozen=True)
class CityRef:
    id: int
    slug: str
    name: BiText
    name_kana: str | None
    country: str
    timezone: str
    is_home: bool


@dataclass(frozen=True)
class OrganisationRef:
    id: int
    slug: str
    name: BiText
    kind: str
    country: str | None
    abbreviation: str | None = None


@dataclass(frozen=True)
class PersonRef:
    """A person's names, without personal data (email, phone)."""

    id: int
    slug: str
    family_name_ja: str | None
    given_name_ja: str | None
    family_name_latin: str | None
    given_name_latin: str | None
    name_kana: str | None
    name_katakana: str | None
    name_order: str
    honorific: BiText


@dataclass(frozen=True)
class PositionView:
    id: int
    slug: str
    title: BiText
    person: PersonRef | None
    city: CityRef | None
    organisation: OrganisationRef | None
    start: str | None  # fuzzy date
    end: str | None
    ended: bool
    notes: BiText = BiText()
    as_of: str | None = None  # fuzzy: the last day the holder was known to hold the post

    @property
    def is_current(self) -> bool:
        """Not known to have ended (which is not the same as confirmed: see ``as_of``)."""
        return not self.ended and self.end is None


@dataclass(frozen=True)
class ParticipantView:
    role: str
    sort_order: int
    person: PersonRef | None
    position: PositionView | None
    capacity: BiText

    @property
    def holder(self) -> PersonRef | None:
        return self.person or (self.position.person if self.position else None)


@dataclass(frozen=True)
class OrganisationRoleView:
    role: str
    sort_order: int
    organisation: OrganisationRef
    session_id: int | None


@dataclass(frozen=True)
class SessionView:
    id: int
    slug: str
    uuid: str  # the record's stable identity (calendar UIDs derive from it)
    event_id: int
    kind: str
    title: BiText
    theme: BiText
    day: date | None  # local day in the venue's zone, when only the day is known
    starts_at: datetime | None  # aware, UTC
    ends_at: datetime | None
    timezone: str  # the venue's IANA zone (from the event)
    room: BiText
    status: str
    visibility: str
    notes: BiText
    revision: int
    created_at: datetime
    updated_at: datetime
    participants: tuple[ParticipantView, ...] = ()
    organisation_roles: tuple[OrganisationRoleView, ...] = ()

    @property
    def time_known(self) -> bool:
        return self.starts_at is not None

    @property
    def local_day(self) -> date | None:
        """The day in the venue's zone, whether known from the instant or given alone."""
        if self.starts_at is not None:
            from zoneinfo import ZoneInfo

            return self.starts_at.astimezone(ZoneInfo(self.timezone)).date()
        return self.day


@dataclass(frozen=True)
class TotalsView:
    total: int | None
    overseas_countries: int | None
    overseas_cities: int | None
    domestic_cities: int | None
    organisations: int | None
    sponsors: int | None
    computed: bool  # True when counted from registrations, False when recorded


@dataclass(frozen=True)
class EventView:
    id: int
    slug: str
    uuid: str  # the record's stable identity (calendar UIDs derive from it)
    kind: str
    title: BiText
    theme: BiText
    start_date: date | None
    end_date: date | None
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    city: CityRef | None
    venue: BiText
    status: str
    attend_start: date | None
    attend_end: date | None
    visibility: str
    notes: BiText
    revision: int
    created_at: datetime
    updated_at: datetime

    @property
    def all_day(self) -> bool:
        return self.starts_at is None


@dataclass(frozen=True)
class EventDetail:
    event: EventView
    sessions: tuple[SessionView, ...]
    organisation_roles: tuple[OrganisationRoleView, ...]  # event-level roles, ordered
    totals: TotalsView | None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RelationshipView:
    """The home city's relationship with a city."""

    slug: str
    kind: str
    since: str | None  # fuzzy date
    until: str | None
    status: str
    notes: BiText


@dataclass(frozen=True)
class NetworkRef:
    slug: str
    name: BiText
    description: BiText
    founded: str | None  # fuzzy date


@dataclass(frozen=True)
class MembershipView:
    """A city's, an organisation's or a country's membership of a network."""

    id: int
    network: NetworkRef
    city: CityRef | None
    organisation: OrganisationRef | None
    country: str | None
    role: BiText
    start: str | None  # fuzzy dates
    end: str | None
    notes: BiText


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item of the exchanges with a city: an event, a milestone, or the start of a
    relationship or of a network membership."""

    kind: str  # "event", "milestone", "relationship", "membership"
    title: BiText  # the event's title, the milestone's, the network's name; empty for a relationship
    when: str | None  # fuzzy date text (milestone, relationship, membership); None for an event
    start_date: date | None  # an event's dates, when known
    end_date: date | None
    event: EventView | None = None
    ongoing: bool = False
    relationship: RelationshipView | None = None
    slug: str | None = None  # the event's, the network's (membership), the relationship's

    @property
    def sort_key(self) -> tuple:
        from citynet.fuzzy import FuzzyDate

        first: date | None
        if self.start_date is not None:
            first = self.start_date
        elif self.when:
            first = FuzzyDate.parse(self.when).first_day()
        else:
            first = None
        return (first is None, first or date.min, self.title.en or self.title.ja or "")


@dataclass(frozen=True)
class KeyFigureView:
    slug: str
    label: BiText
    kind: str  # actual | target
    value: float
    unit: str  # "t-CO2", "%"
    period: str | None  # fuzzy
    base_period: str | None
