"""Monthly progress ratings on the IHI scale: the coach's and the team's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.forms import apply_validation_error

from ..forms import ProgressRatingForm
from ..models import IHI_SCALE, RatingKind
from ..selectors import (
    GAP_THRESHOLD,
    progress_history,
    rating_status,
    team_access,
    team_or_404,
)
from ..services import (
    progress_rating_create,
)


@login_required
@require_http_methods(["GET", "POST"])
def team_progress(request: HttpRequest, team_id) -> HttpResponse:
    """Monthly coach and self ratings side by side, with the forms the person may use."""
    team = team_or_404(user=request.user, team_id=team_id)
    access = team_access(user=request.user, team=team)
    rating_forms = {kind: ProgressRatingForm(prefix=kind) for kind in access.rating_kinds}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in access.rating_kinds:
            raise PermissionDenied("Your role does not allow this kind of rating for this team.")
        form = ProgressRatingForm(request.POST, prefix=kind)
        rating_forms[kind] = form
        if form.is_valid():
            try:
                rating = progress_rating_create(
                    team=team,
                    month=form.cleaned_data["month"],
                    kind=kind,
                    score=form.cleaned_data["score"],
                    rationale=form.cleaned_data["rationale"],
                    rated_by=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"{rating.get_kind_display()} of {rating.score} for "
                    f"{rating.month:%B %Y} saved.",
                )
                return redirect(
                    reverse("teams:progress", kwargs={"team_id": team.public_id}) + "#history"
                )
    history = progress_history(team=team)
    # Whether this month's ratings are expected: the rule the team home and the
    # coach's home share (teams.selectors.rating_rule).
    status = rating_status(team=team, access=access)
    every_rating = sorted(
        (r for m in history for r in (m.coach, m.self_rating, *m.replaced) if r is not None),
        key=lambda r: (r.month, r.created_at, r.pk),
        reverse=True,
    )
    return render(
        request,
        "teams/progress.html",
        {
            "team": team,
            "access": access,
            "history": history,
            "all_ratings": every_rating,
            "coach_form": rating_forms.get(RatingKind.COACH),
            "self_form": rating_forms.get(RatingKind.SELF),
            "scale": IHI_SCALE.items(),
            "gap_threshold": GAP_THRESHOLD,
            "this_month": status.expectation.month,
            "expectation": status.expectation,
            "owed": status.owed,
        },
    )
