"""Links from a resource to what it helps with, shown in both places.

Gap-analysis questions are not here: a resource linked to a question is an
`assessments.QuestionLink` whose `target_id` is the resource's public id, so the gap
report and its PDF show it with the links typed in the survey builder. Every other
target is a `ResourceLink` naming its target by public id; the target's page shows
the resource through a panel (core.panels), and the resource's page lists its
targets.
"""

import uuid

from django.conf import settings
from django.db import models


class LinkTarget(models.TextChoices):
    MEASURE = "measure", "Measure"
    PACKAGE_ITEM = "package_item", "Change-package item"
    CHANGE_IDEA = "change_idea", "Change idea"
    EVENT = "event", "Learning-session event"


class ResourceLink(models.Model):
    """A resource linked to a measure, a change-package item, a team's change idea or
    a learning-session event of the same program."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="links"
    )
    target_kind = models.CharField(max_length=16, choices=LinkTarget.choices)
    #: The target's public id (measures.Measure, pdsa.ChangePackageItem,
    #: pdsa.ChangeIdea, learning_sessions.Event).
    target_id = models.UUIDField()
    #: The target's title when linked, for the resource's page without a join.
    target_title = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["program", "target_kind", "target_id"], name="resources_link_target_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "target_kind", "target_id"], name="resources_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} → {self.target_kind} {self.target_id}"
