"""What the community tests share: the builder's community, a signed-in client, and
the community pages' addresses."""

from django.test import Client
from django.urls import reverse

from collaboratives.models import Collaborative


def community_of(t) -> Collaborative:
    """The tenant's community of practice (tests/resources/community_tenant_builder.py)."""
    return Collaborative.objects.get(public_id=t.extras["community_id"])


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name: str, community: Collaborative, **kwargs) -> str:
    return reverse(f"resources:{name}", kwargs={"community_id": community.public_id, **kwargs})
