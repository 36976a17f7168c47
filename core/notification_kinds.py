"""The kinds of e-mail the product sends, which people choose how to receive.

Every producer passes one of these keys as `kind=` to `core.emails.email_enqueue`;
the outbox stores it, the preference page lists the kinds, and the one-click
unsubscribe link names one. Account and security e-mails (sign-up verification,
password reset, sign-in codes, invitations to join) are the kind ACCOUNT, which
cannot be turned off: without them nobody could sign in or join.

The kinds marked `in_app` are the notices that also appear in the person's in-app
inbox, even when they turned the e-mail off (one producer, two channels:
core.emails). ACCOUNT is not one of them (a password reset in an inbox helps
nobody), but an invitation to someone who already has an account is: its producer
passes `notice_url` itself.

A kind is registered here, in the lowest layer, rather than by the feature apps, so
that the preference page is complete even for a kind whose producer has not run yet,
and so that a typo in a producer's `kind=` fails loudly (`kind_get`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmailKind:
    """One kind of e-mail, as the preference page and the unsubscribe page name it."""

    key: str
    #: A short name: "Comments on PDSA cycles".
    label: str
    #: Which e-mails these are, in one sentence.
    description: str
    #: Whether people may hold it for the weekly digest or turn it off.
    optional: bool = True
    #: Whether each e-mail of this kind also puts a notice in the recipient's in-app
    #: inbox (core.inbox): its producers must then say where the notice opens.
    in_app: bool = False


#: Account and security e-mails: always sent at once.
ACCOUNT = "account"
#: The weekly digest itself: not a kind people choose for, but its unsubscribe link
#: turns off every kind that person receives in the digest.
DIGEST = "digest"

_KINDS: tuple[EmailKind, ...] = (
    EmailKind(
        ACCOUNT,
        "Account and security",
        "Confirming your e-mail address, resetting your password, sign-in codes and "
        "invitations to join a team or a program.",
        optional=False,
    ),
    EmailKind(
        "enrolment",
        "Your team's enrolment",
        "A team application was received, approved or declined, or a team was withdrawn.",
        in_app=True,
    ),
    EmailKind(
        "session_reminder",
        "Learning session reminders",
        "Reminders 7 days and 1 day before a learning session you registered for.",
        in_app=True,
    ),
    EmailKind(
        "session_recording",
        "Session recordings",
        "The recording of a session you registered for was posted.",
        in_app=True,
    ),
    EmailKind(
        "evaluation_reminder",
        "Evaluation reminders",
        "Asks you to evaluate a session you attended.",
        in_app=True,
    ),
    EmailKind(
        "module_reminder",
        "Module reminders",
        "Reminders about a module's assignment window.",
        in_app=True,
    ),
    EmailKind(
        "data_reminder",
        "Monthly data reminders",
        "Reminders before your team's monthly data is due, and the day after when it is late.",
        in_app=True,
    ),
    EmailKind(
        "data_submitted",
        "Monthly data submitted",
        "For coaches: a team you coach submitted its monthly data.",
        in_app=True,
    ),
    EmailKind(
        "data_reviewed",
        "Monthly data reviewed or returned",
        "Your team's coach marked its monthly data reviewed or returned it for changes.",
        in_app=True,
    ),
    EmailKind(
        "pdsa_comment",
        "Comments on PDSA cycles",
        "Someone commented on a test of change (PDSA cycle) you work on.",
        in_app=True,
    ),
    EmailKind(
        "pdsa_feedback",
        "PDSA cycles waiting for your feedback",
        "For coaches: a team you coach moved a test of change to Study, Act or Complete "
        "and waits for your feedback.",
        in_app=True,
    ),
    EmailKind(
        "certificate",
        "Certificates",
        "Your certificate is ready to download, or one of your certificates was corrected "
        "or revoked.",
        in_app=True,
    ),
    EmailKind(
        "moc_attestation",
        "MOC Part 4 attestations",
        "A team member asks you, their team lead, to co-sign their MOC Part 4 "
        "attestation, or your attestation was approved or returned.",
        in_app=True,
    ),
    EmailKind(
        "nudge",
        "Check-ins from your coach",
        "Your team's coach asks how your improvement work is going (at most one a day).",
        in_app=True,
    ),
    EmailKind(
        "community_membership",
        "Community of practice membership",
        "You were invited to a community of practice or your request to join was decided; "
        "for program staff: someone asks to join a community.",
        in_app=True,
    ),
    EmailKind(
        "community_reply",
        "Replies in community discussions",
        "Someone replied in a community discussion you follow.",
        in_app=True,
    ),
    EmailKind(
        "community_mention",
        "Mentions in community discussions",
        "Someone mentioned you (@your name) in a community discussion.",
        in_app=True,
    ),
    EmailKind(
        "assessment_reopened",
        "Surveys reopened",
        "A survey your team submitted was reopened for changes.",
        in_app=True,
    ),
)

KINDS: dict[str, EmailKind] = {kind.key: kind for kind in _KINDS}

_DIGEST_KIND = EmailKind(
    DIGEST,
    "Weekly digest",
    "One e-mail a week with the notices you chose to receive in a digest.",
)


def kind_get(key: str) -> EmailKind:
    """The kind named `key` ("" is ACCOUNT, "digest" the digest); ValueError for a key
    nobody registered, so that a producer's typo fails in its tests, not in silence."""
    if key == DIGEST:
        return _DIGEST_KIND
    try:
        return KINDS[key or ACCOUNT]
    except KeyError:
        raise ValueError(
            f"Unknown e-mail kind {key!r}: register it in core/notification_kinds.py"
        ) from None


def kind_label(key: str) -> str:
    """The kind's label, or the key itself for a kind no longer registered (old rows)."""
    try:
        return kind_get(key).label
    except ValueError:
        return key


def optional_kinds() -> list[EmailKind]:
    """The kinds people may hold for the digest or turn off, in the page's order."""
    return [kind for kind in _KINDS if kind.optional]
