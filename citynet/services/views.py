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

    @property
    def is_current(self) -> bool:
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
