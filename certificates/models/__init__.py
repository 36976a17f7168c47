"""Credit and certificates' records, one module per concern; everything is
importable from here.

- offers: what credit a collaborative offers, per credit type, and its rules;
- templates: how a program's certificates look (versioned: a draft is previewed
  before it is published);
- claims: what a participant claims, and the MOC Part 4 attestation;
- issued: certificates (one current per person, offer), and bulk-issue runs.
"""

from .claims import AttestationStatus, Board, CreditClaim, MocAttestation, MocRole
from .issued import BulkIssue, BulkIssueStatus, Certificate, CertificateStatus
from .offers import CreditBasis, CreditOffer, IssueMode
from .templates import CertificateTemplate

__all__ = [
    "AttestationStatus",
    "Board",
    "BulkIssue",
    "BulkIssueStatus",
    "Certificate",
    "CertificateStatus",
    "CertificateTemplate",
    "CreditBasis",
    "CreditClaim",
    "CreditOffer",
    "IssueMode",
    "MocAttestation",
    "MocRole",
]
