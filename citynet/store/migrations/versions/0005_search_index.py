"""the search index: search_term and search_doc replace search_key and person.sort_key

Revision ID: 0005_search_index
Revises: 0004_uuid_origin
Create Date: 2027-03-01

- ``search_term`` (every searchable spelling of every name, keyed ``(kind, term, record_id)``
  for range scans within a kind) and ``search_doc`` (each record's names and words as a query is matched against
  them, and its place in a Japanese and an English list, indexed by kind), on SQLite as tables without rowid; text in the "C" collation on PostgreSQL so that
  it compares by code point as on SQLite;
- the columns they replace, ``search_key`` (six tables) and ``person.sort_key``, with their indexes,
  are dropped;
- filled for the rows already stored by ``citynet.services.search.rebuild_index``: the index is
  derived data, always written by the rules of the running code (a later change of the rules
  rebuilds it in a migration of its own).
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_search_index'
down_revision = '0004_uuid_origin'
branch_labels = None
depends_on = None

C_TEXT = sa.String().with_variant(sa.String(collation='C'), 'postgresql')
SEARCHED = ('city', 'organisation', 'network', 'person', 'event', 'session')


def upgrade() -> None:
    op.create_table(
        'search_term',
        sa.Column('kind', sa.String(16), primary_key=True),
        sa.Column('term', C_TEXT, primary_key=True),
        sa.Column('record_id', sa.Integer, primary_key=True, autoincrement=False),
        sa.Column('place', sa.Integer, nullable=False),
        sqlite_with_rowid=False)
    op.create_table(
        'search_doc',
        sa.Column('kind', sa.String(16), primary_key=True),
        sa.Column('record_id', sa.Integer, primary_key=True, autoincrement=False),
        sa.Column('names', sa.String, nullable=False),
        sa.Column('words', sa.String, nullable=False),
        sa.Column('sort_ja', C_TEXT, nullable=False),
        sa.Column('sort_en', C_TEXT, nullable=False),
        sqlite_with_rowid=False)
    op.create_index('ix_search_doc_ja', 'search_doc', ['kind', 'sort_ja', 'record_id'])
    op.create_index('ix_search_doc_en', 'search_doc', ['kind', 'sort_en', 'record_id'])
    for table in SEARCHED:
        op.drop_index(f'ix_{table}_search_key', table_name=table)
        op.drop_column(table, 'search_key')
    op.drop_index('ix_person_sort_key', table_name='person')
    op.drop_column('person', 'sort_key')

    from citynet.services.search import rebuild_index

    rebuild_index(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError('the search index is not taken back')
