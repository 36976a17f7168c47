"""The demo world: programs, people, collaboratives, facilities, teams, coaches and
progress ratings, on which the features' seeders (demo.assessments, demo.measures,
demo.pdsa) build.

Everything here is invented for demonstration (DOMAIN.md marks demo content);
names of programs, facilities and people are fictional. Each step uses natural
keys (program slug, e-mail, facility name and state, ...) with get_or_create, so
running the seed twice changes nothing.

The world: a national center (NPRIC) with a past collaborative that became a
community of practice, an active one with a dozen teams, coaches and eight
months of progress ratings, and a recruiting one; and a second tenant (a state
program) that must never see any of it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress

from accounts.models import Program, ProgramMembership, ProgramRole, User
from collaboratives.models import Collaborative, CollaborativeStatus, FocusArea, Phase
from collaboratives.phases import generate_phases
from core import clock
from teams.models import (
    CoachAssignment,
    Facility,
    FacilityType,
    ProgressRating,
    RatingKind,
    Team,
    TeamMembership,
    TeamRole,
    TeamStatus,
    VolumeBand,
)

DEMO_PASSWORD = "qi-demo-2026"  # noqa: S105 - public demo password, printed on purpose

S = CollaborativeStatus
F = FacilityType
V = VolumeBand


@dataclass
class DemoLogin:
    email: str
    role: str
    sees: str


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    created: int = 0

    def count(self, created: bool) -> None:
        if created:
            self.created += 1


PROGRAMS = {
    "npric": {
        "name": "National Pediatric Readiness Improvement Center (demo)",
        "short_name": "NPRIC",
        "website": "https://npric.demo.example",
        "contact_email": "help@npric.demo.example",
        "address": "100 Example Avenue, Suite 400, Columbus, OH 43215",
    },
    "great-lakes": {
        "name": "Great Lakes State EMSC Program (demo)",
        "short_name": "GL-EMSC",
        "website": "https://gl-emsc.demo.example",
        "contact_email": "emsc@gl-emsc.demo.example",
        "address": "25 Lakeshore Drive, Lansing, MI 48933",
    },
}

# email: (full name, credentials)
PEOPLE = {
    "staff@demo.example": ("Dana Whitfield", "MPH"),
    "admin@demo.example": ("Marcus Oyelaran", "MHA"),
    "coach@demo.example": ("Priya Raman", "MD"),
    "coach2@demo.example": ("Tom Baptiste", "RN, CPHQ"),
    "lead@demo.example": ("Alex Moreno", "RN"),
    "member@demo.example": ("Jordan Lee", "EMT-P"),
    "sponsor@demo.example": ("Grace Holloway", "MBA"),
    "other-staff@demo.example": ("Casey Novak", "MPH"),
    "other-coach@demo.example": ("Riley Chen", "MD"),
}

PROGRAM_ROLES = [
    ("npric", "staff@demo.example", ProgramRole.STAFF),
    ("npric", "admin@demo.example", ProgramRole.ADMIN),
    ("npric", "coach@demo.example", ProgramRole.COACH),
    ("npric", "coach2@demo.example", ProgramRole.COACH),
    ("great-lakes", "other-staff@demo.example", ProgramRole.STAFF),
    ("great-lakes", "other-coach@demo.example", ProgramRole.COACH),
]

FOCUS_AREAS = {
    "npric": ["Pediatric readiness", "Prehospital pediatric readiness"],
    "great-lakes": ["Disaster preparedness"],
}

READINESS_SUMMARY = (
    "Monthly learning sessions and tests of change to raise emergency departments' "
    "pediatric readiness: weighing children in kilograms, acting on abnormal vital signs, "
    "assessing pain and screening for suicide risk."
)


def _collaboratives(today: date) -> list[dict]:
    """The demo collaboratives. The recruiting one is placed around `today` (at first
    seeding) so that its enrolment window is open whenever the demo is created."""
    return [
        {
            "program": "npric",
            "slug": "prqc-2024",
            "title": "Pediatric Readiness Quality Collaborative 2024",
            "focus": "Pediatric readiness",
            "status": S.COMMUNITY,
            "start_date": date(2024, 3, 1),
            "end_date": date(2025, 8, 31),
            "enrolment_opens": date(2023, 12, 1),
            "enrolment_closes": date(2024, 2, 15),
            "summary": READINESS_SUMMARY,
            "aims": "20 teams raise their readiness score by 10 points by August 2025.",
        },
        {
            "program": "npric",
            "slug": "prqc-2026",
            "title": "Pediatric Readiness Quality Collaborative 2026",
            "focus": "Pediatric readiness",
            "status": S.ACTIVE,
            "start_date": date(2026, 3, 1),
            "end_date": date(2027, 8, 31),
            "enrolment_opens": date(2025, 12, 1),
            "enrolment_closes": date(2026, 2, 15),
            "summary": READINESS_SUMMARY,
            "aims": "90% of children weighed in kilograms only; every team +10 readiness points.",
            "eligible_facility_types": [
                F.COMMUNITY_ED,
                F.CRITICAL_ACCESS,
                F.TRIBAL_IHS,
                F.ACADEMIC,
                F.FREESTANDING_ED,
            ],
        },
        {
            "program": "npric",
            "slug": "ems-readiness-2027",
            "title": "Prehospital Pediatric Readiness Collaborative 2027",
            "focus": "Prehospital pediatric readiness",
            "status": S.RECRUITING,
            "start_date": today + timedelta(days=75),
            "end_date": today + timedelta(days=75 + 333),
            "enrolment_opens": today - timedelta(days=30),
            "enrolment_closes": today + timedelta(days=60),
            "summary": (
                "For EMS agencies of every size: name a pediatric emergency care "
                "coordinator, check skills and equipment, and build pediatric protocols, "
                "with coaching."
            ),
            "aims": "Every agency names a pediatric emergency care coordinator.",
            "eligible_facility_types": [F.EMS_AGENCY],
        },
        {
            "program": "great-lakes",
            "slug": "gl-disaster-2026",
            "title": "Great Lakes Pediatric Disaster Preparedness Collaborative",
            "focus": "Disaster preparedness",
            "status": S.ACTIVE,
            "start_date": date(2026, 5, 1),
            "end_date": date(2027, 2, 28),
            "enrolment_opens": date(2026, 2, 1),
            "enrolment_closes": date(2026, 4, 15),
            "summary": (
                "Ten months to make hospital disaster plans pediatric-inclusive: surge, "
                "tracking and reunification, decontamination of children."
            ),
            "aims": "Every hospital has a tested pediatric reunification plan.",
        },
    ]


# program, name, type, state, city, volume
FACILITIES = [
    ("npric", "Riverside Community Hospital", F.COMMUNITY_ED, "OH", "Marietta", V.MEDIUM),
    ("npric", "Prairie View Critical Access Hospital", F.CRITICAL_ACCESS, "KS", "Hays", V.LOW),
    ("npric", "Red Mesa Indian Health Service Hospital", F.TRIBAL_IHS, "AZ", "Chinle", V.LOW),
    ("npric", "Lakeside Children's Medical Center", F.ACADEMIC, "IL", "Chicago", V.HIGH),
    (
        "npric",
        "Northgate Freestanding Emergency Center",
        F.FREESTANDING_ED,
        "TX",
        "Austin",
        V.MEDIUM_HIGH,
    ),
    (
        "npric",
        "St. Brendan Regional Medical Center",
        F.COMMUNITY_ED,
        "PA",
        "Altoona",
        V.MEDIUM_HIGH,
    ),
    ("npric", "High Plains Memorial Hospital", F.CRITICAL_ACCESS, "NE", "Ogallala", V.LOW),
    ("npric", "Bayou Parish General Hospital", F.COMMUNITY_ED, "LA", "Houma", V.MEDIUM),
    ("npric", "Green Mountain Valley Hospital", F.CRITICAL_ACCESS, "VT", "Morrisville", V.LOW),
    ("npric", "Cascade Children's Hospital", F.ACADEMIC, "WA", "Tacoma", V.HIGH),
    ("npric", "Desert Springs Freestanding ER", F.FREESTANDING_ED, "NV", "Henderson", V.MEDIUM),
    ("npric", "Turtle Mountain Tribal Health Center", F.TRIBAL_IHS, "ND", "Belcourt", V.LOW),
    ("npric", "Coastal Carolina Medical Center", F.COMMUNITY_ED, "NC", "Wilmington", V.MEDIUM_HIGH),
    ("npric", "Blue Ridge Community Hospital", F.COMMUNITY_ED, "VA", "Roanoke", V.MEDIUM),
    ("npric", "Harbor County EMS", F.EMS_AGENCY, "ME", "Rockland", V.LOW),
    ("npric", "Sierra Foothills Fire and Rescue", F.EMS_AGENCY, "CA", "Auburn", V.MEDIUM),
    ("great-lakes", "Bay City General Hospital", F.COMMUNITY_ED, "MI", "Bay City", V.MEDIUM),
    (
        "great-lakes",
        "Northern Pines Critical Access Hospital",
        F.CRITICAL_ACCESS,
        "MI",
        "Gaylord",
        V.LOW,
    ),
]

A, P = TeamStatus.ACTIVE, TeamStatus.APPLIED

# collaborative slug, facility, team name, status, goals
TEAMS = [
    (
        "prqc-2024",
        "Riverside Community Hospital",
        "Riverside Readiness 2024",
        A,
        "Name a nurse pediatric emergency care coordinator.",
    ),
    (
        "prqc-2024",
        "Lakeside Children's Medical Center",
        "Lakeside Readiness 2024",
        A,
        "Pediatric competencies for every nurse at hire.",
    ),
    (
        "prqc-2024",
        "Bayou Parish General Hospital",
        "Bayou Parish Peds 2024",
        A,
        "Pediatric equipment in every size, checked monthly.",
    ),
    (
        "prqc-2024",
        "Green Mountain Valley Hospital",
        "Green Mountain Kids 2024",
        A,
        "Transfer agreements that cover children.",
    ),
    (
        "prqc-2026",
        "Riverside Community Hospital",
        "Riverside ED Peds Ready",
        A,
        "Weigh every child in kilograms only, and notify a provider of abnormal vital "
        "signs within 15 minutes.",
    ),
    (
        "prqc-2026",
        "Prairie View Critical Access Hospital",
        "Prairie View Kids First",
        A,
        "Name nurse and physician pediatric emergency care coordinators and start monthly "
        "chart review.",
    ),
    (
        "prqc-2026",
        "Red Mesa Indian Health Service Hospital",
        "Red Mesa Pediatric Readiness",
        A,
        "Full vital signs for every child at triage, with age-based abnormal ranges in the EHR.",
    ),
    (
        "prqc-2026",
        "Lakeside Children's Medical Center",
        "Lakeside Pain Champions",
        A,
        "Assess pain at triage for 90% of children and reassess within an hour of treatment.",
    ),
    (
        "prqc-2026",
        "Northgate Freestanding Emergency Center",
        "Northgate Peds Team",
        A,
        "Screen adolescents for suicide risk at every visit.",
    ),
    (
        "prqc-2026",
        "St. Brendan Regional Medical Center",
        "St. Brendan Peds Readiness",
        A,
        "Raise our readiness score by ten points by the end of the collaborative.",
    ),
    (
        "prqc-2026",
        "Bayou Parish General Hospital",
        "Bayou Parish Kids Count",
        A,
        "Weight-based dosing aids in every resuscitation bay.",
    ),
    (
        "prqc-2026",
        "Green Mountain Valley Hospital",
        "Green Mountain Ready",
        A,
        "Pediatric simulation twice a year for every shift.",
    ),
    (
        "prqc-2026",
        "Cascade Children's Hospital",
        "Cascade Vital Signs Team",
        A,
        "Repeat abnormal vital signs before every discharge.",
    ),
    (
        "prqc-2026",
        "Desert Springs Freestanding ER",
        "Desert Springs Peds Ready",
        A,
        "Weigh every child in kilograms, on a scale that shows only kilograms.",
    ),
    (
        "prqc-2026",
        "Turtle Mountain Tribal Health Center",
        "Turtle Mountain Kids",
        A,
        "Interpreter access and family presence at every resuscitation.",
    ),
    (
        "prqc-2026",
        "Coastal Carolina Medical Center",
        "Coastal Carolina Peds",
        A,
        "Pediatric mental health policy and safe rooms.",
    ),
    (
        "prqc-2026",
        "High Plains Memorial Hospital",
        "High Plains Ready Kids",
        P,
        "Build pediatric transfer agreements with our regional children's hospital.",
    ),
    (
        "prqc-2026",
        "Blue Ridge Community Hospital",
        "Blue Ridge Peds Team",
        P,
        "A pediatric emergency care coordinator on every shift.",
    ),
    (
        "ems-readiness-2027",
        "Harbor County EMS",
        "Harbor County EMS Kids",
        P,
        "Name an EMS pediatric emergency care coordinator and check pediatric skills twice a year.",
    ),
    (
        "gl-disaster-2026",
        "Bay City General Hospital",
        "Bay City Disaster Ready Kids",
        A,
        "A pediatric-inclusive disaster plan with a tested reunification process.",
    ),
    (
        "gl-disaster-2026",
        "Northern Pines Critical Access Hospital",
        "Northern Pines Surge Team",
        A,
        "Pediatric surge supplies for 20 children, checked every quarter.",
    ),
]

# team name, email, role
TEAM_MEMBERS = [
    ("Riverside ED Peds Ready", "lead@demo.example", TeamRole.LEAD),
    ("Riverside ED Peds Ready", "member@demo.example", TeamRole.MEMBER),
    ("Riverside ED Peds Ready", "sponsor@demo.example", TeamRole.SPONSOR),
    ("Riverside Readiness 2024", "lead@demo.example", TeamRole.LEAD),
    ("Harbor County EMS Kids", "member@demo.example", TeamRole.DATA_CONTACT),
]

# team name, coach email
COACHING = [
    ("Riverside ED Peds Ready", "coach@demo.example"),
    ("Prairie View Kids First", "coach@demo.example"),
    ("Red Mesa Pediatric Readiness", "coach@demo.example"),
    ("St. Brendan Peds Readiness", "coach@demo.example"),
    ("Turtle Mountain Kids", "coach@demo.example"),
    ("Coastal Carolina Peds", "coach@demo.example"),
    ("Lakeside Pain Champions", "coach2@demo.example"),
    ("Northgate Peds Team", "coach2@demo.example"),
    ("Bayou Parish Kids Count", "coach2@demo.example"),
    ("Green Mountain Ready", "coach2@demo.example"),
    ("Cascade Vital Signs Team", "coach2@demo.example"),
    ("Desert Springs Peds Ready", "coach2@demo.example"),
    ("Riverside ED Peds Ready", "coach2@demo.example"),
    ("Riverside Readiness 2024", "coach@demo.example"),
    ("Lakeside Readiness 2024", "coach2@demo.example"),
    ("Bay City Disaster Ready Kids", "other-coach@demo.example"),
    ("Northern Pines Surge Team", "other-coach@demo.example"),
]

#: Months rated in the active collaborative, and each team's trajectory of coach
#: scores (the self-rating runs half a point higher, a full point for two teams so
#: that the coach sees gaps flagged).
RATING_MONTHS = [date(2026, m, 1) for m in range(3, 11)]
TRAJECTORIES = {
    "Riverside ED Peds Ready": "1.0 1.5 2.0 2.0 2.5 3.0 3.0 3.5",
    "Prairie View Kids First": "1.0 1.5 1.5 2.0 2.0 2.0 2.5 2.5",
    "Red Mesa Pediatric Readiness": "1.0 1.0 1.5 1.5 2.0 2.0 2.0 2.0",
    "Lakeside Pain Champions": "1.5 2.0 2.5 3.0 3.0 3.5 4.0 4.0",
    "Northgate Peds Team": "1.0 1.5 2.0 2.5 2.5 2.5 3.0 3.0",
    "St. Brendan Peds Readiness": "1.0 1.5 2.0 2.0 2.0 2.5 2.5",
    "Bayou Parish Kids Count": "1.0 1.0 1.5 2.0 2.5 2.5 3.0 3.0",
    "Green Mountain Ready": "1.0 1.5 1.5 1.5 2.0 2.0 2.0 2.5",
    "Cascade Vital Signs Team": "1.5 2.0 2.5 2.5 3.0 3.5 3.5 4.0",
    "Desert Springs Peds Ready": "1.0 1.5 2.0 2.0 2.5 2.5 2.5 3.0",
    "Turtle Mountain Kids": "1.0 1.0 1.0 1.5 1.5 2.0 2.0",
    "Coastal Carolina Peds": "1.0 1.5 1.5 2.0 2.0 2.5 2.5 2.5",
}
BIG_SELF_GAP = {"Red Mesa Pediatric Readiness", "Prairie View Kids First"}
RATIONALES = {
    "1.0": "Team and charter in place; meetings scheduled.",
    "1.5": "Aim drafted and measures chosen; baseline data collection planned.",
    "2.0": "Baseline data collected; first changes being planned.",
    "2.5": "Changes tested in PDSA cycles; no improvement in the data yet.",
    "3.0": "Modest improvement on the main process measure.",
    "3.5": "Further improvement; several changes adopted on all shifts.",
    "4.0": "More than half of the goals met; spreading to the whole department.",
}

LOGINS = [
    DemoLogin(
        "staff@demo.example",
        "Program staff, NPRIC",
        "NPRIC's collaboratives (past, active, recruiting) with enrolment to review",
    ),
    DemoLogin(
        "coach@demo.example",
        "Coach, NPRIC",
        "their seven teams across two collaboratives, ranked by need, with ratings",
    ),
    DemoLogin(
        "lead@demo.example",
        "Team lead, Riverside ED Peds Ready",
        "their team's home page: members, coaches, progress ratings, what is due",
    ),
    DemoLogin(
        "member@demo.example",
        "Team member, Riverside (and data contact of an EMS team that applied)",
        "their team's home page; the top bar switches teams",
    ),
    DemoLogin(
        "other-staff@demo.example",
        "Program staff, Great Lakes (second tenant)",
        "only the Great Lakes collaborative: nothing of NPRIC",
    ),
]


def _user(email: str, password: str, result: DemoResult) -> User:
    full_name, credentials = PEOPLE[email]
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "credentials": credentials}
    )
    result.count(created)
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    _, created = EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    result.count(created)
    return user


def _seed_collaboratives(programs, result: DemoResult) -> dict[str, Collaborative]:
    areas = {}
    for slug, names in FOCUS_AREAS.items():
        for name in names:
            areas[name], created = FocusArea.objects.get_or_create(
                program=programs[slug], name=name
            )
            result.count(created)
    collaboratives = {}
    for spec in _collaboratives(clock.today()):
        spec = dict(spec)
        program = programs[spec.pop("program")]
        slug = spec.pop("slug")
        spec["focus_area"] = areas[spec.pop("focus")]
        collaborative, created = Collaborative.objects.get_or_create(
            program=program, slug=slug, defaults=spec
        )
        result.count(created)
        if created:
            Phase.objects.bulk_create(
                Phase(
                    program=program,
                    collaborative=collaborative,
                    kind=p.kind,
                    name=p.name,
                    start_date=p.start_date,
                    end_date=p.end_date,
                )
                for p in generate_phases(collaborative.start_date, collaborative.end_date)
            )
        collaboratives[slug] = collaborative
    return collaboratives


def _seed_teams(programs, collaboratives, users, result: DemoResult) -> dict[str, Team]:
    facilities = {}
    for slug, name, ftype, state, city, volume in FACILITIES:
        facilities[name], created = Facility.objects.get_or_create(
            program=programs[slug],
            name=name,
            state=state,
            defaults={"facility_type": ftype, "city": city, "volume_band": volume},
        )
        result.count(created)
    teams = {}
    lead = users["lead@demo.example"]
    for cslug, facility_name, name, status, goals in TEAMS:
        collaborative = collaboratives[cslug]
        teams[name], created = Team.objects.get_or_create(
            program=collaborative.program,
            collaborative=collaborative,
            facility=facilities[facility_name],
            defaults={
                "name": name,
                "status": status,
                "goals": goals,
                "applied_by": lead if name.startswith("Riverside") else None,
            },
        )
        result.count(created)
    for team_name, email, role in TEAM_MEMBERS:
        team = teams[team_name]
        _, created = TeamMembership.objects.get_or_create(
            team=team, user=users[email], defaults={"program": team.program, "role": role}
        )
        result.count(created)
    for team_name, email in COACHING:
        team = teams[team_name]
        _, created = CoachAssignment.objects.get_or_create(
            team=team, coach=users[email], defaults={"program": team.program}
        )
        result.count(created)
    return teams


def _seed_ratings(teams, users, result: DemoResult) -> None:
    coaches = {}
    for team_name, email in COACHING:
        coaches.setdefault(team_name, users[email])
    for team_name, trajectory in TRAJECTORIES.items():
        team = teams[team_name]
        for month, score in zip(RATING_MONTHS, trajectory.split(), strict=False):
            coach_score = Decimal(score)
            gap = Decimal("1.0") if team_name in BIG_SELF_GAP else Decimal("0.5")
            self_score = min(coach_score + gap, Decimal("5.0"))
            team_lead = users["lead@demo.example"] if team_name.startswith("Riverside") else None
            for kind, value, who in (
                (RatingKind.COACH, coach_score, coaches[team_name]),
                (RatingKind.SELF, self_score, team_lead),
            ):
                _, created = ProgressRating.objects.get_or_create(
                    program=team.program,
                    team=team,
                    month=month,
                    kind=kind,
                    defaults={
                        "score": value,
                        "rationale": RATIONALES.get(str(value), "Good progress this month."),
                        "rated_by": who,
                    },
                )
                result.count(created)


@dataclass
class DemoWorld:
    """What the core seed created, for the features' seeders to build on."""

    programs: dict[str, Program]
    users: dict[str, User]
    collaboratives: dict[str, Collaborative]
    teams: dict[str, Team]


def seed_world(*, password: str, result: DemoResult) -> DemoWorld:
    """Programs, people and roles, collaboratives with phases, facilities, teams,
    memberships, coaches and progress ratings."""
    programs = {}
    for slug, fields in PROGRAMS.items():
        programs[slug], created = Program.objects.get_or_create(slug=slug, defaults=fields)
        result.count(created)
    users = {email: _user(email, password, result) for email in PEOPLE}
    for slug, email, role in PROGRAM_ROLES:
        _, created = ProgramMembership.objects.get_or_create(
            program=programs[slug], user=users[email], role=role
        )
        result.count(created)
    collaboratives = _seed_collaboratives(programs, result)
    teams = _seed_teams(programs, collaboratives, users, result)
    _seed_ratings(teams, users, result)
    return DemoWorld(programs, users, collaboratives, teams)
