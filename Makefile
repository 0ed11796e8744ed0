# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core (MPL-2.0) for the browser test's accessibility check, from npm into a git-ignored folder.
AXE := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: run demo test fuzz lint bench web messages clean
# Machines that set PYTHONDONTWRITEBYTECODE would compile the whole project again in every
# process the tests and benchmarks start; compile it once instead.
COMPILE := $(BIN)/python -m compileall -q bot cogs core db web sandbox bench tests > /dev/null

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

$(AXE):
	npm install --silent --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4

## Run the whole test suite (PostgreSQL tests too when GUGBOT_TEST_POSTGRES_URL is set).
# One worker per core, byte-compiled first (see COMPILE).
test: $(STAMP) $(AXE)
	$(COMPILE)
	$(BIN)/pytest -n auto

## Hunt with generated input: at least 1,000 examples per command, autocomplete, button.
# One shard per core, each with its own bot and sandbox; each shard's log ends with its counts.
FUZZ_SHARDS ?= $(shell nproc)
fuzz: $(STAMP)
	mkdir -p .cache/fuzz
	# Each shard's pid is kept: a non-interactive sh's `jobs -p` lists none to wait for.
	pids=""; for shard in $$(seq 0 $$(($(FUZZ_SHARDS) - 1))); do \
		GUGBOT_FUZZ_PROFILE=long GUGBOT_FUZZ_SHARD=$$shard/$(FUZZ_SHARDS) $(BIN)/pytest -q \
			-p no:cacheprovider -p no:xdist tests/fuzz > .cache/fuzz/shard-$$shard.log 2>&1 & \
		pids="$$pids $$!"; \
	done; status=0; for pid in $$pids; do wait $$pid || status=1; done; \
	cat .cache/fuzz/shard-*.log; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## Benchmarks: each prints JSON with its goals, measured ratios and whether each is met.
bench: $(STAMP)
	$(COMPILE)
	$(BIN)/python -m bench.footprint
	$(BIN)/python -m bench.rsvp_burst
	$(BIN)/python -m bench.findgroup
	$(BIN)/python -m bench.reminders
	$(BIN)/python -m bench.web

## Serve the web directory alone from the database (see [web] in config.example.toml).
web: $(STAMP)
	$(BIN)/gugbot web

## Extract marked strings into core/locales/messages.pot and merge them into every .po.
messages: $(STAMP)
	$(BIN)/pybabel extract --mapping-file pyproject.toml --no-wrap --sort-by-file \
		--project gugbot --add-comments TRANSLATORS: \
		--output-file core/locales/messages.pot $(wildcard bot cogs core db web)
	$(BIN)/pybabel update --input-file core/locales/messages.pot --output-dir core/locales \
		--no-wrap --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) *.egg-info
