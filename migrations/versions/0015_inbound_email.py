"""Replies by e-mail: the inbox of received messages, updates marked "by e-mail", and the
Reply-To of an outbox message.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import tracker.models

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

STATUSES = ("received", "posted", "refused", "auto_reply")


def upgrade():
    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=False),
        sa.Column("received_at", tracker.models.UTCDateTime(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("mail_from", sa.String(length=320), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="inboundstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("board_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("attachments", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=True),
        sa.Column("posted_by_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", tracker.models.UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_inbound_message_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["board_id"], ["board.id"], name=op.f("fk_inbound_message_board_id_board")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_inbound_message_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["posted_by_id"], ["person.id"], name=op.f("fk_inbound_message_posted_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"], ["person.id"], name=op.f("fk_inbound_message_sender_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["progress_update.id"],
            name=op.f("fk_inbound_message_update_id_progress_update"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_inbound_message_message_id")),
    )
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbound_message_action_id"), ["action_id"])
        batch_op.create_index(batch_op.f("ix_inbound_message_board_id"), ["board_id"])
        batch_op.create_index(batch_op.f("ix_inbound_message_received_at"), ["received_at"])
        batch_op.create_index(batch_op.f("ix_inbound_message_sender_id"), ["sender_id"])
        batch_op.create_index(batch_op.f("ix_inbound_message_status"), ["status"])

    with op.batch_alter_table("progress_update", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("by_email", sa.Boolean(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to", sa.String(length=320), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("reply_to")
    with op.batch_alter_table("progress_update", schema=None) as batch_op:
        batch_op.drop_column("by_email")
    op.drop_table("inbound_message")
