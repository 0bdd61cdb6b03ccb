# ICMC — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_USER ?= postgres
PG_TEST_DB ?= icmc_test
PG_URL := postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT)/$(PG_TEST_DB)
PYTEST_WORKERS ?= 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run serve test test-sqlite test-postgres test-processes browser-deps lint bench bench-quick drills clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## make run: install, migrate the embedded SQLite database, load demo data (first time), serve on :8000
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py runserver 127.0.0.1:8000

## Debian's Chromium for the real-browser tests (Playwright drives it; browsers are never downloaded)
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "WARNING: /usr/bin/chromium missing and not root: browser tests will be skipped"; fi; \
	fi

## make test: the whole suite on SQLite, then on PostgreSQL (a test database of its own, created and dropped)
test: install browser-deps test-sqlite test-postgres test-processes

test-sqlite: install
	ICMC_ENV=test $(PY) -m pytest -n $(PYTEST_WORKERS) -q

test-postgres: install
	ICMC_ENV=test DATABASE_URL=$(PG_URL) $(PY) -m pytest -n $(PYTEST_WORKERS) -q --create-db

## make test-processes: a field node (SQLite) and its upstream (PostgreSQL) as real servers, with network faults
test-processes: install
	ICMC_ENV=test $(PY) -m pytest -p no:xdist -q -m processes tests/fieldnode/test_processes.py

## make drills: kill -9 mid-write, connection termination, backup/restore, on SQLite and PostgreSQL (minutes)
drills: install
	ICMC_DRILLS=1 ICMC_DRILL_PG=postgres://$(PG_USER)@$(PG_HOST):$(PG_PORT) $(PY) -m pytest -q -p no:xdist -m drill tests/drills

lint: install
	$(VENV)/bin/ruff check icmc tests bench config
	$(VENV)/bin/mypy icmc config

## make bench: benchmarks at 1,000 / 10,000 / 100,000 cases (minutes); bench-quick: small sizes (CI)
bench: install
	$(PY) bench/run.py

bench-quick: install
	$(PY) bench/run.py --quick

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
