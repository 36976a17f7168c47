"""Staff pages for enrolment (review, decisions, roster, coaches) and the public
"register your team" flow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from accounts.selectors import coaches_of_program
from collaboratives.lifecycle import enrolment_problem
from collaboratives.selectors import collaboratives_public
from collaboratives.views import staff_collaborative_or_403
from core import clock
from core.emails import emailed_sentence
from core.forms import apply_validation_error
from core.paging import page_of
from core.public import public_view
from core.spreadsheets import csv_response

from .. import services
from ..forms import CoachAssignmentForm, ReasonForm, TeamRegistrationForm
from ..models import Team, TeamStatus
from ..selectors import team_members, teams_of_collaborative


@login_required
def enrolment_review(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Applications waiting for a decision, and the teams already in."""
    collaborative = staff_collaborative_or_403(request, collaborative_id)
    # Every application waits for a decision, so all show; the teams already in (300 in
    # a large collaborative) show 25 a page.
    teams = list(
        teams_of_collaborative(collaborative=collaborative).exclude(status=TeamStatus.ACTIVE)
    )
    active = page_of(
        request,
        teams_of_collaborative(collaborative=collaborative, statuses=(TeamStatus.ACTIVE,)),
        anchor="teams-in",
    )
    return render(
        request,
        "teams/enrolment.html",
        {
            "collaborative": collaborative,
            "applications": [t for t in teams if t.status == TeamStatus.APPLIED],
            "active": active.items,
            "pager": active,
            "others": [t for t in teams if t.status != TeamStatus.APPLIED],
            "reason_form": ReasonForm(),
        },
    )


def _team_of(collaborative, team_id) -> Team:
    return get_object_or_404(Team.objects.filter(collaborative=collaborative), public_id=team_id)


@login_required
@require_POST
def enrolment_decide(
    request: HttpRequest, collaborative_id, team_id, decision: str
) -> HttpResponse:
    """Approve, decline (with a reason) or withdraw (with a reason) one team."""
    collaborative = staff_collaborative_or_403(request, collaborative_id)
    team = _team_of(collaborative, team_id)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        if decision == "approve":
            decided = services.team_approve(team=team, actor=request.user)
            messages.success(request, _decided_message(decided, f"{team.name} is approved."))
        elif decision == "decline":
            decided = services.team_decline(team=team, actor=request.user, reason=reason)
            messages.success(
                request,
                _decided_message(decided, f"{team.name} was declined.", " with your reason"),
            )
        else:
            decided = services.team_withdraw(team=team, actor=request.user, reason=reason)
            messages.success(
                request,
                _decided_message(decided, f"{team.name} was withdrawn. Its records are kept."),
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{team.name}: {message}")
    return redirect("teams:enrolment", collaborative_id=collaborative_id)


def _decided_message(team: Team, done: str, with_what: str = "") -> str:
    """What happened, and who was told: the e-mails the service queued (`team.emailed`),
    never more. Nobody to tell means the team has no lead (and no applicant): say so,
    and, for a team that is in, where to invite its lead."""
    sentence = emailed_sentence(team.emailed)
    if sentence:
        return f"{done} {sentence[:-1]}{with_what}."
    why = "no lead yet" if team_members(team=team).exists() else "no members yet"
    if team.status != TeamStatus.ACTIVE:
        # Nobody can join a declined or withdrawn team: there is no one to invite.
        return f"{done} No one was e-mailed: the team has {why}."
    invite = reverse("teams:members", kwargs={"team_id": team.public_id}) + "#invite"
    return format_html(
        '{} No one was e-mailed because the team has {}: <a href="{}">invite a lead</a>.',
        done,
        why,
        invite,
    )


ROSTER_COLUMNS = [
    "Team",
    "Facility",
    "Facility type",
    "City",
    "State",
    "Status",
    "Leads",
    "Members",
    "Coaches",
]


def _roster_rows(teams) -> list[list[str]]:
    rows = []
    for team in teams:
        leads = [m.user for m in team.active_memberships if m.role == "lead"]
        members = [m.user for m in team.active_memberships if m.role != "lead"]
        rows.append(
            [
                team.name,
                team.facility.name,
                team.facility.get_facility_type_display(),
                team.facility.city,
                team.facility.state,
                team.get_status_display(),
                "; ".join(f"{u.display_name} <{u.email}>" for u in leads),
                "; ".join(u.display_name for u in members),
                "; ".join(a.coach.display_name for a in team.assignments),
            ]
        )
    return rows


@login_required
def roster(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Every team with facility, state, lead, members, coach and status; CSV on request."""
    collaborative = staff_collaborative_or_403(request, collaborative_id)
    teams = teams_of_collaborative(collaborative=collaborative)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"roster-{collaborative.slug}-{clock.today()}.csv",
            header=ROSTER_COLUMNS,
            rows=_roster_rows(list(teams)),
        )
    # 25 teams a page (the CSV has them all): a page's time does not grow with the
    # collaborative, and the prefetches read only the page's members and coaches.
    pager = page_of(request, teams)
    return render(
        request,
        "teams/roster.html",
        {"collaborative": collaborative, "teams": pager.items, "pager": pager},
    )


@login_required
def team_coaches(request: HttpRequest, collaborative_id, team_id) -> HttpResponse:
    """Assign and reassign the coaches of one team."""
    collaborative = staff_collaborative_or_403(request, collaborative_id)
    team = _team_of(collaborative, team_id)
    candidates = coaches_of_program(program=collaborative.program)
    form = CoachAssignmentForm(
        request.POST or None,
        coach_queryset=candidates,
        initial={
            "coaches": list(team.coach_assignments.values_list("coach__public_id", flat=True))
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_assignments_set(
                team=team, coaches=list(form.cleaned_data["coaches"]), actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Coaches of {team.name} saved.")
            return redirect("teams:enrolment", collaborative_id=collaborative_id)
    return render(
        request,
        "teams/coaches.html",
        {"collaborative": collaborative, "team": team, "form": form},
    )


REGISTER_STEPS = ["Sign in", "Your facility and team", "Staff review"]


@public_view
def team_register(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Register your team: anyone may read the form; submitting needs an account.

    When the facility typed matches registered ones, the form comes back with
    everything as typed and asks whether one of them is the applicant's.
    """
    collaborative = get_object_or_404(collaboratives_public(), public_id=collaborative_id)
    problem = enrolment_problem(collaborative, clock.today())
    form = TeamRegistrationForm(request.POST or None)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_register(
                collaborative=collaborative,
                applicant=request.user,
                facility_name=data["facility_name"],
                facility_type=data["facility_type"],
                state=data["state"],
                city=data["city"],
                volume_band=data["volume_band"],
                team_name=data["team_name"],
                goals=data["goals"],
                lead_is_applicant=data["lead"] == "me",
                lead_email=data["lead_email"],
                facility_choice=data["facility_choice"],
            )
        except ValidationError as error:
            _keep_facility_question(form, collaborative, getattr(error, "matches", None))
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{team.name} has applied to {collaborative.title}. Program staff will review "
                "the application; you will hear from them by e-mail.",
            )
            return redirect("teams:detail", team_id=team.public_id)
    elif request.method == "POST":
        _keep_facility_question(form, collaborative, None)
    return render(
        request,
        "teams/register.html",
        {
            "collaborative": collaborative,
            "form": form,
            "problem": problem,
            "register_steps": REGISTER_STEPS,
            "register_step": 2 if request.user.is_authenticated else 1,
        },
    )


def _keep_facility_question(form: TeamRegistrationForm, collaborative, matches) -> None:
    """Show the facility question on a re-displayed form: when the service asked it, or
    when the applicant had answered it and something else sends the form back."""
    if matches is None and form.data.get("facility_choice"):
        matches = services.facility_matches(
            program=collaborative.program,
            name=form.data.get("facility_name", ""),
            state=form.data.get("state", ""),
        )
    if matches:
        form.offer_facility_matches(matches)
