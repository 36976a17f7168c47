"""The key-measure digests are computed ahead of the dashboards (beat, every four hours
and after midnight): a dashboard then reads them from the cache instead of analysing
every team's charts in the request (about a second at 300 teams)."""

import pytest
from django.conf import settings
from django.core.cache import cache

from config.celery import app
from dashboards.summary import _digest_key, team_digests_refresh, team_summaries
from dashboards.summary_versions import team_changed, team_versions
from dashboards.tasks import refresh_dashboard_digests
from teams.models import TeamStatus
from tests.clock import suite_today

from .test_summary import _count, _world

pytestmark = pytest.mark.django_db


def test_after_a_refresh_a_dashboard_analyses_nothing(tenant_a):
    _, teams = _world(tenant_a, 12)
    cache.clear()
    expected = {s.team.pk: s.measures for s in team_summaries(teams=teams, viewer=tenant_a.coach)}
    cache.clear()
    assert team_digests_refresh() >= 12
    # Two queries: the periods with the submissions' figures, and the teams' figures;
    # no measure sets, values or chart settings (the cold count is 5).
    assert _count(teams, tenant_a.coach) == 2
    got = {s.team.pk: s.measures for s in team_summaries(teams=teams, viewer=tenant_a.coach)}
    assert got == expected
    assert all(got[t.pk] and got[t.pk][0].signal_tone == "concern" for t in teams)


def test_a_refresh_replaces_what_is_stored_and_a_later_change_is_computed_again(
    tenant_a, django_capture_on_commit_callbacks
):
    _, teams = _world(tenant_a, 3)
    cache.clear()
    team = teams[0]
    key = _digest_key(team.pk, team_versions([team.pk])[team.pk], suite_today())
    cache.set(key, [], timeout=600)  # an entry from before the data it should show
    team_digests_refresh(team_ids=[t.pk for t in teams])
    assert cache.get(key) and cache.get(key)[0].signal_tone == "concern"
    assert _count(teams, tenant_a.coach) == 2
    # A write to the team's data bumps its version after commit: its digests are
    # computed again by the next dashboard, the others' are read.
    with django_capture_on_commit_callbacks(execute=True):
        team_changed(team.pk)
    assert _count(teams, tenant_a.coach) == 5


def test_only_active_teams_are_computed(tenant_a):
    _, teams = _world(tenant_a, 3)
    teams[1].status = TeamStatus.WITHDRAWN
    teams[1].save()
    cache.clear()
    assert team_digests_refresh(team_ids=[t.pk for t in teams]) == 2


def test_beat_runs_the_refresh_every_four_hours_from_midnight(tenant_a):
    _world(tenant_a, 2)
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-digests"]
    assert entry["task"] == "dashboards.tasks.refresh_dashboard_digests"
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {0, 4, 8, 12, 16, 20}
    assert refresh_dashboard_digests() >= 2
