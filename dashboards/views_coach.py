"""The coach dashboard: a coach's teams (or staff: a collaborative's teams) ranked by
need, with the reasons in words, and the actions a coach takes from it.

Without JavaScript it is a plain table, sorted by links (?sort=) and filtered by a GET
form; static/js/coach-dashboard.js reorders and filters the same rows in place from
the API (dashboards/api/coach.py), which answers from the same functions.
Every action is a POST form that comes back here with a message; the writes are the
existing services of teams, pdsa and measures, and the nudge (dashboards.services).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from core.charts.sparkline import sparkline
from core.clock import current_month
from core.http import require
from measures.public import submission_review, team_submission_or_404
from pdsa.public import COMMENT_MAX_LENGTH, comment_create, latest_cycle_of
from teams.models import IHI_SCALE, RatingKind
from teams.selectors import team_and_access_or_404
from teams.services import progress_rating_create

from .ranking import REASONS, SORTS, filter_rows, parse_sort, rank, sort_rows
from .services import NUDGE_MESSAGE_MAX_LENGTH, NudgeLimited, team_nudge_send
from .summary import (
    cached_team_summaries,
    coach_dashboard_teams,
    collaborative_dashboard_scope,
)

#: Rows per page of the table (the API pages the same way).
PAGE_SIZE = 50


def _measure_cells(summary) -> list[dict]:
    return [
        {
            "digest": m,
            "svg": sparkline(m.values, m.labels, name=m.name, unit=m.unit),
        }
        for m in summary.measures
    ]


def _dashboard(request: HttpRequest, *, teams, collaborative=None) -> HttpResponse:
    ranked = rank(cached_team_summaries(teams=teams, viewer=request.user))
    collaboratives = sorted(
        {r.summary.team.collaborative for r in ranked}, key=lambda c: c.title.lower()
    )
    reason = request.GET.get("reason", "")
    reason = reason if reason in REASONS else ""
    query = request.GET.get("q", "")[:100]
    chosen = request.GET.get("collaborative", "")
    known = {str(c.public_id) for c in collaboratives}
    chosen = chosen if chosen in known else ""
    column, descending = parse_sort(request.GET.get("sort"))
    rows = sort_rows(
        filter_rows(ranked, reason=reason, query=query, collaborative=chosen),
        column=column,
        descending=descending,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    base = {"reason": reason, "q": query, "collaborative": chosen}
    sort_links = []
    for key, (label, _) in SORTS.items():
        desc = key == column and not descending
        params = {k: v for k, v in base.items() if v}
        params["sort"] = f"-{key}" if desc else key
        sort_links.append(
            {
                "key": key,
                "label": label,
                "params": params,
                "active": key == column,
                "descending": descending if key == column else False,
            }
        )
    api_url = (
        reverse(
            "api:dashboards-collaborative-teams",
            kwargs={"collaborative_id": collaborative.public_id},
        )
        if collaborative is not None
        else reverse("api:dashboards-coach")
    )
    return render(
        request,
        "dashboards/coach.html",
        {
            "collaborative": collaborative,
            "collaboratives": collaboratives,
            "rows": [
                {"ranked": r, "s": r.summary, "measures": _measure_cells(r.summary)}
                for r in page.object_list
            ],
            "page": page,
            "total": len(ranked),
            "shown": len(rows),
            "needs_attention": sum(1 for r in ranked if r.reasons),
            "reasons": REASONS.items(),
            "filters": base,
            "sort_links": sort_links,
            "sort": f"-{column}" if descending else column,
            # Built once, not once per row: the table repeats them in every row's forms.
            "score_options": format_html_join(
                "",
                '<option value="{}">{}: {}</option>',
                ((value, value, words) for value, words in IHI_SCALE.items()),
            ),
            "csrf_field": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
            ),
            "next_url": request.get_full_path(),
            "this_month": current_month(),
            "api_url": api_url,
            "comment_max": COMMENT_MAX_LENGTH,
            "nudge_max": NUDGE_MESSAGE_MAX_LENGTH,
        },
    )


@login_required
@require_safe
def coach_dashboard(request: HttpRequest) -> HttpResponse:
    """The coach's home: their assigned teams across collaboratives, ranked by need."""
    return _dashboard(request, teams=coach_dashboard_teams(user=request.user))


@login_required
@require_safe
def collaborative_dashboard(request: HttpRequest, collaborative_id) -> HttpResponse:
    """A collaborative's teams ranked by need: every team for its program's staff, a
    coach's own teams for a coach; anyone else 404."""
    collaborative, teams = collaborative_dashboard_scope(
        user=request.user, collaborative_id=collaborative_id
    )
    return _dashboard(request, teams=teams, collaborative=collaborative)


# --- actions ------------------------------------------------------------------------------


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the dashboard the form was on (a local URL only), else the coach's."""
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboards:coach")
    return HttpResponseRedirect(target)


def _coach_team(request: HttpRequest, team_id):
    """The team, if the caller may see it (else 404) and coaches it or runs its
    program (else 403)."""
    team, access = team_and_access_or_404(user=request.user, team_id=team_id)
    require(
        access.is_assigned_coach or access.is_staff,
        "Only the team's coach or program staff act on it from the dashboard.",
    )
    return team, access


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def action_rate(request: HttpRequest, team_id) -> HttpResponse:
    """Rate the team's progress for this month (teams' progress_rating_create)."""
    team, access = _coach_team(request, team_id)
    require(RatingKind.COACH in access.rating_kinds, "Your role does not allow a coach rating.")
    try:
        rating = progress_rating_create(
            team=team,
            month=current_month(),
            kind=RatingKind.COACH,
            score=request.POST.get("score", ""),
            rationale=request.POST.get("rationale", ""),
            rated_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, f"{team.name} was not rated: {_error_text(error)}")
    else:
        messages.success(request, f"{team.name} rated {rating.score} for {rating.month:%B %Y}.")
    return _back(request)


@login_required
@require_POST
def action_comment(request: HttpRequest, team_id) -> HttpResponse:
    """Comment on the team's latest PDSA cycle (pdsa's comment_create)."""
    team, _ = _coach_team(request, team_id)
    cycle = latest_cycle_of(team=team)
    if cycle is None:
        messages.error(request, f"{team.name} has no PDSA cycle to comment on yet.")
        return _back(request)
    try:
        comment_create(
            cycle=cycle, actor=request.user, body=request.POST.get("body", ""), by_coach=True
        )
    except ValidationError as error:
        messages.error(request, f"The comment was not saved: {_error_text(error)}")
    else:
        messages.success(request, f"Comment added to {team.name}'s cycle “{cycle.title}”.")
    return _back(request)


@login_required
@require_POST
def action_review(request: HttpRequest, team_id) -> HttpResponse:
    """Mark the team's submitted period reviewed, or return it (measures'
    submission_review)."""
    team, _ = _coach_team(request, team_id)
    try:
        submission = team_submission_or_404(
            team=team, submission_id=request.POST.get("submission", "")
        )
    except (ObjectDoesNotExist, ValidationError, ValueError):
        messages.error(request, "That submission was not found for this team.")
        return _back(request)
    decision = request.POST.get("decision", "")
    try:
        done = submission_review(
            submission=submission,
            actor=request.user,
            decision=decision,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, f"Not saved: {_error_text(error)}")
    else:
        verb = "returned to the team" if decision == "returned" else "marked reviewed"
        messages.success(request, f"{team.name}'s {done.period.label} data {verb}.")
    return _back(request)


@login_required
@require_POST
def action_nudge(request: HttpRequest, team_id) -> HttpResponse:
    """Send the team a nudge e-mail (one per team per 24 hours)."""
    team, _ = _coach_team(request, team_id)
    try:
        sent = team_nudge_send(
            team=team, actor=request.user, message=request.POST.get("message", "")
        )
    except NudgeLimited as limited:
        messages.error(request, str(limited))
    except ValidationError as error:
        messages.error(request, f"No nudge sent: {_error_text(error)}")
    else:
        messages.success(
            request,
            f"Nudge sent to {len(sent)} member{'s' if len(sent) != 1 else ''} of {team.name}.",
        )
    return _back(request)
