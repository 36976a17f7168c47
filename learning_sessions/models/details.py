"""An event's details beyond its time and place: materials and the CE credit offered.

Materials are files (stored through Django's storage, served only by a scoped view)
or links (http/https only). Credit is offered per credit type, because a physician's
AMA PRA Category 1 Credit, a nurse's contact hours and an EMS provider's CAPCE hours
are designated and reported separately (DOMAIN.md section 7).
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q


class CreditType(models.TextChoices):
    AMA_PRA_1 = "ama_pra_1", "AMA PRA Category 1 Credit(s)™ (physician CME)"
    NURSING = "nursing", "Nursing contact hours (ANCC NCPD)"
    EMS = "ems", "EMS CE hours (CAPCE)"
    MOC_PART_4 = "moc_part4", "ABP MOC Part 4 points"
    PARTICIPATION = "participation", "Certificate of participation (hours)"


#: Credit types counted in hours of the activity (live: 60 minutes = 1, in 0.25 steps);
#: MOC Part 4 is counted in points for the improvement project, in 25-point units.
HOUR_CREDITS = (
    CreditType.AMA_PRA_1,
    CreditType.NURSING,
    CreditType.EMS,
    CreditType.PARTICIPATION,
)
HOUR_STEP = Decimal("0.25")
MOC_POINT_STEP = Decimal(25)
#: The most any credit type may offer on one event (above any real congress; every
#: value the former single ce_hours_offered column could hold fits).
CREDIT_MAX = Decimal(1000)


class EventCredit(models.Model):
    """The credit of one type offered for attending an event (at most one row per type)."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "learning_sessions.Event", on_delete=models.CASCADE, related_name="credits"
    )
    credit_type = models.CharField(max_length=16, choices=CreditType.choices)
    amount = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["event", "credit_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "credit_type"], name="learning_credit_once_per_type"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=CREDIT_MAX),
                name="learning_credit_amount_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.get_credit_type_display()}"

    @property
    def unit(self) -> str:
        return "points" if self.credit_type == CreditType.MOC_PART_4 else "hours"


class MaterialKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"


def material_path(instance: "EventMaterial", filename: str) -> str:
    """A random name under the tenant and event: nothing the uploader typed reaches the
    storage path (the original name is kept for display and the download's name)."""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix.isascii() and len(suffix) <= 6 else ""
    return (
        f"learning_sessions/{instance.program.public_id}/{instance.event.public_id}/"
        f"{uuid.uuid4().hex}{suffix}"
    )


class EventMaterial(models.Model):
    """Slides, a handout or a reading for an event: an uploaded file or a link."""

    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        "learning_sessions.Event", on_delete=models.CASCADE, related_name="materials"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=MaterialKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=material_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["program", "event"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url=""))
                | (Q(kind="link") & Q(file="") & ~Q(url="")),
                name="learning_material_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title
