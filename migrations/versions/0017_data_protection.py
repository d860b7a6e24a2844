"""Data protection: each board's controller, contact and retention periods; when a person
was erased

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('controller', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('privacy_contact', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('keep_sent_emails_days', sa.Integer(), server_default='365', nullable=False))
        batch_op.add_column(sa.Column('keep_sign_in_records_days', sa.Integer(), server_default='90', nullable=False))
        batch_op.add_column(sa.Column('keep_sign_in_events_days', sa.Integer(), server_default='365', nullable=False))

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('keep_sign_in_events_days')
        batch_op.drop_column('keep_sign_in_records_days')
        batch_op.drop_column('keep_sent_emails_days')
        batch_op.drop_column('privacy_contact')
        batch_op.drop_column('controller')
