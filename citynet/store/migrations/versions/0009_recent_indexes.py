"""indexes for the dashboard's reads

Revision ID: 0009_recent_indexes
Revises: 0008_event_network
Create Date: 2027-07-01

- ``updated_at`` of city, network, organisation, person, event and session: "recent changes"
  reads the latest dozen of each table, which without an index sorted the whole table (80 ms
  for the sessions of a 100,000-session store).
- ``event (end_date, start_date)``: "upcoming" reads the events starting from today on from the
  ``start_date`` index and those still running (started before today, ending today or later)
  from this one, without reading each past event's row (35 ms for 20,000 events before).

Indexes only: every stored row keeps what it said.
"""
from alembic import op


revision = '0009_recent_indexes'
down_revision = '0008_event_network'
branch_labels = None
depends_on = None

RECENT_TABLES = ('city', 'network', 'organisation', 'person', 'event', 'session')


def upgrade() -> None:
    for table in RECENT_TABLES:
        op.create_index(f'ix_{table}_updated_at', table, ['updated_at'], unique=False)
    op.create_index('ix_event_end_date', 'event', ['end_date', 'start_date'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_event_end_date', table_name='event')
    for table in reversed(RECENT_TABLES):
        op.drop_index(f'ix_{table}_updated_at', table_name=table)
