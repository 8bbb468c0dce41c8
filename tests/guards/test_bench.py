"""`make bench` keeps working: the benchmark, run at 1x with one request a page, serves every
key page with a 200 under gunicorn and the production settings, and prints its tables.

PostgreSQL only, like the benchmark; CI runs the suite there and fails on any skip. The
timings themselves are figures `make bench` prints, never asserted here.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason="the benchmark runs on PostgreSQL"),
    pytest.mark.real_clock,
]


@pytest.fixture
def prefix():
    """A database name prefix of this test's own, dropped afterwards."""
    name = f"vrp_benchtest_{uuid.uuid4().hex[:8]}"
    yield name
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(f"{name}_1"))
        )


def test_the_benchmark_serves_every_key_page_and_prints_its_tables(prefix, tmp_path):
    output = tmp_path / "results.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("VRP_TEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "scripts/bench.py", "--scales", "1", "--requests", "1", "--warmup", "0"]
        + ["--databases", prefix, "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(output.read_text())
    figures = results["scales"]["1"]["figures"]
    names = [figure["name"] for figure in figures]
    assert names[:2] == ["floor", "admin changelist"]
    for page in ("action log", "a meeting", "quarterly preview", "update, PDF"):
        assert page in names
    assert {figure["status"] for figure in figures} == {200}
    assert all(mb > 0 for mb in results["scales"]["1"]["worker_peak_mb"])
    assert len(results["scales"]["1"]["worker_peak_mb"]) == 2
    assert "Summary at 1x" in done.stdout
    assert "Action log vs admin changelist" in done.stdout
