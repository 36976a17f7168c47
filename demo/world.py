"""The demo world: programs, people, collaboratives, facilities, teams and coaches, on
which the other seeders (demo.ratings, demo.assessments, demo.measures, demo.pdsa) build.

Everything here is invented for demonstration (DOMAIN.md marks demo content);
names of programs, facilities and people are fictional. Each step uses natural
keys (program slug, e-mail, facility name and state, collaborative slug, ...) with
get_or_create, so running the seed twice changes nothing.

The world: a national center (NPRIC) with a past collaborative that became a
community of practice, an active one with a dozen teams, coaches and eight
months of progress ratings, and a recruiting one; and a second tenant (a state
program) that must never see any of it.

Its calendar is counted from `today`, the day it is seeded (demo.collaboratives), so
the world has the same shape whatever the date; no date or year is written here.
The natural keys never contain a date: seeding again on a later day finds the same
collaboratives and teams (which keep the dates of the first seeding) and only adds
what is missing, such as the months that have passed since.
"""

from dataclasses import dataclass, field
from datetime import date

from allauth.account.models import EmailAddress

from accounts.models import Program, ProgramMembership, ProgramRole, User
from collaboratives.models import Collaborative, FocusArea, Phase
from collaboratives.phases import generate_phases
from teams.models import (
    CoachAssignment,
    Facility,
    FacilityType,
    Team,
    TeamMembership,
    TeamRole,
    TeamStatus,
    VolumeBand,
)

from .collaboratives import ACTIVE, FOCUS_AREAS, GREAT_LAKES, PAST, RECRUITING, collaborative_specs

DEMO_PASSWORD = "qi-demo-2026"  # noqa: S105 - public demo password, printed on purpose

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
    #: Things the person seeding should know (printed by the command).
    notes: list[str] = field(default_factory=list)

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

# collaborative slug, facility, team name, status, goals. A `{year}` in a name is the
# collaborative's first year; the name as written here is the team's key in DemoWorld.teams.
TEAMS = [
    (
        PAST,
        "Riverside Community Hospital",
        "Riverside Readiness {year}",
        A,
        "Name a nurse pediatric emergency care coordinator.",
    ),
    (
        PAST,
        "Lakeside Children's Medical Center",
        "Lakeside Readiness {year}",
        A,
        "Pediatric competencies for every nurse at hire.",
    ),
    (
        PAST,
        "Bayou Parish General Hospital",
        "Bayou Parish Peds {year}",
        A,
        "Pediatric equipment in every size, checked monthly.",
    ),
    (
        PAST,
        "Green Mountain Valley Hospital",
        "Green Mountain Kids {year}",
        A,
        "Transfer agreements that cover children.",
    ),
    (
        ACTIVE,
        "Riverside Community Hospital",
        "Riverside ED Peds Ready",
        A,
        "Weigh every child in kilograms only, and notify a provider of abnormal vital "
        "signs within 15 minutes.",
    ),
    (
        ACTIVE,
        "Prairie View Critical Access Hospital",
        "Prairie View Kids First",
        A,
        "Name nurse and physician pediatric emergency care coordinators and start monthly "
        "chart review.",
    ),
    (
        ACTIVE,
        "Red Mesa Indian Health Service Hospital",
        "Red Mesa Pediatric Readiness",
        A,
        "Full vital signs for every child at triage, with age-based abnormal ranges in the EHR.",
    ),
    (
        ACTIVE,
        "Lakeside Children's Medical Center",
        "Lakeside Pain Champions",
        A,
        "Assess pain at triage for 90% of children and reassess within an hour of treatment.",
    ),
    (
        ACTIVE,
        "Northgate Freestanding Emergency Center",
        "Northgate Peds Team",
        A,
        "Screen adolescents for suicide risk at every visit.",
    ),
    (
        ACTIVE,
        "St. Brendan Regional Medical Center",
        "St. Brendan Peds Readiness",
        A,
        "Raise our readiness score by ten points by the end of the collaborative.",
    ),
    (
        ACTIVE,
        "Bayou Parish General Hospital",
        "Bayou Parish Kids Count",
        A,
        "Weight-based dosing aids in every resuscitation bay.",
    ),
    (
        ACTIVE,
        "Green Mountain Valley Hospital",
        "Green Mountain Ready",
        A,
        "Pediatric simulation twice a year for every shift.",
    ),
    (
        ACTIVE,
        "Cascade Children's Hospital",
        "Cascade Vital Signs Team",
        A,
        "Repeat abnormal vital signs before every discharge.",
    ),
    (
        ACTIVE,
        "Desert Springs Freestanding ER",
        "Desert Springs Peds Ready",
        A,
        "Weigh every child in kilograms, on a scale that shows only kilograms.",
    ),
    (
        ACTIVE,
        "Turtle Mountain Tribal Health Center",
        "Turtle Mountain Kids",
        A,
        "Interpreter access and family presence at every resuscitation.",
    ),
    (
        ACTIVE,
        "Coastal Carolina Medical Center",
        "Coastal Carolina Peds",
        A,
        "Pediatric mental health policy and safe rooms.",
    ),
    (
        ACTIVE,
        "High Plains Memorial Hospital",
        "High Plains Ready Kids",
        P,
        "Build pediatric transfer agreements with our regional children's hospital.",
    ),
    (
        ACTIVE,
        "Blue Ridge Community Hospital",
        "Blue Ridge Peds Team",
        P,
        "A pediatric emergency care coordinator on every shift.",
    ),
    (
        RECRUITING,
        "Harbor County EMS",
        "Harbor County EMS Kids",
        P,
        "Name an EMS pediatric emergency care coordinator and check pediatric skills twice a year.",
    ),
    (
        GREAT_LAKES,
        "Bay City General Hospital",
        "Bay City Disaster Ready Kids",
        A,
        "A pediatric-inclusive disaster plan with a tested reunification process.",
    ),
    (
        GREAT_LAKES,
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
    ("Riverside Readiness {year}", "lead@demo.example", TeamRole.LEAD),
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
    ("Riverside Readiness {year}", "coach@demo.example"),
    ("Lakeside Readiness {year}", "coach2@demo.example"),
    ("Bay City Disaster Ready Kids", "other-coach@demo.example"),
    ("Northern Pines Surge Team", "other-coach@demo.example"),
]

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


def _seed_collaboratives(programs, today: date, result: DemoResult) -> dict[str, Collaborative]:
    areas = {}
    for slug, names in FOCUS_AREAS.items():
        for name in names:
            areas[name], created = FocusArea.objects.get_or_create(
                program=programs[slug], name=name
            )
            result.count(created)
    collaboratives = {}
    for spec in collaborative_specs(today):
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
                "name": name.format(year=collaborative.start_date.year),
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


@dataclass
class DemoWorld:
    """What the world seed created, for the other seeders to build on."""

    programs: dict[str, Program]
    users: dict[str, User]
    #: By slug (PAST, ACTIVE, RECRUITING, GREAT_LAKES).
    collaboratives: dict[str, Collaborative]
    #: By the team's name as written in TEAMS (its key: `{year}` not filled in).
    teams: dict[str, Team]

    def teams_of(self, slug: str, status: str = TeamStatus.ACTIVE) -> list[tuple[str, Team]]:
        """(key, team) for the demo teams of one collaborative in `status`, by key."""
        collaborative = self.collaboratives[slug]
        return sorted(
            (
                (key, team)
                for key, team in self.teams.items()
                if team.collaborative_id == collaborative.pk and team.status == status
            ),
            key=lambda pair: pair[0],
        )


def seed_world(*, today: date, password: str, result: DemoResult) -> DemoWorld:
    """Programs, people and roles, collaboratives (dated around `today`) with phases,
    facilities, teams, memberships and coaches."""
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
    collaboratives = _seed_collaboratives(programs, today, result)
    teams = _seed_teams(programs, collaboratives, users, result)
    return DemoWorld(programs, users, collaboratives, teams)
