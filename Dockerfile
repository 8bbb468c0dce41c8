# The VRP portal's image: one image for the web servers (gunicorn), the worker
# (`manage.py db_worker`), the scheduler (`manage.py run_scheduler`) and the one-shot
# `migrate`; compose.yaml runs it. See README, "Deploy".
#
# Two stages on the same base, so the venv built in the first runs unchanged in the
# second: the build stage installs the dependencies, and nothing else, into /opt/venv;
# the final stage holds that venv, the portal's code and its collected static files.
# No system package is installed: every dependency ships a wheel with what it needs.

FROM python:3.11.14-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
# pyproject.toml installs no package of its own ([tool.setuptools] packages = []), so
# `pip install .` installs the dependencies only. README.md is its `readme`, needed to
# build it. Only these two files are copied, so a change to the code alone reuses the
# installed dependencies from the build cache.
COPY pyproject.toml README.md ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir .


FROM python:3.11.14-slim-bookworm

ENV PATH="/opt/venv/bin:$PATH" \
    VIRTUAL_ENV=/opt/venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# The portal runs as `vrp`, a system user with no home and no login shell; USER names it
# by number (10001), so that a host or Kubernetes can tell it is not root without reading
# the image's /etc/passwd. The code, the venv and the static files stay owned by root:
# the running portal can read them, not change them.
RUN groupadd --system --gid 10001 vrp \
    && useradd --system --no-log-init --uid 10001 --gid vrp \
       --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vrp

COPY --from=build /opt/venv /opt/venv

WORKDIR /app
COPY . .

# Static files are collected once, into the image (STATIC_ROOT, /app/staticfiles), with
# the production storage: whitenoise's compressed files with hashed names, and their
# manifest. DEBUG off needs a SECRET_KEY to start; this one exists only for this command
# and is not kept in the image. The real one comes from the deployment's .env.
RUN SECRET_KEY=collectstatic-only DEBUG=False python manage.py collectstatic --noinput -v 0

USER 10001:10001
EXPOSE 8000

# Liveness: /healthz/ on the local gunicorn (deploy/healthcheck.py: Python's urllib, as
# the slim image has no curl). The worker and the scheduler serve nothing: compose.yaml
# turns this check off for them.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "vrp_portal.wsgi"]
