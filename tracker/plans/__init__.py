from sqlalchemy import Select, select

from tracker.models import Plan


def live_plans(board_id: int) -> Select:
    """The board's plans that are not archived, newest first."""
    return (
        select(Plan)
        .where(Plan.board_id == board_id, Plan.archived_at.is_(None))
        .order_by(Plan.start_year.desc(), Plan.id.desc())
    )
