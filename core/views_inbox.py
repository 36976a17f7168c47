"""The in-app inbox: the list of a person's notices, opening one (marks it read and
goes to its page) and marking them all read. Each reads and writes only the signed-in
person's own notices (core.inbox): another person's notice answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .inbox import (
    is_site_path,
    notification_get_or_404,
    notification_mark_read,
    notifications_for,
    notifications_mark_all_read,
    unread_count,
)

#: Notices per page of the inbox.
INBOX_PAGE_SIZE = 25


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Newest first, 25 a page; `?unread=1` shows the unread ones only."""
    unread_only = request.GET.get("unread") == "1"
    notices = notifications_for(user=request.user, unread_only=unread_only)
    page = Paginator(notices, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/inbox.html",
        {"page": page, "unread_only": unread_only, "unread": unread_count(user=request.user)},
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, notification_id) -> HttpResponse:
    """Mark the notice read and go to the page it is about (a path on this site only:
    a stored link to anywhere else is refused, never followed)."""
    notice = notification_get_or_404(user=request.user, public_id=notification_id)
    notification_mark_read(notification=notice)
    if not is_site_path(notice.url):
        messages.error(request, "This notice's link does not lead to a page of this site.")
        return redirect("notifications")
    return redirect(notice.url)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread notice of the signed-in person read."""
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked as read."
        )
    else:
        messages.info(request, "There were no unread notifications.")
    return redirect("notifications")
