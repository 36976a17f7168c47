"""The engine is one pure package: standard library only, no Django, fast enough."""

import ast
import subprocess
import sys
import time
from pathlib import Path

import pytest

import measures.spc as spc
from measures.spc import analyze

PACKAGE = Path(spc.__file__).parent


def test_only_standard_library_imports():
    allowed = set(sys.stdlib_module_names)
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the package
                    continue
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
                assert not name.startswith("django"), f"{path.name} imports {name}"


def test_importing_the_engine_does_not_import_django():
    code = "import sys, measures.spc; print('django' in sys.modules)"
    root = PACKAGE.parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "False"


def test_public_api():
    for name in ("analyze", "critical_values", "funnel", "funnel_limits"):
        assert callable(getattr(spc, name))
    assert "per_point" in spc.__doc__ and "per_part" in spc.__doc__ and "summary" in spc.__doc__


def test_result_is_json_serialisable():
    import json

    res = analyze([1, 2, None, 4, 5, 3, 2, 6, 7, 8, 9, 4], chart="i", rules="mdc")
    json.dumps(res)
    json.dumps(analyze([1, 2, None, 4, 5], chart="i"))


def test_a_hundred_series_take_well_under_a_second():
    # the full benchmark (1,000 series per chart type) lives in benchmarks/spc_benchmark.py
    series = [[(k * 7 + i * 13) % 17 + (i > 20) * 5 for i in range(36)] for k in range(100)]
    start = time.perf_counter()
    for values in series:
        analyze(values, chart="i")
    assert time.perf_counter() - start < 0.5


def _inputs(chart):
    values = [3, 5, None, 4, 6, 2, 8, 5, 4, 7, 3, 6, 5, 9, 4, 5]
    if chart in ("xbar", "s"):
        return (None,), {"subgroups": [[v, v + 1, v + 3] if v else [] for v in values]}
    if chart in ("p", "pp", "u", "up"):
        return (values, [10 + k for k in range(16)]), {}
    if chart == "t":
        return ([v + 1 if v else None for v in values],), {}
    return (values,), {}


CHARTS = ["run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g"]
# every valid combination; WE on run/mr and IHI on mr are refused (test_spc_bad_input.py)
COMBINATIONS = [
    (chart, rules)
    for rules in ("anhoej", "western_electric", "ihi")
    for chart in CHARTS
    if not (rules == "western_electric" and chart in ("run", "mr"))
    and not (rules == "ihi" and chart == "mr")
]


@pytest.mark.parametrize(("chart", "rules"), COMBINATIONS)
def test_every_chart_and_rule_set_returns_aligned_lists(chart, rules):
    args, kw = _inputs(chart)
    res = analyze(*args, chart=chart, rules=rules, parts=[8], exclude=[3], multiply=10, **kw)
    for key, column in res["per_point"].items():
        assert len(column) == 16, key
    assert [p["part"] for p in res["per_part"]] == [1, 2]
    assert all(isinstance(s["text"], str) and s["text"] for s in res["summary"]["signals"])
