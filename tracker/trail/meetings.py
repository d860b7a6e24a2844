"""How a meeting, its forward plan and its report to the Health and Wellbeing Board read in
the trail."""

from __future__ import annotations

from typing import Any

from tracker.models import ForwardPlanItem, HwbNarrative, HwbReport, Meeting
from tracker.trail.fields import Field, Moment, Thing, Values, archived, board, plain_text, position


def _kept(value: Any, values: Values) -> str:
    return "kept, to be produced again unchanged"


THINGS: dict[type, Thing] = {
    Meeting: Thing(
        "Board meeting",
        ("held_on",),
        {
            "board_id": board(),
            "held_on": Field("Date"),
            "focus_area_id": Field("Priority reviewed in depth"),
            "forward_plan_compiled_at": Field("Forward plan compiled"),
            "forward_plan_published_at": Field("Forward plan published"),
            "summary_of_other_items": Field("Summary of other items discussed", show=plain_text),
            "recorded_at": Field("Meeting recorded"),
            "note": Field("Note for the report", show=plain_text),
            "archived_at": archived(),
        },
    ),
    HwbReport: Thing(
        "Report to the Health and Wellbeing Board",
        ("meeting_id",),
        {
            "meeting_id": Field("Meeting"),
            "report_date": Field("Report date"),
            "performance_summary": Field("Opening note of section 2", show=plain_text),
            "final_at": Moment("Final", set_verb="marked final", cleared_verb="made a draft"),
            "final_by_id": Field("Marked final by"),
            "final_content": Field("The report as it went", show=_kept),
        },
    ),
    HwbNarrative: Thing(
        "Report narrative",
        ("kind",),
        {
            "report_id": Field("Report", when_added=False),
            "area_id": Field("Area of focus"),
            "kind": Field("Section"),
            "text": Field("Text", show=plain_text),
        },
    ),
    ForwardPlanItem: Thing(
        "Forward plan item",
        ("text",),
        {
            "meeting_id": Field("Meeting"),
            "position": Field("Position", show=position, when_added=False),
            "kind": Field("Why it is on"),
            "action_id": Field("Action", when_added=False),
            "text": Field("Item"),
            "removed_at": Moment(
                "Removed",
                set_verb="removed",
                cleared_verb="put back",
                # Put back at the end: its place is not news.
                companions=("removed_reason", "position"),
            ),
            "removed_reason": Field("Reason for removing it", show=plain_text),
            "reviewed": Field("Reviewed at the meeting", empty="not recorded"),
        },
        removed="dropped from the draft",
    ),
}
