"""Evaluations: a short form staff define per collaborative, answered after each event.

Participants who attended an event are asked; staff read the results per event.
Questions are retired rather than deleted once answered, so past results keep
their wording.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

#: The rating scale of a rating question: 1 (poor) to 5 (excellent).
RATING_MIN, RATING_MAX = 1, 5


class EvaluationForm(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    collaborative = models.OneToOneField(
        "collaboratives.Collaborative", on_delete=models.CASCADE, related_name="evaluation_form"
    )
    intro = models.TextField(blank=True, help_text="Shown above the questions.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Evaluation form of {self.collaborative}"


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating (1 to 5)"
    TEXT = "text", "Free text"


class EvaluationQuestion(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="questions")
    #: The question's id in URLs (staff's form editor).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    prompt = models.CharField(max_length=300)
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    #: Retired questions are no longer asked; their answers stay in past results.
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.prompt


class EvaluationResponse(models.Model):
    """One person's evaluation of one event (at most one)."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "learning_sessions.Event", on_delete=models.CASCADE, related_name="evaluations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_evaluations"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="learning_evaluation_once_per_event"
            ),
        ]
        indexes = [models.Index(fields=["program", "event"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.event}"


class EvaluationAnswer(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        EvaluationQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="learning_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="learning_answer_rating_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating or self.text[:40]}"
