"""Outbound e-mail: render now, store, send in the background.

Every e-mail the product sends (invitations, notices, allauth's verification and
password-reset mails) goes through `email_enqueue`, so that sending is retried,
idempotent and visible to staff when it fails. It is also the one place where
people's notification preferences are applied (core.notifications): a kind they
turned off is not sent, a kind they get in the weekly digest is held for it
(core.digest), and every other message of a kind that can be turned off carries the
one-click unsubscribe headers of RFC 8058 and a visible link.

One producer, two channels: when the producer says where the notice opens
(`notice_url`, a path on this site) and the address is someone's account, the same
call puts a notice in their in-app inbox (core.inbox), in the same transaction and
whatever they chose for the e-mail. Producers of kinds marked `in_app` must say it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .background import enqueue_on_commit
from .inbox import notice_create
from .models import Delivery, EmailStatus, OutboundEmail
from .notification_kinds import DIGEST, EmailKind, kind_get
from .notifications import delivery_for, unsubscribe_headers, unsubscribe_token

#: Hosts that only the machine serving the site can reach: links to them in an e-mail
#: work for nobody else (`check --deploy` warns about them, core/checks.py).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"})  # noqa: S104


def absolute_url(path: str) -> str:
    """The link an e-mail carries to `path` (e.g. a `reverse()` result) on this site.

    E-mails are sent from background tasks, with no request to take the host from,
    so every link is built here from settings.SITE_URL (set by the deployment;
    `make run` derives it from HOST and PORT).
    """
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_url_is_local(url: str) -> bool:
    """Whether `url` points at this machine only (localhost, a loopback address)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


#: Finds the zone a recipient reads times in: (address, context) -> zone name or None.
#: Registered by the teams app, which knows people's collaboratives.
_recipient_time_zone: Callable[[str, dict[str, Any]], str | None] | None = None


def register_recipient_time_zone(resolver: Callable[[str, dict[str, Any]], str | None]) -> None:
    """Tell `email_enqueue` how to find the zone an e-mail's recipient reads times in."""
    global _recipient_time_zone
    _recipient_time_zone = resolver


def recipient_time_zone(to: str, context: dict[str, Any]) -> str:
    """The zone times in an e-mail to `to` are written in: never the sender's.

    The registered resolver's answer (the recipient's own zone, or the
    collaborative's), else the site's zone.
    """
    zone = _recipient_time_zone(to, context) if _recipient_time_zone else None
    return zone or settings.TIME_ZONE


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Render templates/emails/<template>_subject.txt, .txt and .html (html optional).

    Django's template engine escapes every variable in the HTML part, so user
    text (team names, comments) cannot inject markup into a message.
    """
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    subject = " ".join(subject.split())[:255]
    text = render_to_string(f"emails/{template}.txt", context)
    try:
        html = render_to_string(f"emails/{template}.html", context)
    except Exception:  # noqa: BLE001 - an HTML part is optional
        html = ""
    return subject, text, html


def unsubscribe_url(user: Any, kind: str) -> str:
    """The absolute one-click unsubscribe link of `user` for `kind` (core.views.unsubscribe)."""
    return absolute_url(reverse("unsubscribe", kwargs={"token": unsubscribe_token(user, kind)}))


def preferences_url() -> str:
    """The absolute link to the notification settings page (sign-in needed)."""
    return absolute_url(reverse("accounts:notifications"))


def _recipient(to: str) -> Any:
    """The active user whose login address is `to`, or None (an invitee, an outsider)."""
    return get_user_model().objects.filter(email__iexact=to, is_active=True).first()


def with_unsubscribe_footer(
    body_text: str, body_html: str, *, kind: EmailKind, url: str
) -> tuple[str, str]:
    """The bodies with a visible unsubscribe link appended (the templates stay as they
    are: every message of a kind that can be turned off gets the same words)."""
    if kind.key == DIGEST:
        reason = "You receive this weekly digest because you chose it for some e-mails."
        action = "Stop the weekly digest"
    else:
        reason = f"You receive this because “{kind.label}” e-mails are on for you."
        action = "Turn these e-mails off"
    settings_link = preferences_url()
    text = (
        f"{body_text.rstrip()}\n\n--\n{reason}\n{action}: {url}\n"
        f"Choose which e-mails you receive: {settings_link}\n"
    )
    if not body_html:
        return text, ""
    footer = format_html(
        '<p style="color: #565c65; font-size: 0.875rem; margin-top: 1.5rem;">{} '
        '<a href="{}">{}</a> · <a href="{}">Choose which e-mails you receive</a></p>',
        reason,
        url,
        action,
        settings_link,
    )
    cut = body_html.lower().rfind("</body>")
    html = body_html[:cut] + footer + body_html[cut:] if cut >= 0 else body_html + footer
    return text, html


def email_enqueue_message(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    program: Any = None,
    dedupe_key: str | None = None,
    kind: str = "",
    notice_url: str | None = None,
    notice_title: str = "",
) -> OutboundEmail | None:
    """Store a rendered message and queue its sending after commit.

    `kind` is a key of core.notification_kinds ("" for account e-mails); the
    recipient's preference for it decides what happens:

    * immediately: queued, with the unsubscribe headers and link when the kind can
      be turned off;
    * weekly digest: stored as HELD, sent inside the next digest (core.digest);
    * off: stored as SUPPRESSED and never sent; returns None. The row keeps the
      dedupe key, so a producer that runs again (a reminder's catch-up after an
      outage) does not queue it again, and staff see why it was not sent.

    Returns None when a message with the same `dedupe_key` was already queued,
    which is how producers (reminders, notices) stay idempotent.

    `notice_url` (a path on this site, e.g. a `reverse()` result) puts the message in
    the recipient's in-app inbox too, titled `notice_title` or else the subject,
    whatever their preference, when the address is someone's account. A message
    found to be a duplicate creates no notice either.
    """
    from .tasks import send_outbound_email

    email_kind = kind_get(kind)
    recipient = _recipient(to)
    delivery = delivery_for(recipient, email_kind.key)
    status = {
        Delivery.OFF: EmailStatus.SUPPRESSED,
        Delivery.DIGEST: EmailStatus.HELD,
    }.get(delivery, EmailStatus.QUEUED)
    headers: dict[str, str] = {}
    if status == EmailStatus.QUEUED and email_kind.optional and recipient is not None:
        url = unsubscribe_url(recipient, email_kind.key)
        body_text, body_html = with_unsubscribe_footer(
            body_text, body_html, kind=email_kind, url=url
        )
        headers = unsubscribe_headers(url)
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                to_email=to,
                recipient=recipient,
                subject=subject[:255],
                body_text=body_text,
                body_html=body_html,
                program=program,
                dedupe_key=dedupe_key,
                kind=email_kind.key,
                status=status,
                headers=headers,
            )
            if notice_url and recipient is not None:
                notice_create(
                    recipient=recipient,
                    kind=email_kind.key,
                    title=notice_title or subject,
                    url=notice_url,
                    program=program,
                    dedupe_key=dedupe_key,
                )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if status == EmailStatus.SUPPRESSED:
        return None
    if status == EmailStatus.QUEUED:
        enqueue_on_commit(send_outbound_email, email.pk)
    return email


def email_enqueue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    program: Any = None,
    dedupe_key: str | None = None,
    kind: str = "",
    notice_url: str | None = None,
    notice_title: str = "",
) -> OutboundEmail | None:
    """Render `template` with `context` and queue it for `to`.

    Times in it are written in the recipient's zone (`recipient_time_zone`), labelled.
    `notice_url` also puts it in the recipient's inbox (`email_enqueue_message`),
    titled with the subject: a short line written for that person already. Every
    producer of a kind marked `in_app` must pass it (ValueError), so that none of them
    forgets the inbox; the url is the producer's because only it knows which page the
    notice is about (the e-mail's links are absolute and named differently by each).
    """
    if kind_get(kind).in_app and not notice_url:
        raise ValueError(f"E-mails of kind {kind!r} also go to the inbox: pass notice_url=")
    with timezone.override(recipient_time_zone(to, context)):
        subject, text, html = render_email(template, context)
    return email_enqueue_message(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        program=program,
        dedupe_key=dedupe_key,
        kind=kind,
        notice_url=notice_url,
        notice_title=notice_title,
    )


# --- saying who was e-mailed ------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Someone a service queued an e-mail for, named as pages name them: services
    return these so that a page says what actually happened, never more."""

    name: str
    #: What they are to the subject, as a singular noun ("lead", "coach", "applicant").
    role: str = ""

    @classmethod
    def of(cls, person: Any, role: str = "") -> "Recipient":
        """A user by name (their e-mail address when they gave none), without the
        credentials that rosters add: "Its lead, Ana Lee, was e-mailed"."""
        return cls(name=person.full_name or person.email, role=role)


#: Plurals that are not the noun plus "s".
_PLURALS = {"coach": "coaches"}


def _names(names: Sequence[str], *, limit: int = 3) -> str:
    """ "Ana", "Ana and Bo", "Ana, Bo and Cy", "Ana, Bo, Cy and 2 others"."""
    names = list(names)
    if len(names) > limit + 1:
        rest = len(names) - limit
        names = [*names[:limit], f"{rest} others"]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def emailed_sentence(recipients: Sequence[Recipient], *, whose: str = "Its") -> str:
    """One sentence saying who was e-mailed ("" when nobody: the caller says what that
    means and what to do, since only it knows).

    Everyone of one role: "Its lead, Ana Lee, was e-mailed." / "Its coaches, Ana Lee
    and Bo Chen, were e-mailed." Mixed roles: "Ana Lee (lead) and Bo Chen (applicant)
    were e-mailed."
    """
    if not recipients:
        return ""
    verb = "was" if len(recipients) == 1 else "were"
    roles = {r.role for r in recipients}
    if len(roles) == 1 and "" not in roles:
        role = roles.pop()
        if len(recipients) > 1:
            role = _PLURALS.get(role, f"{role}s")
        names = _names([r.name for r in recipients])
        return f"{whose} {role}, {names}, {verb} e-mailed."
    names = _names([f"{r.name} ({r.role})" if r.role else r.name for r in recipients])
    return f"{names} {verb} e-mailed."
