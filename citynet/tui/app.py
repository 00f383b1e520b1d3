"""Entry point of the terminal UI: ``run_app`` (called by ``citynet`` with no sub-command).

This module imports nothing heavy at import time: Textual, SQLAlchemy and the screens load inside
``run_app`` after the keyboard protocol and the language are settled.
"""

from __future__ import annotations

import os
import sys

KITTY_ENV = "TEXTUAL_DISABLE_KITTY_KEY"


def configure_keyboard(environ=os.environ) -> bool:
    """Turn off the Kitty keyboard protocol unless the user opted in; returns True when off.

    Textual 8.2.7+ asks the terminal for Kitty "report all keys + associated text" mode. Its input
    parser gives up on escape sequences longer than 32 characters, so a Japanese IME commit of
    five characters or more (one CSI-u sequence per commit) turns into junk key events. With the
    protocol off, the terminal sends the commit as plain UTF-8 text, which arrives intact.
    ``TEXTUAL_DISABLE_KITTY_KEY=0`` keeps the protocol on (for terminals that need it).
    Textual reads the variable at import; if it is already imported we set its constant too
    (the Linux driver reads ``textual.constants.DISABLE_KITTY_KEY`` when it starts).
    """
    environ.setdefault(KITTY_ENV, "1")
    disabled = environ.get(KITTY_ENV, "").strip().lower() in ("1", "true", "yes", "on")
    constants = sys.modules.get("textual.constants")
    if constants is not None:
        constants.DISABLE_KITTY_KEY = disabled
    return disabled


def run_app(database_url: str | None, lang: str | None) -> int:
    """Open the UI on ``database_url`` (None: the configured store) in ``lang`` (None: resolved)."""
    configure_keyboard()
    from citynet.i18n import resolve_language, set_language

    set_language(resolve_language(lang, None))
    from citynet.tui.application import CitynetApp

    app = CitynetApp(database_url=database_url)
    app.run()
    return app.return_code or 0
