"""Copying a collaborative brings its credit offers forward (collaboratives.copying).

The copy is a new run of the activity: each offer comes along with its provider,
statements, maximum and rules, but as an unpublished draft and without the
accreditor's activity ID, because accreditors register each run as its own activity
(a new PARS activity ID or CAPCE course number) and staff check the statements before
publishing. Claims, attestations and certificates belong to the run that earned them
and are never copied.
"""

from __future__ import annotations

from collaboratives.copying import copy_step
from collaboratives.models import Collaborative

from .models import CreditOffer
from .services.offers import AUDITED_FIELDS

#: Everything of an offer that the copy keeps (the rules and who designates the credit).
COPIED_OFFER_FIELDS = tuple(name for name in AUDITED_FIELDS if name != "accreditor_activity_id")


@copy_step("certificates")
def copy_credit_offers(source: Collaborative, target: Collaborative, shift_days: int) -> None:
    """The source's offers, as drafts of the copy."""
    CreditOffer.objects.bulk_create(
        CreditOffer(
            program_id=target.program_id,
            collaborative=target,
            is_published=False,
            **{name: getattr(offer, name) for name in COPIED_OFFER_FIELDS},
        )
        for offer in CreditOffer.objects.filter(
            program_id=source.program_id, collaborative=source
        ).order_by("credit_type")
    )
