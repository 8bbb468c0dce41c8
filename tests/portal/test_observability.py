"""Error reports (Sentry) and metrics (Prometheus) are off unless the environment turns them
on; on, error reports carry no personal data and metrics answer only the scraper's token."""

from __future__ import annotations

import json
import os

import pytest
from django.test import Client
from django.urls import include, path

from core.logformat import sentry_before_send
from portal import health
from tests.fresh_python import run_python

TOKEN = "scraper-token-0123456789-abcdefghijklmnop"
SENTRY_DSN = "https://key@o0.ingest.sentry.io/1"

# The URLconf of the tests marked `urls(__name__)`: the portal's, with the metrics view
# whatever the settings.
urlpatterns = [path("metrics/", health.metrics), path("", include("vrp_portal.urls"))]


def fresh(probe: str, **environment: str) -> dict:
    """What `probe` prints as JSON after django.setup() in a fresh interpreter started with
    this environment (and no SENTRY_ or PROMETHEUS_ variable it does not name)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SENTRY_", "PROMETHEUS_"))}
    env.setdefault("SENTRY_DSN", "")  # a .env file must not add one
    env.setdefault("PROMETHEUS_ENABLED", "False")
    env.update(environment, DJANGO_SETTINGS_MODULE="vrp_portal.settings")
    env["ALLOWED_HOSTS"] = "testserver"
    code = f"import django, json, sys; django.setup()\n{probe}"
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Sentry ----------------------------------------------------------------------------------

SENTRY_PROBE = """
loaded = "sentry_sdk" in sys.modules
import sentry_sdk
client = sentry_sdk.get_client()
options = client.options if client.is_active() else {}
print(json.dumps({
    "loaded": loaded,
    "active": client.is_active(),
    **{key: options.get(key) for key in (
        "dsn", "send_default_pii", "include_local_variables", "max_request_body_size",
        "environment", "traces_sample_rate",
    )},
}))
"""


def test_without_a_dsn_nothing_of_sentry_is_loaded():
    found = fresh(SENTRY_PROBE)

    assert found["loaded"] is False
    assert found["active"] is False


def test_with_a_dsn_errors_are_reported_without_personal_data():
    found = fresh(SENTRY_PROBE, SENTRY_DSN=SENTRY_DSN)

    assert found["active"] is True
    assert found["dsn"] == SENTRY_DSN
    assert found["send_default_pii"] is False
    assert found["include_local_variables"] is False
    assert found["max_request_body_size"] == "never"
    assert found["environment"] == "production"
    assert found["traces_sample_rate"] == 0


def test_the_environment_and_the_share_of_requests_traced_can_be_set():
    found = fresh(
        SENTRY_PROBE,
        SENTRY_DSN=SENTRY_DSN,
        SENTRY_ENVIRONMENT="staging",
        SENTRY_TRACES_SAMPLE_RATE="0.25",
    )

    assert found["environment"] == "staging"
    assert found["traces_sample_rate"] == 0.25


def test_an_error_report_leaves_out_the_query_string_body_and_cookies():
    event = {
        "request": {
            "url": "https://vrp.example.org/meetings/calendar.ics?token=secret-calendar-token",
            "method": "POST",
            "query_string": "token=secret-calendar-token",
            "data": {"full_name": "Lena Lead", "email": "lena.lead@example.org"},
            "cookies": {"__Host-sessionid": "abc"},
            "headers": {"User-Agent": "Firefox"},
        },
        "exception": {"values": [{"type": "ValueError"}]},
    }

    sent = sentry_before_send(event, {})

    assert sent["request"] == {
        "url": "https://vrp.example.org/meetings/calendar.ics",
        "method": "POST",
        "headers": {"User-Agent": "Firefox"},
    }
    assert sent["exception"] == {"values": [{"type": "ValueError"}]}


# Prometheus ------------------------------------------------------------------------------

# Static files unhashed, as in the rest of the suite: a 404 page needs no collectstatic.
PROMETHEUS_PROBE = """
from django.conf import settings
from django.test import Client, override_settings
client = Client()
unhashed = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": unhashed}):
    answers = {
        name: client.get("/metrics/", **headers)
        for name, headers in (
            ("no token", {}),
            ("wrong token", {"HTTP_AUTHORIZATION": "Bearer not-the-token"}),
            ("token", {"HTTP_AUTHORIZATION": "Bearer " + settings.PROMETHEUS_METRICS_TOKEN}),
        )
    }
print(json.dumps({
    "installed": "django_prometheus" in settings.INSTALLED_APPS,
    "loaded": "django_prometheus" in sys.modules,
    "first": settings.MIDDLEWARE[0],
    "last": settings.MIDDLEWARE[-1],
    "status": {name: answer.status_code for name, answer in answers.items()},
    "metrics": answers["token"].content.decode(),
}))
"""


def test_metrics_are_off_by_default():
    found = fresh(PROMETHEUS_PROBE, PROMETHEUS_METRICS_TOKEN=TOKEN)

    assert found["installed"] is False
    assert found["loaded"] is False
    assert found["first"] == "django.middleware.security.SecurityMiddleware"
    assert found["status"] == {"no token": 404, "wrong token": 404, "token": 404}


def test_metrics_on_answer_the_scraper_with_the_token_and_nobody_else():
    found = fresh(PROMETHEUS_PROBE, PROMETHEUS_ENABLED="True", PROMETHEUS_METRICS_TOKEN=TOKEN)

    assert found["installed"] is True
    assert found["first"] == "django_prometheus.middleware.PrometheusBeforeMiddleware"
    assert found["last"] == "django_prometheus.middleware.PrometheusAfterMiddleware"
    assert found["status"] == {"no token": 404, "wrong token": 404, "token": 200}
    # The two requests answered 404 before it were counted.
    assert 'django_http_responses_total_by_status_total{status="404"} 2.0' in found["metrics"]


def test_with_a_shared_directory_every_worker_is_counted(tmp_path):
    shared = tmp_path / "prometheus"  # made by the settings if missing

    found = fresh(
        PROMETHEUS_PROBE,
        PROMETHEUS_ENABLED="True",
        PROMETHEUS_METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=str(shared),
    )

    assert found["status"]["token"] == 200
    assert 'django_http_responses_total_by_status_total{status="404"} 2.0' in found["metrics"]
    assert list(shared.glob("counter_*.db"))  # what each worker writes for the others


@pytest.mark.parametrize("token", ["", "too-short"], ids=["none", "short"])
def test_metrics_on_need_a_long_token(token):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMETHEUS_")}
    env.update(
        PROMETHEUS_ENABLED="True",
        PROMETHEUS_METRICS_TOKEN=token,
        DJANGO_SETTINGS_MODULE="vrp_portal.settings",
    )

    result = run_python("import django; django.setup()", env)

    assert result.returncode != 0
    assert "PROMETHEUS_METRICS_TOKEN" in result.stderr


@pytest.mark.urls(__name__)
class TestTheMetricsToken:
    @pytest.fixture(autouse=True)
    def _enabled(self, settings):
        settings.PROMETHEUS_ENABLED = True
        settings.PROMETHEUS_METRICS_TOKEN = TOKEN

    def get(self, authorization: str | None = None):
        headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
        return Client().get("/metrics/", **headers)

    def test_the_scraper_with_the_token_gets_the_metrics(self):
        response = self.get(f"Bearer {TOKEN}")

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        assert b"# TYPE " in response.content
        assert "no-store" in response["Cache-Control"]

    def test_the_scheme_is_read_whatever_its_case(self):
        assert self.get(f"bearer {TOKEN}").status_code == 200

    @pytest.mark.parametrize(
        "authorization",
        [
            None,
            "",
            "Bearer",
            "Bearer ",
            f"Bearer {TOKEN[:-1]}",
            f"Bearer {TOKEN}x",
            f"Basic {TOKEN}",
        ],
        ids=["none", "empty", "no token", "blank token", "shorter", "longer", "basic"],
    )
    def test_anyone_else_gets_404(self, authorization):
        assert self.get(authorization).status_code == 404

    def test_a_non_ascii_header_gets_404(self):
        assert self.get("Bearer tøken").status_code == 404

    def test_without_prometheus_enabled_even_the_token_gets_404(self, settings):
        settings.PROMETHEUS_ENABLED = False

        assert self.get(f"Bearer {TOKEN}").status_code == 404

    def test_post_is_refused(self):
        response = Client().post("/metrics/", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

        assert response.status_code == 405
