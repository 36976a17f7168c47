"""Reports for the accreditors, per collaborative (program staff).

- Every certificate ever issued (current, replaced, revoked) as CSV and XLSX rows.
- Learner completion uploads: ACCME PARS (tab-delimited learner template, one file for
  AMA PRA Category 1 CME and one for ABP MOC Part 4) and CAPCE (EMS). Their layouts are
  the constants below; docs/decisions/0015-accreditor-exports.md gives the sources and
  what could and could not be checked.

A learner who lacks something the upload requires is never written as an invalid row
nor dropped silently: `Upload.not_reportable` lists them with the reason, and the
reports page shows that list next to the download.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from collaboratives.models import Collaborative
from learning_sessions.public import CreditType

from .models import (
    AttestationStatus,
    Board,
    Certificate,
    CertificateStatus,
    CreditOffer,
    MocAttestation,
)

CREDIT_HEADER = [
    "Name",
    "E-mail",
    "Credit type",
    "Amount",
    "Unit",
    "Completion date",
    "Certificate code",
    "Status",
    "Issued on",
]

#: ACCME PARS learner template (CME and MOC in one layout), its first 14 columns, as
#: a tab-delimited text file (see the decision record for the source).
PARS_HEADER = [
    "Record Action",
    "ACCME Activity ID",
    "Completion Date",
    "First Name",
    "Last Name",
    "Date of Birth",
    "Licensing State",
    "Licensing ID or NPI",
    "Number of CME Credits",
    "Certifying Board",
    "Certifying Board ID",
    "Total Board Credits",
    "Credit Type",
    "Credits Awarded for Credit Type",
]
PARS_ADD = "Add"
#: The boards whose Part 4 (improvement) credit we report through PARS, as PARS names
#: them, and the name of that credit type for each.
PARS_BOARD_CODES = {Board.ABP: "ABP", Board.ABIM: "ABIM", Board.ABA: "ABA"}
PARS_MOC_CREDIT_TYPE = {
    Board.ABP: "Improving Professional Practice",
    Board.ABIM: "Practice Assessment",
    Board.ABA: "Improvement in Medical Practice",
}

#: CAPCE course completion upload (comma-separated, see the decision record).
CAPCE_HEADER = [
    "Course Number",
    "First Name",
    "Last Name",
    "Email",
    "NREMT or State License Number",
    "License State",
    "Completion Date",
    "Credit Hours",
]

LINE_END = "\r\n"
#: Text a spreadsheet would run as a formula, or that breaks a tab-delimited line.
UNSAFE_START = ("=", "+", "-", "@")
STATE = re.compile(r"^[A-Z]{2}$")


def us_date(day: date) -> str:
    """MM/DD/YYYY, the date format of both uploads."""
    return day.strftime("%m/%d/%Y")


def split_name(full_name: str) -> tuple[str, str]:
    """(first, last) from the one name we keep: the last word is the last name."""
    words = full_name.split()
    if len(words) < 2:
        return (words[0] if words else "", "")
    return " ".join(words[:-1]), words[-1]


def hours(amount: Decimal) -> str:
    """1.50 -> "1.5", 2.00 -> "2", 0.25 -> "0.25"."""
    text = f"{amount.normalize():f}"
    return text


# --- every certificate, CSV/XLSX -------------------------------------------------


def certificates_of(
    *, collaborative: Collaborative, credit_type: str | None = None
) -> QuerySet[Certificate]:
    qs = Certificate.objects.filter(offer__collaborative=collaborative).select_related(
        "user", "offer"
    )
    if credit_type:
        qs = qs.filter(credit_type=credit_type)
    return qs.order_by("credit_type", "recipient_name", "issued_at", "pk")


def certificate_state(certificate: Certificate) -> str:
    if certificate.is_revoked:
        return f"Revoked: {certificate.revoked_reason}" if certificate.revoked_reason else "Revoked"
    if not certificate.is_current:
        return "Replaced by a corrected certificate"
    return CertificateStatus(certificate.status).label


def credit_rows(certificates: Iterable[Certificate]) -> Iterable[list[object]]:
    for c in certificates:
        yield [
            c.recipient_name,
            c.user.email,
            CreditType(c.credit_type).label,
            c.amount,
            c.offer.unit,
            c.completion_date,
            c.code,
            certificate_state(c),
            c.issued_at.date(),
        ]


# --- accreditor uploads ----------------------------------------------------------


@dataclass
class NotReportable:
    name: str
    reason: str


@dataclass
class Upload:
    """One upload file: its rows, who could not be reported and why, and what keeps
    the whole file from being made (e.g. the offer has no accreditor activity ID)."""

    key: str
    title: str
    header: list[str]
    delimiter: str
    extension: str
    rows: list[list[str]] = field(default_factory=list)
    not_reportable: list[NotReportable] = field(default_factory=list)
    blocked: str = ""

    def content(self) -> bytes:
        """The file: a header line, one line per learner, CRLF line ends, UTF-8."""
        if self.delimiter == "\t":
            lines = ["\t".join(self.header)] + ["\t".join(row) for row in self.rows]
        else:
            lines = [_csv_line(self.header)] + [_csv_line(row) for row in self.rows]
        return (LINE_END.join(lines) + LINE_END).encode("utf-8")


def _csv_line(values: list[str]) -> str:
    out = []
    for value in values:
        if any(ch in value for ch in ',"'):
            value = '"' + value.replace('"', '""') + '"'
        out.append(value)
    return ",".join(out)


def _clean(value: str) -> str:
    """One line of text: tabs, line breaks and runs of spaces become one space."""
    return " ".join(value.split())


def _unsafe(*values: str) -> str | None:
    for value in values:
        if value.startswith(UNSAFE_START):
            return f"“{value}” starts with {value[0]}, which a spreadsheet runs as a formula"
    return None


def _current_certificates(offer: CreditOffer) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(offer=offer, is_current=True, revoked_at__isnull=True)
        .filter(status=CertificateStatus.ISSUED)
        .select_related("claim", "user")
        .order_by("recipient_name", "pk")
    )


def _reportable_offer(
    upload: Upload, collaborative: Collaborative, credit_type: str, *, none: str, no_id: str
) -> CreditOffer | None:
    """The collaborative's offer of `credit_type` when it can be reported; otherwise
    None, with `upload.blocked` saying why (`none`: no such offer; `no_id`: the offer
    lacks the accreditor's activity ID)."""
    offer = CreditOffer.objects.filter(collaborative=collaborative, credit_type=credit_type).first()
    if offer is None:
        upload.blocked = none
    elif not offer.accreditor_activity_id:
        upload.blocked = no_id
        offer = None
    return offer


def pars_cme(*, collaborative: Collaborative) -> Upload:
    upload = Upload(
        "pars-cme", "ACCME PARS learners: AMA PRA Category 1 Credit™", PARS_HEADER, "\t", "txt"
    )
    offer = _reportable_offer(
        upload,
        collaborative,
        CreditType.AMA_PRA_1,
        none="This collaborative offers no AMA PRA Category 1 credit.",
        no_id="The AMA PRA offer has no PARS activity ID: enter it in the offer.",
    )
    if offer is None:
        return upload
    for certificate in _current_certificates(offer):
        claim = certificate.claim
        name = _clean(certificate.recipient_name)
        first, last = split_name(name)
        if not last:
            why = "a first and a last name are required"
        elif claim.birth_month is None or claim.birth_day is None:
            why = "no birth month and day given"
        else:
            why = _unsafe(first, last)
        if why:
            upload.not_reportable.append(NotReportable(name, why))
            continue
        upload.rows.append(
            [
                PARS_ADD,
                offer.accreditor_activity_id,
                us_date(certificate.completion_date),
                first,
                last,
                f"{claim.birth_month:02d}/{claim.birth_day:02d}",
                "",  # licensing state and ID or NPI: only for sharing with state boards
                "",
                hours(certificate.amount),
                "",
                "",
                "",
                "",
                "",
            ]
        )
    return upload


def pars_moc(*, collaborative: Collaborative) -> Upload:
    upload = Upload("pars-moc", "ACCME PARS learners: MOC Part 4", PARS_HEADER, "\t", "txt")
    offer = _reportable_offer(
        upload,
        collaborative,
        CreditType.MOC_PART_4,
        none="This collaborative offers no MOC Part 4 credit.",
        no_id="The MOC Part 4 offer has no PARS activity ID: enter it in the offer.",
    )
    if offer is None:
        return upload
    attestations = (
        MocAttestation.objects.filter(offer=offer, status=AttestationStatus.APPROVED)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    for a in attestations:
        name = _clean(a.user.full_name or a.user.email)
        first, last = split_name(name)
        if not a.permission_to_report:
            why = "did not give permission to report to the board"
        elif a.board not in PARS_BOARD_CODES:
            why = f"{a.get_board_display()} does not take MOC reports through PARS"
        elif not a.board_id.strip():
            why = "no board ID given"
        elif a.birth_month is None or a.birth_day is None:
            why = "no birth month and day given"
        elif a.completion_date is None:
            why = "no completion date"
        elif a.points <= 0:
            why = "no points"
        elif not last:
            why = "a first and a last name are required"
        else:
            why = _unsafe(first, last, a.board_id.strip())
        if why:
            upload.not_reportable.append(NotReportable(name, why))
            continue
        upload.rows.append(
            [
                PARS_ADD,
                offer.accreditor_activity_id,
                us_date(a.completion_date),
                first,
                last,
                f"{a.birth_month:02d}/{a.birth_day:02d}",
                "",
                "",
                "",  # MOC only: no CME credits on this line
                PARS_BOARD_CODES[a.board],
                _clean(a.board_id),
                str(a.points),
                PARS_MOC_CREDIT_TYPE[a.board],
                str(a.points),
            ]
        )
    return upload


def capce(*, collaborative: Collaborative) -> Upload:
    upload = Upload("capce", "CAPCE course completions (EMS)", CAPCE_HEADER, ",", "csv")
    offer = _reportable_offer(
        upload,
        collaborative,
        CreditType.EMS,
        none="This collaborative offers no EMS CE hours.",
        no_id="The EMS offer has no CAPCE course number: enter it in the offer.",
    )
    if offer is None:
        return upload
    for certificate in _current_certificates(offer):
        claim = certificate.claim
        name = _clean(certificate.recipient_name)
        first, last = split_name(name)
        licence = _clean(claim.ems_licence_id)
        state = claim.ems_licence_state.strip().upper()
        if not last:
            why = "a first and a last name are required"
        elif not licence:
            why = "no NREMT or state licence number given"
        elif not STATE.match(state):
            why = "no licence state (two letters) given"
        else:
            why = _unsafe(first, last, licence, certificate.user.email)
        if why:
            upload.not_reportable.append(NotReportable(name, why))
            continue
        upload.rows.append(
            [
                offer.accreditor_activity_id,
                first,
                last,
                certificate.user.email,
                licence,
                state,
                us_date(certificate.completion_date),
                hours(certificate.amount),
            ]
        )
    return upload


UPLOADS = {"pars-cme": pars_cme, "pars-moc": pars_moc, "capce": capce}


def uploads_of(*, collaborative: Collaborative) -> list[Upload]:
    return [build(collaborative=collaborative) for build in UPLOADS.values()]
