"""The coach's home: their teams across collaboratives and programs, ranked by need."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.clock import current_month

from ..selectors import (
    coach_dashboard,
)


@login_required
def coach_home(request: HttpRequest) -> HttpResponse:
    """A coach's teams across collaboratives and programs, ranked by need."""
    rows = coach_dashboard(user=request.user)
    return render(
        request,
        "teams/coach_home.html",
        {
            "rows": rows,
            "teams": [row.team for row in rows],
            "this_month": current_month(),
            "unrated": sum(1 for row in rows if row.rating_due),
        },
    )
