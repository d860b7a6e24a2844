"""calendar feed token

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 02:38:23.842512

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # No token for anyone yet: each person makes their feed's address when they want one.
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_person_calendar_token'), ['calendar_token'])


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_person_calendar_token'), type_='unique')
        batch_op.drop_column('calendar_token')
