"""The rules a record must follow before it is saved, in one place for forms, imports and restores.

Each rule raises ``ValidationError`` naming the field and the problem in the user's language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from citynet.errors import CitynetError
from citynet.i18n import _
from citynet.store import models as m
from citynet.store.fuzzy import FuzzyDate

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ValidationError(CitynetError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


def check_slug(value) -> None:
    if not isinstance(value, str) or not SLUG_PATTERN.match(value) or len(value) > 80:
        raise ValidationError("slug", _("not a valid slug: {value!r} (use lower-case letters, digits "
                                        "and hyphens)").format(value=value))


def check_time_zone(field: str, value) -> None:
    if value not in _time_zones():
        raise ValidationError(field, _("unknown time zone: {value!r}").format(value=value))


def check_country(field: str, value) -> None:
    if value is None:
        return
    if value not in _countries():
        raise ValidationError(field, _("unknown country code: {value!r} (use ISO 3166-1, e.g. JP)")
                              .format(value=value))


def check_fuzzy(field: str, value) -> FuzzyDate | None:
    if value is None:
        return None
    try:
        return FuzzyDate.parse(value)
    except CitynetError:
        raise ValidationError(field, _("not a date: {value!r} (use 2009, 2019-07, 2022-11-22 or "
                                       "FY2026)").format(value=value)) from None


def check_order(start_field: str, start, end_field: str, end) -> None:
    if start is None or end is None:
        return
    if isinstance(start, FuzzyDate):
        start, end = start.first_day(), end.first_day()
    if end < start:
        raise ValidationError(end_field, _("{end} ends before {start} starts").format(
            end=end_field, start=start_field))


def _require_start(start_field: str, start, end_field: str, end) -> None:
    if end is not None and start is None:
        raise ValidationError(end_field, _("an end needs a start ({start})").format(start=start_field))


def _event_rules(v: dict) -> None:
    check_time_zone("timezone", v.get("timezone"))
    _require_start("start_date", v.get("start_date"), "end_date", v.get("end_date"))
    check_order("start_date", v.get("start_date"), "end_date", v.get("end_date"))
    _require_start("starts_at", v.get("starts_at"), "ends_at", v.get("ends_at"))
    check_order("starts_at", v.get("starts_at"), "ends_at", v.get("ends_at"))
    _require_start("attend_start", v.get("attend_start"), "attend_end", v.get("attend_end"))
    check_order("attend_start", v.get("attend_start"), "attend_end", v.get("attend_end"))
    for name in ("attend_start", "attend_end"):
        day = v.get(name)
        if day is not None and v.get("start_date") is not None and not (
                v["start_date"] <= day <= (v.get("end_date") or v["start_date"])):
            raise ValidationError(name, _("the attendance window lies outside the event's dates"))


def _session_rules(v: dict) -> None:
    _require_start("starts_at", v.get("starts_at"), "ends_at", v.get("ends_at"))
    start, end = v.get("starts_at"), v.get("ends_at")
    if start is not None and end is not None and end <= start:
        raise ValidationError("ends_at", _("ends_at ends before starts_at starts"))


def _dated(start: str, end: str):
    def rules(v: dict) -> None:
        check_order(start, check_fuzzy(start, v.get(start)), end, check_fuzzy(end, v.get(end)))
    return rules


def _exactly_one(*fields: str):
    def rules(v: dict) -> None:
        if sum(v.get(f) is not None for f in fields) != 1:
            raise ValidationError(fields[0], _("give exactly one of: {fields}").format(
                fields=", ".join(fields)))
    return rules


def _at_least_one(*fields: str):
    def rules(v: dict) -> None:
        if all(v.get(f) in (None, "") for f in fields):
            raise ValidationError(fields[0], _("give at least one of: {fields}").format(
                fields=", ".join(fields)))
    return rules


def _vocabulary(field: str, values: tuple[str, ...]):
    def rules(v: dict) -> None:
        if field in v and v[field] not in values:
            raise ValidationError(field, _("must be one of: {values}").format(values=", ".join(values)))
    return rules


def _between(field: str, low: float, high: float):
    def rules(v: dict) -> None:
        value = v.get(field)
        if value is not None and not low <= value <= high:
            raise ValidationError(field, _("must lie between {low} and {high}").format(low=low, high=high))
    return rules


_RULES = {
    m.City: [lambda v: check_country("country", v.get("country")),
             lambda v: check_time_zone("timezone", v.get("timezone")),
             _between("latitude", -90, 90), _between("longitude", -180, 180)],
    m.Relationship: [_vocabulary("kind", m.RELATIONSHIP_KINDS),
                     _vocabulary("status", m.RELATIONSHIP_STATUSES), _dated("since", "until")],
    m.Organisation: [_vocabulary("kind", m.ORGANISATION_KINDS),
                     lambda v: check_country("country", v.get("country"))],
    m.Network: [lambda v: check_fuzzy("founded", v.get("founded"))],
    m.Membership: [_exactly_one("city_id", "organisation_id"), _dated("start", "end"),
                   lambda v: check_country("country", v.get("country"))],
    m.Person: [_vocabulary("name_order", m.NAME_ORDERS),
               _at_least_one("family_name_ja", "given_name_ja", "family_name_latin",
                             "given_name_latin")],
    m.Position: [_exactly_one("city_id", "organisation_id"), _dated("start", "end")],
    m.Event: [_vocabulary("kind", m.EVENT_KINDS), _vocabulary("status", m.EVENT_STATUSES),
              _vocabulary("visibility", m.VISIBILITIES), _event_rules],
    m.Session: [_vocabulary("kind", m.SESSION_KINDS), _vocabulary("status", m.SESSION_STATUSES),
                _vocabulary("visibility", m.VISIBILITIES), _session_rules],
    m.SessionParticipant: [_vocabulary("role", m.PARTICIPANT_ROLES),
                           _at_least_one("person_id", "position_id")],
    m.OrganisationRole: [_vocabulary("role", m.ORGANISATION_ROLES)],
    m.Registration: [_vocabulary("category", m.REGISTRATION_CATEGORIES),
                     lambda v: check_country("country", v.get("country"))],
    m.Milestone: [lambda v: check_fuzzy("when", v.get("when"))],
    m.Project: [lambda v: check_fuzzy("start", v.get("start"))],
    m.ProjectPartner: [_vocabulary("role", m.PROJECT_PARTNER_ROLES)],
    m.KeyFigure: [_vocabulary("kind", m.KEY_FIGURE_KINDS),
                  lambda v: check_fuzzy("period", v.get("period")),
                  lambda v: check_fuzzy("base_period", v.get("base_period"))],
}


def validate_values(model: type[m.Record], values: dict) -> None:
    """Check a whole record's values (already of the right Python types)."""
    if "slug" in model.model_fields and not model.__table__.c.slug.nullable:
        check_slug(values.get("slug"))  # (change.slug, nullable, only repeats a record's slug)
    for rule in _RULES.get(model, ()):
        rule(values)


def coerce_value(model: type[m.Record], field: str, raw):
    """Turn a JSON or form value into the column's Python type, or raise ValidationError."""
    column = model.__table__.columns[field]
    if raw is None:
        if not column.nullable and not column.primary_key:
            raise ValidationError(field, _("a value is required"))
        return None
    column_type = getattr(column.type, "impl", column.type)  # see through TypeDecorators
    python_type = column_type.python_type
    try:
        if python_type is bool:
            if not isinstance(raw, bool):
                raise TypeError
            return raw
        if python_type is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise TypeError
            return raw
        if python_type is float:
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                raise TypeError
            return float(raw)
        if python_type is datetime:
            value = raw if isinstance(raw, datetime) else datetime.fromisoformat(raw)
            if value.tzinfo is None:
                raise ValidationError(field, _("a time needs its time zone: {value!r}").format(value=raw))
            return value
        if python_type is date:
            return raw if isinstance(raw, date) else date.fromisoformat(raw)
        if python_type is str:
            if not isinstance(raw, str):
                raise TypeError
            length = getattr(column.type, "length", None)
            if length and len(raw) > length:
                raise ValidationError(field, _("longer than {n} characters").format(n=length))
            return raw
    except (TypeError, ValueError):
        raise ValidationError(field, _("not a valid value: {value!r}").format(value=raw)) from None
    return raw
