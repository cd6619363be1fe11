# Two commands for a new user: `make run` and `make test`. Everything else is for developers.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed
# axe-core for the accessibility tests (npm, from package-lock.json); without npm those tests skip
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
APPS := core townships notifications inspections projects cleaners intake acceptance standings

.PHONY: run test stop install migrate lint messages compilemessages check-messages bench clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PY))"; exit 1; }
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(PYTHON) manage.py migrate --noinput

## make run: venv, install, migrate, load Lishui data and demo users, run the overdue scan once and
## serve with eager tasks, on DATABASE_URL or else the project's own PostgreSQL in var/postgres
run: migrate
	$(PYTHON) manage.py load_lishui
	$(PYTHON) manage.py seed_demo
	$(PYTHON) manage.py seed_inspections_demo
	$(PYTHON) manage.py seed_projects_demo
	$(PYTHON) manage.py seed_acceptance_demo
	$(PYTHON) manage.py seed_intake_demo
	$(PYTHON) manage.py scan_overdue >/dev/null
	$(PYTHON) manage.py refresh_standings
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite, on DATABASE_URL or else the embedded PostgreSQL (and an embedded
## Redis for the broker tests unless TEST_REDIS_URL/REDIS_URL is set)
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility tests (axe-core) will skip"; fi

test: $(STAMP) $(NODE_STAMP)
	$(PYTHON) -m pytest $(PYTEST_ARGS)

## make stop: stop the embedded PostgreSQL (it keeps running between commands otherwise)
stop:
	@test ! -x $(PYTHON) || $(PYTHON) -m renovation.embedded_postgres stop

lint: $(STAMP)
	$(BIN)/ruff check .

## make messages APP=inspections: refresh one app's catalogue (APP=locale for templates/ and renovation/)
messages: $(STAMP)
ifeq ($(APP),locale)
	$(PYTHON) manage.py makemessages -l zh_Hans $(foreach a,$(APPS),-i "$(a)/*") -i ".venv/*" -i "tests/*" -i "var/*" -i "bench/*"
else ifneq ($(APP),)
	cd $(APP) && ../$(PYTHON) ../manage.py makemessages -l zh_Hans
else
	@for a in $(APPS); do $(MAKE) --no-print-directory messages APP=$$a || exit 1; done
	@$(MAKE) --no-print-directory messages APP=locale
endif

compilemessages: $(STAMP)
	$(PYTHON) scripts/i18n.py compile

check-messages: $(STAMP)
	$(PYTHON) scripts/i18n.py check

bench: $(STAMP)
	$(MAKE) -C bench run

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
