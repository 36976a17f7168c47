"""Evaluation questions get a public id for the form editor's URLs (added nullable,
filled row by row, then made unique, so existing questions each get their own)."""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Question = apps.get_model("learning_sessions", "EvaluationQuestion")
    for question in Question.objects.filter(public_id__isnull=True).only("pk"):
        question.public_id = uuid.uuid4()
        question.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("learning_sessions", "0002_attendance_evaluations")]

    operations = [
        migrations.AddField(
            model_name="evaluationquestion",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evaluationquestion",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
