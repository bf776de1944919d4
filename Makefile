# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install bench axe

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py setup_roles
	DEBUG=1 $(BIN)/python manage.py loaddemo
	DEBUG=1 $(BIN)/python manage.py demo_admin
	@# The worker (background tasks) beside the server; leaving runserver (Ctrl-C) stops it too.
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install axe
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py check --fail-level WARNING
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=tests-only-not-secret $(BIN)/pytest $(PYTEST_ARGS)

# axe-core for the browser tests' accessibility checks and vnu-jar (the Nu Html Checker) for
# valid HTML, pinned by package-lock.json.
axe:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/axe-core/axe.min.js; \
	else echo "npm not found: accessibility tests will skip (apt-get install nodejs npm)"; fi

node_modules/axe-core/axe.min.js: package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The load benchmark (not a test): builds its data once, runs gunicorn + wrk, prints a table.
bench: install
	$(BIN)/python bench/load.py $(BENCH_ARGS)
