"""Journey 3 (UI.md): a coach opens the dashboard, sees who needs help, rates a team
beside its own rating, and comments on a cycle waiting for feedback."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import OutboundEmail
from pdsa.models import Comment, Stage
from teams.models import ProgressRating, RatingKind
from tests.pdsa.helpers import make_cycle, make_idea

from .helpers import sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_sees_who_needs_help_rates_and_comments(page, live_server, tenant_a):
    t = tenant_a
    this_month = timezone.localdate().replace(day=1)
    ProgressRating.objects.create(
        program=t.program,
        team=t.team,
        month=this_month,
        kind=RatingKind.SELF,
        score="3.5",
        rationale="Our kg scale is in use on every shift",
        rated_by=t.lead,
    )
    idea = make_idea(t.team, title="Kg-only scale at triage")
    cycle = make_cycle(t.team, idea, author=t.member, stage=Stage.STUDY, title="Kg scale, nights")

    sign_in_as(page, live_server, t.coach)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My teams")
    row = page.get_by_role("row").filter(has_text=t.team.name)
    expect(row).to_contain_text("Not rated yet")
    expect(row).to_contain_text("3.5")  # the team's own rating, beside the coach's

    row.get_by_role("link", name=f"Rate {this_month:%B}").click()
    expect(page.get_by_role("heading", name="Give the coach rating")).to_be_visible()
    form = page.locator("#coach-rating")
    form.get_by_text("2.5 – Changes tested, but no improvement yet.").click()
    form.get_by_label("Rationale").fill("Cycles run, but the kg rate has not moved yet")
    form.get_by_role("button", name="Save the coach rating").click()
    expect(page.get_by_text(f"Coach rating of 2.5 for {this_month:%B %Y} saved.")).to_be_visible()
    # Coach 2.5 and team 3.5: a gap of 1.0, flagged for the coach to talk it through.
    page.goto("/")
    row = page.get_by_role("row").filter(has_text=t.team.name)
    expect(row).to_contain_text("Rated")
    expect(row).to_contain_text("1.0")

    page.get_by_role("button", name="Menu").click()  # a tablet: the menu is folded
    page.get_by_role("link", name="Cycles to review").click()
    page.get_by_role("link", name="Kg scale, nights").click()
    page.get_by_role("textbox", name="Comment").fill(
        "Good test. Can you show the run chart for nights?"
    )
    page.get_by_role("button", name="Send comment").click()
    expect(
        page.get_by_text(
            f"Comment sent. {t.lead.full_name} (lead) and {t.member.full_name} (member) "
            "were e-mailed."
        )
    ).to_be_visible()

    comment = Comment.objects.get(cycle=cycle)
    assert comment.by_coach and comment.author == t.coach
    assert OutboundEmail.objects.filter(to_email=t.member.email).exists()
    cycle.refresh_from_db()
    assert cycle.awaiting_feedback_since is None  # the coach answered
