"""The image's start-up path, proved without a container: the Dockerfile's command, run on
this machine with the production settings against PostgreSQL and Redis, serves the portal.

These machines cannot run containers, so CI cannot build and start the image. What the
image adds around this command (the slim base, the unprivileged user, the files copied
in, the HEALTHCHECK, compose's proxy, networks and stop grace period) is covered by
tests/deploy/test_container.py's reading of those files and by the README; what runs
inside it is the same command, proved here:

- the Dockerfile's CMD is exactly `gunicorn --config deploy/gunicorn.conf.py
  vrp_portal.wsgi`, and that command is what this test starts, from the project's root;
- `migrate` builds an empty database and `collectstatic` the hashed files and manifest;
- gunicorn reads deploy/gunicorn.conf.py: 2 gthread workers, and no access log (no
  client addresses in the logs);
- /healthz/ answers 200 through the proxy (X-Forwarded-Proto: https), and a page asked
  for over plain http is redirected to https: the production settings are in force;
- the sign-in page answers 200 with its cookies `__Host-` prefixed and Secure;
- a stylesheet the page links is served by whitenoise under its hashed name, cached for
  good;
- SIGTERM (what `docker stop` sends) stops gunicorn cleanly, with exit status 0.
"""

import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from tests.deploy.servers import (
    ROOT,
    START_COMMAND,
    Browser,
    Server,
    deployment,
    dockerfile_command,
    request,
    start_command,
)

# Real time: the servers are other processes, on the machine's clock.
pytestmark = pytest.mark.real_clock

SHARED_MEMORY = "/dev/shm"  # noqa: S108 - the system's memory-backed folder


def test_the_dockerfile_starts_the_portal_with_the_agreed_command():
    command = dockerfile_command()

    # Until the image exists the contract stands in for it; once it does, it must agree.
    assert command is None or command == START_COMMAND
    assert start_command() == START_COMMAND


# Reads deploy/gunicorn.conf.py as gunicorn does, through its own Config and validators,
# without loading the portal.
READ_CONFIG = """
import json
from gunicorn.app.base import Application

class Probe(Application):
    def load_config(self):
        self.load_config_from_file("deploy/gunicorn.conf.py")

print(json.dumps({name: s.get() for name, s in Probe().cfg.settings.items()}, default=str))
"""


def gunicorn_settings(**env: str) -> dict:
    """The settings gunicorn takes from deploy/gunicorn.conf.py in this environment."""
    done = subprocess.run(
        [sys.executable, "-c", READ_CONFIG],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_configuration_keeps_its_choices_and_takes_the_deployments_own():
    chosen = gunicorn_settings()
    given = gunicorn_settings(
        GUNICORN_BIND="0.0.0.0:9000", WEB_CONCURRENCY="5", FORWARDED_ALLOW_IPS="172.20.0.2"
    )

    expected = {
        "bind": ["0.0.0.0:8000"],
        "workers": 2,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 30,
        "graceful_timeout": 30,
        "keepalive": 5,
        "forwarded_allow_ips": ["127.0.0.1"],
        "accesslog": None,
        "errorlog": "-",
        "max_requests": 1000,
        "max_requests_jitter": 100,
        "preload_app": False,
        "worker_tmp_dir": SHARED_MEMORY if Path(SHARED_MEMORY).is_dir() else None,
    }
    assert {name: chosen[name] for name in expected} == expected
    assert (given["bind"], given["workers"], given["forwarded_allow_ips"]) == (
        ["0.0.0.0:9000"],
        5,
        ["172.20.0.2"],
    )


def test_the_start_command_serves_the_portal_with_the_production_settings():
    with deployment("start") as site:
        site.prepare()
        server = Server(site).start()
        try:
            server.wait_until_ready()

            # Through the proxy: https, answered by the view.
            health = request(server, "GET", "/healthz/")
            assert (health.status, health.text) == (200, "ok\n")
            # A page asked for over plain http: production redirects it to https.
            plain = request(
                server, "GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"}
            )
            assert plain.status == 301
            assert plain.location == f"https://127.0.0.1:{server.port}/accounts/login/"

            browser = Browser()
            sign_in = browser.get(server, "/accounts/login/")
            assert sign_in.status == 200
            assert 'name="password"' in sign_in.text
            cookies = {morsel.key: morsel for morsel in sign_in.cookies}
            assert "__Host-csrftoken" in cookies
            for name, morsel in cookies.items():
                assert name.startswith("__Host-"), name
                assert morsel["secure"] is True, name
                assert morsel["path"] == "/", name
                assert not morsel["domain"], name

            stylesheet = re.search(
                r'<link rel="stylesheet" href="(/static/css/portal\.[0-9a-f]{12}\.css)"',
                sign_in.text,
            )
            assert stylesheet, "the sign-in page links no hashed portal.css"
            css = browser.get(server, urllib.parse.quote(stylesheet.group(1)))
            assert css.status == 200
            assert css.headers["Content-Type"].startswith("text/css")
            assert "immutable" in css.headers["Cache-Control"]
            assert css.text.strip()
        finally:
            status = server.stop()
            log = server.log()
            server.close()

    assert status == 0, log
    assert "Shutting down: Master" in log
    # The configuration file was read: its worker class and its two workers.
    assert "Using worker: gthread" in log
    assert log.count("Booting worker with pid") == 2
    # No access log: no request line, and so no client address, was written.
    assert "GET /" not in log
