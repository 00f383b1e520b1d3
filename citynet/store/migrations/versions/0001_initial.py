"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('city',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_ja', sa.String(), nullable=True),
    sa.Column('name_en', sa.String(), nullable=True),
    sa.Column('name_kana', sa.String(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('region_ja', sa.String(), nullable=True),
    sa.Column('region_en', sa.String(), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('is_home', sa.Boolean(), nullable=False),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint('latitude IS NULL OR (latitude BETWEEN -90 AND 90)', name='ck_city_latitude'),
    sa.CheckConstraint('length(country) = 2', name='ck_city_country'),
    sa.CheckConstraint('longitude IS NULL OR (longitude BETWEEN -180 AND 180)', name='ck_city_longitude'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('city', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_city_slug'), ['slug'], unique=True)
        batch_op.create_index('uq_city_home', ['is_home'], unique=True, sqlite_where=sa.text('is_home = 1'), postgresql_where=sa.text('is_home'))

    op.create_table('network',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_ja', sa.String(), nullable=True),
    sa.Column('name_en', sa.String(), nullable=True),
    sa.Column('description_ja', sa.String(), nullable=True),
    sa.Column('description_en', sa.String(), nullable=True),
    sa.Column('founded', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_slug'), ['slug'], unique=True)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('family_name_ja', sa.String(), nullable=True),
    sa.Column('given_name_ja', sa.String(), nullable=True),
    sa.Column('family_name_latin', sa.String(), nullable=True),
    sa.Column('given_name_latin', sa.String(), nullable=True),
    sa.Column('name_kana', sa.String(), nullable=True),
    sa.Column('name_katakana', sa.String(), nullable=True),
    sa.Column('name_order', sa.String(length=16), nullable=False),
    sa.Column('honorific_ja', sa.String(), nullable=True),
    sa.Column('honorific_en', sa.String(), nullable=True),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint("name_order IN ('family_first', 'given_first', 'single')", name='ck_person_name_order'),
    sa.CheckConstraint('family_name_ja IS NOT NULL OR given_name_ja IS NOT NULL OR family_name_latin IS NOT NULL OR given_name_latin IS NOT NULL', name='ck_person_has_name'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_slug'), ['slug'], unique=True)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title_ja', sa.String(), nullable=True),
    sa.Column('title_en', sa.String(), nullable=True),
    sa.Column('theme_ja', sa.String(), nullable=True),
    sa.Column('theme_en', sa.String(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('venue_ja', sa.String(), nullable=True),
    sa.Column('venue_en', sa.String(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attend_start', sa.Date(), nullable=True),
    sa.Column('attend_end', sa.Date(), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint("kind IN ('summit', 'conference', 'inbound_visit', 'outbound_visit', 'meeting', 'ceremony')", name='ck_event_kind'),
    sa.CheckConstraint("status IN ('planned', 'confirmed', 'held', 'postponed', 'cancelled')", name='ck_event_status'),
    sa.CheckConstraint("visibility IN ('public', 'internal', 'confidential')", name='ck_event_visibility'),
    sa.CheckConstraint('attend_end IS NULL OR attend_end >= attend_start', name='ck_event_attend_dates'),
    sa.CheckConstraint('attend_end IS NULL OR attend_start IS NOT NULL', name='ck_event_attend_end_needs_start'),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name='ck_event_dates'),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NOT NULL', name='ck_event_end_needs_start'),
    sa.CheckConstraint('ends_at IS NULL OR ends_at >= starts_at', name='ck_event_times'),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_slug'), ['slug'], unique=True)
        batch_op.create_index(batch_op.f('ix_event_start_date'), ['start_date'], unique=False)

    op.create_table('key_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('label_ja', sa.String(), nullable=True),
    sa.Column('label_en', sa.String(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('base_period', sa.String(length=16), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('actual', 'target')", name='ck_key_figure_kind'),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('key_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_figure_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_figure_slug'), ['slug'], unique=True)

    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_ja', sa.String(), nullable=True),
    sa.Column('name_en', sa.String(), nullable=True),
    sa.Column('name_kana', sa.String(), nullable=True),
    sa.Column('abbreviation', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint("kind IN ('city_government', 'local_government', 'government_agency', 'ministry', 'un_body', 'university', 'company', 'ngo', 'association', 'other')", name='ck_organisation_kind'),
    sa.CheckConstraint('country IS NULL OR length(country) = 2', name='ck_organisation_country'),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_slug'), ['slug'], unique=True)

    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('title_ja', sa.String(), nullable=True),
    sa.Column('title_en', sa.String(), nullable=True),
    sa.Column('summary_ja', sa.String(), nullable=True),
    sa.Column('summary_en', sa.String(), nullable=True),
    sa.Column('start', sa.String(length=16), nullable=True),
    sa.Column('planned', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_slug'), ['slug'], unique=True)

    op.create_table('relationship',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('since', sa.String(length=16), nullable=True),
    sa.Column('until', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint("kind IN ('sister', 'friendship', 'network_partner', 'mou', 'exchange')", name='ck_relationship_kind'),
    sa.CheckConstraint("status IN ('active', 'planned', 'ended')", name='ck_relationship_status'),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relationship_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_slug'), ['slug'], unique=True)

    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('role_ja', sa.String(), nullable=True),
    sa.Column('role_en', sa.String(), nullable=True),
    sa.Column('start', sa.String(length=16), nullable=True),
    sa.Column('end', sa.String(length=16), nullable=True),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint('(CASE WHEN city_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END) = 1', name='ck_membership_member'),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.Column('when', sa.String(length=16), nullable=False),
    sa.Column('ongoing', sa.Boolean(), nullable=False),
    sa.Column('title_ja', sa.String(), nullable=True),
    sa.Column('title_en', sa.String(), nullable=True),
    sa.Column('description_ja', sa.String(), nullable=True),
    sa.Column('description_en', sa.String(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_slug'), ['slug'], unique=True)

    op.create_table('participation_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('overseas_countries', sa.Integer(), nullable=True),
    sa.Column('overseas_cities', sa.Integer(), nullable=True),
    sa.Column('domestic_cities', sa.Integer(), nullable=True),
    sa.Column('organisations', sa.Integer(), nullable=True),
    sa.Column('sponsors', sa.Integer(), nullable=True),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint('COALESCE(total, 0) >= 0 AND COALESCE(overseas_countries, 0) >= 0 AND COALESCE(overseas_cities, 0) >= 0 AND COALESCE(domestic_cities, 0) >= 0 AND COALESCE(organisations, 0) >= 0 AND COALESCE(sponsors, 0) >= 0', name='ck_participation_nonnegative'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('participation_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_totals_event_id'), ['event_id'], unique=True)

    op.create_table('position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('title_ja', sa.String(), nullable=True),
    sa.Column('title_en', sa.String(), nullable=True),
    sa.Column('start', sa.String(length=16), nullable=True),
    sa.Column('end', sa.String(length=16), nullable=True),
    sa.Column('ended', sa.Boolean(), nullable=False),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint('(CASE WHEN city_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END) = 1', name='ck_position_body'),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_position_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_position_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_position_slug'), ['slug'], unique=True)

    op.create_table('project_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('proposer', 'co_proposer', 'partner')", name='ck_project_partner_role'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('project_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_partner_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_partner_project_id'), ['project_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("category IN ('overseas_city', 'domestic_city', 'organisation', 'other')", name='ck_registration_category'),
    sa.CheckConstraint('country IS NULL OR length(country) = 2', name='ck_registration_country'),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], ),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_person_id'), ['person_id'], unique=False)

    op.create_table('session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title_ja', sa.String(), nullable=True),
    sa.Column('title_en', sa.String(), nullable=True),
    sa.Column('theme_ja', sa.String(), nullable=True),
    sa.Column('theme_en', sa.String(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('room_ja', sa.String(), nullable=True),
    sa.Column('room_en', sa.String(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('notes_ja', sa.String(), nullable=True),
    sa.Column('notes_en', sa.String(), nullable=True),
    sa.CheckConstraint("kind IN ('press_conference', 'high_level_talks', 'seminar', 'panel', 'site_visit', 'plenary', 'meeting', 'ceremony', 'other')", name='ck_session_kind'),
    sa.CheckConstraint("status IN ('planned', 'confirmed', 'held', 'cancelled')", name='ck_session_status'),
    sa.CheckConstraint("visibility IN ('public', 'internal', 'confidential')", name='ck_session_visibility'),
    sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name='ck_session_times'),
    sa.CheckConstraint('ends_at IS NULL OR starts_at IS NOT NULL', name='ck_session_end_needs_start'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_slug'), ['slug'], unique=True)
        batch_op.create_index(batch_op.f('ix_session_starts_at'), ['starts_at'], unique=False)

    op.create_table('organisation_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('host', 'co_host', 'support', 'sponsor', 'cooperation')", name='ck_organisation_role_role'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organisation_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_role_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_role_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_role_session_id'), ['session_id'], unique=False)

    op.create_table('session_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('capacity_ja', sa.String(), nullable=True),
    sa.Column('capacity_en', sa.String(), nullable=True),
    sa.CheckConstraint("role IN ('host', 'moderator', 'speaker', 'panelist', 'participant', 'interpreter')", name='ck_participant_role'),
    sa.CheckConstraint('person_id IS NOT NULL OR position_id IS NOT NULL', name='ck_participant_who'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_participant_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_participant_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_participant_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('session_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_participant_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_participant_position_id'))
        batch_op.drop_index(batch_op.f('ix_session_participant_person_id'))

    op.drop_table('session_participant')
    with op.batch_alter_table('organisation_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_role_session_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_role_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_role_event_id'))

    op.drop_table('organisation_role')
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_session_slug'))
        batch_op.drop_index(batch_op.f('ix_session_event_id'))
        batch_op.drop_index(batch_op.f('ix_session_day'))

    op.drop_table('session')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_person_id'))
        batch_op.drop_index(batch_op.f('ix_registration_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_registration_event_id'))
        batch_op.drop_index(batch_op.f('ix_registration_city_id'))

    op.drop_table('registration')
    with op.batch_alter_table('project_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_partner_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_partner_organisation_id'))

    op.drop_table('project_partner')
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_slug'))
        batch_op.drop_index(batch_op.f('ix_position_person_id'))
        batch_op.drop_index(batch_op.f('ix_position_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_position_city_id'))

    op.drop_table('position')
    with op.batch_alter_table('participation_totals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_totals_event_id'))

    op.drop_table('participation_totals')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_slug'))
        batch_op.drop_index(batch_op.f('ix_milestone_city_id'))

    op.drop_table('milestone')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_membership_network_id'))
        batch_op.drop_index(batch_op.f('ix_membership_city_id'))

    op.drop_table('membership')
    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relationship_slug'))
        batch_op.drop_index(batch_op.f('ix_relationship_city_id'))

    op.drop_table('relationship')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_slug'))
        batch_op.drop_index(batch_op.f('ix_project_city_id'))

    op.drop_table('project')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_slug'))
        batch_op.drop_index(batch_op.f('ix_organisation_city_id'))

    op.drop_table('organisation')
    with op.batch_alter_table('key_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_figure_slug'))
        batch_op.drop_index(batch_op.f('ix_key_figure_city_id'))

    op.drop_table('key_figure')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_start_date'))
        batch_op.drop_index(batch_op.f('ix_event_slug'))
        batch_op.drop_index(batch_op.f('ix_event_city_id'))

    op.drop_table('event')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_slug'))

    op.drop_table('person')
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_slug'))

    op.drop_table('network')
    with op.batch_alter_table('city', schema=None) as batch_op:
        batch_op.drop_index('uq_city_home', sqlite_where=sa.text('is_home = 1'), postgresql_where=sa.text('is_home'))
        batch_op.drop_index(batch_op.f('ix_city_slug'))

    op.drop_table('city')
