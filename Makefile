# Regiekamer: every set-up step lives here, so a fresh machine needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo serve test bench system-deps clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## Debian packages the browser and report tests need (Chromium, poppler).
system-deps:
	@bash scripts/system-deps.sh

## Build the demo region (Zuid-Holland Zuid) in SQLite under var/ and serve it on http://127.0.0.1:8000
demo: venv
	$(BIN)/regiekamer demo

serve: venv
	$(BIN)/regiekamer serve

## Lint, the production security checks, the dependency audit and the whole test suite
## (SQLite by default; PostgreSQL when DATABASE_URL points to one)
test: venv system-deps
	$(BIN)/ruff check regiekamer tests
	PYTHON=$(BIN)/python bash scripts/check-deploy.sh
	$(BIN)/python scripts/audit-deps.py
	$(BIN)/python -m pytest

## The benchmark suite; prints ratios measured in one run
bench: venv
	$(BIN)/regiekamer bench

clean:
	rm -rf var/ .pytest_cache
