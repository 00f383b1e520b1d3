"""a post's last-confirmed date

Revision ID: 0007_position_as_of
Revises: 0006_releases_commitments
Create Date: 2027-05-01

- ``position.as_of``: the last day the holder was known to hold the post, as a fuzzy date
  ("2022-11"). Documents call a holder current only when this reaches their own day, and
  otherwise print "as of <date>".

A new nullable column: every stored post keeps what it said, with no confirmation date.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_position_as_of'
down_revision = '0006_releases_commitments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_column('as_of')
