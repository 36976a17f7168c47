"""The demo seed links library resources to a gap question, a measure, a change-package
item and a learning session, once (seeding again adds nothing)."""

import pytest

from assessments.models import LinkKind, QuestionLink
from demo.seed import seed_demo
from resources.models import LinkTarget, ResourceLink

pytestmark = pytest.mark.django_db


def test_demo_links_resources_to_each_kind_of_target_once():
    seed_demo(password="demo-pass-2026")
    kinds = set(ResourceLink.objects.values_list("target_kind", flat=True))
    assert {LinkTarget.MEASURE, LinkTarget.PACKAGE_ITEM, LinkTarget.EVENT} <= kinds
    assert ResourceLink.objects.filter(target_title__icontains="kilograms").exists()
    question_links = QuestionLink.objects.filter(kind=LinkKind.RESOURCE, target_id__isnull=False)
    assert question_links.count() == 1
    counts = (ResourceLink.objects.count(), question_links.count())
    seed_demo(password="demo-pass-2026")
    assert (ResourceLink.objects.count(), question_links.count()) == counts
