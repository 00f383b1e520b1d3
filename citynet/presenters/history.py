"""The change history as lines for the terminal (``citynet history`` and the UI's history view)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.engine import Engine

from citynet.i18n import N_, _
from citynet.services.history import ChangeView, format_instant, history, home_time_zone
from citynet.services.rules import field_label

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


def action_words(change: ChangeView) -> str:
    """"updated (import)": what happened and where the write came from."""
    action = _(ACTIONS[change.action]) if change.action in ACTIONS else change.action
    if change.origin in ORIGINS:
        action = _("{action} ({origin})").format(action=action, origin=_(ORIGINS[change.origin]))
    return action


def change_line(change: ChangeView, zone: str) -> str:
    """One line: time, user, action (and where from), kind, slug (or id), ``field: old → new``."""
    who = change.user or "?"
    action = action_words(change)
    what = f"{change.kind} {change.slug or '#' + str(change.record_id)}"
    fields = "; ".join(f"{field_label(change.kind, c.field)}: {value_words(c.old, zone)} → "
                       f"{value_words(c.new, zone)}" for c in change.changes)
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
    return [header] + [change_line(change, zone) for change in changes]
