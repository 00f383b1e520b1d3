"""Gettext plumbing for citynet: the UI language, `_`, and catalogs per language.

Two ways to translate, one catalog (domain ``citynet``, msgids in English):

* ``_``, ``ngettext``, ``pgettext``, ``_l`` follow the **UI language** set with
  :func:`set_language` (the CLI resolves it once, before any UI module is imported).
* ``gettext_in(lang, msgid)``, ``ngettext_in`` and ``pgettext_in`` translate into an **explicit language**:
  PDFs and calendars choose their language per document, independently of the UI.

Errors are raised untranslated where the layer cannot import this module (the store):
``CitynetError(N_(msgid), **args)``; the edge (CLI, UI) shows them with :func:`describe`.

Catalogs are looked up in this order (see :func:`translations_for`):

1. a source checkout (editable install): ``<repo>/locales/<lang>/LC_MESSAGES/citynet.po``,
   read through its compiled ``.mo`` when that is up to date, else compiled in memory with Babel;
2. an installed package: ``citynet/i18n/locale/<lang>/LC_MESSAGES/citynet.mo``, written by the
   build hook in ``setup.py``;
3. nothing found: msgids are returned unchanged (English).

This module stays light: no Babel import unless a ``.po`` must be compiled (``_l`` needs none).
"""

from __future__ import annotations

import gettext as _gettext
import io
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from citynet.errors import N_, CitynetError, Message

__all__ = [
    "DOMAIN", "LANGUAGES", "_", "_l", "N_", "NP_", "ngettext", "pgettext", "gettext_in", "ngettext_in",
    "pgettext_in", "describe", "describe_in", "UnsupportedLanguage",
    "set_language", "get_language", "resolve_language", "translations_for", "reload_catalogs",
]

DOMAIN = "citynet"
LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "en"

PACKAGE_LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_REPO_ROOT = Path(__file__).resolve().parents[2]
# Only a source checkout has pyproject.toml beside locales/; an installed package does not.
SOURCE_LOCALE_DIR = _REPO_ROOT / "locales" if (_REPO_ROOT / "pyproject.toml").is_file() else None

log = logging.getLogger(__name__)
_current = {"lang": DEFAULT_LANGUAGE}


class UnsupportedLanguage(CitynetError, ValueError):
    """A UI language other than ja or en (from --lang or the settings file)."""


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise UnsupportedLanguage(N_("Unsupported language {lang!r}: use ja or en."), lang=lang)
    return lang


@lru_cache(maxsize=None)
def translations_for(lang: str) -> _gettext.NullTranslations:
    """The catalog of one language (cached; :func:`reload_catalogs` clears the cache)."""
    _check(lang)
    if SOURCE_LOCALE_DIR is not None:
        po = SOURCE_LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo = po.with_suffix(".mo")
        if mo.is_file() and po.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            return _read_mo(mo)
        if po.is_file():
            return _compile_po(po)
    mo = PACKAGE_LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if mo.is_file():
        return _read_mo(mo)
    if lang != "en":
        log.warning("No %s catalog found for %r; showing English", DOMAIN, lang)
    return _gettext.NullTranslations()


def _read_mo(path: Path) -> _gettext.GNUTranslations:
    with path.open("rb") as f:
        return _gettext.GNUTranslations(f)


def _compile_po(path: Path) -> _gettext.GNUTranslations:
    """Editable installs: read the .po directly so an edited catalog shows without a build step."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    # Kept beside the .po (when the checkout is writable), so the next start reads the .mo and
    # does not import Babel before its first frame; written whole or not at all.
    try:
        partial = path.with_suffix(f".mo.{os.getpid()}")
        partial.write_bytes(buf.getvalue())
        os.replace(partial, path.with_suffix(".mo"))
    except OSError:
        pass
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def reload_catalogs() -> None:
    """Forget loaded catalogs (after the catalog command has rewritten them)."""
    translations_for.cache_clear()


def set_language(lang: str) -> None:
    """Set the UI language ("ja" or "en")."""
    translations_for(_check(lang))  # load now so errors show at start-up
    _current["lang"] = lang


def get_language() -> str:
    return _current["lang"]


def _(msgid: str) -> str:
    return translations_for(_current["lang"]).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations_for(_current["lang"]).ngettext(singular, plural, n)


def pgettext(context: str, msgid: str) -> str:
    return translations_for(_current["lang"]).pgettext(context, msgid)


def NP_(context: str, msgid: str) -> tuple[str, str]:
    """Mark a msgid with a context for extraction only; translate the pair with ``pgettext_in``."""
    return (context, msgid)


class LazyText:
    """A msgid translated into the UI language each time it is used as text.

    Behaves like Babel's ``LazyProxy`` (operators and string methods act on the translation),
    without importing Babel: class-level strings are built while the terminal UI starts, and
    Babel (its dates and time zones) costs more than the first frame can spare."""

    __slots__ = ("msgid",)

    def __init__(self, msgid: str) -> None:
        self.msgid = msgid

    @property
    def value(self) -> str:
        return _(self.msgid)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"<LazyText {self.value!r}>"

    def __len__(self) -> int:
        return len(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __iter__(self) -> Any:
        return iter(self.value)

    def __contains__(self, item: object) -> bool:
        return item in self.value  # type: ignore[operator]

    def __getitem__(self, key: Any) -> str:
        return self.value[key]

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: object) -> bool:
        return self.value == (other.value if isinstance(other, LazyText) else other)

    def __lt__(self, other: object) -> bool:
        return self.value < (other.value if isinstance(other, LazyText) else other)  # type: ignore[operator]

    def __add__(self, other: object) -> Any:
        return self.value + other  # type: ignore[operator]

    def __radd__(self, other: object) -> Any:
        return other + self.value  # type: ignore[operator]

    def __mod__(self, other: object) -> str:
        return self.value % other

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles stay lazy
        return (LazyText, (self.msgid,))

    def __getattr__(self, name: str) -> Any:  # format, upper, startswith, …
        if name.startswith("_") or name in ("msgid", "value"):  # not a str method, or not set yet
            raise AttributeError(name)
        return getattr(self.value, name)


def _l(msgid: str) -> Any:
    """A lazy ``_`` for class-level strings (Textual BINDINGS) that must follow a language switch."""
    return LazyText(msgid)


def gettext_in(lang: str, msgid: str) -> str:
    """Translate into a document's language, whatever the UI language is."""
    return translations_for(lang).gettext(msgid)


def ngettext_in(lang: str, singular: str, plural: str, n: int) -> str:
    return translations_for(lang).ngettext(singular, plural, n)


def pgettext_in(lang: str, context: str, msgid: str) -> str:
    """``gettext_in`` for a msgid that needs a context (the same English, other Japanese)."""
    return translations_for(lang).pgettext(context, msgid)


def describe(error: BaseException | str) -> str:
    """An error (or a :class:`~citynet.errors.Message`) as one line in the UI language.

    A :class:`~citynet.errors.CitynetError` is translated from its msgid, then formatted with its
    arguments; one raised with an already-translated message shows as it is; one that defines
    ``render_in(lang)`` composes its line itself. Anything else shows as ``str(error)``.
    """
    return describe_in(_current["lang"], error)


def describe_in(lang: str, error: BaseException | str) -> str:
    """:func:`describe` in an explicit language."""
    render = getattr(error, "render_in", None)
    if callable(render):  # an error that composes its line itself (a field's label and a problem)
        return str(render(lang))
    if isinstance(error, (CitynetError, Message)):
        msgid, params = error.msgid, error.params
    else:
        return str(error)
    text = gettext_in(lang, msgid)
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation with other placeholders: English
        return msgid.format(**params)


def _normalise_tag(value: str) -> str:
    """'ja_JP.UTF-8', 'ja-JP', 'JA' -> 'ja'."""
    return value.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()


def resolve_language(cli_lang: str | None, config_lang: str | None) -> str:
    """--lang, then the config file, then the system locale, then English.

    An explicit value (flag or config) that is not ja/en raises UnsupportedLanguage (a
    CitynetError and a ValueError); the system locale never does: anything but Japanese
    means English.
    """
    for value in (cli_lang, config_lang):
        if value is not None and value.strip():
            if _normalise_tag(value) not in LANGUAGES:
                _check(value)  # raises with the value as given
            return _normalise_tag(value)
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").split(":")[0]
        if value:
            return "ja" if _normalise_tag(value) == "ja" else "en"
    return DEFAULT_LANGUAGE
