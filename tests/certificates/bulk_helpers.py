"""Claims to issue in bulk, made directly (eligibility is another part's work)."""

from datetime import date
from decimal import Decimal

from certificates.models import CreditClaim, CreditOffer
from core import clock
from tests.factories import UserFactory


def offer(tenant, credit_type: str = "ems", *, published: bool = True, **extra) -> CreditOffer:
    return CreditOffer.objects.create(
        program=tenant.program,
        collaborative=tenant.collaborative,
        credit_type=credit_type,
        provider_name="Alpha Children's Hospital",
        accreditation_statement="Accredited by CAPCE.",
        accreditor_activity_id=extra.pop("accreditor_activity_id", "22-ABCD-F1-1234"),
        max_amount=Decimal("6.00"),
        is_published=published,
        **extra,
    )


def claims(tenant, credit_offer: CreditOffer, names: list[str], **fields) -> list[CreditClaim]:
    made = []
    for i, name in enumerate(names):
        person = UserFactory(full_name=name, email=f"bulk{credit_offer.pk}-{i}@alpha.example")
        made.append(
            CreditClaim.objects.create(
                program=tenant.program,
                offer=credit_offer,
                user=person,
                amount=Decimal("1.25") + Decimal("0.25") * (i % 8),
                completion_date=date(2026, 11, 2),
                claimed_at=clock.now(),
                **fields,
            )
        )
    return made
