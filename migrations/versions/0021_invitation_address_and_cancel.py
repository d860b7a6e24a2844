"""An invitation may carry the address given to an imported lead (theirs once accepted), and
may be cancelled by the board's admin

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import tracker.models


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", tracker.models.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("email")
