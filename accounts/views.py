"""The signed-in person's own pages (profile, notification settings, API token) and a
program's audit log and outbox."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from core import clock, spreadsheets
from core.notification_kinds import kind_get, kind_label
from core.notifications import preferences_save
from core.outbox import outbound_email_retry, program_outbox, program_outbox_email

from .audit_log import EXPORT_HEADER, audit_rows
from .forms import AuditLogFilterForm, NotificationPreferencesForm, OutboxFilterForm, ProfileForm
from .models import Program
from .selectors import (
    AuditCursor,
    audit_events_page,
    program_audit_events,
    program_run_by_or_404,
)
from .services import api_token_revoke, api_token_rotate

#: Events on one page of the audit log.
AUDIT_PAGE_SIZE = 50
#: The XLSX export is built in memory: past this many rows staff are asked to narrow
#: the filters or take the CSV, which is streamed and has no bound.
XLSX_MAX_ROWS = 20_000
#: Rows the CSV export reads from the database at a time.
CSV_CHUNK = 2_000
#: The query-string keys that are filters (kept in page and export links).
FILTER_KEYS = ("actor", "kind", "object", "from", "to", "q")
BAD_CURSOR = "That page of the log no longer exists: start again from the newest events."


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Choose, per kind of e-mail, immediately, in the weekly digest, or off."""
    form = NotificationPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = preferences_save(user=request.user, choices=form.cleaned_data, actor=request.user)
        messages.success(
            request,
            "Your notification settings were saved."
            if changed
            else "Nothing to save: these were already your settings.",
        )
        return redirect("accounts:notifications")
    return render(
        request,
        "accounts/notifications.html",
        {"form": form, "account_kind": kind_get("")},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token(request: HttpRequest) -> HttpResponse:
    """Create or replace (action=rotate) or delete (action=revoke) the API token.

    Tokens are issued here, behind the login (and MFA for staff), not by a
    password-only API endpoint that would bypass the second factor.
    """
    if request.POST.get("action") == "revoke":
        api_token_revoke(user=request.user)
        messages.success(request, "Your API token was revoked.")
        return redirect("accounts:profile")
    try:
        token = api_token_rotate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:profile")
    messages.success(request, "A new API token was created. Copy it now: it is shown only once.")
    response = render(request, "accounts/api_token_created.html", {"token": token})
    # The secret is shown once: no browser or proxy may keep a copy of the page.
    patch_cache_control(response, no_store=True, no_cache=True, private=True)
    return response


def _filter_query(form: AuditLogFilterForm) -> str:
    """The form's non-empty filters as a query string (no cursor), "" for none."""
    return urlencode([(k, form.data[k]) for k in FILTER_KEYS if form.data.get(k)])


def _cursors(request: HttpRequest) -> tuple[AuditCursor | None, AuditCursor | None]:
    """The page's (before, after) positions; ValueError when one is not a position."""
    get = request.GET
    before = AuditCursor.parse(get["before"]) if "before" in get else None
    after = AuditCursor.parse(get["after"]) if "after" in get else None
    return before, after


def _audit_log_page(request, program, form, *, status: int = 200, extra_error: str = ""):
    """Render the log page; 400 with the problem said when a filter or position is bad."""
    page = None
    cursor_error = ""
    if form.is_valid():
        try:
            before, after = _cursors(request)
        except ValueError:
            cursor_error = BAD_CURSOR
        else:
            events = program_audit_events(program=program, filters=form.filters())
            page = audit_events_page(events, before=before, after=after, size=AUDIT_PAGE_SIZE)
    query = _filter_query(form)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": list(audit_rows(page.events)) if page else [],
            "query": query,
            "and_query": f"&{query}" if query else "",
            "is_first_page": not ("before" in request.GET or "after" in request.GET),
            "error": extra_error or cursor_error,
            "zone": timezone.localtime(clock.now()).tzname(),
        },
        status=400 if (cursor_error or not form.is_valid()) else status,
    )


@login_required
@require_GET
def audit_log(request: HttpRequest, program_id) -> HttpResponse:
    """The program's audit log, newest first, filtered by the query string, by pages."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    return _audit_log_page(request, program, AuditLogFilterForm(request.GET, program=program))


def _export_events(request: HttpRequest, program_id):
    """(program, form, events or None): the filtered events the export will write."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    form = AuditLogFilterForm(request.GET, program=program)
    try:
        _cursors(request)  # an export takes the whole filtered set, but a bad link is said
    except ValueError:
        return program, form, None
    if not form.is_valid():
        return program, form, None
    return program, form, program_audit_events(program=program, filters=form.filters())


def _export_name(program: Program, ext: str) -> str:
    return f"audit-log-{program.slug}-{clock.today():%Y-%m-%d}.{ext}"


@login_required
@require_GET
def audit_log_csv(request: HttpRequest, program_id) -> HttpResponse:
    """The filtered log as CSV, streamed in chunks: any length, flat memory."""
    program, form, events = _export_events(request, program_id)
    if events is None:
        return _audit_log_page(request, program, form)
    # The response is written after the view (and the time zone middleware) returned:
    # the rows carry the viewer's zone with them.
    zone = timezone.get_current_timezone()

    def rows():
        with timezone.override(zone):
            for row in audit_rows(events.iterator(chunk_size=CSV_CHUNK)):
                yield row.cells()

    return spreadsheets.csv_streaming_response(
        filename=_export_name(program, "csv"), header=EXPORT_HEADER, rows=rows()
    )


@login_required
@require_GET
def audit_log_xlsx(request: HttpRequest, program_id) -> HttpResponse:
    """The filtered log as XLSX, bounded to XLSX_MAX_ROWS rows (built in memory)."""
    program, form, events = _export_events(request, program_id)
    if events is None:
        return _audit_log_page(request, program, form)
    if events[: XLSX_MAX_ROWS + 1].count() > XLSX_MAX_ROWS:
        return _audit_log_page(
            request,
            program,
            form,
            status=400,
            extra_error=f"More than {XLSX_MAX_ROWS:,} events match: narrow the filters or "
            "download CSV, which has no limit.",
        )
    return spreadsheets.xlsx_response(
        filename=_export_name(program, "xlsx"),
        header=EXPORT_HEADER,
        rows=(row.cells() for row in audit_rows(events.iterator(chunk_size=CSV_CHUNK))),
        sheet_title="Audit log",
    )


#: E-mails on one page of the outbox.
OUTBOX_PAGE_SIZE = 50


@login_required
@require_GET
def outbox(request: HttpRequest, program_id) -> HttpResponse:
    """The program's e-mails, newest first: to whom, what, when, and what failed."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    form = OutboxFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    emails = program_outbox(
        program=program, status=filters.get("status", ""), kind=filters.get("kind", "")
    )
    page = Paginator(emails, OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, filters[k]) for k in ("status", "kind") if filters.get(k)])
    return render(
        request,
        "accounts/outbox.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": [(email, kind_label(email.kind)) for email in page.object_list],
            "query": query,
            "and_query": f"&{query}" if query else "",
            "zone": timezone.localtime(clock.now()).tzname(),
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_POST
def outbox_retry(request: HttpRequest, program_id, email_id) -> HttpResponse:
    """Send a failed e-mail again (audited), then back to the outbox page it was on."""
    program = program_run_by_or_404(user=request.user, program_id=program_id)
    email = program_outbox_email(program=program, email_id=email_id)
    if email is None:
        raise Http404("No such e-mail.")
    try:
        outbound_email_retry(email=email, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The e-mail to {email.to_email} is queued to be sent again.")
    back = OutboxFilterForm(request.POST)
    keep = back.cleaned_data if back.is_valid() else {}
    query = [(k, keep[k]) for k in ("status", "kind") if keep.get(k)]
    page = request.POST.get("page", "")
    if page.isdigit():
        query.append(("page", page))
    url = reverse("accounts:outbox", kwargs={"program_id": program.public_id})
    return redirect(f"{url}?{urlencode(query)}" if query else url)
