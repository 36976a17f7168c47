"""The month grid: the viewer's zone, cancelled events, today, navigation, access."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from learning_sessions.month import parse_month

from .conftest import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]


def month_url(collaborative, month: str | None = None) -> str:
    url = reverse(
        "learning_sessions:event_month", kwargs={"collaborative_id": collaborative.public_id}
    )
    return f"{url}?month={month}" if month else url


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_events_sit_on_the_viewers_day_and_time(tenant_a):
    # 02:30 UTC on 1 December is the evening of 30 November in New York and Chicago
    make_event(
        tenant_a,
        title="Late-night huddle",
        starts_at=datetime(2026, 12, 1, 2, 30, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 3, 30, tzinfo=UTC),
    )
    tenant_a.member.time_zone = "Europe/Paris"
    tenant_a.member.save()
    paris = signed_in(tenant_a.member).get(month_url(tenant_a.collaborative, "2026-12"))
    assert paris.status_code == 200
    page = paris.content.decode()
    assert "03:30 <a" in page and "Late-night huddle" in page  # 1 December, Paris time
    november = signed_in(tenant_a.member).get(month_url(tenant_a.collaborative, "2026-11"))
    assert "Late-night huddle" not in november.content.decode().split("All events in")[1]
    # the staff member has no zone of their own: the collaborative's (New York)
    staff_page = signed_in(tenant_a.staff).get(month_url(tenant_a.collaborative, "2026-11"))
    listed = staff_page.content.decode().split("All events in")[1]
    assert "Late-night huddle" in listed and "21:30 EST" in listed


def test_cancelled_struck_through_today_marked_and_links(tenant_a):
    make_event(
        tenant_a,
        title="Called off",
        starts_at=datetime(2026, 11, 24, 18, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 24, 19, 0, tzinfo=UTC),
        is_cancelled=True,
    )
    response = signed_in(tenant_a.member).get(month_url(tenant_a.collaborative))
    page = response.content.decode()
    assert '<h1 class="margin-top-1">Events in November 2026</h1>' in page
    assert '<del><span class="usa-sr-only">Cancelled: </span>13:00' in page
    assert 'aria-current="date"' in page and "Friday 20 November" in page
    assert "?month=2026-10" in page and "?month=2026-12" in page
    list_url = reverse(
        "learning_sessions:event_list",
        kwargs={"collaborative_id": tenant_a.collaborative.public_id},
    )
    assert list_url in page
    # weeks start on Monday: the grid opens with Monday 26 October
    assert page.index("Monday 26 October") < page.index("Sunday 1 November")
    # and the list view links back to the month
    listing = signed_in(tenant_a.member).get(
        reverse(
            "learning_sessions:event_list",
            kwargs={"collaborative_id": tenant_a.collaborative.public_id},
        )
    )
    assert month_url(tenant_a.collaborative) in listing.content.decode()


def test_a_bad_month_gets_a_message_not_a_500(tenant_a):
    for value in ["2026-13", "abc", "0001-01", "2026-1-1", "99999-01"]:
        response = signed_in(tenant_a.member).get(month_url(tenant_a.collaborative, value))
        assert response.status_code == 400, value
        assert "could not be read" in response.content.decode()
    assert parse_month("2027-01").isoformat() == "2027-01-01"


def test_other_programs_get_404(tenant_a, tenant_b, plain_user):
    for user in (tenant_b.staff, tenant_b.member, plain_user):
        assert signed_in(user).get(month_url(tenant_a.collaborative)).status_code == 404
    assert Client().get(month_url(tenant_a.collaborative)).status_code == 302
