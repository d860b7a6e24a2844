"""The report to the Health and Wellbeing Board: per meeting its date, narratives and kept
final content; a meeting's note; the board's report settings

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 08:12:04.112892

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hwb_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=True),
    sa.Column('performance_summary', sa.Text(), nullable=True),
    sa.Column('final_at', sa.DateTime(), nullable=True),
    sa.Column('final_by_id', sa.Integer(), nullable=True),
    sa.Column('final_content', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['final_by_id'], ['person.id'], name=op.f('fk_hwb_report_final_by_id_person')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_hwb_report_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hwb_report')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_hwb_report_meeting_id'))
    )
    op.create_table('hwb_narrative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('progress', 'performance', name='narrativekind', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area_of_focus.id'], name=op.f('fk_hwb_narrative_area_id_area_of_focus')),
    sa.ForeignKeyConstraint(['report_id'], ['hwb_report.id'], name=op.f('fk_hwb_narrative_report_id_hwb_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hwb_narrative')),
    sa.UniqueConstraint('report_id', 'area_id', 'kind', name=op.f('uq_hwb_narrative_report_id_area_id_kind'))
    )
    with op.batch_alter_table('hwb_narrative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hwb_narrative_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hwb_narrative_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_name', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('hwb_priorities', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('published_notes_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('published_notes_text', sa.String(length=300), nullable=True))

    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.String(length=300), nullable=True))



def downgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('note')

    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('published_notes_text')
        batch_op.drop_column('published_notes_url')
        batch_op.drop_column('hwb_priorities')
        batch_op.drop_column('short_name')

    with op.batch_alter_table('hwb_narrative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hwb_narrative_report_id'))
        batch_op.drop_index(batch_op.f('ix_hwb_narrative_area_id'))

    op.drop_table('hwb_narrative')
    op.drop_table('hwb_report')
