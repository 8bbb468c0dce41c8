# The VRP portal: `make run` serves it with demo data; `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: install run test lint format demo-db bench screenshots

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo-db: install
	DEBUG=True $(PY) manage.py migrate --noinput
	DEBUG=True $(PY) manage.py load_tor
	DEBUG=True $(PY) manage.py seed_demo

# The demo turns the second-factor requirement off so its published logins work at once;
# with DEBUG off it is always on (core.checks refuses otherwise).
run: demo-db
	DEBUG=True REQUIRE_SECOND_FACTOR=False TASKS_BACKEND=immediate $(PY) manage.py runserver $(HOST)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/hadolint Dockerfile

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Key pages at 1x, 10x and 100x the demo data under gunicorn and the production settings,
# against a bare signed-in page and the admin's changelist (scripts/bench.py; PostgreSQL).
bench: install
	$(PY) scripts/bench.py $(BENCH_ARGS)

# Pictures of the key pages as each demo role sees them, into docs/screenshots/: a scratch
# demo database, Debian's Chromium, nothing else touched.
screenshots: install
	$(PY) scripts/screenshots.py
