"""Demo data: a realistic, idempotent world that lets anyone try every role.

Everything here is invented for demonstration (DOMAIN.md marks demo content);
names of programs, facilities and people are fictional. Each step uses natural
keys (program slug, e-mail, facility name and state, ...) with get_or_create, so
running the seed twice changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Program, ProgramMembership, ProgramRole, User
from collaboratives.models import Collaborative, CollaborativeStatus
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

DEMO_PASSWORD = "qi-demo-2026"  # noqa: S105 - public demo password, printed on purpose


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

# email, full name, credentials
PEOPLE = {
    "staff@demo.example": ("Dana Whitfield", "MPH"),
    "admin@demo.example": ("Marcus Oyelaran", "MHA"),
    "coach@demo.example": ("Priya Raman", "MD"),
    "coach2@demo.example": ("Tom Baptiste", "RN, CPHQ"),
    "lead@demo.example": ("Alex Moreno", "RN"),
    "member@demo.example": ("Jordan Lee", "EMT-P"),
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

COLLABORATIVES = [
    # program, slug, title, status, start, end, summary
    (
        "npric",
        "prqc-2026",
        "Pediatric Readiness Quality Collaborative 2026",
        CollaborativeStatus.ACTIVE,
        date(2026, 3, 1),
        date(2027, 8, 31),
        "Eighteen months of monthly learning sessions and tests of change to raise "
        "emergency departments' pediatric readiness: weighing children in kilograms, "
        "acting on abnormal vital signs, assessing pain and screening for suicide risk.",
    ),
    (
        "npric",
        "ems-readiness-2027",
        "Prehospital Pediatric Readiness Collaborative 2027",
        CollaborativeStatus.RECRUITING,
        date(2027, 2, 1),
        date(2027, 12, 31),
        "For EMS agencies of every size: name a pediatric emergency care coordinator, "
        "check skills and equipment, and build pediatric protocols, with coaching.",
    ),
    (
        "great-lakes",
        "gl-disaster-2026",
        "Great Lakes Pediatric Disaster Preparedness Collaborative",
        CollaborativeStatus.ACTIVE,
        date(2026, 5, 1),
        date(2027, 2, 28),
        "Ten months to make hospital disaster plans pediatric-inclusive: surge, "
        "tracking and reunification, decontamination of children.",
    ),
]

# program, name, type, state, city, volume
FACILITIES = [
    (
        "npric",
        "Riverside Community Hospital",
        FacilityType.COMMUNITY_ED,
        "OH",
        "Marietta",
        VolumeBand.MEDIUM,
    ),
    (
        "npric",
        "Prairie View Critical Access Hospital",
        FacilityType.CRITICAL_ACCESS,
        "KS",
        "Hays",
        VolumeBand.LOW,
    ),
    (
        "npric",
        "Red Mesa Indian Health Service Hospital",
        FacilityType.TRIBAL_IHS,
        "AZ",
        "Chinle",
        VolumeBand.LOW,
    ),
    (
        "npric",
        "Lakeside Children's Medical Center",
        FacilityType.ACADEMIC,
        "IL",
        "Chicago",
        VolumeBand.HIGH,
    ),
    (
        "npric",
        "Northgate Freestanding Emergency Center",
        FacilityType.FREESTANDING_ED,
        "TX",
        "Austin",
        VolumeBand.MEDIUM_HIGH,
    ),
    ("npric", "Harbor County EMS", FacilityType.EMS_AGENCY, "ME", "Rockland", VolumeBand.LOW),
    (
        "npric",
        "St. Brendan Regional Medical Center",
        FacilityType.COMMUNITY_ED,
        "PA",
        "Altoona",
        VolumeBand.MEDIUM_HIGH,
    ),
    (
        "npric",
        "High Plains Memorial Hospital",
        FacilityType.CRITICAL_ACCESS,
        "NE",
        "Ogallala",
        VolumeBand.LOW,
    ),
    (
        "great-lakes",
        "Bay City General Hospital",
        FacilityType.COMMUNITY_ED,
        "MI",
        "Bay City",
        VolumeBand.MEDIUM,
    ),
    (
        "great-lakes",
        "Northern Pines Critical Access Hospital",
        FacilityType.CRITICAL_ACCESS,
        "MI",
        "Gaylord",
        VolumeBand.LOW,
    ),
]

# program, collaborative slug, facility name, team name, status, goals
TEAMS = [
    (
        "npric",
        "prqc-2026",
        "Riverside Community Hospital",
        "Riverside ED Peds Ready",
        TeamStatus.ACTIVE,
        "Weigh every child in kilograms only, and notify a provider of abnormal vital signs "
        "within 15 minutes.",
    ),
    (
        "npric",
        "prqc-2026",
        "Prairie View Critical Access Hospital",
        "Prairie View Kids First",
        TeamStatus.ACTIVE,
        "Name nurse and physician pediatric emergency care coordinators and start monthly "
        "chart review.",
    ),
    (
        "npric",
        "prqc-2026",
        "Red Mesa Indian Health Service Hospital",
        "Red Mesa Pediatric Readiness",
        TeamStatus.ACTIVE,
        "Full vital signs for every child at triage, with age-based abnormal ranges in the EHR.",
    ),
    (
        "npric",
        "prqc-2026",
        "Lakeside Children's Medical Center",
        "Lakeside Pain Champions",
        TeamStatus.ACTIVE,
        "Assess pain at triage for 90% of children and reassess within an hour of treatment.",
    ),
    (
        "npric",
        "prqc-2026",
        "Northgate Freestanding Emergency Center",
        "Northgate Peds Team",
        TeamStatus.ACTIVE,
        "Screen adolescents for suicide risk at every visit.",
    ),
    (
        "npric",
        "prqc-2026",
        "St. Brendan Regional Medical Center",
        "St. Brendan Peds Readiness",
        TeamStatus.ACTIVE,
        "Raise our readiness score by ten points by the end of the collaborative.",
    ),
    (
        "npric",
        "prqc-2026",
        "High Plains Memorial Hospital",
        "High Plains Ready Kids",
        TeamStatus.APPLIED,
        "Build pediatric transfer agreements with our regional children's hospital.",
    ),
    (
        "npric",
        "ems-readiness-2027",
        "Harbor County EMS",
        "Harbor County EMS Kids",
        TeamStatus.APPLIED,
        "Name an EMS pediatric emergency care coordinator and check pediatric skills twice a year.",
    ),
    (
        "great-lakes",
        "gl-disaster-2026",
        "Bay City General Hospital",
        "Bay City Disaster Ready Kids",
        TeamStatus.ACTIVE,
        "A pediatric-inclusive disaster plan with a tested reunification process.",
    ),
    (
        "great-lakes",
        "gl-disaster-2026",
        "Northern Pines Critical Access Hospital",
        "Northern Pines Surge Team",
        TeamStatus.ACTIVE,
        "Pediatric surge supplies for 20 children, checked every quarter.",
    ),
]

# team name, email, role
TEAM_MEMBERS = [
    ("Riverside ED Peds Ready", "lead@demo.example", TeamRole.LEAD),
    ("Riverside ED Peds Ready", "member@demo.example", TeamRole.MEMBER),
    ("Harbor County EMS Kids", "member@demo.example", TeamRole.DATA_CONTACT),
]

# team name, coach email
COACHING = [
    ("Riverside ED Peds Ready", "coach@demo.example"),
    ("Prairie View Kids First", "coach@demo.example"),
    ("Red Mesa Pediatric Readiness", "coach@demo.example"),
    ("Lakeside Pain Champions", "coach2@demo.example"),
    ("Northgate Peds Team", "coach2@demo.example"),
    ("St. Brendan Peds Readiness", "coach@demo.example"),
    ("Bay City Disaster Ready Kids", "other-coach@demo.example"),
    ("Northern Pines Surge Team", "other-coach@demo.example"),
]

LOGINS = [
    DemoLogin(
        "staff@demo.example",
        "Program staff, NPRIC",
        "the collaboratives of NPRIC, with teams and enrolment counts",
    ),
    DemoLogin("coach@demo.example", "Coach, NPRIC", "the four teams assigned to them"),
    DemoLogin("lead@demo.example", "Team lead, Riverside ED Peds Ready", "their team's home page"),
    DemoLogin(
        "member@demo.example",
        "Team member, Riverside (and data contact at Harbor County EMS)",
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


@transaction.atomic
def seed_demo(*, password: str = DEMO_PASSWORD) -> DemoResult:
    """Create (or complete) the demo world and return the logins to print."""
    result = DemoResult(logins=list(LOGINS))
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

    collaboratives = {}
    for slug, cslug, title, status, start, end, summary in COLLABORATIVES:
        collaboratives[cslug], created = Collaborative.objects.get_or_create(
            program=programs[slug],
            slug=cslug,
            defaults={
                "title": title,
                "status": status,
                "start_date": start,
                "end_date": end,
                "summary": summary,
            },
        )
        result.count(created)

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
    for slug, cslug, facility_name, name, status, goals in TEAMS:
        teams[name], created = Team.objects.get_or_create(
            program=programs[slug],
            collaborative=collaboratives[cslug],
            facility=facilities[facility_name],
            defaults={"name": name, "status": status, "goals": goals},
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
    return result
