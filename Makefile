# joinedup: `make run` to try it, `make test` to prove it. Prerequisites: Python >= 3.12 and make.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
export PATH := $(BIN):$(CURDIR)/node_modules/.bin:$(PATH)

# The first interpreter that is Python 3.12 or newer (pyenv shims that cannot run are skipped).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)

ASSETS := var/build/static
SCSS := $(wildcard joinedup/web/assets/*.scss)
PEOPLE ?= 20000
SIZES ?= 10000,100000

.PHONY: help setup run test test-deep lint fmt bench demo-large lock clean

help:
	@echo "make run    start the demo partnership at http://127.0.0.1:8000"
	@echo "make test   lint, type checks and the whole test suite"
	@echo "make bench  benchmarks at scale (PostgreSQL when DATABASE_URL names one)"

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@test -n "$(PYTHON)" || { echo "joinedup needs Python 3.12 or newer, and none was found: install python3.12 and run make again."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS)/.built: node_modules/.installed $(SCSS)
	@mkdir -p $(ASSETS)/web $(ASSETS)/nhsuk
	sass --load-path=node_modules --no-source-map --style=compressed joinedup/web/assets/joinedup.scss $(ASSETS)/web/joinedup.css
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets $(ASSETS)/nhsuk/
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js $(ASSETS)/nhsuk/
	@touch $@

setup: $(VENV)/.installed $(ASSETS)/.built

# The local demo: debug on, and demo mode (the persona switcher, no MFA for demo accounts).
DEMO_ENV := DEBUG=true DEMO_MODE=true

run: setup
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) demo
	$(DEMO_ENV) $(MANAGE) demo_logins
	$(DEMO_ENV) $(MANAGE) schedule_daily
	@# The task worker (reminders, calendars, exports) runs beside the server and stops when it does.
	$(DEMO_ENV) $(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

lint: setup
	ruff check .
	ruff format --check .
	mypy
	djlint --lint joinedup
	lint-imports

fmt: setup
	ruff check --fix .
	ruff format .

# pytest exit code 5 means "no tests collected": not a failure of the suite.
define pytest
	pytest $(1) || [ $$? -eq 5 ]
endef

# With DATABASE_URL set, the SQLite and PostgreSQL runs go side by side (one core each); SQLite's
# report is printed after PostgreSQL's, and either failing fails the target. The browser journeys
# drive their own server on its own SQLite file whatever the suite's engine, so they run once, in
# the SQLite run.
test: lint
	$(MANAGE) collectstatic --noinput --verbosity 0
	@if [ -z "$$DATABASE_URL" ]; then \
		echo "== pytest on SQLite"; $(call pytest,$(PYTEST_ARGS)); \
	else \
		echo "== pytest on SQLite and on $${DATABASE_URL%%:*} at once"; \
		log=$$(mktemp); \
		( env -u DATABASE_URL $(call pytest,$(PYTEST_ARGS)) ) >$$log 2>&1 & sqlite=$$!; \
		echo "== pytest on $${DATABASE_URL%%:*} (the browser journeys are in the SQLite run)"; \
		other=0; $(call pytest,-m "not browser" $(PYTEST_ARGS)) || other=1; \
		lite=0; wait $$sqlite || lite=1; \
		echo "== pytest on SQLite"; cat $$log; rm -f $$log; \
		[ $$other -eq 0 ] && [ $$lite -eq 0 ]; \
	fi

test-deep: setup
	$(MANAGE) collectstatic --noinput --verbosity 0
	HYPOTHESIS_PROFILE=deep $(call pytest,-m property $(PYTEST_ARGS))

# Benchmarks at scale on PostgreSQL (one database per size, generated once and then reused):
# `make bench SIZES=10000,100000,1000000` adds the 1M partnership (about 15 minutes to generate).
bench: setup
	SIZES="$(SIZES)" BENCH_ARGS="$(BENCH_ARGS)" $(PY) -m joinedup.bench --sizes $(SIZES) $(BENCH_ARGS)

demo-large: setup
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) demo --people $(PEOPLE)

# Re-pin the Python dependencies after editing requirements/*.in.
lock: $(VENV)/.installed
	cd requirements && for f in base dev; do \
		$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links -o $$f.txt $$f.in; done

clean:
	rm -rf $(VENV) node_modules var/build var/static
