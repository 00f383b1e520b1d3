"""record uuids, the origin of each change, restore entries

Revision ID: 0004_uuid_origin
Revises: 0003_person_sort_key
Create Date: 2027-02-01

- ``uuid`` on every record table (unique, indexed). Rows already stored get the identity their
  calendar entries already had, ``uuid5(NAMESPACE, "<table>:<slug>")`` (event and session UIDs
  were exactly that), so a subscriber sees no change; a row without a slug gets
  ``uuid5(NAMESPACE, "<table>:#<id>")``. The column is added NOT NULL with an empty default
  (SQLite cannot add a NOT NULL column without one); every writer sets it.
- ``change.origin`` (form, cli, import, restore, demo; NULL for rows written before) and the action
  ``restore``: the change table is rebuilt to change its CHECK constraints (nothing points at it).
"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0004_uuid_origin'
down_revision = '0003_person_sort_key'
branch_labels = None
depends_on = None

# Frozen copies: the namespace calendar UIDs have always used, and the record tables.
NAMESPACE = uuid.UUID('6f1c2b8e-3d4a-5b6c-9e7f-0a1b2c3d4e5f')
TABLES = (
    'city', 'relationship', 'organisation', 'network', 'membership', 'person', 'position',
    'event', 'session', 'session_participant', 'organisation_role', 'participation_totals',
    'registration', 'milestone', 'project', 'project_partner', 'key_figure',
)


def legacy_uuid(table, slug, row_id):
    return str(uuid.uuid5(NAMESPACE, f'{table}:{slug}' if slug else f'{table}:#{row_id}'))


def _fill_uuids(connection, name) -> None:
    columns = {c['name'] for c in sa.inspect(connection).get_columns(name)}
    table = sa.table(name, sa.column('id'), sa.column('uuid'),
                     *([sa.column('slug')] if 'slug' in columns else []))
    slug = table.c.slug if 'slug' in columns else sa.null()
    rows = connection.execute(sa.select(table.c.id, slug.label('slug'))).all()
    updates = [{'row_id': row.id, 'value': legacy_uuid(name, row.slug, row.id)} for row in rows]
    for start in range(0, len(updates), 10_000):
        connection.execute(
            sa.update(table).where(table.c.id == sa.bindparam('row_id'))
            .values(uuid=sa.bindparam('value')), updates[start:start + 10_000])


def _change_table(name, actions, with_origin):
    quoted = ', '.join(f"'{a}'" for a in actions)
    columns = [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user', sa.String(length=120), nullable=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=True),
        sa.Column('action', sa.String(length=8), nullable=False),
    ]
    checks = [sa.CheckConstraint(f'action IN ({quoted})', name='ck_change_action')]
    if with_origin:
        columns.append(sa.Column('origin', sa.String(length=8), nullable=True))
        checks.append(sa.CheckConstraint(
            "origin IN ('form', 'cli', 'import', 'restore', 'demo')", name='ck_change_origin'))
    op.create_table(name, *columns, sa.Column('changes', sa.String(), nullable=False), *checks,
                    sa.PrimaryKeyConstraint('id'))


def _rebuild_change(actions, with_origin) -> None:
    """SQLite cannot alter a CHECK constraint: copy the table into a new one."""
    copied = 'id, at, "user", kind, record_id, slug, action, changes'
    op.drop_index('ix_change_at', table_name='change')
    op.drop_index('ix_change_slug', table_name='change')
    op.drop_index('ix_change_kind_record', table_name='change')
    op.rename_table('change', 'change_old')
    _change_table('change', actions, with_origin)
    where = "" if with_origin else " WHERE action <> 'restore'"
    op.execute(f'INSERT INTO change ({copied}) SELECT {copied} FROM change_old{where}')
    op.drop_table('change_old')
    op.create_index('ix_change_at', 'change', ['at'], unique=False)
    op.create_index('ix_change_slug', 'change', ['slug'], unique=False)
    op.create_index('ix_change_kind_record', 'change', ['kind', 'record_id'], unique=False)


def _alter_change(actions, with_origin) -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_change(actions, with_origin)
        return
    quoted = ', '.join(f"'{a}'" for a in actions)
    if not with_origin:
        op.execute("DELETE FROM change WHERE action = 'restore'")
    op.drop_constraint('ck_change_action', 'change', type_='check')
    op.create_check_constraint('ck_change_action', 'change', f'action IN ({quoted})')
    if with_origin:
        op.add_column('change', sa.Column('origin', sa.String(length=8), nullable=True))
        op.create_check_constraint('ck_change_origin', 'change',
                                   "origin IN ('form', 'cli', 'import', 'restore', 'demo')")
    else:
        op.drop_constraint('ck_change_origin', 'change', type_='check')
        op.drop_column('change', 'origin')


def upgrade() -> None:
    connection = op.get_bind()
    for name in TABLES:
        # A plain ALTER TABLE … ADD COLUMN (batch mode would rebuild the table, which the foreign
        # keys pointing at it forbid on SQLite).
        op.add_column(name, sa.Column('uuid', sa.String(length=36), nullable=False,
                                      server_default=sa.text("''")))
        _fill_uuids(connection, name)
        op.create_index(op.f(f'ix_{name}_uuid'), name, ['uuid'], unique=True)
    _alter_change(('create', 'update', 'delete', 'restore'), with_origin=True)


def downgrade() -> None:
    _alter_change(('create', 'update', 'delete'), with_origin=False)
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_uuid'))
            batch_op.drop_column('uuid')
