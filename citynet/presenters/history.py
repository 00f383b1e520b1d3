"""The change history as lines for the terminal (``citynet history`` and the UI's history view)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.engine import Engine

from citynet.i18n import N_, _, get_language
from citynet.services.history import ChangeView, format_instant, history, home_time_zone
from citynet.services.rules import field_label, field_spec

ACTIONS = {"create": N_("created"), "update": N_("updated"), "delete": N_("deleted"),
           "restore": N_("restored")}
ORIGINS = {"form": N_("form"), "cli": N_("command line"), "import": N_("import"),
           "restore": N_("restore"), "demo": N_("demo data")}


_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def value_words(value: object, zone: str, width: int = 60) -> str:
    """A recorded value as a person reads it: ∅ for none, yes/no, instants in home time."""
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value).replace("\n", " ")
    if text == "":
        return '""'
    if _INSTANT.fullmatch(text):  # instants are recorded in UTC
        return format_instant(datetime.fromisoformat(text.replace("Z", "+00:00")), zone)
    return text if len(text) <= width else text[:width - 1] + "…"


def ref_names(engine: Engine, changes: list[ChangeView]) -> dict[tuple[str, int], str]:
    """The names, in the UI language, of the records the changes' reference fields hold
    (``{(kind, id): name}``), each read once, as a form's picker labels it; a record since
    deleted has no name here (its id is shown)."""
    from citynet.i18n.text import bilingual
    from citynet.services.pickers import choice_label

    wanted: set[tuple[str, int]] = set()
    for change in changes:
        for c in change.changes:
            spec = field_spec(change.kind, c.field)
            if spec is not None and isinstance(spec.type, str) and spec.type.startswith("ref:"):
                wanted.update((spec.type[4:], v) for v in (c.old, c.new) if isinstance(v, int))
    names = {}
    lang = get_language()
    for kind, record_id in sorted(wanted):
        choice = choice_label(engine, kind, record_id)
        if choice is not None:
            names[(kind, record_id)] = bilingual(choice.label.ja, choice.label.en, lang)
    return names


def field_value_words(kind: str, field: str, value: object, zone: str,
                      names: dict[tuple[str, int], str]) -> str:
    """A recorded value of a field in words: a reference by the record's name (``#id`` when it
    is gone), a code by its vocabulary's word, a country by its name (ドイツ, Germany), a date
    and a fuzzy date in words (2025年3月29日, 2025年3月), anything else as :func:`value_words`."""
    spec = field_spec(kind, field)
    if value is not None and spec is not None:
        if isinstance(spec.type, str) and spec.type.startswith("ref:") and isinstance(value, int):
            return names.get((spec.type[4:], value), f"#{value}")
        if isinstance(spec.type, dict) and isinstance(value, str):
            from citynet.i18n.vocabulary import label

            return label(spec.type, value, get_language())
        if spec.type == "country" and isinstance(value, str):
            from citynet.i18n.format import country_name

            try:
                return country_name(value, get_language())
            except ValueError:  # not a code Babel knows: shown as recorded
                return value_words(value, zone)
        if spec.type == "date" and isinstance(value, str):
            from datetime import date

            from citynet.i18n.format import format_date

            try:
                return format_date(date.fromisoformat(value), get_language())
            except ValueError:
                return value_words(value, zone)
        if spec.type == "fuzzy" and isinstance(value, str):
            from citynet.errors import CitynetError
            from citynet.i18n.format import format_stored_fuzzy

            try:
                return format_stored_fuzzy(value, get_language())
            except CitynetError:  # written before today's rules: shown as recorded
                return value_words(value, zone)
    return value_words(value, zone)


def action_words(change: ChangeView) -> str:
    """"updated (import)": what happened and where the write came from."""
    action = _(ACTIONS[change.action]) if change.action in ACTIONS else change.action
    if change.origin in ORIGINS:
        action = _("{action} ({origin})").format(action=action, origin=_(ORIGINS[change.origin]))
    return action


def change_line(change: ChangeView, zone: str,
                names: dict[tuple[str, int], str] | None = None) -> str:
    """One line: time, user, action (and where from), kind, slug (or id), ``field: old → new``
    (references by name: :func:`ref_names`)."""
    who = change.user or "?"
    action = action_words(change)
    what = f"{change.kind} {change.slug or '#' + str(change.record_id)}"
    names = names or {}
    fields = "; ".join(
        f"{field_label(change.kind, c.field)}: "
        f"{field_value_words(change.kind, c.field, c.old, zone, names)} → "
        f"{field_value_words(change.kind, c.field, c.new, zone, names)}" for c in change.changes)
    line = f"{format_instant(change.at, zone)}  {who}  {action}  {what}"
    return f"{line}  {fields}" if fields else line


def history_lines(engine: Engine, **filters) -> list[str]:
    """The history as terminal lines, newest first, times in the home city's zone (else UTC)."""
    changes = history(engine, **filters)
    zone = home_time_zone(engine)
    if not changes:
        return [_("No changes recorded.")]
    header = (_("Times in UTC.") if zone == "UTC"
              else _("Times in home time ({zone}).").format(zone=zone))
    names = ref_names(engine, changes)
    return [header] + [change_line(change, zone, names) for change in changes]
