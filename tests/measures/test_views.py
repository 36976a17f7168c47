"""Pages: who may see and do what (404 for what they may not see, 403 for what they may
not do), and the journeys behind them as a person sees them."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from measures import services
from measures.models import (
    BenchmarkConsent,
    CollaborativeMeasure,
    DataPoint,
    Measure,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
    TeamMeasure,
)
from measures.validation import Entry, entry_field
from tests.clock import label, month

from .conftest import HIDDEN_PERSONAS, client_for

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, HIDDEN = 200, 403, 404


def team_urls(world) -> dict[str, str]:
    team = world.t.team.public_id
    return {
        "home": reverse("measures:team_measures", kwargs={"team_id": team}),
        "period": reverse(
            "measures:period", kwargs={"team_id": team, "period_id": world.may.public_id}
        ),
        "measure": reverse(
            "measures:team_measure", kwargs={"team_id": team, "measure_id": world.m1.public_id}
        ),
        "history": reverse(
            "measures:measure_history", kwargs={"team_id": team, "measure_id": world.m1.public_id}
        ),
        "choose": reverse("measures:team_choose", kwargs={"team_id": team}),
        "export": reverse("measures:team_export", kwargs={"team_id": team}),
        "template": reverse("measures:team_template", kwargs={"team_id": team}),
        "import": reverse("measures:team_import", kwargs={"team_id": team}),
        "preview": reverse(
            "measures:team_import_preview",
            kwargs={"team_id": team, "import_id": world.batch.public_id},
        ),
        "own": reverse("measures:custom_create", kwargs={"team_id": team}),
    }


def collaborative_urls(world) -> dict[str, str]:
    c = world.t.collaborative.public_id
    return {
        "overview": reverse("measures:collaborative", kwargs={"collaborative_id": c}),
        "measure": reverse(
            "measures:measure", kwargs={"collaborative_id": c, "measure_id": world.m1.public_id}
        ),
        "status": reverse("measures:status", kwargs={"collaborative_id": c}),
        "set": reverse("measures:set", kwargs={"collaborative_id": c}),
        "periods": reverse("measures:periods", kwargs={"collaborative_id": c}),
        "import": reverse("measures:collaborative_import", kwargs={"collaborative_id": c}),
        "template": reverse("measures:collaborative_template", kwargs={"collaborative_id": c}),
        "export": reverse("measures:collaborative_export", kwargs={"collaborative_id": c}),
    }


def library_urls(world) -> dict[str, str]:
    m = world.m1.public_id
    return {
        "library": reverse("measures:library"),
        "create": reverse("measures:library_create"),
        "detail": reverse("measures:library_detail", kwargs={"measure_id": m}),
        "edit": reverse("measures:library_edit", kwargs={"measure_id": m}),
    }


ALL_OK = dict.fromkeys(
    [
        "home",
        "period",
        "measure",
        "history",
        "choose",
        "export",
        "template",
        "import",
        "preview",
        "own",
    ],
    OK,
)
TEAM_EXPECTED = {
    "admin": ALL_OK,
    "staff": ALL_OK,
    "lead": ALL_OK,
    "member": ALL_OK,
    "coach": {
        **ALL_OK,
        "template": FORBIDDEN,
        "import": FORBIDDEN,
        "preview": FORBIDDEN,
        "own": FORBIDDEN,
    },
    **{p: dict.fromkeys(ALL_OK, HIDDEN) for p in HIDDEN_PERSONAS},
}
STAFF_PAGES = {"set": FORBIDDEN, "periods": FORBIDDEN, "import": FORBIDDEN, "template": FORBIDDEN}
C_ALL = dict.fromkeys(
    ["overview", "measure", "status", "set", "periods", "import", "template", "export"], OK
)
COLLABORATIVE_EXPECTED = {
    "admin": C_ALL,
    "staff": C_ALL,
    "coach": {**C_ALL, **STAFF_PAGES},
    "unassigned_coach": {**C_ALL, **STAFF_PAGES},
    "lead": {**C_ALL, **STAFF_PAGES, "status": FORBIDDEN, "export": FORBIDDEN},
    "member": {**C_ALL, **STAFF_PAGES, "status": FORBIDDEN, "export": FORBIDDEN},
    "outsider": dict.fromkeys(C_ALL, HIDDEN),
    "other_tenant_staff": dict.fromkeys(C_ALL, HIDDEN),
}
L_STAFF = {"library": OK, "create": OK, "detail": OK, "edit": OK}
L_NONE = {"library": FORBIDDEN, "create": FORBIDDEN, "detail": HIDDEN, "edit": HIDDEN}
LIBRARY_EXPECTED = {
    "admin": L_STAFF,
    "staff": L_STAFF,
    "coach": {"library": OK, "create": FORBIDDEN, "detail": OK, "edit": FORBIDDEN},
    "unassigned_coach": {"library": OK, "create": FORBIDDEN, "detail": OK, "edit": FORBIDDEN},
    "lead": L_NONE,
    "member": L_NONE,
    "outsider": L_NONE,
    "other_tenant_staff": {"library": OK, "create": OK, "detail": HIDDEN, "edit": HIDDEN},
}


@pytest.mark.parametrize("name", sorted(TEAM_EXPECTED.keys() | COLLABORATIVE_EXPECTED.keys()))
def test_every_page_answers_each_persona_as_it_should(world, persona, name):
    client = client_for(persona(name))
    problems = []
    for expected, urls in (
        (TEAM_EXPECTED[name], team_urls(world)),
        (COLLABORATIVE_EXPECTED[name], collaborative_urls(world)),
        (LIBRARY_EXPECTED[name], library_urls(world)),
    ):
        for key, url in urls.items():
            got = client.get(url).status_code
            if got != expected[key]:
                problems.append(f"{key} {url}: {got}, expected {expected[key]}")
    assert client.get(reverse("measures:reviews")).status_code == OK
    assert problems == []


def test_anonymous_visitors_are_sent_to_sign_in(world):
    from django.test import Client

    response = Client().get(team_urls(world)["home"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- entering and submitting a month ------------------------------------------------------


def grid_data(world, **values) -> dict:
    data = {
        entry_field(world.m1, "numerator"): "",
        entry_field(world.m1, "denominator"): "",
        entry_field(world.m1, "note"): "",
        entry_field(world.own, "value"): "",
        entry_field(world.own, "note"): "",
        "tested": "",
        "learned": "",
        "barriers": "",
        "wins": "",
    }
    for key, value in values.items():
        measure, _, field = key.partition("__")
        data[entry_field(getattr(world, measure), field) if field else key] = value
    return data


def test_the_lead_enters_a_month_and_submits_it(world):
    client = client_for(world.t.lead)
    url = team_urls(world)["period"]
    page = client.get(url).content.decode()
    assert "Weight in kg: numerator" in page and "Triage weight recorded only in kg" in page
    # the previous month's value beside the field
    assert f"{label(world.april.start)}: 8 of 10 (80%)" in page

    data = grid_data(
        world,
        m1__numerator="1,8",
        m1__denominator="20",
        own__value="4",
        tested="Kilogram-only scale",
    )
    response = client.post(url, {**data, "submit": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct this problem" in html
    assert "commas only between thousands" in html
    assert not DataPoint.objects.filter(period=world.may).exists()

    data[entry_field(world.m1, "numerator")] = "18"
    response = client.post(url, {**data, "submit": "1"}, follow=True)
    assert (
        f"{label(world.may.start)} is submitted. Your coach, {world.t.coach.full_name}, was "
        "e-mailed to review it."
    ) in response.content.decode()
    submission = Submission.objects.get(team=world.t.team, period=world.may)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.tested == "Kilogram-only scale"
    assert OutboundEmail.objects.filter(to_email=world.t.coach.email).count() == 1

    again = client.get(url).content.decode()
    assert "ask your coach to return it" in again
    assert "Save and submit" not in again


def test_numerator_above_denominator_is_shown_at_the_field(world):
    client = client_for(world.t.member)
    data = grid_data(world, m1__numerator="21", m1__denominator="20")
    html = client.post(team_urls(world)["period"], {**data, "save": "1"}).content.decode()
    assert "The numerator (21) cannot be larger than the denominator (20)" in html
    assert f'id="id_{entry_field(world.m1, "numerator")}_error"' in html


def test_the_coach_reviews_but_does_not_enter_data(world):
    coach = client_for(world.t.coach)
    period_url = reverse(
        "measures:period",
        kwargs={"team_id": world.t.team.public_id, "period_id": world.april.public_id},
    )
    assert f"Review {label(world.april.start)}" in coach.get(period_url).content.decode()
    assert coach.post(period_url, grid_data(world)).status_code == FORBIDDEN
    review_url = reverse(
        "measures:period_review",
        kwargs={"team_id": world.t.team.public_id, "period_id": world.april.public_id},
    )
    assert client_for(world.t.member).post(review_url, {"decision": "reviewed"}).status_code == 403
    response = coach.post(
        review_url, {"decision": "returned", "comment": "April's denominator?"}, follow=True
    )
    assert f"{label(world.april.start)} returned to Alpha Team with your comment." in (
        response.content.decode()
    )
    page = client_for(world.t.lead).get(period_url).content.decode()
    assert "Returned by Alpha Coach" in page and "April&#x27;s denominator?" in page
    assert "Save and submit" in page  # open to the team again


def test_the_team_home_says_where_entry_opens_and_which_periods_are_late(world):
    html = client_for(world.t.lead).get(team_urls(world)["home"]).content.decode()
    # the oldest period not submitted
    assert f"Enter data for {label(world.march.start)}" in html
    assert "status-tag--late" in html
    assert "periods are late" in html


def test_the_measure_page_explains_signals_and_links_pdsa_cycles(world):
    team = world.t.team
    # March and May to November 2026 on the suite's default day (April is the sample's).
    for offset, num in [(-8, 4), (-6, 3), (-5, 4), (-4, 9), (-3, 10), (-2, 10), (-1, 9), (0, 10)]:
        DataPoint.objects.create(
            program=world.t.program,
            collaborative=world.t.collaborative,
            team=team,
            measure=world.m1,
            period=world.periods[month(offset)],
            numerator=Decimal(num),
            denominator=Decimal(10),
            note="Scale locked <kg>" if offset == -4 else "",
        )
    from pdsa.models import Cycle

    # The isolation sample, tested earlier this month, links M1 in its Study stage.
    cycle = Cycle.objects.get(team=team)
    html = client_for(world.t.member).get(team_urls(world)["measure"]).content.decode()
    assert "Too few points to judge" in html
    assert "Note: Scale locked &lt;kg&gt;" in html
    assert f'href="/teams/{team.public_id}/pdsa/cycles/{cycle.public_id}/"' in html
    assert f"Test of change linked to this measure: {cycle.title}" in html
    assert "Tests of change linked to this measure" in html
    assert "Show data" in html and 'role="img"' in html


def test_chart_settings_by_the_coach_and_values_deleted_and_restored(world):
    coach = client_for(world.t.coach)
    url = reverse(
        "measures:chart_settings",
        kwargs={"team_id": world.t.team.public_id, "measure_id": world.m1.public_id},
    )
    response = coach.post(
        url,
        {
            "chart_type": "control",
            "baseline_end": world.april.start.isoformat(),
            "phase1_start": month(-5).isoformat(),
            "phase1_label": "Kilogram scale",
        },  # fmt: skip
        follow=True,
    )
    assert "Chart settings saved." in response.content.decode()
    tm = TeamMeasure.objects.get(team=world.t.team, measure=world.m1)
    assert tm.chart_type == "control" and tm.phases[0]["label"] == "Kilogram scale"
    assert "P control chart" in coach.get(team_urls(world)["measure"]).content.decode()

    point = DataPoint.objects.get(team=world.t.team, period=world.april, measure=world.m1)
    delete = reverse(
        "measures:value_delete",
        kwargs={"team_id": world.t.team.public_id, "data_point_id": point.public_id},
    )
    restore = reverse(
        "measures:value_restore",
        kwargs={"team_id": world.t.team.public_id, "data_point_id": point.public_id},
    )
    # April is submitted: the team may not delete it, staff may.
    lead = client_for(world.t.lead)
    assert "already submitted" in lead.post(delete, follow=True).content.decode()
    client_for(world.t.staff).post(delete)
    point.refresh_from_db()
    assert point.deleted_at is not None
    assert lead.post(restore).status_code == 403
    history = client_for(world.t.staff).get(team_urls(world)["history"]).content.decode()
    assert "Deleted values" in history and "Restore" in history
    client_for(world.t.staff).post(restore)
    point.refresh_from_db()
    assert point.deleted_at is None


def test_the_lead_chooses_optional_measures_and_names_the_team(world):
    lead = client_for(world.t.lead)
    url = team_urls(world)["choose"]
    assert client_for(world.t.member).post(url, {"measures": []}).status_code == 403
    lead.post(url, {"measures": [str(world.los.public_id), str(world.own.public_id)]})
    home = lead.get(team_urls(world)["home"]).content.decode()
    assert "M9 ED length of stay" in home
    sharing = reverse("measures:team_sharing", kwargs={"team_id": world.t.team.public_id})
    lead.post(sharing, {"show_name": "on"})
    assert BenchmarkConsent.objects.get(team=world.t.team).show_name


def test_the_funnel_hides_other_teams_names_unless_they_opted_in(world):
    url = collaborative_urls(world)["measure"]
    other = world.t.other_team.name
    lead_page = client_for(world.t.lead).get(url + f"?period={world.april.public_id}")
    html = lead_page.content.decode()
    assert f"Teams compared in {label(world.april.start)}" in html
    assert f"{world.t.team.name} (your team)" in html
    assert other not in html
    assert other in client_for(world.t.staff).get(url).content.decode()

    BenchmarkConsent.objects.create(
        program=world.t.program, team=world.t.other_team, show_name=True
    )
    assert other in client_for(world.t.lead).get(url).content.decode()


def test_the_status_page_shows_late_and_missing_periods(world):
    html = client_for(world.t.coach).get(collaborative_urls(world)["status"]).content.decode()
    assert "late or missing" in html
    assert world.t.team.name in html
    assert world.t.other_team.name not in html  # the coach's own teams only
    staff = client_for(world.t.staff).get(collaborative_urls(world)["status"]).content.decode()
    assert world.t.other_team.name in staff


def test_staff_keep_the_library_the_set_and_the_periods(world):
    staff = client_for(world.t.staff)
    response = staff.post(
        library_urls(world)["create"],
        {
            "name": "Steroid for asthma or croup",
            "measure_type": "process",
            "data_kind": "proportion",
            "direction": "increase",
            "denominator_definition": "Asthma and croup visits",
            "frequency": "monthly",
            "is_active": "on",
        },
        follow=True,
    )
    assert "is in the library" in response.content.decode()
    steroid = Measure.objects.get(name="Steroid for asthma or croup")
    staff.post(
        collaborative_urls(world)["set"],
        {"measure": str(steroid.public_id), "requirement": "optional"},
    )
    assert CollaborativeMeasure.objects.filter(measure=steroid, requirement="optional").exists()
    entry_url = reverse(
        "measures:set_entry",
        kwargs={
            "collaborative_id": world.t.collaborative.public_id,
            "measure_id": steroid.public_id,
        },
    )
    staff.post(entry_url, {"remove": "1"})
    assert not CollaborativeMeasure.objects.filter(measure=steroid).exists()

    staff.post(
        collaborative_urls(world)["periods"],
        {"frequency": "monthly", "baseline_months": "2", "due_days": "10"},
    )
    assert ReportingPeriod.objects.filter(  # January 2026 on the suite's default day
        collaborative=world.t.collaborative,
        start=month(-10),
        due_date=month(-9) + timedelta(days=9),
    ).exists()
    edit = reverse(
        "measures:period_edit",
        kwargs={
            "collaborative_id": world.t.collaborative.public_id,
            "period_id": world.may.public_id,
        },
    )
    june_20, june_25 = month(-5).replace(day=20), month(-5).replace(day=25)
    staff.post(edit, {"due_date": june_20.isoformat()})
    world.may.refresh_from_db()
    assert world.may.due_date == june_20
    assert (
        client_for(world.t.coach).post(edit, {"due_date": june_25.isoformat()}).status_code == 403
    )


def test_the_collaborative_overview_shows_signals_by_team(world):
    services.period_save(
        team=world.t.team,
        period=world.may,
        actor=world.t.lead,
        entries={world.m1: Entry(Decimal(7), Decimal(10))},
    )
    html = client_for(world.t.staff).get(collaborative_urls(world)["overview"]).content.decode()
    assert "Signals by team" in html
    assert world.t.team.name in html and world.t.other_team.name in html
    lead_html = client_for(world.t.lead).get(collaborative_urls(world)["overview"]).content.decode()
    assert world.t.other_team.name not in lead_html


def test_the_team_sections_link_to_the_measures(world):
    html = client_for(world.t.member).get(f"/teams/{world.t.team.public_id}/").content.decode()
    assert f'href="{team_urls(world)["home"]}"' in html


def test_optional_measure_the_team_did_not_select_still_has_a_page(tenant_a):
    """Collaborative pages link every team to every measure of the set: no dead links."""
    from django.test import Client

    from measures.models import CollaborativeMeasure, Measure, Requirement

    measure = Measure.objects.create(
        program=tenant_a.program,
        name="Suicide risk screening",
        short_name="Suicide screen",
        measure_type="process",
        data_kind="proportion",
    )
    CollaborativeMeasure.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.collaborative,
        measure=measure,
        requirement=Requirement.OPTIONAL,
    )
    client = Client()
    client.force_login(tenant_a.member)
    response = client.get(f"/teams/{tenant_a.team.public_id}/measures/{measure.public_id}/")
    assert response.status_code == 200


def test_a_chart_can_be_read_with_the_ihi_rules(world):
    """The rules are a way of looking (GET, nothing saved); the default stays Anhøj."""
    client = client_for(world.t.coach)
    url = team_urls(world)["measure"]
    default = client.get(url).content.decode()
    assert "Signals by the Anhøj rules." in default
    ihi = client.get(url + "?rules=ihi").content.decode()
    assert "Signals by the IHI rules." in ihi
    assert re.search(r'<input[^>]*name="rules" value="ihi"[^>]*checked', ihi)
    assert not re.search(r'<input[^>]*name="rules" value="ihi"[^>]*checked', default)
    unknown = client.get(url + "?rules=nelson")
    assert unknown.status_code == 200 and "Signals by the Anhøj rules." in unknown.content.decode()
    pooled = client.get(collaborative_urls(world)["measure"] + "?rules=ihi").content.decode()
    assert "Signals by the IHI rules." in pooled
