#!/usr/bin/env python3
"""Start the whole system with demo data (`make run`).

Migrates, seeds the demo, then runs the web server; when Redis answers (at
REDIS_URL, or 127.0.0.1:6379) it also starts a Celery worker and beat, otherwise
tasks run in-process. Uses SQLite unless DATABASE_URL is set. Ctrl-C stops all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import DEFAULT_REDIS_URL, redis_answers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    os.chdir(ROOT)
    env = os.environ.copy()
    env.setdefault("DEBUG", "true")
    host = env.get("HOST", "127.0.0.1")
    port = env.get("PORT", "8000")
    redis_url = env.get("REDIS_URL") or DEFAULT_REDIS_URL
    use_redis = redis_answers(redis_url)
    if use_redis:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)

    python = sys.executable
    manage = [python, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True)

    (ROOT / "run").mkdir(exist_ok=True)
    processes: list[subprocess.Popen] = []
    if use_redis:
        celery = str(BIN / "celery")
        processes.append(
            subprocess.Popen(
                [celery, "-A", "config", "worker", "-l", "info", "--concurrency", "2"], env=env
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    celery,
                    "-A",
                    "config",
                    "beat",
                    "-l",
                    "info",
                    "-s",
                    str(ROOT / "run" / "celerybeat-schedule"),
                ],
                env=env,
            )
        )
        tasks = f"Celery worker and beat on {redis_url}"
    else:
        tasks = "tasks run in-process (no Redis found)"

    print(f"\n  QI Collaboratives is starting at http://{host}:{port}/  ({tasks})")
    print("  Sign in with any demo login above. Stop with Ctrl-C.\n", flush=True)
    web = subprocess.Popen([*manage, "runserver", f"{host}:{port}"], env=env)
    processes.append(web)

    def stop(*_args) -> None:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.time() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
