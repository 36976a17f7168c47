"""Teams joining: registration, decisions with e-mails, withdrawal, coach assignment."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from collaboratives.models import Collaborative
from core.models import AuditEvent
from teams.models import CoachAssignment, Facility, Team, TeamMembership
from teams.services import enrolment
from tests.factories import ProgramMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(db):
    return UserFactory(email="applicant@example.org", full_name="Ana Applicant")


@pytest.fixture
def recruiting(tenant_a):
    c = tenant_a.recruiting
    c.enrolment_opens = timezone.localdate() - timedelta(days=5)
    c.enrolment_closes = timezone.localdate() + timedelta(days=30)
    c.save()
    return c


def _register(collaborative, applicant, **overrides):
    params = {
        "collaborative": collaborative,
        "applicant": applicant,
        "facility_name": "Mercy Valley Hospital",
        "facility_type": "critical_access",
        "state": "oh",
        "city": "Athens",
        "team_name": "Mercy Valley Kids",
        "goals": "Weigh every child in kilograms.",
    }
    params.update(overrides)
    return enrolment.team_register(**params)


def test_registration_creates_an_applied_team_led_by_the_applicant(
    recruiting, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        team = _register(recruiting, applicant)
    assert team.status == "applied"
    assert team.facility.state == "OH"
    assert team.applied_by == applicant
    assert TeamMembership.objects.get(team=team).role == "lead"
    assert AuditEvent.objects.filter(verb="team.applied", target_id=str(team.public_id)).exists()
    assert [m.to for m in mail.outbox] == [["applicant@example.org"]]
    assert "Mercy Valley Kids, from Mercy Valley Hospital (OH), has applied" in mail.outbox[0].body


@pytest.fixture
def registered(tenant_a):
    """Mercy Valley Hospital, already in the registry with another city and type."""
    return Facility.objects.create(
        program=tenant_a.program,
        name="Mercy Valley Hospital",
        facility_type="community_ed",
        state="OH",
        city="Nelsonville",
    )


def test_a_matching_facility_is_shown_to_confirm_not_used_in_place_of_the_typed_one(
    recruiting, applicant, registered
):
    with pytest.raises(enrolment.FacilityMatchFound) as info:
        _register(recruiting, applicant, facility_name="mercy valley  hospital")
    assert info.value.matches == [registered]
    assert "facility_choice" in info.value.message_dict
    assert not Team.objects.filter(collaborative=recruiting).exists()
    registered.refresh_from_db()
    assert registered.city == "Nelsonville"


def test_keeping_the_typed_facility_registers_it_with_the_typed_city(
    tenant_a, recruiting, applicant, registered
):
    team = _register(
        recruiting,
        applicant,
        facility_name="mercy valley  hospital",
        facility_choice=enrolment.FACILITY_CHOICE_NEW,
    )
    assert team.facility != registered
    assert (team.facility.name, team.facility.city, team.facility.state) == (
        "mercy valley hospital",
        "Athens",
        "OH",
    )
    assert team.facility.facility_type == "critical_access"
    registered.refresh_from_db()
    assert (registered.city, registered.facility_type) == ("Nelsonville", "community_ed")
    assert (
        Facility.objects.filter(
            program=tenant_a.program, name__iexact="Mercy Valley Hospital"
        ).count()
        == 2
    )


def test_confirming_the_match_uses_the_registered_facility(recruiting, applicant, registered):
    team = _register(recruiting, applicant, facility_choice=str(registered.public_id))
    assert team.facility == registered
    registered.refresh_from_db()
    assert registered.city == "Nelsonville"


def test_a_choice_that_no_longer_matches_asks_again(tenant_a, recruiting, applicant, registered):
    """An answer about another facility (the applicant changed the name) is not a yes."""
    elsewhere = Facility.objects.create(
        program=tenant_a.program, name="Other", facility_type="community_ed", state="OH"
    )
    with pytest.raises(enrolment.FacilityMatchFound):
        _register(recruiting, applicant, facility_choice=str(elsewhere.public_id))
    assert not Team.objects.filter(collaborative=recruiting).exists()


def test_keeping_a_facility_identical_to_a_registered_one_is_refused(
    recruiting, applicant, registered
):
    with pytest.raises(enrolment.FacilityMatchFound) as info:
        _register(
            recruiting,
            applicant,
            city=" nelsonville ",
            facility_choice=enrolment.FACILITY_CHOICE_NEW,
        )
    assert "already registered with this name, city and state" in str(info.value)
    assert Facility.objects.filter(name__iexact="Mercy Valley Hospital").count() == 1


def test_facilities_of_other_states_or_programs_do_not_match(
    tenant_a, tenant_b, recruiting, applicant, registered
):
    Facility.objects.create(
        program=tenant_b.program, name="Mercy Valley Hospital", facility_type="academic", state="OH"
    )
    team = _register(recruiting, applicant, state="WV")
    assert team.facility != registered
    assert team.facility.state == "WV"
    assert enrolment.facility_matches(
        program=tenant_a.program, name="MERCY VALLEY HOSPITAL ", state="oh"
    ) == [registered]


def test_a_confirmed_facility_of_an_ineligible_type_is_refused(recruiting, applicant, registered):
    recruiting.eligible_facility_types = ["critical_access"]
    recruiting.save()
    with pytest.raises(ValidationError) as info:
        _register(recruiting, applicant, facility_choice=str(registered.public_id))
    assert "not open to that type" in info.value.message_dict["facility_choice"][0]


def test_duplicate_team_for_the_same_facility_is_refused(recruiting, applicant):
    first = _register(recruiting, applicant)
    second = UserFactory()
    with pytest.raises(ValidationError) as info:
        _register(
            recruiting,
            second,
            team_name="Another name",
            facility_choice=str(first.facility.public_id),
        )
    assert "has already applied" in info.value.message_dict["facility_name"][0]
    assert Team.objects.filter(collaborative=recruiting).count() == 1
    assert not TeamMembership.objects.filter(user=second).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"enrolment_closes": -1}, "Enrolment closed on"),
        ({"enrolment_opens": 3}, "Enrolment opens on"),
        ({"status": "active"}, "not accepting applications"),
    ],
)
def test_enrolment_outside_the_window_is_refused(recruiting, applicant, change, message):
    for field, value in change.items():
        if field == "status":
            recruiting.status = value
        else:
            setattr(recruiting, field, timezone.localdate() + timedelta(days=value))
    recruiting.save()
    with pytest.raises(ValidationError, match=message):
        _register(recruiting, applicant)
    assert not Team.objects.filter(collaborative=recruiting).exists()
    assert not Facility.objects.filter(name="Mercy Valley Hospital").exists()


def test_ineligible_facility_type_is_refused(recruiting, applicant):
    recruiting.eligible_facility_types = ["ems_agency"]
    recruiting.save()
    with pytest.raises(ValidationError) as info:
        _register(recruiting, applicant)
    assert "not open to this type" in info.value.message_dict["facility_type"][0]


def test_applicant_may_name_someone_else_as_lead(
    recruiting, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        team = _register(
            recruiting, applicant, lead_is_applicant=False, lead_email="Lead@Example.org"
        )
    assert TeamMembership.objects.get(team=team, user=applicant).role == "member"
    invitation = team.invitations.get()
    assert (invitation.email, invitation.role) == ("lead@example.org", "lead")
    assert {tuple(m.to) for m in mail.outbox} >= {("lead@example.org",), ("applicant@example.org",)}


def test_naming_yourself_as_other_lead_is_refused(recruiting, applicant):
    with pytest.raises(ValidationError) as info:
        _register(recruiting, applicant, lead_is_applicant=False, lead_email=applicant.email)
    assert "lead_email" in info.value.message_dict


def test_approve_and_decline_tell_the_team(
    tenant_a, recruiting, applicant, django_capture_on_commit_callbacks
):
    first = _register(recruiting, applicant)
    second = _register(
        recruiting, UserFactory(email="b@example.org"), facility_name="Second Hospital"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.team_approve(team=first, actor=tenant_a.staff)
        enrolment.team_decline(team=second, actor=tenant_a.staff, reason="Only EDs <this year>.")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("active", "declined")
    assert second.decision_reason == "Only EDs <this year>."
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "is approved" in by_recipient["applicant@example.org"].subject
    declined = by_recipient["b@example.org"]
    assert "Only EDs <this year>." in declined.body
    html = declined.alternatives[0].content
    assert "Only EDs &lt;this year&gt;." in html and "<this year>" not in html
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"team.approved", "team.declined"} <= verbs


def test_decline_needs_a_reason_and_decisions_happen_once(tenant_a, recruiting, applicant):
    team = _register(recruiting, applicant)
    with pytest.raises(ValidationError):
        enrolment.team_decline(team=team, actor=tenant_a.staff, reason="   ")
    enrolment.team_approve(team=team, actor=tenant_a.staff)
    with pytest.raises(ValidationError, match="Only applications can be approved"):
        enrolment.team_approve(team=team, actor=tenant_a.staff)
    with pytest.raises(ValidationError, match="Only applications can be declined"):
        enrolment.team_decline(team=team, actor=tenant_a.staff, reason="late")


def test_withdraw_keeps_the_records(tenant_a):
    team = tenant_a.team
    enrolment.team_withdraw(team=team, actor=tenant_a.staff, reason="Staffing shortage")
    team.refresh_from_db()
    assert team.status == "withdrawn"
    assert TeamMembership.objects.filter(team=team).count() == 2
    with pytest.raises(ValidationError, match="already withdrawn"):
        enrolment.team_withdraw(team=team, actor=tenant_a.staff, reason="again")


def test_coach_assignments_set_assigns_and_unassigns(tenant_a):
    second_coach = UserFactory(full_name="Second Coach")
    ProgramMembershipFactory(program=tenant_a.program, user=second_coach, role="coach")
    enrolment.coach_assignments_set(
        team=tenant_a.team, coaches=[second_coach], actor=tenant_a.staff
    )
    assert list(
        CoachAssignment.objects.filter(team=tenant_a.team).values_list("coach", flat=True)
    ) == [second_coach.pk]
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["team.coach_unassigned", "team.coach_assigned"]


def test_only_coaches_of_the_program_can_be_assigned(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as info:
        enrolment.coach_assignments_set(
            team=tenant_a.team, coaches=[tenant_b.coach, tenant_a.member], actor=tenant_a.staff
        )
    assert "Not a coach of this program" in info.value.message_dict["coaches"][0]
    assert list(CoachAssignment.objects.filter(team=tenant_a.team)) == [tenant_a.coach_assignment]


def test_collaborative_is_unchanged_by_failed_registration(recruiting, applicant):
    before = Collaborative.objects.get(pk=recruiting.pk).updated_at
    with pytest.raises(ValidationError):
        _register(recruiting, applicant, facility_type="ems_agency", lead_is_applicant=False)
    assert Collaborative.objects.get(pk=recruiting.pk).updated_at == before
