"""The demo's community of practice: the past collaborative (in its community phase)
with its people as members, a pending request to join, and two discussions with
replies, a link and a mention.

Rows are written directly, as demo.pdsa writes comments, not through the services,
which would queue e-mails to the demo people; the mention gets the in-app notice its
producer would have made (core.inbox.notice_create, with the producer's words and
dedupe key). Seeding again adds nothing.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from core.inbox import notice_create
from resources.community.notices import thread_path
from resources.community.services import community_members_seed
from resources.models import CommunityMember, MemberStatus, Reply, Thread, ThreadFollow

from .collaboratives import PAST
from .world import DemoResult, DemoWorld

#: Who asks to join (a team sponsor of the active collaborative, not of the past one).
REQUESTER = "sponsor@demo.example"

#: (title, author, days ago, body, [(author, days ago, body)]).
DISCUSSIONS = [
    (
        "Keeping kilograms-only weights after the collaborative",
        "lead@demo.example",
        40,
        "Our kg-only scale has held for a year now. New travel nurses are the weak point: "
        "they chart pounds out of habit. How do you onboard them?\n\n"
        "The EIIC toolkit we used: https://emscimprovement.center/domains/pediatric-readiness/",
        [
            (
                "coach@demo.example",
                38,
                "@Alex Moreno one team added a laminated kg card to the travel-nurse badge "
                "packet and a five-minute huddle on the first shift. Worth a test of change?",
            ),
            (
                "lead@demo.example",
                37,
                "Good idea, we will try it with the next two travel nurses and share the ramp.",
            ),
        ],
    ),
    (
        "Funding the pediatric emergency care coordinator role",
        "coach2@demo.example",
        12,
        "Several of you asked how the coordinator role survived budget season. "
        "What worked in your hospital: a fraction of a nurse educator's time, or a "
        "dedicated position?",
        [
            (
                "staff@demo.example",
                10,
                "We will share the business-case template from the closing congress in the "
                "library this month.",
            ),
        ],
    ),
]


def _at(today: date, days_ago: int) -> datetime:
    """2 pm (the site's zone) `days_ago` days before `today`."""
    zone = timezone.get_default_timezone()
    return datetime.combine(today - timedelta(days=days_ago), time(14, 0), tzinfo=zone)


def seed(world: DemoWorld, result: DemoResult, *, today: date) -> None:
    past = world.collaboratives[PAST]
    result.count(community_members_seed(collaborative=past) > 0)
    users = world.users
    _, created = CommunityMember.objects.get_or_create(
        collaborative=past,
        user=users[REQUESTER],
        defaults={
            "program": past.program,
            "status": MemberStatus.REQUESTED,
            "message": "I sponsor Riverside's new team and would like to learn from the "
            "first cohort.",
        },
    )
    result.count(created)
    for title, author, days, body, replies in DISCUSSIONS:
        thread, created = Thread.objects.get_or_create(
            collaborative=past,
            title=title,
            defaults={
                "program": past.program,
                "author": users[author],
                "body": body,
                "last_activity_at": _at(today, replies[-1][1] if replies else days),
            },
        )
        result.count(created)
        if created:
            Thread.objects.filter(pk=thread.pk).update(created_at=_at(today, days))
        for who in {author, *(r[0] for r in replies)}:
            ThreadFollow.objects.get_or_create(
                thread=thread, user=users[who], defaults={"program": past.program}
            )
        for replier, ago, text in replies:
            reply, created = Reply.objects.get_or_create(
                thread=thread,
                author=users[replier],
                body=text,
                defaults={"program": past.program, "collaborative": past},
            )
            result.count(created)
            if created:
                Reply.objects.filter(pk=reply.pk).update(created_at=_at(today, ago))
            if text.startswith("@Alex Moreno"):
                mentioner = users[replier]
                notice_create(
                    recipient=users["lead@demo.example"],
                    kind="community_mention",
                    title=f"{mentioner.display_name} mentioned you in “{thread.title}”",
                    url=thread_path(thread),
                    program=past.program,
                    dedupe_key=f"community-mention:{reply.public_id}:"
                    f"{users['lead@demo.example'].public_id}",
                )
