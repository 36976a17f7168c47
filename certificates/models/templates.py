"""How a program's certificates look. Versioned: staff edit a draft, preview it as a
PDF with sample data, then publish it; each certificate keeps the version it was
rendered with, so a later change of wording never alters an issued certificate's
record."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #RRGGBB.")


def template_asset_path(instance: "CertificateTemplate", filename: str) -> str:
    """A random name under the tenant: nothing the uploader typed reaches the path."""
    import uuid

    return f"certificates/{instance.program_id}/templates/{uuid.uuid4().hex}"


class CertificateTemplate(models.Model):
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    logo = models.FileField(upload_to=template_asset_path, blank=True)
    signature = models.FileField(upload_to=template_asset_path, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signer_title = models.CharField(max_length=150, blank=True)
    primary_colour = models.CharField(max_length=7, default="#1f4e79", validators=[colour])
    accent_colour = models.CharField(max_length=7, default="#c8a24a", validators=[colour])
    heading = models.CharField(max_length=120, default="Certificate")
    body = models.TextField(
        blank=True, help_text="Wording above the credit lines, e.g. 'This certifies that'."
    )
    footer = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "version"], name="certificates_template_version_once"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="certificates_template_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Certificate template v{self.version} of program {self.program_id}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
