"""The demo's community of practice: the past collaborative's people are members, one
person waits for a decision, two discussions with replies and a mention; once."""

import pytest

from collaboratives.models import CollaborativeStatus
from core.models import Notification
from demo.collaboratives import PAST
from demo.seed import seed_demo
from resources.models import CommunityMember, MemberStatus, Reply, Thread
from tests.factories import client_for, give_totp

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_living_community():
    seed_demo(password="demo-pass-2026")
    members = CommunityMember.objects.filter(collaborative__slug=PAST)
    past = members.first().collaborative
    assert past.status == CollaborativeStatus.COMMUNITY
    active = set(members.filter(status=MemberStatus.ACTIVE).values_list("user__email", flat=True))
    assert {"lead@demo.example", "coach@demo.example", "staff@demo.example"} <= active
    assert "member@demo.example" not in active
    assert members.filter(status=MemberStatus.REQUESTED).count() == 1
    assert Thread.objects.filter(collaborative=past).count() == 2
    assert Reply.objects.filter(collaborative=past).count() == 3
    mention = Notification.objects.get(kind="community_mention")
    assert mention.recipient.email == "lead@demo.example"
    counts = (members.count(), Thread.objects.count(), Reply.objects.count())
    seed_demo(password="demo-pass-2026")
    assert (members.count(), Thread.objects.count(), Reply.objects.count()) == counts
    assert Notification.objects.filter(kind="community_mention").count() == 1

    lead = client_for(mention.recipient)
    thread_page = lead.get(mention.url)
    assert thread_page.status_code == 200
    assert "laminated kg card" in thread_page.content.decode()
    staff_user = members.get(user__email="staff@demo.example").user
    give_totp(staff_user)
    staff = client_for(staff_user)
    page = staff.get(f"/communities/{past.public_id}/").content.decode()
    assert "1 person asks to join" in page
