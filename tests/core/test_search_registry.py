"""The search registry (core.search): providers, groups, "more", and safe highlights."""

import pytest

from core import search
from core.search import (
    MAX_QUERY_LENGTH,
    SearchHit,
    clean_query,
    highlighted,
    marked_terms,
    register_search_provider,
    search_everything,
    search_providers,
)


@pytest.fixture
def providers(monkeypatch):
    """An empty registry for the test; the project's providers come back afterwards."""
    monkeypatch.setattr(search, "_PROVIDERS", {})
    calls = []

    def numbers(user, query, limit):
        calls.append((user, query, limit))
        return [SearchHit(f"{query} {i}", f"/n/{i}/", "", "Number") for i in range(7)][:limit]

    def nothing(user, query, limit):
        return []

    def one(user, query, limit):
        return [SearchHit("only one", "/one/", "", "One")]

    register_search_provider("numbers", "Numbers", numbers, order=30)
    register_search_provider("nothing", "Nothing", nothing, order=10)
    register_search_provider("one", "One", one, order=20)
    return calls


def test_groups_come_in_order_without_empty_ones(providers):
    groups = search_everything(user="someone", query="  find   this ", limit=5)
    assert [g.name for g in groups] == ["one", "numbers"]
    # providers get the cleaned words and are asked for one more than shown
    assert providers == [("someone", "find this", 6)]


def test_a_group_with_more_hits_than_shown_says_so(providers):
    one, numbers = search_everything(user=None, query="x", limit=5)
    assert (len(one.hits), one.has_more) == (1, False)
    assert (len(numbers.hits), numbers.has_more) == (5, True)
    assert numbers.label == "Numbers"


def test_one_group_only(providers):
    groups = search_everything(user=None, query="x", limit=50, only="numbers")
    assert [(g.name, len(g.hits), g.has_more) for g in groups] == [("numbers", 7, False)]


def test_an_empty_query_asks_no_provider(providers):
    assert search_everything(user=None, query=" \x00\t ", limit=5) == []
    assert providers == []


def test_registering_again_replaces(providers):
    register_search_provider("one", "One again", lambda u, q, n: [], order=1)
    assert [p.label for p in search_providers()] == ["One again", "Nothing", "Numbers"]


def test_the_project_registers_every_group():
    names = [p.name for p in search_providers()]
    assert names == ["resources", "change_ideas", "pdsa_cycles", "measures", "events"]


def test_clean_query_removes_control_characters_and_cuts_long_input():
    assert clean_query("a\x00b\x02c\x03  d\n") == "a b c d"
    assert len(clean_query("word " * 100)) == MAX_QUERY_LENGTH
    assert clean_query(None) == ""


def test_database_highlights_are_escaped_before_marks_are_added():
    out = highlighted('<script>alert("x")</script> \x02splint\x03 & co')
    assert out == ("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>splint</mark> &amp; co")


def test_marked_terms_escapes_text_and_marks_every_match_in_any_case():
    out = marked_terms("<b>Splint</b> the SPLINT, splinting", ["splint"])
    assert out == (
        "&lt;b&gt;<mark>Splint</mark>&lt;/b&gt; the <mark>SPLINT</mark>, <mark>splint</mark>ing"
    )


def test_marked_terms_never_marks_inside_an_escaped_entity():
    # "amp" and "lt" are words a person may type; they must not break the escaping.
    assert marked_terms("a & b < c", ["amp", "lt"]) == "a &amp; b &lt; c"


def test_marked_terms_keeps_the_words_around_the_first_match():
    text = "x" * 300 + " the weight in kilograms " + "y" * 300
    out = marked_terms(text, ["kilograms"], around=20)
    assert out.startswith("… ") and out.endswith(" …")
    assert "<mark>kilograms</mark>" in out
    assert len(out) < 80
