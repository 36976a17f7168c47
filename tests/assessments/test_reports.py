"""Reports: the team's gap report (page and PDF), the collaborative view, CSV, query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Answer, ResponseStatus, SurveyResponse, SurveyWave, WaveKind
from assessments.scoring import score_response
from assessments.selectors import cached_sections, stored_value
from tests.factories import CoachAssignmentFactory, TeamFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def submit(team, wave, answers: dict, *, status=ResponseStatus.SUBMITTED) -> SurveyResponse:
    """A response as the service leaves it after submission (scored and cached)."""
    result = score_response(wave.template.definition, answers)
    response = SurveyResponse.objects.create(
        program=team.program,
        collaborative=team.collaborative,
        team=team,
        wave=wave,
        template=wave.template,
        status=status,
        submitted_at=timezone.now() if status == ResponseStatus.SUBMITTED else None,
        score=result.score if status == ResponseStatus.SUBMITTED else None,
        section_scores=cached_sections(result) if status == ResponseStatus.SUBMITTED else [],
    )
    for key, value in answers.items():
        json_value, na = stored_value(value)
        Answer.objects.create(
            program=team.program,
            team=team,
            response=response,
            question_key=key,
            value=json_value,
            not_applicable=na,
            updated_at=timezone.now(),
        )
    return response


def more_teams(tenant, n: int, wave, *, start: int = 0) -> list:
    """n extra active teams; each submits with B2 at a different level (scores 60 to 80)."""
    teams = []
    for i in range(start, start + n):
        team = TeamFactory(
            program=tenant.program, collaborative=tenant.collaborative, name=f"Extra team {i}"
        )
        submit(
            team,
            wave,
            {
                "A1": "yes",
                "A2": "full" if i % 2 else "none",
                "B1": ["io", "scale"],
                "B2": Decimal(50 + 10 * (i % 3)),
            },
        )
        teams.append(team)
    return teams


@pytest.fixture
def follow_up(tenant_a, survey) -> SurveyWave:
    return SurveyWave.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        template=survey,
        kind=WaveKind.FOLLOW_UP,
        opens_on=tenant_a.collaborative.start_date,
        due_on=tenant_a.collaborative.end_date,
    )


def report_url(response) -> str:
    return reverse("assessments:response_report", kwargs={"response_id": response.public_id})


# --- the team's gap report --------------------------------------------------------------------


def test_gap_report_lists_gaps_by_points_lost_with_resources(tenant_a, baseline, submitted):
    more_teams(tenant_a, 3, baseline)  # scores 70, 80 (A2 full, B2 60), 90 -> median with 60
    page = client_for(tenant_a.member).get(report_url(submitted)).content.decode()
    assert '<strong data-testid="score">60.0</strong>' in page
    # The team scored 60; the others 70 (A2 none, B2 50), 90 (A2 full, B2 60), 70
    assert "median of the collaborative (4 teams)" in page
    assert ">70.0<" in page
    gaps = page[page.index('id="gaps"') :]
    # A2 lost 2 (not met), B2 lost 2 (10% < 50%): both 2 points, template order decides.
    assert gaps.index("<strong>A2</strong>") < gaps.index("<strong>B2</strong>")
    assert "<strong>A1</strong>" not in gaps  # met
    assert "Coordinator toolkit" not in gaps  # A1 is met: its resource is not a gap
    assert 'role="img"' in page and "Your team" in page
    assert "Show data" in page


def test_gap_report_shows_the_linked_resource_of_an_unmet_item(tenant_a, baseline):
    response = submit(tenant_a.other_team, baseline, {"A1": "no", "B1": [], "B2": Decimal(90)})
    page = client_for(tenant_a.staff).get(report_url(response)).content.decode()
    gaps = page[page.index('id="gaps"') :]
    assert 'href="https://example.org/toolkit"' in gaps and "Coordinator toolkit" in gaps
    assert "High impact" in gaps
    # A2 is hidden (A1 is no): not asked, so not a gap, and the score is normalised.
    assert "<strong>A2</strong>" not in gaps
    assert '<strong data-testid="score">25.0</strong>' in page  # 2 of the 8 points that apply


def test_follow_up_report_shows_the_change_since_baseline(tenant_a, submitted, follow_up):
    later = submit(
        tenant_a.team, follow_up, {"A1": "yes", "A2": "full", "B1": ["io"], "B2": Decimal(80)}
    )
    page = client_for(tenant_a.lead).get(report_url(later)).content.decode()
    assert '<strong data-testid="score">90.0</strong>' in page
    assert "+30.0</strong>" in page and "points since the baseline survey (60.0)" in page
    # Section A: 66.7 -> 100.0; B: 50 -> 75.0
    assert "+33.3" in page and "+25.0" in page
    baseline_page = client_for(tenant_a.lead).get(report_url(submitted)).content.decode()
    assert "See the follow-up report and the change" in baseline_page


def test_draft_report_says_it_is_a_draft(tenant_a, follow_up):
    draft = submit(tenant_a.team, follow_up, {"A1": "yes"}, status=ResponseStatus.DRAFT)
    page = client_for(tenant_a.member).get(report_url(draft)).content.decode()
    assert "still a draft" in page and "Continue the survey" in page


def test_pdf_gap_report_has_the_scores_and_gaps_and_escapes_text(tenant_a, baseline, submitted):
    tenant_a.team.name = "Alpha <b>Bold</b> & Co"
    tenant_a.team.save()
    response = client_for(tenant_a.lead).get(
        reverse("assessments:response_pdf", kwargs={"response_id": submitted.public_id})
    )
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Gap report: baseline survey" in flat
    assert "Alpha <b>Bold</b> & Co" in flat
    assert "60.0" in flat and "score out of 100" in flat
    assert "Gaps to work on, most points first" in flat
    assert "The role is written down" in flat and "Nurses with PALS" in flat
    assert "Baseline: 1 team, median 60" in flat  # the chart's sentence


# --- the collaborative's view -----------------------------------------------------------------


def test_wave_report_shows_distribution_medians_and_who_is_missing(tenant_a, baseline, submitted):
    more_teams(tenant_a, 2, baseline)
    url = reverse("assessments:wave_report", kwargs={"wave_id": baseline.public_id})
    page = client_for(tenant_a.staff).get(url).content.decode()
    assert "<strong>3</strong> of 4" in page  # team, 2 extra; other_team missing
    assert "<strong>70.0</strong>" in page  # median of 60, 70, 90
    missing = page[page.index('id="missing"') :]
    assert "Alpha Other Team" in missing and "Not started" in missing
    assert 'role="img"' in page and "<title" in page and "Median 70" in page
    assert "Extra team 0" in page  # staff see every team's name


def test_coaches_see_every_score_but_only_their_teams_names(tenant_a, baseline, submitted):
    more_teams(tenant_a, 2, baseline)
    url = reverse("assessments:wave_report", kwargs={"wave_id": baseline.public_id})
    page = client_for(tenant_a.coach).get(url).content.decode()
    assert "<strong>3</strong> of 4" in page
    assert "Alpha Team" in page and "Extra team" not in page and "Alpha Other Team" not in page
    assert "Another team" in page  # unnamed dots in the data table
    assert "1 team you do not coach has not submitted yet." in page


def test_collaborative_surveys_page_per_role(tenant_a, baseline, submitted):
    url = reverse(
        "assessments:collaborative_surveys",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    staff_page = client_for(tenant_a.staff).get(url).content.decode()
    assert "Attach a survey" in staff_page and "1 of 2 teams" in staff_page
    assert "Section medians" in staff_page and "Coordination: <strong>66.7%</strong>" in staff_page
    member_page = client_for(tenant_a.member).get(url).content.decode()
    assert "Attach a survey" not in member_page and "Section medians" not in member_page
    assert "Gap report" in member_page  # their own submitted baseline


def test_csv_has_a_row_per_team_a_column_per_question_and_no_formulas(
    tenant_a, baseline, submitted
):
    Answer.objects.filter(response=submitted, question_key="B3").update(
        value='=HYPERLINK("http://evil.example")'
    )
    tenant_a.other_team.name = "@SUM(A1:A9)"
    tenant_a.other_team.save()
    response = client_for(tenant_a.staff).get(
        reverse("assessments:wave_csv", kwargs={"wave_id": baseline.public_id})
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:9] == [
        "Team",
        "Facility",
        "State",
        "Status",
        "Submitted",
        "Due",
        "Late",
        "Template version",
        "Score",
    ]
    assert header[9:11] == ["Section A %", "Section B %"]
    assert header[11:] == [
        "A1 A coordinator is named",
        "A2 The role is written down",
        "B1 Equipment in stock",
        "B2 Nurses with PALS",
        "B3 Anything else?",
    ]
    by_team = {row[0]: row for row in rows[1:]}
    assert len(rows) == 3
    team = by_team["Alpha Team"]
    assert team[3:] == [
        "Submitted",
        team[4],
        baseline.due_on.isoformat(),
        "yes",  # the sample response was submitted today, after the baseline's due date
        "1",
        "60.0",
        "66.7",
        "50",
        "Yes",
        "No",
        "IO needles; Kilogram scale",
        "10%",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert by_team["'@SUM(A1:A9)"][3] == "Not started"


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["collaborative_surveys", "wave_report", "response_report", "team_surveys"]
)
def test_pages_read_a_constant_number_of_queries(
    page, tenant_a, baseline, submitted, django_assert_max_num_queries
):
    kwargs = {
        "collaborative_surveys": {"collaborative_id": tenant_a.collaborative.public_id},
        "wave_report": {"wave_id": baseline.public_id},
        "response_report": {"response_id": submitted.public_id},
        "team_surveys": {"team_id": tenant_a.team.public_id},
    }[page]
    url = reverse(f"assessments:{page}", kwargs=kwargs)
    client = client_for(tenant_a.staff)
    more_teams(tenant_a, 2, baseline)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more_teams(tenant_a, 8, baseline, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("route", ["survey-response-list", "survey-score-list"])
def test_api_lists_read_a_constant_number_of_queries(
    route, tenant_a, baseline, submitted, django_assert_max_num_queries
):
    for team in more_teams(tenant_a, 6, baseline):
        CoachAssignmentFactory(team=team, coach=tenant_a.coach)
    client = client_for(tenant_a.coach)
    with django_assert_max_num_queries(8):
        body = client.get(reverse(f"api:{route}")).json()
    assert body["count"] == 7
    assert {r["team_name"] for r in body["results"]} >= {"Alpha Team", "Extra team 5"}
