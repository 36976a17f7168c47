"""Event details: focus-area tracks, materials, and CE credit per credit type.

The single `ce_hours_offered` column becomes one EventCredit row. It never said which
credit it was, and only an accredited provider designates AMA PRA, nursing or CAPCE
credit, so an existing value becomes hours on a certificate of participation (the one
type that claims no accreditation); staff re-file it under the right type. Empty or
non-positive values offered nothing and make no row. Reversing puts the participation
hours back in the column.
"""

import uuid
from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import learning_sessions.models.details


def credits_forward(apps, schema_editor):
    Event = apps.get_model("learning_sessions", "Event")
    EventCredit = apps.get_model("learning_sessions", "EventCredit")
    rows = [
        EventCredit(
            program_id=event.program_id,
            event_id=event.pk,
            credit_type="participation",
            amount=event.ce_hours_offered,
        )
        for event in Event.objects.filter(ce_hours_offered__gt=0).only(
            "pk", "program_id", "ce_hours_offered"
        )
    ]
    EventCredit.objects.bulk_create(rows, batch_size=500)


def credits_backward(apps, schema_editor):
    Event = apps.get_model("learning_sessions", "Event")
    EventCredit = apps.get_model("learning_sessions", "EventCredit")
    for credit in EventCredit.objects.filter(credit_type="participation"):
        Event.objects.filter(pk=credit.event_id).update(
            ce_hours_offered=min(credit.amount, Decimal("999.99"))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_time_zone"),
        ("collaboratives", "0002_collaborative_pooled_min_share"),
        ("learning_sessions", "0006_calendar_series_feeds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="tracks",
            field=models.ManyToManyField(
                blank=True, related_name="learning_events", to="collaboratives.focusarea"
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="recording_url",
            field=models.URLField(
                blank=True, help_text="Shown once the event has started.", max_length=500
            ),
        ),
        migrations.CreateModel(
            name="EventCredit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "credit_type",
                    models.CharField(
                        choices=[
                            ("ama_pra_1", "AMA PRA Category 1 Credit(s)™ (physician CME)"),
                            ("nursing", "Nursing contact hours (ANCC NCPD)"),
                            ("ems", "EMS CE hours (CAPCE)"),
                            ("moc_part4", "ABP MOC Part 4 points"),
                            ("participation", "Certificate of participation (hours)"),
                        ],
                        max_length=16,
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=6)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="credits",
                        to="learning_sessions.event",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.program",
                    ),
                ),
            ],
            options={
                "ordering": ["event", "credit_type"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "credit_type"), name="learning_credit_once_per_type"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0), ("amount__lte", Decimal("1000"))),
                        name="learning_credit_amount_bounded",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="EventMaterial",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(choices=[("file", "File"), ("link", "Link")], max_length=8),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=300,
                        upload_to=learning_sessions.models.details.material_path,
                    ),
                ),
                ("original_name", models.CharField(blank=True, max_length=200)),
                ("content_type", models.CharField(blank=True, max_length=100)),
                ("size", models.PositiveIntegerField(blank=True, null=True)),
                ("url", models.URLField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "added_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="materials",
                        to="learning_sessions.event",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.program",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
                "indexes": [
                    models.Index(fields=["program", "event"], name="learning_se_program_c86458_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("kind", "file"), models.Q(("file", ""), _negated=True), ("url", "")
                            ),
                            models.Q(
                                ("kind", "link"), ("file", ""), models.Q(("url", ""), _negated=True)
                            ),
                            _connector="OR",
                        ),
                        name="learning_material_file_or_link",
                    )
                ],
            },
        ),
        migrations.RunPython(credits_forward, credits_backward),
        migrations.RemoveField(
            model_name="event",
            name="ce_hours_offered",
        ),
    ]
