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

# What the tests need from Debian: Chromium for the browser tests, with a colour emoji font
# (without one, an emoji in a goal or a heading is an empty box in every screenshot) and
# pdftotext (the print test reads the printed plan's pages); DejaVu Sans for the plan PDF (the
# letters of every name at the table); Noto (fonts-noto-core) for Arabic pages, their print and
# the PDF's Arabic letters; HAProxy in front of the multi-process tests
# (server/cluster/haproxy.cfg); espeak-ng and LAME for read-aloud (server/speech.py: the
# server's voice, as MP3, where the browser has none). As root (a fresh machine, CI) they are
# installed here, in one apt-get run; otherwise one sentence says what to install.
CHROMIUM := /usr/bin/chromium
SYSTEM_PACKAGES := chromium fonts-noto-color-emoji poppler-utils fonts-dejavu-core fonts-noto-core haproxy \
	espeak-ng lame
SYSTEM_TOOLS := $(CHROMIUM) /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf /usr/bin/pdftotext \
	/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf \
	/usr/sbin/haproxy /usr/bin/espeak-ng /usr/bin/lame
$(SYSTEM_TOOLS) &:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $(SYSTEM_PACKAGES) for the tests (apt-get)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "The tests need $(SYSTEM_PACKAGES): run 'sudo apt-get install $(SYSTEM_PACKAGES)', then 'make test' again." >&2; \
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

test: $(STAMP) web/dist/meeting.js $(SYSTEM_TOOLS) lint
	RUST_BACKTRACE=0 $(BIN)/pytest -q

# The ten reliability tests of issue 6: the long runs, plus the ones whose short form is
# already the whole test (eviction race, floods, disk trouble, backup and restore).
RELIABILITY_TOO := tests/live/test_eviction_race.py tests/live/test_floods.py tests/storage/test_disk_trouble.py \
	tests/storage/test_backup.py
reliability: $(STAMP) web/dist/meeting.js $(SYSTEM_TOOLS)
	RUST_BACKTRACE=0 $(BIN)/pytest -q -s --timeout=0 tests/reliability $(RELIABILITY_TOO)

clean:
	rm -rf $(VENV) web/node_modules web/dist var .pytest_cache .mypy_cache .ruff_cache

WEB_SOURCES := $(shell find web/src web/messages -type f 2>/dev/null) web/build.mjs
web/dist/meeting.js: $(NODE_STAMP) $(WEB_SOURCES)
	node web/build.mjs

# Benchmarks beside the reference y-websocket servers (installed into tests/bench/.peers/ on
# first use); tables in test-output/bench/. Not part of `make test`. One: make bench ONLY=fanout
bench: $(STAMP)
	RUST_BACKTRACE=0 $(BIN)/python -m tests.bench $(if $(ONLY),--only $(ONLY)) $(BENCH_ARGS)
