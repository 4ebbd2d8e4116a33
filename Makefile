# Clearinghouse: the two set-up commands are `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app clearinghouse
PORT ?= 5000
STATIC := clearinghouse/static/govuk

.PHONY: run test test-postgres lint format bench install install-test assets clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed assets

install-test: install

node_modules/.installed: package.json
	npm install --no-audit --no-fund --ignore-scripts
	touch $@

$(STATIC)/app.css: node_modules/.installed $(wildcard clearinghouse/static/scss/*.scss)
	mkdir -p $(STATIC)
	rm -rf $(STATIC)/assets
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/assets
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC)/
	node_modules/.bin/sass --quiet --no-source-map --style=compressed --load-path=. \
		clearinghouse/static/scss/app.scss $(STATIC)/app.css

assets: $(STATIC)/app.css

run: install
	CLEARINGHOUSE_ENV=$${CLEARINGHOUSE_ENV:-development} $(FLASK) init-db
	CLEARINGHOUSE_ENV=$${CLEARINGHOUSE_ENV:-development} $(FLASK) seed-demo --if-empty
	@echo "Serving Clearinghouse on http://127.0.0.1:$(PORT)  (stop with Ctrl+C)"
	CLEARINGHOUSE_ENV=$${CLEARINGHOUSE_ENV:-development} $(VENV)/bin/gunicorn --workers 2 --threads 8 \
		--bind 127.0.0.1:$(PORT) --timeout 60 'clearinghouse:create_app()'

lint: install
	$(VENV)/bin/ruff check clearinghouse tests benchmarks
	$(VENV)/bin/ruff format --check clearinghouse tests benchmarks
	$(VENV)/bin/lint-imports --no-cache

format: install
	$(VENV)/bin/ruff format clearinghouse tests benchmarks
	$(VENV)/bin/ruff check --fix clearinghouse tests benchmarks

test: install lint
	@if [ -x /usr/bin/chromium ]; then echo "Chromium found: browser tests will run."; \
	else echo "Chromium is not installed (/usr/bin/chromium): browser tests will be SKIPPED. Install Debian's chromium package to run them."; fi
	$(VENV)/bin/pytest

# The suite but the browser tests on PostgreSQL: a throw-away cluster the tests start themselves
# (tests/pg_cluster.py) with Debian's postgresql server programs; it fails if it cannot start.
test-postgres: install
	CLEARINGHOUSE_TEST_DATABASE=postgres CLEARINGHOUSE_REQUIRE_POSTGRES=1 \
		$(VENV)/bin/pytest --ignore=tests/e2e

bench: install
	@for script in benchmarks/*_bench.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules $(STATIC)
