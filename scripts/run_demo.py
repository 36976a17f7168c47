#!/usr/bin/env python3
"""Start the whole system with demo data (`make run`).

Migrates, seeds the demo, then runs the web server; when Redis answers (at
REDIS_URL, or 127.0.0.1:6379) it also starts a Celery worker and beat, otherwise
tasks run in-process. Uses SQLite unless DATABASE_URL is set. Ctrl-C stops all.

The server listens at HOST:PORT (127.0.0.1:8000); unless set, SITE_URL (the links
in e-mails) and ALLOWED_HOSTS follow them (see `demo_environment`). DEBUG is on for
reloading and static files, but pages show the product's own 404 and 500 pages
(TECHNICAL_ERROR_PAGES=false), as people will see them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import DEFAULT_REDIS_URL, redis_answers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = "8000"
#: Addresses that mean "listen on every interface": no browser can open them.
ANY_ADDRESS = {"0.0.0.0", "::", "[::]", ""}  # noqa: S104


def browser_host(host: str) -> str:
    """The host name a browser on this machine uses to reach a server bound to `host`.

    A server bound to every interface (0.0.0.0, ::) is reached at `localhost`; an IPv6
    address is bracketed. Links for other machines need SITE_URL set explicitly.
    """
    host = host.strip()
    if host in ANY_ADDRESS:
        return "localhost"
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


def dotenv_names(path: Path) -> set[str]:
    """The variables a .env file sets (settings read it; what it sets is not derived)."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return set()
    names = set()
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0].removeprefix("export ").strip())
    return names


def demo_environment(
    environ: Mapping[str, str], configured: set[str] | frozenset[str] = frozenset()
) -> dict[str, str]:
    """The environment of the demo's processes: `environ` plus the demo's defaults.

    Anything set in `environ` wins, and so, except DEBUG, does anything named in
    `configured` (the variables the .env file sets). Otherwise: DEBUG on; Django's
    technical error pages off (the product's 404/500 pages are shown, as in
    production); SITE_URL, the base of every link in e-mails, is where the server
    listens (http://HOST:PORT, `localhost` for 0.0.0.0); and that host is allowed.
    """
    env = dict(environ)
    keep = set(env) | set(configured)
    host = env.get("HOST") or DEFAULT_HOST
    port = env.get("PORT") or DEFAULT_PORT
    env["HOST"], env["PORT"] = host, port
    env.setdefault("DEBUG", "true")  # the demo needs it, whatever .env says
    defaults = {"TECHNICAL_ERROR_PAGES": "false"}
    name = browser_host(host)
    defaults["SITE_URL"] = f"http://{name}:{port}"
    for variable, value in defaults.items():
        if variable not in keep:
            env[variable] = value
    if "ALLOWED_HOSTS" not in keep:
        allowed = ["localhost", "127.0.0.1", "[::1]"]
        if host in ANY_ADDRESS:
            # Other machines reach a server on every interface by this machine's name.
            allowed.append(socket.gethostname())
        elif name not in allowed:
            allowed.append(name)
        env["ALLOWED_HOSTS"] = ",".join(allowed)
    return env


def main() -> int:
    os.chdir(ROOT)
    env = demo_environment(os.environ, dotenv_names(ROOT / ".env"))
    host, port = env["HOST"], env["PORT"]
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

    print(f"\n  QI Collaboratives is starting at http://{browser_host(host)}:{port}/  ({tasks})")
    print(f"  Links in e-mails point to {env['SITE_URL']}/ (set SITE_URL to change).")
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
