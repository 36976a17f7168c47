"""Importing a meeting platform's participant report: stage, review, commit.

Staging parses the file (parsing.py), matches each participant to a person who may
attend and sums their minutes, and stores the outcome on an AttendanceImport: nothing
is recorded yet and the file itself is not kept. The review screen shows the stored
outcome with what committing would do to each person's record; committing records it
all in one transaction (or nothing), once.

Matching: by e-mail, case-insensitively, among the people who may attend (accounts'
e-mails are unique regardless of case: accounts_user_email_ci_unique). An e-mail of
someone in the program but not in this collaborative is refused; any other e-mail
(and a guest without one) is unmatched. A row without an e-mail is matched by the
exact full name when exactly one person who may attend has it (marked "by name" on
the review screen, as it is weaker evidence); two or more make it ambiguous.

Minutes: a person's intervals (every join to its leave, across rows and across
e-mail and name rows that found the same person) are merged, so a rejoin or a second
device does not count twice, and the total is rounded down to whole minutes. Teams'
per-person summary gives a total instead, used as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.audit import audit_record
from core.clock import now
from core.timezones import format_local

from ..models import (
    Attendance,
    AttendanceImport,
    AttendanceSource,
    Event,
    ImportStatus,
)
from .parsing import ParsedReport, ReportError, ReportRow, parse_report
from .selectors import people_of_program, people_who_may_attend
from .services import RANK, minutes_cap, record_attendance

#: How far a report's times may lie from the event before the review screen warns.
SLACK = timedelta(hours=6)


def seconds_present(rows: list[ReportRow]) -> int:
    """Seconds covered by the rows: intervals merged, summary totals added."""
    total = sum(r.seconds for r in rows if r.seconds is not None)
    spans = sorted((r.join, r.leave) for r in rows if r.seconds is None and r.join and r.leave)
    current_start = current_end = None
    for start, end in spans:
        if current_end is None or start > current_end:
            if current_end is not None:
                total += int((current_end - current_start).total_seconds())
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += int((current_end - current_start).total_seconds())
    return total


def _bounds(rows: list[ReportRow]) -> tuple[datetime | None, datetime | None]:
    joins = [r.join for r in rows if r.join]
    leaves = [r.leave for r in rows if r.leave]
    return (min(joins) if joins else None), (max(leaves) if leaves else None)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def match_report(*, event: Event, report: ParsedReport) -> dict:
    """The review screen's content: matched people with minutes, and the rest."""
    cap = minutes_cap(event=event)
    eligible = list(people_who_may_attend(event=event).only("pk", "email", "full_name"))
    by_email: dict[str, list[User]] = {}
    by_name: dict[str, list[User]] = {}
    for person in eligible:
        by_email.setdefault(person.email.lower(), []).append(person)
        if person.full_name:
            by_name.setdefault(person.full_name.strip().lower(), []).append(person)
    program_emails = {
        e.lower()
        for e in people_of_program(program_id=event.program_id).values_list("email", flat=True)
    }
    groups: dict[tuple[str, str], list[ReportRow]] = {}
    for row in report.rows:
        key = ("email", row.email.lower()) if row.email else ("name", row.name.strip().lower())
        groups.setdefault(key, []).append(row)

    per_person: dict[int, dict] = {}
    unmatched, ambiguous, refused = [], [], []
    for (kind, value), rows in groups.items():
        label = {"name": rows[0].name, "email": rows[0].email, "rows": len(rows)}
        minutes = min(seconds_present(rows) // 60, cap)
        index = by_email if kind == "email" else by_name
        candidates = index.get(value, []) if value else []
        if len(candidates) == 1:
            person = candidates[0]
            entry = per_person.setdefault(
                person.pk,
                {"person": person, "rows": [], "by": set()},
            )
            entry["rows"].extend(rows)
            entry["by"].add(kind)
        elif len(candidates) > 1:
            reason = (
                f"{len(candidates)} people in this collaborative have this name: mark the "
                "right one on the roster."
            )
            ambiguous.append(label | {"minutes": minutes, "reason": reason})
        elif kind == "email" and value in program_emails:
            refused.append(
                label
                | {
                    "minutes": minutes,
                    "reason": "Not in this collaborative's teams, and not a coach or staff "
                    "of the program: nothing is recorded.",
                }
            )
        else:
            reason = (
                "No account with this e-mail in this collaborative."
                if kind == "email"
                else "No e-mail in the report (a guest), and no one here by this name."
            )
            unmatched.append(label | {"minutes": minutes, "reason": reason})

    matched = []
    for entry in per_person.values():
        person, rows = entry["person"], entry["rows"]
        first, last = _bounds(rows)
        matched.append(
            {
                "user": person.pk,
                "name": person.display_name,
                "email": person.email,
                "minutes": min(seconds_present(rows) // 60, cap),
                "rows": len(rows),
                "by": "email" if "email" in entry["by"] else "name",
                "first_join": _iso(first),
                "last_leave": _iso(last),
            }
        )
    matched.sort(key=lambda m: m["name"].lower())
    notes = list(report.notes)
    notes.append(
        f"Times without a time zone were read in {event.collaborative.timezone}, "
        "the collaborative's time zone."
    )
    first, last = _bounds(report.rows)
    if first and last and (last < event.starts_at - SLACK or first > event.ends_at + SLACK):
        notes.append(
            f"The report runs from {format_local(first)} to {format_local(last)}, far from "
            f"the event ({format_local(event.starts_at)}): check that it is this event's "
            "meeting."
        )
    if any(m["minutes"] == cap for m in matched):
        notes.append(f"Minutes above {cap} (three times the event's length) were cut to {cap}.")
    return {
        "layout": report.layout,
        "encoding": report.encoding,
        "row_count": len(report.rows),
        "matched": matched,
        "unmatched": unmatched,
        "ambiguous": ambiguous,
        "refused": refused,
        "notes": notes,
    }


def stage_import(*, event: Event, actor: User, data: bytes, filename: str) -> AttendanceImport:
    """Parse and match a report and keep the outcome for review; nothing is recorded.

    Raises ValidationError (nothing stored) when the file is not a readable report.
    """
    try:
        report = parse_report(data, zone=ZoneInfo(event.collaborative.timezone))
    except ReportError as error:
        raise ValidationError({"report": [str(error)]}) from None
    result = match_report(event=event, report=report)
    with transaction.atomic():
        staged = AttendanceImport.objects.create(
            program_id=event.program_id,
            event=event,
            platform=report.platform,
            filename=(filename or "")[:255],
            result=result,
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            verb="attendance.import_staged",
            target=staged,
            data={"matched": len(result["matched"]), "rows": result["row_count"]},
        )
    return staged


@dataclass
class PlannedRow:
    """One matched person on the review screen, with what committing would do."""

    entry: dict
    action: str
    applies: bool


def planned_rows(*, staged: AttendanceImport) -> list[PlannedRow]:
    """For each matched person, what committing would do given their record now."""
    matched = staged.result.get("matched", [])
    current = {
        a.user_id: a
        for a in Attendance.objects.filter(
            program_id=staged.program_id,
            event_id=staged.event_id,
            user_id__in=[m["user"] for m in matched],
        )
    }
    planned = []
    for entry in matched:
        record = current.get(entry["user"])
        if record is None:
            action, applies = "New: present", True
        elif RANK[record.source] > RANK[AttendanceSource.IMPORT]:
            state = "present" if record.present else "absent"
            action, applies = f"Kept as is: staff marked them {state} on the roster", False
        elif record.source == AttendanceSource.IMPORT:
            same = record.minutes == entry["minutes"]
            earlier = f"Replaces an earlier report's {record.minutes} min"
            action = "Already recorded" if same else earlier
            applies = not same
        elif record.source == AttendanceSource.CODE:
            action, applies = "Adds the minutes to their code check-in", True
        else:
            action, applies = f"Replaces their own statement ({record.get_source_display()})", True
        planned.append(PlannedRow(entry, action, applies))
    return planned


@dataclass
class CommitSummary:
    recorded: int
    kept: int
    left: int  # matched at staging, no longer in the collaborative
    already: bool = False  # the import had been committed or discarded before


def commit_import(*, staged: AttendanceImport, actor: User) -> CommitSummary:
    """Record every matched person's attendance from the report, all or nothing, once.

    A second commit (a double click, a resubmitted form) finds the import no longer
    staged and does nothing. People who left the collaborative since staging are
    skipped; stronger records (staff's roster) are kept, as the review screen said.
    """
    with transaction.atomic():
        staged = AttendanceImport.objects.select_for_update().get(pk=staged.pk)
        if staged.status != ImportStatus.STAGED:
            return CommitSummary(0, 0, 0, already=True)
        event = Event.objects.select_for_update().get(pk=staged.event_id)
        matched = staged.result.get("matched", [])
        people = {
            p.pk: p
            for p in people_who_may_attend(event=event).filter(pk__in=[m["user"] for m in matched])
        }
        recorded = kept = left = 0
        for entry in matched:
            person = people.get(entry["user"])
            if person is None:
                left += 1
                continue
            outcome = record_attendance(
                event=event,
                person=person,
                source=AttendanceSource.IMPORT,
                actor=actor,
                verb="attendance.imported",
                minutes=entry["minutes"],
            )
            recorded += outcome.changed
            kept += not outcome.changed
        staged.status = ImportStatus.COMMITTED
        staged.decided_by = actor
        staged.decided_at = now()
        staged.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            verb="attendance.import_committed",
            target=staged,
            data={"recorded": recorded, "kept": kept, "left": left},
        )
    return CommitSummary(recorded, kept, left)


@transaction.atomic
def discard_import(*, staged: AttendanceImport, actor: User) -> bool:
    """Drop a staged import without recording anything; False if it was not staged."""
    staged = AttendanceImport.objects.select_for_update().get(pk=staged.pk)
    if staged.status != ImportStatus.STAGED:
        return False
    staged.status = ImportStatus.DISCARDED
    staged.decided_by = actor
    staged.decided_at = now()
    staged.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, verb="attendance.import_discarded", target=staged)
    return True
