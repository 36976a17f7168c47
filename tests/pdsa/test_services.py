"""PDSA services: stage rules, dates, history, soft delete and restore, ramps, sharing,
comments with their e-mails, diagram edits and the change package."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from pdsa import services
from pdsa.models import (
    ChangeIdea,
    ChangePackageItem,
    CommentReceipt,
    Cycle,
    CycleRevision,
    Driver,
    Stage,
)
from pdsa.selectors import (
    cycles_waiting_for_feedback,
    driver_tree,
    ramp_of,
    shared_ramps_for,
    stalled_cycles,
)
from pdsa.stages import FIELD_LABELS
from tests.clock import month

from .helpers import act, add_member, do, make_cycle, make_driver, make_idea, plan, study

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(tenant_a):
    return make_idea(tenant_a.team)


# --- stages ------------------------------------------------------------------------------


def test_a_draft_saves_with_only_a_title_and_a_change_idea(tenant_a, idea):
    cycle = services.cycle_create(
        team=tenant_a.team, actor=tenant_a.member, values={"title": "Try", "change_idea": idea}
    )
    assert cycle.stage == Stage.PLAN
    assert cycle.program_id == tenant_a.program.pk and cycle.team_id == tenant_a.team.pk
    assert cycle.plan_date is None  # no date is made up: the team gives it to move on


def _day(d) -> str:
    return f"{d.day} {d:%B %Y}"


@pytest.mark.parametrize(
    ("stage", "field", "values"),
    [(Stage.DO, "do_date", do), (Stage.STUDY, "study_date", study), (Stage.ACT, "act_date", act)],
)
def test_dates_of_what_happened_cannot_be_in_the_future(tenant_a, idea, stage, field, values):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=stage)
    today = timezone.localdate()
    ahead = today + timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_update(cycle=cycle, actor=tenant_a.member, values={**values(), field: ahead})
    assert excinfo.value.message_dict[field] == [
        f"{FIELD_LABELS[field]} ({_day(ahead)}) is in the future: it records what happened, "
        f"so give a day up to today ({_day(today)})."
    ]
    cycle.refresh_from_db()
    assert getattr(cycle, field) is None
    # Today is fine.
    saved = services.cycle_update(
        cycle=cycle, actor=tenant_a.member, values={**values(), field: today}
    )
    assert getattr(saved, field) == today


def test_a_cycle_completed_today_is_not_dated_by_a_future_decision(tenant_a, idea):
    """On 6 December an act date of 9 December used to make "Completed 9 December"."""
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.ACT)
    ahead = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_update(
            cycle=cycle,
            actor=tenant_a.member,
            values={**act(), "act_date": ahead},
            advance_to=Stage.COMPLETE,
        )
    assert "act_date" in excinfo.value.message_dict
    cycle.refresh_from_db()
    assert (cycle.stage, cycle.completed_date) == (Stage.ACT, None)


def test_a_plan_may_be_dated_ahead_until_the_cycle_moves_on(tenant_a, idea):
    today = timezone.localdate()
    ahead = today + timedelta(days=5)
    cycle = services.cycle_create(
        team=tenant_a.team,
        actor=tenant_a.member,
        values={**plan(), "change_idea": idea, "plan_date": ahead},
    )
    assert cycle.plan_date == ahead  # a plan for a test meant to start later
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_update(cycle=cycle, actor=tenant_a.member, values={}, advance_to=Stage.DO)
    assert excinfo.value.message_dict["plan_date"] == [
        f"Date planned ({_day(ahead)}) is in the future, but the cycle is at Do, so its plan "
        f"is already under way: give a day up to today ({_day(today)})."
    ]
    with pytest.raises(ValidationError, match="is in the future"):
        services.cycle_create(
            team=tenant_a.team,
            actor=tenant_a.member,
            values={**plan(), "change_idea": idea, "plan_date": ahead},
            advance_to=Stage.DO,
        )
    cycle = services.cycle_update(
        cycle=cycle, actor=tenant_a.member, values={"plan_date": today}, advance_to=Stage.DO
    )
    assert cycle.stage == Stage.DO


def test_moving_on_names_every_missing_field_and_saves_nothing(tenant_a, idea):
    cycle = services.cycle_create(
        team=tenant_a.team,
        actor=tenant_a.member,
        values={"title": "Try", "change_idea": idea, "objective": "x"},
    )
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_update(
            cycle=cycle, actor=tenant_a.member, values={"questions": "q"}, advance_to=Stage.DO
        )
    message = excinfo.value.message_dict["stage"][0]
    assert message == (
        "To move to Do, first fill in Plan: predictions, who, what, when and where, date planned."
    )
    cycle.refresh_from_db()
    assert cycle.stage == Stage.PLAN and cycle.questions == ""


def test_a_stage_jump_needs_the_fields_of_every_skipped_stage(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_update(cycle=cycle, actor=tenant_a.member, values={}, advance_to=Stage.STUDY)
    assert "Do: date the test ran, what happened" in excinfo.value.message_dict["stage"][0]
    cycle = services.cycle_update(cycle=cycle, actor=tenant_a.member, values={}, advance_to="do")
    cycle = services.cycle_update(
        cycle=cycle, actor=tenant_a.member, values=do(), advance_to=Stage.STUDY
    )
    assert cycle.stage == Stage.STUDY


def test_fields_of_a_later_stage_are_refused(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_update(cycle=cycle, actor=tenant_a.member, values={"learned": "x"})
    assert "later stage" in excinfo.value.message_dict["learned"][0]


def test_a_cycle_does_not_go_back_a_stage(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.STUDY)
    with pytest.raises(ValidationError, match="does not go back"):
        services.cycle_update(cycle=cycle, actor=tenant_a.member, values={}, advance_to="plan")


def test_dates_must_be_in_order(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.DO)
    planned = plan()["plan_date"]
    ran = planned - timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_update(
            cycle=cycle,
            actor=tenant_a.member,
            values={"do_date": ran},
        )
    assert excinfo.value.message_dict["do_date"] == [  # "(1 May 2026) ... (4 May 2026)"
        f"Date the test ran ({ran.day} {ran:%B %Y}) cannot be before date planned"
        f" ({planned.day} {planned:%B %Y})."
    ]


def test_completing_sets_the_completed_date_and_waits_for_feedback(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.COMPLETE)
    assert cycle.stage == Stage.COMPLETE
    assert cycle.completed_date == timezone.localdate()
    assert cycle.decision == "adapt"
    assert cycle.awaiting_feedback_since is not None


def test_change_idea_of_another_team_or_tenant_is_refused(tenant_a, tenant_b):
    foreign = make_idea(tenant_a.other_team, title="Other team's idea")
    other_tenant = make_idea(tenant_b.team, title="Other tenant's idea")
    for bad in (foreign, other_tenant):
        with pytest.raises(ValidationError) as excinfo:
            services.cycle_create(
                team=tenant_a.team,
                actor=tenant_a.member,
                values={"title": "Try", "change_idea": bad},
            )
        assert "your team's change ideas" in excinfo.value.message_dict["change_idea"][0]
    assert not Cycle.objects.filter(team=tenant_a.team).exists()


def test_retired_change_idea_cannot_get_new_cycles(tenant_a, idea):
    services.change_idea_set_retired(idea=idea, actor=tenant_a.lead, retired=True)
    with pytest.raises(ValidationError, match="was retired"):
        services.cycle_create(
            team=tenant_a.team, actor=tenant_a.member, values={"title": "x", "change_idea": idea}
        )


# --- history -----------------------------------------------------------------------------


def test_every_save_keeps_who_when_which_fields_and_old_values(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member)
    services.cycle_update(
        cycle=cycle, actor=tenant_a.lead, values={"objective": "A sharper objective"}
    )
    newest = CycleRevision.objects.filter(cycle=cycle).first()
    assert newest.revised_by == tenant_a.lead
    assert newest.changes == {"objective": [plan()["objective"], "A sharper objective"]}
    assert AuditEvent.objects.filter(verb="pdsa_cycle.updated", target_id=str(cycle.public_id))


def test_saving_without_changes_writes_no_revision(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member)
    before = CycleRevision.objects.filter(cycle=cycle).count()
    services.cycle_update(cycle=cycle, actor=tenant_a.member, values={"title": plan()["title"]})
    assert CycleRevision.objects.filter(cycle=cycle).count() == before


def test_autosaves_by_one_person_merge_into_one_revision(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member)
    before = CycleRevision.objects.filter(cycle=cycle).count()
    for text in ("Ni", "Nine", "Nine of ten"):
        services.cycle_update(
            cycle=cycle, actor=tenant_a.member, values={"questions": text}, autosave=True
        )
    revisions = CycleRevision.objects.filter(cycle=cycle)
    assert revisions.count() == before + 1
    assert revisions.first().changes == {"questions": ["", "Nine of ten"]}
    services.cycle_update(
        cycle=cycle, actor=tenant_a.lead, values={"questions": "Lead's text"}, autosave=True
    )
    assert revisions.count() == before + 2


def test_aim_revisions_keep_old_values(tenant_a):
    services.aim_save(team=tenant_a.team, actor=tenant_a.lead, statement="First aim", what="kg")
    aim = services.aim_save(
        team=tenant_a.team, actor=tenant_a.lead, statement="95% weighed in kg", what="kg"
    )
    newest = aim.revisions.first()
    assert newest.changes == {"statement": ["First aim", "95% weighed in kg"]}
    assert aim.revisions.count() == 2
    assert aim.missing_parts == ["how much", "by when", "for whom"]


# --- delete and restore --------------------------------------------------------------------


def test_soft_delete_hides_and_staff_restore_brings_everything_back(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.DO)
    services.cycle_soft_delete(cycle=cycle, actor=tenant_a.member)
    assert Cycle.objects.filter(pk=cycle.pk, deleted_at__isnull=False).exists()
    assert ramp_of(change_idea=idea).cycles == []
    with pytest.raises(ValidationError, match="deleted"):
        services.cycle_update(cycle=cycle, actor=tenant_a.member, values={"objective": "x"})
    services.cycle_restore(cycle=cycle, actor=tenant_a.staff)
    cycle.refresh_from_db()
    assert cycle.deleted_at is None and cycle.what_happened == ""
    assert cycle.revisions.count() == 2
    verbs = set(
        AuditEvent.objects.filter(target_id=str(cycle.public_id)).values_list("verb", flat=True)
    )
    assert {"pdsa_cycle.deleted", "pdsa_cycle.restored"} <= verbs


# --- ramps and sharing ---------------------------------------------------------------------


def test_ramp_orders_cycles_by_chain_and_lists_scales(tenant_a, idea):
    first = make_cycle(
        tenant_a.team, idea, author=tenant_a.member, stage="complete", scale="one_patient"
    )
    second = make_cycle(
        tenant_a.team,
        idea,
        author=tenant_a.member,
        stage="complete",
        builds_on=first,
        scale="one_shift",
        title="Second",
    )
    third = make_cycle(
        tenant_a.team,
        idea,
        author=tenant_a.member,
        builds_on=second,
        scale="whole_unit",
        title="Third",
    )
    ramp = ramp_of(change_idea=idea)
    assert [c.pk for c in ramp.cycles] == [first.pk, second.pk, third.pk]
    assert ramp.scales == [
        "One patient",
        "One shift or one clinician",
        "The whole unit, every shift",
    ]
    assert not ramp.is_complete


def test_builds_on_must_be_the_same_team_and_change_idea(tenant_a, idea):
    other_idea = make_idea(tenant_a.team, title="Another idea")
    earlier = make_cycle(tenant_a.team, other_idea, author=tenant_a.member)
    with pytest.raises(ValidationError, match="same change idea"):
        make_cycle(tenant_a.team, idea, author=tenant_a.member, builds_on=earlier)
    foreign = make_cycle(tenant_a.other_team, make_idea(tenant_a.other_team), author=tenant_a.lead)
    with pytest.raises(ValidationError, match="your team's cycles"):
        make_cycle(tenant_a.team, idea, author=tenant_a.member, builds_on=foreign)


def test_a_cycle_cannot_build_on_a_cycle_that_follows_it(tenant_a, idea):
    first = make_cycle(tenant_a.team, idea, author=tenant_a.member)
    second = make_cycle(tenant_a.team, idea, author=tenant_a.member, builds_on=first)
    with pytest.raises(ValidationError, match="cannot build on itself"):
        services.cycle_update(cycle=first, actor=tenant_a.member, values={"builds_on": second})


def test_only_a_completed_ramp_can_be_shared_and_only_within_the_collaborative(
    tenant_a, tenant_b, idea
):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.ACT)
    with pytest.raises(ValidationError, match="Still open: Weigh in kg"):
        services.ramp_share(change_idea=idea, actor=tenant_a.lead, include_notes=False)
    services.cycle_update(cycle=cycle, actor=tenant_a.member, values=act(), advance_to="complete")
    services.ramp_share(change_idea=idea, actor=tenant_a.lead, include_notes=False)
    assert list(shared_ramps_for(team=tenant_a.other_team)) == [idea]
    assert list(shared_ramps_for(team=tenant_a.team)) == []  # not one's own
    assert idea not in shared_ramps_for(team=tenant_b.team)
    services.ramp_unshare(change_idea=idea, actor=tenant_a.lead)
    assert list(shared_ramps_for(team=tenant_a.other_team)) == []


# --- comments ------------------------------------------------------------------------------


def test_coach_comment_emails_the_team_and_ends_the_wait(
    tenant_a, idea, django_capture_on_commit_callbacks
):
    sponsor = add_member(tenant_a)
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.STUDY)
    assert cycle in cycles_waiting_for_feedback(user=tenant_a.coach)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(
            cycle=cycle,
            actor=tenant_a.coach,
            body="Try nights <b>next</b>",
            stage="do",
            by_coach=True,
        )
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([tenant_a.lead.email, tenant_a.member.email])
    assert sponsor.email not in recipients
    message = mail.outbox[0]
    assert "commented on “Weigh in kg on the night shift”" in message.subject
    html = message.alternatives[0][0]
    assert "Try nights &lt;b&gt;next&lt;/b&gt;" in html and "<b>next</b>" not in html
    assert set(CommentReceipt.objects.filter(comment=comment).values_list("user", flat=True)) == {
        tenant_a.lead.pk,
        tenant_a.member.pk,
    }
    assert cycle not in cycles_waiting_for_feedback(user=tenant_a.coach)
    assert OutboundEmail.objects.filter(dedupe_key__startswith="pdsa-comment:").count() == 2


def test_a_team_reply_reaches_the_coach_but_does_not_end_the_wait(
    tenant_a, idea, django_capture_on_commit_callbacks
):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage=Stage.STUDY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(cycle=cycle, actor=tenant_a.member, body="Thanks", by_coach=False)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [tenant_a.coach.email, tenant_a.lead.email]
    )
    assert cycle in cycles_waiting_for_feedback(user=tenant_a.coach)


def test_empty_comment_and_comment_on_a_future_stage_are_refused(tenant_a, idea):
    cycle = make_cycle(tenant_a.team, idea, author=tenant_a.member)
    with pytest.raises(ValidationError, match="Write the comment"):
        services.comment_create(cycle=cycle, actor=tenant_a.coach, body="  ", by_coach=True)
    with pytest.raises(ValidationError, match="reached"):
        services.comment_create(
            cycle=cycle, actor=tenant_a.coach, body="x", stage="study", by_coach=True
        )


def test_stalled_cycles_are_unfinished_and_untouched_for_30_days(tenant_a, tenant_b, idea):
    old = make_cycle(tenant_a.team, idea, author=tenant_a.member, title="Old")
    fresh = make_cycle(tenant_a.team, idea, author=tenant_a.member, title="Fresh")
    done = make_cycle(tenant_a.team, idea, author=tenant_a.member, stage="complete", title="Done")
    Cycle.objects.filter(pk__in=[old.pk, done.pk]).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    assert list(stalled_cycles(user=tenant_a.coach)) == [old]
    assert fresh not in stalled_cycles(user=tenant_a.staff)
    assert list(stalled_cycles(user=tenant_b.coach)) == []
    assert list(stalled_cycles(user=tenant_a.member)) == []


# --- diagram and package -------------------------------------------------------------------


def test_driver_diagram_edits_add_rename_reorder_move_retire(tenant_a):
    team, lead = tenant_a.team, tenant_a.lead
    kg = services.driver_create(team=team, actor=lead, title="Weigh in kg")
    vitals = services.driver_create(team=team, actor=lead, title="Act on vital signs")
    scales = services.driver_create(team=team, actor=lead, title="Scales", parent=kg)
    idea = services.change_idea_create(team=team, actor=lead, title="Lock scale", driver=scales)
    services.driver_reorder(driver=vitals, actor=lead, direction="up")
    services.driver_update(driver=scales, actor=lead, title="Scales in kg", parent=vitals)
    tree = driver_tree(team=team)
    assert [n.driver.title for n in tree.primaries] == ["Act on vital signs", "Weigh in kg"]
    assert tree.primaries[0].secondaries[0].driver.title == "Scales in kg"
    assert tree.primaries[0].secondaries[0].ideas == [idea]
    services.driver_set_retired(driver=kg, actor=lead, retired=True)
    assert [n.driver.title for n in driver_tree(team=team).primaries] == ["Act on vital signs"]
    with pytest.raises(ValidationError, match="primary drivers"):
        services.driver_create(team=team, actor=lead, title="x", parent=scales)


def test_driver_and_idea_from_another_tenant_are_refused(tenant_a, tenant_b):
    foreign = make_driver(tenant_b.team)
    with pytest.raises(ValidationError):
        services.driver_create(team=tenant_a.team, actor=tenant_a.lead, title="x", parent=foreign)
    with pytest.raises(ValidationError):
        services.change_idea_create(
            team=tenant_a.team, actor=tenant_a.lead, title="x", driver=foreign
        )


def test_seeding_from_the_change_package_places_ideas_and_skips_repeats(tenant_a, tenant_b):
    team = tenant_a.team
    kg = services.driver_create(team=team, actor=tenant_a.lead, title="Weigh in kilograms")
    item = services.package_item_create(
        collaborative=tenant_a.collaborative,
        actor=tenant_a.staff,
        title="Kg-only scale",
        suggested_driver="weigh in kilograms",
    )
    created = services.change_ideas_seed(team=team, actor=tenant_a.member, items=[item])
    assert [(i.title, i.driver) for i in created] == [("Kg-only scale", kg)]
    assert services.change_ideas_seed(team=team, actor=tenant_a.member, items=[item]) == []
    foreign = ChangePackageItem.objects.create(
        program=tenant_b.program, collaborative=tenant_b.collaborative, title="B item"
    )
    with pytest.raises(ValidationError):
        services.change_ideas_seed(team=team, actor=tenant_a.member, items=[foreign])


def test_copying_a_collaborative_copies_its_current_change_package(tenant_a):
    from collaboratives.services import collaborative_copy

    services.package_item_create(
        collaborative=tenant_a.collaborative, actor=tenant_a.staff, title="Kg-only scale"
    )
    retired = services.package_item_create(
        collaborative=tenant_a.collaborative, actor=tenant_a.staff, title="Old idea"
    )
    services.package_item_set_retired(item=retired, actor=tenant_a.staff, retired=True)
    make_cycle(tenant_a.team, make_idea(tenant_a.team), author=tenant_a.member)
    copy = collaborative_copy(
        source=tenant_a.collaborative,
        actor=tenant_a.staff,
        title="2027",
        start_date=month(4),  # a year after the collaborative's start
    )
    titles = list(copy.change_package.values_list("title", flat=True))
    assert titles == ["Kg-only scale"]
    assert not ChangeIdea.objects.filter(team__collaborative=copy).exists()
    assert Driver.objects.filter(team__collaborative=copy).count() == 0
