# Two commands for a newcomer: `make run` and `make test`. Everything else installs itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := web/node_modules/.installed

.PHONY: run test lint lock reliability clean bench

# Python packages at the versions in .ci/constraints.txt (the server subclasses uvicorn's
# websocket protocol, an internal API: a newer uvicorn must first pass the tests).
CONSTRAINTS := .ci/constraints.txt
PINNED := -c $(CONSTRAINTS)
$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(PINNED) -e . --group test
	touch $@

# After changing a range in pyproject.toml: take the newest versions it allows, run the tests.
lock:
	rm -rf $(VENV)
	$(MAKE) $(STAMP) PINNED=
	{ sed -n '1,2p' $(CONSTRAINTS); $(BIN)/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	touch $(STAMP)

# The browser tests drive Debian's Chromium, with a colour emoji font (without one, an emoji
# in a goal or a heading is an empty box in every screenshot) and pdftotext (the print test
# reads the printed plan's pages). As root (a fresh machine, CI) they are installed here;
# otherwise one sentence says what to install.
CHROMIUM := /usr/bin/chromium
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
PDFTOTEXT := /usr/bin/pdftotext
BROWSER_PACKAGES := chromium fonts-noto-color-emoji poppler-utils
BROWSER_TOOLS := $(CHROMIUM) $(EMOJI_FONT) $(PDFTOTEXT)
$(BROWSER_TOOLS):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $(BROWSER_PACKAGES) for the browser tests (apt-get)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	else \
		echo "The browser tests need $(BROWSER_PACKAGES): run 'sudo apt-get install $(BROWSER_PACKAGES)', then 'make test' again." >&2; \
		exit 1; \
	fi

# The multi-process tests put Debian's HAProxy in front of the processes
# (server/cluster/haproxy.cfg): installed here as root, like Chromium.
HAPROXY := /usr/sbin/haproxy
$(HAPROXY):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing HAProxy for the multi-process tests (apt-get)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	else \
		echo "The multi-process tests need HAProxy at $(HAPROXY): run 'sudo apt-get install haproxy', then 'make test' again." >&2; \
		exit 1; \
	fi

# The plan PDF sets its text in DejaVu Sans (letters of every name at the table); without it
# the PDF falls back to Western European letters only, and the tests say so.
PDF_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
$(PDF_FONT):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing DejaVu fonts for the plan PDF (apt-get)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	else \
		echo "The plan PDF needs $(PDF_FONT): run 'sudo apt-get install fonts-dejavu-core', then 'make test' again." >&2; \
		exit 1; \
	fi

$(NODE_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(STAMP) web/dist/meeting.js
	RONDETAFEL_DEMO=1 $(BIN)/rondetafel demo
	RONDETAFEL_DEMO=1 $(BIN)/rondetafel serve

lint: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check server tests migrations
	$(BIN)/ruff format --check server tests migrations
	$(BIN)/mypy
	cd web && npm run --silent lint

test: $(STAMP) web/dist/meeting.js $(BROWSER_TOOLS) $(HAPROXY) $(PDF_FONT) lint
	RUST_BACKTRACE=0 $(BIN)/pytest -q

# The ten reliability tests of issue 6: the long runs, plus the ones whose short form is
# already the whole test (eviction race, floods, disk trouble, backup and restore).
RELIABILITY_TOO := tests/live/test_eviction_race.py tests/live/test_floods.py tests/storage/test_disk_trouble.py \
	tests/storage/test_backup.py
reliability: $(STAMP) web/dist/meeting.js $(BROWSER_TOOLS) $(HAPROXY)
	RUST_BACKTRACE=0 $(BIN)/pytest -q -s tests/reliability $(RELIABILITY_TOO)

clean:
	rm -rf $(VENV) web/node_modules web/dist var .pytest_cache .mypy_cache .ruff_cache

WEB_SOURCES := $(shell find web/src web/messages -type f 2>/dev/null) web/build.mjs
web/dist/meeting.js: $(NODE_STAMP) $(WEB_SOURCES)
	node web/build.mjs

# Benchmarks beside the reference y-websocket servers (installed into tests/bench/.peers/ on
# first use); tables in test-output/bench/. Not part of `make test`. One: make bench ONLY=fanout
bench: $(STAMP)
	RUST_BACKTRACE=0 $(BIN)/python -m tests.bench $(if $(ONLY),--only $(ONLY)) $(BENCH_ARGS)
