"""Without Redis (make run, the benchmarks) the in-process cache must hold a 300-team
collaborative's per-team entries: Django's default of 300 entries made locmem drop a
third of everything, the pages' own caches included, on every request (the progress
page took 940 ms instead of 30 ms at 300 teams)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import django
django.setup()
from django.core.cache import cache
cache.set("page", "kept")
for i in range(3000):
    cache.set(f"team:{i}", i)
print(cache.get("page"))
"""


def test_the_in_process_cache_keeps_a_large_collaboratives_entries(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "kept"
