# fairrecruit: `make run` to try it, `make test` to check it. Nothing else is needed.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STANDARD := scoring/standards/fairrecruit-reference-1.0.yaml
# The PostgreSQL run uses DATABASE_URL when it names PostgreSQL, else the local server.
PG_URL := $(or $(filter postgres%,$(DATABASE_URL)),postgres://postgres@127.0.0.1:5432/postgres)
SUMMARY := .test-summary

.PHONY: help install run test lint format test-sqlite test-pg bench schema messages

help:
	@echo "make run          install, migrate, load the standard and demo data, serve on http://127.0.0.1:8000"
	@echo "make test         lint, then the test suite on SQLite and (when it answers) on PostgreSQL"
	@echo "make test-sqlite  the test suite on SQLite only"
	@echo "make test-pg      the test suite on PostgreSQL only ($(PG_URL))"
	@echo "make bench        benchmarks: scoring engine, documents, 300 MB uploads, API (figures only)"
	@echo "make format       format the code with ruff"
	@echo "make schema       write the OpenAPI schema to docs/openapi.yaml (a test compares them)"
	@echo "make messages     update the French catalogue from the code (needs xgettext) and compile it"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever the declared or pinned dependencies change.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: export DEBUG := true
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_standard $(STANDARD)
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	@rm -rf $(SUMMARY) && mkdir -p $(SUMMARY)
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory test-sqlite; \
	if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" '$(PG_URL)' 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-pg; \
	elif [ -n "$${REQUIRE_POSTGRES:-}" ]; then \
	  echo "PostgreSQL does not answer at $(PG_URL), and REQUIRE_POSTGRES is set" >&2; exit 1; \
	else \
	  echo "PostgreSQL: not reachable at $(PG_URL); suite not run there" > $(SUMMARY)/2-postgresql; \
	fi; \
	echo; echo "== make test: $$(( $$(date +%s) - start )) s of tests, one line per database =="; \
	cat $(SUMMARY)/*

test-sqlite: install
	env -u DATABASE_URL FAIRRECRUIT_TEST_SUMMARY=$(SUMMARY)/1-sqlite $(BIN)/pytest

test-pg: install
	DATABASE_URL='$(PG_URL)' FAIRRECRUIT_TEST_SUMMARY=$(SUMMARY)/2-postgresql $(BIN)/pytest

bench: install
	$(BIN)/python tests/benchmarks/bench_scoring.py
	$(BIN)/python tests/benchmarks/bench_documents.py
	$(BIN)/python tests/benchmarks/bench_uploads.py
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" '$(PG_URL)' 2>/dev/null; then \
	  $(BIN)/python tests/benchmarks/bench_api.py; \
	else echo "API benchmark skipped: PostgreSQL does not answer at $(PG_URL)"; fi

schema: install
	DEBUG=true $(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

# Extraction needs GNU gettext's xgettext (a developer's tool); compiling does not: the .mo
# files are committed and a test checks that they match their .po files.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l fr --no-location \
	  -i ".venv/*" -i "tests/*" -i "docs/*" -i "staticfiles/*" -i "build/*"
	DEBUG=true $(BIN)/python manage.py compile_translations
