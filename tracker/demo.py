"""Demo data from Oxfordshire's Children and Young People's Plan 2018–2021.

The first plan is Annex 2 of the published plan as it stands (its actions, agencies,
measures, leads and reporting months, with progress taken from the board's May 2019 report
to the Health and Wellbeing Board). Because those months are long past, a second plan,
"CYPP 2025–2028", carries actions adapted from the same plan with reporting months around
today, so that a person trying the app sees actions due, overdue, on track and red.

Loading is idempotent: everything is found by its natural key (board slug, e-mail, plan
name, area name, action text, meeting date, update text) before it is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.audit import acting_as
from tracker.auth.passwords import hash_password
from tracker.meetings.forward_plan import add_item
from tracker.models import (
    Action,
    ActionLead,
    ActionStatus,
    Agency,
    AreaOfFocus,
    AreaPriority,
    Board,
    Direction,
    Frequency,
    Indicator,
    IndicatorCommentary,
    IndicatorReading,
    IndicatorUnit,
    Measure,
    Meeting,
    Membership,
    Outcome,
    Person,
    Plan,
    ProgressUpdate,
    Rag,
    ReportingMonth,
    Role,
    Team,
)
from tracker.reports import hwb
from tracker.rules import periods
from tracker.rules.due import LONDON, add_months, first_of_month

BOARD_NAME = "Oxfordshire Children's Trust Board"
BOARD_SLUG = "oxfordshire-childrens-trust"
# The demo accounts' password, printed by make run; `demo load` refuses a production instance.
DEMO_PASSWORD = "trust-tracker-demo"  # noqa: S105  # nosec B105

# (e-mail, name, role). The leads are the Trust Board leads named in Annex 2.
PEOPLE = [
    ("secretariat@example.org", "Sam Patel (secretariat)", Role.ADMIN),
    ("steve.harrod@example.org", "Cllr Steve Harrod", Role.CHAIR),
    ("david.clarke@example.org", "David Clarke", Role.LEAD),
    ("emma.leaver@example.org", "Emma Leaver", Role.LEAD),
    ("maria.godfrey@example.org", "Maria Godfrey", Role.LEAD),
    ("donna.husband@example.org", "Donna Husband", Role.LEAD),
    ("sarah.breton@example.org", "Sarah Breton", Role.LEAD),
    ("voxy@example.org", "Alex Morgan (VOXY)", Role.MEMBER),
]
TEAMS = {"SEND (OCC)": ["donna.husband@example.org"]}

OUTCOMES = {
    "Be Successful": [
        "Have the best start in life",
        "Access high quality education, employment and training that is motivational",
        "Go to school and feel inspired to stay and learn",
        "Have good self-esteem and faith in themselves",
    ],
    "Be Happy and Healthy": [
        "Be confident that services are available to promote good health and prevent ill "
        "health – early in life and before crisis",
        "Learn the importance of healthy, secure relationships and having a support network",
        "Access services to improve overall well-being",
        "Access easy ways to get active",
    ],
    "Be Safe": [
        "Be protected from all types of abuse and neglect",
        "Have a place to feel safe and a sense of belonging",
        "Access education and support about how to stay safe",
        "Have access to appropriate housing",
    ],
    "Be Supported": [
        "Be empowered to know who to speak to when in need of support, and know that they "
        "will be listened to and believed",
        "Access information in a way which suits them best",
        "Have inspiring role models",
        "Talk to staff who are experienced and caring",
    ],
}

# Priority focus per plan year: 2018/19 from Annex 2, 2020/21 from the March 2021 report.
PRIORITIES = {
    "Be Successful": {
        2018: "Focus on children missing out on education",
        2020: "Focus on children not engaged in education",
    },
    "Be Happy and Healthy": {
        2018: "Focus on social and emotional well-being and mental health",
        2020: "Focus on social, emotional, physical and mental well-being",
    },
    "Be Safe": {2018: "Focus on domestic abuse", 2020: "Focus on domestic abuse"},
    "Be Supported": {2020: "Listen to the feedback from young people in Oxfordshire"},
}


@dataclass(frozen=True)
class DemoAction:
    area: str
    text: str
    leads: tuple[str, ...]  # e-mails of people, or team names
    agencies: tuple[str, ...]
    measures: tuple[str, ...]
    months: tuple[date, ...]
    plan_year: int
    status: ActionStatus = ActionStatus.NOT_STARTED
    rag: Rag | None = None
    # (posted at, author e-mail, status, RAG, text)
    updates: tuple[tuple[datetime, str, ActionStatus, Rag | None, str], ...] = ()


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(UTC)


SUCCESSFUL_AGENCIES = (
    "County Council – education and learning, LCSS",
    "City and District Councils",
    "Health Visiting",
    "School nurses",
    "CAMHS",
    "Community and Voluntary sector",
    "Thames Valley Police",
)
SUCCESSFUL_MEASURES = (
    "Increase the % of children reaching a good level of development in early years or "
    "foundation stage (target 75% for academic year 17/18)",
    "Reduce the number of permanent exclusions to 44 in school year 18/19",
    "All permanently excluded pupils will have a new placement within the statutory 6-day limit",
    "Reduce the number of primary school children with a fixed term exclusion to 285 or less "
    "in school year 18/19",
    "Reduce the number of secondary school children with a fixed term exclusion to 1335 or "
    "less in school year 18/19",
    "Reduce the level of persistent absence in primary school children to 6.8% or less in "
    "school year 18/19",
    "Reduce the level of persistent absence in secondary school children to 11.5% or less in "
    "school year 18/19",
    "Reduce the number of children on part time timetables in school year 18/19",
    "Reduce the number of permanent exclusions for children with special education needs in "
    "school year 18/19 (target 28)",
    "Reduce the number of primary school children with special educational needs with one or "
    "more fixed term exclusions in school year 18/19 (target 102)",
    "Reduce the number of secondary school children with special educational needs with one "
    "or more fixed term exclusions in school year 18/19 (target 350)",
)
HEALTHY_AGENCIES = (
    "County Council – early help",
    "City and District Councils",
    "Public Health",
    "Oxford Health",
    "Schools",
    "Community and Voluntary sector",
)
HEALTHY_MEASURES = (
    "Increase the number of early help assessments in the financial year 2018/19 to 2,100 or more",
    "Increase the number of children accessing the single point of access for CAMHS, and "
    "increase the proportion of children that have their first appointment within 12 weeks",
    "Reduce the number of A&E attendances for self-harm of children who are 12-17",
    "Increase the number of Young Carers known and supported in Oxfordshire",
    "Monitor the proportion of self-referrals into CAMHS",
    "Update on progress on delivery of the 2 community impact zones in Oxfordshire",
)
HEALTHY_LEADS = (
    "emma.leaver@example.org",
    "maria.godfrey@example.org",
    "donna.husband@example.org",
)
SAFE_MEASURES = (
    "The Domestic Abuse Strategic Board is responsible for this action and is reviewing and "
    "implementing a revised pathway. This will report later in the year and will include how "
    "quality assurance activity will be managed. The key measures of future success will "
    "depend on the outcomes of this work",
)

SEPTEMBER_2018 = (
    "The Board had a detailed review of children's attendance and attainment at its September "
    "meeting. The Learner Engagement services launch in October; the education service will "
    "work with schools within a new Learner Engagement strategy overseen by the Learner "
    "Engagement Board."
)
DECEMBER_2018 = (
    "Reviewed at the December 2018 meeting. Over 2,000 early help assessments are forecast for "
    "the year; CAMHS single point of access activity has grown and timeliness is monitored "
    "monthly. Work with schools on mental health continues through the Community Impact Zones."
)
MARCH_2019 = (
    "An update was provided on the Young People Domestic Abuse Pathway. The new Pathway was "
    "launched in July 2018 and has been embedded further through multi-agency training, "
    "co-produced with delivery partners including Safe. Further training in May and June will "
    "target schools."
)


def historic_actions() -> list[DemoAction]:
    """Annex 2 of the CYPP 2018–2021, action by action."""
    sep18, dec18, mar19 = date(2018, 9, 1), date(2018, 12, 1), date(2019, 3, 1)
    clarke, breton = "david.clarke@example.org", "sarah.breton@example.org"
    done = ActionStatus.COMPLETE
    successful = [
        (
            "All partner agencies to clarify their offer in relation to children missing out on "
            "education and school readiness.",
            ActionStatus.ON_TRACK,
            Rag.GREEN,
        ),
        (
            "Draw up and implement an Inclusion Strategy to identify hotspots for pupils missing "
            "out in education, the main reasons for this and the multi-agency support that can be "
            "offered to reduce the numbers.",
            ActionStatus.AT_RISK,
            Rag.AMBER,
        ),
        ("Set up a multi-agency Learner Engagement Board by end of June 2018.", done, Rag.GREEN),
    ]
    healthy = [
        "Promote understanding of the services that are available to children and young people "
        "and how to access them (face to face and web access)",
        "Improve the early identification of low and hidden levels of harm e.g. self-harm.",
        "Promote self-referrals, how young people can help themselves and health promotion "
        "initiatives.",
        "Review with schools how they address mental health issues and what further support is "
        "needed (linking with Community Impact Zones).",
        "Seek to secure mental health as one of the key themes for the Strategic Schools "
        "Partnership Board.",
        "All partners to consider their offer in relation to early identification of mental "
        "health issues.",
    ]
    actions = [
        DemoAction(
            "Be Successful",
            text,
            (clarke,),
            SUCCESSFUL_AGENCIES,
            SUCCESSFUL_MEASURES,
            (sep18,),
            2018,
            status,
            rag,
            updates=((_at(date(2018, 8, 30)), clarke, status, rag, SEPTEMBER_2018),),
        )
        for text, status, rag in successful
    ]
    actions += [
        DemoAction(
            "Be Happy and Healthy",
            text,
            HEALTHY_LEADS,
            HEALTHY_AGENCIES,
            HEALTHY_MEASURES,
            (dec18,),
            2018,
            ActionStatus.ON_TRACK,
            Rag.GREEN,
            updates=(
                (
                    _at(date(2018, 11, 22)),
                    HEALTHY_LEADS[0],
                    ActionStatus.ON_TRACK,
                    Rag.GREEN,
                    DECEMBER_2018,
                ),
            ),
        )
        for text in healthy
    ]
    actions += [
        DemoAction(
            "Be Safe",
            "Domestic Abuse operational group to report to Children's Trust on how the young "
            "people's domestic abuse pathway is embedded across all agencies and is known, "
            "understood and used.",
            (breton,),
            ("Domestic abuse operational group – led by Sarah Breton and Sarah Carter",),
            SAFE_MEASURES,
            (mar19,),
            2018,
            ActionStatus.ON_TRACK,
            Rag.GREEN,
            updates=(
                (_at(date(2019, 3, 4)), breton, ActionStatus.ON_TRACK, Rag.GREEN, MARCH_2019),
            ),
        ),
        DemoAction(
            "Be Supported",
            "Our 'Be Supported' area of focus will be tested through the actions listed above "
            "and reported at each meeting.",
            (),
            (),
            (),
            (),
            2018,
        ),
        # The two "Year 2 action"s of Annex 2.
        DemoAction(
            "Be Successful",
            "Focus on a wider campaign to reduce non-attendance.",
            (clarke,),
            SUCCESSFUL_AGENCIES,
            (),
            (date(2019, 9, 1),),
            2019,
            done,
            Rag.GREEN,
            updates=(
                (
                    _at(date(2019, 8, 29)),
                    clarke,
                    done,
                    Rag.GREEN,
                    "The 'Every Day Counts' attendance campaign ran with all secondary "
                    "schools in the spring and summer terms.",
                ),
            ),
        ),
        DemoAction(
            "Be Happy and Healthy",
            "Focus on children or young people who disengage from services and do not recognise "
            "their own needs.",
            ("SEND (OCC)",),
            HEALTHY_AGENCIES,
            (),
            (date(2019, 12, 1),),
            2019,
            ActionStatus.ON_TRACK,
            Rag.AMBER,
            updates=(
                (
                    _at(date(2019, 11, 20)),
                    "donna.husband@example.org",
                    ActionStatus.ON_TRACK,
                    Rag.AMBER,
                    "Mapping of young people who disengage is under way with the Youth "
                    "Service; first findings to the December meeting.",
                ),
            ),
        ),
    ]
    return actions


def current_actions(today: date) -> list[DemoAction]:
    """A live plan around ``today``: adapted from Annex 2, due last month to three months on."""
    this_month = first_of_month(today)

    def month(offset: int) -> tuple[date]:
        return (add_months(this_month, offset),)

    year = this_month.year if this_month.month >= 4 else this_month.year - 1
    clarke = "david.clarke@example.org"
    recent = _at(today - timedelta(days=12))
    return [
        # Overdue: last month's update never came.
        DemoAction(
            "Be Successful",
            "Reduce persistent absence in secondary schools through "
            "the Learner Engagement Board's attendance helpline.",
            (clarke,),
            SUCCESSFUL_AGENCIES[:3],
            SUCCESSFUL_MEASURES[6:7],
            month(-1),
            year,
            ActionStatus.ON_TRACK,
            Rag.GREEN,
        ),
        # Due this month and next month from the demo lead, nothing posted yet.
        DemoAction(
            "Be Successful",
            "Agree a multi-agency plan for children on part time timetables.",
            (clarke,),
            SUCCESSFUL_AGENCIES[:2],
            SUCCESSFUL_MEASURES[7:8],
            month(0),
            year,
        ),
        DemoAction(
            "Be Successful",
            "Find a new placement within the statutory 6-day limit for "
            "every permanently excluded pupil.",
            (clarke,),
            SUCCESSFUL_AGENCIES[:1],
            SUCCESSFUL_MEASURES[2:3],
            month(1),
            year,
            ActionStatus.AT_RISK,
            Rag.AMBER,
            updates=(
                (
                    recent,
                    clarke,
                    ActionStatus.AT_RISK,
                    Rag.AMBER,
                    "Two placements took longer than six days in October because of "
                    "a shortage of alternative provision places. Commissioning is "
                    "reviewing capacity.",
                ),
            ),
        ),
        # Red, with its update in.
        DemoAction(
            "Be Happy and Healthy",
            "Increase the proportion of children seen by CAMHS within 12 weeks of referral.",
            HEALTHY_LEADS[:2],
            HEALTHY_AGENCIES[2:4],
            HEALTHY_MEASURES[1:2],
            month(0),
            year,
            ActionStatus.OFF_TRACK,
            Rag.RED,
            updates=(
                (
                    recent,
                    HEALTHY_LEADS[0],
                    ActionStatus.OFF_TRACK,
                    Rag.RED,
                    "Timeliness fell to 41% this month; recruitment to two vacant "
                    "posts is under way and a waiting-list initiative starts next "
                    "month.",
                ),
            ),
        ),
        DemoAction(
            "Be Happy and Healthy",
            "Promote self-referrals and how young people can help themselves.",
            HEALTHY_LEADS[1:],
            HEALTHY_AGENCIES,
            HEALTHY_MEASURES[4:5],
            month(2),
            year,
            ActionStatus.ON_TRACK,
            Rag.GREEN,
            updates=(
                (
                    recent,
                    HEALTHY_LEADS[1],
                    ActionStatus.ON_TRACK,
                    Rag.GREEN,
                    "Self-referral pages relaunched with VOXY's help.",
                ),
            ),
        ),
        DemoAction(
            "Be Happy and Healthy",
            "Review support for young carers with schools and the voluntary sector.",
            ("SEND (OCC)",),
            HEALTHY_AGENCIES[4:],
            HEALTHY_MEASURES[3:4],
            month(1),
            year,
        ),
        # Overdue and red: the chair's screen has something to show.
        DemoAction(
            "Be Safe",
            "Embed the young people's domestic abuse pathway in every secondary school.",
            ("sarah.breton@example.org",),
            ("Domestic abuse operational group – led by Sarah Breton and Sarah Carter",),
            SAFE_MEASURES,
            month(-1),
            year,
            ActionStatus.OFF_TRACK,
            Rag.RED,
        ),
        DemoAction(
            "Be Safe",
            "Train designated safeguarding leads on the updated pathway.",
            ("sarah.breton@example.org",),
            ("Schools",),
            (),
            month(3),
            year,
        ),
        DemoAction(
            "Be Supported",
            "Run the 'Be Supported' survey with VOXY and report what young people say.",
            ("voxy@example.org", clarke),
            ("Community and Voluntary sector",),
            ("Survey run for 4 weeks and results reported to the board",),
            month(2),
            year,
        ),
    ]


@dataclass(frozen=True)
class DemoIndicator:
    """An indicator of the performance framework, as numbered and rated in the board's May
    2019 and March 2021 reports. Its readings are for the periods up to the last one that
    has ended (oldest first; None leaves a period without its reading)."""

    number: str
    title: str
    area: str
    unit: IndicatorUnit
    direction: Direction
    target: float
    tolerance: float
    frequency: Frequency
    owner: str
    values: tuple[float | None, ...]
    what_is_being_done: str = ""


P, N, RATE = IndicatorUnit.PERCENT, IndicatorUnit.NUMBER, IndicatorUnit.RATE
UP, DOWN = Direction.HIGHER, Direction.LOWER

INDICATORS = [
    DemoIndicator(
        "1.1b",
        "Increase the proportion of children that have their first CAMHS appointment within "
        "12 weeks to 75%",
        "Be Happy and Healthy",
        P,
        UP,
        75,
        5,
        Frequency.MONTHLY,
        "emma.leaver@example.org",
        (44, 41, 38, 35, 37, 39, 41, None),
        "We have been successful in our bid to become a Trailblazer for the CAMHS Green Paper, "
        "which means additional funding of £5.4m by 2022. We will pilot two Mental Health "
        "Support Teams in Oxford City secondary and primary schools, and funding to pilot "
        "reducing waiting times to 4 weeks for the Getting Help and Getting More Help "
        "pathways. A multi-agency delivery board oversees the project.\n\nThe new CAMHS model "
        "will address the waiting times in the neurodevelopmental pathway now that the "
        "pathway is fully operational; the service concentrates on the longest waiters first.",
    ),
    DemoIndicator(
        "1.4",
        "Increase the number of early help assessments to 2,100 or more",
        "Be Happy and Healthy",
        N,
        UP,
        2100,
        100,
        Frequency.YEARLY,
        "emma.leaver@example.org",
        (1880, 1950, 2230),
    ),
    DemoIndicator(
        "2.2",
        "Increase the proportion of children with a disability who are eligible for free "
        "school meals who are accessing short breaks",
        "Be Supported",
        P,
        UP,
        60,
        10,
        Frequency.TERMLY,
        "maria.godfrey@example.org",
        (55, 64, 54, 52),
        "This is managed on a case by case basis. It is a very small cohort of only 11 "
        "children, so one child's change can change the rating.",
    ),
    DemoIndicator(
        "2.4",
        "Reduce the persistent absence of children subject to a Child in Need plan",
        "Be Supported",
        P,
        DOWN,
        18,
        3,
        Frequency.TERMLY,
        "david.clarke@example.org",
        (22.4, 21.9, 20.8, 20.1),
        "Please see the comments on 2.5. The same strategies and plans are in place to "
        "support improvement in both measures.",
    ),
    DemoIndicator(
        "2.5",
        "Reduce the persistent absence of children subject to a Child Protection plan",
        "Be Supported",
        P,
        DOWN,
        20,
        3,
        Frequency.TERMLY,
        "david.clarke@example.org",
        (27.0, 25.8, 26.9, 28.3),
        "The education service is working with schools within a new Learner Engagement "
        "strategy overseen by the Learner Engagement Board. The Board has focused on "
        "persistent absence through a behaviour and attendance helpline for schools, and is "
        "working in partnership with CAMHS on their Oxford City pilot.",
    ),
    DemoIndicator(
        "3.2",
        "Reduce the number of children the subject of a child protection plan",
        "Be Safe",
        N,
        DOWN,
        550,
        25,
        Frequency.QUARTERLY,
        "sarah.breton@example.org",
        (612, 580, 525, 498),
    ),
    DemoIndicator(
        "3.5",
        "Reduce the number of social care referrals to the level of our statistical neighbours",
        "Be Safe",
        RATE,
        DOWN,
        450,
        50,
        Frequency.QUARTERLY,
        "sarah.breton@example.org",
        (512.4, 497.0, 488.6, 476.2),
        "Although the number of referrals has increased this year, it remains below the "
        "national average. The number of early help assessments has risen and the number of "
        "social care assessments is below that of similar authorities.",
    ),
    DemoIndicator(
        "3.14",
        "Reduce the number of looked after children to the average of our statistical neighbours",
        "Be Safe",
        N,
        DOWN,
        672,
        40,
        Frequency.QUARTERLY,
        "sarah.breton@example.org",
        (741, 764, 794, 786),
        "The number of looked after children rose against a target of 672, in the context of "
        "growing numbers nationally. Each current looked after case has been reviewed by a "
        "senior manager to make sure an appropriate plan is in place, and all external "
        "placements are regularly reviewed. The 'Journey of the Child' programme looks at "
        "the sufficiency of placements and at children returning home.",
    ),
    DemoIndicator(
        "4.1",
        "Close the disadvantaged attainment gap at Key Stage 2 to the national average",
        "Be Successful",
        P,
        DOWN,
        20,
        3,
        Frequency.YEARLY,
        "david.clarke@example.org",
        (26, 29, 28),
        "The disadvantaged attainment gap at Key Stage 2 widened from 26% to 29%, against a "
        "national average of 20%. The education service is working with schools on school "
        "readiness and on writing at Key Stage 2 for pupil premium pupils.",
    ),
    DemoIndicator(
        "4.2",
        "Increase the % of children reaching a good level of development in early years or "
        "foundation stage to 75%",
        "Be Successful",
        P,
        UP,
        75,
        3,
        Frequency.YEARLY,
        "david.clarke@example.org",
        (72.0, 73.0, 74.0),
        "Performance remains above the national average but just short of the stretched "
        "target, with a three-year trend of improvement. The Early Years team is working "
        "with schools and settings on disadvantaged learners and school readiness.",
    ),
    DemoIndicator(
        "4.3",
        "Reduce the number of permanent exclusions to 44 or fewer in the school year",
        "Be Successful",
        N,
        DOWN,
        44,
        5,
        Frequency.YEARLY,
        "david.clarke@example.org",
        (61, 52, 40),
    ),
]


def _one(session: Session, model, **keys):
    return session.scalars(select(model).filter_by(**keys)).one_or_none()


class _Loader:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.created: dict[str, int] = {}

    def get_or_add(self, model, keys: dict, **values):
        obj = _one(self.session, model, **keys)
        if obj is None:
            obj = model(**keys, **values)
            self.session.add(obj)
            self.session.flush()
            self.created[model.__tablename__] = self.created.get(model.__tablename__, 0) + 1
        return obj

    def board(self) -> Board:
        board = self.get_or_add(Board, {"slug": BOARD_SLUG}, name=BOARD_NAME)
        password = None
        for email, name, role in PEOPLE:
            person = _one(self.session, Person, email=email)
            if person is None:
                password = password or hash_password(DEMO_PASSWORD)
                person = self.get_or_add(
                    Person, {"email": email}, name=name, password_hash=password
                )
            self.get_or_add(Membership, {"board_id": board.id, "person_id": person.id}, role=role)
        for team_name, contacts in TEAMS.items():
            team = self.get_or_add(Team, {"board_id": board.id, "name": team_name})
            if not team.contacts:
                team.contacts = [_one(self.session, Person, email=e) for e in contacts]
        return board

    def plan(self, board: Board, name: str, start: int, end: int) -> dict[str, AreaOfFocus]:
        plan = self.get_or_add(
            Plan, {"board_id": board.id, "name": name}, start_year=start, end_year=end
        )
        areas = {}
        number = 1
        for position, (area_name, outcomes) in enumerate(OUTCOMES.items(), start=1):
            area = self.get_or_add(
                AreaOfFocus, {"plan_id": plan.id, "name": area_name}, position=position
            )
            for text in outcomes:
                self.get_or_add(Outcome, {"area_id": area.id, "number": number}, text=text)
                number += 1
            for year, text in PRIORITIES[area_name].items():
                if start <= year <= end:
                    self.get_or_add(
                        AreaPriority, {"area_id": area.id, "plan_year": year}, text=text
                    )
            areas[area_name] = area
        return areas

    def action(self, board: Board, areas: dict[str, AreaOfFocus], demo: DemoAction) -> None:
        area = areas[demo.area]
        if _one(self.session, Action, area_id=area.id, text=demo.text) is not None:
            return
        leads = []
        for position, lead in enumerate(demo.leads):
            person = _one(self.session, Person, email=lead)
            team = None if person else _one(self.session, Team, board_id=board.id, name=lead)
            leads.append(ActionLead(position=position, person=person, team=team))
        action = self.get_or_add(
            Action,
            {"area_id": area.id, "text": demo.text},
            plan_year=demo.plan_year,
            position=len(area.actions),
            status=demo.status,
            rag=demo.rag,
            leads=leads,
            agencies=[
                self.get_or_add(Agency, {"board_id": board.id, "name": n}) for n in demo.agencies
            ],
            measures=[Measure(position=i, text=t) for i, t in enumerate(demo.measures)],
            reporting_months=[ReportingMonth(month=m) for m in demo.months],
        )
        # Added by its key, not through the area: its list of actions, loaded for the
        # position above, would not hold it.
        area.actions.append(action)
        for posted_at, email, status, rag, text in demo.updates:
            author = _one(self.session, Person, email=email)
            self.get_or_add(
                ProgressUpdate,
                {"action_id": action.id, "text": text},
                author_id=author.id,
                status=status,
                rag=rag,
                created_at=posted_at,
            )

    def meetings(
        self,
        board: Board,
        historic: dict[str, AreaOfFocus],
        current: dict[str, AreaOfFocus],
        until: date,
    ) -> None:
        """Quarterly, on the third Thursday of March, June, September and December, each
        reviewing an area of the plan of its time in turn."""
        for index, month in enumerate(_quarter_months(date(2018, 9, 1), until)):
            day = month + timedelta(days=(3 - month.weekday()) % 7 + 14)
            focus = list((historic if day < date(2025, 4, 1) else current).values())
            self.get_or_add(
                Meeting,
                {"board_id": board.id, "held_on": day},
                focus_area_id=focus[index % len(focus)].id,
                note=VIRTUAL if day in VIRTUAL_MEETINGS else None,
            )

    def report(self, board: Board, areas: dict[str, AreaOfFocus]) -> None:
        """The board's report settings, and the December 2020 meeting recorded and its
        report written (a draft, for the secretariat to mark final)."""
        for name, value in REPORT_SETTINGS.items():
            if getattr(board, name) is None:
                setattr(board, name, value)
        meeting = _one(self.session, Meeting, board_id=board.id, held_on=REPORTED_MEETING)
        if meeting.hwb_report is not None:
            return
        meeting.summary_of_other_items = OTHER_ITEMS
        meeting.recorded_at = _at(REPORTED_MEETING, 17)
        following = _one(self.session, Meeting, board_id=board.id, held_on=date(2021, 3, 18))
        if not following.forward_plan:
            for text in NEXT_ITEMS:
                add_item(following, text)
        hwb.save(
            self.session,
            meeting,
            report_date=REPORT_DATE,
            performance_summary=PERFORMANCE_SUMMARY,
            progress={areas[name].id: text for name, text in PROGRESS.items()},
            performance={areas[name].id: text for name, text in PERFORMANCE.items()},
        )
        self.created["hwb_report"] = 1

    def indicator(
        self, board: Board, areas: dict[str, AreaOfFocus], demo: DemoIndicator, today: date
    ) -> None:
        owner = _one(self.session, Person, email=demo.owner)
        latest = periods.previous_period(periods.period_of(today, demo.frequency), demo.frequency)
        starts = [latest]
        while len(starts) < len(demo.values):
            starts.insert(0, periods.previous_period(starts[0], demo.frequency))
        indicator = self.get_or_add(
            Indicator,
            {"board_id": board.id, "number": demo.number},
            title=demo.title,
            area_id=areas[demo.area].id,
            unit=demo.unit,
            direction=demo.direction,
            target=demo.target,
            tolerance=demo.tolerance,
            frequency=demo.frequency,
            owner_id=owner.id,
            created_at=_at(starts[0]),
        )
        entered = None
        for start, value in zip(starts, demo.values, strict=True):
            if value is None:
                continue
            # Entered a few days before it was due (and never after today).
            due = periods.reading_due_on(start, demo.frequency)
            entered = _at(min(due - timedelta(days=3), today - timedelta(days=1)))
            self.get_or_add(
                IndicatorReading,
                {"indicator_id": indicator.id, "period_start": start},
                value=value,
                entered_by_id=owner.id,
                created_at=entered,
                updated_at=entered,
            )
        if demo.what_is_being_done:
            self.get_or_add(
                IndicatorCommentary,
                {"indicator_id": indicator.id, "text": demo.what_is_being_done},
                author_id=owner.id,
                created_at=entered,
            )


# The board's report settings, and its report on the December 2020 meeting as it went to
# the Health and Wellbeing Board in March 2021 (shortened), for a report already written.
REPORT_SETTINGS = {
    "short_name": "CTB",
    "hwb_priorities": "A Healthy Start in Life",
    "published_notes_url": "https://www.oxfordshire.gov.uk/residents/children-education-and-"
    "families/childrens-services/delivering-services-children/children-young-peoples-plan",
    "published_notes_text": "Children & Young People's Plan 2018 - 2022",
}
VIRTUAL = "Virtual meeting due to COVID-19 restrictions"
VIRTUAL_MEETINGS = (date(2020, 6, 18), date(2020, 9, 17), date(2020, 12, 17), date(2021, 3, 18))
REPORTED_MEETING = date(2020, 12, 17)
REPORT_DATE = date(2021, 3, 5)
OTHER_ITEMS = (
    "Way Forward Children's Trust\n"
    "The focus of the meeting was the 'Call to Arms' presentation and discussion, with "
    "contributions by colleagues, to reset and rethink the purpose of the Children's Trust "
    "Board. In putting Early Help and integrated working at the forefront, the Board is the "
    "body to support a programme of work across partner organisations.\n"
    "Brief points from each presentation:\n"
    "- Integrated Youth Offer – to incorporate priorities that have been amplified during the "
    "pandemic.\n"
    "- Community Impact Zones – a collaboration at the micro-neighbourhood level in 4 key "
    "wards, based on insight data, over a 10-year programme.\n"
    "- Early Help/Locality & Community Support Service (LCSS) – prompt identification of "
    "children and families who would benefit from the right support at the right time.\n"
    "Further ideas and comments on the 'Call to Arms' paper to be sent by e-mail."
)
PROGRESS = {
    "Be Successful": "To be reviewed at a future meeting (June 2021)",
    "Be Happy and Healthy": "Performance remains affected by COVID-19.\n"
    "- CAMHS data production has been suspended, but at the last report timeliness for the "
    "month was 41% and for the year to date 35%.\n"
    "- Over 500 early help assessments were completed in the last quarter, back to and "
    "above the level before COVID-19.\n"
    "- The last quarter saw a growth in A&E attendances for self-harm of 15-19-year olds, "
    "with 85 attendances in November, more than double the 2019/20 monthly average.",
    "Be Safe": "To be reviewed at a future meeting (March 2021)",
    "Be Supported": "Survey to be launched in Summer 2021 (delays due to COVID-19) and will "
    "run for 4 weeks. An update is expected at a future meeting (September 2021).",
}
PERFORMANCE_SUMMARY = (
    "Performance remains affected by COVID-19. There were no educational results last "
    "academic year. Some health reporting was suspended, including CAMHS timeliness."
)
PERFORMANCE = {
    "Be Successful": "- Data on school attendance is significantly affected by the pandemic "
    "and lockdown. However there has been a significant drop in permanent exclusions "
    "following work between the Exclusion and Reintegration team and schools.",
    "Be Safe": "- In the first 9 months of the year MASH enquiries have increased by 34%.\n"
    "- The number of children the subject of a child protection plan continues to fall (525 "
    "at the end of December).",
}
NEXT_ITEMS = (
    "Children & Young People's Plan Focus Area – Be Safe (report on Domestic Abuse)",
    "Early Intervention Development - follow up from December 2020 meeting",
    "OXME (Young People's website for Oxfordshire County Council) - demonstration of "
    "revised digital wellbeing offer and campaign",
)


def _quarter_months(start: date, until: date):
    month = start
    while month <= until:
        yield month
        month = add_months(month, 3)


def load(session: Session, today: date | None = None) -> str:
    """Load the demo board and return a summary, with the demo log-ins."""
    today = today or datetime.now(LONDON).date()
    loader = _Loader(session)
    with acting_as(session, None):
        board = loader.board()
        historic = loader.plan(board, "CYPP 2018–2021", 2018, 2021)
        for demo in historic_actions():
            loader.action(board, historic, demo)
        current = loader.plan(board, "CYPP 2025–2028", 2025, 2028)
        for demo in current_actions(today):
            loader.action(board, current, demo)
        loader.meetings(board, historic, current, until=add_months(first_of_month(today), 12))
        loader.report(board, historic)
        for demo in INDICATORS:
            loader.indicator(board, current, demo, today)
        session.flush()
    created = ", ".join(f"{n} {table}" for table, n in sorted(loader.created.items()))
    lines = [
        f"Demo board: {BOARD_NAME}",
        f"Created: {created or 'nothing new (already loaded)'}",
        "",
        "Demo log-ins (password for all: " + DEMO_PASSWORD + "):",
        *(f"  {role.label:<22} {email}" for email, _, role in PEOPLE[:3]),
        f"  {Role.MEMBER.label:<22} {PEOPLE[-1][0]}",
    ]
    return "\n".join(lines)
