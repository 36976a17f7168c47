"""Shared fixtures: two tenants with every persona, so every test can prove isolation.

Each tenant has staff (with an authenticator, since MFA is required for staff),
an admin, a coach assigned to one of two teams, a lead and a member of that team,
an active and a recruiting collaborative. Tenant B's private names carry the
marker BRAVO-PRIVATE so that leaks can be detected by searching responses.
"""

import hashlib
import importlib
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Program, ProgramRole, User
from collaboratives.models import Collaborative, CollaborativeStatus, FocusArea, Phase, PhaseKind
from teams.models import (
    CoachAssignment,
    Facility,
    Invitation,
    ProgressRating,
    RatingKind,
    Team,
    TeamMembership,
    TeamRole,
)

from .clock import instant, month, suite_today
from .factories import (
    CoachAssignmentFactory,
    CollaborativeFactory,
    FacilityFactory,
    ProgramFactory,
    ProgramMembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
    give_totp,
)

PRIVATE_MARKER = "BRAVO-PRIVATE"

#: Each app with tenant data of its own adds a module here whose
#: `build(tenant, marker) -> dict` creates one object of every kind it has for the
#: tenant (private names carry `marker`) and returns {URL keyword: public id}. The
#: isolation guard then tries those ids too. Missing modules are skipped.
TENANT_BUILDERS = [
    "tests.teams.tenant_builder",
    "tests.assessments.tenant_builder",
    "tests.measures.tenant_builder",
    "tests.pdsa.tenant_builder",  # after measures: the sample cycle links measure M1
    "tests.learning_sessions.tenant_builder",
    "tests.certificates.tenant_builder",
    "tests.core.tenant_builder",  # a failed e-mail in the program's outbox
    "tests.dashboards.progress_tenant_builder",  # a sponsor progress report
    # Resources: one builder per part (a missing module is skipped).
    "tests.resources.library_tenant_builder",
    "tests.resources.links_tenant_builder",
    "tests.resources.sustain_tenant_builder",
    "tests.resources.community_tenant_builder",
]


@dataclass
class Tenant:
    program: Program
    admin: User
    staff: User
    coach: User
    lead: User
    member: User
    collaborative: Collaborative
    recruiting: Collaborative
    facility: Facility
    team: Team
    other_team: Team
    lead_membership: TeamMembership
    member_membership: TeamMembership
    coach_assignment: CoachAssignment
    focus_area: FocusArea
    phase: Phase
    invitation: Invitation
    rating: ProgressRating
    #: URL keyword -> object id added by the apps' builders (see TENANT_BUILDERS).
    extras: dict = field(default_factory=dict)


def build_tenant(label: str, *, private_marker: str = "") -> Tenant:
    """A complete tenant; `private_marker` is put into every private name."""
    m = f" {private_marker}" if private_marker else ""
    program = ProgramFactory(name=f"{label} Program", slug=label.lower())
    admin = UserFactory(email=f"admin@{label.lower()}.example", full_name=f"{label} Admin{m}")
    staff = UserFactory(email=f"staff@{label.lower()}.example", full_name=f"{label} Staff{m}")
    coach = UserFactory(email=f"coach@{label.lower()}.example", full_name=f"{label} Coach{m}")
    lead = UserFactory(email=f"lead@{label.lower()}.example", full_name=f"{label} Lead{m}")
    member = UserFactory(email=f"member@{label.lower()}.example", full_name=f"{label} Member{m}")
    ProgramMembershipFactory(program=program, user=admin, role=ProgramRole.ADMIN)
    ProgramMembershipFactory(program=program, user=staff, role=ProgramRole.STAFF)
    ProgramMembershipFactory(program=program, user=coach, role=ProgramRole.COACH)
    give_totp(admin)
    give_totp(staff)
    collaborative = CollaborativeFactory(
        program=program, title=f"{label} Active Collaborative{m}", slug=f"{label.lower()}-active"
    )
    recruiting = CollaborativeFactory(
        program=program,
        title=f"{label} Recruiting Collaborative",
        slug=f"{label.lower()}-recruiting",
        status=CollaborativeStatus.RECRUITING,
    )
    facility = FacilityFactory(program=program, name=f"{label} Hospital{m}")
    team = TeamFactory(
        program=program,
        collaborative=collaborative,
        facility=facility,
        name=f"{label} Team{m}",
        goals=f"{label} goals{m}",
    )
    other_team = TeamFactory(
        program=program,
        collaborative=collaborative,
        facility=FacilityFactory(program=program, name=f"{label} Other Hospital{m}"),
        name=f"{label} Other Team{m}",
    )
    lead_membership = TeamMembershipFactory(team=team, user=lead, role=TeamRole.LEAD)
    member_membership = TeamMembershipFactory(team=team, user=member, role=TeamRole.MEMBER)
    coach_assignment = CoachAssignmentFactory(team=team, coach=coach)
    focus_area = FocusArea.objects.create(program=program, name=f"{label} Readiness{m}")
    collaborative.focus_area = focus_area
    collaborative.save(update_fields=["focus_area"])
    phase = Phase.objects.create(
        program=program,
        collaborative=collaborative,
        kind=PhaseKind.PREWORK,
        name=f"{label} Prework{m}",
        start_date=collaborative.start_date,
        end_date=collaborative.start_date + timedelta(days=30),
    )
    invitation = Invitation.objects.create(
        program=program,
        team=team,
        email=f"invitee@{label.lower()}.example",
        role=TeamRole.MEMBER,
        token_hash=hashlib.sha256(f"{label}-token".encode()).hexdigest(),
        invited_by=lead,
        expires_at=timezone.now() + timedelta(days=14),
    )
    rating = ProgressRating.objects.create(
        program=program,
        team=team,
        month=month(-7),
        kind=RatingKind.COACH,
        score=Decimal("2.0"),
        rationale=f"{label} baseline data collected{m}",
        rated_by=coach,
    )
    tenant = Tenant(
        program=program,
        admin=admin,
        staff=staff,
        coach=coach,
        lead=lead,
        member=member,
        collaborative=collaborative,
        recruiting=recruiting,
        facility=facility,
        team=team,
        other_team=other_team,
        lead_membership=lead_membership,
        member_membership=member_membership,
        coach_assignment=coach_assignment,
        focus_area=focus_area,
        phase=phase,
        invitation=invitation,
        rating=rating,
    )
    for module_name in TENANT_BUILDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if not module_name.startswith(error.name or "-"):
                raise  # a real import error inside the module
            continue
        tenant.extras.update(module.build(tenant, private_marker))
    return tenant


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "today(day): run the test on this day (ISO date) instead of the suite's day"
    )
    _flush_with_delete()


def _flush_with_delete() -> None:
    """Empty the tables after a `transaction=True` test with DELETE, not TRUNCATE.

    Django flushes the database after every transactional test (the browser journeys,
    the real-worker tests) with one TRUNCATE of every table. On PostgreSQL that gives
    every table and index a new file and takes an exclusive lock: 0.6-0.9 s each time
    on the CI machine, waiting for the live server's connections too. The tables hold a
    few dozen rows by then, and deleting them takes 0.1 s. The result is the same: every
    table empty, sequences not reset (TRUNCATE without RESTART IDENTITY does not reset
    them either), post_migrate still run by the flush command. The foreign keys Django
    creates are DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does not
    matter: they are checked when the flush's transaction commits.
    """
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: the SQLite fallback already deletes
        return
    if getattr(DatabaseOperations.sql_flush, "deletes", False):
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))}"
            for table in tables
        ]
        return ["SET CONSTRAINTS ALL DEFERRED", *deletes]

    sql_flush.deletes = True
    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture(autouse=True)
def _fixed_clock(request):
    """Every test runs on a known day (tests/clock.py); `@pytest.mark.today` picks another.

    Autouse, so it starts before the fixtures that build the test's world, and those
    count their calendars from the same day. The clock ticks: durations still pass.
    """
    marker = request.node.get_closest_marker("today")
    day = date.fromisoformat(marker.args[0]) if marker else suite_today()
    with time_machine.travel(instant(day), tick=True):
        yield day


@pytest.fixture
def tenant_a(db) -> Tenant:
    return build_tenant("Alpha")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return build_tenant("Bravo", private_marker=PRIVATE_MARKER)


@pytest.fixture
def outsider(db) -> User:
    """Signed-up person with no role anywhere."""
    return UserFactory(email="outsider@example.org", full_name="Olive Outsider")


#: Personas of the tenants above who may see tenant A's team, and who may not (the
#: extra ones are the fixtures below).
VISIBLE_PERSONAS = ["admin", "staff", "coach", "lead", "member"]
HIDDEN_PERSONAS = ["unassigned_coach", "outsider", "other_tenant_staff"]


@pytest.fixture
def unassigned_coach(tenant_a) -> User:
    """A coach of tenant A's program who is not assigned to tenant A's team."""
    coach = UserFactory(email="coach2@alpha.example", full_name="Alpha Second Coach")
    ProgramMembershipFactory(program=tenant_a.program, user=coach, role=ProgramRole.COACH)
    return coach


@pytest.fixture
def persona(tenant_a, tenant_b, outsider, unassigned_coach):
    """Resolve a persona name (VISIBLE_PERSONAS, HIDDEN_PERSONAS) to a user."""

    def resolve(name: str) -> User:
        if name == "outsider":
            return outsider
        if name == "unassigned_coach":
            return unassigned_coach
        if name == "other_tenant_staff":
            return tenant_b.staff
        return getattr(tenant_a, name)

    return resolve


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and throttles live in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()


def require_services() -> bool:
    """In CI (REQUIRE_SERVICES=1) a missing service fails the run instead of skipping."""
    return os.environ.get("REQUIRE_SERVICES") == "1"


#: Seconds a test takes (roughly, measured on the CI machine), for the tests that take
#: far longer than the rest: node id prefix -> seconds. Matched before the markers below.
SLOW_TESTS = {
    "tests/api/test_schema_fuzz.py::": 70,
    "tests/learning_sessions/test_reminders_worker.py::": 35,
    "tests/e2e/test_accessibility.py::test_every_page_meets_wcag_21_aa_in_axe[": 35,
    "tests/e2e/test_keyboard_journey.py::test_every_page_shows_where_the_focus_is": 30,
    "tests/test_isolation.py::test_tenant_a_cannot_reach_tenant_b_anywhere[": 25,
    "tests/test_isolation.py::test_anonymous_visitor_cannot_reach_tenant_data": 20,
    "tests/e2e/test_accessibility_notifications.py::": 15,
    "tests/demo/": 12,  # each seeds the whole demo world (10-40 s)
    "tests/dashboards/test_progress_demo.py::": 12,  # seeds the demo world
    "tests/e2e/test_accessibility_paging.py::": 40,  # five paged pages, two widths
    "tests/e2e/test_upload_size_limit.py::": 12,  # the resource form, axe-core included
}
#: Any other test with these markers: a browser journey, a real worker.
SLOW_MARKERS = {"services": 15, "e2e": 8}


def expected_seconds(item) -> int:
    """How long `item` is expected to take: 0 for the ordinary, quick tests."""
    for prefix, seconds in SLOW_TESTS.items():
        if item.nodeid.startswith(prefix):
            return seconds
    return max((s for m, s in SLOW_MARKERS.items() if item.get_closest_marker(m)), default=0)


def pytest_collection_modifyitems(config, items):
    """Run the slow tests first, the longest first; skip PostgreSQL-only tests on the
    SQLite fallback (scripts/run_tests.py says so).

    pytest-xdist hands out tests in collection order and the quick ones last, as the
    workers free up: started first, the long tests run side by side on all workers
    instead of queueing at the end while the other workers idle. The quick tests keep
    their order (a stable sort), so a module's fixtures are still set up once.
    """
    from django.conf import settings

    order = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (-expected_seconds(item), order[id(item)]))
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (running on the SQLite fallback)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
