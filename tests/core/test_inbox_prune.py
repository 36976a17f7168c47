"""Old notices are deleted by a daily beat task: read ones after 90 days, unread ones
after a year; newer ones, and other people's, stay; the bell's count follows."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings

from core import clock
from core.inbox import notice_create, notifications_prune, unread_count
from core.models import Notification
from core.tasks import prune_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notice(user, *, days_old: int, read: bool, title: str) -> Notification:
    notice = notice_create(recipient=user, kind="nudge", title=title, url="/coach/")
    made = clock.now() - timedelta(days=days_old)
    Notification.objects.filter(pk=notice.pk).update(
        created_at=made, read_at=made + timedelta(hours=1) if read else None
    )
    return notice


def test_read_after_90_days_and_unread_after_a_year_are_deleted():
    person, other = UserFactory(), UserFactory()
    _notice(person, days_old=91, read=True, title="old read")
    _notice(person, days_old=89, read=True, title="recent read")
    _notice(person, days_old=200, read=False, title="old but unread")
    _notice(person, days_old=366, read=False, title="unread for a year")
    _notice(other, days_old=400, read=True, title="other's old read")
    _notice(other, days_old=10, read=False, title="other's new")
    assert unread_count(user=person) == 2

    assert notifications_prune() == 3
    left = set(Notification.objects.values_list("title", flat=True))
    assert left == {"recent read", "old but unread", "other's new"}
    assert unread_count(user=person) == 1  # the cached count was dropped
    assert notifications_prune() == 0  # running it again deletes nothing more


@override_settings(NOTICES_KEEP_READ_DAYS=7)
def test_the_limits_are_settings_and_the_task_deletes_in_batches(monkeypatch):
    monkeypatch.setattr("core.inbox.PRUNE_BATCH", 2)
    person = UserFactory()
    for n in range(5):
        _notice(person, days_old=8, read=True, title=f"week old {n}")
    _notice(person, days_old=6, read=True, title="six days")
    assert prune_notifications() == 5
    assert list(Notification.objects.values_list("title", flat=True)) == ["six days"]


def test_the_task_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["prune-notifications"]
    assert entry["task"] == "core.tasks.prune_notifications"
    assert (settings.NOTICES_KEEP_READ_DAYS, settings.NOTICES_KEEP_UNREAD_DAYS) == (90, 365)
