# The two commands: `make demo` runs the product, `make test` passes the tests. Both set everything up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := ingest/data/sample/ptce-sud-aquitain
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install chromium virtuoso wrk load lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium drives the browser tests (Playwright never downloads a browser here).
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

# Debian's Virtuoso receives `maillage push` in tests/test_push.py, which starts and stops it on loopback ports.
virtuoso:
	@command -v virtuoso-t >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin; }

# Debian's wrk drives the load benchmark (benchmarks/load/), checked at a tiny size by the tests.
wrk:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

# The API under load at 25,000 actors (about 10 minutes with the 5-minute memory run): benchmarks/README.md.
load: install wrk
	$(BIN)/python -m benchmarks.load --size 25000 --duration 30 --soak 300 --ask-all

demo: install
	$(BIN)/maillage import $(SAMPLE)
	$(BIN)/maillage serve --host 127.0.0.1 --port 8000

test: install chromium virtuoso wrk
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) maillage-data test-artifacts
