"""Writes: data entry with its history, the submission workflow and its e-mails, soft
delete and restore, chart settings, the library, measure sets, periods and copies."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from collaboratives.services import collaborative_copy
from core import clock
from core.models import AuditEvent, OutboundEmail
from measures import services
from measures.models import (
    CollaborativeMeasure,
    DataKind,
    DataPoint,
    DataPointRevision,
    Measure,
    MeasureType,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
    TeamMeasure,
)
from measures.validation import Entry, entry_field
from tests.clock import label, month

pytestmark = pytest.mark.django_db


def D(x) -> Decimal:
    return Decimal(str(x))


def team_set(world):
    return [(world.m1, "required"), (world.los, "optional")]


def save(world, period, entries, *, actor=None, submit=False, narrative=None):
    return services.period_save(
        team=world.t.team,
        period=period,
        actor=actor or world.t.lead,
        entries=entries,
        narrative=narrative,
        submit=submit,
        team_set=team_set(world),
    )


def test_saving_a_period_keeps_every_value_and_its_history(world):
    result = save(world, world.may, {world.m1: Entry(D(7), D(10), note="Short month")})
    assert result.submission.status == SubmissionStatus.DRAFT
    point = DataPoint.objects.get(team=world.t.team, measure=world.m1, period=world.may)
    assert (point.numerator, point.denominator, point.note) == (7, 10, "Short month")

    save(world, world.may, {world.m1: Entry(D(9), D(10), note="Short month")}, actor=world.t.member)
    revisions = list(DataPointRevision.objects.filter(data_point=point).order_by("changed_at"))
    assert [r.action for r in revisions] == ["created", "updated"]
    assert revisions[1].old_numerator == 7 and revisions[1].new_numerator == 9
    assert revisions[1].changed_by == world.t.member


def test_saving_the_same_numbers_again_writes_nothing(world):
    save(world, world.may, {world.m1: Entry(D(7), D(10))})
    before = (DataPointRevision.objects.count(), AuditEvent.objects.count())
    result = save(world, world.may, {world.m1: Entry(D(7), D(10))})
    assert result.changed == 0
    assert (DataPointRevision.objects.count(), AuditEvent.objects.count()) == before


def test_one_wrong_number_refuses_the_whole_save(world):
    with pytest.raises(ValidationError) as error:
        save(world, world.may, {world.m1: Entry(D(12), D(10)), world.los: Entry(value=D(180))})
    assert entry_field(world.m1, "numerator") in error.value.message_dict
    assert not DataPoint.objects.filter(period=world.may).exists()


def test_a_blanked_value_is_soft_deleted_and_staff_restore_it(world):
    save(world, world.may, {world.m1: Entry(D(7), D(10))})
    save(world, world.may, {world.m1: Entry()})
    point = DataPoint.objects.get(team=world.t.team, measure=world.m1, period=world.may)
    assert point.deleted_at is not None and point.numerator == 7
    services.data_point_restore(data_point=point, actor=world.t.staff)
    point.refresh_from_db()
    assert point.deleted_at is None
    actions = list(point.revisions.order_by("changed_at").values_list("action", flat=True))
    assert actions == ["created", "deleted", "restored"]


def test_submitting_needs_every_required_value_or_a_note(world):
    with pytest.raises(ValidationError) as error:
        save(world, world.may, {world.los: Entry(value=D(180))}, submit=True)
    message = error.value.message_dict[entry_field(world.m1, "numerator")][0]
    assert "Weight in kg is required" in message
    # all or nothing: the refused submission saved nothing either
    assert not Submission.objects.filter(team=world.t.team, period=world.may).exists()

    result = save(
        world, world.may, {world.m1: Entry(note="No charts sampled: EHR down")}, submit=True
    )
    assert result.submitted


def test_submitting_tells_the_teams_coaches_by_email(world):
    save(world, world.may, {world.m1: Entry(D(7), D(10))}, submit=True)
    submission = Submission.objects.get(team=world.t.team, period=world.may)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == world.t.lead
    mails = OutboundEmail.objects.filter(to_email=world.t.coach.email)
    assert mails.count() == 1
    mail = mails.get()
    assert f"submitted {label(world.may.start)}" in mail.subject
    assert (
        f"/teams/{world.t.team.public_id}/measures/periods/{world.may.public_id}/" in mail.body_text
    )
    assert AuditEvent.objects.filter(verb="submission.submitted").exists()


def test_a_submitted_period_is_closed_to_the_team_but_staff_correct_it(world):
    save(world, world.may, {world.m1: Entry(D(7), D(10))}, submit=True)
    with pytest.raises(ValidationError, match="already submitted"):
        save(world, world.may, {world.m1: Entry(D(8), D(10))})
    save(world, world.may, {world.m1: Entry(D(8), D(10))}, actor=world.t.staff)
    point = DataPoint.objects.get(team=world.t.team, measure=world.m1, period=world.may)
    assert point.numerator == 8
    assert point.revisions.filter(changed_by=world.t.staff, old_numerator=7).exists()


def test_review_and_return_with_a_comment(world):
    save(world, world.may, {world.m1: Entry(D(7), D(10))}, submit=True)
    submission = Submission.objects.get(team=world.t.team, period=world.may)
    with pytest.raises(ValidationError, match="Say what the team should change"):
        services.submission_review(submission=submission, actor=world.t.coach, decision="returned")
    services.submission_review(
        submission=submission,
        actor=world.t.coach,
        decision="returned",
        comment="May's denominator looks like April's <again>",
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    notice = OutboundEmail.objects.get(to_email=world.t.lead.email, subject__contains="returned")
    assert "May's denominator looks like April's <again>" in notice.body_text
    assert "&lt;again&gt;" in notice.body_html  # user text is escaped in the HTML part

    # The team corrects it and submits again; the coach marks it reviewed.
    save(world, world.may, {world.m1: Entry(D(6), D(10))}, submit=True)
    submission.refresh_from_db()
    services.submission_review(submission=submission, actor=world.t.coach, decision="reviewed")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REVIEWED
    assert submission.reviewed_by == world.t.coach
    with pytest.raises(ValidationError, match="only a submitted period"):
        services.submission_review(submission=submission, actor=world.t.coach, decision="reviewed")


def test_values_cannot_be_entered_for_periods_that_have_not_started(world):
    future = ReportingPeriod.objects.filter(collaborative=world.t.collaborative).order_by("-start")[
        0
    ]
    assert future.start > clock.today()
    with pytest.raises(ValidationError, match="has not started yet"):
        save(world, future, {world.m1: Entry(D(1), D(2))})


def test_chart_settings_are_audited_with_before_and_after(world):
    august = month(-3).isoformat()  # 2026-08-01 on the suite's default day
    services.chart_settings_update(
        team=world.t.team,
        measure=world.m1,
        actor=world.t.coach,
        chart_type="control",
        baseline_end=world.may.start + timedelta(days=19),  # 20 May: stored as its month
        phases=[{"start": august, "label": "Kilogram-only scale"}],
    )
    tm = TeamMeasure.objects.get(team=world.t.team, measure=world.m1)
    assert tm.baseline_end == world.may.start
    assert tm.phases == [{"start": august, "label": "Kilogram-only scale"}]
    event = AuditEvent.objects.get(verb="chart_settings.changed")
    assert event.actor == world.t.coach
    assert event.data["after"]["chart_type"] == "control"
    with pytest.raises(ValidationError, match="same month"):
        services.chart_settings_update(
            team=world.t.team,
            measure=world.m1,
            actor=world.t.coach,
            chart_type="run",
            baseline_end=None,
            phases=[{"start": august}, {"start": august}],
        )


def test_library_rules(world):
    with pytest.raises(ValidationError) as error:
        services.measure_create(
            program=world.t.program,
            actor=world.t.staff,
            name="Steroid given",
            measure_type=MeasureType.PROCESS,
            data_kind=DataKind.PROPORTION,
            target=Decimal(120),
        )
    assert set(error.value.message_dict) == {"denominator_definition", "target"}
    with pytest.raises(ValidationError, match="kind of data cannot change"):
        services.measure_update(measure=world.m1, actor=world.t.staff, data_kind=DataKind.COUNT)
    services.measure_update(measure=world.m1, actor=world.t.staff, target=Decimal(90))
    world.m1.refresh_from_db()
    assert world.m1.target == 90


def test_a_teams_own_measure_is_selected_for_the_team(world):
    measure = services.custom_measure_create(
        team=world.t.team,
        actor=world.t.member,
        name="Huddles held",
        measure_type=MeasureType.PROCESS,
        data_kind=DataKind.COUNT,
    )
    assert measure.team == world.t.team and measure.collaborative == world.t.collaborative
    assert TeamMeasure.objects.get(team=world.t.team, measure=measure).is_selected


def test_periods_are_generated_once_with_baseline_months(world):
    collaborative = world.t.collaborative
    created = services.periods_generate(
        collaborative=collaborative, actor=world.t.staff, baseline_months=3
    )
    assert created == 3  # the three months before the start were missing (Dec 2025 to Feb 2026)
    assert (
        services.periods_generate(
            collaborative=collaborative, actor=world.t.staff, baseline_months=3
        )
        == 0
    )
    first = ReportingPeriod.objects.filter(collaborative=collaborative).order_by("start")[0]
    assert first.start == month(-11)
    assert first.due_date == month(-10).replace(day=15)
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.period_delete(period=world.april, actor=world.t.staff)


def test_copying_a_collaborative_brings_its_measure_set_and_shifted_periods(world):
    source = world.t.collaborative
    copy = collaborative_copy(
        source=source,
        actor=world.t.staff,
        title="Readiness 2027",
        start_date=month(4),  # a year after the source (March 2027 on the default day)
    )
    assert list(
        CollaborativeMeasure.objects.filter(collaborative=copy).values_list(
            "measure__code", "requirement"
        )
    ) == [("M1", "required"), ("M9", "optional")]
    periods = list(ReportingPeriod.objects.filter(collaborative=copy).order_by("start"))
    assert periods[0].start == month(4)
    assert periods[0].due_date == month(5).replace(day=15)
    assert len(periods) == ReportingPeriod.objects.filter(collaborative=source).count()
    assert not Measure.objects.filter(collaborative=copy).exists()  # teams' own stay behind
