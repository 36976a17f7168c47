"""Fixtures of the team tests: signed-in clients and the personas tenant A lacks."""

import html
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client

from accounts.models import ProgramRole
from tests.factories import ProgramMembershipFactory, UserFactory

#: Personas of tests/conftest.py's tenants, plus the ones added here.
VISIBLE_PERSONAS = ["admin", "staff", "coach", "lead", "member"]
HIDDEN_PERSONAS = ["unassigned_coach", "outsider", "other_tenant_staff"]


@pytest.fixture
def unassigned_coach(tenant_a):
    """A coach of tenant A's program who is not assigned to tenant A's team."""
    coach = UserFactory(email="coach2@alpha.example", full_name="Alpha Second Coach")
    ProgramMembershipFactory(program=tenant_a.program, user=coach, role=ProgramRole.COACH)
    return coach


@pytest.fixture
def persona(request, tenant_a, tenant_b, outsider, unassigned_coach):
    """Resolve a persona name (parametrised as `persona_name`) to a user."""

    def resolve(name: str):
        if name == "outsider":
            return outsider
        if name == "unassigned_coach":
            return unassigned_coach
        if name == "other_tenant_staff":
            return tenant_b.staff
        return getattr(tenant_a, name)

    return resolve


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def last_mail_link() -> str:
    """The path of the invitation link in the newest e-mail of the test outbox."""
    body = mail.outbox[-1].body
    url = re.search(r"https?://\S+/invitations/\S+/", body).group(0)
    return urlparse(url).path


def page_text(response) -> str:
    """The response's HTML with entities decoded, to compare with the words people read."""
    return html.unescape(response.content.decode())
