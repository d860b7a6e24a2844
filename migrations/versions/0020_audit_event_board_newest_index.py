"""audit_event index on board_id and id, in place of the one on board_id

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 12:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    # Every public page asks for its board's newest audit event (its cache version): with
    # the id in the index that is one step from the end of the board's entries, where the
    # index on board_id alone left PostgreSQL to read the trail back to the board's last
    # change. The new index serves every lookup by board the old one did.
    op.create_index("ix_audit_event_board_id_id", "audit_event", ["board_id", "id"])
    op.drop_index("ix_audit_event_board_id", table_name="audit_event")


def downgrade():
    op.create_index("ix_audit_event_board_id", "audit_event", ["board_id"])
    op.drop_index("ix_audit_event_board_id_id", table_name="audit_event")
