#!/usr/bin/env python3
"""Run the whole test suite against the best services this machine has (`make test`).

PostgreSQL at 127.0.0.1:5432 (or TEST_DATABASE_URL) when it answers, else SQLite
with the PostgreSQL-only tests skipped; Redis for the real-worker test; Debian's
Chromium for the browser journeys. With REQUIRE_SERVICES=1 (CI) a missing
service is an error instead of a skip. Extra arguments go to pytest.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import TEST_REDIS_URL, chromium_path, postgres_url, redis_answers  # noqa: E402


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    os.chdir(root)
    env = os.environ.copy()
    required = env.get("REQUIRE_SERVICES") == "1"
    missing = []

    database = postgres_url()
    if database:
        env["DATABASE_URL"] = database
        print(f"Tests run on PostgreSQL ({database.rsplit('@', 1)[-1]}).")
    else:
        env["DATABASE_URL"] = "sqlite:///" + str(root / "run" / "test.sqlite3")
        missing.append("PostgreSQL")
        print(
            "NOTICE: PostgreSQL is not reachable: tests run on SQLite and the "
            "PostgreSQL-only tests are skipped."
        )

    redis_url = env.get("TEST_REDIS_URL", TEST_REDIS_URL)
    if redis_answers(redis_url):
        env["TEST_REDIS_URL"] = redis_url
    else:
        env.pop("TEST_REDIS_URL", None)
        missing.append("Redis")
        print("NOTICE: Redis is not reachable: the real Celery worker test is skipped.")

    chromium = chromium_path()
    if chromium:
        env["CHROMIUM_PATH"] = chromium
    else:
        missing.append("Chromium")
        print(
            "NOTICE: Chromium is not installed (apt-get install chromium): "
            "browser journeys are skipped."
        )

    if required and missing:
        print(f"ERROR: REQUIRE_SERVICES=1 but missing: {', '.join(missing)}", file=sys.stderr)
        return 2

    (root / "run").mkdir(exist_ok=True)
    args = sys.argv[1:]
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and not any(a == "-n" or a.startswith("-n") for a in args):
        # pytest-xdist: one test database per worker, the suite shared between them.
        args = ["-n", str(workers), *args]
    python = sys.executable
    os.execve(python, [python, "-m", "pytest", *args], env)


if __name__ == "__main__":
    sys.exit(main())
