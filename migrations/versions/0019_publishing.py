"""Publishing (issue 17): the board's public pages and what is on them, the approvals of
updates, indicators, readings, forward plans and reports, agreements to be named in public,
and the read API's tokens with their rate-limit windows.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 11:43:34.522316

"""
import sqlalchemy as sa
from alembic import op

import tracker.models


revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', tracker.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_api_token_board_id_board')),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_api_token_created_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_board_id'), ['board_id'], unique=False)

    op.create_table('public_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('agreed_at', tracker.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_public_name_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_name')),
    sa.UniqueConstraint('person_id', name=op.f('uq_public_name_person_id'))
    )
    op.create_table('public_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('plan', sa.Boolean(), nullable=False),
    sa.Column('indicators', sa.Boolean(), nullable=False),
    sa.Column('meetings', sa.Boolean(), nullable=False),
    sa.Column('reports', sa.Boolean(), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', tracker.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_public_pages_board_id_board')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_pages')),
    sa.UniqueConstraint('board_id', name=op.f('uq_public_pages_board_id'))
    )
    op.create_table('api_token_window',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('window_start', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('calls', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_api_token_window_token_id_api_token')),
    sa.PrimaryKeyConstraint('token_id', name=op.f('pk_api_token_window'))
    )
    op.create_table('published_indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', tracker.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['person.id'], name=op.f('fk_published_indicator_approved_by_id_person')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_published_indicator_board_id_board')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_published_indicator_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_indicator')),
    sa.UniqueConstraint('indicator_id', name=op.f('uq_published_indicator_indicator_id'))
    )
    with op.batch_alter_table('published_indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_indicator_board_id'), ['board_id'], unique=False)

    op.create_table('published_paper',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('forward_plan', 'report', name='paperkind', native_enum=False, length=20), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', tracker.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['person.id'], name=op.f('fk_published_paper_approved_by_id_person')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_published_paper_board_id_board')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_published_paper_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_paper')),
    sa.UniqueConstraint('meeting_id', 'kind', name=op.f('uq_published_paper_meeting_id_kind'))
    )
    with op.batch_alter_table('published_paper', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_paper_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_paper_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('published_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('reading_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', tracker.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['person.id'], name=op.f('fk_published_reading_approved_by_id_person')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_published_reading_board_id_board')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_published_reading_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['reading_id'], ['indicator_reading.id'], name=op.f('fk_published_reading_reading_id_indicator_reading')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_reading')),
    sa.UniqueConstraint('reading_id', name=op.f('uq_published_reading_reading_id'))
    )
    with op.batch_alter_table('published_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_reading_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_reading_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('published_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', tracker.models.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', tracker.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_published_update_action_id_action')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['person.id'], name=op.f('fk_published_update_approved_by_id_person')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_published_update_board_id_board')),
    sa.ForeignKeyConstraint(['update_id'], ['progress_update.id'], name=op.f('fk_published_update_update_id_progress_update')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_update')),
    sa.UniqueConstraint('update_id', name=op.f('uq_published_update_update_id'))
    )
    with op.batch_alter_table('published_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_update_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_update_board_id'), ['board_id'], unique=False)



def downgrade():
    with op.batch_alter_table('published_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_update_board_id'))
        batch_op.drop_index(batch_op.f('ix_published_update_action_id'))

    op.drop_table('published_update')
    with op.batch_alter_table('published_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_reading_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_published_reading_board_id'))

    op.drop_table('published_reading')
    with op.batch_alter_table('published_paper', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_paper_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_published_paper_board_id'))

    op.drop_table('published_paper')
    with op.batch_alter_table('published_indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_indicator_board_id'))

    op.drop_table('published_indicator')
    op.drop_table('api_token_window')
    op.drop_table('public_pages')
    op.drop_table('public_name')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_board_id'))

    op.drop_table('api_token')
