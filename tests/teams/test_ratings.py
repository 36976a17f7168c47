"""Monthly progress ratings on the IHI scale: service, history selector and the progress page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.clock import current_month, month_start
from core.models import AuditEvent
from teams.models import IHI_SCALE, ProgressRating, RatingKind
from teams.selectors import progress_history
from teams.services import progress_rating_create
from tests.clock import label

from .conftest import HIDDEN_PERSONAS, VISIBLE_PERSONAS, client_for, page_text

pytestmark = pytest.mark.django_db


def _next_month() -> date:
    return month_start(current_month() + timedelta(days=32))


def _previous_month() -> date:
    return month_start(current_month() - timedelta(days=1))


def _rate(
    tenant, kind=RatingKind.COACH, score="2.5", month=None, rationale="Tests begun.", by=None
):
    return progress_rating_create(
        team=tenant.team,
        month=month or current_month(),
        kind=kind,
        score=score,
        rationale=rationale,
        rated_by=by or (tenant.coach if kind == RatingKind.COACH else tenant.lead),
    )


def _url(tenant) -> str:
    return reverse("teams:progress", kwargs={"team_id": tenant.team.public_id})


# --- the service ------------------------------------------------------------------------


def test_rating_is_stored_for_the_first_of_the_month_and_audited(tenant_a):
    day = current_month().replace(day=1) + timedelta(days=5)
    rating = _rate(tenant_a, month=day, score=Decimal("3.5"), rationale="  Gains holding.  ")
    assert rating.month == current_month()
    assert rating.score == Decimal("3.5")
    assert rating.rationale == "Gains holding."
    assert rating.program == tenant_a.program
    event = AuditEvent.objects.get(verb="progress_rating.created")
    assert event.target_id == str(rating.public_id)
    assert event.data == {"kind": "coach", "score": "3.5", "month": current_month().isoformat()}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"month": "future"}, "month", "has not started yet. Rate a month once it has begun."),
        ({"rationale": "   "}, "rationale", "Write a short rationale"),
        ({"rationale": ""}, "rationale", "Write a short rationale"),
        ({"rationale": "x" * 5001}, "rationale", "Keep the rationale under 5000 characters."),
        ({"score": "0.7"}, "score", "Choose a score on the IHI scale: 0.5 to 5.0"),
        ({"score": "5.5"}, "score", "Choose a score on the IHI scale: 0.5 to 5.0"),
        ({"score": "0"}, "score", "Choose a score on the IHI scale: 0.5 to 5.0"),
        ({"score": "high"}, "score", "Choose a score on the IHI scale: 0.5 to 5.0"),
        ({"kind": "peer"}, "kind", "Choose a coach rating or a team self-rating."),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_saved(tenant_a, overrides, field, message):
    if overrides.get("month") == "future":
        overrides["month"] = _next_month()
    before = ProgressRating.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        _rate(tenant_a, **overrides)
    assert message in excinfo.value.message_dict[field][0]
    assert ProgressRating.objects.count() == before
    assert not AuditEvent.objects.filter(verb="progress_rating.created").exists()


@pytest.mark.parametrize("score", ["0.5", "1", "4.5", "5.0", 2])
def test_every_point_of_the_scale_is_accepted(tenant_a, score):
    assert Decimal(str(score)) in IHI_SCALE
    assert _rate(tenant_a, score=score).score == Decimal(str(score))


def test_rating_a_month_again_keeps_the_history(tenant_a):
    first = _rate(tenant_a, score="2.0", rationale="First look.")
    second = _rate(tenant_a, score="2.5", rationale="After the team call.")
    assert ProgressRating.objects.filter(team=tenant_a.team, month=current_month()).count() == 2
    month = progress_history(team=tenant_a.team)[0]
    assert month.month == current_month()
    assert month.coach == second
    assert month.replaced == [first]


def test_history_pairs_coach_and_self_per_month_and_flags_big_gaps(tenant_a):
    previous = _previous_month()
    _rate(tenant_a, kind=RatingKind.COACH, score="2.0")
    _rate(tenant_a, kind=RatingKind.SELF, score="3.5")
    _rate(tenant_a, kind=RatingKind.COACH, score="2.0", month=previous)
    _rate(tenant_a, kind=RatingKind.SELF, score="2.5", month=previous)
    history = progress_history(team=tenant_a.team)
    assert [m.month for m in history][:2] == [current_month(), previous]
    now, before = history[0], history[1]
    assert (now.coach.score, now.self_rating.score, now.gap) == (
        Decimal("2.0"),
        Decimal("3.5"),
        Decimal("1.5"),
    )
    assert now.needs_talk
    assert now.gap_label == "Gap of 1.5: talk it through"
    assert before.gap == Decimal("0.5")
    assert not before.needs_talk
    assert before.gap_label == "Difference of 0.5"


def test_a_gap_of_exactly_one_is_flagged(tenant_a):
    _rate(tenant_a, kind=RatingKind.COACH, score="2.0")
    _rate(tenant_a, kind=RatingKind.SELF, score="3.0")
    assert progress_history(team=tenant_a.team)[0].needs_talk


# --- the page per access level -----------------------------------------------------------


@pytest.mark.parametrize("persona_name", VISIBLE_PERSONAS)
def test_the_team_its_coach_and_staff_read_the_ratings(tenant_a, persona, persona_name):
    response = client_for(persona(persona_name)).get(_url(tenant_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert label(tenant_a.rating.month) in html  # April 2026 on the suite's default day
    assert tenant_a.rating.rationale in html
    assert tenant_a.coach.display_name in html


@pytest.mark.parametrize("persona_name", HIDDEN_PERSONAS)
def test_everyone_else_gets_404(tenant_a, persona, persona_name):
    client = client_for(persona(persona_name))
    assert client.get(_url(tenant_a)).status_code == 404
    response = client.post(
        _url(tenant_a),
        {"kind": "coach", "coach-month": current_month().strftime("%Y-%m"), "coach-score": "3.0"},
    )
    assert response.status_code == 404
    assert ProgressRating.objects.filter(team=tenant_a.team).count() == 1


@pytest.mark.parametrize(
    ("persona_name", "coach_form", "self_form"),
    [
        ("coach", True, False),
        ("staff", True, False),
        ("admin", True, False),
        ("lead", False, True),
        ("member", False, False),
    ],
)
def test_each_role_gets_its_own_form(tenant_a, persona, persona_name, coach_form, self_form):
    html = client_for(persona(persona_name)).get(_url(tenant_a)).content.decode()
    assert ("Give the coach rating" in html) is coach_form
    assert ("Rate your team&#x27;s progress" in html or "Rate your team's progress" in html) is (
        self_form
    )
    if not (coach_form or self_form):
        assert "you can read them here" in html
        assert 'type="radio"' not in html


def test_the_form_shows_the_scale_with_its_definitions_as_radio_buttons(tenant_a):
    html = page_text(client_for(tenant_a.coach).get(_url(tenant_a)))
    assert html.count('type="radio" name="coach-score"') == len(IHI_SCALE)
    for value, definition in IHI_SCALE.items():
        assert f"{value} – {definition}" in html
    # The month defaults to the current one; future months are not offered.
    assert f'<option value="{current_month():%Y-%m}" selected>' in html
    assert f'value="{_next_month():%Y-%m}"' not in html


def _post(client, tenant, kind, **fields):
    data = {"kind": kind}
    data.update({f"{kind}-{key}": value for key, value in fields.items()})
    return client.post(_url(tenant), data)


def test_coach_rates_and_the_page_shows_the_gap(tenant_a):
    _rate(tenant_a, kind=RatingKind.SELF, score="3.5", rationale="We feel great.")
    response = _post(
        client_for(tenant_a.coach),
        tenant_a,
        "coach",
        month=current_month().strftime("%Y-%m"),
        score="2.0",
        rationale="Baseline only; no tests of change yet.",
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#history")
    rating = ProgressRating.objects.get(team=tenant_a.team, month=current_month(), kind="coach")
    assert (rating.score, rating.rated_by) == (Decimal("2.0"), tenant_a.coach)
    html = page_text(client_for(tenant_a.lead).get(_url(tenant_a)))
    assert "Gap of 1.5: talk it through" in html
    assert "status-tag--gap" in html
    assert "Baseline only; no tests of change yet." in html


def test_lead_gives_the_self_rating(tenant_a):
    response = _post(
        client_for(tenant_a.lead),
        tenant_a,
        "self",
        month=_previous_month().strftime("%Y-%m"),
        score="1.5",
        rationale="Aim written, measures chosen.",
    )
    assert response.status_code == 302
    rating = ProgressRating.objects.get(team=tenant_a.team, kind="self")
    assert (rating.month, rating.score, rating.rated_by) == (
        _previous_month(),
        Decimal("1.5"),
        tenant_a.lead,
    )


@pytest.mark.parametrize(
    ("persona_name", "kind"),
    [
        ("lead", "coach"),
        ("coach", "self"),
        ("staff", "self"),
        ("member", "self"),
        ("member", "coach"),
    ],
)
def test_nobody_gives_a_kind_of_rating_that_is_not_theirs(tenant_a, persona, persona_name, kind):
    response = _post(
        client_for(persona(persona_name)),
        tenant_a,
        kind,
        month=current_month().strftime("%Y-%m"),
        score="3.0",
        rationale="Trying.",
    )
    assert response.status_code == 403
    assert ProgressRating.objects.filter(team=tenant_a.team).count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"score": "3.0", "rationale": ""}, "Write a short rationale"),
        ({"rationale": "Why not."}, "Choose a score on the IHI scale."),
        ({"score": "3.0", "rationale": "Why.", "month": "future"}, "has not started yet."),
        ({"score": "3.0", "rationale": "Why.", "month": "May 2026"}, "Choose a month"),
        ({"score": "7", "rationale": "Why."}, "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_at_the_field_and_saves_nothing(tenant_a, fields, message):
    fields = dict(fields)
    if fields.get("month") == "future":
        fields["month"] = _next_month().strftime("%Y-%m")
    fields.setdefault("month", current_month().strftime("%Y-%m"))
    response = _post(client_for(tenant_a.coach), tenant_a, "coach", **fields)
    assert response.status_code == 200
    html = page_text(response)
    assert message in html
    assert "usa-form-group--error" in html
    assert "Please correct" in html
    assert ProgressRating.objects.filter(team=tenant_a.team).count() == 1


@pytest.mark.today("2027-01-05")
def test_in_january_the_coach_rates_december_of_the_year_before_but_not_february(tenant_a):
    """About a year boundary: last month is in the year before, next month is to come."""
    client = client_for(tenant_a.coach)
    html = client.get(_url(tenant_a)).content.decode()
    assert 'value="2027-01"' in html and 'value="2026-12"' in html
    assert "December 2026" in html

    _post(client, tenant_a, "coach", month="2026-12", score="3.0", rationale="Held.")
    assert ProgressRating.objects.filter(team=tenant_a.team, month=date(2026, 12, 1)).exists()
    refused = _post(client, tenant_a, "coach", month="2027-02", score="3.0", rationale="Soon.")
    assert "February 2027 has not started yet." in page_text(refused)
    assert not ProgressRating.objects.filter(team=tenant_a.team, month=date(2027, 2, 1)).exists()


def test_replaced_ratings_stay_visible_as_history(tenant_a):
    _rate(tenant_a, score="2.0", rationale="First look.")
    _rate(tenant_a, score="2.5", rationale="Second look.")
    html = client_for(tenant_a.member).get(_url(tenant_a)).content.decode()
    assert "First look." in html
    assert "Second look." in html
    assert "Replaced" in html
    assert "1 earlier rating kept below" in html


def test_rationales_are_escaped(tenant_a):
    _rate(tenant_a, rationale="<img src=x onerror=alert(1)>")
    html = client_for(tenant_a.lead).get(_url(tenant_a)).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html


def test_a_team_sees_only_its_own_ratings(tenant_a):
    progress_rating_create(
        team=tenant_a.other_team,
        month=current_month(),
        kind=RatingKind.COACH,
        score="4.0",
        rationale="Other team's secret rationale",
        rated_by=tenant_a.staff,
    )
    html = client_for(tenant_a.lead).get(_url(tenant_a)).content.decode()
    assert "secret rationale" not in html
