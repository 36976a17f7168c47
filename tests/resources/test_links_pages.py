"""Links between resources and gaps, measures, change ideas, package items and events:
each link shows in both places, only to people who may see both ends, and bad links
are refused with a message (resources/views_links.py, ready_links.py)."""

import io
import uuid

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import LinkKind, QuestionLink, SurveyResponse, SurveyTemplate
from collaboratives.models import Collaborative
from core.audit import AuditEvent
from core.panels import RESOURCE_PAGE, TEAM_MEASURE_PAGE, render_panels
from learning_sessions.models import Event
from measures.models import Measure
from pdsa.models import ChangeIdea, ChangePackageItem
from resources.models import LinkTarget, Resource, ResourceKind, ResourceLink, Visibility
from resources.services.links import resource_links_refresh
from teams.models import TeamRole
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def resource_of(tenant) -> Resource:
    return Resource.objects.get(public_id=tenant.extras["resource_id"])


def new_resource(tenant, title: str, **fields) -> Resource:
    return Resource.objects.create(
        program=tenant.program,
        kind=ResourceKind.TEMPLATE,
        title=title,
        summary=f"Summary of {title}",
        url="https://example.org/r",
        **fields,
    )


def linked_to_html(user, resource) -> str:
    """The "Linked to" panel of the resource's page, as `user` sees it."""
    request = RequestFactory().get("/")
    request.user = user
    return "".join(render_panels(RESOURCE_PAGE, request=request, resource=resource))


def links_url(resource) -> str:
    return reverse("resources:links", kwargs={"resource_id": resource.public_id})


def post_link(user, resource, kind: str, value: str):
    field = "question-question" if kind == "question" else f"{kind}-target"
    return client_for(user).post(links_url(resource), {"kind": kind, field: value})


# --- each target, both ways -------------------------------------------------------------


def test_measure_pages_list_the_resource_and_the_resource_lists_the_measure(tenant_a):
    resource = resource_of(tenant_a)
    measure = Measure.objects.get(public_id=tenant_a.extras["measure_id"])
    team_page = client_for(tenant_a.lead).get(
        reverse(
            "measures:team_measure",
            kwargs={"team_id": tenant_a.team.public_id, "measure_id": measure.public_id},
        )
    )
    assert team_page.status_code == 200
    html = team_page.content.decode()
    assert "Resources for this measure" in html
    assert f'href="/resources/{resource.public_id}/"' in html and resource.title in html
    pooled = client_for(tenant_a.member).get(
        reverse(
            "measures:measure",
            kwargs={
                "collaborative_id": tenant_a.collaborative.public_id,
                "measure_id": measure.public_id,
            },
        )
    )
    assert "Resources for this measure" in pooled.content.decode()
    assert resource.title in pooled.content.decode()
    linked = linked_to_html(tenant_a.member, resource)
    assert "Measures" in linked and measure.name in linked
    assert f"/measures/{measure.public_id}/" in linked  # the collaborative's measure page


def test_change_idea_ramp_lists_the_resource_and_only_its_team_sees_the_idea(tenant_a):
    resource = resource_of(tenant_a)
    idea = ChangeIdea.objects.get(public_id=tenant_a.extras["change_idea_id"])
    page = (
        client_for(tenant_a.member)
        .get(
            reverse(
                "pdsa:ramp_detail",
                kwargs={"team_id": tenant_a.team.public_id, "change_idea_id": idea.public_id},
            )
        )
        .content.decode()
    )
    assert "Resources for this change idea" in page and resource.title in page
    assert idea.title in linked_to_html(tenant_a.member, resource)
    assert idea.title in linked_to_html(tenant_a.coach, resource)  # the team's coach
    other = UserFactory()
    TeamMembershipFactory(team=tenant_a.other_team, user=other, role=TeamRole.LEAD)
    other_view = linked_to_html(other, resource)
    assert idea.title not in other_view
    assert "Measures" in other_view  # the rest of the links still show


def test_package_item_page_lists_the_resource_and_teams_reach_the_change_package(tenant_a):
    resource = resource_of(tenant_a)
    item = ChangePackageItem.objects.get(public_id=tenant_a.extras["package_item_id"])
    page = (
        client_for(tenant_a.staff)
        .get(
            reverse(
                "pdsa:package_item",
                kwargs={
                    "collaborative_id": tenant_a.collaborative.public_id,
                    "package_item_id": item.public_id,
                },
            )
        )
        .content.decode()
    )
    assert "Resources for this change" in page and resource.title in page
    member_view = linked_to_html(tenant_a.member, resource)
    assert item.title in member_view
    assert (
        reverse(
            "pdsa:change_package", kwargs={"collaborative_id": tenant_a.collaborative.public_id}
        )
        in member_view
    )
    # The team's idea seeded from the item lists the item's resources too.
    idea = ChangeIdea.objects.create(
        program=tenant_a.program, team=tenant_a.team, title="Seeded idea", source_item=item
    )
    ramp = (
        client_for(tenant_a.lead)
        .get(
            reverse(
                "pdsa:ramp_detail",
                kwargs={"team_id": tenant_a.team.public_id, "change_idea_id": idea.public_id},
            )
        )
        .content.decode()
    )
    assert "From the change package" in ramp and resource.title in ramp


def test_event_page_lists_the_resource_and_the_resource_lists_the_event(tenant_a):
    resource = resource_of(tenant_a)
    event = Event.objects.get(public_id=tenant_a.extras["event_id"])
    page = (
        client_for(tenant_a.member)
        .get(reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id}))
        .content.decode()
    )
    assert "Resources for this event" in page and resource.title in page
    linked = linked_to_html(tenant_a.member, resource)
    assert event.title in linked
    assert reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id}) in linked


def test_gap_report_and_its_pdf_list_a_resource_linked_to_the_gap(tenant_a):
    resource = new_resource(tenant_a, "Kilogram scale buying guide")
    template = SurveyTemplate.objects.get(public_id=tenant_a.extras["template_id"])
    response = post_link(tenant_a.staff, resource, "question", f"{template.public_id}:A2")
    assert response.status_code == 302, response.content.decode()[:2000]
    submitted = SurveyResponse.objects.get(public_id=tenant_a.extras["response_id"])
    report = (
        client_for(tenant_a.member)
        .get(reverse("assessments:response_report", kwargs={"response_id": submitted.public_id}))
        .content.decode()
    )
    gaps = report[report.index('id="gaps"') :]
    assert f'href="/resources/{resource.public_id}/"' in gaps
    assert "Kilogram scale buying guide" in gaps
    pdf = client_for(tenant_a.lead).get(
        reverse("assessments:response_pdf", kwargs={"response_id": submitted.public_id})
    )
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Kilogram scale buying guide" in text
    linked = linked_to_html(tenant_a.member, resource)
    assert "Gap-analysis questions" in linked and "A2" in linked and template.name in linked
    assert AuditEvent.objects.filter(
        verb="question_link.created", program=tenant_a.program
    ).exists()

    # Renamed: the gap report follows. Seen by one collaborative only: off the reports.
    resource.title = "Scale guide, 2nd edition"
    resource.save()
    resource_links_refresh(resource=resource, actor=tenant_a.staff)
    link = QuestionLink.objects.get(kind=LinkKind.RESOURCE, target_id=resource.public_id)
    assert link.title == "Scale guide, 2nd edition"
    resource.visibility = Visibility.COLLABORATIVE
    resource.collaborative = tenant_a.collaborative
    resource.save()
    resource_links_refresh(resource=resource, actor=tenant_a.staff)
    assert not QuestionLink.objects.filter(target_id=resource.public_id).exists()


def test_staff_link_and_remove_measures_items_and_events_from_the_links_page(tenant_a):
    resource = new_resource(tenant_a, "Triage poster")
    for kind, key in [
        (LinkTarget.MEASURE, "measure_id"),
        (LinkTarget.PACKAGE_ITEM, "package_item_id"),
        (LinkTarget.EVENT, "event_id"),
    ]:
        response = post_link(tenant_a.staff, resource, kind, str(tenant_a.extras[key]))
        assert response.status_code == 302
    assert resource.links.count() == 3
    page = client_for(tenant_a.staff).get(links_url(resource)).content.decode()
    assert "Weight in kg only" in page
    link = resource.links.get(target_kind=LinkTarget.EVENT)
    removed = client_for(tenant_a.staff).post(
        reverse("resources:link_remove", kwargs={"resource_link_id": link.public_id})
    )
    assert removed.status_code == 302
    assert resource.links.count() == 2
    assert AuditEvent.objects.filter(verb="resource_link.removed").count() == 1
    assert AuditEvent.objects.filter(verb="resource_link.created").count() == 3


# --- refusals -----------------------------------------------------------------------------


def test_another_programs_target_is_refused_and_nothing_is_stored(tenant_a, tenant_b):
    resource = new_resource(tenant_a, "Poster")
    template_b = SurveyTemplate.objects.get(public_id=tenant_b.extras["template_id"])
    for kind, value in [
        (LinkTarget.MEASURE, str(tenant_b.extras["measure_id"])),
        (LinkTarget.PACKAGE_ITEM, str(tenant_b.extras["package_item_id"])),
        (LinkTarget.EVENT, str(tenant_b.extras["event_id"])),
        ("question", f"{template_b.public_id}:A1"),
    ]:
        response = post_link(tenant_a.staff, resource, kind, value)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert "BRAVO-PRIVATE" not in response.content.decode()
    assert not ResourceLink.objects.filter(resource=resource).exists()
    assert not QuestionLink.objects.filter(target_id=resource.public_id).exists()


def test_a_duplicate_link_says_it_exists(tenant_a):
    resource = resource_of(tenant_a)  # already linked to the measure by the builder
    response = post_link(
        tenant_a.staff, resource, LinkTarget.MEASURE, str(tenant_a.extras["measure_id"])
    )
    assert response.status_code == 200
    assert "is already linked to" in response.content.decode()
    assert resource.links.filter(target_kind=LinkTarget.MEASURE).count() == 1


def test_a_retired_resource_cannot_be_linked(tenant_a):
    from django.utils import timezone

    resource = new_resource(tenant_a, "Old poster", retired_at=timezone.now())
    page = client_for(tenant_a.staff).get(links_url(resource)).content.decode()
    assert "This resource is retired" in page and "Add a link" not in page
    response = post_link(
        tenant_a.staff, resource, LinkTarget.MEASURE, str(tenant_a.extras["measure_id"])
    )
    assert "This resource is retired" in response.content.decode()
    assert not resource.links.exists()
    # Teams do not see it anywhere.
    assert client_for(tenant_a.lead).get(links_url(resource)).status_code == 404


def test_a_collaborative_resource_is_not_linked_to_gap_questions_or_other_collaboratives(
    tenant_a,
):
    resource = new_resource(
        tenant_a,
        "Active only",
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant_a.collaborative,
    )
    page = client_for(tenant_a.staff).get(links_url(resource)).content.decode()
    assert "not to gap questions" in page and 'name="question-question"' not in page
    other_event = Event.objects.create(
        program=tenant_a.program,
        collaborative=tenant_a.recruiting,
        kind=Event.objects.get(public_id=tenant_a.extras["event_id"]).kind,
        title="Recruiting webinar",
        starts_at=Event.objects.get(public_id=tenant_a.extras["event_id"]).starts_at,
        ends_at=Event.objects.get(public_id=tenant_a.extras["event_id"]).ends_at,
    )
    assert "Recruiting webinar" not in page
    response = post_link(tenant_a.staff, resource, LinkTarget.EVENT, str(other_event.public_id))
    assert "Select a valid choice" in response.content.decode()
    assert not resource.links.exists()


# --- visibility ---------------------------------------------------------------------------


def test_a_collaborative_resource_is_not_shown_to_another_collaboratives_team(tenant_a):
    measure = Measure.objects.get(public_id=tenant_a.extras["measure_id"])
    scoped = new_resource(
        tenant_a,
        "Active collaborative's chart guide",
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant_a.collaborative,
    )
    ResourceLink.objects.create(
        program=tenant_a.program,
        resource=scoped,
        target_kind=LinkTarget.MEASURE,
        target_id=measure.public_id,
    )
    recruiting: Collaborative = tenant_a.recruiting
    team = TeamFactory(program=tenant_a.program, collaborative=recruiting)
    lead = UserFactory()
    TeamMembershipFactory(team=team, user=lead, role=TeamRole.LEAD)

    def panel(user, team) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return "".join(
            render_panels(TEAM_MEASURE_PAGE, request=request, team=team, measure=measure)
        )

    assert "chart guide" in panel(tenant_a.lead, tenant_a.team)
    assert "chart guide" not in panel(lead, team)
    assert resource_of(tenant_a).title in panel(lead, team)  # program-wide: shown
    # Staff see what the team sees on the team's page.
    assert "chart guide" not in panel(tenant_a.staff, team)
    # And the other collaborative's lead cannot open its Links or its page's panel.
    assert client_for(lead).get(links_url(scoped)).status_code == 404


def test_links_page_is_for_the_programs_staff(tenant_a, tenant_b):
    resource = resource_of(tenant_a)
    assert client_for(tenant_a.staff).get(links_url(resource)).status_code == 200
    for user in (tenant_a.lead, tenant_a.member, tenant_a.coach):
        assert client_for(user).get(links_url(resource)).status_code == 403
    assert client_for(tenant_b.staff).get(links_url(resource)).status_code == 404
    unknown = reverse("resources:links", kwargs={"resource_id": uuid.uuid4()})
    assert client_for(tenant_a.staff).get(unknown).status_code == 404


# --- change ideas: the team links its own ------------------------------------------------


def add_url(tenant, idea) -> str:
    return reverse(
        "resources:change_idea_link_add",
        kwargs={"team_id": tenant.team.public_id, "change_idea_id": idea.public_id},
    )


def test_team_members_link_a_library_resource_to_their_change_idea_and_remove_it(tenant_a):
    idea = ChangeIdea.objects.get(public_id=tenant_a.extras["change_idea_id"])
    resource = new_resource(tenant_a, "Shift huddle template")
    ramp_url = reverse(
        "pdsa:ramp_detail",
        kwargs={"team_id": tenant_a.team.public_id, "change_idea_id": idea.public_id},
    )
    page = client_for(tenant_a.member).get(ramp_url).content.decode()
    assert "Link the resource" in page and "Shift huddle template" in page  # offered
    response = client_for(tenant_a.member).post(
        add_url(tenant_a, idea), {"resource": str(resource.public_id)}
    )
    assert response.status_code == 302 and response["Location"] == ramp_url
    link = ResourceLink.objects.get(resource=resource, target_kind=LinkTarget.CHANGE_IDEA)
    assert link.created_by == tenant_a.member
    assert idea.title in linked_to_html(tenant_a.lead, resource)
    # Again: the message says it exists.
    again = client_for(tenant_a.member).post(
        add_url(tenant_a, idea), {"resource": str(resource.public_id)}, follow=True
    )
    assert "is already linked to" in again.content.decode()
    assert ResourceLink.objects.filter(resource=resource).count() == 1
    # The coach reads but does not link; the member removes it.
    coach = client_for(tenant_a.coach).post(
        add_url(tenant_a, idea), {"resource": str(resource.public_id)}
    )
    assert coach.status_code == 403
    removed = client_for(tenant_a.member).post(
        reverse("resources:link_remove", kwargs={"resource_link_id": link.public_id})
    )
    assert removed.status_code == 302 and removed["Location"] == ramp_url
    assert not ResourceLink.objects.filter(pk=link.pk).exists()


def test_a_member_cannot_link_another_programs_resource_or_reach_another_team(tenant_a, tenant_b):
    idea = ChangeIdea.objects.get(public_id=tenant_a.extras["change_idea_id"])
    foreign = resource_of(tenant_b)
    response = client_for(tenant_a.member).post(
        add_url(tenant_a, idea), {"resource": str(foreign.public_id)}, follow=True
    )
    assert "Choose a resource of the library" in response.content.decode()
    assert not ResourceLink.objects.filter(resource=foreign, program=tenant_a.program).exists()
    idea_b = ChangeIdea.objects.get(public_id=tenant_b.extras["change_idea_id"])
    response = client_for(tenant_a.member).post(
        reverse(
            "resources:change_idea_link_add",
            kwargs={"team_id": tenant_a.team.public_id, "change_idea_id": idea_b.public_id},
        ),
        {"resource": str(resource_of(tenant_a).public_id)},
    )
    assert response.status_code == 404


def test_a_member_cannot_remove_a_staff_link(tenant_a):
    link = ResourceLink.objects.get(resource=resource_of(tenant_a), target_kind=LinkTarget.MEASURE)
    response = client_for(tenant_a.member).post(
        reverse("resources:link_remove", kwargs={"resource_link_id": link.public_id})
    )
    assert response.status_code == 403
    assert ResourceLink.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_another_tenants_links_are_not_found(persona, tenant_a, tenant_b):
    link_b = ResourceLink.objects.get(public_id=tenant_b.extras["resource_link_id"])
    response = client_for(getattr(tenant_a, persona)).post(
        reverse("resources:link_remove", kwargs={"resource_link_id": link_b.public_id})
    )
    assert response.status_code == 404
    assert ResourceLink.objects.filter(pk=link_b.pk).exists()


def test_a_visitor_without_an_account_sees_no_links_on_a_public_resource(tenant_a):
    from django.contrib.auth.models import AnonymousUser

    resource = resource_of(tenant_a)
    resource.visibility = Visibility.PUBLIC
    resource.save()
    assert linked_to_html(AnonymousUser(), resource) == ""
    assert "Weight in kg only" in linked_to_html(tenant_a.member, resource)
