"""A failed e-mail in the outbox of the tenant the isolation guard attacks
(tests/conftest.py): its subject carries `marker`, so a page that shows another
program's outbox is caught, and its id is the guard's `email_id`.

Only the marked tenant (tenant B) gets one: many tests count the e-mails their action
queued for tenant A, and an extra row there would be noise. Tests of the outbox make
tenant A's with `failed_email`.
"""

from core.models import EmailStatus, OutboundEmail


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


def build(tenant, marker: str) -> dict:
    if not marker:
        return {}
    return {"email_id": failed_email(tenant, marker).public_id}
