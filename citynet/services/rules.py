"""The rule book: what every field of every kind of record accepts, in one place.

Forms, the command line, spreadsheet imports, dump restores and the demo loader all hand their
input to the single write path (``services/records.py``), which parses it here and checks the
whole record here. So a value is read the same way and refused with the same message wherever it
was typed: the field is named by its label and a closed vocabulary by its words, in the UI
language, never by a column name or a stored code.

- :data:`FIELDS` — per kind, every field a user can set: its label and its type.
- :func:`parse_value` — one raw value (what a person typed, a spreadsheet cell, a JSON value or an
  already typed Python value) to the column's Python value. Dates accept ISO, era dates
  (令和6年11月11日, R6.11.11) and full-width digits; fuzzy dates accept a year, a month, a day, a
  fiscal year (FY2026, 令和8年度, 2026年度); times are in the venue's zone.
- :func:`check_record` — rules of a whole record: required fields, a name in at least one
  language, periods that end after they start, exactly one of two references.

Limits (documented for users in docs/architecture.md): a single-line text holds at most
``LINE_LIMIT`` characters and no control characters; notes, descriptions and summaries hold at
most ``NOTE_LIMIT`` characters and may contain line breaks and tabs; whole numbers lie within a
PostgreSQL ``integer``; numbers are finite.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from citynet.errors import CitynetError
from citynet.fuzzy import FuzzyDate
from citynet.i18n import N_, NP_, _, get_language, gettext_in, pgettext_in
from citynet.i18n import vocabulary as vocab
from citynet.services.tables import table_of
from citynet.store import models as m

LINE_LIMIT = 500
NOTE_LIMIT = 10_000
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Columns citynet fills itself: no face can set them.
# (search_key and sort_key: columns of schema 0002–0004 that older dumps still carry, ignored)
MANAGED_FIELDS = ("id", "uuid", "created_at", "updated_at", "revision", "updated_by", "search_key",
                  "sort_key")
MULTILINE_PREFIXES = ("note", "description_", "summary_", "theme_", "text_")

REGISTRATION_CATEGORIES = {"overseas_city": N_("overseas city"), "domestic_city": N_("domestic city"),
                           "organisation": N_("organisation"), "other": N_("other")}
PROJECT_PARTNER_ROLES = {"proposer": N_("proposer"), "co_proposer": N_("co-proposer"),
                         "partner": N_("partner")}


LabelMsgid = str | tuple[str, str]  # a msgid, or (context, msgid) where one English word reads
                                    # two ways in Japanese (a position's title is 役職名)


def label_in(lang: str, label: LabelMsgid) -> str:
    """A field's label in ``lang``."""
    return pgettext_in(lang, *label) if isinstance(label, tuple) else gettext_in(lang, label)


class FieldSpec(NamedTuple):
    name: str
    label: LabelMsgid
    type: Any  # "text" | "slug" | "date" | "fuzzy" | "datetime" | "int" | "count" | "float" |
    #            "bool" | "country" | "timezone" | "ref:<kind>" | a vocabulary (code → label msgid)


T = "text"


def _f(name: str, label: LabelMsgid, typ: Any = T) -> FieldSpec:
    return FieldSpec(name, label, typ)


_NOTES = (_f("notes_ja", N_("Notes (Japanese)")), _f("notes_en", N_("Notes (English)")))
_NAMES = (_f("name_ja", N_("Name (Japanese)")), _f("name_en", N_("Name (English)")))
_TITLES = (_f("title_ja", N_("Title (Japanese)")), _f("title_en", N_("Title (English)")))
_SLUG = _f("slug", N_("Slug"), "slug")
_ORDER = _f("sort_order", N_("Order"), "count")

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "city": (_SLUG, *_NAMES, _f("name_kana", N_("Reading (kana)")),
             _f("country", N_("Country"), "country"), _f("timezone", N_("Time zone"), "timezone"),
             _f("region_ja", N_("Region (Japanese)")), _f("region_en", N_("Region (English)")),
             _f("latitude", N_("Latitude"), "float"), _f("longitude", N_("Longitude"), "float"),
             _f("is_home", N_("Home city"), "bool"), *_NOTES),
    "organisation": (_SLUG, *_NAMES, _f("name_kana", N_("Reading (kana)")),
                     _f("abbreviation", N_("Abbreviation")),
                     _f("kind", N_("Kind"), vocab.ORGANISATION_KINDS),
                     _f("country", N_("Country"), "country"), _f("city_id", N_("City"), "ref:city"),
                     *_NOTES),
    "network": (_SLUG, *_NAMES, _f("founded", N_("Founded"), "fuzzy"),
                _f("description_ja", N_("Description (Japanese)")),
                _f("description_en", N_("Description (English)"))),
    "membership": (_f("network_id", N_("Network"), "ref:network"),
                   _f("city_id", N_("City"), "ref:city"),
                   _f("organisation_id", N_("Organisation"), "ref:organisation"),
                   _f("country", N_("Country represented"), "country"),
                   _f("role_ja", N_("Role (Japanese)")), _f("role_en", N_("Role (English)")),
                   _f("start", N_("From"), "fuzzy"), _f("end", N_("Until"), "fuzzy"), *_NOTES),
    "relationship": (_SLUG, _f("city_id", N_("City"), "ref:city"),
                     _f("kind", N_("Kind"), vocab.RELATIONSHIP_KINDS),
                     _f("status", N_("Status"), vocab.RELATIONSHIP_STATUSES),
                     _f("since", N_("Since"), "fuzzy"), _f("until", N_("Until"), "fuzzy"), *_NOTES),
    "person": (_SLUG, _f("family_name_ja", N_("Family name (Japanese)")),
               _f("given_name_ja", N_("Given name (Japanese)")),
               _f("family_name_latin", N_("Family name (Latin)")),
               _f("given_name_latin", N_("Given name (Latin)")),
               _f("name_kana", N_("Reading (kana)")), _f("name_katakana", N_("Name in katakana")),
               _f("name_order", N_("Name order"), vocab.NAME_ORDERS),
               _f("honorific_ja", N_("Honorific (Japanese)")),
               _f("honorific_en", N_("Honorific (English)")),
               _f("email", N_("Email")), _f("phone", N_("Phone")), *_NOTES),
    "position": (_SLUG, _f("title_ja", NP_("position", "Title (Japanese)")),
                 _f("title_en", NP_("position", "Title (English)")),
                 _f("person_id", N_("Holder"), "ref:person"),
                 _f("city_id", N_("City"), "ref:city"),
                 _f("organisation_id", N_("Organisation"), "ref:organisation"),
                 _f("start", N_("From"), "fuzzy"), _f("end", N_("Until"), "fuzzy"),
                 _f("ended", N_("Known to have ended"), "bool"),
                 _f("as_of", N_("Holder last confirmed"), "fuzzy"), *_NOTES),
    "event": (_SLUG, *_TITLES, _f("kind", N_("Kind"), vocab.EVENT_KINDS),
              _f("status", N_("Status"), vocab.EVENT_STATUSES),
              _f("start_date", N_("Start date"), "date"), _f("end_date", N_("End date"), "date"),
              _f("timezone", N_("Time zone"), "timezone"), _f("city_id", N_("City"), "ref:city"),
              _f("network_id", N_("Network"), "ref:network"),
              _f("venue_ja", N_("Venue (Japanese)")), _f("venue_en", N_("Venue (English)")),
              _f("attend_start", N_("Our attendance from"), "date"),
              _f("attend_end", N_("Our attendance until"), "date"),
              _f("visibility", N_("Visibility"), vocab.VISIBILITIES),
              _f("theme_ja", N_("Theme (Japanese)")), _f("theme_en", N_("Theme (English)")),
              *_NOTES, _f("starts_at", N_("Starts (venue time)"), "datetime"),
              _f("ends_at", N_("Ends (venue time)"), "datetime")),
    "session": (_SLUG, _f("event_id", N_("Event"), "ref:event"), *_TITLES,
                _f("kind", N_("Kind"), vocab.SESSION_KINDS),
                _f("starts_at", N_("Starts (venue time)"), "datetime"),
                _f("ends_at", N_("Ends (venue time)"), "datetime"),
                _f("day", N_("Day, when the time is unknown"), "date"),
                _f("room_ja", N_("Room (Japanese)")), _f("room_en", N_("Room (English)")),
                _f("status", N_("Status"), vocab.SESSION_STATUSES),
                _f("visibility", N_("Visibility"), vocab.VISIBILITIES),
                _f("theme_ja", N_("Theme (Japanese)")), _f("theme_en", N_("Theme (English)")),
                *_NOTES),
    "participant": (_f("session_id", N_("Session"), "ref:session"),
                    _f("person_id", N_("Person"), "ref:person"),
                    _f("position_id", N_("Position"), "ref:position"),
                    _f("role", N_("Role"), vocab.PARTICIPANT_ROLES), _ORDER,
                    _f("capacity_ja", N_("Capacity (Japanese)")),
                    _f("capacity_en", N_("Capacity (English)"))),
    "organisation_role": (_f("event_id", N_("Event"), "ref:event"),
                          _f("session_id", N_("Session"), "ref:session"),
                          _f("organisation_id", N_("Organisation"), "ref:organisation"),
                          _f("role", N_("Role"), vocab.ORGANISATION_ROLES), _ORDER),
    "participation_totals": (_f("event_id", N_("Event"), "ref:event"),
                             _f("total", N_("Participants"), "count"),
                             _f("overseas_countries", N_("Overseas countries"), "count"),
                             _f("overseas_cities", N_("Overseas cities"), "count"),
                             _f("domestic_cities", N_("Domestic cities"), "count"),
                             _f("organisations", N_("Companies and organisations"), "count"),
                             _f("sponsors", N_("Sponsors"), "count"), *_NOTES),
    "registration": (_f("event_id", N_("Event"), "ref:event"),
                     _f("person_id", N_("Person"), "ref:person"), _f("name", N_("Name")),
                     _f("category", N_("Category"), REGISTRATION_CATEGORIES),
                     _f("country", N_("Country"), "country"), _f("city_id", N_("City"), "ref:city"),
                     _f("organisation_id", N_("Organisation"), "ref:organisation")),
    "commitment": (_f("session_id", N_("Session"), "ref:session"),
                   _f("text_ja", N_("Commitment (Japanese)")), _f("text_en", N_("Commitment (English)")),
                   _f("by_person_id", N_("Committed by"), "ref:person"),
                   _f("to_person_id", N_("To (person)"), "ref:person"),
                   _f("to_city_id", N_("To (city)"), "ref:city"),
                   _f("to_organisation_id", N_("To (organisation)"), "ref:organisation"),
                   _f("due", N_("Due"), "fuzzy"),
                   _f("status", N_("Status"), vocab.COMMITMENT_STATUSES)),
    # Written by ``citynet release`` only: never offered to add or edit.
    "release": (_f("event_id", N_("Event"), "ref:event"),
                _f("document", N_("Document"), vocab.RELEASE_DOCUMENTS),
                _f("lang", N_("Language"), vocab.DOCUMENT_LANGS),
                _f("version", N_("Version"), "count"), _f("recipients", N_("Recipients")),
                _f("note", N_("Note")), _f("content_hash", N_("Content hash (SHA-256)")),
                _f("snapshot", N_("Snapshot of the data"), "json"),
                _f("accepted_warnings", N_("Warnings accepted"), "json")),
    "milestone": (_SLUG, _f("city_id", N_("City"), "ref:city"), _f("when", NP_("milestone", "When"), "fuzzy"),
                  _f("ongoing", N_("Ongoing"), "bool"), *_TITLES,
                  _f("description_ja", N_("Description (Japanese)")),
                  _f("description_en", N_("Description (English)")),
                  _f("event_id", N_("Event"), "ref:event")),
    "project": (_SLUG, _f("city_id", N_("City"), "ref:city"), *_TITLES,
                _f("summary_ja", N_("Summary (Japanese)")), _f("summary_en", N_("Summary (English)")),
                _f("start", N_("From"), "fuzzy"), _f("planned", N_("Planned"), "bool")),
    "project_partner": (_f("project_id", N_("Project"), "ref:project"),
                        _f("organisation_id", N_("Organisation"), "ref:organisation"),
                        _f("role", N_("Role"), PROJECT_PARTNER_ROLES), _ORDER),
    "key_figure": (_SLUG, _f("city_id", N_("City"), "ref:city"),
                   _f("label_ja", N_("Label (Japanese)")), _f("label_en", N_("Label (English)")),
                   _f("kind", N_("Kind"), vocab.KEY_FIGURE_KINDS), _f("value", N_("Value"), "float"),
                   _f("unit", N_("Unit")), _f("period", NP_("key figure", "Period"), "fuzzy"),
                   _f("base_period", N_("Base period"), "fuzzy"), _ORDER),
}

# A record is known by at least one of these (a name in either language).
NAMED_BY: dict[str, tuple[str, ...]] = {
    "city": ("name_ja", "name_en"), "organisation": ("name_ja", "name_en"),
    "network": ("name_ja", "name_en"),
    "person": ("family_name_ja", "given_name_ja", "family_name_latin", "given_name_latin"),
    "position": ("title_ja", "title_en"), "event": ("title_ja", "title_en"),
    "session": ("title_ja", "title_en", "theme_ja", "theme_en"), "milestone": ("title_ja", "title_en"),
    "project": ("title_ja", "title_en"), "key_figure": ("label_ja", "label_en"),
    "commitment": ("text_ja", "text_en"),
}


# What an unnamed record is told when "a name" is not the word for what it lacks.
_UNNAMED = {"commitment": N_("write what was committed, in Japanese or in English")}


class ValidationError(CitynetError):
    """A value that breaks a rule. Shown as "<field label>: <problem>" in the UI language (or in
    any language with :meth:`render_in`); ``field`` is the column (for a form to put the message
    beside it), ``kind`` the record kind."""

    def __init__(self, kind: str, field: str, message: str, **args: Any) -> None:
        super().__init__(message, **args)
        self.kind, self.field = kind, field

    def render_in(self, lang: str) -> str:
        return gettext_in(lang, "{field}: {problem}").format(
            field=label_in(lang, _spec_label(self.kind, self.field)),
            problem=self.problem_in(lang))

    def problem_in(self, lang: str) -> str:
        """The problem alone (without the field's label)."""
        shown = {k: _shown_argument(v, lang) for k, v in self.params.items()}
        return gettext_in(lang, self.msgid).format(**shown)

    @property
    def message(self) -> str:
        """The problem alone, in the UI language."""
        return self.problem_in(get_language())

    def __str__(self) -> str:
        return self.render_in(get_language())


class _Label:
    """An argument that is a label: put into words when the message is shown."""

    def __init__(self, label: LabelMsgid) -> None:
        self.label = label


def _shown_argument(value: Any, lang: str) -> Any:
    if isinstance(value, _Label):
        return label_in(lang, value.label)
    if isinstance(value, list):
        return gettext_in(lang, ", ").join(_shown_argument(v, lang) for v in value)
    return value


def field_spec(kind: str, field: str) -> FieldSpec | None:
    return _specs(kind).get(field)


@lru_cache(maxsize=None)
def _specs(kind: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in FIELDS.get(kind, ())}


@lru_cache(maxsize=None)
def reference_fields(kind: str) -> tuple[str, ...]:
    """The fields of a kind that hold another record's id (type ``ref:<kind>``), in order."""
    return tuple(spec.name for spec in FIELDS.get(kind, ())
                 if isinstance(spec.type, str) and spec.type.startswith("ref:"))


def field_label(kind: str, field: str) -> str:
    """A field's label in the UI language (the column name only for a field with no label)."""
    spec = field_spec(kind, field)
    return label_in(get_language(), spec.label) if spec is not None else field


def _choices(words: Mapping[str, str]) -> list[_Label]:
    return [_Label(msgid) for msgid in words.values()]


# --- parsing one value --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").territories
                     if isinstance(code, str) and len(code) == 2 and code.isalpha())


_NOT_IN_KEYS = re.compile(r"[\s・･.]+")


def match_key(text: str | None) -> str:
    """A matching key: NFKC, case-folded, without spaces or middle dots."""
    return _NOT_IN_KEYS.sub("", unicodedata.normalize("NFKC", text or "").casefold())


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from babel import Locale

    from citynet.i18n.format import COUNTRY_OVERRIDES

    names: dict[str, str] = {}
    for lang in ("en", "ja"):
        for code, name in Locale(lang).territories.items():
            if code in country_codes():
                names.setdefault(match_key(name), code)
        for code, name in COUNTRY_OVERRIDES.get(lang, {}).items():
            names[match_key(name)] = code
    names.update({match_key("日本国"): "JP", match_key("USA"): "US", match_key("UK"): "GB",
                  match_key("アメリカ"): "US", match_key("イギリス"): "GB", match_key("韓国"): "KR"})
    return names


def default_time_zone(country: str | None) -> str | None:
    """The country's time zone when it has only one (JP → Asia/Tokyo), else None."""
    if not country:
        return None
    from babel.core import get_global

    zones = get_global("territory_zones").get(country, [])
    return zones[0] if len(zones) == 1 else None


class _Problem(Exception):
    """Raised while parsing one value; turned into a ValidationError naming the field."""

    def __init__(self, message: str, **args: Any) -> None:
        super().__init__(message)
        self.message, self.args_ = message, args


def _check_text(field: str, text: str) -> str:
    multiline = field.startswith(MULTILINE_PREFIXES)
    limit = NOTE_LIMIT if multiline else LINE_LIMIT
    for ch in text:
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t\r"):
            raise _Problem(N_("contains a control character (U+{code:04X}); remove it"),
                           code=ord(ch))
    if len(text) > limit:
        raise _Problem(N_("longer than {n} characters"), n=limit)
    return text


def _parse_text(field: str, raw: Any, length: int | None) -> str:
    if not isinstance(raw, str):
        raise _Problem(N_("not text: {value!r}"), value=raw)
    text = _check_text(field, raw)
    if length and len(text) > length:
        raise _Problem(N_("longer than {n} characters"), n=length)
    return text


def _parse_int(raw: Any, low: int) -> int:
    if isinstance(raw, bool):
        raise _Problem(N_("write a whole number"))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
        if not re.fullmatch(r"[-+]?\d{1,40}", text):
            raise _Problem(N_("write a whole number"))
        raw = int(text)
    if not isinstance(raw, int):
        raise _Problem(N_("write a whole number"))
    if not low <= raw <= INT_MAX:
        raise _Problem(N_("must lie between {low} and {high}"), low=low, high=INT_MAX)
    return raw


def _parse_float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise _Problem(N_("write a number, such as 35.86"))
    if isinstance(raw, str):
        try:
            raw = float(unicodedata.normalize("NFKC", raw).strip().replace(",", ""))
        except ValueError:
            raise _Problem(N_("write a number, such as 35.86")) from None
    if not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise _Problem(N_("write a number, such as 35.86"))
    return float(raw)


_TRUE = {"true", "yes", "y", "1", "x", "はい", "○", "◯", "✓"}
_FALSE = {"false", "no", "n", "0", "いいえ", "×", "-"}


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        key = unicodedata.normalize("NFKC", raw).strip().casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise _Problem(N_("write yes or no"))


def _date_problem(error: CitynetError) -> _Problem:
    return _Problem(error.msgid, **error.params)


def parse_date_text(raw: Any) -> date:
    if isinstance(raw, datetime):
        raise _Problem(N_("give a date without a time"))
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise _Problem(N_("not a date: {value!r}"), value=raw)
    from citynet.i18n.eras import parse_date

    try:
        return parse_date(raw)
    except CitynetError as error:
        raise _date_problem(error) from None


def parse_fuzzy_text(raw: Any) -> str:
    """2009, 2019-07, 2022-11-22, FY2026 from what a person typed (令和元年5月, 令和8年度 …)."""
    if isinstance(raw, FuzzyDate):
        return str(raw)
    if not isinstance(raw, str):
        raise _Problem(N_("not a date: {value!r}"), value=raw)
    from citynet.i18n.eras import normalise_input, parse_fiscal_year, parse_partial_date

    compact = normalise_input(raw)
    try:
        if re.fullmatch(r"(?i)fy[0-9]{4}|.*年度", compact):
            return f"FY{parse_fiscal_year(raw):04d}"
        year, month, day = parse_partial_date(raw)
    except CitynetError as error:
        raise _date_problem(error) from None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def parse_clock(text: str) -> tuple[int, int]:
    s = unicodedata.normalize("NFKC", text).strip().replace("時", ":").replace("分", "")
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?|(\d{1,2}):?", s)
    if not match:
        raise _Problem(N_("cannot read {text!r} as a time; write it like 13:00"), text=text)
    hour, minute = (int(match[1]), int(match[2])) if match[1] else (int(match[3]), 0)
    if hour > 23 or minute > 59:
        raise _Problem(N_("{text}: there is no such time"), text=text)
    return hour, minute


def _parse_datetime(raw: Any, zone: str | None) -> datetime:
    """An instant in UTC: an aware datetime or ISO text with an offset as it is; a wall-clock
    time ('2024-11-11 13:00', '令和6年11月11日 13:00') in the venue's zone."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            value = _parse_wall_clock(text)
    else:
        raise _Problem(N_("not a time: {value!r}"), value=raw)
    if value.tzinfo is None:
        if zone is None:
            raise _Problem(N_("a time needs the venue's time zone; give the event first"))
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(timezone.utc)


def _parse_wall_clock(text: str) -> datetime:
    parts = text.rsplit(" ", 1)
    if len(parts) != 2:
        match = re.fullmatch(r"(.*日)(\d{1,2}[:時].*)", text)
        if not match:
            raise _Problem(N_("give a date and a time, such as 2024-11-11 13:00"))
        parts = [match[1], match[2]]
    day = parse_date_text(parts[0])
    hour, minute = parse_clock(parts[1])
    return datetime(day.year, day.month, day.day, hour, minute)


def parse_country(raw: Any) -> str:
    """JP, jp, 日本, Japan, マレーシア, Malaysia → the ISO code."""
    if not isinstance(raw, str):
        raise _Problem(N_("unknown country: {value!r} (use a code such as JP or a country name)"),
                       value=raw)
    candidate = unicodedata.normalize("NFKC", raw).strip()
    if candidate.upper() in country_codes():
        return candidate.upper()
    code = _country_names().get(match_key(candidate))
    if code is None:
        raise _Problem(N_("unknown country: {value!r} (use a code such as JP or a country name)"),
                       value=raw)
    return code


def _parse_zone(raw: Any) -> str:
    if not isinstance(raw, str) or raw.strip() not in time_zones():
        raise _Problem(N_("unknown time zone: {value!r} (use a zone such as Asia/Tokyo)"), value=raw)
    return raw.strip()


def parse_choice(words: Mapping[str, str], raw: Any) -> str:
    """A vocabulary code from its code or its words in Japanese or English."""
    if isinstance(raw, str):
        if raw in words:
            return raw
        key = match_key(raw)
        for code, msgid in words.items():
            if key and key in (match_key(code), match_key(msgid), match_key(gettext_in("ja", msgid))):
                return code
    raise _Problem(N_("choose one of: {choices}"), choices=_choices(words))


def _parse_ref(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise _Problem(N_("not a record: {value!r}"), value=raw)
    return raw


def _parse_slug(raw: Any) -> str:
    if not isinstance(raw, str) or not SLUG_PATTERN.match(raw) or len(raw) > 80:
        raise _Problem(N_("not a valid slug: {value!r} (use lower-case letters, digits and "
                          "hyphens, at most 80)"), value=raw)
    return raw


def _parse_json(raw: Any) -> str:
    """JSON written by citynet itself (a release's snapshot): a JSON text, or a list or dict
    turned into one; stored as given, with no length limit."""
    import json

    if isinstance(raw, (list, dict)):
        return json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if not isinstance(raw, str):
        raise _Problem(N_("not text: {value!r}"), value=raw)
    try:
        json.loads(raw)
    except ValueError:
        raise _Problem(N_("not valid JSON")) from None
    return raw


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "slug": _parse_slug, "date": parse_date_text, "fuzzy": parse_fuzzy_text,
    "int": lambda raw: _parse_int(raw, INT_MIN), "count": lambda raw: _parse_int(raw, 0),
    "float": _parse_float, "bool": _parse_bool, "country": parse_country, "timezone": _parse_zone,
    "json": _parse_json,
}


@lru_cache(maxsize=None)
def _column(kind: str, field: str):
    from citynet.services.records import model_for

    return table_of(model_for(kind)).columns[field]


def parse_value(kind: str, field: str, raw: Any, *, zone: str | None = None) -> Any:
    """The Python value of one field from a raw value; None for nothing (None or blank text).
    Raises ValidationError naming the field."""
    spec = field_spec(kind, field)
    if spec is None:
        raise ValidationError(kind, field, N_("no such field"))
    if raw is None or (isinstance(raw, str) and not raw.strip() and spec.type != T):
        return None
    if isinstance(raw, str) and spec.type == T and not raw.strip():
        return None
    try:
        typ = spec.type
        if isinstance(typ, Mapping):
            return parse_choice(typ, raw)
        if typ == "datetime":
            return _parse_datetime(raw, zone)
        if isinstance(typ, str) and typ.startswith("ref:"):
            return _parse_ref(raw)
        if typ in _PARSERS:
            return _PARSERS[typ](raw)
        return _parse_text(field, raw, getattr(_column(kind, field).type, "length", None))
    except _Problem as problem:
        raise ValidationError(kind, field, problem.message, **problem.args_) from None


# --- whole records ------------------------------------------------------------------------------


def _first_day(value: Any) -> date:
    if isinstance(value, str):
        return FuzzyDate.parse(value).first_day()
    if isinstance(value, datetime):
        return value.date()
    return value


def _order(kind: str, start: str, end: str, *, strict: bool = False) -> Callable[[dict], None]:
    def rule(v: dict) -> None:
        first, last = v.get(start), v.get(end)
        if last is not None and first is None:
            raise ValidationError(kind, end, N_("an end needs a start ({start})"),
                                  start=_Label(_spec_label(kind, start)))
        if first is None or last is None:
            return
        if isinstance(first, datetime) and isinstance(last, datetime):
            bad = last <= first if strict else last < first
        else:
            bad = _first_day(last) < _first_day(first)
        if bad:
            raise ValidationError(kind, end, N_("ends before {start}"),
                                  start=_Label(_spec_label(kind, start)))
    return rule


def _spec_label(kind: str, field: str) -> LabelMsgid:
    spec = field_spec(kind, field)
    return spec.label if spec is not None else field


def _exactly_one(kind: str, *fields: str) -> Callable[[dict], None]:
    def rule(v: dict) -> None:
        if sum(v.get(f) is not None for f in fields) != 1:
            raise ValidationError(kind, fields[0], N_("give exactly one of: {fields}"),
                                  fields=[_Label(_spec_label(kind, f)) for f in fields])
    return rule


def _at_least_one(kind: str, *fields: str) -> Callable[[dict], None]:
    def rule(v: dict) -> None:
        if all(v.get(f) in (None, "") for f in fields):
            raise ValidationError(kind, fields[0], N_("give at least one of: {fields}"),
                                  fields=[_Label(_spec_label(kind, f)) for f in fields])
    return rule


def _at_most_one(kind: str, *fields: str) -> Callable[[dict], None]:
    def rule(v: dict) -> None:
        if sum(v.get(f) is not None for f in fields) > 1:
            raise ValidationError(kind, fields[1], N_("give at most one of: {fields}"),
                                  fields=[_Label(_spec_label(kind, f)) for f in fields])
    return rule


def _between(kind: str, field: str, low: float, high: float) -> Callable[[dict], None]:
    def rule(v: dict) -> None:
        value = v.get(field)
        if value is not None and not low <= value <= high:
            raise ValidationError(kind, field, N_("must lie between {low} and {high}"),
                                  low=low, high=high)
    return rule


def _attendance_inside_event(v: dict) -> None:
    for name in ("attend_start", "attend_end"):
        day = v.get(name)
        if day is not None and v.get("start_date") is not None and not (
                v["start_date"] <= day <= (v.get("end_date") or v["start_date"])):
            raise ValidationError("event", name, N_("lies outside the event's dates"))


_RULES: dict[str, list[Callable[[dict], None]]] = {
    "city": [_between("city", "latitude", -90, 90), _between("city", "longitude", -180, 180)],
    "relationship": [_order("relationship", "since", "until")],
    "membership": [_exactly_one("membership", "city_id", "organisation_id"),
                   _order("membership", "start", "end")],
    "position": [_exactly_one("position", "city_id", "organisation_id"),
                 _order("position", "start", "end")],
    "event": [_order("event", "start_date", "end_date"), _order("event", "starts_at", "ends_at"),
              _order("event", "attend_start", "attend_end"), _attendance_inside_event],
    "session": [_order("session", "starts_at", "ends_at", strict=True)],
    "participant": [_at_least_one("participant", "person_id", "position_id")],
    "commitment": [_at_most_one("commitment", "to_person_id", "to_city_id", "to_organisation_id")],
}


@lru_cache(maxsize=None)
def required_fields(kind: str) -> tuple[str, ...]:
    """Fields a record cannot be without (not null in the store; a new record may take a default)."""
    from citynet.services.records import model_for

    return tuple(column.name for column in table_of(model_for(kind)).columns
                 if column.name not in MANAGED_FIELDS and not column.nullable)


def check_record(kind: str, values: dict) -> None:
    """The rules of a whole record (values already parsed, defaults filled in); raises the first
    ValidationError. A missing name comes first: it is what a person notices first."""
    names = NAMED_BY.get(kind)
    if names and all(not (values.get(f) or "").strip() for f in names):
        raise ValidationError(kind, names[0], _UNNAMED.get(kind, N_("give a name in Japanese or in English")))
    for field in required_fields(kind):
        if values.get(field) in (None, ""):
            spec = field_spec(kind, field)
            if spec is not None and isinstance(spec.type, Mapping):
                raise ValidationError(kind, field, N_("choose one of: {choices}"),
                                      choices=_choices(spec.type))
            raise ValidationError(kind, field, N_("a value is required"))
    for rule in _RULES.get(kind, ()):
        rule(values)
