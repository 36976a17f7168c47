"""The community's e-mails and in-app notices, through the outbox (core.emails).

One template set (templates/emails/community_notice*) words them all: the service says
what happened in a subject line and a sentence, optionally quotes the message, and
names the page the notice opens. People's preferences apply as for every kind
(core.notifications): immediately, in the weekly digest (core.digest), or off.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from accounts.models import User
from collaboratives.models import Collaborative
from core.emails import absolute_url, email_enqueue

from ..models import CommunityMember, Reply, Thread
from .selectors import program_staff_ids

MEMBERSHIP = "community_membership"
REPLY = "community_reply"
MENTION = "community_mention"


def community_path(collaborative: Collaborative) -> str:
    return reverse("resources:community", kwargs={"community_id": collaborative.public_id})


def members_path(collaborative: Collaborative) -> str:
    return reverse("resources:community_members", kwargs={"community_id": collaborative.public_id})


def thread_path(thread: Thread) -> str:
    return reverse(
        "resources:community_thread",
        kwargs={"community_id": thread.collaborative.public_id, "thread_id": thread.public_id},
    )


def reply_path(reply: Reply) -> str:
    """The thread's page with the reply in it: `?reply=` makes the page open on the page
    of replies holding it (the thread is paged), the anchor scrolls to it."""
    return f"{thread_path(reply.thread)}?reply={reply.public_id}#reply-{reply.public_id}"


def _send(
    *,
    people: Iterable[User],
    collaborative: Collaborative,
    kind: str,
    subject: str,
    sentence: str,
    path: str,
    action: str,
    dedupe: str,
    quote: str = "",
) -> int:
    """One notice per person (e-mail and inbox); returns how many were queued or held."""
    sent = 0
    for person in people:
        email = email_enqueue(
            to=person.email,
            template="community_notice",
            context={
                "recipient": person,
                "subject": subject,
                "sentence": sentence,
                "quote": quote,
                "action": action,
                "url": absolute_url(path),
                "community": collaborative,
                "program": collaborative.program,
            },
            program=collaborative.program,
            dedupe_key=f"{dedupe}:{person.public_id}",
            kind=kind,
            notice_url=path,
        )
        sent += email is not None
    return sent


def _staff_of(collaborative: Collaborative) -> list[User]:
    ids = program_staff_ids(collaborative=collaborative)
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def notify_join_request(member: CommunityMember) -> int:
    """Tell the program's staff that someone asks to join."""
    collaborative = member.collaborative
    who = member.user.display_name
    return _send(
        people=_staff_of(collaborative),
        collaborative=collaborative,
        kind=MEMBERSHIP,
        subject=f"{who} asks to join the community of {collaborative.title}",
        sentence=f"{who} asks to join the community of practice of {collaborative.title}.",
        quote=member.message,
        path=members_path(collaborative),
        action="Approve or decline",
        dedupe=f"community-request:{member.public_id}:{member.updated_at.timestamp()}",
    )


def notify_member(member: CommunityMember, *, event: str) -> int:
    """Tell the person their request was approved or declined, or that they were invited."""
    collaborative = member.collaborative
    title = collaborative.title
    words = {
        "approved": (
            f"Welcome to the community of {title}",
            f"Your request to join the community of practice of {title} was approved.",
            "Open the community",
        ),
        "declined": (
            f"Your request to join the community of {title}",
            f"Program staff declined your request to join the community of practice of {title}.",
            "See the community",
        ),
        "invited": (
            f"You are invited to the community of {title}",
            f"{member.invited_by.display_name if member.invited_by else 'Program staff'} "
            f"invited you to the community of practice of {title}.",
            "Accept or decline",
        ),
    }
    subject, sentence, action = words[event]
    return _send(
        people=[member.user],
        collaborative=collaborative,
        kind=MEMBERSHIP,
        subject=subject,
        sentence=sentence,
        quote=member.message if event == "invited" else "",
        path=community_path(collaborative),
        action=action,
        dedupe=f"community-{event}:{member.public_id}:{member.updated_at.timestamp()}",
    )


def notify_reply(reply: Reply, *, people: Iterable[User]) -> int:
    """Tell the thread's followers about a new reply."""
    thread = reply.thread
    who = reply.author.display_name if reply.author else "Someone"
    return _send(
        people=people,
        collaborative=thread.collaborative,
        kind=REPLY,
        subject=f"{who} replied to “{thread.title}”",
        sentence=f"{who} replied to “{thread.title}”, a discussion you follow in the "
        f"community of {thread.collaborative.title}:",
        quote=reply.body,
        path=reply_path(reply),
        action="Read the discussion",
        dedupe=f"community-reply:{reply.public_id}",
    )


def notify_mention(
    *,
    thread: Thread,
    body: str,
    author: User,
    key,
    people: Iterable[User],
    reply: Reply | None = None,
) -> int:
    """Tell the people a new thread or reply mentions (the notice opens the reply)."""
    who = author.display_name
    return _send(
        people=people,
        collaborative=thread.collaborative,
        kind=MENTION,
        subject=f"{who} mentioned you in “{thread.title}”",
        sentence=f"{who} mentioned you in “{thread.title}”, in the community of "
        f"{thread.collaborative.title}:",
        quote=body,
        path=reply_path(reply) if reply is not None else thread_path(thread),
        action="Read the discussion",
        dedupe=f"community-mention:{key}",
    )
