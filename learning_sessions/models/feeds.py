"""A person's secret calendar subscription address (an .ics feed of their events).

Only a SHA-256 digest of the token is stored: the address is shown to its owner once,
when it is made, and a leaked database copy cannot be turned back into working feed
addresses. Looking the digest up by equality reveals nothing useful about the token
through timing (an attacker controls the token, not its digest). Regenerating replaces
the digest, so the old address stops working at once; revoking deletes the row.
"""

from django.conf import settings
from django.db import models


class CalendarFeed(models.Model):
    """One subscription address per person; it lists the events they registered for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    #: hex SHA-256 of the secret token in the address.
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    #: When a calendar last fetched it (so the owner can tell whether it is in use).
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
