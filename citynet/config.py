"""The user's settings file (TOML), e.g. ``~/.config/citynet/config.toml``::

    lang = "ja"                    # UI language: ja or en
    time = "home"                  # times in the UI: home (the home city's zone) or local (the venue's)
    database = "sqlite:///..."     # default database URL
    user = "Sato"                  # name recorded in the change history
    [keys]                         # key bindings (README, "Key bindings")
    [checks]                       # what the checker assumes (docs/releases.md)
    travel_speed_kmh = 600         # door to door (flights)
    night = "22:00-07:00"          # the night in home time
    [documents]                    # the PDF documents (docs/documents.md, "Typography")
    dates = "seireki"              # seireki: 2024年11月11日(月); wareki: 令和6年11月11日(月);
                                   # both: 令和6年（2024年）11月11日(月)
    [office]                       # who issues the documents: PDF author and footer
    name = "さいたま市"             # default: the home city's name
    section = "国際交流課"          # printed in every page's footer; default: none
    name_en = "Saitama City"       # for English documents (default: the Japanese)
    section_en = "International Relations Division"

A broken file, or a known setting of the wrong type (``lang = 5``, ``database = 7``), is a
one-line error naming the setting, not a traceback. Unknown settings are left alone.

citynet writes to it only to remember the UI's language and time display when the user switches
them (:func:`remember`): that one line is replaced (or added before the first table), every other
line, comments included, stays as the user wrote it.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from citynet.i18n import _
from citynet.errors import N_, CitynetError

if TYPE_CHECKING:
    from citynet.services.checks import CheckSettings

ENV_CONFIG = "CITYNET_CONFIG"
# The type of each setting citynet reads: text (a TOML string) or a table.
TEXT_SETTINGS = ("lang", "time", "database", "user")
TABLE_SETTINGS = ("keys", "checks", "documents", "office")
E_NOT_TEXT = N_("settings file {path}: {key} must be text in quotes, e.g. {key} = \"…\"")
E_NOT_TABLE = N_("settings file {path}: {key} must be a table ([{key}])")


def config_path() -> Path:
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    from platformdirs import user_config_path

    return user_config_path("citynet", appauthor=False) / "config.toml"


def load_config() -> dict:
    path = config_path()
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as stream:
            settings = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CitynetError(_("cannot read settings file {path}: {reason}").format(path=path, reason=error)) from None
    _check_types(path, settings)
    return settings


def _check_types(path: Path, settings: dict) -> None:
    """Every known setting of the type its reader expects, else one line naming it."""
    for key in TEXT_SETTINGS:
        if key in settings and not isinstance(settings[key], str):
            raise CitynetError(E_NOT_TEXT, path=str(path), key=key)
    for key in TABLE_SETTINGS:
        if key in settings and not isinstance(settings[key], dict):
            raise CitynetError(E_NOT_TABLE, path=str(path), key=key)


E_CHECK_SPEED = N_("settings file {path}: [checks] travel_speed_kmh must be a number of km/h above 0, "
                   "e.g. travel_speed_kmh = 600")
E_CHECK_NIGHT = N_("settings file {path}: [checks] night must be two different times in quotes, "
                   "e.g. night = \"22:00-07:00\"")
_NIGHT = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–～~]\s*(\d{1,2}):(\d{2})\s*$")


def check_settings(settings: dict | None = None) -> CheckSettings:
    """The checker's settings from the ``[checks]`` table (the defaults for what is not set);
    a bad value is a one-line error naming it. ``settings``: a loaded file (default: the user's)."""
    from datetime import time

    from citynet.services.checks import CheckSettings

    table = (load_config() if settings is None else settings).get("checks", {})
    defaults = CheckSettings()
    speed = table.get("travel_speed_kmh", defaults.travel_speed_kmh)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not math.isfinite(speed) \
            or speed <= 0:
        raise CitynetError(E_CHECK_SPEED, path=str(config_path()))
    start, end = defaults.night_start, defaults.night_end
    if "night" in table:
        match = _NIGHT.match(table["night"]) if isinstance(table["night"], str) else None
        hours = [int(x) for x in match.groups()] if match else []
        if not match or hours[0] > 23 or hours[2] > 23 or hours[1] > 59 or hours[3] > 59 \
                or hours[:2] == hours[2:]:
            raise CitynetError(E_CHECK_NIGHT, path=str(config_path()))
        start, end = time(hours[0], hours[1]), time(hours[2], hours[3])
    return CheckSettings(float(speed), start, end)


DATE_STYLES = ("seireki", "wareki", "both")
E_DOCUMENT_DATES = N_("settings file {path}: [documents] dates must be one of {choices}, "
                      "e.g. dates = \"wareki\"")
E_OFFICE_TEXT = N_("settings file {path}: [office] {key} must be text in quotes")


@dataclass(frozen=True)
class DocumentSettings:
    """How the office writes its documents: the date style and who issues them (per language;
    empty when not set: the documents then name the home city and no section)."""

    dates: str = "seireki"
    office: dict[str, str] = field(default_factory=dict)
    section: dict[str, str] = field(default_factory=dict)


def document_settings(settings: dict | None = None) -> DocumentSettings:
    """The ``[documents]`` and ``[office]`` tables (defaults for what is not set); a bad value is
    a one-line error naming it. ``settings``: a loaded file (default: the user's)."""
    loaded = load_config() if settings is None else settings
    documents, office = loaded.get("documents", {}), loaded.get("office", {})
    dates = documents.get("dates", "seireki")
    if dates not in DATE_STYLES:
        raise CitynetError(E_DOCUMENT_DATES, path=str(config_path()), choices=", ".join(DATE_STYLES))
    for key in ("name", "section", "name_en", "section_en"):
        if key in office and not isinstance(office[key], str):
            raise CitynetError(E_OFFICE_TEXT, path=str(config_path()), key=key)

    def per_lang(key: str) -> dict[str, str]:
        ja = office.get(key, "").strip()
        en = office.get(f"{key}_en", "").strip() or ja
        return {lang: text for lang, text in (("ja", ja), ("en", en)) if text}

    return DocumentSettings(dates, per_lang("name"), per_lang("section"))


# The settings the UI remembers, and the values each may take.
REMEMBERED = {"lang": ("ja", "en"), "time": ("home", "local")}


def remember(setting: str, value: str) -> Path:
    """Set ``setting = "value"`` in the settings file (created if missing), changing nothing else;
    the file's path. A file citynet cannot read or write is a one-line CitynetError."""
    import re

    from citynet.files import atomic_write

    if value not in REMEMBERED[setting]:
        raise ValueError(f"remember: {setting} = {value!r}")
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise CitynetError(_("cannot read settings file {path}: {reason}").format(path=path, reason=error)) from None
    line = f'{setting} = "{value}"'
    # Top-level settings come before the first [table]; the setting's own line is replaced there.
    table = re.search(r"^[ \t]*\[", text, flags=re.M)
    head, tail = (text[:table.start()], text[table.start():]) if table else (text, "")
    pattern = re.compile(rf"^[ \t]*{setting}[ \t]*=.*$", flags=re.M)
    if pattern.search(head):
        head = pattern.sub(line, head, count=1)
    else:  # after the last top-level line, keeping the blank lines before the first table
        body = head.rstrip("\n")
        blank = len(head) - len(body) - 1 if body else 0
        head = (body + "\n" if body else "") + line + "\n" + "\n" * max(blank, 1 if tail else 0)
    new = head + tail
    try:
        written = tomllib.loads(new).get(setting)
    except tomllib.TOMLDecodeError as error:  # a file broken already: not made worse
        raise CitynetError(_("cannot read settings file {path}: {reason}").format(path=path, reason=error)) from None
    if written != value:  # a layout this line edit does not understand: left as it is
        raise CitynetError(_("cannot update settings file {path}: set {line} there by hand").format(
            path=path, line=line))
    return atomic_write(path, new.encode("utf-8"), binary=False)
