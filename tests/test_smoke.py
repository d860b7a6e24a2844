from tests import factories
from tracker.leads import lead_people


def test_models_round_trip_and_are_audited(session):
    board = factories.board()
    lead = factories.person(board)
    plan = factories.plan(board)
    area = factories.area(plan)
    action = factories.action(area, leads=[lead], measures=["a", "b"])
    session.commit()
    assert lead_people(action) == [lead]
    from sqlalchemy import select

    from tracker.models import AuditEvent

    events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "action")).all()
    assert [e.verb for e in events] == ["created"]
    assert events[0].board_id == board.id
