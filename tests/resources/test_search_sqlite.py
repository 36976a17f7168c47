"""The search fallback on SQLite (`make run` without PostgreSQL), on a real SQLite
database: a file database opened next to the PostgreSQL one as a second connection,
with the library's tables created from the models, and the search functions pointed
at it with `.using()`. They pick their way by the vendor of the connection that will run the
query (core.search.uses_postgres), so this is the very code `make run` runs.

Only the search functions run here: the scoping selectors read the default
connection, whose rules the PostgreSQL tests cover.
"""

import pytest
from django.db import connections
from django.db.utils import load_backend

from accounts.models import Program
from core.search import show_snippet, show_title, text_matches
from resources.models import Resource
from resources.search import search_resources, summary_shown, title_shown

ALIAS = "search_sqlite"


@pytest.fixture
def sqlite(db, tmp_path):
    """The alias of a fresh SQLite database with the library's tables, for one test.

    The connection is registered for this thread only, not in the settings: the test
    case lets such a "dynamically created" connection through, whereas declaring a
    database would make pytest-django build a test copy of it from every migration
    (some data migrations of other apps write through the default connection)."""
    settings = connections.configure_settings(
        {
            "default": dict(connections.settings["default"]),
            ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "s.db")},
        }
    )[ALIAS]
    connection = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, ALIAS)
    connections[ALIAS] = connection
    assert connection.vendor == "sqlite"
    with connection.schema_editor() as editor:
        editor.create_model(Program)
        editor.create_model(Resource)  # with its focus areas' link table
    # The users' and collaboratives' tables are not there: no foreign-key checks.
    connection.disable_constraint_checking()
    yield ALIAS
    connection.close()
    del connections[ALIAS]


@pytest.fixture
def library(sqlite):
    """A way to add to the (empty) library of the SQLite database."""
    program = Program.objects.using(sqlite).create(slug="sqlite", name="SQLite Program")

    def add(title, summary="A resource.", body="", tags=()):
        resource = Resource.objects.using(sqlite).create(
            program=program,
            kind="link",
            title=title,
            summary=summary,
            body=body,
            tags=list(tags),
            url="https://example.org/",
        )
        return resource

    return add


def found(sqlite, query):
    return [r.title for r in search_resources(Resource.objects.using(sqlite), query)]


def test_every_word_must_appear_and_title_hits_come_first(sqlite, library):
    library("Body hit", summary="Nothing.", body="How to apply a SPLINT to a wrist.")
    library("Summary hit", summary="Choosing a splint for a child's wrist.")
    library("Splint the wrist", summary="Nothing.")
    library("Splint the ankle", summary="Nothing.")
    library("Tagged", summary="Nothing.", tags=["splint", "wrist"])
    assert found(sqlite, "splint wrist") == [
        "Splint the wrist",
        "Summary hit",
        "Body hit",
        "Tagged",
    ]


@pytest.mark.parametrize(
    "query", ["&|!():*'", "'; DROP TABLE resources_resource; --", '"', "%", "_", "a" * 5000]
)
def test_operators_and_sql_ish_input_never_error(sqlite, library, query):
    library("Splint sizes")
    found(sqlite, query)
    assert Resource.objects.using(sqlite).filter(title="Splint sizes").exists()


def test_like_wildcards_match_nothing_by_themselves(sqlite, library):
    library("100% weighed in kg")
    library("Weighed in kg")
    assert found(sqlite, "100%") == ["100% weighed in kg"]
    assert found(sqlite, "%") == found(sqlite, "_") == found(sqlite, "%_%") == []


def test_highlights_are_escaped_with_marks_added(sqlite, library):
    library("<script>alert(1)</script> splint", summary="<b>How</b> to Splint.")
    (resource,) = search_resources(Resource.objects.using(sqlite), "splint")
    assert title_shown(resource, "splint") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>splint</mark>"
    )
    assert summary_shown(resource, "splint") == "&lt;b&gt;How&lt;/b&gt; to <mark>Splint</mark>."


def test_the_top_bar_search_helper_falls_back_too(sqlite, library):
    library("Kilogram scales", summary="Lock the scale to <kg>.")
    library("Other", summary="Weigh children in kilograms.")
    rows = list(
        text_matches(
            Resource.objects.using(sqlite),
            "kilogram",
            title="title",
            weighted={"A": ["title"], "B": ["summary"]},
        )
    )
    assert [r.title for r in rows] == ["Kilogram scales", "Other"]
    assert show_title(rows[0], "kilogram") == "<mark>Kilogram</mark> scales"
    assert show_snippet(rows[1], "kilogram") == "Weigh children in <mark>kilogram</mark>s."
    assert show_snippet(rows[0], "kg") == "Lock the scale to &lt;<mark>kg</mark>&gt;."
