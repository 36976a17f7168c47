# Two commands for a newcomer: `make run` (the whole system with demo data) and
# `make test` (the whole suite). Everything installs into .venv and node_modules.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_JS := node_modules/.installed

.PHONY: run test test-dates fuzz install lint format check clean-venv load

run: install
	$(BIN)/python scripts/run_demo.py

test: install
	$(BIN)/python scripts/run_tests.py $(ARGS)

# The suite runs on a fixed day (tests/clock.py); this runs it on three far-apart days
# one after another, which proves that no test depends on the calendar.
TEST_DAYS := 2026-12-31 2027-09-15 2031-02-28

test-dates: install
	for d in $(TEST_DAYS); do \
		echo "== QI_TEST_TODAY=$$d"; \
		QI_TEST_TODAY=$$d $(BIN)/python scripts/run_tests.py $(ARGS) || exit 1; \
	done

# The long API fuzz run: schemathesis as every persona, EXAMPLES cases per operation
# and persona (CI runs a few in `make test`); prints requests and failures per persona.
EXAMPLES ?= 100

fuzz: install
	$(BIN)/python scripts/api_fuzz.py --examples $(EXAMPLES) $(ARGS)

install: $(STAMP_PY) $(STAMP_JS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Pinned by constraints.txt (the lock file); re-run when either file changes.
$(STAMP_PY): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

# Front-end packages (USWDS, htmx, Swagger UI; axe-core for the accessibility test)
# from the npm registry, never committed.
$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# ruff, formatting, migrations, the apps' layers (import-linter, contracts in
# pyproject.toml) and dead code (vulture through scripts/deadcode.py).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/python scripts/deadcode.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py check --deploy

# The load test (benchmarks/load/run_load.py): a fresh database qi_load, gunicorn and
# 100 locust users for 2.5 minutes; locust comes from the optional "bench" group.
load: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	$(BIN)/python benchmarks/load/run_load.py $(ARGS)

clean-venv:
	rm -rf $(VENV) node_modules
