# Task Force — developer and CI entry points. `make help` lists the targets.
#
# Python packages come from pyproject.toml ([project].dependencies and the "test" extra),
# pinned by constraints.txt; front-end packages come from package.json / package-lock.json.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The Makefile is the developer's tool: DEBUG is on for what it runs unless the environment
# says otherwise (production turns it off, and then the app wants real keys and mail).
export DJANGO_DEBUG ?= 1

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
INSTALL_STAMP := $(VENV)/.installed
DKFDS_DIST := node_modules/dkfds/dist
VENDOR := static/vendor/dkfds
STATIC_STAMP := $(VENDOR)/.installed
STATIC_MANIFEST := staticfiles/staticfiles.json
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k progress -x"
PYTEST_ARGS ?=

.PHONY: help venv install static chromium run migrate seed test test-fast bench bench-tests load screenshots lighthouse lint \
        messages collectstatic constraints clean distclean prod prod-environment

help:
	@echo "make run          install everything, migrate, load demo data, serve on 127.0.0.1:\$${PORT:-8000}"
	@echo "make prod         production on this machine: gunicorn, Celery worker and beat (Procfile) on DATABASE_URL and REDIS_URL"
	@echo "make test         install what the tests need and run the whole suite (browser tests included)"
	@echo "make test-fast    the suite without the browser tests"
	@echo "make bench        the benchmark at 10k, 100k and 1M citizens (PostgreSQL): bench/results.md"
	@echo "make load         a load test with Locust (50 users) against gunicorn"
	@echo "make lighthouse   Lighthouse on each role's start page (goals: performance 95, accessibility and best practices 100, layout shift < 0.1)"
	@echo "make screenshots  a full-page PNG of every page each demo user reaches (desktop and mobile) in screenshots/index.html"
	@echo "make install      create .venv and install the Python packages (pinned by constraints.txt)"
	@echo "make static       npm ci and copy DKFDS into $(VENDOR)"
	@echo "make chromium     install Debian's Chromium for the browser tests if missing (root)"
	@echo "make lint         Django system checks and a check for missing migrations"
	@echo "make messages     recompile locale/*.mo (needs gettext's msgfmt)"
	@echo "make constraints  re-pin constraints.txt from a fresh install of pyproject.toml"
	@echo "make clean        remove build artefacts; make distclean also removes .venv and db.sqlite3"

# --- Python -----------------------------------------------------------------------------

venv: $(PY)

$(PY):
	$(PYTHON) -m venv $(VENV)

install: $(INSTALL_STAMP)

# Re-runs only when pyproject.toml or constraints.txt change (or .venv is new).
$(INSTALL_STAMP): pyproject.toml constraints.txt | $(PY)
	PYTHON=$(PY) sh scripts/requirements-from-pyproject test > $(VENV)/requirements.txt
	$(PIP) install --quiet -c constraints.txt -r $(VENV)/requirements.txt
	touch $@

# Re-pin every Python package: a fresh, unconstrained install of what pyproject.toml asks
# for, frozen. Run after changing dependencies in pyproject.toml, then commit the result.
constraints:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	PYTHON="$$tmp/venv/bin/python" sh scripts/requirements-from-pyproject test load > "$$tmp/req.txt" && \
	"$$tmp/venv/bin/python" -m pip install --quiet -r "$$tmp/req.txt" && \
	"$$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -v ' @ ' > constraints.txt
	@echo "constraints.txt: $$(wc -l < constraints.txt) packages pinned"

# --- Front end --------------------------------------------------------------------------

static: $(STATIC_STAMP)

# The Danish design system (DKFDS) from npm, copied into static/ (git-ignored).
$(STATIC_STAMP): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
	else npm install --no-audit --no-fund; fi
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)
	mkdir -p $(VENDOR)/css $(VENDOR)/js
	cp $(DKFDS_DIST)/css/dkfds.min.css $(DKFDS_DIST)/css/dkfds.min.css.map $(VENDOR)/css/
	cp $(DKFDS_DIST)/js/dkfds.min.js $(DKFDS_DIST)/js/dkfds.min.js.map $(VENDOR)/js/
	cp -R $(DKFDS_DIST)/fonts $(DKFDS_DIST)/img $(VENDOR)/
	cp $(DKFDS_DIST)/LICENSE.md $(VENDOR)/
	test -f $(VENDOR)/css/dkfds.min.css && test -f $(VENDOR)/js/dkfds.min.js
	touch $@

# --- Browser for the Playwright tests ---------------------------------------------------

chromium:
	@sh scripts/ensure-chromium

# --- Running ----------------------------------------------------------------------------

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# SQLite and in-process tasks by default; DATABASE_URL / REDIS_URL in the environment are used as they are.
# Static files are collected first: make run serves the fingerprinted, compressed files
# production serves (core/staticfiles.py), so what you measure here is what users get.
run: install static seed $(STATIC_MANIFEST)
	exec $(PY) manage.py runserver 127.0.0.1:$${PORT:-8000}

# Production on this machine, without Docker: migrate, collect the static files, then run the
# Procfile (gunicorn on $PORT, a Celery worker, beat) with honcho until Ctrl-C. DEBUG is off,
# so the settings want real keys and a mail server (README.md, "make prod"); DATABASE_URL and
# REDIS_URL must name PostgreSQL and Redis. Settings come from the environment only (honcho is
# given no .env file), so the migrations and the three processes see the same ones.
prod: export DJANGO_DEBUG = 0
prod: prod-environment install static
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	exec env PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start --procfile Procfile --env /dev/null --port $${PORT:-8000}

prod-environment:
	@case "$${DATABASE_URL:-}" in \
	  postgres://*|postgresql://*) ;; \
	  "") echo "make prod: set DATABASE_URL to the PostgreSQL database, e.g. postgres://taskforce:PASSWORD@127.0.0.1:5432/taskforce" >&2; exit 1 ;; \
	  *) echo "make prod: DATABASE_URL must name a PostgreSQL database (postgres://…)" >&2; exit 1 ;; \
	esac
	@test -n "$${REDIS_URL:-}" || { echo "make prod: set REDIS_URL to the Redis database for Celery and the cache, e.g. redis://127.0.0.1:6379/0" >&2; exit 1; }
	@# Behind PgBouncer (transaction pooling; Debian's pgbouncer configured like deploy/pgbouncer/pgbouncer.ini):
	@# DATABASE_URL names PgBouncer and DATABASE_POOLER=pgbouncer, so the settings drop what the pool cannot carry.
	@case "$${DATABASE_POOLER:-}" in \
	  pgbouncer) ;; \
	  "") case "$$DATABASE_URL" in *:6432/*) echo "make prod: DATABASE_URL names port 6432 (PgBouncer's): set DATABASE_POOLER=pgbouncer too" >&2; exit 1 ;; esac ;; \
	  *) echo "make prod: DATABASE_POOLER must be empty or pgbouncer" >&2; exit 1 ;; \
	esac

collectstatic: install static
	$(PY) manage.py collectstatic --noinput

# Collected again only when a static file, DKFDS or the Python packages (the admin's files)
# change: compressing them all takes half a minute.
$(STATIC_MANIFEST): $(INSTALL_STAMP) $(STATIC_STAMP) $(shell find static -path static/vendor -prune -o -type f -print 2>/dev/null)
	$(PY) manage.py collectstatic --noinput
	touch $@

messages: install
	$(PY) manage.py compilemessages

# --- Checks -----------------------------------------------------------------------------

# Benchmarks run only with `make bench`.
test: install static chromium
	$(PY) -m pytest -m "not bench" $(PYTEST_ARGS)

test-fast: install static
	$(PY) -m pytest -m "not bench and not browser" $(PYTEST_ARGS)

# The benchmark at national scale (bench/): PostgreSQL from DATABASE_URL; BENCH_SIZES (default
# "10000 100000 1000000"), BENCH_RUNS, BENCH_IMPORT_ROWS, BENCH_OUT (default bench/) as in bench/run.py.
bench: install static
	$(PY) -m bench

# The harness's own tests and the slow import memory test (pytest -m bench).
bench-tests: install static
	$(PY) -m pytest -m bench $(PYTEST_ARGS)

# A load test: Locust, 50 users, against gunicorn on the benchmark's database (bench/load.py;
# LOAD_USERS, LOAD_RUN_TIME, LOAD_WORKERS).
load: install static
	PYTHON=$(PY) sh scripts/requirements-from-pyproject load | $(PIP) install --quiet -c constraints.txt -r /dev/stdin
	$(PY) -m bench.load

# Every page each demo user reaches, at desktop and mobile width, in screenshots/ (git-ignored):
# its own SQLite database and server, so it leaves db.sqlite3 alone. Look at them.
screenshots: install static chromium
	$(PY) scripts/screenshots.py $(SCREENSHOTS_ARGS)

# Lighthouse from npm, kept in tools/lighthouse so `make static` stays small.
LIGHTHOUSE_STAMP := tools/lighthouse/node_modules/.installed
$(LIGHTHOUSE_STAMP): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund
	touch $@

lighthouse: install static chromium $(LIGHTHOUSE_STAMP)
	$(PY) scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

lint: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# --- Cleaning ---------------------------------------------------------------------------

clean:
	rm -rf node_modules tools/lighthouse/node_modules static/vendor staticfiles screenshots .pytest_cache test-results *.egg-info
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) db.sqlite3
