"""What every measures page does first: find the team or collaborative (404 when the
user may not see it) and the caller's powers (403 for what they may not do)."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from django.http import Http404, HttpRequest
from django.utils.safestring import SafeString

from collaboratives.models import Collaborative

from ..forms import ChartOptionsForm, ChartSettingsForm
from ..selectors import (
    CollaborativeAccess,
    collaborative_access,
    collaborative_for,
)


def collaborative_and_access(
    request: HttpRequest, collaborative_id
) -> tuple[Collaborative, CollaborativeAccess]:
    try:
        collaborative = collaborative_for(user=request.user, collaborative_id=collaborative_id)
    except Collaborative.DoesNotExist:
        raise Http404("No such collaborative.") from None
    return collaborative, collaborative_access(user=request.user, collaborative=collaborative)


def file_format(request: HttpRequest) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"


def scale_choice(request: HttpRequest, *, anchor: str) -> dict:
    """Small multiples on one scale (`?scale=shared`) or each on its own: the choice, and
    the link that switches it (keeping the page's other choices; `anchor` brings the
    reader back to the charts)."""
    shared = request.GET.get("scale") == "shared"
    params = request.GET.copy()
    if shared:
        params.pop("scale", None)
    else:
        params["scale"] = "shared"
    query = params.urlencode()
    return {"shared": shared, "toggle_url": f"?{query}#{anchor}" if query else f"?#{anchor}"}


def chart_options_html(*, chart: str, rollup: str, rules: str) -> SafeString:
    """The "Choose the chart" form (GET, no token, no user data) as the page shows it:
    its HTML follows from the three choices alone, so each process renders each of the
    dozen combinations once (a millisecond of every chart page)."""
    return _chart_options_html(str(chart), str(rollup), str(rules))


@lru_cache(maxsize=64)
def _chart_options_html(chart: str, rollup: str, rules: str) -> SafeString:
    return ChartOptionsForm(initial={"chart": chart, "rollup": rollup, "rules": rules}).render()


def chart_settings_html(*, initial: dict, periods) -> SafeString:
    """The team's chart settings form, unbound (the page's token is outside it), as the
    page shows it: its HTML follows from the initial values and the periods' starts and
    labels alone, which most of a collaborative's teams share, so each process renders
    each combination once."""
    key = (tuple(sorted(initial.items())), tuple((p.start, p.label) for p in periods))
    try:
        hash(key)
    except TypeError:  # a phase stored in an odd shape: render it, as the page always did
        return ChartSettingsForm(initial=initial, periods=periods).render()
    return _chart_settings_html(*key)


@lru_cache(maxsize=256)
def _chart_settings_html(initial: tuple, periods: tuple) -> SafeString:
    choices = [SimpleNamespace(start=start, label=label) for start, label in periods]
    return ChartSettingsForm(initial=dict(initial), periods=choices).render()
