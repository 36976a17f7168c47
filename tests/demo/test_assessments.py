"""The demo seed: the example template, waves and varied, submitted answers."""

import pytest

from assessments.models import ResponseStatus, SurveyResponse, SurveyTemplate, SurveyWave
from demo.collaboratives import ACTIVE, PAST
from demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_seed_loads_the_example_template_waves_and_responses():
    first = seed_demo(password="demo-test-password")
    template = SurveyTemplate.objects.get(program__slug="npric", name__contains="demo example")
    assert template.is_published and template.max_points == 100
    assert "not the NPRP assessment" in template.description

    waves = {
        (w.collaborative.slug, w.kind): w
        for w in SurveyWave.objects.select_related("collaborative")
    }
    assert set(waves) == {
        (PAST, "baseline"),
        (PAST, "follow_up"),
        (ACTIVE, "baseline"),
        (ACTIVE, "midpoint"),
        (ACTIVE, "follow_up"),
    }
    past = SurveyResponse.objects.filter(collaborative__slug=PAST)
    assert past.count() == 8 and set(past.values_list("status", flat=True)) == {"submitted"}
    current = SurveyResponse.objects.filter(wave=waves[(ACTIVE, "baseline")])
    assert current.count() == 12
    assert set(current.values_list("status", flat=True)) == {ResponseStatus.SUBMITTED}
    assert not SurveyResponse.objects.filter(wave=waves[(ACTIVE, "follow_up")]).exists()
    # Six months in, every team answered the midpoint survey, most of them higher.
    midpoint = SurveyResponse.objects.filter(wave=waves[(ACTIVE, "midpoint")])
    assert midpoint.count() == 12
    before = dict(current.values_list("team_id", "score"))
    assert sum(r.score > before[r.team_id] for r in midpoint) >= 9

    scores = sorted(current.values_list("score", flat=True))
    assert scores[0] < 60 < scores[-1], scores  # varied, so the distribution says something
    assert len(set(scores)) >= 8
    for team_name in ("Riverside Readiness", "Lakeside Readiness"):  # + the start year
        baseline, follow_up = (
            SurveyResponse.objects.get(team__name__startswith=team_name, wave=waves[(PAST, kind)])
            for kind in ("baseline", "follow_up")
        )
        assert follow_up.score > baseline.score
    riverside = current.get(team__name="Riverside ED Peds Ready")
    editors = set(riverside.answers.values_list("updated_by__email", flat=True))
    assert editors == {"lead@demo.example", "member@demo.example"}

    again = seed_demo(password="demo-test-password")
    assert again.created == 0 < first.created
    assert SurveyResponse.objects.count() == 32
