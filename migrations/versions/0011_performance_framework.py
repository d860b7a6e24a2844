"""Performance framework: indicators, their readings and what is being done

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 02:37:35.332726

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('unit', sa.Enum('number', 'percent', 'rate_per_10000', name='indicatorunit', native_enum=False, length=20), nullable=False),
    sa.Column('direction', sa.Enum('higher', 'lower', name='direction', native_enum=False, length=20), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('tolerance', sa.Float(), nullable=False),
    sa.Column('frequency', sa.Enum('monthly', 'quarterly', 'termly', 'yearly', name='frequency', native_enum=False, length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('tolerance >= 0', name=op.f('ck_indicator_tolerance_not_negative')),
    sa.ForeignKeyConstraint(['area_id'], ['area_of_focus.id'], name=op.f('fk_indicator_area_id_area_of_focus')),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_indicator_board_id_board')),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_indicator_owner_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('board_id', 'number', name=op.f('uq_indicator_board_id_number'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_owner_id'), ['owner_id'], unique=False)

    op.create_table('indicator_commentary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_indicator_commentary_author_id_person')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_commentary_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_commentary'))
    )
    with op.batch_alter_table('indicator_commentary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_commentary_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('indicator_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('rag_override', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, length=20), nullable=True),
    sa.Column('rag_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(rag_override IS NULL) = (rag_reason IS NULL)', name=op.f('ck_indicator_reading_override_has_reason')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['person.id'], name=op.f('fk_indicator_reading_entered_by_id_person')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_reading_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_reading')),
    sa.UniqueConstraint('indicator_id', 'period_start', name=op.f('uq_indicator_reading_indicator_id_period_start'))
    )
    with op.batch_alter_table('indicator_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_reading_indicator_id'), ['indicator_id'], unique=False)



def downgrade():

    with op.batch_alter_table('indicator_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_reading_indicator_id'))

    op.drop_table('indicator_reading')
    with op.batch_alter_table('indicator_commentary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_commentary_indicator_id'))

    op.drop_table('indicator_commentary')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_owner_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_board_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_area_id'))

    op.drop_table('indicator')
