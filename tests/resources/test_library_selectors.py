"""Who finds what in the library: a program's people its program-wide and public
resources, a collaborative's people its scoped ones, nobody another program's or a
retired one; "new this month", "most used" and "no one opened" on the fixed clock."""

from datetime import datetime, time, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from collaboratives.models import FacilityType
from core import clock
from resources.models import Resource, ResourceKind, ResourceViewDay, Visibility
from resources.selectors.library import (
    UNOPENED_EVER,
    UNOPENED_RECENTLY,
    filter_library,
    most_used,
    new_this_month,
    public_resource_or_404,
    resource_or_404,
    resources_managed,
    resources_visible_to,
)
from tests.factories import CollaborativeFactory, TeamFactory, TeamMembershipFactory, UserFactory

from .library_tenant_builder import make_resource

pytestmark = pytest.mark.django_db


def titles(queryset) -> set[str]:
    return {r.title for r in queryset}


def test_each_tenant_sees_only_its_own_library(tenant_a, tenant_b):
    a_titles = titles(Resource.objects.filter(program=tenant_a.program))
    for who in ("admin", "staff", "coach", "lead", "member"):
        seen = titles(resources_visible_to(user=getattr(tenant_a, who)))
        assert seen == a_titles, who
        assert not any("BRAVO-PRIVATE" in title for title in seen)
    assert not titles(resources_visible_to(user=UserFactory())) & a_titles


def test_a_collaborative_scoped_resource_is_hidden_from_other_collaboratives_teams(tenant_a):
    other = CollaborativeFactory(program=tenant_a.program, title="Alpha Second Collaborative")
    outside_team = TeamFactory(program=tenant_a.program, collaborative=other)
    outsider = UserFactory()
    TeamMembershipFactory(team=outside_team, user=outsider)
    scoped = make_resource(
        tenant_a,
        "Sepsis huddle script",
        visibility=Visibility.COLLABORATIVE,
        collaborative=tenant_a.collaborative,
    )
    wide = make_resource(tenant_a, "Program-wide poster")
    assert scoped in resources_visible_to(user=tenant_a.member)
    assert scoped in resources_visible_to(user=tenant_a.coach)
    assert scoped not in resources_visible_to(user=outsider)
    assert wide in resources_visible_to(user=outsider)
    with pytest.raises(Http404):
        resource_or_404(user=outsider, public_id=scoped.public_id)


def test_retired_resources_leave_the_library_but_staff_still_reach_them(tenant_a):
    retired = make_resource(tenant_a, "Old protocol", retired_at=timezone.now())
    assert retired not in resources_visible_to(user=tenant_a.member)
    assert retired not in resources_visible_to(user=tenant_a.staff)
    with pytest.raises(Http404):
        resource_or_404(user=tenant_a.member, public_id=retired.public_id)
    assert resource_or_404(user=tenant_a.staff, public_id=retired.public_id) == retired
    assert retired in resources_managed(program=tenant_a.program)


def test_resource_or_404_refuses_other_tenants_and_garbage(tenant_a, tenant_b):
    theirs = Resource.objects.filter(program=tenant_b.program).first()
    for public_id in (theirs.public_id, "not-a-uuid", None):
        with pytest.raises(Http404):
            resource_or_404(user=tenant_a.staff, public_id=public_id)


def test_the_public_page_shows_only_public_resources_not_retired(tenant_a):
    public = make_resource(tenant_a, "Poster", visibility=Visibility.PUBLIC)
    assert public_resource_or_404(public_id=public.public_id) == public
    wide = make_resource(tenant_a, "Internal")
    gone = make_resource(tenant_a, "Gone", visibility=Visibility.PUBLIC, retired_at=timezone.now())
    for resource in (wide, gone):
        with pytest.raises(Http404):
            public_resource_or_404(public_id=resource.public_id)


def test_filters_by_type_focus_area_and_audience(tenant_a):
    toolkit = make_resource(tenant_a, "Toolkit", kind=ResourceKind.TOOLKIT)
    toolkit.focus_areas.set([tenant_a.focus_area])
    for_cah = make_resource(
        tenant_a, "For critical access", audience=[FacilityType.CRITICAL_ACCESS]
    )
    for_ems = make_resource(tenant_a, "For EMS", audience=[FacilityType.EMS_AGENCY])
    everyone = make_resource(tenant_a, "For everyone")
    visible = resources_visible_to(user=tenant_a.member)
    assert toolkit in filter_library(visible, kind=ResourceKind.TOOLKIT)
    assert everyone not in filter_library(visible, kind=ResourceKind.TOOLKIT)
    assert set(filter_library(visible, focus_area=tenant_a.focus_area.public_id)) >= {toolkit}
    assert everyone not in filter_library(visible, focus_area=tenant_a.focus_area.public_id)
    chosen = set(filter_library(visible, audience=FacilityType.CRITICAL_ACCESS))
    assert {for_cah, everyone} <= chosen and for_ems not in chosen


def test_new_this_month_counts_the_calendar_month(tenant_a):
    fresh = make_resource(tenant_a, "Fresh")
    older = make_resource(tenant_a, "Older")
    month_start = clock.current_month()
    Resource.objects.filter(pk=older.pk).update(
        created_at=timezone.make_aware(datetime.combine(month_start, time.min))
        - timedelta(seconds=1)
    )
    new = new_this_month(resources_visible_to(user=tenant_a.member))
    assert fresh in new and older not in new


def test_most_used_counts_opens_of_the_last_90_days(tenant_a):
    today = clock.today()
    busy = make_resource(tenant_a, "Busy")
    once = make_resource(tenant_a, "Once")
    stale = make_resource(tenant_a, "Stale", view_count=50)
    ResourceViewDay.objects.create(resource=busy, day=today, count=3)
    ResourceViewDay.objects.create(resource=busy, day=today - timedelta(days=89), count=4)
    ResourceViewDay.objects.create(resource=once, day=today - timedelta(days=10), count=1)
    ResourceViewDay.objects.create(resource=stale, day=today - timedelta(days=90), count=50)
    ranked = most_used(
        resources_visible_to(user=tenant_a.member).filter(pk__in=[busy.pk, once.pk, stale.pk])
    )
    assert [(r.title, r.recent_opens) for r in ranked] == [("Busy", 7), ("Once", 1)]


def test_no_one_opened_recently_or_ever(tenant_a):
    today = clock.today()
    never = make_resource(tenant_a, "Never")
    long_ago = make_resource(tenant_a, "Long ago", view_count=5)
    ResourceViewDay.objects.create(resource=long_ago, day=today - timedelta(days=120), count=5)
    recent = make_resource(tenant_a, "Recent", view_count=1)
    ResourceViewDay.objects.create(resource=recent, day=today, count=1)
    not_recently = titles(resources_managed(program=tenant_a.program, unopened=UNOPENED_RECENTLY))
    assert {"Never", "Long ago"} <= not_recently and "Recent" not in not_recently
    ever = titles(resources_managed(program=tenant_a.program, unopened=UNOPENED_EVER))
    assert "Never" in ever and not {"Long ago", "Recent"} & ever
    rows = {
        r.title: (r.recent_opens, r.view_count) for r in resources_managed(program=tenant_a.program)
    }
    assert rows["Long ago"] == (0, 5) and rows["Recent"] == (1, 1) and rows["Never"] == (0, 0)
    assert never.program == tenant_a.program
