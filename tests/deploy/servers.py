"""The portal started as the image starts it, for the deployment tests.

The image runs `gunicorn --config deploy/gunicorn.conf.py vrp_portal.wsgi` from the
project's root with the production settings. These machines run no containers, so the
tests run that same command, read from the Dockerfile, on this machine: against a
PostgreSQL database of each test's own (created, migrated and dropped here), Redis db 13
under a key prefix of each test's own (its keys deleted after), and static files collected
into a temporary folder. Nothing is shared with another test or another pytest worker,
so they run side by side under `-n 2`.

`Browser` talks to the servers as a person's browser would through the TLS proxy: it
keeps cookies across servers (the session is the cookie: any server must honour it),
sends `X-Forwarded-Proto: https` as the proxy does, and an `Origin` on every POST.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.cookies import Morsel, SimpleCookie
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
# The image's start command (issue 15): the Dockerfile's CMD must say exactly this.
START_COMMAND = ["gunicorn", "--config", "deploy/gunicorn.conf.py", "vrp_portal.wsgi"]
HOST = "127.0.0.1"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/13"
# gunicorn boots 2 workers, each importing Django; on a busy 2-core CI machine that can take
# several seconds.
START_TIMEOUT = 60


# The start command ---------------------------------------------------------------------------


def dockerfile_command(dockerfile: Path = DOCKERFILE) -> list[str] | None:
    """The Dockerfile's (last) CMD as an argument list, or None without a Dockerfile.

    Both forms are read: exec (`CMD ["gunicorn", ...]`) and shell (`CMD gunicorn ...`).
    """
    if not dockerfile.exists():
        return None
    # Join continued lines, then find the CMD instructions.
    text = re.sub(r"\\\r?\n", " ", dockerfile.read_text())
    commands = [
        match.group(1).strip()
        for match in re.finditer(r"^\s*CMD\s+(.+)$", text, flags=re.MULTILINE | re.IGNORECASE)
    ]
    if not commands:
        return []
    last = commands[-1]
    return json.loads(last) if last.startswith("[") else shlex.split(last)


def start_command() -> list[str]:
    """What the image runs: the Dockerfile's CMD, or the contract while there is no image."""
    return dockerfile_command() or START_COMMAND


# PostgreSQL and Redis ------------------------------------------------------------------------


def postgres_server() -> str:
    """The PostgreSQL server the suite runs on (DATABASE_URL), without a database name."""
    url = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme.startswith("postgres"):
        return urllib.parse.urlunsplit((url.scheme, url.netloc, "", "", ""))
    return POSTGRES


def run_sql(query, *params, database: str = "postgres") -> list[tuple]:
    """Run one statement on the server, outside a transaction; its rows, if any."""
    with psycopg.connect(f"{postgres_server()}/{database}", autocommit=True) as connection:
        cursor = connection.execute(query, params or None)
        return cursor.fetchall() if cursor.description else []


@contextlib.contextmanager
def scratch_database(label: str) -> Iterator[str]:
    """An empty database of this test's own, dropped afterwards: its name."""
    name = f"vrp_deploy_{label}_{uuid.uuid4().hex[:8]}"
    run_sql(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        run_sql(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in Redis db 13; its keys, and only those, are
    deleted afterwards."""
    prefix = f"vrp-deploy-{uuid.uuid4().hex[:12]}"
    try:
        yield prefix
    finally:
        with redis.Redis.from_url(REDIS_URL) as server:
            for key in server.scan_iter(f"{prefix}:*"):
                server.delete(key)


def redis_keys(prefix: str) -> set[str]:
    """Every key held under `prefix`, as Django writes them: `<prefix>:<version>:<key>`."""
    with redis.Redis.from_url(REDIS_URL) as server:
        return {key.decode() for key in server.scan_iter(f"{prefix}:*")}


# The production environment -------------------------------------------------------------------


@dataclass
class Deployment:
    """One deployment's environment: the production settings, one database, one Redis
    prefix and one folder of collected static files, shared by all its servers."""

    database: str
    redis_prefix: str
    static_root: Path
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    def env(self, **extra: str) -> dict[str, str]:
        """The environment the container would have, and nothing of this test process's
        (whose pytest settings turn https redirects and lock-outs off)."""
        venv_bin = str(Path(sys.executable).parent)
        env = {
            # `gunicorn` is found on PATH, as in the image.
            "PATH": os.pathsep.join([venv_bin, os.environ.get("PATH", "/usr/bin:/bin")]),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "vrp_portal.settings",
            "DEBUG": "False",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}",
            "EMAIL_URL": "smtp://127.0.0.1:25",  # nothing is sent: jobs wait for a worker
            "TASKS_BACKEND": "database",
            "DATABASE_URL": f"{postgres_server()}/{self.database}",
            "STATIC_ROOT": str(self.static_root),
            "REDIS_URL": REDIS_URL,
            "REDIS_KEY_PREFIX": self.redis_prefix,
            "LOG_LEVEL": "WARNING",
        }
        return {**env, **extra}

    def manage(self, *command: str) -> str:
        """Run a management command in the deployment; its output."""
        return self._finish(self._manage(*command), command)

    def prepare(self) -> None:
        """What comes before serving: `migrate`, as the deployment runs it before starting
        the servers, and the static files (built into the image) collected with their
        hashed names and manifest. The two touch nothing in common, so they run at once."""
        commands = [("migrate", "--noinput", "-v", "0"), ("collectstatic", "--noinput", "-v", "0")]
        running = [(self._manage(*command), command) for command in commands]
        for process, command in running:
            self._finish(process, command)

    def _manage(self, *command: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    @staticmethod
    def _finish(process: subprocess.Popen, command: tuple[str, ...]) -> str:
        try:
            stdout, stderr = process.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        assert process.returncode == 0, f"manage.py {command[0]} failed:\n{stderr}"
        return stdout


@contextlib.contextmanager
def deployment(label: str) -> Iterator[Deployment]:
    """A fresh deployment: its own database, Redis prefix and static folder; all removed
    afterwards."""
    with (
        scratch_database(label) as database,
        redis_prefix() as prefix,
        tempfile.TemporaryDirectory(prefix="vrp-deploy-static-") as static_root,
    ):
        yield Deployment(database, prefix, Path(static_root))


# Servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """The image's start command on a free port of this machine, logging to a file."""

    def __init__(self, deployment: Deployment):
        self.deployment = deployment
        self.command = start_command()
        self.port = free_port()
        self.log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in close()
            prefix="vrp-gunicorn-", suffix=".log"
        )
        self.process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        """The address a browser sees: https, through the proxy."""
        return f"https://{HOST}:{self.port}"

    def start(self) -> Server:
        """Start it without waiting: several servers boot side by side."""
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.deployment.env(GUNICORN_BIND=f"{HOST}:{self.port}"),
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a signal for pytest is not one for gunicorn
        )
        return self

    def log(self) -> str:
        return Path(self.log_file.name).read_text(errors="replace")

    def wait_until_ready(self) -> None:
        """Poll /healthz/ until it answers 200; fail with gunicorn's log if it never does."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(self, "GET", "/healthz/").status == 200:
                    return
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def terminate(self) -> None:
        """SIGTERM, as `docker stop` sends, without waiting (several stop side by side)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self) -> int:
        """SIGTERM, and wait for the exit; its exit status."""
        self.terminate()
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode

    def close(self) -> None:
        """Stop it if still running, and remove its log."""
        if self.process is not None:
            self.stop()
        self.log_file.close()


@contextlib.contextmanager
def servers(deployment: Deployment, count: int) -> Iterator[list[Server]]:
    """`count` servers of one deployment, started side by side and all answering."""
    started = [Server(deployment) for _ in range(count)]
    try:
        for server in started:
            server.start()
        for server in started:
            server.wait_until_ready()
        yield started
    finally:
        for server in started:
            server.terminate()
        for server in started:
            server.close()


# A browser -----------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: Message
    text: str
    cookies: list[Morsel]

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def input_value(self, name: str) -> str:
        """The value of the form field `name` (an input's value or a textarea's text)."""
        found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', self.text)
        if found is None:
            found = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>([^<]*)<', self.text)
        assert found is not None, f"no field {name!r} on the page"
        return html.unescape(found.group(1)).strip()

    @property
    def csrf_token(self) -> str:
        return self.input_value("csrfmiddlewaretoken")


def request(
    server: Server, method: str, path: str, *, body: str | None = None, headers=None
) -> Response:
    """One request to `server` as the TLS proxy forwards it: plain http to gunicorn, with
    `X-Forwarded-Proto: https`."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Host": f"{HOST}:{server.port}", "X-Forwarded-Proto": "https"}
            | (headers or {}),
        )
        answer = connection.getresponse()
        text = answer.read().decode("utf-8", errors="replace")
    finally:
        connection.close()
    cookies = []
    for line in answer.headers.get_all("Set-Cookie") or []:
        cookies.extend(SimpleCookie(line).values())
    return Response(answer.status, answer.headers, text, cookies)


class Browser:
    """A person's browser: one cookie jar, whichever server answers."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self._lock = threading.Lock()  # two saves may come back at once

    def get(self, server: Server, path: str) -> Response:
        return self._send(server, "GET", path)

    def post(self, server: Server, path: str, fields: dict[str, str]) -> Response:
        return self._send(
            server,
            "POST",
            path,
            body=urllib.parse.urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                # Over https Django checks where a POST comes from: this server's own page.
                "Origin": server.origin,
                "Referer": server.origin + path,
            },
        )

    def _send(self, server: Server, method: str, path: str, **kwargs) -> Response:
        with self._lock:
            cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers = kwargs.pop("headers", {}) | ({"Cookie": cookie} if cookie else {})
        response = request(server, method, path, headers=headers, **kwargs)
        with self._lock:
            for morsel in response.cookies:
                if morsel["max-age"] == "0":
                    self.cookies.pop(morsel.key, None)  # deleted, as a sign-out does
                else:
                    self.cookies[morsel.key] = morsel.value
        return response
