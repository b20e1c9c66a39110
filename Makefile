# OCOP Inspect. The two commands: `make run` and `make test` (each does its own set-up).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-backend test-frontend e2e e2e-slow lint client check-client spa venv node worker fuzz backup restore bench-data bench audit clean help

help:
	@echo "make run     - set up, migrate, seed the demo data, build the SPA, serve on http://$(HOST):$(PORT)"
	@echo "make test    - the whole test suite (SQLite; PostgreSQL when TEST_DATABASE_URL is set)"
	@echo "make e2e     - browser tests only (Debian chromium)"
	@echo "make e2e-slow - the browser tests with every page chunk delayed 1.2 s (a slow connection)"
	@echo "make lint    - ruff, mypy, TypeScript"
	@echo "make client  - regenerate the SPA's typed API client from the OpenAPI document"
	@echo "make fuzz    - schemathesis over every operation against a real server (EXAMPLES=n per operation)"
	@echo "make backup  - back up the database (DATABASE_URL; FILE=path, default var/backups/ocop-<time>.db|dump)"
	@echo "make restore FILE=path - replace the database's content with a backup's (stop the server first)"
	@echo "make audit  - bandit over the backend, pip-audit and npm audit (the last two need their advisory services)"
	@echo "make bench-data - generate the national-scale data set on PostgreSQL (BENCH_DATABASE_URL)"
	@echo "make bench  - load scenarios with locust against a real server; writes bench/RESULTS.md (BENCH_ARGS)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(STAMP)

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

node: $(NODE_STAMP)

# built again only when a source changed (the second `make test` of CI reuses the first one's build)
SPA_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html \
	frontend/vite.config.ts frontend/tsconfig.json frontend/tsconfig.app.json frontend/tsconfig.node.json
frontend/dist/index.html: $(NODE_STAMP) $(SPA_SOURCES)
	cd frontend && npm run build --silent
	touch $@

spa: frontend/dist/index.html

run: venv spa
	mkdir -p var
	$(BIN)/ocop db upgrade
	$(BIN)/ocop seed-demo
	@echo "OCOP Inspect: http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/docs)"
	OCOP_EMBEDDED_WORKER=1 $(BIN)/ocop serve --host $(HOST) --port $(PORT)

worker: venv
	$(BIN)/ocop worker

fuzz: venv
	bash scripts/fuzz.sh $(EXAMPLES)

backup: venv
	$(BIN)/ocop db backup $(FILE)

restore: venv
	@test -n "$(FILE)" || { echo "make restore FILE=path/to/backup"; exit 2; }
	$(BIN)/ocop db restore "$(FILE)" --yes

audit: venv node
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,audit]'
	bash scripts/audit.sh

BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/ocop_bench
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

bench-data: $(BENCH_STAMP)
	$(BIN)/python bench/data.py $(BENCH_DATABASE_URL)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

test: test-backend test-frontend e2e

# the suite in TEST_WORKERS processes (pytest-xdist; each its own database), then the few tests that must run alone
TEST_WORKERS ?= 2
test-backend: venv
	$(BIN)/bandit -q -c pyproject.toml -r backend
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not serial"
	$(BIN)/pytest -m serial

test-frontend: venv node check-client spa
	cd frontend && npm run test:unit --silent && npm run check:bundle --silent

e2e: venv spa
	bash scripts/e2e.sh

e2e-slow: venv spa
	E2E_SLOW_CHUNKS_MS=1200 bash scripts/e2e.sh

lint: venv node
	$(BIN)/ruff check backend tests alembic scripts bench examples
	$(BIN)/bandit -q -c pyproject.toml -r backend
	$(BIN)/mypy
	cd frontend && npm run lint --silent

client: venv node
	$(BIN)/python scripts/export_openapi.py frontend/openapi.json
	cd frontend && npm run gen:client --silent

# Fails when the committed OpenAPI document or the generated client is stale.
check-client: venv node
	$(BIN)/python scripts/export_openapi.py $(VENV)/openapi.json >/dev/null
	@diff -q $(VENV)/openapi.json frontend/openapi.json >/dev/null || { \
	  echo "frontend/openapi.json is stale: run 'make client' and commit the result"; exit 1; }
	cd frontend && npm run check:client --silent

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var
