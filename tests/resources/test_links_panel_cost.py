"""The "Resources for this ..." panel is on every measure page, and most targets have
no resource linked: it must cost one query then, and a fixed number otherwise, while
showing exactly what the library's rule (resources_seen_by) lets the viewer open."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.selectors import program_role_map
from collaboratives.models import Collaborative, CollaborativeStatus
from core import clock
from measures.models import Measure
from resources.access import resources_seen_condition
from resources.models import (
    CommunityMember,
    LinkTarget,
    MemberStatus,
    Resource,
    ResourceKind,
    ResourceLink,
    Visibility,
)
from resources.selectors.links import resources_linked_to, resources_seen_by
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _resource(tenant, title: str, **fields) -> Resource:
    return Resource.objects.create(
        program=tenant.program,
        kind=ResourceKind.TEMPLATE,
        title=title,
        summary=f"Summary of {title}",
        url="https://example.org/r",
        **fields,
    )


def _link(tenant, resource: Resource, target_id) -> ResourceLink:
    return ResourceLink.objects.create(
        program=tenant.program,
        resource=resource,
        target_kind=LinkTarget.MEASURE,
        target_id=target_id,
    )


def _community(tenant) -> Collaborative:
    return Collaborative.objects.get(program=tenant.program, status=CollaborativeStatus.COMMUNITY)


def _every_kind_of_resource(tenant_a, tenant_b) -> list[Resource]:
    return [
        _resource(tenant_a, "Program-wide", visibility=Visibility.PROGRAM),
        _resource(tenant_a, "Public", visibility=Visibility.PUBLIC),
        _resource(
            tenant_a,
            "Active collaborative's",
            visibility=Visibility.COLLABORATIVE,
            collaborative=tenant_a.collaborative,
        ),
        _resource(
            tenant_a,
            "Recruiting collaborative's",
            visibility=Visibility.COLLABORATIVE,
            collaborative=tenant_a.recruiting,
        ),
        _resource(
            tenant_a,
            "Community's",
            visibility=Visibility.COLLABORATIVE,
            collaborative=_community(tenant_a),
        ),
        _resource(tenant_a, "Retired", visibility=Visibility.PROGRAM, retired_at=clock.now()),
        _resource(tenant_b, "Other program's", visibility=Visibility.PROGRAM),
    ]


def _people(tenant_a, tenant_b, outsider) -> dict:
    alumna = UserFactory(email="alumna@alpha.example")
    CommunityMember.objects.create(
        program=tenant_a.program,
        collaborative=_community(tenant_a),
        user=alumna,
        status=MemberStatus.ACTIVE,
        joined_at=clock.now(),
    )
    gone = UserFactory(email="gone@alpha.example")
    CommunityMember.objects.create(
        program=tenant_a.program,
        collaborative=_community(tenant_a),
        user=gone,
        status=MemberStatus.ACTIVE,
        joined_at=clock.now(),
    )
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    return {
        "admin": tenant_a.admin,
        "staff": tenant_a.staff,
        "coach": tenant_a.coach,
        "lead": tenant_a.lead,
        "member": tenant_a.member,
        "alumna": alumna,
        "deactivated": gone,
        "outsider": outsider,
        "other_staff": tenant_b.staff,
    }


def test_the_one_query_rule_agrees_with_the_librarys_rule(tenant_a, tenant_b, outsider):
    _every_kind_of_resource(tenant_a, tenant_b)
    for name, user in _people(tenant_a, tenant_b, outsider).items():
        condition = resources_seen_condition(user=user)
        folded = set() if condition is None else set(Resource.objects.filter(condition))
        assert folded == set(resources_seen_by(user=user)), name


def test_the_panel_lists_what_the_library_rule_lets_each_person_open(tenant_a, tenant_b, outsider):
    measure_id = uuid.uuid4()
    for resource in _every_kind_of_resource(tenant_a, tenant_b):
        _link(tenant_a, resource, measure_id)
    for name, user in _people(tenant_a, tenant_b, outsider).items():
        linked = resources_linked_to(
            user=user,
            program_id=tenant_a.program.pk,
            target_kind=LinkTarget.MEASURE,
            target_ids=[measure_id],
        )
        expected = sorted(
            (r.title, r.pk)
            for r in resources_seen_by(user=user).filter(links__target_id=measure_id)
        )
        assert [(e.resource.title, e.resource.pk) for e in linked] == expected, name


def _queries(user, tenant, target_id, collaborative_id=None) -> tuple[int, list]:
    program_role_map(user=user)  # a request has read the roles already (the middleware)
    with CaptureQueriesContext(connection) as ctx:
        linked = resources_linked_to(
            user=user,
            program_id=tenant.program.pk,
            target_kind=LinkTarget.MEASURE,
            target_ids=[target_id],
            collaborative_id=collaborative_id,
        )
    return len(ctx.captured_queries), linked


@pytest.mark.parametrize("who", ["lead", "staff", "coach", "member"])
def test_the_panel_costs_one_query_when_nothing_is_linked(tenant_a, who):
    measure = Measure.objects.get(public_id=tenant_a.extras["measure_id"])
    ResourceLink.objects.filter(target_id=measure.public_id).delete()
    count, linked = _queries(
        getattr(tenant_a, who), tenant_a, measure.public_id, tenant_a.collaborative.pk
    )
    assert (count, linked) == (1, [])


def test_the_panel_costs_two_queries_whatever_the_number_of_links(tenant_a, tenant_b):
    measure_id = uuid.uuid4()
    _link(tenant_a, _resource(tenant_a, "First", visibility=Visibility.PROGRAM), measure_id)
    one, linked = _queries(tenant_a.lead, tenant_a, measure_id, tenant_a.collaborative.pk)
    assert one == 2 and [e.resource.title for e in linked] == ["First"]
    for resource in _every_kind_of_resource(tenant_a, tenant_b):
        _link(tenant_a, resource, measure_id)
    many, linked = _queries(tenant_a.lead, tenant_a, measure_id, tenant_a.collaborative.pk)
    assert many == one
    assert [e.resource.title for e in linked] == [
        "Active collaborative's",
        "First",
        "Program-wide",
        "Public",
    ]
