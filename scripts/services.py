"""Find the local services (PostgreSQL, Redis, Chromium) the run and test commands can use.

Used by scripts/run_demo.py and scripts/run_tests.py; standard library only, so it
works before anything is installed.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/qi_collaboratives"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"
CHROMIUM = "/usr/bin/chromium"


def reachable(url: str, default_port: int, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections at the URL's host and port."""
    parsed = urlparse(url)
    host = parsed.hostname or "127.0.0.1"
    port = parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def redis_answers(url: str) -> bool:
    """A PING/PONG round trip, so that another service on the port is not mistaken for Redis."""
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1.0
        ) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL
    return url if reachable(url, 5432) else None


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", CHROMIUM)
    return path if os.path.exists(path) else shutil.which("chromium")
