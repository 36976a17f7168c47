"""The GIN index behind the library's full-text search, on PostgreSQL only.

SQLite (`make run` without DATABASE_URL) has no GIN index or tsvector; there the
library searches with a plain fallback and the column stays empty.
"""

from django.db import migrations

INDEX = "resources_search_gin_idx"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON resources_resource USING gin (search_vector)"
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_library")]

    operations = [migrations.RunPython(create_index, drop_index)]
