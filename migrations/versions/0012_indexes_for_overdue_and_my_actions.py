"""indexes for the overdue rule and My actions

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    # (action_id, created_at) answers the overdue rule's "an update since then?" from the index
    # alone, and serves every lookup by action_id, so the single-column index goes.
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index('ix_progress_update_action_id_created_at', ['action_id', 'created_at'], unique=False)
        batch_op.drop_index(batch_op.f('ix_progress_update_action_id'))
    # The primary key (team_id, person_id) cannot find a person's teams without a scan.
    with op.batch_alter_table('team_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_contact_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('team_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_contact_person_id'))
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_update_action_id'), ['action_id'], unique=False)
        batch_op.drop_index('ix_progress_update_action_id_created_at')
