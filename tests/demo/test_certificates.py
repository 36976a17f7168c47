"""Demo credit: offers on the past and active collaboratives with the made-up provider's
statements, and participants at every stage: claimed with a rendered certificate,
missing an evaluation, MOC waiting for the lead, one revoked, one corrected. Seeding
twice adds nothing."""

import pytest
from pypdf import PdfReader

from certificates.models import (
    AttestationStatus,
    Certificate,
    CertificateStatus,
    CreditClaim,
    CreditOffer,
    MocAttestation,
)
from demo.certificates import PROVIDER
from demo.collaboratives import ACTIVE, PAST
from demo.seed import seed_demo
from learning_sessions.models import Attendance, EvaluationResponse, EventCredit
from teams.models import TeamMembership, TeamRole

pytestmark = pytest.mark.django_db


def test_the_demo_has_credit_at_every_stage(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    seed_demo(password="demo-pass-2026")
    active = set(
        CreditOffer.objects.filter(collaborative__slug=ACTIVE).values_list("credit_type", flat=True)
    )
    assert active == {"ama_pra_1", "nursing", "ems", "moc_part4", "participation"}
    assert CreditOffer.objects.filter(collaborative__slug=PAST).count() == 3
    assert not CreditOffer.objects.exclude(provider_name=PROVIDER).exists()
    ama = CreditOffer.objects.get(collaborative__slug=ACTIVE, credit_type="ama_pra_1")
    assert ama.designation_statement.startswith(f"{PROVIDER} designates this live activity")
    assert "[" not in "".join(CreditOffer.objects.values_list("accreditation_statement", flat=True))

    # Eligible and claimed, with a real PDF.
    lead_nursing = Certificate.objects.get(
        user__email="lead@demo.example", offer__collaborative__slug=ACTIVE
    )
    assert lead_nursing.status == CertificateStatus.ISSUED
    with lead_nursing.pdf.open("rb") as handle:
        text = PdfReader(handle).pages[0].extract_text()
    assert "Alex Moreno" in text
    assert Certificate.objects.filter(
        user__email="member@demo.example", credit_type="ems", status=CertificateStatus.ISSUED
    ).exists()

    # Missing an evaluation: the sponsor attended sessions with credit, evaluated none.
    sponsor_events = Attendance.objects.filter(
        user__email="sponsor@demo.example", event__collaborative__slug=ACTIVE
    ).values("event")
    assert EventCredit.objects.filter(event__in=sponsor_events, credit_type="nursing").exists()
    assert not EvaluationResponse.objects.filter(user__email="sponsor@demo.example").exists()

    # MOC awaiting the lead's co-signature; the lead is another person of the team.
    waiting = MocAttestation.objects.get(offer__collaborative__slug=ACTIVE)
    assert waiting.status == AttestationStatus.ATTESTED
    assert TeamMembership.objects.filter(
        team=waiting.team, user__email="lead@demo.example", role=TeamRole.LEAD, is_active=True
    ).exists()

    # One revoked, one corrected (the first superseded, the new one replacing it).
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    assert revoked.revoked_reason and revoked.revoked_by.email == "staff@demo.example"
    corrected = Certificate.objects.get(replaces__isnull=False)
    assert corrected.is_current and not corrected.replaces.is_current
    assert corrected.recipient_name == "María González"
    assert corrected.replaces.recipient_name == "Maria Gonzales"

    counts = (Certificate.objects.count(), CreditClaim.objects.count(), CreditOffer.objects.count())
    seed_demo(password="demo-pass-2026")
    assert (
        Certificate.objects.count(),
        CreditClaim.objects.count(),
        CreditOffer.objects.count(),
    ) == counts
