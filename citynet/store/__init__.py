"""The store: SQLModel tables (``models``), opening and checking a database (``db``) and schema
migrations (``migrate``, ``migrations``).

The lowest layer with citynet.i18n beside it: it imports neither i18n nor anything above it
(contracts in pyproject.toml, checked by ``lint-imports``). Its errors are
:class:`citynet.errors.CitynetError` with a msgid and arguments, translated at the edge.
"""
