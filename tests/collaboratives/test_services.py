"""Collaborative services: create, edit, phases, lifecycle, copy; audited and all-or-nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from collaboratives import services
from collaboratives.copying import copy_step, registered_copy_steps
from collaboratives.models import Collaborative, CollaborativeStatus, FocusArea, Phase, PhaseKind
from collaboratives.phases import PhaseSpec
from core.models import AuditEvent
from tests.clock import month

pytestmark = pytest.mark.django_db


def _create(tenant, **overrides):
    """The next collaborative: a year from the month after next (January to December 2027
    on the suite's default day), enrolment open from last month to mid next month."""
    params = {
        "program": tenant.program,
        "actor": tenant.staff,
        "title": "Weight in Kilograms Collaborative",
        "start_date": month(2),
        "end_date": month(14) - timedelta(days=1),
        "enrolment_opens": month(-1),
        "enrolment_closes": month(1) + timedelta(days=14),
    }
    params.update(overrides)
    return services.collaborative_create(**params)


def test_create_makes_a_draft_with_generated_phases_and_an_audit_event(tenant_a):
    c = _create(tenant_a, focus_area=tenant_a.focus_area, eligible_facility_types=["ems_agency"])
    assert c.status == CollaborativeStatus.DRAFT
    assert c.slug == "weight-in-kilograms-collaborative"
    assert c.phases.count() == 9
    assert c.eligible_facility_types == ["ems_agency"]
    event = AuditEvent.objects.get(verb="collaborative.created")
    assert (event.program, event.actor, event.data) == (
        tenant_a.program,
        tenant_a.staff,
        {"phases": 9},
    )


def test_slugs_stay_unique_within_a_program(tenant_a):
    first = _create(tenant_a)
    second = _create(tenant_a)
    assert second.slug == f"{first.slug}-2"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [  # the collaborative starts month(2) and ends the day before month(14) (see _create)
        (
            lambda: {"end_date": month(1)},
            "end_date",
            "The end date must be after the start date.",
        ),
        (lambda: {"end_date": month(2) + timedelta(days=9)}, "end_date", "at least four weeks"),
        (lambda: {"end_date": month(50)}, "end_date", "at most three years"),
        (lambda: {"enrolment_closes": month(-2)}, "enrolment_closes", "close after it opens"),
        (
            lambda: {"enrolment_closes": month(15)},
            "enrolment_closes",
            "before the collaborative ends",
        ),
        (lambda: {"timezone_name": "Mars/Olympus"}, "timezone", "Unknown time zone"),
        (lambda: {"learning_sessions": 20}, "learning_sessions", "too short"),
    ],
    ids=[
        "end-before-start",
        "too-short",
        "too-long",
        "closes-before-opens",
        "closes-after-end",
        "timezone",
        "sessions",
    ],
)
def test_bad_dates_are_refused_with_a_message_and_nothing_saved(
    tenant_a, overrides, field, message
):
    with pytest.raises(ValidationError) as info:
        _create(tenant_a, **overrides())
    assert message in " ".join(info.value.message_dict[field])
    assert not Collaborative.objects.filter(title="Weight in Kilograms Collaborative").exists()


def test_focus_area_of_another_program_is_refused(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as info:
        _create(tenant_a, focus_area=tenant_b.focus_area)
    assert "focus_area" in info.value.message_dict


def test_focus_areas_are_deduplicated_ignoring_case(tenant_a):
    area = services.focus_area_get_or_create(
        program=tenant_a.program, name="  Suicide   screening ", actor=tenant_a.staff
    )
    again = services.focus_area_get_or_create(
        program=tenant_a.program, name="suicide screening", actor=tenant_a.staff
    )
    assert area == again
    assert area.name == "Suicide screening"
    assert FocusArea.objects.filter(program=tenant_a.program).count() == 2


def test_update_refuses_dates_that_would_strand_phases(tenant_a):
    c = _create(tenant_a)
    with pytest.raises(ValidationError) as info:
        services.collaborative_update(
            collaborative=c, actor=tenant_a.staff, end_date=month(12) - timedelta(days=1)
        )
    assert any("after the collaborative ends" in m for m in info.value.message_dict["start_date"])
    c.refresh_from_db()
    assert c.end_date == month(14) - timedelta(days=1)


def test_update_audits_changed_fields(tenant_a):
    c = _create(tenant_a)
    services.collaborative_update(collaborative=c, actor=tenant_a.staff, title="New title")
    event = AuditEvent.objects.get(verb="collaborative.updated")
    assert event.data == {"fields": ["title"]}


def test_phases_replace_is_all_or_nothing(tenant_a):
    c = _create(tenant_a)
    before = list(c.phases.values_list("name", "start_date"))
    start, second = c.start_date, month(3)  # 1 January and 1 February 2027 by default
    mid = start + timedelta(days=14)
    bad = [
        PhaseSpec(PhaseKind.PREWORK, "Prework", start, second),
        PhaseSpec(PhaseKind.LEARNING_SESSION, "Kickoff", mid, mid),
    ]
    with pytest.raises(ValidationError, match="Kickoff overlaps Prework"):
        services.phases_replace(collaborative=c, actor=tenant_a.staff, phases=bad)
    assert list(c.phases.values_list("name", "start_date")) == before

    after = second + timedelta(days=1)
    good = [
        PhaseSpec(PhaseKind.PREWORK, "Prework", start, second),
        PhaseSpec(PhaseKind.LEARNING_SESSION, "Kickoff", after, after),
    ]
    services.phases_replace(collaborative=c, actor=tenant_a.staff, phases=good)
    assert list(c.phases.values_list("name", flat=True)) == ["Prework", "Kickoff"]


def test_lifecycle_moves_in_order_and_audits(tenant_a):
    c = _create(
        tenant_a,
        enrolment_closes=timezone.localdate() + timedelta(days=30),
        enrolment_opens=timezone.localdate(),
    )
    for target in ("recruiting", "active", "closed", "community"):
        services.collaborative_transition(collaborative=c, actor=tenant_a.staff, target=target)
    c.refresh_from_db()
    assert c.status == "community"
    moves = list(
        AuditEvent.objects.filter(verb="collaborative.status_changed")
        .order_by("id")
        .values_list("data__from", "data__to")
    )
    assert moves == [
        ("draft", "recruiting"),
        ("recruiting", "active"),
        ("active", "closed"),
        ("closed", "community"),
    ]


@pytest.mark.parametrize(
    ("status", "target", "message"),
    [
        ("draft", "active", "A collaborative that is draft cannot become active."),
        ("community", "active", "cannot become active"),
        ("closed", "recruiting", "cannot become recruiting"),
    ],
)
def test_illegal_transitions_are_refused(tenant_a, status, target, message):
    c = _create(tenant_a)
    Collaborative.objects.filter(pk=c.pk).update(status=status)
    c.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        services.collaborative_transition(collaborative=c, actor=tenant_a.staff, target=target)
    c.refresh_from_db()
    assert c.status == status


def test_opening_enrolment_needs_dates_window_and_phases(tenant_a):
    c = _create(tenant_a, start_date=None, end_date=None, enrolment_closes=None)
    with pytest.raises(ValidationError) as info:
        services.collaborative_transition(
            collaborative=c, actor=tenant_a.staff, target="recruiting"
        )
    assert info.value.messages == [
        "Set the start and end dates before opening enrolment.",
        "Set the date enrolment closes before opening it.",
        "Plan the phases before opening enrolment.",
    ]


def test_closed_enrolment_window_blocks_opening(tenant_a):
    c = _create(
        tenant_a,
        enrolment_opens=None,  # a collaborative of last year (2025 on the default day)
        enrolment_closes=month(-22),
        start_date=month(-22) + timedelta(days=1),
        end_date=month(-10) - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="already closed"):
        services.collaborative_transition(
            collaborative=c, actor=tenant_a.staff, target="recruiting"
        )


def test_copy_shifts_the_calendar_and_runs_registered_steps(tenant_a):
    source = _create(
        tenant_a,
        focus_area=tenant_a.focus_area,
        summary="Weigh in kg",
        eligible_facility_types=["community_ed"],
    )
    Collaborative.objects.filter(pk=source.pk).update(status="closed")
    seen = []

    @copy_step("test-step")
    def record(src, target, shift_days):
        seen.append((src.pk, target.pk, shift_days))

    new_start = month(14)  # a year after the source: January 2028 on the default day
    try:
        copy = services.collaborative_copy(
            source=source, actor=tenant_a.staff, title="Kilograms 2028", start_date=new_start
        )
    finally:
        from collaboratives import copying

        copying._STEPS[:] = [s for s in copying._STEPS if s[0] != "test-step"]
    shift = (new_start - month(2)).days
    assert copy.status == "draft"
    assert copy.copied_from == source
    assert (copy.start_date, copy.end_date) == (
        new_start,
        month(14) - timedelta(days=1) + timedelta(days=shift),
    )
    assert copy.enrolment_closes == month(1) + timedelta(days=14 + shift)
    assert (copy.summary, copy.focus_area, copy.eligible_facility_types) == (
        "Weigh in kg",
        tenant_a.focus_area,
        ["community_ed"],
    )
    src_phases = list(source.phases.order_by("start_date"))
    new_phases = list(copy.phases.order_by("start_date"))
    assert [p.name for p in new_phases] == [p.name for p in src_phases]
    assert all(
        (n.start_date - s.start_date).days == shift
        for n, s in zip(new_phases, src_phases, strict=True)
    )
    assert seen == [(source.pk, copy.pk, shift)]
    assert "phases" in registered_copy_steps()
    event = AuditEvent.objects.get(verb="collaborative.copied")
    assert event.data["shift_days"] == shift


def test_copy_without_dates_is_refused(tenant_a):
    source = _create(tenant_a, start_date=None, end_date=None, enrolment_closes=None)
    with pytest.raises(ValidationError):
        services.collaborative_copy(
            source=source, actor=tenant_a.staff, title="X", start_date=month(14)
        )
    assert Phase.objects.filter(collaborative__title="X").count() == 0
