# Qashyq: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# Python >= 3.12: the first candidate that actually runs (a pyenv shim may exist and still fail).
PY_CANDIDATES := python3.13 python3.12 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
	$(wildcard /usr/local/bin/python3.13) $(wildcard /usr/bin/python3.13) $(wildcard /usr/local/bin/python3.12) \
	$(wildcard /usr/bin/python3.12) python3
find_python = $(firstword $(foreach p,$(PY_CANDIDATES),$(shell $(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(p))))

VENDOR := static/vendor
VENDOR_FILES := $(VENDOR)/.copied
PO_FILES := $(shell find locale -name '*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run setup test lint format messages totp serve-prod bench clean

$(VENV)/.installed: requirements/lock.txt
	@PY="$(call find_python)"; \
	if [ -z "$$PY" ]; then echo "Qashyq needs Python 3.12 or newer (python3.13 preferred); none was found." >&2; exit 1; fi; \
	echo "Using $$PY ($$($$PY --version))"; \
	[ -x $(BIN)/python ] || $$PY -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Bootstrap's minified files name their source maps, which collectstatic (manifest storage) needs.
$(VENDOR)/.copied: node_modules/.installed
	@mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
		node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
		$(VENDOR)/
	cp node_modules/@alpinejs/csp/dist/cdn.min.js $(VENDOR)/alpine-csp.min.js
	# scorm-again's minified files name their source maps, which collectstatic (manifest storage) needs.
	cp node_modules/scorm-again/dist/scorm12.min.js node_modules/scorm-again/dist/scorm12.min.js.map \
		node_modules/scorm-again/dist/scorm2004.min.js node_modules/scorm-again/dist/scorm2004.min.js.map $(VENDOR)/
	rm -rf $(VENDOR)/mathjax && cp -r node_modules/mathjax/es5 $(VENDOR)/mathjax
	@touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/python -c "import sys; from babel.messages import pofile, mofile; \
	catalog = pofile.read_po(open(sys.argv[1], 'rb')); mofile.write_mo(open(sys.argv[2], 'wb'), catalog)" $< $@

setup: $(VENV)/.installed $(VENDOR_FILES) $(MO_FILES)

run: setup
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) seed_demo --if-empty --url http://$(HOST):$(PORT)
	@echo "Serving http://$(HOST):$(PORT) (Ctrl-C stops)"
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --workers 1 --lifespan off --no-access-log

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy qashyq config
	QASHYQ_TESTING=1 $(MANAGE) makemigrations --check --dry-run -v 0

# Browser tests run on their own: Playwright keeps an event loop in its thread, and live_server
# needs DJANGO_ALLOW_ASYNC_UNSAFE, neither of which may leak into the other tests.
test: setup lint
	QASHYQ_TESTING=1 $(BIN)/pytest -n 2 qashyq $(PYTEST_ARGS)
	QASHYQ_TESTING=1 $(BIN)/pytest -n 2 tests/e2e $(PYTEST_ARGS)

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract the project's strings into locale/{kk,ru}/LC_MESSAGES/django.po (needs gettext).
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l kk -l ru --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'locale/*' --ignore '*/tests/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'benchmarks/*'

totp: $(VENV)/.installed
	@$(MANAGE) demo_totp $(USER)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var

# --- Production set-up on loopback and the load benchmark (docs/benchmarks.md) -------------------

BENCH_VENV := benchmarks/.venv
BENCH_RESULTS := benchmarks/results
BENCH_HOST ?= http://127.0.0.1:8001
BENCH_USERS ?= 50
BENCH_SPAWN_RATE ?= 10
BENCH_TIME ?= 60s

.PHONY: serve-prod-stop bench-measure

# gunicorn (127.0.0.1:8001), uvicorn for /ws/ (127.0.0.1:8002) and a Celery worker, with
# QASHYQ_ENV=production against PostgreSQL (qashyq_bench) and Redis. Ctrl-C stops all three.
serve-prod: setup
	benchmarks/serve_prod.sh

serve-prod-stop:
	@if [ -s var/run/serve-prod.pid ] && kill -0 $$(cat var/run/serve-prod.pid) 2>/dev/null; then \
		kill -TERM $$(cat var/run/serve-prod.pid); \
		while kill -0 $$(cat var/run/serve-prod.pid 2>/dev/null) 2>/dev/null; do sleep 0.2; done; \
		echo "serve-prod stopped."; \
	else \
		echo "serve-prod is not running."; \
	fi

$(BENCH_VENV)/.installed: benchmarks/requirements.txt
	@PY="$(call find_python)"; \
	if [ -z "$$PY" ]; then echo "The benchmark needs Python 3.12 or newer; none was found." >&2; exit 1; fi; \
	[ -x $(BENCH_VENV)/bin/python ] || $$PY -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt
	@touch $@

# Needs `make serve-prod` running. Writes $(BENCH_RESULTS)/dashboard_{stats,failures,...}.csv, an
# HTML report and requests.csv (every request), then summarizes the whole run and the steady phase.
bench: $(BENCH_VENV)/.installed
	@mkdir -p $(BENCH_RESULTS)
	$(BENCH_VENV)/bin/locust -f benchmarks/locustfile.py --headless --host $(BENCH_HOST) \
		--users $(BENCH_USERS) --spawn-rate $(BENCH_SPAWN_RATE) --run-time $(BENCH_TIME) --stop-timeout 5 \
		--csv $(BENCH_RESULTS)/dashboard --html $(BENCH_RESULTS)/dashboard.html --only-summary
	$(BENCH_VENV)/bin/python benchmarks/summarize.py $(BENCH_RESULTS)/requests.csv

# After `make bench`, with serve-prod still running: RSS of the gunicorn workers and the SQL queries
# of one dashboard request.
bench-measure: $(VENV)/.installed
	source benchmarks/prod_env.sh && $(BIN)/python benchmarks/measure.py

# --- Issue 3: the student body with 100,000 students and 300,000 orders (docs/benchmarks.md) -------

RECORDS_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/qashyq_records_bench
RECORDS_BENCH_ARGS ?=

.PHONY: bench-records

# Creates the database if needed, migrates, seeds the demo and generates the contingent once (a few
# minutes), then measures the student list and card, a 5,000-student XLSX import and one order PDF.
bench-records: setup
	DATABASE_URL=$(RECORDS_BENCH_URL) $(BIN)/python benchmarks/records.py --prepare $(RECORDS_BENCH_ARGS)
