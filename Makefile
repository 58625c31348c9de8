# fairrecruit: `make run` to try it, `make test` to check it. Nothing else is needed.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The newest version of the reference catalogue (1.1 = 1.0 and the worker survey): loading it
# makes it the version new cases use; cases begun on 1.0 keep 1.0.
STANDARD := scoring/standards/fairrecruit-reference-1.1.yaml
# The PostgreSQL run uses DATABASE_URL when it names PostgreSQL, else the local server.
PG_URL := $(or $(filter postgres%,$(DATABASE_URL)),postgres://postgres@127.0.0.1:5432/postgres)
SUMMARY := .test-summary
PORT ?= 8000
RECEIVER_PORT ?= 9000

.PHONY: help install run manage webhook-receiver test lint format test-sqlite test-pg bench bench-scale fuzz schema docs messages

help:
	@echo "make install      create .venv and install the project with its pinned dependencies"
	@echo "make run          install, migrate, load the standard and demo data, serve on http://127.0.0.1:8000"
	@echo "                  with the webhook worker beside it (PORT=8001 for another port)"
	@echo "make manage CMD=\"...\"  a management command as make run runs them (DEBUG on, the venv)"
	@echo "make webhook-receiver  print the webhooks sent to http://127.0.0.1:9000/hook (SECRET=... checks them)"
	@echo "make lint         ruff check and ruff format --check"
	@echo "make test         lint, then the test suite on SQLite and (when it answers) on PostgreSQL"
	@echo "make test-sqlite  the test suite on SQLite only"
	@echo "make test-pg      the test suite on PostgreSQL only ($(PG_URL))"
	@echo "make bench        benchmarks: scoring engine, documents, credentials, link check, 300 MB uploads, API (figures only)"
	@echo "make bench-scale  the register at 100,000 agencies (BENCH_AGENCIES=...): PostgreSQL, Redis, gunicorn, wrk"
	@echo "make fuzz         schemathesis against a live server as five roles, stateful (about 6 minutes)"
	@echo "make format       format the code with ruff"
	@echo "make schema       write the OpenAPI schema to docs/openapi.yaml (a test compares them)"
	@echo "make docs         the schema, and the table of transitions in docs/workflow.md (a test compares it)"
	@echo "make messages     update the French catalogue from the code (needs xgettext) and compile it"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever the declared or pinned dependencies change.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The web server and, beside it, the worker that delivers webhooks and sends e-mails; Ctrl-C
# stops both. Webhooks may go to loopback (a receiver on this machine: make webhook-receiver).
run: export DEBUG := true
run: export WEBHOOK_ALLOW_LOOPBACK := true
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_standard $(STANDARD)
	$(BIN)/python manage.py seed_demo --base-url http://127.0.0.1:$(PORT)
	$(BIN)/python manage.py issue_credentials
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Webhook and e-mail worker running (pid $$worker)"; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Any management command, as `make run` runs them: `make manage CMD="score_answers FILE"`.
manage: export DEBUG := true
manage: install
	$(BIN)/python manage.py $(CMD)

# A local receiver that prints each delivery: `make webhook-receiver SECRET=…` checks signatures.
webhook-receiver: export DEBUG := true
webhook-receiver: install
	$(BIN)/python manage.py receive_webhooks --port $(RECEIVER_PORT) $(if $(SECRET),--secret '$(SECRET)')

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
	$(BIN)/python tests/benchmarks/bench_credentials.py
	$(BIN)/python tests/benchmarks/bench_link_check.py
	$(BIN)/python tests/benchmarks/bench_uploads.py
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" '$(PG_URL)' 2>/dev/null; then \
	  $(BIN)/python tests/benchmarks/bench_api.py; \
	else echo "API benchmark skipped: PostgreSQL does not answer at $(PG_URL)"; fi

# The register at scale (tests/benchmarks/bench_scale.py): seeds its own database once
# (about 7 minutes at 100,000 agencies), then about 5 minutes of measures. Needs wrk.
bench-scale: install
	$(BIN)/python tests/benchmarks/bench_scale.py

# Wide fuzzing of the API (tests/fuzzing/fuzz_api.py): FUZZ_EXAMPLES, FUZZ_SECONDS (a role),
# FUZZ_SEED; reports in test-artifacts/fuzz/. Fails on any server error or schema violation.
fuzz: install
	$(BIN)/python tests/fuzzing/fuzz_api.py

schema: install
	DEBUG=true $(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

# What docs are written from the code: the OpenAPI schema and the table of case transitions.
docs: schema
	DEBUG=true $(BIN)/python manage.py transitions_table

# Extraction needs GNU gettext's xgettext (a developer's tool); compiling does not: the .mo
# files are committed and a test checks that they match their .po files.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l fr --no-location \
	  -i ".venv/*" -i "tests/*" -i "docs/*" -i "staticfiles/*" -i "build/*"
	DEBUG=true $(BIN)/python manage.py compile_translations
