"""Start-up behaviour of the settings, checked in a fresh interpreter each time."""

import os
import subprocess

from tests.fresh_python import run_python


def start(**environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="vrp_portal.settings")
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TIME_ZONE, s.LANGUAGE_CODE, s.STORAGES['staticfiles']['BACKEND'])"
    )
    return run_python(probe, env)


def test_without_debug_a_missing_secret_key_stops_start_up_with_a_clear_message():
    result = start(DEBUG="False")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_serves_compressed_hashed_static_files_in_london_time():
    result = start(DEBUG="False", SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Europe/London",
        "en-gb",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_development_runs_without_a_secret_key():
    assert start(DEBUG="True").returncode == 0
