"""The data migration of 0007: the single ce_hours_offered becomes a credit row."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("learning_sessions", "0006_calendar_series_feeds")]
AFTER = [("learning_sessions", "0007_event_details")]


@pytest.mark.django_db(transaction=True)
def test_existing_ce_hours_become_participation_hours(tenant_a):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Event = old.get_model("learning_sessions", "Event")
    starts = timezone.now() + timedelta(days=3)
    common = {
        "program_id": tenant_a.program.pk,
        "collaborative_id": tenant_a.collaborative.pk,
        "kind": "webinar",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
    }
    with_hours = Event.objects.create(title="With hours", ce_hours_offered=Decimal("1.5"), **common)
    Event.objects.create(title="Without", ce_hours_offered=None, **common)
    Event.objects.create(title="Zero", ce_hours_offered=Decimal("0"), **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    EventCredit = new.get_model("learning_sessions", "EventCredit")
    rows = list(EventCredit.objects.values_list("event_id", "credit_type", "amount"))
    assert rows == [(with_hours.pk, "participation", Decimal("1.5"))]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    Event = executor.loader.project_state(BEFORE).apps.get_model("learning_sessions", "Event")
    assert Event.objects.get(pk=with_hours.pk).ce_hours_offered == Decimal("1.5")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
