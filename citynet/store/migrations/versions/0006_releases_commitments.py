"""document releases and session commitments

Revision ID: 0006_releases_commitments
Revises: 0005_search_index
Create Date: 2027-04-01

- ``document_release``: a briefing or programme as it went out (``citynet release``), numbered per
  event, document and language, with the snapshot of the data it was built from;
- ``commitment``: what was promised at a session, by whom, to whom (a person, a city or an
  organisation, at most one), by when, and whether it was kept.

Both are new tables: nothing already stored changes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_releases_commitments'
down_revision = '0005_search_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), server_default=sa.text("('')"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.String(length=16), nullable=False),
    sa.Column('lang', sa.String(length=4), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recipients', sa.String(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('snapshot', sa.String(), nullable=False),
    sa.Column('accepted_warnings', sa.String(), nullable=False),
    sa.CheckConstraint("document IN ('briefing', 'programme')", name='ck_release_document'),
    sa.CheckConstraint("lang IN ('ja', 'en', 'both')", name='ck_release_lang'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'document', 'lang', 'version', name='uq_release_version')
    )
    with op.batch_alter_table('document_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_release_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_release_uuid'), ['uuid'], unique=True)

    op.create_table('commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), server_default=sa.text("('')"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=120), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('text_ja', sa.String(), nullable=True),
    sa.Column('text_en', sa.String(), nullable=True),
    sa.Column('by_person_id', sa.Integer(), nullable=True),
    sa.Column('to_person_id', sa.Integer(), nullable=True),
    sa.Column('to_city_id', sa.Integer(), nullable=True),
    sa.Column('to_organisation_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.CheckConstraint("status IN ('open', 'done', 'dropped')", name='ck_commitment_status'),
    sa.CheckConstraint('(CASE WHEN to_person_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN to_city_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN to_organisation_id IS NULL THEN 0 ELSE 1 END) <= 1', name='ck_commitment_to'),
    sa.ForeignKeyConstraint(['by_person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], ),
    sa.ForeignKeyConstraint(['to_city_id'], ['city.id'], ),
    sa.ForeignKeyConstraint(['to_organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['to_person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_by_person_id'), ['by_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_to_city_id'), ['to_city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_to_organisation_id'), ['to_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_to_person_id'), ['to_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_uuid'), ['uuid'], unique=True)



def downgrade() -> None:
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_uuid'))
        batch_op.drop_index(batch_op.f('ix_commitment_to_person_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_to_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_to_city_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_session_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_by_person_id'))

    op.drop_table('commitment')
    with op.batch_alter_table('document_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_release_uuid'))
        batch_op.drop_index(batch_op.f('ix_document_release_event_id'))

    op.drop_table('document_release')
