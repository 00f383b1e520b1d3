"""The user's settings file (TOML), e.g. ``~/.config/citynet/config.toml``::

    lang = "ja"                    # UI language: ja or en
    database = "sqlite:///..."     # default database URL
    user = "Sato"                  # name recorded in the change history
    [keys]                         # key bindings (README, "Key bindings")

Only read, never written by citynet. A broken file, or a known setting of the wrong type
(``lang = 5``, ``database = 7``), is a one-line error naming the setting, not a traceback.
Unknown settings are left alone.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from citynet.i18n import _
from citynet.errors import N_, CitynetError

ENV_CONFIG = "CITYNET_CONFIG"
# The type of each setting citynet reads: text (a TOML string) or a table.
TEXT_SETTINGS = ("lang", "database", "user")
TABLE_SETTINGS = ("keys",)
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
