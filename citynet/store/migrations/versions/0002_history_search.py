"""change history, updated_by, search keys

Revision ID: 0002_history_search
Revises: 0001_initial
Create Date: 2026-12-01

- ``updated_by`` on every table (who saved last; NULL for rows loaded in bulk);
- ``search_key`` (indexed) on city, organisation, network, person, event and session, computed
  here for the rows already stored, with a frozen copy of the rules of
  ``citynet.services.search.search_key_for`` as they were at this revision (a later change of
  the rules needs a migration of its own that recomputes the keys);
- the ``change`` table (the history; nothing is back-filled: the history starts now).
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0002_history_search'
down_revision = '0001_initial'
branch_labels = None
depends_on = None

TABLES = (
    'city', 'relationship', 'organisation', 'network', 'membership', 'person', 'position',
    'event', 'session', 'session_participant', 'organisation_role', 'participation_totals',
    'registration', 'milestone', 'project', 'project_partner', 'key_figure',
)

# Frozen copy of services/search.py at this revision.
KEY_FIELDS = {
    'city': ('name_ja', 'name_en', 'name_kana', 'slug'),
    'organisation': ('name_ja', 'name_en', 'name_kana', 'abbreviation', 'slug'),
    'network': ('name_ja', 'name_en', 'slug'),
    'person': ('family_name_ja', 'given_name_ja', 'family_name_latin', 'given_name_latin',
               'name_kana', 'name_katakana', 'slug'),
    'event': ('title_ja', 'title_en', 'slug'),
    'session': ('title_ja', 'title_en', 'slug'),
}
JOINED_FIELDS = {
    'person': (('family_name_ja', 'given_name_ja'), ('name_kana',), ('name_katakana',)),
}


def _normalise(text):
    folded = unicodedata.normalize('NFKC', text or '').casefold()
    hiragana = ''.join(chr(ord(c) - 0x60) if '\u30a1' <= c <= '\u30f6' else c for c in folded)
    return ' '.join(hiragana.split())


def _search_key(table, values):
    parts = [_normalise(values.get(name)) for name in KEY_FIELDS[table]]
    for group in JOINED_FIELDS.get(table, ()):
        parts.append(''.join(_normalise(values.get(name)).replace(' ', '') for name in group))
    seen = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ' '.join(seen)


def _fill_search_keys(connection) -> None:
    for name, fields in KEY_FIELDS.items():
        table = sa.table(name, sa.column('id'), sa.column('search_key'),
                         *[sa.column(f) for f in fields])
        rows = connection.execute(sa.select(table.c.id, *[table.c[f] for f in fields])).all()
        updates = [{'row_id': row.id, 'key': _search_key(name, row._mapping)} for row in rows]
        if updates:
            connection.execute(
                sa.update(table).where(table.c.id == sa.bindparam('row_id'))
                .values(search_key=sa.bindparam('key')), updates)


def upgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('updated_by', sa.String(length=120), nullable=True))
    for name in KEY_FIELDS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_key', sa.String(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{name}_search_key'), ['search_key'], unique=False)

    op.create_table('change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user', sa.String(length=120), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('changes', sa.String(), nullable=False),
    sa.CheckConstraint("action IN ('create', 'update', 'delete')", name='ck_change_action'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_slug'), ['slug'], unique=False)
        batch_op.create_index('ix_change_kind_record', ['kind', 'record_id'], unique=False)

    _fill_search_keys(op.get_bind())


def downgrade() -> None:
    op.drop_table('change')
    for name in KEY_FIELDS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_search_key'))
            batch_op.drop_column('search_key')
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('updated_by')
