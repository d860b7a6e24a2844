"""Annex 2 of the CYPP 2018–2021 (the reference plan) as data: what a reader must find in it,
however an officer lays it out. ``tests/plan_layouts.py`` writes it in the layouts boards use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.imports.names import Lead


@dataclass(frozen=True)
class Action:
    text: str
    year: int | None = None  # "Year 2 action: …"


@dataclass(frozen=True)
class Area:
    name: str  # as the reader names it from "BE SUCCESSFUL": compared without case
    heading: str  # the area's heading as Annex 2 writes it in the area column
    focus: str | None
    actions: list[list[Action]]  # the actions of each row of Annex 2, as printed
    agencies: list[str] = field(default_factory=list)
    measures: list[list[str]] = field(default_factory=list)  # each row's measures
    leads: list[Lead] = field(default_factory=list)
    leads_as_written: str = ""
    month: date | None = None

    @property
    def all_actions(self) -> list[Action]:
        return [action for row in self.actions for action in row]

    @property
    def all_measures(self) -> list[str]:
        return [measure for row in self.measures for measure in row]


SUCCESSFUL = Area(
    "Be Successful",
    "Be Successful\nFOCUS ON CHILDREN MISSING OUT ON EDUCATION",
    "Focus on children missing out on education",
    [
        [
            Action(
                "All partner agencies to clarify their offer in relation to children missing out "
                "on education and school readiness."
            ),
            Action(
                "Draw up and implement an Inclusion Strategy to identify hotspots for pupils "
                "missing out in education, the main reasons for this and the multi-agency support "
                "that can be offered to reduce the numbers."
            ),
            Action("Set up a multi-agency Learner Engagement Board by end of June 2018."),
            Action("Focus on a wider campaign to reduce non-attendance.", year=2),
        ]
    ],
    [
        "County Council - education and learning, LCSS",
        "City and District Councils",
        "Health Visiting",
        "School nurses",
        "CAMHS",
        "Community and Voluntary sector",
        "Thames Valley Police",
    ],
    [
        [
            "Increase the % of children reaching a good level of development in early years or "
            "foundation stage (target 75% for academic year 17/18)",
            "Reduce the number of permanent exclusions to 44 in school year 18/19",
            "All permanently excluded pupils will have a new placement within the statutory "
            "6-day limit",
            "Reduce the number of primary school children with a fixed term exclusion to 285 or "
            "less in school year 18/19",
            "Reduce the number of secondary school children with a fixed term exclusion to 1335 "
            "or less in school year 18/19",
            "Reduce the level of persistent absence in primary school children to 6.8% or less "
            "in school year 18/19",
            "Reduce the level of persistent absence in secondary school children to 11.5% or "
            "less in school year 18/19",
        ],
        [
            "Reduce the number of children on part time timetables in school year 18/19.",
            "Reduce the number of permanent exclusions for children with special education needs "
            "in school year 18/19 (target 28)",
            "Reduce the number of primary school children with special educational needs with one "
            "or more fixed term exclusions in school year 18/19 (target 102)",
            "Reduce the number of secondary school children with special educational needs with "
            "one or more fixed term exclusions in school year 18/19 (target 350)",
        ],
    ],
    [Lead("David Clarke")],
    "David Clarke",
    date(2018, 9, 1),
)
HEALTHY = Area(
    "Be Healthy",
    "Be Healthy\nFOCUS ON SOCIAL AND EMOTIONAL WELL-BEING and MENTAL HEALTH",
    "Focus on social and emotional well-being and mental health",
    [
        [
            Action(
                "Promote understanding of the services that are available to children and young "
                "people and how to access them (face to face and web access)"
            ),
            Action(
                "Improve the early identification of low and hidden levels of harm e.g. self-harm."
            ),
            Action(
                "Promote self-referrals, how young people can help themselves and health promotion "
                "initiatives."
            ),
        ],
        [
            Action(
                "Review with schools how they address mental health issues and what further "
                "support is needed (linking with Community Impact Zones)."
            ),
            Action(
                "Seek to secure mental health as one of the key themes for the Strategic Schools "
                "Partnership Board."
            ),
            Action(
                "All partners to consider their offer in relation to early identification of "
                "mental health issues."
            ),
            Action(
                "Focus on children or young people who disengage from services and do not "
                "recognise their own needs.",
                year=2,
            ),
        ],
    ],
    [
        "County Council – early help",
        "City and District Councils",
        "Public Health",
        "Oxford Health",
        "Schools",
        "Community and Voluntary Sector",
    ],
    [
        [
            "Increase the number of early help assessments in the financial year 2018/19 to "
            "2,100 or more",
            "Increase the number of children accessing the single point of access for CAMHS, and "
            "increase the proportion of children that have their first appointment within 12 "
            "weeks",
            "Reduce the number of A&E attendances for self-harm of children who are 12-17.",
            "Increase the number of Young Carers known and supported in Oxfordshire",
        ],
        [
            "Monitor the proportion of self-referrals into CAMHS.",
            "Update on progress on delivery of the 2 community impact zones in Oxfordshire.",
        ],
    ],
    [Lead("Emma Leaver"), Lead("Maria Godfrey"), Lead("Donna Husband")],
    "Emma Leaver, Maria Godfrey and Donna Husband",
    date(2018, 12, 1),
)
SAFE = Area(
    "Be safe",
    "Be safe FOCUS ON DOMESTIC ABUSE",
    "Focus on domestic abuse",
    [
        [
            Action(
                "Domestic Abuse operational group to report to Children's Trust on how the young "
                "people's domestic abuse pathway is embedded across all agencies and is known, "
                "understood and used."
            )
        ]
    ],
    # Written "Domestic abuse operational group - Led by Sarah Breton and Sarah Carter".
    ["Domestic abuse operational group"],
    [
        [
            "The Domestic Abuse Strategic Board is responsible for this action and is reviewing "
            "and implementing a revised pathway. This will report later in the year and will "
            "include how quality assurance activity will be managed. The key measures of future "
            "success will depend on the outcomes of this work"
        ]
    ],
    [Lead("Sarah Breton")],
    "Sarah Breton",
    date(2019, 3, 1),
)
SUPPORTED = Area(
    "Be supported",
    "Be supported",
    None,
    [
        [
            Action(
                "Our 'Be Supported' area of focus will be tested through the actions listed above "
                "and reported at each meeting."
            )
        ]
    ],
)
AREAS = [SUCCESSFUL, HEALTHY, SAFE, SUPPORTED]
SAFE_AGENCY_AS_WRITTEN = "Domestic abuse operational group - Led by Sarah Breton and Sarah Carter"


def expected_actions() -> list[tuple]:
    """Every action as the reader must find it: area, text, year, agencies, measures, leads,
    months. Every action of an area shares the area's lists, as "for all actions" says."""
    return [
        (
            area.name.casefold(),
            action.text,
            action.year,
            area.agencies,
            area.all_measures,
            area.leads,
            [area.month] if area.month else [],
        )
        for area in AREAS
        for action in area.all_actions
    ]


def found_actions(draft) -> list[tuple]:
    return [
        (
            a.area.casefold(),
            a.text,
            a.plan_year_number,
            a.agencies,
            a.measures,
            a.leads,
            a.months,
        )
        for a in draft.actions
    ]
