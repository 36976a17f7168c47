"""Time the SPC engine: 1,000 series of 36 points for every chart type (and rule set).

Run from the repository root:  python benchmarks/spc_benchmark.py [--series N] [--points K]

Each line prints the wall-clock and CPU time of analysing all series with one chart type, the
best of --repeat runs (as timeit does: the minimum is the least disturbed by other processes;
CPU time leaves out the waits of a busy machine). The
target set by issue 6 is "well under a second" per chart type on 1,000 series of 36 points.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measures.spc import analyze, funnel  # noqa: E402


def make_series(chart: str, rng: random.Random, points: int) -> tuple[tuple, dict]:
    """Realistic-looking data for one chart type, with a shift half way in some series."""
    shift = rng.random() < 0.3
    if chart in ("xbar", "s"):
        groups = [
            [rng.gauss(10 + (2 if shift and i > points // 2 else 0), 2) for _ in range(5)]
            for i in range(points)
        ]
        return (None,), {"subgroups": groups}
    if chart in ("p", "pp"):
        den = [rng.randint(20, 120) for _ in range(points)]
        num = [sum(rng.random() < 0.3 for _ in range(d)) for d in den]
        return (num, den), {}
    if chart in ("u", "up"):
        den = [rng.randint(500, 3000) for _ in range(points)]
        num = [int(rng.expovariate(1) * d / 200) for d in den]
        return (num, den), {}
    if chart == "t":
        return ([rng.expovariate(1 / 30) + 0.5 for _ in range(points)],), {}
    if chart in ("c", "g"):
        return ([rng.randint(0, 25) for _ in range(points)],), {}
    values = [
        round(rng.gauss(50 + (8 if shift and i > points // 2 else 0), 6), 1) for i in range(points)
    ]
    values[rng.randrange(points)] = None
    return (values,), {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--points", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(2026)
    runs = [
        (chart, "anhoej")
        for chart in ("run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g")
    ]
    runs += [("i", "mdc"), ("i", "western_electric"), ("i", "ihi"), ("run", "ihi")]
    print(
        f"{args.series} series x {args.points} points, best of {args.repeat}, "
        f"Python {sys.version.split()[0]}"
    )
    worst = 0.0
    for chart, rules in runs:
        data = [make_series(chart, rng, args.points) for _ in range(args.series)]
        elapsed = cpu = float("inf")
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            for positional, kw in data:
                analyze(*positional, chart=chart, rules=rules, **kw)
            elapsed = min(elapsed, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        worst = max(worst, elapsed)
        name = f"{chart} ({rules})"
        print(
            f"  {name:<24} {elapsed * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms CPU"
            f"  ({elapsed / args.series * 1e6:5.0f} us/series)"
        )
    teams = [(rng.randint(0, 40), rng.randint(40, 200)) for _ in range(50)]
    start = time.perf_counter()
    for _ in range(args.series // 10):
        funnel([t[0] for t in teams], [t[1] for t in teams], method="exact")
    elapsed = time.perf_counter() - start
    label = "funnel (exact, 50 units)"
    print(f"  {label:<24} {elapsed * 1000:8.1f} ms  for {args.series // 10} plots")
    print(f"slowest chart type: {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
