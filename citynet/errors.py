"""Errors a user can cause. The CLI prints them as one line and exits 2; the UI shows them."""


class CitynetError(Exception):
    """A problem with the user's input or environment, explained in one line."""


class NotFound(CitynetError):
    """A slug or id that names no record."""


class ConflictError(CitynetError):
    """A save refused because someone else saved the record first (optimistic locking)."""
