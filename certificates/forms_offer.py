"""Staff's form for a credit offer: what is offered, by whom, and the rules.

The accreditation and designation statements are the accreditor's own words; the form
shows the recommended wording as help (ACCME/AMA, ANCC, CAPCE, ABP) with its
placeholders in brackets, and refuses a statement that still holds a placeholder, so
no certificate prints "[Name of accredited provider]" or someone else's name.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms

from learning_sessions.public import CREDIT_MAX, CreditType

from .models import CreditBasis, CreditOffer
from .services.offers import AUDITED_FIELDS, claims_limit_errors

#: The longest statement: two of them still fit one certificate page (rendering).
STATEMENT_MAX = 1000
#: The longest provider address (printed on nursing certificates).
ADDRESS_MAX = 200
#: A placeholder left in recommended wording: "[Name of accredited provider]".
PLACEHOLDER = re.compile(r"\[[^\]]{2,80}\]")
#: PARS activity IDs are numbers; CAPCE course numbers are letters, digits and hyphens
#: ("24-DCH-F3-0012"). Checked loosely: the accreditor's own upload is the final check.
PARS_ID = re.compile(r"\d{6,12}")
CAPCE_NUMBER = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+){1,5}")
PARS_TYPES = (CreditType.AMA_PRA_1, CreditType.MOC_PART_4)

#: Recommended wording, by credit type: (accreditation statement, designation statement).
#: Placeholders stay in brackets; staff replace them (the form refuses them).
RECOMMENDED = {
    CreditType.AMA_PRA_1: (
        "[Name of accredited provider] is accredited by the Accreditation Council for "
        "Continuing Medical Education (ACCME) to provide continuing medical education "
        "for physicians.",
        "[Name of accredited provider] designates this [live activity] for a maximum of "
        "[number of credits] AMA PRA Category 1 Credit(s)™. Physicians should claim only "
        "the credit commensurate with the extent of their participation in the activity.",
    ),
    CreditType.NURSING: (
        "[Name of accredited provider] is accredited as a provider of nursing continuing "
        "professional development by the American Nurses Credentialing Center's "
        "Commission on Accreditation.",
        "This activity provides [number] nursing contact hours.",
    ),
    CreditType.EMS: (
        "This continuing education activity is approved by [Name of accredited provider], "
        "an organization accredited by the Commission on Accreditation for Pre-Hospital "
        "Continuing Education (CAPCE), for [number] CEUs.",
        "",
    ),
    CreditType.MOC_PART_4: (
        "[Name of accredited provider] is accredited by the Accreditation Council for "
        "Continuing Medical Education (ACCME) to provide continuing medical education "
        "for physicians.",
        "Successful completion of this activity, which includes participation in the "
        "evaluation component, enables the participant to earn up to [number] MOC points "
        "in the American Board of Pediatrics' (ABP) Maintenance of Certification (MOC) "
        "program. It is the activity provider's responsibility to submit participant "
        "completion information to ACCME for the purpose of granting ABP MOC credit.",
    ),
    CreditType.PARTICIPATION: ("", ""),
}

RULE_LIMITS = {
    "min_minutes_per_event": (1, 24 * 60, "minutes"),
    "min_share_events_attended": (0, 100, "%"),
    "min_months_active": (0, 60, "months"),
    "min_pdsa_cycles": (0, 100, "cycles"),
    "min_data_periods": (0, 120, "periods"),
}


class CreditOfferForm(forms.ModelForm):
    max_amount = forms.CharField(
        label="Most a participant may claim",
        help_text=(
            "Hours in quarter-hour steps (1.25), or, for MOC Part 4, points in 25-point "
            f"units. At most {CREDIT_MAX.normalize():f}."
        ),
    )

    class Meta:
        model = CreditOffer
        fields = list(AUDITED_FIELDS)
        labels = {
            "activity_title": "Activity title (printed)",
            "accreditor_activity_id": "Accreditor's activity ID",
            "provider_address": "Provider's address",
            "min_minutes_per_event": "Minutes attended or watched per event",
            "requires_evaluation": "The event's evaluation must be done",
            "min_months_active": "Months active on a team",
            "min_pdsa_cycles": "PDSA cycles contributed to",
            "min_data_periods": "Data periods submitted by the team",
            "requires_attestation": (
                "Attestation required (co-signed by the lead, approved by staff)"
            ),
        }
        help_texts = {
            "activity_title": "Leave empty to print the collaborative's name.",
            "accreditor_activity_id": (
                "For AMA PRA and MOC: the PARS activity ID (digits). For EMS: the CAPCE "
                "course number (letters, digits and hyphens, e.g. 24-DCH-F3-0012). "
                "The accreditors' batch uploads need it."
            ),
            "min_minutes_per_event": "Per-event credit: live or on the recording.",
            "min_share_events_attended": "Whole-collaborative credit; 0 for no threshold.",
            "min_months_active": "Whole-collaborative credit; 0 for no threshold.",
            "min_pdsa_cycles": "Whole-collaborative credit; 0 for no threshold.",
            "min_data_periods": "Whole-collaborative credit; 0 for no threshold.",
            "requires_attestation": "Always on for MOC Part 4.",
        }
        widgets = {
            "provider_address": forms.Textarea(attrs={"rows": 2}),
            "accreditation_statement": forms.Textarea(attrs={"rows": 3}),
            "designation_statement": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, collaborative, **kwargs):
        super().__init__(*args, **kwargs)
        self.collaborative = collaborative
        if self.instance.pk:
            self.initial["max_amount"] = f"{self.instance.max_amount.normalize():f}"
        for name, (low, high, _) in RULE_LIMITS.items():
            self.fields[name].widget.attrs.update({"min": low, "max": high})

    def clean_accreditation_statement(self) -> str:
        return self._statement("accreditation_statement")

    def clean_designation_statement(self) -> str:
        return self._statement("designation_statement")

    def _statement(self, name: str) -> str:
        text = (self.cleaned_data.get(name) or "").strip()
        if len(text) > STATEMENT_MAX:
            raise forms.ValidationError(f"Keep the statement under {STATEMENT_MAX} characters.")
        if found := PLACEHOLDER.search(text):
            raise forms.ValidationError(
                f"Replace {found.group(0)} with the real value: the statement is printed verbatim."
            )
        return text

    def clean_provider_address(self) -> str:
        address = (self.cleaned_data.get("provider_address") or "").strip()
        if len(address) > ADDRESS_MAX:
            raise forms.ValidationError(f"Keep the address under {ADDRESS_MAX} characters.")
        return address

    def clean_provider_name(self) -> str:
        name = (self.cleaned_data.get("provider_name") or "").strip()
        if not name:
            raise forms.ValidationError("Enter the accredited provider's name.")
        return name

    def clean_max_amount(self) -> Decimal:
        raw = (self.cleaned_data.get("max_amount") or "").strip()
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError("Enter a number, like 1.5 or 25.") from None
        if not amount.is_finite() or amount <= 0:
            raise forms.ValidationError("Enter an amount above 0.")
        if amount > CREDIT_MAX:
            raise forms.ValidationError(f"At most {CREDIT_MAX.normalize():f}.")
        return amount

    def clean(self):
        data = super().clean()
        credit_type, amount = data.get("credit_type"), data.get("max_amount")
        if credit_type and amount is not None:
            if credit_type == CreditType.MOC_PART_4 and amount % 25:
                self.add_error("max_amount", "MOC Part 4 points come in 25-point units.")
            elif credit_type != CreditType.MOC_PART_4 and amount % Decimal("0.25"):
                self.add_error("max_amount", "Hours are offered in quarter hours (0.25 steps).")
        if credit_type == CreditType.MOC_PART_4:
            data["requires_attestation"] = True
            if data.get("basis") == CreditBasis.PER_EVENT:
                self.add_error(
                    "basis",
                    "MOC Part 4 credits the whole improvement project: choose the whole "
                    "collaborative.",
                )
        self._check_activity_id(credit_type, data.get("accreditor_activity_id") or "")
        for name, (low, high, unit) in RULE_LIMITS.items():
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(name, f"Enter {low} to {high} {unit}.")
        duplicate = CreditOffer.objects.filter(
            collaborative=self.collaborative, credit_type=credit_type or ""
        ).exclude(pk=self.instance.pk)
        if credit_type and duplicate.exists():
            label = CreditType(credit_type).label
            self.add_error(
                "credit_type",
                f"This collaborative already offers {label}: edit that offer instead.",
            )
        for field, message in claims_limit_errors(
            self.instance, credit_type=credit_type, max_amount=amount
        ).items():
            self.add_error(field, message)
        return data

    def _check_activity_id(self, credit_type: str | None, value: str) -> None:
        value = value.strip()
        self.cleaned_data["accreditor_activity_id"] = value
        if not value:
            return
        if credit_type in PARS_TYPES and not PARS_ID.fullmatch(value):
            self.add_error(
                "accreditor_activity_id",
                "A PARS activity ID is a number of 6 to 12 digits (find it in PARS).",
            )
        elif credit_type == CreditType.EMS and not CAPCE_NUMBER.fullmatch(value):
            self.add_error(
                "accreditor_activity_id",
                "A CAPCE course number is letters and digits in groups joined by hyphens, "
                "e.g. 24-DCH-F3-0012.",
            )
