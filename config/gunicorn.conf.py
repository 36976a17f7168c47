"""gunicorn's settings, for production (Dockerfile, docker-compose) and the benchmarks.

Sync workers, 2 x cores + 1 (gunicorn's rule): a request is mostly Python (templates,
charts), so on 2 cores five processes keep both busy while one waits for PostgreSQL or
Redis, and a slow page blocks one worker, not a thread pool sharing one GIL.
Every value can be overridden from the environment (GUNICORN_WORKERS, ...) or gunicorn's
own command line.

Each worker restarts after about 2,000 requests (with jitter, so that they do not all
restart at once): a leak cannot grow without bound.

After the application is loaded (preload_app) the objects it made at start-up are moved
out of the garbage collector's sight (gc.freeze): full collections then walk only what
requests make, not the ~400,000 objects of Django, the URL configuration and the
templates (full collections of 120-140 ms made the p95 of the 300-row pages; see
docs/decisions/0020-speed-at-300-teams.md). Frozen pages are also shared copy-on-write
between the workers instead of being copied by the collector's writes.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
preload_app = True
# A sync worker handles one connection at a time and closes it; the backlog holds the
# rest. Behind a proxy that buffers requests (nginx, a load balancer) this is safe.
backlog = 256
# GUNICORN_ACCESS_LOG="" turns the access log off (the benchmarks).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def when_ready(server) -> None:
    """Called in the master once the application is loaded, before the workers fork:
    collect once, then freeze what survives (it lives as long as the process)."""
    gc.collect()
    gc.freeze()
