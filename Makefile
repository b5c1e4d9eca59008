# The two commands: `make run` (install, migrate, load the demo province, serve) and
# `make test` (every test). Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CCHC := $(BIN)/cchc
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= 1

.PHONY: run serve install install-dev migrate demo test test-postgres lint check-deploy production clean

run: install migrate demo serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(CCHC) migrate --noinput

demo: install
	$(CCHC) generate

# The web server and the background worker side by side; Ctrl-C stops both.
serve: install
	@echo "cchc: http://$(HOST):$(PORT)/  (demo users: see README, password: demo)"
	@$(CCHC) db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(CCHC) runserver $(HOST):$(PORT)

test: install-dev
	DEBUG=0 $(BIN)/pytest

test-postgres: install-dev
	DEBUG=0 DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .

# Production mode: gunicorn, static files collected and served by whitenoise.
production: install
	DEBUG=0 $(CCHC) collectstatic --noinput
	DEBUG=0 $(CCHC) migrate --noinput
	DEBUG=0 $(BIN)/gunicorn cchc.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2}

clean:
	rm -rf $(VENV) var build *.egg-info
