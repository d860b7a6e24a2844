"""A person may have no e-mail address yet: a lead named in an imported plan.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 10:00:00

"""
import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=320), nullable=True)


def downgrade():
    # Refuses while a person has no address, rather than inventing one.
    missing = op.get_bind().scalar(sa.text("SELECT count(*) FROM person WHERE email IS NULL"))
    if missing:
        people = "1 person has" if missing == 1 else f"{missing} people have"
        raise CommandError(
            f"0009 cannot be undone while {people} no e-mail address: give them one "
            "(Admin → People), or restore the backup taken before the upgrade to 0009"
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=320), nullable=False)
