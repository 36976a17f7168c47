#!/usr/bin/env python3
"""Fault drills: break the services under the running app and print what happened.

    .venv/bin/python scripts/fault_drill.py [--keep]

Starts everything it needs on its own ports, never the shared services: a private
Redis (6391), a private PostgreSQL cluster made with initdb in a temporary folder
(5441), a media folder on a 2 MB tmpfs, the app under gunicorn (8331, and 8332 for a
control without connection health checks) and a Celery worker with beat. Then:

1. Redis stopped during work, then restarted (empty, as Redis without persistence
   comes back): pages keep answering, /healthz says "degraded"; e-mails queued while
   it was down go out once when it returns (the outbox sweeper queues them again).
2. The Celery worker killed (SIGKILL, the whole process group) in the middle of a
   batch of e-mails, then started again: nothing lost, nothing sent twice.
3. PostgreSQL restarted under the app: the next requests succeed (CONN_HEALTH_CHECKS),
   and the worker carries on.
4. The media disk full during an attachment upload: a clear message on the page, no
   row, no half-written file; after space is freed the same upload works.
5. Backup and restore (scripts/backup.py): a dump of the drill's database and media,
   restored into a new database and folder, checked against the manifest.

Each drill prints one PASS or FAIL line with the facts; the exit status is non-zero
when any failed. Everything started is stopped and the temporary folder removed,
also on failure or Ctrl-C (--keep keeps the folder, with the services' logs).
Needs root (tmpfs mount; initdb runs as the `postgres` user) or, without root, a
user that may run initdb (drill 4 is then skipped, said so).
"""

from __future__ import annotations

import atexit
import glob
import http.cookiejar
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REDIS_PORT = int(os.environ.get("FAULT_DRILL_REDIS_PORT", "6391"))
PG_PORT = int(os.environ.get("FAULT_DRILL_PG_PORT", "5441"))
WEB_PORT = int(os.environ.get("FAULT_DRILL_WEB_PORT", "8331"))
CONTROL_PORT = WEB_PORT + 1
DB_NAME = "qi_drill"
DEMO_LOGIN = "lead@demo.example"
DEMO_PASSWORD = "qi-demo-2026"  # noqa: S105 - the public demo password (demo/world.py)
MEDIA_DISK = "2m"  # tmpfs size
BATCH = 30

results: list[tuple[str, str, str]] = []


def report(name: str, ok: bool | None, facts: str) -> None:
    """One line per drill: PASS, FAIL, or SKIP (ok is None) and what was measured."""
    outcome = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
    results.append((outcome, name, facts))
    print(f"{outcome}  {name}: {facts}", flush=True)


def postgres_binary(name: str) -> str:
    """The newest server's binary (Debian keeps them off PATH), else PATH's."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PostgreSQL's server package")
    return found


def wait_until(check: Callable[[], bool], timeout: float, every: float = 0.25) -> float | None:
    """Seconds until `check()` held, or None when it did not within `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except Exception:  # noqa: BLE001, S110 - a service still starting: try again
            pass
        time.sleep(every)
    return None


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Stack:
    """The private services and the app's processes, and their clean-up."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.dir = Path(tempfile.mkdtemp(prefix="qi-fault-drill-"))
        self.dir.chmod(0o755)  # initdb runs as `postgres` and must reach its folder
        self.pg_data = self.dir / "pg"
        self.pg_log = str(self.pg_data / "server.log")  # inside: `postgres` may write there
        self.media = self.dir / "media"
        self.mail = self.dir / "mail"
        self.logs = self.dir / "logs"
        for folder in (self.media, self.mail, self.logs):
            folder.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        self.media_mounted = False
        self.mount_error = ""
        self.pg_started = False
        self.cleaned = False

    # --- processes ------------------------------------------------------------------

    def spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: children die with it
        )
        log.close()

    def kill(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
        if sig != signal.SIGKILL:
            with suppress(ProcessLookupError):  # what the group left behind goes too
                os.killpg(process.pid, signal.SIGKILL)

    def log_tail(self, name: str, lines: int = 15) -> str:
        try:
            text = (self.logs / f"{name}.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # --- Redis ------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.spawn(
            "redis",
            [
                "redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir),
            ],
        )  # fmt: skip
        if wait_until(lambda: redis_answers(REDIS_PORT), 15) is None:
            raise RuntimeError("private Redis did not start:\n" + self.log_tail("redis"))

    # --- PostgreSQL -------------------------------------------------------------------

    def as_postgres(self, command: list[str]) -> list[str]:
        """initdb refuses root: as root, the cluster is made and run by `postgres`."""
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def pg_ctl(self, *args: str) -> None:
        """pg_ctl, its output and the server's (-l) in a log file: a server started by
        `start` or `restart` keeps any pipe it inherits open, and would hang a reader."""
        with open(self.logs / "pg_ctl.log", "ab") as log:
            subprocess.run(
                self.as_postgres([postgres_binary("pg_ctl"), "-D", str(self.pg_data), *args]),
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.dir,
            )

    def start_postgres(self) -> None:
        self.pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pg_data, "postgres")
        subprocess.run(
            self.as_postgres(
                [postgres_binary("initdb"), "-D", str(self.pg_data), "-U", "postgres",
                 "-A", "trust", "--no-sync", "-E", "UTF8"]
            ),
            check=True, capture_output=True, cwd=self.dir,
        )  # fmt: skip
        options = f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.pg_data} -c fsync=off"
        self.pg_ctl("-o", options, "-l", self.pg_log, "-w", "start")
        self.pg_started = True
        self.sql("CREATE DATABASE " + DB_NAME, database="postgres")

    def database_url(self, name: str = DB_NAME) -> str:
        return f"postgres://postgres@127.0.0.1:{PG_PORT}/{name}"

    def sql(self, query: str, params: tuple = (), database: str = DB_NAME) -> list[tuple]:
        """A query on a fresh connection (the drill's own, unaffected by restarts)."""
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=PG_PORT, user="postgres", dbname=database, connect_timeout=3
        )
        with closing(connection):
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []

    # --- media on a small disk of its own -----------------------------------------------

    def mount_media(self) -> None:
        command = ["mount", "-t", "tmpfs", "-o", f"size={MEDIA_DISK}", "tmpfs", str(self.media)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode == 0:
            self.media_mounted = True
        else:
            self.mount_error = (done.stderr or done.stdout).strip() or f"exit {done.returncode}"

    # --- the app ----------------------------------------------------------------------

    def app_env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # DEBUG only so that static files are served without collectstatic; the
            # product's own error pages are shown, as in production.
            "DEBUG": "true",
            "TECHNICAL_ERROR_PAGES": "false",
            "SECRET_KEY": "fault-drill-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{WEB_PORT}",
            "DATABASE_URL": self.database_url(),
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CONN_MAX_AGE": "600",
            "CONN_HEALTH_CHECKS": "true",
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "fault_drill_mail.SlowFileBackend",
            "EMAIL_FILE_PATH": str(self.mail),
            "PYTHONPATH": str(ROOT / "scripts"),
            "OUTBOX_SWEEP_EVERY": "2",
            "OUTBOX_RESEND_AFTER": "3",
            "OUTBOX_RECLAIM_AFTER": "8",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        env.update(extra)
        return env

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.app_env(),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start_web(self, name: str, port: int, **extra: str) -> None:
        self.spawn(
            name,
            [
                PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind",
                f"127.0.0.1:{port}", "--workers", "2", "--timeout", "30",
            ],
            self.app_env(**extra),
        )  # fmt: skip

    def wait_web(self, port: int) -> None:
        def up() -> bool:
            return http_get(port, "/healthz")[0] == 200

        if wait_until(up, 60) is None:
            raise RuntimeError(f"the app on {port} did not answer:\n" + self.log_tail("web"))

    def start_worker(self) -> None:
        self.spawn(
            "worker",
            [
                PYTHON, "-m", "celery", "-A", "config", "worker", "-B",
                "-s", str(self.dir / "beat-schedule"), "--concurrency", "2",
                "--without-gossip", "--without-mingle", "-l", "info",
            ],
            self.app_env(),
        )  # fmt: skip

    # --- what was sent ------------------------------------------------------------------

    def sent(self, prefix: str) -> Counter:
        """How many times each address starting with `prefix` was sent a message."""
        counts: Counter = Counter()
        for path in self.mail.glob("*.log"):
            text = path.read_text(errors="replace")
            for match in re.finditer(r"^To: (\S+)$", text, re.MULTILINE):
                if match.group(1).startswith(prefix):
                    counts[match.group(1)] += 1
        return counts

    def outbox(self, prefix: str) -> Counter:
        rows = self.sql(
            "SELECT status, count(*) FROM core_outboundemail WHERE to_email LIKE %s "
            "GROUP BY status",
            (prefix + "%",),
        )
        return Counter(dict(rows))

    # --- clean-up -----------------------------------------------------------------------

    def cleanup(self) -> None:
        if self.cleaned:
            return
        self.cleaned = True
        for name in list(self.processes):
            self.kill(name, signal.SIGKILL)
        if self.pg_started:
            with suppress(subprocess.CalledProcessError):
                self.pg_ctl("-m", "immediate", "-w", "stop")
        if self.media_mounted:
            subprocess.run(["umount", "-l", str(self.media)], capture_output=True)  # noqa: S607
        if self.keep:
            print(f"Kept {self.dir} (logs in {self.logs})")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


# --- a small browser ---------------------------------------------------------------------


def http_get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except OSError as error:
        return 0, str(error)


class Browser:
    """Cookies and CSRF tokens, as a person's browser keeps them."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def open(
        self, path: str, data: dict[str, str] | None = None, file: tuple[str, bytes] | None = None
    ) -> tuple[int, str, float]:
        """GET, or POST `data` (and one `file` as "file"); redirects followed."""
        body = None
        headers = {"Referer": self.base + path}
        if data is not None:
            fields = {"csrfmiddlewaretoken": self.csrf(), **data}
            if file is None:
                body = urllib.parse.urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                body, headers["Content-Type"] = multipart(fields, file)
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        start = time.monotonic()
        try:
            with self.opener.open(request, timeout=20) as response:
                status, text = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except OSError as error:
            status, text = 0, str(error)
        return status, text, time.monotonic() - start

    def sign_in(self, email: str, password: str) -> bool:
        self.open("/accounts/login/")
        status, text, _ = self.open("/accounts/login/", {"login": email, "password": password})
        return status == 200 and any(c.name == "sessionid" for c in self.jar)


def multipart(fields: dict[str, str], file: tuple[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )  # fmt: skip
    filename, content = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: image/png\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def noise_png(side: int) -> bytes:
    """A real photo-sized PNG that does not compress (random pixels)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def health(port: int) -> tuple[int, str]:
    status, text = http_get(port, "/healthz")
    try:
        return status, json.loads(text).get("status", "?")
    except ValueError:
        return status, "not json"


# --- the drills ----------------------------------------------------------------------------


def drill_redis(stack: Stack) -> None:
    """Redis stopped during work, then back (empty)."""
    name = "Redis stopped and restarted"
    stack.kill("redis")
    browser = Browser(WEB_PORT)
    healthz = health(WEB_PORT)
    login_status = browser.open("/accounts/login/")[0]
    answers, slowest = [], 0.0
    for i in range(3):
        browser.open("/accounts/password/reset/")
        status, _, seconds = browser.open(
            "/accounts/password/reset/", {"email": f"drill-redis-{i}@example.org"}
        )
        answers.append(status)
        slowest = max(slowest, seconds)
    queued = stack.outbox("drill-redis-").get("queued", 0)
    time.sleep(2)
    sent_while_down = sum(stack.sent("drill-redis-").values())

    stack.start_redis()
    back = wait_until(lambda: stack.outbox("drill-redis-").get("sent", 0) == 3, 60)
    time.sleep(3)  # a late duplicate would show here
    sent = stack.sent("drill-redis-")
    twice = sum(count - 1 for count in sent.values() if count > 1)
    healthz_back = health(WEB_PORT)
    ok = (
        healthz == (200, "degraded")
        and login_status == 200
        and answers == [200, 200, 200]
        and queued == 3
        and sent_while_down == 0
        and back is not None
        and len(sent) == 3
        and twice == 0
        and healthz_back == (200, "ok")
    )
    back_words = f"all 3 sent {back:.1f} s after it returned" if back is not None else "not sent"
    report(
        name,
        ok,
        f"while down: /healthz {healthz[0]} {healthz[1]}, login page {login_status}, "
        f"3 password-reset requests answered {answers} (slowest {slowest:.2f} s), "
        f"{queued} e-mails queued, {sent_while_down} sent; back (empty): {back_words}, "
        f"{len(sent)} delivered, {twice} twice; /healthz {healthz_back[0]} {healthz_back[1]}",
    )


def drill_worker_killed(stack: Stack) -> None:
    """SIGKILL of the worker's whole process group in the middle of a batch."""
    name = "Celery worker killed mid-batch"
    prefix = "drill-batch-"
    stack.manage(
        "shell",
        "-c",
        "from django.db import transaction\n"
        "from core.emails import email_enqueue_message\n"
        "with transaction.atomic():\n"
        f"    for i in range({BATCH}):\n"
        f"        email_enqueue_message(to=f'{prefix}{{i}}@example.org', "
        "subject=f'Drill batch {i}', body_text='One of a batch.')\n",
    )

    def mid_send() -> bool:  # some sent, and a claim in the middle of its send
        now = stack.outbox(prefix)
        return now.get("sent", 0) >= 6 and now.get("sending", 0) >= 1

    started = wait_until(mid_send, 60, every=0.05)
    if started is None:
        report(name, False, "the worker did not start sending:\n" + stack.log_tail("worker"))
        return
    stack.kill("worker", signal.SIGKILL)
    at_kill = stack.outbox(prefix)
    delivered_at_kill = sum(stack.sent(prefix).values())
    stack.start_worker()
    done = wait_until(lambda: stack.outbox(prefix).get("sent", 0) == BATCH, 120)
    time.sleep(3)
    sent = stack.sent(prefix)
    lost = BATCH - len(sent)
    twice = sum(count - 1 for count in sent.values() if count > 1)
    retried = stack.sql(
        "SELECT count(*) FROM core_outboundemail WHERE to_email LIKE %s AND attempts > 1",
        (prefix + "%",),
    )[0][0]
    ok = done is not None and lost == 0 and twice == 0
    report(
        name,
        ok,
        f"killed with {at_kill.get('sent', 0)}/{BATCH} sent ({delivered_at_kill} delivered), "
        f"{at_kill.get('sending', 0)} claimed mid-send, {at_kill.get('queued', 0)} queued; "
        f"restarted: "
        + (f"all {BATCH} sent {done:.1f} s later" if done is not None else "NOT all sent")
        + f", {lost} lost, {twice} twice ({retried} sent on a second claim, taken back "
        "from the dead worker by the sweeper)",
    )


def drill_postgres_restart(stack: Stack) -> None:
    """PostgreSQL restarted under the running app (and a control without health checks)."""
    name = "PostgreSQL restarted"
    for _ in range(6):  # each gunicorn worker holds a persistent connection
        health(WEB_PORT)
        health(CONTROL_PORT)
    start = time.monotonic()
    stack.pg_ctl("-m", "fast", "-l", stack.pg_log, "-w", "restart")
    restart_seconds = time.monotonic() - start
    checked = [health(WEB_PORT) for _ in range(6)]
    control = [health(CONTROL_PORT) for _ in range(6)]
    failed = sum(1 for answer in checked if answer != (200, "ok"))
    control_failed = sum(1 for answer in control if answer != (200, "ok"))

    browser = Browser(WEB_PORT)
    browser.open("/accounts/password/reset/")
    status = browser.open("/accounts/password/reset/", {"email": "drill-pg@example.org"})[0]
    sent = wait_until(lambda: stack.outbox("drill-pg@").get("sent", 0) == 1, 60)
    ok = failed == 0 and status == 200 and sent is not None
    report(
        name,
        ok,
        f"restarted in {restart_seconds:.1f} s; next 6 requests with CONN_HEALTH_CHECKS: "
        f"{6 - failed} answered 200 ok, {failed} failed (without health checks, the "
        f"control: {control_failed} of 6 failed, "
        f"{sorted({a[0] for a in control})}); a password reset after it answered {status}, "
        + ("its e-mail sent by the worker" if sent is not None else "its e-mail NOT sent"),
    )


def drill_disk_full(stack: Stack, target: dict) -> None:
    """The media disk full during an attachment upload."""
    name = "Media disk full on upload"
    if not stack.media_mounted:
        report(name, None, f"cannot mount a {MEDIA_DISK} tmpfs here ({stack.mount_error})")
        return
    browser = Browser(WEB_PORT)
    if not browser.sign_in(DEMO_LOGIN, DEMO_PASSWORD):
        report(name, False, f"could not sign in as {DEMO_LOGIN}")
        return
    photo = noise_png(300)

    def files() -> dict[str, int]:
        return {
            str(p.relative_to(stack.media)): p.stat().st_size
            for p in stack.media.rglob("*")
            if p.is_file() and p.name != "filler"
        }

    def attachments() -> int:
        return stack.sql(
            "SELECT count(*) FROM pdsa_attachment WHERE cycle_id = %s", (target["cycle"],)
        )[0][0]

    filler = stack.media / "filler"
    free = shutil.disk_usage(stack.media).free
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - 64 * 1024))
    left = shutil.disk_usage(stack.media).free
    rows_before, files_before = attachments(), files()
    status, text, _ = browser.open(target["add"], {"caption": "drill"}, ("board.png", photo))
    said = "The server has no room to store this file" in text
    rows_after, files_after = attachments(), files()
    new_files = sorted(set(files_after) - set(files_before))

    filler.unlink()
    status_freed, text_freed, _ = browser.open(
        target["add"], {"caption": "drill"}, ("board.png", photo)
    )
    attached = "“board.png” attached." in text_freed
    stored = sorted(set(files()) - set(files_after))
    stored_size = files().get(stored[0]) if len(stored) == 1 else None
    ok = (
        status == 200
        and said
        and rows_after == rows_before
        and not new_files
        and status_freed == 200
        and attached
        and attachments() == rows_before + 1
        and stored_size == len(photo)
    )
    report(
        name,
        ok,
        f"{len(photo) // 1024} KB photo onto a {MEDIA_DISK.upper()}B tmpfs with {left // 1024} KB "
        f"free: page {status}, "
        + ("says 'The server has no room to store this file'" if said else "NO clear message")
        + f", {rows_after - rows_before} rows, {len(new_files)} files left on disk; "
        f"space freed: page {status_freed}, "
        + ("attached" if attached else "NOT attached")
        + f", 1 row, file of {stored_size} bytes",
    )


def drill_backup_restore(stack: Stack) -> None:
    """scripts/backup.py: dump, restore into a new database and folder, verify."""
    name = "Backup and restore"
    backups = stack.dir / "backups"
    restored_media = stack.dir / "restored-media"
    env = stack.app_env()
    start = time.monotonic()
    backup = subprocess.run(
        [PYTHON, "scripts/backup.py", "backup", "--to", str(backups)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if backup.returncode:
        report(name, False, "backup failed: " + (backup.stderr or backup.stdout)[-800:])
        return
    folder = backup.stdout.strip().splitlines()[-1].split()[-1]
    restore = subprocess.run(
        [
            PYTHON, "scripts/backup.py", "restore", folder, "--database",
            stack.database_url("qi_drill_restored"), "--media", str(restored_media),
        ],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.monotonic() - start
    summary = (restore.stdout.strip().splitlines() or ["(nothing printed)"])[-1]
    report(
        name,
        restore.returncode == 0,
        f"{summary} ({seconds:.1f} s)"
        if restore.returncode == 0
        else "restore failed: " + (restore.stderr or restore.stdout)[-800:],
    )


def upload_target(stack: Stack) -> dict:
    """A cycle of the demo lead's team, and the URL that attaches a file to it."""
    code = (
        "import json\n"
        "from django.urls import reverse\n"
        "from pdsa.models import Cycle\n"
        "from teams.models import TeamMembership\n"
        f"for m in TeamMembership.objects.filter(user__email='{DEMO_LOGIN}', is_active=True):\n"
        "    c = Cycle.objects.filter(team=m.team, deleted_at__isnull=True).first()\n"
        "    if c:\n"
        "        kw = {'team_id': m.team.public_id, 'cycle_id': c.public_id}\n"
        "        print(json.dumps({'cycle': c.pk,\n"
        "              'add': reverse('pdsa:attachment_add', kwargs=kw)}))\n"
        "        break\n"
    )
    return json.loads(stack.manage("shell", "-c", code).strip().splitlines()[-1])


def main() -> int:
    keep = "--keep" in sys.argv[1:]
    stack = Stack(keep)
    atexit.register(stack.cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    try:
        print(f"Fault drill in {stack.dir}", flush=True)
        stack.mount_media()
        stack.start_redis()
        stack.start_postgres()
        stack.manage("migrate", "--no-input", "-v", "0")
        stack.manage("seed_demo")
        target = upload_target(stack)
        stack.start_web("web", WEB_PORT)
        stack.start_web("control", CONTROL_PORT, CONN_HEALTH_CHECKS="false")
        stack.start_worker()
        stack.wait_web(WEB_PORT)
        stack.wait_web(CONTROL_PORT)
        print(f"Services up in {time.monotonic() - began:.0f} s", flush=True)

        drills: list[tuple[str, Callable[[], None]]] = [
            ("Redis stopped and restarted", lambda: drill_redis(stack)),
            ("Celery worker killed mid-batch", lambda: drill_worker_killed(stack)),
            ("PostgreSQL restarted", lambda: drill_postgres_restart(stack)),
            ("Media disk full on upload", lambda: drill_disk_full(stack, target)),
            ("Backup and restore", lambda: drill_backup_restore(stack)),
        ]
        for name, drill in drills:
            try:
                drill()
            except Exception as error:  # noqa: BLE001 - one broken drill must not hide the rest
                report(name, False, f"crashed: {error!r}")
    finally:
        stack.cleanup()
    failed = [r for r in results if r[0] == "FAIL"]
    print(
        f"{len(results) - len(failed)} of {len(results)} drills passed or skipped, "
        f"{len(failed)} failed, in {time.monotonic() - began:.0f} s",
        flush=True,
    )
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
