# Waypoint. `make run` to try it with demo data; `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails and texts follow the address `make run` serves; a value in the environment wins.
WAYPOINT_BASE_URL ?= http://$(HOST):$(PORT)
export WAYPOINT_BASE_URL

.PHONY: setup run test check lint format bench clean lock

# Every package comes from the hash-checked locks in requirements/ (see requirements/README.md):
# tools.txt (pip, setuptools, uv), then lock.txt (runtime and dev), then Waypoint itself with no
# dependencies and no build isolation, so nothing is fetched that the locks do not name.
$(BIN)/activate: pyproject.toml requirements/tools.txt requirements/lock.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/tools.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(BIN)/activate

# Re-resolve the locks after editing pyproject.toml or requirements/tools.in. Pins still allowed
# are kept; `make lock LOCK_FLAGS='--upgrade-package django'` (or `--upgrade`) moves them on.
LOCK_FLAGS ?=
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	--custom-compile-command 'make lock' $(LOCK_FLAGS)
lock: $(BIN)/activate
	$(UV_COMPILE) requirements/tools.in -o requirements/tools.txt
	$(UV_COMPILE) pyproject.toml --extra dev -c requirements/tools.txt -o requirements/lock.txt
	$(BIN)/python scripts/check_lock.py

assets/build/.stamp: package.json package-lock.json scripts/build_assets.sh $(wildcard assets/src/*)
	scripts/build_assets.sh
	touch $@

setup: $(BIN)/activate assets/build/.stamp

run: setup
	@# PDFs (care plans, the resource pack) are drawn by WeasyPrint, which needs Pango.
	@[ "$$(id -u)" != 0 ] || dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; }
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) seed_demo
	@echo "Waypoint is at http://$(HOST):$(PORT); the worker (escalations, reminders, messages) runs beside it"
	$(MANAGE) run_worker & worker=$$!; trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(MANAGE) runserver $(HOST):$(PORT)

# The whole verdict: formatting, lint, types, import contracts, migrations, then every test
# (browser included) on SQLite and on a throwaway PostgreSQL.
test: lint
	scripts/test.sh

lint: setup
	$(BIN)/python scripts/check_lock.py
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run

check: lint
	$(BIN)/pytest -q -m "not browser"

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: setup
	scripts/bench.sh

clean:
	rm -rf $(VENV) node_modules assets/build var
