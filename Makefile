# Trust Tracker. `make run` for the app with demo data, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app tracker
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help install assets migrate demo run test bench load audit lint format services clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

tracker/static/app.css: node_modules/.installed frontend/*
	npm run --silent build

install: $(BIN)/.installed node_modules/.installed ## Install Python and npm packages into .venv and node_modules

assets: tracker/static/app.css ## Build the GOV.UK Frontend styles and scripts

migrate: install ## Bring the database schema up to date
	$(FLASK) db upgrade

demo: migrate ## Load the demo board and plan (safe to run again)
	$(FLASK) demo load

run: install assets demo ## Install, migrate, load demo data, serve on http://127.0.0.1:5000 and run the scheduler
	@echo "Web app on http://$(HOST):$(PORT) and the scheduler beside it; Ctrl-C stops both."
	@$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

services: ## Start PostgreSQL and install Chromium for the tests where this machine can
	@./scripts/test-services

test: install assets services ## Run the whole test suite (SQLite, and PostgreSQL when it answers)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install ## Measure pages, jobs (1,000 and 10,000 actions), outbox, import, export, replies by e-mail, backup and the public pages' cache (prints figures, writes bench/results/)
	$(BIN)/python -m bench.pages --sizes 1000 10000
	$(BIN)/python -m bench.jobs --sizes 1000 10000
	$(BIN)/python -m bench.outbox
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.refusals
	$(BIN)/python -m bench.inbound
	$(BIN)/python -m bench.exports
	$(BIN)/python -m bench.backup
	$(BIN)/python -m bench.public

$(BIN)/.audit-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[audit]'
	touch $@

audit: $(BIN)/.audit-installed ## bandit on our code, pip-audit on every installed package (needs PyPI)
	$(BIN)/bandit -q -r tracker jobs config
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

$(BIN)/.load-installed: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[load]'
	touch $@

load: $(BIN)/.load-installed ## Locust: 50 users for 60 s on gunicorn (4 workers) and PostgreSQL; fails on an error or a lost update
	$(BIN)/python -m load.run --users 50 --seconds 60 --workers 4

lint: install ## Check style with ruff
	$(BIN)/ruff check tracker jobs config tests bench load
	$(BIN)/ruff format --check tracker jobs config tests bench load

format: install ## Reformat with ruff
	$(BIN)/ruff check --fix tracker jobs config tests bench load
	$(BIN)/ruff format tracker jobs config tests bench load

clean: ## Remove installed packages and built assets (keeps instance/)
	rm -rf $(VENV) node_modules tracker/static
