"""The Core table behind a table model, with the types the checker cannot see.

SQLAlchemy's declarative mapping sets ``__table__`` (an ``sa.Table``) on every ``table=True``
model, but SQLModel's ``SQLModel`` class does not declare it, and it declares ``__tablename__`` as
``str | Callable[..., str]`` (the callable form is only for a class body's ``declared_attr``).
The services read a model's table through these two functions instead of the bare attributes,
so the table, its columns and its name are typed; at run time they are the same objects.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> sa.Table:
    """``model.__table__``: the table a ``table=True`` model is mapped to."""
    table: sa.Table = getattr(model, "__table__")  # undeclared on SQLModel (see the module doc)
    return table


def table_name(model: type[SQLModel]) -> str:
    """``model.__tablename__`` as the string it is on a mapped model: the name of its table."""
    return table_of(model).name
