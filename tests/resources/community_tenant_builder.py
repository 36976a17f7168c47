"""A community of practice for the isolation guard (tests/conftest.py): the tenant's
past collaborative in its community phase, with the lead and the member as members
(staff and admin reach it by their role), a thread by the lead with a reply by the
member, a join request by the coach, and an e-mailed invitation of a newcomer. Private text
carries `marker`."""

import secrets
from datetime import timedelta

from collaboratives.models import Collaborative, CollaborativeStatus
from core import clock
from resources.models import (
    CommunityInvitation,
    CommunityMember,
    MemberStatus,
    Reply,
    Thread,
    ThreadFollow,
)
from tests.clock import month
from tests.factories import CollaborativeFactory


def build(tenant, marker: str) -> dict:
    m = f" {marker}" if marker else ""
    program = tenant.program
    label = program.slug
    community = CollaborativeFactory(
        program=program,
        title=f"{program.name} Past Collaborative{m}",
        slug=f"{label}-past",
        status=CollaborativeStatus.CLOSED,
        start_date=month(-30),
        end_date=month(-12),
    )
    # Into the community phase without the seeding receiver (an UPDATE sends no signal):
    # its audit event would be one more row in every test that reads the program's log.
    Collaborative.objects.filter(pk=community.pk).update(status=CollaborativeStatus.COMMUNITY)
    community.status = CollaborativeStatus.COMMUNITY
    for user in (tenant.lead, tenant.member):
        CommunityMember.objects.create(
            program=program,
            collaborative=community,
            user=user,
            status=MemberStatus.ACTIVE,
            joined_at=community.created_at,
        )
    request = CommunityMember.objects.create(
        program=program,
        collaborative=community,
        user=tenant.coach,
        status=MemberStatus.REQUESTED,
        message=f"Let me in{m}",
    )
    thread = Thread.objects.create(
        program=program,
        collaborative=community,
        author=tenant.lead,
        title=f"Weighing in kg{m}",
        body=f"How did you keep it going?{m}",
        last_activity_at=community.created_at,
    )
    ThreadFollow.objects.create(program=program, thread=thread, user=tenant.lead)
    reply = Reply.objects.create(
        program=program,
        collaborative=community,
        thread=thread,
        author=tenant.member,
        body=f"A laminated card at triage{m}",
    )
    invitation = CommunityInvitation.objects.create(
        program=program,
        collaborative=community,
        email=f"newcomer{'.' + marker if marker else ''}@{label}.example.org",
        token_hash=secrets.token_hex(32),
        invited_by=tenant.staff,
        expires_at=clock.now() + timedelta(days=14),
        send_count=1,
        message=f"Welcome{m}",
    )
    return {
        "community_id": community.public_id,
        "community_invitation_id": invitation.public_id,
        "community_member_id": request.public_id,
        "thread_id": thread.public_id,
        "reply_id": reply.public_id,
    }
