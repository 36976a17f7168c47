"""The demo library: a dozen resources of every type for NPRIC (files that pass the
library's own content checks, links, a video and a recording), one public, one
collaborative-scoped, one retired, with opens; the second program's library stays
its own; seeding twice adds nothing."""

import pytest

from demo.resources_library import NPRIC_LIBRARY
from demo.seed import seed_demo
from resources.models import Resource, ResourceKind, ResourceViewDay, Visibility
from resources.selectors.library import most_used, new_this_month, resources_visible_to
from tests.certificates.helpers import pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_library_is_varied_scoped_and_used(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    seed_demo()
    npric = Resource.objects.filter(program__slug="npric")
    assert npric.count() == len(NPRIC_LIBRARY) >= 12
    assert set(npric.values_list("kind", flat=True)) == set(ResourceKind.values)
    assert npric.filter(visibility=Visibility.PUBLIC).exists()
    assert npric.filter(visibility=Visibility.COLLABORATIVE).exists()
    assert npric.filter(retired_at__isnull=False).count() == 1
    files = [r for r in npric if r.is_file]
    assert len(files) >= 3
    headings = {spec.title: spec.pdf_lines[0] for spec in NPRIC_LIBRARY if spec.pdf_lines}
    for resource in files:
        assert resource.content_type == "application/pdf"
        with resource.file.open("rb") as handle:
            assert headings[resource.title] in pdf_text(handle.read())
    assert ResourceViewDay.objects.filter(resource__program__slug="npric").count() > 20
    member = Resource.objects.get(title=NPRIC_LIBRARY[0].title).created_by
    visible = resources_visible_to(user=member)
    assert new_this_month(visible) and most_used(visible)
    assert not visible.filter(program__slug="great-lakes").exists()
    before = Resource.objects.count(), ResourceViewDay.objects.count()
    seed_demo()
    assert (Resource.objects.count(), ResourceViewDay.objects.count()) == before
