"""Errors a user can cause. The CLI prints them as one line and exits 2; the UI shows them.

This module is the root of the package: it imports nothing of citynet, so every layer (the store
included) can raise these errors. A message is raised untranslated, as a msgid with its arguments,
and translated at the edge (the CLI, the UI) with :func:`citynet.i18n.describe`::

    raise CitynetError(N_("directory does not exist: {directory}"), directory=path)

``str(error)`` is the English text (the msgid formatted with the arguments). Code that may import
citynet.i18n can still raise an already-translated message, ``CitynetError(_("…").format(…))``:
it has no arguments and is shown as it is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["N_", "Message", "CitynetError", "NotFound", "ConflictError"]


def N_(msgid: str) -> str:
    """Mark a msgid for extraction only (the catalog command extracts ``N_``); translate it later."""
    return msgid


def _format(text: str, params: dict[str, Any]) -> str:
    # No arguments: the text is final (it may hold braces, e.g. a value already formatted in).
    return text.format(**params) if params else text


class Message(str):
    """A one-line message that can still be translated: its value is the English text, and it
    keeps the msgid and the arguments (:func:`citynet.i18n.describe` gives the UI language)."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Message:
        if isinstance(msgid, Message) and not params:
            params = msgid.params
            msgid = msgid.msgid
        self = super().__new__(cls, _format(msgid, params))
        self.msgid = str(msgid)
        self.params = dict(params)
        return self


class CitynetError(Exception):
    """A problem with the user's input or environment, explained in one line.

    ``CitynetError(msgid, **params)``: ``msgid`` marked with ``N_`` (or already translated, with no
    arguments); ``str(error)`` is the English text, :func:`citynet.i18n.describe` the translation.
    """

    msgid: str
    params: dict[str, Any]

    def __init__(self, message: str = "", /, **params: Any) -> None:
        if isinstance(message, Message) and not params:
            params = message.params
            message = message.msgid
        self.msgid = str(message)
        self.params = dict(params)
        super().__init__(_format(self.msgid, self.params))

    def __reduce__(self) -> tuple[Any, ...]:  # pickling keeps the arguments (not only ``args``)
        return (_rebuild, (type(self), self.args, self.msgid, self.params, self.__dict__))


def _rebuild(cls: type[CitynetError], args: tuple[Any, ...], msgid: str, params: dict[str, Any],
             state: dict[str, Any]) -> CitynetError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    error.msgid, error.params = msgid, params
    return error


class NotFound(CitynetError):
    """A slug or id that names no record."""


class ConflictError(CitynetError):
    """A save refused because someone else saved the record first (optimistic locking)."""
