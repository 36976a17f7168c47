"""A collaborative's measures: pooled charts, small multiples per team, the funnel plot,
the submission status of every team (late and missing), and, for staff, the measure
set and the reporting periods.

Aggregates (the pooled chart, the funnel) cover every team; each team's own series is
shown only to people who see that team, and the funnel names only those teams and the
teams that chose to be named.
"""

from __future__ import annotations

from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.charts import fmt
from core.forms import apply_validation_error
from core.http import get_or_404, require
from core.memo import page_memo
from core.paging import page_of
from core.panels import COLLABORATIVE_MEASURE_PAGE, render_panels
from teams.models import TeamMembership

from .. import services
from ..analysis import DEFAULT_RULES, Settings, analyse_series, team_signal_summary
from ..forms import (
    ChartOptionsForm,
    FunnelPeriodForm,
    MeasureSetAddForm,
    MeasureSetEntryForm,
    PeriodDueForm,
    PeriodGenerateForm,
)
from ..models import ChartType, Requirement
from ..presenters import goal_words, signal_key, spc_chart_for
from ..selectors import (
    benchmark_named_team_ids,
    collaborative_teams_for,
    collaborative_teams_query_for,
    funnel_inputs,
    library_of,
    measure_in_set,
    measure_set_of,
    period_get,
    periods_of,
    pooled_left_out,
    pooled_periods,
    pooled_series_many,
    submission_grid,
)
from ..team_charts import cached_funnel, measure_small_multiples, pooled_small_multiples
from ._common import chart_options_html, collaborative_and_access, scale_choice

#: The status page shows this many latest periods unless asked for all.
STATUS_PERIODS = 6
STAFF_ONLY = "Only program staff manage the measure set and the reporting periods."


def _url(name: str, collaborative, **kwargs) -> str:
    return reverse(
        f"measures:{name}", kwargs={"collaborative_id": collaborative.public_id, **kwargs}
    )


def _own_team_ids(request: HttpRequest, collaborative) -> set[int]:
    """The viewer's own teams in the collaborative (highlighted in comparisons)."""
    return set(
        TeamMembership.objects.filter(
            user=request.user, is_active=True, team__collaborative=collaborative
        ).values_list("team_id", flat=True)
    )


def summary_rows(summary) -> list[SafeString]:
    """The signal table's rows, as HTML written here with every text escaped (the
    template loop over 25 teams x 10 measures wrote the same HTML, slower)."""
    rows = []
    for item in summary:
        cells = []
        for measure, cell in item.cells:
            if cell.latest_value is None:
                value = "–"
            else:
                unit = "%" if measure.display_unit == "%" else ""
                value = f"{fmt(cell.latest_value)}{unit}"
            tag = ""
            if cell.signals:
                signal = escape(cell.signals[0]["text"])
                tag = (
                    '<br><span class="usa-tag status-tag status-tag--signal" '
                    f'title="{signal}">Signal</span><span class="usa-sr-only">: {signal}</span>'
                )
            cells.append(f'<td data-label="{escape(measure.short_name)}">{escape(value)}{tag}</td>')
        url = reverse("measures:team_measures", kwargs={"team_id": item.team.public_id})
        rows.append(
            mark_safe(  # noqa: S308 - every text above is escaped
                f'<tr><th scope="row" data-label="Team"><a href="{escape(url)}">'
                f"{escape(item.team.name)}</a></th>{''.join(cells)}</tr>"
            )
        )
    return rows


@login_required
def collaborative_home(request: HttpRequest, collaborative_id) -> HttpResponse:
    """The collaborative's measures: a pooled chart per measure, and for the teams the
    viewer may see, each team's latest value and signals."""
    collaborative, access = collaborative_and_access(request, collaborative_id)
    entries = measure_set_of(collaborative=collaborative)
    measures = [e.measure for e in entries]
    scale = scale_choice(request, anchor="pooled-charts")
    charts = pooled_small_multiples(
        collaborative=collaborative, measures=measures, shared_scale=scale["shared"]
    )
    cards = [
        {"entry": entry, "chart": chart, "goal": goal_words(entry.measure)}
        for entry, chart in zip(entries, charts, strict=True)
    ]
    # The signal table shows 25 teams a page, so that its time does not grow with the
    # collaborative (300 x 10 cells were half a megabyte of HTML).
    pager = page_of(
        request,
        # The table shows each team's name and link only: no collaborative or facility.
        collaborative_teams_query_for(
            user=request.user, collaborative=collaborative
        ).select_related(None),
        anchor="signals",
    )
    summary = summary_rows(
        team_signal_summary(collaborative=collaborative, teams=pager.items, measures=measures)
    )
    return render(
        request,
        "measures/collaborative_home.html",
        {
            "collaborative": collaborative,
            "access": access,
            "cards": cards,
            "scale": scale,
            "signal_key": signal_key(card["chart"] for card in cards),
            "measures": measures,
            "summary": summary,
            "pager": pager,
            "current": "overview",
        },
    )


@login_required
def collaborative_measure(request: HttpRequest, collaborative_id, measure_id) -> HttpResponse:
    """One measure across the collaborative: the pooled chart, small multiples of the
    teams the viewer may see, and the funnel plot of every team in one month."""
    # The page writes nothing: the periods that the pooled chart and the small
    # multiples' cache key both need are read once.
    with page_memo():
        return _collaborative_measure(request, collaborative_id, measure_id)


def _collaborative_measure(request: HttpRequest, collaborative_id, measure_id) -> HttpResponse:
    collaborative, access = collaborative_and_access(request, collaborative_id)
    entry = get_or_404(measure_in_set, collaborative=collaborative, measure_id=measure_id)
    measure = entry.measure
    chosen = ChartOptionsForm(request.GET or None).chosen()
    settings = Settings(
        chart_type=chosen["chart_type"] or ChartType.RUN,
        rollup=chosen["rollup"] or "month",
        rules=chosen["rules"] or DEFAULT_RULES,
    )
    pooled = pooled_series_many(collaborative=collaborative, measures=[measure])[measure.pk]
    analysis = analyse_series(pooled, settings)
    chart = spc_chart_for(analysis, title=f"{measure.short_name}, all teams pooled")

    # The thumbnails show each team's name and link only: no collaborative or facility.
    teams = collaborative_teams_query_for(
        user=request.user, collaborative=collaborative
    ).select_related(None)
    scale = scale_choice(request, anchor="team-charts")
    # 25 teams a page: the page's time no longer grows with the collaborative. Cached
    # until a value, a setting, the measure, a team or the day changes.
    pager = page_of(request, teams, anchor="team-charts")
    multiples, team_signal_key = measure_small_multiples(
        collaborative=collaborative,
        measure=measure,
        teams=pager.items,
        rules=settings.rules,
        shared_scale=scale["shared"],
    )

    funnel_chart = None
    funnel_form = None
    period = None
    if measure.is_ratio:
        # The funnel compares only the periods the pooled chart uses, the latest by default.
        periods = pooled_periods(pooled)
        funnel_form = FunnelPeriodForm(request.GET or None, periods=list(reversed(periods)))
        if funnel_form.is_valid() and funnel_form.cleaned_data.get("period"):
            period = next(
                (p for p in periods if str(p.public_id) == funnel_form.cleaned_data["period"]),
                None,
            )
        period = period or (periods[-1] if periods else None)
        if period is not None:
            funnel_form = FunnelPeriodForm(
                initial={"period": str(period.public_id)}, periods=list(reversed(periods))
            )
            rows = funnel_inputs(collaborative=collaborative, measure=measure, period=period)
            own = _own_team_ids(request, collaborative)
            visible = set(teams.values_list("pk", flat=True))
            funnel_chart = cached_funnel(
                measure=measure,
                period_label_text=period.label,
                rows=rows,
                named_ids=(visible | benchmark_named_team_ids(collaborative=collaborative)) - own,
                highlight_ids=own,
            )
    return render(
        request,
        "measures/collaborative_measure.html",
        {
            "collaborative": collaborative,
            "access": access,
            "entry": entry,
            "measure": measure,
            "analysis": analysis,
            "chart": chart,
            "options": chart_options_html(
                chart=settings.chart_type, rollup=settings.rollup, rules=settings.rules
            ),
            "multiples": multiples,
            "pager": pager,
            "scale": scale,
            "signal_key": team_signal_key,
            "funnel_chart": funnel_chart,
            "funnel_form": funnel_form,
            "funnel_period": period,
            "funnel_coverage": next((c for c in pooled.coverage if c.period == period), None),
            "left_out": pooled_left_out(pooled),
            "goal": goal_words(measure),
            "current": "overview",
            "panels": render_panels(
                COLLABORATIVE_MEASURE_PAGE,
                request=request,
                collaborative=collaborative,
                measure=measure,
            ),
        },
    )


@login_required
def submission_status(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Every team's status for every period: late and missing data at a glance (staff
    see all teams; coaches their teams)."""
    collaborative, access = collaborative_and_access(request, collaborative_id)
    require(access.can_see_status, "Submission status is for program staff and coaches.")
    teams = collaborative_teams_for(user=request.user, collaborative=collaborative)
    show_all = request.GET.get("all") == "1"
    grid = submission_grid(
        collaborative=collaborative,
        teams=teams,
        newest_first=True,
        limit=None if show_all else STATUS_PERIODS,
    )
    # The count of late periods covers every team; the table shows 25 teams a page (300
    # rows of six linked cells were 0.6 MB of HTML and most of the page's time).
    pager = page_of(request, grid.rows, anchor="status-table")
    return render(
        request,
        "measures/status.html",
        {
            "collaborative": collaborative,
            "access": access,
            "grid": grid,
            "pager": pager,
            "show_all": show_all,
            "current": "status",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_set_page(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Staff choose the library measures teams report, required or optional."""
    collaborative, access = collaborative_and_access(request, collaborative_id)
    require(access.can_manage, STAFF_ONLY)
    entries = measure_set_of(collaborative=collaborative)
    available = library_of(program_ids=[collaborative.program_id], include_inactive=False).exclude(
        pk__in=[e.measure_id for e in entries]
    )
    form = MeasureSetAddForm(request.POST or None, queryset=available)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_set_add(
                collaborative=collaborative,
                measure=form.cleaned_data["measure"],
                requirement=form.cleaned_data["requirement"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['measure']} added to the measure set.")
            return redirect(_url("set", collaborative))
    return render(
        request,
        "measures/set.html",
        {
            "collaborative": collaborative,
            "access": access,
            "entries": entries,
            "form": form,
            "requirements": Requirement.choices,
            "current": "set",
        },
    )


@login_required
@require_POST
def measure_set_entry(request: HttpRequest, collaborative_id, measure_id) -> HttpResponse:
    """Change a set entry (required / optional, order) or remove it."""
    collaborative, access = collaborative_and_access(request, collaborative_id)
    entry = get_or_404(measure_in_set, collaborative=collaborative, measure_id=measure_id)
    require(access.can_manage, STAFF_ONLY)
    if "remove" in request.POST:
        services.measure_set_remove(entry=entry, actor=request.user)
        messages.success(
            request, f"{entry.measure} removed from the set. Values already entered are kept."
        )
        return redirect(_url("set", collaborative))
    form = MeasureSetEntryForm(request.POST)
    if form.is_valid():
        services.measure_set_update(
            entry=entry,
            actor=request.user,
            requirement=form.cleaned_data["requirement"],
            position=form.cleaned_data.get("position"),
        )
        messages.success(request, f"{entry.measure} saved.")
    else:
        messages.error(request, "Choose required or optional.")
    return redirect(_url("set", collaborative))


@login_required
@require_http_methods(["GET", "POST"])
def periods_page(request: HttpRequest, collaborative_id) -> HttpResponse:
    """Staff set up the reporting periods and their due dates."""
    collaborative, access = collaborative_and_access(request, collaborative_id)
    require(access.can_manage, STAFF_ONLY)
    form = PeriodGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.periods_generate(
                collaborative=collaborative, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{created} period{'' if created == 1 else 's'} added."
                if created
                else "Every period already exists.",
            )
            return redirect(_url("periods", collaborative))
    today = clock.today()
    return render(
        request,
        "measures/periods.html",
        {
            "collaborative": collaborative,
            "access": access,
            "form": form,
            "periods": periods_of(collaborative=collaborative),
            "today": today,
            "current": "periods",
        },
    )


@login_required
@require_POST
def period_edit(request: HttpRequest, collaborative_id, period_id) -> HttpResponse:
    collaborative, access = collaborative_and_access(request, collaborative_id)
    period = get_or_404(period_get, collaborative=collaborative, period_id=period_id)
    require(access.can_manage, STAFF_ONLY)
    try:
        if "delete" in request.POST:
            services.period_delete(period=period, actor=request.user)
            messages.success(request, f"{period.label} removed.")
        else:
            form = PeriodDueForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Give a due date.")
            services.period_update(
                period=period, actor=request.user, due_date=form.cleaned_data["due_date"]
            )
            messages.success(request, f"{period.label} is now due on {period.due_date:%-d %B %Y}.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_url("periods", collaborative))
