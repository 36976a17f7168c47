"""The library's full-text search on PostgreSQL (resources.search): ranking by weight,
stemming, operators and hostile input, escaped highlights, and the GIN index."""

import pytest
from django.db import connection

from resources.models import Resource
from resources.search import index_resources, search_resources, summary_shown, title_shown

from .search_helpers import make_resource

pytestmark = pytest.mark.django_db


def found(query, queryset=None):
    return [r.title for r in search_resources(queryset or Resource.objects.all(), query)]


def test_a_title_hit_outranks_a_summary_hit_outranks_a_body_hit(tenant_a):
    make_resource(tenant_a, "Body hit", summary="Nothing here.", body="How to apply a splint.")
    make_resource(tenant_a, "Summary hit", summary="Choosing a splint for a child.")
    make_resource(tenant_a, "Splint sizes", summary="Nothing here.")
    make_resource(tenant_a, "Unrelated", summary="Weighing in kilograms.")
    assert found("splint") == ["Splint sizes", "Summary hit", "Body hit"]


def test_tags_are_searched_like_the_body(tenant_a):
    make_resource(tenant_a, "Triage poster", tags=["sepsis", "triage"])
    assert found("sepsis") == ["Triage poster"]


def test_stemming_finds_other_forms_of_a_word(tenant_a):
    make_resource(tenant_a, "Splinting a forearm")
    make_resource(tenant_a, "Bandaged wounds", summary="Bandaging every wound.")
    assert found("splints") == ["Splinting a forearm"]
    assert found("bandage") == ["Bandaged wounds"]


def test_quotes_or_and_minus_work(tenant_a):
    make_resource(tenant_a, "Pediatric readiness toolkit", summary="Readiness for children.")
    make_resource(tenant_a, "Readiness of pediatric equipment", summary="Equipment list.")
    make_resource(tenant_a, "Sepsis pathway", summary="Recognising sepsis early.")
    assert found('"pediatric readiness"') == ["Pediatric readiness toolkit"]
    assert set(found("sepsis or equipment")) == {
        "Sepsis pathway",
        "Readiness of pediatric equipment",
    }
    assert found("readiness -equipment") == ["Pediatric readiness toolkit"]


@pytest.mark.parametrize(
    "query",
    [
        "&|!():*'",
        "splint & | !",
        "splint:*",
        "'; DROP TABLE resources_resource; --",
        '" unbalanced',
        "(((",
        "<->",
        "splint\x00\x02",
        "a" * 5000,
        "-",
        "or or or",
        "\\",
    ],
)
def test_operators_and_sql_ish_input_never_error(tenant_a, query):
    make_resource(tenant_a, "Splint sizes")
    list(search_resources(Resource.objects.all(), query))  # no DatabaseError
    assert Resource.objects.filter(title="Splint sizes").exists()


def test_an_empty_query_returns_the_queryset_unchanged(tenant_a):
    make_resource(tenant_a, "Splint sizes")
    queryset = Resource.objects.all()
    assert search_resources(queryset, "   ") is queryset


def test_highlights_escape_the_text_and_add_only_marks(tenant_a):
    make_resource(
        tenant_a,
        "<script>alert(1)</script> splint guide",
        summary='<img src=x onerror="alert(2)"> how to splint \x02 a wrist',
    )
    (resource,) = search_resources(Resource.objects.all(), "splint")
    title = title_shown(resource, "splint")
    summary = summary_shown(resource, "splint")
    assert "<script>" not in title and "&lt;script&gt;" in title
    assert "<mark>splint</mark>" in title
    # (a fragment's headline drops markup-like tokens; what is left is escaped)
    assert "<img" not in summary
    assert "<mark>splint</mark>" in summary
    # a control character in the resource's own text opens no mark of its own
    assert summary.count("<mark>") == summary.count("</mark>") == 1
    without_marks = title.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks.replace("&lt;", "")


def test_the_gin_index_exists(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'resources_search_gin_idx'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


def test_a_search_of_a_large_library_uses_the_gin_index(tenant_a):
    """With a realistic number of rows (and fresh statistics), the planner answers a
    search from the GIN index, not by reading every row."""
    rows = [
        Resource(
            program=tenant_a.program,
            kind="link",
            title=f"Resource number {i} about weighing",
            summary="Kilograms and scales.",
            url="https://example.org/",
        )
        for i in range(3000)
    ]
    Resource.objects.bulk_create(rows)
    make_resource(tenant_a, "Intraosseous access", summary="A rare topic.")
    index_resources(Resource.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        # What autovacuum does in production: move the fresh entries from the index's
        # pending list into the index proper, and refresh the statistics.
        cursor.execute("SELECT gin_clean_pending_list('resources_search_gin_idx'::regclass)")
        cursor.execute("ANALYZE resources_resource")
    plan = search_resources(Resource.objects.all(), "intraosseous").explain()
    assert "resources_search_gin_idx" in plan, plan
