"""audit_event index on entity and entity_id

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 04:58:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    # The trail of one thing (a meeting, its forward plan's items, an indicator) without
    # reading the whole audit trail, which grows with every change on every board.
    op.create_index("ix_audit_event_entity", "audit_event", ["entity", "entity_id"])


def downgrade():
    op.drop_index("ix_audit_event_entity", table_name="audit_event")
