# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test fuzz lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Run the bot: on Discord when a token is configured, else play the demo on the sandbox.
run: $(STAMP)
	$(BIN)/gugbot run

## Play the seed's story against the local sandbox (no token, no network).
demo: $(STAMP)
	$(BIN)/gugbot demo

## Run the whole test suite (PostgreSQL tests too when GUGBOT_TEST_POSTGRES_URL is set).
test: $(STAMP)
	$(BIN)/pytest

## Hunt with generated input: at least 1,000 examples per command, autocomplete, button.
fuzz: $(STAMP)
	GUGBOT_FUZZ_PROFILE=long $(BIN)/pytest -p no:cacheprovider tests/fuzz

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.findgroup
	$(BIN)/python -m bench.rsvp_burst
	$(BIN)/python -m bench.reminders

clean:
	rm -rf $(VENV) *.egg-info
