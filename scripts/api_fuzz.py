#!/usr/bin/env python3
"""The long API fuzz run (`make fuzz`): the CI test with many more examples.

Runs tests/api/test_schema_fuzz.py (schemathesis over /api/schema/ as tenant A's lead,
member, coach and staff, tenant B's staff and anonymous) with `--examples` cases per
operation and persona instead of the CI's handful, on the same services as
`make test` (scripts/run_tests.py), in one process so that the report is printed:
per persona the requests made, the failures by check, the status codes and the time.

    .venv/bin/python scripts/api_fuzz.py --examples 100
    make fuzz EXAMPLES=100
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples",
        type=int,
        default=int(os.environ.get("QI_FUZZ_EXAMPLES", 100)),
        help="generated cases per operation and persona (default 100; CI runs 5)",
    )
    options, pytest_args = parser.parse_known_args()
    if options.examples < 1:
        parser.error("--examples must be at least 1")
    os.environ["QI_FUZZ_EXAMPLES"] = str(options.examples)
    runner = str(ROOT / "scripts" / "run_tests.py")
    # -n 0: one process, so the per-persona report reaches the terminal.
    args = ["-n", "0", "-q", "--show-capture=no", "tests/api/test_schema_fuzz.py", *pytest_args]
    os.execv(sys.executable, [sys.executable, runner, *args])
    return 0  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main())
