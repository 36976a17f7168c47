"""Forms of the certificate template editor and of staff's revoke / re-issue pages."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

from core.filetypes import size_limit_attrs

from .models import CertificateTemplate
from .services.design import DESIGN_FIELDS, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE

#: The longest wording above the name and footer: what one certificate page holds.
WORDING_MAX = 300
IMAGE_HELP = (
    f"PNG or JPEG, at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB and "
    f"{MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE} pixels."
)
IMAGE_ATTRS = size_limit_attrs(
    MAX_IMAGE_BYTES, accept="image/png,image/jpeg", advice="Export it smaller."
)


class TemplateDesignForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label="New logo",
        required=False,
        help_text=IMAGE_HELP,
        widget=forms.ClearableFileInput(attrs=IMAGE_ATTRS),
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    signature_upload = forms.FileField(
        label="New signature image",
        required=False,
        help_text=IMAGE_HELP,
        widget=forms.ClearableFileInput(attrs=IMAGE_ATTRS),
    )
    remove_signature = forms.BooleanField(label="Remove the signature image", required=False)

    class Meta:
        model = CertificateTemplate
        fields = list(DESIGN_FIELDS)
        labels = {
            "signer_name": "Signer's name",
            "signer_title": "Signer's title",
            "primary_colour": "Main colour (#RRGGBB)",
            "accent_colour": "Accent colour (#RRGGBB)",
            "heading": "Heading",
            "body": "Wording above the name",
            "footer": "Footer",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 2}),
            "footer": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heading"].required = True
        # What one certificate page holds (rendering.REGULAR_TYPE_LIMITS says why).
        for name in ("body", "footer"):
            self.fields[name].max_length = WORDING_MAX
            self.fields[name].validators.append(MaxLengthValidator(WORDING_MAX))
            self.fields[name].widget.attrs["maxlength"] = WORDING_MAX


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The participant is e-mailed this reason. The public page shows only "
        "that the certificate was revoked, and when.",
    )


class ReissueForm(forms.Form):
    recipient_name = forms.CharField(label="Name as printed", max_length=150)
    amount = forms.DecimalField(label="Amount", max_digits=6, decimal_places=2, min_value=0)
    completion_date = forms.DateField(
        label="Completion date", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="Reason for the correction",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
