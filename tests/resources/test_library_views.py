"""The library's pages: who reaches what (404 for what one may not see, 403 for a
change one may not make), opens counted without the user, the public page without
login, search with escaped highlights, the sections on the fixed clock, and the
staff's forms with their errors."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core import clock
from core.models import AuditEvent
from resources.models import Resource, ResourceKind, ResourceViewDay, Visibility
from tests.factories import client_for

from .library_tenant_builder import PDF_BYTES, make_resource

pytestmark = pytest.mark.django_db


def url(name: str, resource: Resource) -> str:
    return reverse(f"resources:{name}", kwargs={"resource_id": resource.public_id})


def toolkit(tenant) -> Resource:
    return Resource.objects.get(program=tenant.program, kind=ResourceKind.TOOLKIT)


@pytest.mark.parametrize("who", ["admin", "staff", "coach", "lead", "member"])
def test_the_programs_people_see_the_library_and_a_resource(tenant_a, tenant_b, who):
    client = client_for(getattr(tenant_a, who))
    page = client.get(reverse("resources:library")).content.decode()
    assert "Alpha Program Readiness Toolkit" in page
    assert "BRAVO-PRIVATE" not in page and "Bravo Program" not in page
    detail = client.get(url("detail", toolkit(tenant_a)))
    assert detail.status_code == 200
    assert "Private notes" in detail.content.decode()


def test_other_tenants_and_outsiders_get_404_everywhere(tenant_a, tenant_b, outsider):
    resource = toolkit(tenant_a)
    for user in (tenant_b.staff, tenant_b.member, outsider):
        client = client_for(user)
        for name in ("detail", "open", "edit", "retire", "restore"):
            assert client.get(url(name, resource)).status_code in (404, 405), (user, name)
            assert client.post(url(name, resource)).status_code == 404, (user, name)
    manage = reverse("resources:manage", kwargs={"program_id": tenant_a.program.public_id})
    for user in (tenant_b.staff, tenant_a.coach, tenant_a.member):
        assert client_for(user).get(manage).status_code == 404
    resource.refresh_from_db()
    assert resource.view_count == 2 and resource.retired_at is None  # the builder's two


def test_a_collaborative_scoped_resource_is_404_outside_it(tenant_a, outsider):
    scoped = Resource.objects.get(program=tenant_a.program, visibility=Visibility.COLLABORATIVE)
    assert client_for(tenant_a.member).get(url("detail", scoped)).status_code == 200
    assert client_for(outsider).get(url("detail", scoped)).status_code == 404


def test_team_people_may_see_but_not_change_a_resource(tenant_a):
    resource = toolkit(tenant_a)
    for who in ("coach", "lead", "member"):
        client = client_for(getattr(tenant_a, who))
        assert client.get(url("edit", resource)).status_code == 403
        assert client.post(url("retire", resource)).status_code == 403
    assert Resource.objects.get(pk=resource.pk).retired_at is None


def test_opening_a_file_counts_without_storing_the_user_and_downloads_safely(tenant_a):
    resource = toolkit(tenant_a)
    before = ResourceViewDay.objects.get(resource=resource).count
    assert before == resource.view_count == 2  # the builder's
    response = client_for(tenant_a.member).get(url("open", resource))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="toolkit.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    resource.refresh_from_db()
    assert resource.view_count == 3
    assert ResourceViewDay.objects.get(resource=resource, day=clock.today()).count == before + 1
    # No audit row or any other record names the member as having opened it.
    assert not AuditEvent.objects.filter(actor=tenant_a.member).exists()


def test_opening_a_link_counts_and_redirects(tenant_a):
    link = make_resource(tenant_a, "Reading")
    response = client_for(tenant_a.lead).get(url("open", link))
    assert response.status_code == 302 and response["Location"] == "https://example.org/r"
    link.refresh_from_db()
    assert link.view_count == 1


def test_a_public_resource_has_a_page_without_login_and_counts_opens(tenant_a):
    public = Resource.objects.get(program=tenant_a.program, visibility=Visibility.PUBLIC)
    Resource.objects.filter(pk=public.pk).update(body="Line one\n\n<script>x()</script>")
    anonymous = Client()
    page = anonymous.get(url("public", public))
    assert page.status_code == 200
    text = page.content.decode()
    assert public.title in text and "&lt;script&gt;x()&lt;/script&gt;" in text
    assert tenant_a.collaborative.title not in text and tenant_a.staff.full_name not in text
    opened = anonymous.get(url("public_open", public))
    assert opened.status_code == 302 and opened["Location"] == "https://example.org/poster"
    public.refresh_from_db()
    assert public.view_count == 1
    # The signed-in pages still need a login.
    assert anonymous.get(url("detail", public)).status_code == 302


def test_a_resource_that_is_not_public_has_no_public_page(tenant_a):
    wide = toolkit(tenant_a)
    retired = make_resource(tenant_a, "Gone", visibility=Visibility.PUBLIC, retired_at=clock.now())
    for resource in (wide, retired):
        assert Client().get(url("public", resource)).status_code == 404
        assert Client().get(url("public_open", resource)).status_code == 404
    assert Resource.objects.get(pk=wide.pk).view_count == 2  # the builder's, no more


def test_script_in_a_title_is_shown_escaped_in_lists_and_search(tenant_a):
    make_resource(tenant_a, "<script>alert('x')</script> sepsis huddle")
    from resources.search import index_resources

    index_resources(Resource.objects.values_list("pk", flat=True))
    client = client_for(tenant_a.member)
    for params in ({}, {"q": "sepsis"}):
        text = client.get(reverse("resources:library"), params).content.decode()
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text


@pytest.mark.postgres_only
def test_search_highlights_the_words_and_hides_the_sections(tenant_a):
    from resources.search import index_resources

    make_resource(tenant_a, "Splinting a child's forearm", summary="How to splint in the ED.")
    make_resource(tenant_a, "Unrelated poster")
    index_resources(Resource.objects.values_list("pk", flat=True))
    text = client_for(tenant_a.member).get(reverse("resources:library"), {"q": "splints"})
    body = text.content.decode()
    assert "<mark>Splinting</mark>" in body and "Unrelated poster" not in body
    assert "New this month" not in body and "Most used" not in body


def test_browsing_shows_new_this_month_and_most_used_filtering_hides_them(tenant_a):
    busy = make_resource(tenant_a, "Busy checklist")
    ResourceViewDay.objects.create(resource=busy, day=clock.today() - timedelta(days=3), count=9)
    client = client_for(tenant_a.member)
    body = client.get(reverse("resources:library")).content.decode()
    assert "New this month" in body and "Most used" in body
    assert "Opened 9 times in 90 days" in body
    filtered = client.get(reverse("resources:library"), {"kind": "toolkit"}).content.decode()
    assert "New this month" not in filtered and "Busy checklist" not in filtered
    assert "Alpha Program Readiness Toolkit" in filtered


def test_staff_manage_list_shows_opens_and_the_no_one_opened_filter(tenant_a):
    make_resource(tenant_a, "Nobody reads this")
    retired = make_resource(tenant_a, "Retired thing", retired_at=clock.now())
    manage = reverse("resources:manage", kwargs={"program_id": tenant_a.program.public_id})
    client = client_for(tenant_a.staff)
    body = client.get(manage).content.decode()
    assert "Nobody reads this" in body and retired.title in body and "Retired" in body
    never = client.get(manage, {"unopened": "ever"}).content.decode()
    assert "Nobody reads this" in never and "Alpha Program Readiness Toolkit" not in never


def test_staff_create_a_resource_with_a_file_through_the_form(tenant_a):
    new = reverse("resources:new", kwargs={"program_id": tenant_a.program.public_id})
    client = client_for(tenant_a.staff)
    assert client.get(new).status_code == 200
    response = client.post(
        new,
        {
            "title": "Triage cheat sheet",
            "summary": "One page.",
            "kind": "document",
            "visibility": "collaborative",
            "collaborative": str(tenant_a.collaborative.public_id),
            "focus_areas": [str(tenant_a.focus_area.public_id)],
            "audience": ["critical_access"],
            "tags": "triage, triage, ESI",
            "file": SimpleUploadedFile("sheet.pdf", PDF_BYTES),
        },
    )
    resource = Resource.objects.get(title="Triage cheat sheet")
    assert response.status_code == 302 and response["Location"] == url("detail", resource)
    assert resource.collaborative == tenant_a.collaborative and resource.tags == ["triage", "ESI"]
    assert resource.is_file and resource.original_name == "sheet.pdf"


def test_the_form_shows_clear_errors_and_stores_nothing(tenant_a, tenant_b):
    new = reverse("resources:new", kwargs={"program_id": tenant_a.program.public_id})
    client = client_for(tenant_a.staff)
    response = client.post(
        new,
        {
            "title": "Bad",
            "summary": "Bad link",
            "kind": "link",
            "visibility": "program",
            "url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please correct" in body and "address cannot be shared" in body
    disguised = client.post(
        new,
        {
            "title": "Bad",
            "summary": "Bad file",
            "kind": "document",
            "visibility": "program",
            "file": SimpleUploadedFile("page.pdf", b"<html><script>x</script></html>"),
        },
    )
    assert disguised.status_code == 400 and "is not a PDF" in disguised.content.decode()
    foreign = client.post(
        new,
        {
            "title": "Bad",
            "summary": "Other program's focus area",
            "kind": "link",
            "visibility": "program",
            "url": "https://example.org",
            "focus_areas": [str(tenant_b.focus_area.public_id)],
        },
    )
    assert foreign.status_code == 400 and "Select a valid choice" in foreign.content.decode()
    assert not Resource.objects.filter(title="Bad").exists()


def test_an_oversized_upload_is_refused_before_it_is_read(tenant_a):
    new = reverse("resources:new", kwargs={"program_id": tenant_a.program.public_id})
    response = client_for(tenant_a.staff).post(
        new, {"title": "x"}, CONTENT_LENGTH=str(51 * 1024 * 1024 + 65 * 1024)
    )
    assert response.status_code == 400
    assert "library files can be at most 50 MB" in response.content.decode()


def test_staff_edit_retire_and_restore_through_the_pages(tenant_a):
    resource = toolkit(tenant_a)
    client = client_for(tenant_a.staff)
    edit = client.get(url("edit", resource))
    assert edit.status_code == 200 and "toolkit.pdf" in edit.content.decode()
    saved = client.post(
        url("edit", resource),
        {
            "title": "Renamed toolkit",
            "summary": resource.summary,
            "kind": "toolkit",
            "visibility": "public",
        },
    )
    assert saved.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Renamed toolkit" and resource.is_file
    assert "Retire “Renamed toolkit”?" in client.get(url("retire", resource)).content.decode()
    assert client.post(url("retire", resource)).status_code == 302
    resource.refresh_from_db()
    assert resource.retired_at is not None
    member = client_for(tenant_a.member)
    assert member.get(url("detail", resource)).status_code == 404
    assert Client().get(url("public", resource)).status_code == 404
    staff_page = client.get(url("detail", resource)).content.decode()
    assert "This resource is retired" in staff_page
    assert client.get(url("open", resource)).status_code == 404
    assert client.post(url("restore", resource)).status_code == 302
    assert member.get(url("detail", resource)).status_code == 200


def test_every_signed_in_role_has_resources_in_the_navigation(tenant_a):
    link = f'href="{reverse("resources:library")}"'
    for who in ("staff", "coach", "member"):
        assert (
            link
            in client_for(getattr(tenant_a, who)).get(reverse("home"), follow=True).content.decode()
        )
