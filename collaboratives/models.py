"""Collaboratives: the 6-to-18-month improvement programs a tenant runs."""

import uuid

from django.db import models


class CollaborativeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RECRUITING = "recruiting", "Recruiting"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"
    COMMUNITY = "community", "Community of practice"


class Collaborative(models.Model):
    """One collaborative of a program (e.g. a pediatric readiness QI collaborative)."""

    program = models.ForeignKey(
        "accounts.Program", on_delete=models.CASCADE, related_name="collaboratives"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    summary = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=CollaborativeStatus.choices, default=CollaborativeStatus.DRAFT
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="America/New_York")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"], name="collaboratives_slug_unique_per_program"
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Recruiting collaboratives have a public page anyone may read."""
        return self.status == CollaborativeStatus.RECRUITING
