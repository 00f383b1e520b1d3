"""Alembic environment: runs on the connection citynet hands over (see ``store/migrate.py``)."""

from alembic import context

from citynet.store import models  # noqa: F401  (registers the tables)
from sqlmodel import SQLModel

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
