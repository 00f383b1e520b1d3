"""the network an event belongs to

Revision ID: 0008_event_network
Revises: 0007_position_as_of
Create Date: 2027-06-01

- ``event.network_id``: the network whose event it is (the 2025 Urban7 Mayors' Summit, held by
  Kobe, which is not a member). A network's page, calendar and briefings count such an event
  beside those of its members.

A new nullable column: every stored event keeps what it said, with no network of its own.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_event_network'
down_revision = '0007_position_as_of'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its reference in place; a batch would copy the table, and
        # dropping the old one fails while sessions and roles point at it.
        op.execute('ALTER TABLE event ADD COLUMN network_id INTEGER REFERENCES network (id)')
    else:
        op.add_column('event', sa.Column('network_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_event_network_id', 'event', 'network', ['network_id'], ['id'])
    op.create_index('ix_event_network_id', 'event', ['network_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint('fk_event_network_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_event_network_id'))
        batch_op.drop_column('network_id')
