"""Writes that skip model signals (`bulk_create`, `QuerySet.update`, raw SQL) still
make the dashboards' cached views stale at once: the writing service announces them
through core.bulk_changes, and the per-team versions (coach dashboard) and the
per-collaborative versions (progress figures) move."""

from datetime import date

import pytest

from dashboards.progress_cache import progress_version
from dashboards.summary_versions import team_versions
from measures.models import ReportingPeriod
from measures.services import imports as services_import
from measures.services import periods_generate
from pdsa.models import ChangeIdea, CommentReceipt, Cycle
from pdsa.services import comment_create, comments_mark_read
from tests.measures import conftest as measures_conftest
from tests.measures.test_imports import HEADER, preview, ym

pytestmark = pytest.mark.django_db

world = measures_conftest.world


def _versions(team, collaborative) -> tuple[int, int]:
    return team_versions([team.pk])[team.pk], progress_version(collaborative.pk)


def test_an_import_moves_the_teams_and_the_collaboratives_versions(
    world, django_capture_on_commit_callbacks
):
    team, collaborative = world.t.team, world.t.collaborative
    batch = preview(world, (HEADER + f"{team.name},M1,{ym(world.may)},7,10,,\n").encode())
    other = world.t.other_team
    before = _versions(team, collaborative)
    other_before = team_versions([other.pk])[other.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services_import.import_commit(batch=batch, actor=world.t.lead)
    after = _versions(team, collaborative)
    assert after[0] > before[0] and after[1] > before[1]
    # The other team's data did not change: its cached summary stays.
    assert team_versions([other.pk])[other.pk] == other_before


def test_generated_periods_move_every_team_of_the_collaborative(
    tenant_a, django_capture_on_commit_callbacks
):
    collaborative = tenant_a.collaborative
    collaborative.start_date, collaborative.end_date = date(2027, 1, 1), date(2027, 6, 30)
    collaborative.save()
    teams = [tenant_a.team.pk, tenant_a.other_team.pk]
    before, progress_before = team_versions(teams), progress_version(collaborative.pk)
    with django_capture_on_commit_callbacks(execute=True):
        created = periods_generate(collaborative=collaborative, actor=tenant_a.staff)
    assert created and ReportingPeriod.objects.filter(start=date(2027, 6, 1)).exists()
    after = team_versions(teams)
    assert all(after[pk] > before[pk] for pk in teams)
    assert progress_version(collaborative.pk) > progress_before


def test_reading_comments_moves_the_teams_version(tenant_a, django_capture_on_commit_callbacks):
    team = tenant_a.team
    idea = ChangeIdea.objects.create(program=tenant_a.program, team=team, title="Huddle")
    cycle = Cycle.objects.create(program=tenant_a.program, team=team, change_idea=idea, title="C")
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(cycle=cycle, actor=tenant_a.lead, body="Please look.", by_coach=False)
    assert CommentReceipt.objects.filter(user=tenant_a.coach, read_at__isnull=True).exists()
    before = team_versions([team.pk])[team.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert comments_mark_read(cycle=cycle, user=tenant_a.coach) >= 1
    assert team_versions([team.pk])[team.pk] > before
    # Nothing left to mark: no write, no bump.
    with django_capture_on_commit_callbacks(execute=True):
        assert comments_mark_read(cycle=cycle, user=tenant_a.coach) == 0
    assert team_versions([team.pk])[team.pk] == before + 1
