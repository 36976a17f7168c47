"""PDSA pages: every view per access level, and what people see when they use them."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import clock
from core.models import AuditEvent, OutboundEmail
from pdsa import services
from pdsa.models import Attachment, Cycle, Stage
from teams.models import CoachAssignment, TeamMembership, TeamRole
from tests.clock import month
from tests.factories import TeamFactory, UserFactory

from .helpers import act, add_member, client_for, make_cycle, make_idea
from .tenant_builder import png_bytes

pytestmark = pytest.mark.django_db


def _url(w, name):
    t = {"team_id": w.team.public_id}
    c = {**t, "cycle_id": w.cycle.public_id}
    kwargs = {
        "cycle_list": t,
        "cycle_create": t,
        "deleted_cycles": t,
        "cycle_detail": c,
        "cycle_edit": c,
        "cycle_history": c,
        "cycle_delete": c,
        "cycle_restore": c,
        "comment_add": c,
        "attachment_add": c,
        "attachment": {**c, "attachment_id": w.attachment.public_id},
        "ramps": t,
        "ramp_detail": {**t, "change_idea_id": w.done_idea.public_id},
        "ramp_share": {**t, "change_idea_id": w.done_idea.public_id},
        "shared_ramps": t,
        "aim": t,
        "drivers": t,
        "diagram_svg": t,
        "seed": t,
        "driver_edit": {**t, "driver_id": w.primary.public_id},
        "driver_action": {**t, "driver_id": w.primary.public_id},
        "change_idea_edit": {**t, "change_idea_id": w.idea.public_id},
        "change_idea_action": {**t, "change_idea_id": w.idea.public_id},
        "change_package": {"collaborative_id": w.a.collaborative.public_id},
        "package_item": {
            "collaborative_id": w.a.collaborative.public_id,
            "package_item_id": w.item.public_id,
        },
        "review": {},
    }[name]
    return reverse(f"pdsa:{name}", kwargs=kwargs)


#: Admins hold the staff role's powers, and other tenants are walked by the isolation
#: guard (tests/test_isolation.py), so the matrix keeps its requests to the people
#: whose answers differ here.
EVERYONE_IN_TEAM = ("staff", "coach", "lead", "member", "sponsor")
TEAM_EDITORS = ("lead", "member")
NOBODY_ELSE = ("outsider", "other_team")


def _expect(ok: tuple, forbidden: tuple, hidden=NOBODY_ELSE) -> dict:
    expected = {p: 200 for p in ok}
    expected.update({p: 403 for p in forbidden})
    expected.update({p: 404 for p in hidden})
    return expected


GET_MATRIX = {
    **{
        page: _expect(EVERYONE_IN_TEAM, ())
        for page in (
            "cycle_list",
            "cycle_detail",
            "cycle_history",
            "ramps",
            "ramp_detail",
            "shared_ramps",
            "aim",
            "drivers",
            "diagram_svg",
            "attachment",
        )
    },
    "cycle_create": _expect(TEAM_EDITORS, ("staff", "coach", "sponsor")),
    "cycle_edit": _expect(TEAM_EDITORS, ("staff", "coach", "sponsor")),
    "cycle_delete": _expect(TEAM_EDITORS, ("staff", "coach", "sponsor")),
    "deleted_cycles": _expect(("admin", "staff"), ("coach", "lead", "member", "sponsor")),
    "driver_edit": _expect(("lead",), ("staff", "coach", "member", "sponsor")),
    "change_idea_edit": _expect(TEAM_EDITORS, ("staff", "coach", "sponsor")),
    "seed": _expect(TEAM_EDITORS, ("staff", "coach", "sponsor")),
    "change_package": _expect((*EVERYONE_IN_TEAM, "other_team"), (), hidden=("outsider",)),
    "package_item": _expect(
        ("admin", "staff"),
        ("coach", "lead", "member", "sponsor", "other_team"),
        hidden=("outsider",),
    ),
    "review": _expect(
        ("admin", "staff", "coach"), ("lead", "member", "sponsor", "outsider", "other_team"), ()
    ),
}


def _mismatches(world, method: str, page: str, expected: dict, data=None) -> dict:
    """persona -> (expected, got) for every persona that got another status."""
    wrong = {}
    for persona, status in expected.items():
        client = client_for(world.people[persona])
        url = _url(world, page)
        response = client.get(url) if method == "get" else client.post(url, data or {})
        if response.status_code != status:
            wrong[persona] = (status, response.status_code)
    return wrong


@pytest.mark.parametrize("page", GET_MATRIX)
def test_every_page_per_access_level(world, page):
    assert _mismatches(world, "get", page, GET_MATRIX[page]) == {}


#: page -> (form data, personas allowed (302), personas refused (403)). Refused
#: personas are tried first, so that an allowed action cannot hide a refusal.
POST_MATRIX = {
    "comment_add": (
        lambda w: {"body": "Looks good"},
        ("coach", "staff", "lead", "member"),
        ("sponsor",),
    ),
    "attachment_add": (lambda w: {}, ("lead", "member"), ("coach", "staff", "sponsor")),
    "ramp_share": (lambda w: {"include_notes": ""}, ("lead",), ("member", "coach", "staff")),
    "cycle_restore": (lambda w: {}, ("staff", "admin"), ("lead", "member", "coach")),
    "driver_action": (lambda w: {"action": "up"}, ("lead",), ("member", "coach", "staff")),
    "change_idea_action": (
        lambda w: {"action": "down"},
        TEAM_EDITORS,
        ("coach", "staff", "sponsor"),
    ),
    "attachment": (lambda w: {}, ("lead",), ("coach", "staff", "sponsor")),
    "aim": (lambda w: {"statement": "95% in kg"}, ("lead",), ("member", "coach", "staff")),
    "cycle_edit": (
        lambda w: {"editing_stage": "plan", "title": "x", "change_idea": w.idea.public_id},
        TEAM_EDITORS,
        ("coach", "staff", "sponsor"),
    ),
    "cycle_create": (lambda w: {"title": "x"}, (), ("coach", "staff", "sponsor", "admin")),
    "driver_edit": (lambda w: {"title": "Renamed"}, ("lead",), ("member", "coach")),
    "change_package": (lambda w: {"title": "New"}, ("staff",), ("coach", "lead")),
    "package_item": (lambda w: {"title": "Renamed"}, ("staff",), ("coach", "lead")),
}


@pytest.mark.parametrize("page", POST_MATRIX)
def test_every_action_per_access_level(world, page):
    make_data, allowed, refused = POST_MATRIX[page]
    expected = {p: 403 for p in refused}
    expected["outsider"] = 404
    if page not in ("change_package", "package_item"):
        expected["other_team"] = 404
    expected.update({p: 302 for p in allowed})
    assert _mismatches(world, "post", page, expected, make_data(world)) == {}


def test_drivers_page_adds_drivers_for_the_lead_and_ideas_for_members(world):
    url = _url(world, "drivers")
    member, lead = client_for(world.a.member), client_for(world.a.lead)
    assert member.post(url, {"kind": "driver", "driver-title": "x"}).status_code == 403
    response = lead.post(url, {"kind": "driver", "driver-title": "Staff know why kg matter"})
    assert response.status_code == 302
    response = member.post(url, {"kind": "idea", "idea-title": "Huddle script"}, follow=True)
    assert "Change idea “Huddle script” added." in response.content.decode()
    page = lead.get(url).content.decode()
    assert "Staff know why kg matter" in page and "<svg" in page
    assert (
        client_for(world.a.coach).post(url, {"kind": "idea", "idea-title": "x"}).status_code == 403
    )


# --- logging a cycle ---------------------------------------------------------------------


def test_member_logs_a_plan_and_moves_it_to_do(world):
    client = client_for(world.a.member)
    response = client.post(
        _url(world, "cycle_create"),
        {
            "title": "Kg card at triage",
            "change_idea": world.idea.public_id,
            "objective": "Check the card helps",
            "predictions": "8 of 10",
            "plan_details": "Day triage nurse",
            "plan_date": month(-5).isoformat(),  # June 2026 on the suite's default day
            "action": "advance",
        },
        follow=True,
    )
    cycle = Cycle.objects.get(title="Kg card at triage")
    assert cycle.stage == Stage.DO and cycle.created_by == world.a.member
    page = response.content.decode()
    assert "Plan saved and the cycle moved to Do." in page
    assert "Fill in Do" in page


def test_moving_on_with_missing_fields_keeps_the_text_and_names_the_fields(world):
    client = client_for(world.a.member)
    url = _url(world, "cycle_edit")
    response = client.post(
        url,
        {
            "editing_stage": "plan",
            "title": "Weigh in kg on the night shift",
            "change_idea": world.idea.public_id,
            "objective": "",
            "questions": "Will nights manage?",
            "action": "advance",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your notes were saved as a draft, but the cycle cannot move to Do yet." in page
    assert "Needed to move on to Do." in page
    world.cycle.refresh_from_db()
    assert world.cycle.stage == Stage.PLAN
    assert world.cycle.questions == "Will nights manage?"


def test_the_form_shows_only_what_the_current_stage_needs(world):
    cycle = services.cycle_update(
        cycle=world.cycle, actor=world.a.member, values={}, advance_to=Stage.DO
    )
    page = client_for(world.a.member).get(_url(world, "cycle_edit")).content.decode()
    assert 'name="what_happened"' in page and 'name="do_date"' in page
    assert 'name="objective"' not in page and 'name="learned"' not in page
    assert "Save and move to Study" in page
    assert cycle.objective in page  # earlier stages are shown for reading
    earlier = client_for(world.a.member).get(_url(world, "cycle_edit") + "?stage=plan")
    assert 'name="objective"' in earlier.content.decode()
    later = client_for(world.a.member).get(_url(world, "cycle_edit") + "?stage=act")
    assert 'name="act_date"' not in later.content.decode()


def test_dates_out_of_order_are_shown_at_the_field(world):
    services.cycle_update(cycle=world.cycle, actor=world.a.member, values={}, advance_to="do")
    response = client_for(world.a.member).post(
        _url(world, "cycle_edit"),
        {"editing_stage": "do", "do_date": month(-10).isoformat(), "what_happened": "Ran it"},
    )
    assert "cannot be before date planned" in response.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.what_happened == ""


def test_a_future_date_of_what_happened_is_shown_at_the_field(world):
    services.cycle_update(cycle=world.cycle, actor=world.a.member, values={}, advance_to="do")
    client = client_for(world.a.member)
    today = clock.today()
    form = client.get(_url(world, "cycle_edit")).content.decode()
    assert f'max="{today.isoformat()}"' in form  # the picker stops at today
    ahead = today + timedelta(days=3)
    response = client.post(
        _url(world, "cycle_edit"),
        {"editing_stage": "do", "do_date": ahead.isoformat(), "what_happened": "Ran it"},
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert (
        f"Date the test ran ({ahead.day} {ahead:%B %Y}) is in the future: it records what "
        "happened" in page
    )
    world.cycle.refresh_from_db()
    assert world.cycle.do_date is None


def test_a_plan_form_lets_the_plan_date_lie_ahead(world):
    page = client_for(world.a.member).get(_url(world, "cycle_create")).content.decode()
    plan_input = page[page.index('name="plan_date"') - 200 : page.index('name="plan_date"') + 200]
    assert "max=" not in plan_input
    assert f'value="{clock.today().isoformat()}"' in plan_input  # filled in, visibly


def test_autosave_answers_json_and_keeps_history_small(world):
    client = client_for(world.a.member)
    url = _url(world, "cycle_edit")
    base = {
        "editing_stage": "plan",
        "title": world.cycle.title,
        "change_idea": world.idea.public_id,
    }
    for text in ("Dr", "Draft text"):
        response = client.post(url, {**base, "questions": text}, HTTP_X_AUTOSAVE="1")
        assert response.status_code == 200 and response.json()["saved"] is True
    world.cycle.refresh_from_db()
    assert world.cycle.questions == "Draft text"
    assert world.cycle.revisions.filter(is_autosave=True).count() == 1
    bad = client.post(url, {**base, "title": ""}, HTTP_X_AUTOSAVE="1")
    assert bad.status_code == 400 and bad.json()["saved"] is False


def test_change_idea_from_another_team_cannot_be_chosen(world):
    foreign = make_idea(world.a.other_team, title="Other team's idea")
    response = client_for(world.a.member).post(
        _url(world, "cycle_create"), {"title": "x", "change_idea": foreign.public_id}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Cycle.objects.filter(title="x").exists()


def test_next_cycle_of_a_ramp_starts_prefilled(world):
    page = client_for(world.a.member).get(
        _url(world, "cycle_create") + f"?builds_on={world.done.public_id}"
    )
    html = page.content.decode()
    assert "Tape, one shift (next test)" in html
    assert f'value="{world.done.public_id}" selected' in html
    assert client_for(world.a.member).get(_url(world, "cycle_create") + "?builds_on=nonsense")


# --- comments, unread, attachments -------------------------------------------------------


def test_unread_comments_show_until_the_member_opens_the_cycle(world):
    client = client_for(world.a.member)
    listing = client.get(_url(world, "cycle_list")).content.decode()
    assert "1 new comment" in listing and "New comments for you" in listing
    assert "New" in client.get(_url(world, "cycle_detail")).content.decode()
    listing = client.get(_url(world, "cycle_list")).content.decode()
    assert "new comment" not in listing
    home = client.get(reverse("teams:detail", kwargs={"team_id": world.team.public_id}))
    assert "Read 1 new comment" not in home.content.decode()


def test_coach_comments_from_the_page_and_the_team_is_emailed(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.a.coach).post(
            _url(world, "comment_add"), {"body": "Try nights", "stage": "plan"}, follow=True
        )
    assert (
        f"Comment sent. {world.a.lead.full_name} (lead) and {world.a.member.full_name} (member) "
        "were e-mailed."
    ) in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.a.lead.email, world.a.member.email]
    )
    assert (
        f"/teams/{world.team.public_id}/pdsa/cycles/{world.cycle.public_id}/" in mail.outbox[0].body
    )


def _lonely_cycle(tenant, author):
    """A cycle of a team that has no members and no coach."""
    team = TeamFactory(program=tenant.program, collaborative=tenant.collaborative)
    return team, make_cycle(team, make_idea(team), author=author)


def _comment(client, team, cycle):
    url = reverse(
        "pdsa:comment_add", kwargs={"team_id": team.public_id, "cycle_id": cycle.public_id}
    )
    response = client.post(url, {"body": "Try nights", "stage": ""}, follow=True)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_comment_on_a_team_without_members_says_nobody_was_emailed(world):
    team, cycle = _lonely_cycle(world.a, world.a.staff)
    before = OutboundEmail.objects.count()
    page = _comment(client_for(world.a.staff), team, cycle)
    invite = reverse("teams:members", kwargs={"team_id": team.public_id}) + "#invite"
    assert (
        "Comment sent. No one was e-mailed because the team has no members yet: "
        f'<a href="{invite}">invite a lead</a>.'
    ) in page
    assert "has been e-mailed" not in page
    assert OutboundEmail.objects.count() == before


def test_a_coach_is_told_who_can_invite_the_lead(world):
    team, cycle = _lonely_cycle(world.a, world.a.coach)
    CoachAssignment.objects.create(program=team.program, team=team, coach=world.a.coach)
    page = _comment(client_for(world.a.coach), team, cycle)
    assert (
        "Comment sent. No one was e-mailed because the team has no members yet: program staff "
        "can invite its lead."
    ) in page


def test_a_comment_names_the_coach_who_was_emailed(world):
    page = _comment(client_for(world.a.lead), world.team, world.cycle)
    assert (
        f"Comment sent. {world.a.coach.full_name} (coach) and {world.a.member.full_name} (member) "
        "were e-mailed."
    ) in page


def test_attachment_is_served_only_through_the_scoped_view(world):
    response = client_for(world.people["sponsor"]).get(_url(world, "attachment"))
    assert response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == png_bytes()
    assert not world.attachment.file.url.startswith(_url(world, "attachment"))
    client_for(world.a.member).post(_url(world, "attachment"))
    assert Attachment.objects.get(pk=world.attachment.pk).deleted_at is not None
    assert client_for(world.a.member).get(_url(world, "attachment")).status_code == 404


def test_staff_put_back_a_file_the_team_removed(world):
    """Removal is a soft delete (PRODUCT.md): the file is kept and staff can undo it."""
    kwargs = {
        "team_id": world.team.public_id,
        "cycle_id": world.cycle.public_id,
        "attachment_id": world.attachment.public_id,
    }
    restore = reverse("pdsa:attachment_restore", kwargs=kwargs)
    # Not removed yet: there is nothing to put back.
    assert client_for(world.a.staff).post(restore).status_code == 404
    client_for(world.a.member).post(_url(world, "attachment"))

    detail = _url(world, "cycle_detail")
    staff_page = client_for(world.a.staff).get(detail).content.decode()
    assert "Removed by the team" in staff_page and f'action="{restore}"' in staff_page
    assert "Removed by the team" not in client_for(world.a.lead).get(detail).content.decode()
    for persona in ("lead", "member", "coach", "sponsor"):
        assert client_for(world.people[persona]).post(restore).status_code == 403, persona
    for persona in ("outsider", "other_team"):
        assert client_for(world.people[persona]).post(restore).status_code == 404, persona

    response = client_for(world.a.staff).post(restore)
    assert response.status_code == 302
    assert Attachment.objects.get(pk=world.attachment.pk).deleted_at is None
    assert AuditEvent.objects.filter(verb="pdsa_attachment.restored").count() == 1
    served = client_for(world.a.member).get(_url(world, "attachment"))
    assert b"".join(served.streaming_content) == png_bytes()


def test_uploading_a_disguised_file_says_why(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = client_for(world.a.member).post(
        _url(world, "attachment_add"), {"file": fake}, follow=True
    )
    assert "Not attached: “photo.jpg” is not a photo (JPEG or PNG) or a PDF." in (
        response.content.decode()
    )


# --- escaping ------------------------------------------------------------------------------


def test_html_in_free_text_is_escaped_on_every_page(world, django_capture_on_commit_callbacks):
    evil = "<script>alert('x')</script>"
    services.cycle_update(
        cycle=world.done, actor=world.a.member, values={"title": f"T {evil}", "objective": evil}
    )
    world.done_idea.title = f"Idea {evil}"
    world.done_idea.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(cycle=world.done, actor=world.a.coach, body=evil, by_coach=True)
    services.aim_save(team=world.team, actor=world.a.lead, statement=evil)
    client = client_for(world.a.member)
    done_kwargs = {"team_id": world.team.public_id, "cycle_id": world.done.public_id}
    pages = [
        _url(world, "cycle_list"),
        reverse("pdsa:cycle_detail", kwargs=done_kwargs),
        reverse("pdsa:cycle_history", kwargs=done_kwargs),
        _url(world, "ramps"),
        _url(world, "ramp_detail"),
        _url(world, "aim"),
        _url(world, "drivers"),
        _url(world, "diagram_svg"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert evil not in body, url
        assert "&lt;script&gt;" in body, url
    shared = client_for(world.people["other_team"]).get(
        reverse(
            "pdsa:shared_ramp",
            kwargs={
                "team_id": world.a.other_team.public_id,
                "change_idea_id": world.done_idea.public_id,
            },
        )
    )
    assert evil not in shared.content.decode()
    html = mail.outbox[0].alternatives[0][0]
    assert evil not in html and "&lt;script&gt;" in html


# --- delete, restore, sharing, review ------------------------------------------------------


def test_delete_then_staff_restore(world):
    response = client_for(world.a.member).post(_url(world, "cycle_delete"), follow=True)
    assert "Program staff can restore it" in response.content.decode()
    assert client_for(world.a.member).get(_url(world, "cycle_detail")).status_code == 404
    staff = client_for(world.a.staff)
    assert world.cycle.title in staff.get(_url(world, "deleted_cycles")).content.decode()
    response = staff.post(_url(world, "cycle_restore"), follow=True)
    assert "was restored with its notes and history" in response.content.decode()
    assert client_for(world.a.member).get(_url(world, "cycle_detail")).status_code == 200


def test_a_member_cannot_delete_a_teammates_cycle_but_the_lead_can(world):
    other = add_member(world.a, role=TeamRole.MEMBER)
    assert client_for(other).get(_url(world, "cycle_delete")).status_code == 403
    assert client_for(world.a.lead).post(_url(world, "cycle_delete")).status_code == 302


def test_other_teams_of_the_collaborative_see_shared_ramps_without_raw_notes(world, tenant_b):
    other = world.people["other_team"]
    team_id = world.a.other_team.public_id
    listing = client_for(other).get(reverse("pdsa:shared_ramps", kwargs={"team_id": team_id}))
    assert "Kg-only tape" in listing.content.decode()
    detail_url = reverse(
        "pdsa:shared_ramp",
        kwargs={"team_id": team_id, "change_idea_id": world.done_idea.public_id},
    )
    page = client_for(other).get(detail_url).content.decode()
    assert "Works" in page  # what was learned
    assert "Try every shift" in page  # the next step decided
    assert "Night triage nurse" not in page  # raw plan notes stay private
    services.ramp_share(change_idea=world.done_idea, actor=world.a.lead, include_notes=True)
    assert "Night triage nurse" in client_for(other).get(detail_url).content.decode()
    # The team's own cycles stay private to other teams.
    assert client_for(other).get(_url(world, "cycle_detail")).status_code == 404
    # Another tenant's team cannot read it even with its own team in the URL.
    b_url = reverse(
        "pdsa:shared_ramp",
        kwargs={"team_id": tenant_b.team.public_id, "change_idea_id": world.done_idea.public_id},
    )
    assert client_for(tenant_b.lead).get(b_url).status_code == 404


def test_sharing_an_unfinished_ramp_is_explained(world):
    response = client_for(world.a.lead).post(
        reverse(
            "pdsa:ramp_share",
            kwargs={"team_id": world.team.public_id, "change_idea_id": world.idea.public_id},
        ),
        follow=True,
    )
    assert "Only a completed ramp can be shared." in response.content.decode()


def test_coach_review_lists_waiting_and_stalled_cycles_of_their_teams(world, tenant_b):
    waiting = make_cycle(
        world.team, world.idea, author=world.a.member, stage=Stage.STUDY, title="Waiting one"
    )
    Cycle.objects.filter(pk=world.cycle.pk).update(updated_at=timezone.now() - timedelta(days=40))
    page = client_for(world.a.coach).get(_url(world, "review")).content.decode()
    assert "Waiting one" in page and "Weigh in kg on the night shift" in page
    assert "Stalled" in page
    assert "BRAVO" not in page
    services.comment_create(cycle=waiting, actor=world.a.coach, body="Good", by_coach=True)
    page = client_for(world.a.coach).get(_url(world, "review")).content.decode()
    assert "Waiting one" not in page


def test_list_filters_by_stage_change_idea_and_member(world):
    client = client_for(world.a.coach)
    url = _url(world, "cycle_list")
    by_stage = client.get(url, {"stage": "complete"}).content.decode()
    assert "Tape, one shift" in by_stage and "Weigh in kg on the night shift" not in by_stage
    by_idea = client.get(url, {"change_idea": str(world.idea.public_id)}).content.decode()
    assert "Weigh in kg on the night shift" in by_idea and "Tape, one shift" not in by_idea
    by_member = client.get(url, {"member": str(world.a.lead.public_id)}).content.decode()
    assert "No cycle matches these filters." in by_member


def test_team_home_shows_whats_due_for_the_member(world):
    TeamMembership.objects.filter(user=world.a.lead).update(role=TeamRole.LEAD)
    home = client_for(world.a.member).get(
        reverse("teams:detail", kwargs={"team_id": world.team.public_id})
    )
    page = home.content.decode()
    assert "Fill in Plan of “Weigh in kg on the night shift” and move it to Do" in page
    assert "Read 1 new comment on “Weigh in kg on the night shift”" in page
    sponsor_home = client_for(world.people["sponsor"]).get(
        reverse("teams:detail", kwargs={"team_id": world.team.public_id})
    )
    assert "Fill in Plan" not in sponsor_home.content.decode()


def test_staff_keep_the_change_package_and_teams_seed_from_it(world):
    staff = client_for(world.a.staff)
    url = _url(world, "change_package")
    staff.post(url, {"title": "Huddle script", "suggested_driver": "Weigh in kilograms"})
    member = client_for(world.a.member)
    seed_page = member.get(_url(world, "seed")).content.decode()
    assert "Huddle script" in seed_page
    from pdsa.models import ChangePackageItem

    item = ChangePackageItem.objects.get(title="Huddle script")
    response = member.post(_url(world, "seed"), {"items": [str(item.public_id)]}, follow=True)
    assert "1 change idea added from the change package." in response.content.decode()
    drivers_page = member.get(_url(world, "drivers")).content.decode()
    assert "Huddle script" in drivers_page and "(from the change package)" in drivers_page


def test_aim_history_is_shown(world):
    lead = client_for(world.a.lead)
    lead.post(_url(world, "aim"), {"statement": "First aim"})
    lead.post(_url(world, "aim"), {"statement": "95% of children weighed in kg", "how_much": "95%"})
    page = client_for(world.a.coach).get(_url(world, "aim")).content.decode()
    assert "95% of children weighed in kg" in page
    assert "“First aim” →" in page
    assert "Not yet SMART" in page


def test_completed_cycle_offers_the_next_cycle(world):
    cycle = make_cycle(
        world.team, world.idea, author=world.a.member, stage=Stage.ACT, title="At act"
    )
    client = client_for(world.a.member)
    url = reverse(
        "pdsa:cycle_edit", kwargs={"team_id": world.team.public_id, "cycle_id": cycle.public_id}
    )
    response = client.post(
        url,
        {"editing_stage": "act", **{k: str(v) for k, v in act().items()}, "action": "advance"},
        follow=True,
    )
    page = response.content.decode()
    assert "The cycle is complete." in page
    assert "Start the next cycle of this ramp" in page


def test_new_person_with_no_role_sees_nothing(world):
    stranger = UserFactory()
    assert client_for(stranger).get(_url(world, "cycle_list")).status_code == 404


def test_an_oversized_attachment_is_refused_before_its_body_is_read(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pdsa.models import Attachment as Stored

    before = Stored.objects.count()
    photo = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    declared = 50 * 1024 * 1024  # what the request says it carries: never read
    response = client_for(world.a.member).post(
        _url(world, "attachment_add"), {"file": photo}, CONTENT_LENGTH=str(declared), follow=True
    )
    assert "Not attached: The upload is 50.0 MB; attachments can be at most 10 MB." in (
        response.content.decode()
    )
    assert Stored.objects.count() == before


def test_a_full_disk_is_said_on_the_page_not_a_server_error(world, full_disk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("whiteboard.png", png_bytes(), content_type="image/png")
    before = Attachment.objects.count()
    response = client_for(world.a.member).post(
        _url(world, "attachment_add"), {"file": photo}, follow=True
    )
    assert response.status_code == 200
    assert "Not attached: The server has no room to store" in response.content.decode()
    assert Attachment.objects.count() == before
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []
