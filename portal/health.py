"""Health checks for the container and the load balancer, and the Prometheus metrics.

`/healthz/` (liveness) says only that the process answers: it touches neither the
database nor Redis, so a database outage does not make an orchestrator restart every
app server at once. `/readyz/` (readiness) says whether this server can serve pages:
the database and, when the cache is Redis, Redis answer, and no migration is waiting.

Both answer anybody, over plain http too (SECURE_REDIRECT_EXEMPT: the container's
HEALTHCHECK calls them from inside the container), and give nothing away: a check is
named with one word for its state, never a host, a version or an error. What failed is
logged by name and exception class for the operator.

`/metrics/` exists only with PROMETHEUS_ENABLED and answers only a scraper that sends
`Authorization: Bearer <PROMETHEUS_METRICS_TOKEN>`; anyone else gets 404, so that the
address does not advertise itself.
"""

from __future__ import annotations

import hmac
import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# The words a check answers with: nothing more is said about what failed.
OK, SKIPPED, UNAVAILABLE = "ok", "skipped", "unavailable"
UNAPPLIED, UNKNOWN = "unapplied", "unknown"


def _plain(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 while the process answers requests; nothing else is looked at."""
    return _plain("ok\n")


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: the database is unavailable (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK


def redis_state() -> str:
    """A write and a read on the default cache, when it is Redis (REDIS_URL): sessions and
    sign-in throttles live there, so a server that cannot reach it cannot serve pages."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return SKIPPED
    probe = uuid.uuid4().hex
    try:
        cache.set("readyz", probe, timeout=10)
        answered = cache.get("readyz") == probe
    except Exception as error:  # redis-py's errors, whatever the cause: not ready.
        logger.warning("Readiness: Redis is unavailable (%s)", type(error).__name__)
        return UNAVAILABLE
    return OK if answered else UNAVAILABLE


def migrations_state() -> str:
    """ "unapplied" while the code expects a migration the database has not had.

    The loader reads the migration files once per process (they stay imported) and the
    django_migrations table once per call: a few milliseconds, so nothing is cached and a
    `migrate` run after start-up is seen at the next probe.
    """
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        logger.warning("Readiness: migrations could not be read (%s)", type(error).__name__)
        return UNKNOWN
    if plan:
        logger.warning("Readiness: %d migration(s) not applied", len(plan))
        return UNAPPLIED
    return OK


@login_not_required
@never_cache
@require_safe
def readyz(request):
    """200 "ready" when every check passes, else 503 "not ready"; one line per check."""
    database = database_state()
    states = {
        "database": database,
        "redis": redis_state(),
        # Without a database there is no list of applied migrations to compare.
        "migrations": migrations_state() if database == OK else UNKNOWN,
    }
    ready = all(state in (OK, SKIPPED) for state in states.values())
    lines = ["ready" if ready else "not ready"] + [f"{name}: {s}" for name, s in states.items()]
    return _plain("\n".join(lines) + "\n", status=200 if ready else 503)


def bearer_token_matches(request: HttpRequest, expected: str) -> bool:
    """Whether the request carries `Authorization: Bearer <expected>`, compared in
    constant time; an empty `expected` matches nothing."""
    scheme, _, supplied = request.headers.get("Authorization", "").partition(" ")
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(supplied.strip().encode(), expected.encode())
    )


@login_not_required
@never_cache
@require_safe
def metrics(request):
    """django-prometheus' metrics, for a scraper with the token; 404 for anyone else."""
    if not settings.PROMETHEUS_ENABLED or not bearer_token_matches(
        request, settings.PROMETHEUS_METRICS_TOKEN
    ):
        raise Http404
    # Imported here: without PROMETHEUS_ENABLED nothing of Prometheus is loaded.
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
