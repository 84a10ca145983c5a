# The two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
export PORTAL_CACHE_DIR ?= $(HOME)/.cache/portal-servers
# The test database: each run creates a database of its own beside this one and drops it after.
export TEST_DATABASE_URL ?= postgresql+psycopg://portal:portal@127.0.0.1:$(or $(PG_PORT),5432)/portal_test

# The department whose editors the realm's demo users `editor` and `reviewer` are (广东省人力资源和社会保障厅), and
# the write API's example system client (its service account, see README "Tokens for the write API").
DEMO_STAFF_DEPARTMENT ?= 440000-6bfa7941
SEED_OPTS ?= --demo-department $(DEMO_STAFF_DEPARTMENT)

.PHONY: run test stop setup lint translations i18n-update bench faults soak

## run: set up, start Keycloak + Elasticsearch, migrate and seed SQLite, index, serve on http://127.0.0.1:8000
## (by default the demo staff's department's 在线办理 goes to the demo department platform on :8001, registered
## as that department's; SEED_OPTS="--demo-platform all" points every matter there, SEED_OPTS= none)
run: setup
	scripts/services.sh start es kc
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed $(SEED_OPTS)
	$(FLASK) knowledge import
	$(FLASK) interaction import
	$(FLASK) open-data seed-resources
	$(FLASK) sso provision --staff-department $(DEMO_STAFF_DEPARTMENT)
	$(FLASK) search seed-synonyms
	$(FLASK) search seed-lexicon
	$(FLASK) search reindex
	exec scripts/run-portal.sh

## test: set up (with Debian's chromium), start the servers, run the whole suite on PostgreSQL, stop them
test: setup
	scripts/install-system-packages.sh chromium fonts-wqy-zenhei
	scripts/with-services.sh scripts/run-tests.sh

## bench: public pages and searches against hello-world with wrk, on SQLite and PostgreSQL, then
## /api/v1/search against Elasticsearch itself and suggestions as you type (p95 at 16 connections)
## (writes bench/results/pages-<database>.md and search-sqlite.md; BENCH_OPTS="--seconds 10 --rounds 3" to change)
bench: setup
	scripts/install-system-packages.sh wrk
	scripts/services.sh start es pg
	cd bench && ../$(BIN)/python pages.py --database both $(BENCH_OPTS)
	cd bench && ../$(BIN)/python search_wrk.py --database sqlite $(BENCH_OPTS)

## faults: fault injection under load (bench/faults.py): its own PostgreSQL, Elasticsearch (then a two-node
## cluster), Keycloak and portal on free loopback ports, never the shared servers; about 20 min
## (FAULTS_OPTS="--scenarios es,kc --fault-seconds 20" to choose)
faults: setup
	$(BIN)/python bench/faults.py $(FAULTS_OPTS)

## soak: 10 minutes of moderate load on its own servers, gunicorn worker RSS sampled (limit 300 MB)
soak: setup
	$(BIN)/python bench/soak.py $(SOAK_OPTS)

## stop: stop the servers the project started
stop:
	scripts/services.sh stop

setup: $(VENV)/.installed portal/static/vendor/htmx.min.js translations

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

portal/static/vendor/htmx.min.js: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p portal/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations >/dev/null

## i18n-update: extract new strings into the catalogue (then translate portal/translations/en/…/messages.po)
i18n-update: $(VENV)/.installed
	$(BIN)/pybabel extract --no-wrap -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o portal/translations/messages.pot .
	$(BIN)/pybabel update --no-wrap -i portal/translations/messages.pot -d portal/translations

lint: $(VENV)/.installed
	$(BIN)/ruff check .
