"""A failed e-mail in the outbox of the tenant the isolation guard attacks
(tests/conftest.py): its subject carries `marker`, so a page that shows another
program's outbox is caught, and its id is the guard's `email_id`. Likewise an unread
notice in its lead's inbox (`notification_id`), titled with the marker.

Only the marked tenant (tenant B) gets one: many tests count the e-mails their action
queued for tenant A, and an extra row there would be noise. Tests of the outbox make
tenant A's with `failed_email`.
"""

from core.models import EmailStatus, Notification, OutboundEmail


def failed_email(tenant, marker: str = "") -> OutboundEmail:
    """A data reminder to the tenant's lead that failed for good (five attempts)."""
    m = f" {marker}" if marker else ""
    return OutboundEmail.objects.create(
        program=tenant.program,
        to_email=tenant.lead.email,
        recipient=tenant.lead,
        subject=f"{tenant.program.name} data reminder{m}",
        body_text=f"Please submit{m}",
        status=EmailStatus.FAILED,
        attempts=5,
        last_error=f"SMTPServerDisconnected: Connection unexpectedly closed{m}",
        kind="data_reminder",
    )


def lead_notice(tenant, marker: str = "") -> Notification:
    """An unread notice in the lead's inbox, opening the team's page."""
    m = f" {marker}" if marker else ""
    return Notification.objects.create(
        program=tenant.program,
        recipient=tenant.lead,
        kind="data_reviewed",
        title=f"September was returned to {tenant.team.name}{m}",
        url=f"/teams/{tenant.team.public_id}/",
    )


def build(tenant, marker: str) -> dict:
    if not marker:
        return {}
    return {
        "email_id": failed_email(tenant, marker).public_id,
        "notification_id": lead_notice(tenant, marker).public_id,
    }
