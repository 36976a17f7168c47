"""Series from a pattern: the dates rrule gives, daylight saving, the cap, the
collaborative's dates, the staff pages (preview, then create) and who may use them."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from learning_sessions import services
from learning_sessions.models import Event, EventSeries, SeriesFrequency
from learning_sessions.recurrence import Pattern, occurrences
from learning_sessions.series_services import series_create

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def pattern(**changes) -> Pattern:
    fields = {
        "frequency": SeriesFrequency.MONTHLY,
        "interval": 1,
        "weekday": 1,  # Tuesday
        "week_of_month": 3,
        "first_date": date(2026, 12, 1),
        "start_time": time(13, 0),
        "duration_minutes": 90,
        "count": 9,
        "timezone": "America/New_York",
    }
    fields.update(changes)
    return Pattern(**fields)


def test_third_tuesday_monthly_nine_times_keeps_the_wall_clock_across_dst():
    found = occurrences(pattern())
    assert [o.starts_at.date() for o in found] == [
        date(2026, 12, 15),
        date(2027, 1, 19),
        date(2027, 2, 16),
        date(2027, 3, 16),
        date(2027, 4, 20),
        date(2027, 5, 18),
        date(2027, 6, 15),
        date(2027, 7, 20),
        date(2027, 8, 17),
    ]
    assert {o.starts_at.astimezone(NEW_YORK).time() for o in found} == {time(13, 0)}
    # 13:00 EST is 18:00 UTC; after the clocks go forward, 13:00 EDT is 17:00 UTC
    assert found[2].starts_at.astimezone(UTC).hour == 18
    assert found[3].starts_at.astimezone(UTC).hour == 17
    assert all((o.ends_at - o.starts_at).total_seconds() == 90 * 60 for o in found)
    assert not any(o.problem for o in found)


def test_last_weekday_of_the_month_and_every_other_week():
    last_fridays = occurrences(pattern(weekday=4, week_of_month=-1, count=3))
    assert [o.starts_at.date() for o in last_fridays] == [
        date(2026, 12, 25),
        date(2027, 1, 29),
        date(2027, 2, 26),
    ]
    fortnightly = occurrences(
        pattern(frequency=SeriesFrequency.WEEKLY, week_of_month=None, interval=2, count=3)
    )
    assert [o.starts_at.date() for o in fortnightly] == [
        date(2026, 12, 1),
        date(2026, 12, 15),
        date(2026, 12, 29),
    ]


def test_a_time_skipped_by_the_clock_change_is_reported():
    found = occurrences(
        pattern(
            frequency=SeriesFrequency.WEEKLY,
            week_of_month=None,
            weekday=6,
            first_date=date(2027, 3, 7),
            start_time=time(2, 30),
            count=2,
        )
    )
    assert found[0].problem == ""
    assert "does not exist on 14 March 2027" in found[1].problem


def test_dates_outside_the_collaborative_are_flagged_and_refuse_the_series(tenant_a):
    collaborative = tenant_a.collaborative
    collaborative.start_date, collaborative.end_date = date(2026, 12, 1), date(2027, 3, 31)
    collaborative.save()
    found = occurrences(
        pattern(), window_start=collaborative.start_date, window_end=collaborative.end_date
    )
    assert [bool(o.problem) for o in found] == [False] * 4 + [True] * 5
    assert "After the collaborative ends (31 March 2027)" in found[4].problem
    with pytest.raises(ValidationError) as error:
        series_create(
            collaborative=collaborative, actor=tenant_a.staff, pattern=pattern(), title="X"
        )
    assert "20 April 2027: After the collaborative ends" in str(error.value)
    assert not EventSeries.objects.filter(title="X").exists()
    assert not Event.objects.filter(collaborative=collaborative, title="X").exists()


def _wide_dates(collaborative):
    collaborative.start_date, collaborative.end_date = date(2026, 1, 1), date(2028, 12, 31)
    collaborative.save()


def test_series_create_makes_linked_events_and_is_audited(tenant_a):
    _wide_dates(tenant_a.collaborative)
    series = series_create(
        collaborative=tenant_a.collaborative,
        actor=tenant_a.staff,
        pattern=pattern(),
        kind="learning_session",
        title="Monthly learning session",
        capacity=30,
        join_url="https://meet.example/room",
    )
    events = list(series.occurrences.order_by("starts_at"))
    assert len(events) == 9
    assert {e.title for e in events} == {"Monthly learning session"}
    assert {e.capacity for e in events} == {30}
    assert events[0].starts_at == datetime(2026, 12, 15, 18, 0, tzinfo=UTC)
    audit = AuditEvent.objects.get(verb="event_series.created")
    assert audit.program == tenant_a.program and audit.data["occurrences"] == 9
    assert series.pattern_label.startswith("Third Tuesday of every month, 13:00")

    # editing one occurrence leaves the others alone
    first, second = events[0], events[1]
    services.event_update(
        event=first,
        actor=tenant_a.staff,
        **{**{n: getattr(first, n) for n in services.EVENT_FIELDS}, "title": "Special edition"},
    )
    second.refresh_from_db()
    assert second.title == "Monthly learning session"
    assert Event.objects.get(pk=first.pk).series_id == series.pk


def test_the_count_is_capped(tenant_a):
    _wide_dates(tenant_a.collaborative)
    with pytest.raises(ValidationError) as error:
        series_create(
            collaborative=tenant_a.collaborative,
            actor=tenant_a.staff,
            pattern=pattern(count=61),
            title="Too many",
        )
    assert "between 1 and 60" in str(error.value)
    assert not EventSeries.objects.filter(title="Too many").exists()


# --- the staff pages -----------------------------------------------------------------


def form_data(**changes) -> dict:
    data = {
        "kind": "learning_session",
        "title": "Monthly learning session",
        "frequency": "monthly",
        "week_of_month": "3",
        "weekday": "1",
        "interval": "1",
        "first_date": "2026-12-01",
        "start_time": "13:00",
        "duration_minutes": "90",
        "count": "9",
        "capacity": "",
        "join_url": "",
    }
    data.update(changes)
    return data


def create_url(collaborative) -> str:
    return reverse(
        "learning_sessions:series_create", kwargs={"collaborative_id": collaborative.public_id}
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_preview_then_create(tenant_a):
    _wide_dates(tenant_a.collaborative)
    client = signed_in(tenant_a.staff)
    url = create_url(tenant_a.collaborative)
    assert client.get(url).status_code == 200
    preview = client.post(url, form_data(action="preview"))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Tuesday 15 December 2026, 13:00" in page and "Tuesday 17 August 2027" in page
    assert "Create 9 events" in page
    mine = EventSeries.objects.filter(title="Monthly learning session")
    assert not mine.exists()  # a preview writes nothing

    response = client.post(url, form_data(action="create"))
    series = mine.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "learning_sessions:series_detail", kwargs={"series_id": series.public_id}
    )
    detail = client.get(response["Location"]).content.decode()
    assert detail.count("Monthly learning session") >= 9
    event = series.occurrences.first()
    event_page = client.get(
        reverse("learning_sessions:event_detail", kwargs={"event_id": event.public_id})
    ).content.decode()
    assert "Part of the series" in event_page


def test_bad_input_gets_a_message_and_creates_nothing(tenant_a):
    _wide_dates(tenant_a.collaborative)
    client = signed_in(tenant_a.staff)
    url = create_url(tenant_a.collaborative)
    cases = [
        (form_data(week_of_month="", action="create"), "Choose which week of the month"),
        (form_data(count="500", action="create"), "less than or equal to 60"),
        (form_data(join_url="javascript:alert(1)", action="create"), "https://"),
        (form_data(first_date="0001-01-01", action="create"), "between 2000 and 2200"),
        (form_data(start_time="25:99", action="create"), "Enter a valid time"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    tenant_a.collaborative.end_date = date(2027, 3, 31)
    tenant_a.collaborative.save()
    response = client.post(url, form_data(action="create"))
    assert "cannot be created" in response.content.decode()
    assert not EventSeries.objects.filter(title="Monthly learning session").exists()


def test_members_may_not_create_and_other_programs_get_404(tenant_a, tenant_b):
    url = create_url(tenant_a.collaborative)
    assert signed_in(tenant_a.member).get(url).status_code == 403
    assert signed_in(tenant_a.member).post(url, form_data(action="create")).status_code == 403
    assert signed_in(tenant_b.staff).post(url, form_data(action="create")).status_code == 404
    series_id = tenant_a.extras["series_id"]
    detail = reverse("learning_sessions:series_detail", kwargs={"series_id": series_id})
    assert signed_in(tenant_a.member).get(detail).status_code == 200
    assert signed_in(tenant_b.staff).get(detail).status_code == 404
    assert signed_in(tenant_b.member).get(detail).status_code == 404
    assert EventSeries.objects.filter(collaborative=tenant_a.collaborative).count() == 1
