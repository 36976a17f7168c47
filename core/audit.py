"""Writing audit events. Call inside the service's transaction."""

from typing import Any

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    program: Any = None,
    data: dict | None = None,
) -> AuditEvent:
    """Record that `actor` did `verb` to `target`.

    The program defaults to the target's own `program` so that every tenant-owned
    change lands in that tenant's trail.
    """
    if program is None:
        program = getattr(target, "program", None)
    target_id = getattr(target, "public_id", None) or target.pk
    return AuditEvent.objects.create(
        program=program,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target_id),
        target_repr=str(target)[:255],
        data=data or {},
    )


#: What each recorded verb means, in words for the program's audit log. A verb with no
#: entry is shown as itself (the log never hides an event); a test checks that every
#: verb the services record has one.
VERB_LABELS: dict[str, str] = {
    "api_token.created": "Created an API token",
    "api_token.revoked": "Revoked an API token",
    "benchmark_consent.changed": "Changed benchmarking consent",
    "chart_settings.changed": "Changed chart settings",
    "collaborative.copied": "Copied a collaborative",
    "collaborative.created": "Created a collaborative",
    "collaborative.phases_changed": "Changed the phases of a collaborative",
    "collaborative.status_changed": "Changed the status of a collaborative",
    "collaborative.updated": "Edited a collaborative",
    "data_point.created": "Entered a measure value",
    "attendance.attested": "Stated their own attendance at an event",
    "attendance.checked_in": "Checked in to an event with its code",
    "attendance.code_regenerated": "Made a new check-in code for an event",
    "attendance.import_committed": "Recorded attendance from a meeting report",
    "attendance.import_discarded": "Discarded a meeting report",
    "attendance.import_staged": "Uploaded a meeting report for review",
    "attendance.imported": "Recorded a person's attendance from a meeting report",
    "attendance.marked": "Marked attendance on an event's roster",
    "event.cancelled": "Cancelled an event",
    "event.created": "Created an event",
    "event.material_added": "Added a material to an event",
    "event.material_removed": "Removed a material from an event",
    "event.updated": "Edited an event",
    "evaluation.submitted": "Sent an event evaluation",
    "evaluation_form.defaults_added": "Added the recommended evaluation questions",
    "evaluation_form.updated": "Edited an evaluation form's introduction",
    "evaluation_question.added": "Added an evaluation question",
    "evaluation_question.deleted": "Deleted an evaluation question",
    "evaluation_question.moved": "Moved an evaluation question",
    "evaluation_question.restored": "Asked a retired evaluation question again",
    "evaluation_question.retired": "Retired an evaluation question",
    "evaluation_question.updated": "Edited an evaluation question",
    "event_series.created": "Created a series of events",
    "calendar_feed.created": "Created a calendar subscription address",
    "calendar_feed.revoked": "Revoked a calendar subscription address",
    "data_point.updated": "Changed a measure value",
    "data_point.deleted": "Deleted a measure value",
    "data_point.restored": "Restored a measure value",
    "focus_area.created": "Created a focus area",
    "import.committed": "Imported measure data",
    "import.discarded": "Discarded a measure data import",
    "import.previewed": "Previewed a measure data import",
    "invitation.accepted": "Accepted an invitation",
    "invitation.created": "Sent an invitation",
    "invitation.resent": "Sent an invitation again",
    "invitation.revoked": "Withdrew an invitation",
    "measure.created": "Added a measure to the library",
    "measure.custom_created": "Created a team's own measure",
    "measure.updated": "Edited a measure",
    "measure_set.added": "Added a measure to a collaborative",
    "measure_set.changed": "Changed a collaborative's measure",
    "measure_set.removed": "Removed a measure from a collaborative",
    "notification_preference.changed": "Changed e-mail notification settings",
    "outbound_email.retried": "Sent a failed e-mail again",
    "pdsa_aim.created": "Wrote an aim",
    "pdsa_aim.revised": "Revised an aim",
    "pdsa_attachment.added": "Attached a file to a PDSA cycle",
    "pdsa_attachment.removed": "Removed a file from a PDSA cycle",
    "pdsa_attachment.restored": "Restored a file of a PDSA cycle",
    "pdsa_change_idea.created": "Added a change idea",
    "pdsa_change_idea.moved": "Moved a change idea",
    "pdsa_change_idea.reinstated": "Reinstated a change idea",
    "pdsa_change_idea.retired": "Retired a change idea",
    "pdsa_change_idea.updated": "Edited a change idea",
    "pdsa_comment.created": "Commented on a PDSA cycle",
    "pdsa_cycle.created": "Started a PDSA cycle",
    "pdsa_cycle.deleted": "Deleted a PDSA cycle",
    "pdsa_cycle.restored": "Restored a PDSA cycle",
    "pdsa_cycle.stage_changed": "Moved a PDSA cycle to another stage",
    "pdsa_cycle.updated": "Edited a PDSA cycle",
    "pdsa_driver.created": "Added a driver",
    "pdsa_driver.moved": "Moved a driver",
    "pdsa_driver.reinstated": "Reinstated a driver",
    "pdsa_driver.retired": "Retired a driver",
    "pdsa_driver.updated": "Edited a driver",
    "pdsa_package_item.created": "Added a change package item",
    "pdsa_package_item.reinstated": "Reinstated a change package item",
    "pdsa_package_item.retired": "Retired a change package item",
    "pdsa_package_item.updated": "Edited a change package item",
    "pdsa_ramp.shared": "Shared a PDSA ramp",
    "pdsa_ramp.unshared": "Stopped sharing a PDSA ramp",
    "program_membership.removed": "Removed a program role",
    "program_membership.role_changed": "Changed a program role",
    "progress_rating.created": "Rated a team's progress",
    "question_link.created": "Linked a survey question to a measure",
    "reporting_period.deleted": "Deleted a reporting period",
    "reporting_period.due_changed": "Changed a reporting period's due date",
    "reporting_periods.generated": "Created reporting periods",
    "submission.returned": "Returned submitted data to a team",
    "submission.reviewed": "Marked submitted data reviewed",
    "submission.saved": "Saved changes to submitted data",
    "submission.submitted": "Submitted monthly data",
    "survey_response.answers_saved": "Saved survey answers",
    "survey_response.reopened": "Reopened a survey response",
    "survey_response.submitted": "Submitted a survey",
    "survey_template.created": "Created a survey",
    "survey_template.imported": "Imported a survey",
    "survey_template.item_deleted": "Deleted a survey item",
    "survey_template.item_moved": "Moved a survey item",
    "survey_template.published": "Published a survey",
    "survey_template.question_saved": "Saved a survey question",
    "survey_template.section_saved": "Saved a survey section",
    "survey_template.updated": "Edited a survey",
    "survey_template.version_created": "Started a new survey version",
    "survey_wave.created": "Scheduled a survey wave",
    "survey_wave.updated": "Changed a survey wave",
    "team.applied": "A team applied",
    "team.approved": "Approved a team",
    "team.coach_assigned": "Assigned a coach",
    "team.coach_unassigned": "Unassigned a coach",
    "team.declined": "Declined a team",
    "team.nudged": "Sent a team a nudge",
    "team.withdrawn": "Withdrew a team",
    "team_measures.chosen": "Chose a team's measures",
    "team_membership.left": "Left a team",
    "team_membership.removed": "Removed a team member",
    "team_membership.role_changed": "Changed a team member's role",
    "credit_claim.created": "Claimed CE/MOC credit",
    "credit_offer.created": "Offered a credit type",
    "credit_offer.changed": "Changed a credit offer",
    "credit_offer.published": "Published a credit offer",
    "credit_offer.unpublished": "Unpublished a credit offer",
    "moc_attestation.saved": "Saved a MOC attestation draft",
    "moc_attestation.attested": "Attested a MOC Part 4 role",
    "moc_attestation.cosigned": "Co-signed a MOC attestation",
    "moc_attestation.approved": "Approved a MOC attestation",
    "moc_attestation.returned": "Returned a MOC attestation",
    "bulk_issue.started": "Started a bulk issue of certificates",
    "bulk_issue.resumed": "Resumed a stalled bulk issue of certificates",
    "credit_report.downloaded": "Downloaded a credit report",
    "certificate.revoked": "Revoked a certificate",
    "certificate.reissued": "Re-issued a corrected certificate",
    "progress_report.requested": "Asked for a sponsor progress report",
    "measures_export.requested": "Asked for a file of a whole collaborative's measures",
    "certificate_template.saved": "Saved a draft of the certificate template",
    "certificate_template.published": "Published a version of the certificate template",
}

#: Verb groups (the part before the dot) in words, for filtering "any change to ...".
VERB_GROUP_LABELS: dict[str, str] = {
    "api_token": "API tokens",
    "benchmark_consent": "Benchmarking consent",
    "chart_settings": "Chart settings",
    "collaborative": "Collaboratives",
    "data_point": "Measure values",
    "focus_area": "Focus areas",
    "import": "Measure data imports",
    "invitation": "Team invitations",
    "measure": "Measure library",
    "measure_set": "Collaboratives' measures",
    "notification_preference": "E-mail notification settings",
    "outbound_email": "Outgoing e-mail",
    "pdsa_aim": "Aims",
    "pdsa_attachment": "PDSA attachments",
    "pdsa_change_idea": "Change ideas",
    "pdsa_comment": "PDSA comments",
    "pdsa_cycle": "PDSA cycles",
    "pdsa_driver": "Drivers",
    "pdsa_package_item": "Change package",
    "pdsa_ramp": "PDSA ramps",
    "program_membership": "Program roles",
    "progress_rating": "Progress ratings",
    "question_link": "Survey-to-measure links",
    "reporting_period": "Reporting periods",
    "reporting_periods": "Reporting period schedules",
    "submission": "Data submissions",
    "survey_response": "Survey responses",
    "survey_template": "Surveys",
    "survey_wave": "Survey waves",
    "team": "Teams and enrolment",
    "team_measures": "Teams' measures",
    "team_membership": "Team members",
    "credit_claim": "Credit claims",
    "credit_offer": "Credit offers",
    "moc_attestation": "MOC attestations",
    "bulk_issue": "Bulk issues of certificates",
    "credit_report": "Credit reports",
    "certificate": "Certificates",
    "certificate_template": "Certificate templates",
}


def verb_label(verb: str) -> str:
    """`verb` in words ("Changed the status of a collaborative"), or the verb itself."""
    return VERB_LABELS.get(verb, verb)


def verb_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped select choices: per group, "any change" ("collaborative.*") then each verb."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for verb, label in sorted(VERB_LABELS.items()):
        groups.setdefault(verb.split(".", 1)[0], []).append((verb, label))
    return [
        (
            VERB_GROUP_LABELS.get(group, group),
            [(f"{group}.*", f"Any change: {VERB_GROUP_LABELS.get(group, group)}"), *verbs],
        )
        for group, verbs in sorted(groups.items(), key=lambda g: VERB_GROUP_LABELS.get(g[0], g[0]))
    ]
