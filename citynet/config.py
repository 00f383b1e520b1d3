"""The user's settings file (TOML), e.g. ``~/.config/citynet/config.toml``::

    lang = "ja"                    # UI language: ja or en
    database = "sqlite:///..."     # default database URL
    user = "Sato"                  # name recorded in the change history

Only read, never written by citynet. A broken file is a one-line error, not a traceback.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from citynet.i18n import _
from citynet.errors import CitynetError

ENV_CONFIG = "CITYNET_CONFIG"


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
            return tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CitynetError(_("cannot read settings file {path}: {reason}").format(path=path, reason=error)) from None
