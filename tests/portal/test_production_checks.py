"""Production refuses unsafe settings: `check --deploy` fails and the WSGI server won't start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "DEBUG": "False",
    "SECRET_KEY": "a-long-random-enough-secret-key-for-these-checks-0123456789abcdef",
    "ALLOWED_HOSTS": "vrp.example.org",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
    "SITE_URL": "https://vrp.example.org",
}
OWN_SETTINGS = {
    *SAFE,
    "REQUIRE_SECOND_FACTOR",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run(args: list[str], **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in OWN_SETTINGS}
    env.update({key: value for key, value in environment.items() if value is not None})
    env["DJANGO_SETTINGS_MODULE"] = "vrp_portal.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def check_deploy(**changes) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **{**SAFE, **changes})


def test_a_safe_production_configuration_passes_check_deploy():
    result = check_deploy()

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"EMAIL_URL": None}, "vrp.E001"),
        ({"EMAIL_URL": "consolemail://"}, "vrp.E002"),
        ({"EMAIL_URL": "memorymail://"}, "vrp.E002"),
        ({"SITE_URL": None}, "vrp.E003"),
        ({"SITE_URL": "http://127.0.0.1:8000"}, "vrp.E004"),
        ({"REQUIRE_SECOND_FACTOR": "False"}, "vrp.E005"),
    ],
    ids=["no-email", "console-email", "memory-email", "no-site-url", "http-site-url", "no-2fa"],
)
def test_check_deploy_fails_on_an_unsafe_setting(changes, error):
    """Found: without EMAIL_URL, every reset link and address went to the server's log;
    SITE_URL silently pointed links at localhost."""
    result = check_deploy(**changes)

    assert result.returncode != 0
    assert error in result.stderr


def test_the_wsgi_server_refuses_to_start_without_a_mail_server():
    probe = "import vrp_portal.wsgi"

    refused = run(["-c", probe], **{**SAFE, "EMAIL_URL": None})
    started = run(["-c", probe], **SAFE)

    assert refused.returncode != 0
    assert "Unsafe production settings" in refused.stderr
    assert "EMAIL_URL is not set" in refused.stderr
    assert started.returncode == 0, started.stderr


def test_development_still_prints_emails_to_the_console():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.SITE_URL)",
        ],
        DEBUG="True",
    )

    assert result.stdout.split() == [
        "django.core.mail.backends.console.EmailBackend",
        "http://127.0.0.1:8000",
    ]
