"""Pages of the library: the list with its filters and search, a resource's page, its
open/download route (which counts the open), the public page without login, and the
staff's management list and forms."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Program
from accounts.selectors import is_program_staff, program_run_by_or_404, programs_run_by
from collaboratives.models import FacilityType
from core.forms import apply_validation_error
from core.http import declared_body_too_large, parse_uuid, require, stored_file_response
from core.paging import page_of
from core.panels import RESOURCE_PAGE, render_panels
from core.public import public_view

from .forms_library import LibraryFilterForm, ResourceForm, initial_from
from .models import Resource
from .search import highlighted, search_resources
from .selectors.library import (
    UNOPENED_EVER,
    UNOPENED_RECENTLY,
    USAGE_DAYS,
    filter_library,
    focus_areas_for_filter,
    most_used,
    new_this_month,
    public_resource_or_404,
    resource_or_404,
    resources_managed,
    resources_visible_to,
)
from .services.library import (
    STAFF_ONLY,
    ResourceInput,
    resource_create,
    resource_open_count,
    resource_restore,
    resource_retire,
    resource_update,
)
from .uploads import MAX_RESOURCE_BYTES, too_large_message

PAGE_SIZE = 20


def audience_labels(resource: Resource) -> list[str]:
    """The resource's audience in words ("Critical access hospital"), as chosen."""
    labels = dict(FacilityType.choices)
    return [labels[value] for value in resource.audience if value in labels]


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """The library the user may see: filters and a search box (a GET form), and, when
    neither is used, what is new this month and what is most used."""
    form = LibraryFilterForm(
        request.GET or None, focus_areas=focus_areas_for_filter(user=request.user)
    )
    visible = resources_visible_to(user=request.user)
    filters = form.filters()
    query = form.query()
    chosen = filter_library(
        visible,
        kind=filters.get("kind", ""),
        focus_area=parse_uuid(filters.get("focus_area")),
        audience=filters.get("audience", ""),
    )
    browsing = not query and not any(filters.values())
    results = search_resources(chosen, query) if query else chosen.order_by("title", "pk")
    pager = page_of(request, results, size=PAGE_SIZE, anchor="results", noun="resources")
    if query:
        for resource in pager.items:
            resource.title_html = highlighted(resource.title_marked)
            resource.summary_html = highlighted(resource.summary_marked)
    return render(
        request,
        "resources/library/library.html",
        {
            "form": form,
            "query": query,
            "browsing": browsing,
            "pager": pager,
            "new_this_month": new_this_month(visible) if browsing else [],
            "most_used": most_used(visible) if browsing else [],
            "usage_days": USAGE_DAYS,
            "managed_programs": programs_run_by(user=request.user),
        },
    )


@login_required
def resource_detail(request: HttpRequest, resource_id) -> HttpResponse:
    resource = resource_or_404(user=request.user, public_id=resource_id)
    return render(
        request,
        "resources/library/detail.html",
        {
            "resource": resource,
            "focus_areas": resource.focus_areas.order_by("name"),
            "audience": audience_labels(resource),
            "can_manage": is_program_staff(user=request.user, program=resource.program),
            "panels": render_panels(RESOURCE_PAGE, request=request, resource=resource),
        },
    )


def _open(resource: Resource) -> HttpResponse:
    """Count one open, then the file as a download (never shown inline here, with a
    sandbox policy and no type sniffing) or a redirect to the link."""
    if resource.is_file:
        response = stored_file_response(
            resource.file,
            content_type=resource.content_type,
            filename=resource.original_name or "resource",
        )
        resource_open_count(resource=resource)
        return response
    resource_open_count(resource=resource)
    return redirect(resource.url)


@login_required
def resource_open(request: HttpRequest, resource_id) -> HttpResponse:
    resource = resource_or_404(user=request.user, public_id=resource_id)
    if resource.retired_at is not None:
        raise Http404("This resource is retired.")
    return _open(resource)


@public_view
def public_resource(request: HttpRequest, resource_id) -> HttpResponse:
    """A public resource's page for anyone, without login: what it is and where it
    comes from, nothing about the program's collaboratives or people."""
    resource = public_resource_or_404(public_id=resource_id)
    return render(
        request,
        "resources/library/public.html",
        {"resource": resource, "audience": audience_labels(resource)},
    )


@public_view
def public_resource_open(request: HttpRequest, resource_id) -> HttpResponse:
    return _open(public_resource_or_404(public_id=resource_id))


# --- staff ---------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, program_id) -> HttpResponse:
    """Every resource of the program with its opens (recent and all time), retired ones
    last; "no one opened" narrows to those no one opened recently or ever."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    unopened = request.GET.get("unopened", "")
    if unopened not in (UNOPENED_RECENTLY, UNOPENED_EVER):
        unopened = ""
    pager = page_of(
        request,
        resources_managed(program=program, unopened=unopened),
        size=PAGE_SIZE,
        noun="resources",
    )
    return render(
        request,
        "resources/library/manage.html",
        {
            "program": program,
            "pager": pager,
            "unopened": unopened,
            "usage_days": USAGE_DAYS,
            "unopened_choices": [
                ("", "All resources"),
                (UNOPENED_RECENTLY, f"No one opened in {USAGE_DAYS} days"),
                (UNOPENED_EVER, "No one ever opened"),
            ],
        },
    )


def _resource_form_page(
    request: HttpRequest,
    *,
    program: Program,
    resource: Resource | None,
    save: Callable[[ResourceInput], Resource],
    saved: str,
) -> HttpResponse:
    """The resource form: shown, or checked and saved through `save` (a service call)
    then off to the resource's page with the `saved` message. An upload whose declared
    size is over the limit is refused before its body is read."""
    size = (
        declared_body_too_large(request, MAX_RESOURCE_BYTES) if request.method == "POST" else None
    )
    bound = request.method == "POST" and size is None
    form = ResourceForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        program=program,
        initial=initial_from(resource) if resource else {"visibility": "program"},
    )
    if bound and form.is_valid():
        try:
            result = save(form.resource_input())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, saved.format(title=result.title))
            return redirect("resources:detail", resource_id=result.public_id)
    return render(
        request,
        "resources/library/form.html",
        {
            "form": form,
            "program": program,
            "resource": resource,
            "creating": resource is None,
            "refused": too_large_message(size) if size is not None else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest, program_id) -> HttpResponse:
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    return _resource_form_page(
        request,
        program=program,
        resource=None,
        save=lambda data: resource_create(program=program, actor=request.user, data=data),
        saved="“{title}” is in the library.",
    )


def _managed_or_404(request: HttpRequest, resource_id) -> Resource:
    """A resource the user may see and, being its program's staff, change (403 when
    they see it but are not staff; 404 when they do not see it)."""
    resource = resource_or_404(user=request.user, public_id=resource_id)
    require(is_program_staff(user=request.user, program=resource.program), STAFF_ONLY)
    return resource


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id) -> HttpResponse:
    resource = _managed_or_404(request, resource_id)
    return _resource_form_page(
        request,
        program=resource.program,
        resource=resource,
        save=lambda data: resource_update(resource=resource, actor=request.user, data=data),
        saved="“{title}” saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_retire_page(request: HttpRequest, resource_id) -> HttpResponse:
    """GET asks for confirmation; POST retires the resource."""
    resource = _managed_or_404(request, resource_id)
    if request.method == "POST":
        resource_retire(resource=resource, actor=request.user)
        messages.success(
            request, f"“{resource.title}” is retired: it left the library and its search."
        )
        return redirect("resources:manage", program_id=resource.program.public_id)
    return render(request, "resources/library/retire.html", {"resource": resource})


@login_required
@require_POST
def resource_restore_page(request: HttpRequest, resource_id) -> HttpResponse:
    resource = _managed_or_404(request, resource_id)
    resource_restore(resource=resource, actor=request.user)
    messages.success(request, f"“{resource.title}” is back in the library.")
    return redirect("resources:detail", resource_id=resource.public_id)
