"""The routes benchmark's load pages name routes that exist: a renamed page stops the
run instead of dropping out of the load table (the coach home once did)."""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.urls import get_resolver

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def routes_benchmark():
    saved = list(sys.path)  # the module puts benchmarks/ first: undone after
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(
            "routes_benchmark", BENCHMARKS / "routes_benchmark.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path[:] = saved


def _names(module) -> set[str]:
    return {
        f"{ns}:{name}" if ns else name for ns, name, _, _ in module._walk(get_resolver(), "", "")
    }


def test_every_load_page_names_a_route(routes_benchmark):
    names = _names(routes_benchmark)
    routes_benchmark.check_load_pages(names)  # no SystemExit
    wanted = {url_name for _, url_name in routes_benchmark.LOAD_PAGES}
    assert {"dashboards:coach", "api:dashboards-coach"} <= wanted


def test_a_load_page_without_a_route_stops_the_run(routes_benchmark):
    names = _names(routes_benchmark) - {"dashboards:coach"}
    with pytest.raises(SystemExit, match=r"coach home \(dashboards:coach\)"):
        routes_benchmark.check_load_pages(names)
