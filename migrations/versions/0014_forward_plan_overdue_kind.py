"""forward plan: "overdue" items apart from those carried over

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:00:00.000000

"carried_over" stood for two things: actions still overdue from an earlier month, and
actions the previous meeting did not reach. Those still overdue become "overdue"; "carried
over" keeps only what the previous meeting did not reach, now including its free items,
which were carried as "added" (as if the secretariat had added them). The rows are told
apart as the compile job tells them apart (jobs/meetings.py): an item is carried over when
the meeting before it (of the same board, not archived) was recorded and left an item for
the same action, or with the same text, unreviewed. So the job, compiling again, finds every
item it wants under the kind it wants and leaves the draft, and its order, as it was.
Only the kind changes: the column stays a string of up to 20 characters.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

item = sa.table(
    "forward_plan_item",
    sa.column("id", sa.Integer),
    sa.column("meeting_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("action_id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("removed_at", sa.DateTime),
    sa.column("reviewed", sa.Boolean),
)
meeting = sa.table(
    "meeting",
    sa.column("id", sa.Integer),
    sa.column("board_id", sa.Integer),
    sa.column("held_on", sa.Date),
    sa.column("archived_at", sa.DateTime),
    sa.column("recorded_at", sa.DateTime),
)


def _not_reached_before(same):
    """A condition on ``item``: the meeting before its own, recorded, left an item
    unreviewed that ``same(earlier_item)`` matches."""
    this, earlier, before = meeting.alias("this"), meeting.alias("before"), item.alias("unreached")
    previous = (
        sa.select(earlier.c.id)
        .where(
            earlier.c.board_id == this.c.board_id,
            earlier.c.archived_at.is_(None),
            earlier.c.held_on < this.c.held_on,
        )
        .order_by(earlier.c.held_on.desc())
        .limit(1)
        .scalar_subquery()
    )
    recorded = meeting.alias("recorded")
    return sa.exists().where(
        this.c.id == item.c.meeting_id,
        recorded.c.id == previous,
        recorded.c.recorded_at.is_not(None),
        before.c.meeting_id == recorded.c.id,
        before.c.removed_at.is_(None),
        before.c.reviewed == sa.false(),
        same(before),
    )


def upgrade():
    op.execute(
        item.update()
        .where(
            item.c.kind == "carried_over",
            ~_not_reached_before(lambda before: before.c.action_id == item.c.action_id),
        )
        .values(kind="overdue")
    )
    op.execute(
        item.update()
        .where(
            item.c.kind == "added",
            item.c.action_id.is_(None),
            _not_reached_before(
                lambda before: sa.and_(before.c.action_id.is_(None), before.c.text == item.c.text)
            ),
        )
        .values(kind="carried_over")
    )


def downgrade():
    op.execute(
        item.update()
        .where(item.c.kind == "carried_over", item.c.action_id.is_(None))
        .values(kind="added")
    )
    op.execute(item.update().where(item.c.kind == "overdue").values(kind="carried_over"))
