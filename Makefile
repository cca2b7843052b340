# The two commands of the README. Everything installs into .venv from the project's own files.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOME_DIR ?= graphkg-data

.PHONY: run test install install-dev system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Editable install in setuptools' default mode. (The strict mode's link tree is found only
# through site-packages: from the repository root, where ./graphkg comes first on sys.path,
# `import graphkg.loaders` then fails. mypy checks graphkg/ and loaders/ from the sources.)
install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

## Command one: ingest the bundled sample article(s), write map.html and export.ttl
run: install
	$(BIN)/graphkg --home $(HOME_DIR) ingest samples/
	$(BIN)/graphkg --home $(HOME_DIR) stats
	$(BIN)/graphkg --home $(HOME_DIR) export --format turtle --force -o export.ttl
	$(BIN)/graphkg --home $(HOME_DIR) map --force -o map.html

## System packages the integration tests drive (headless Chromium); needs root or sudo.
system-deps:
	bash scripts/system-deps.sh

## Command two: the whole test suite (lint, then the tests; mypy --strict runs inside them)
test: install-dev system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(HOME_DIR) map.html export.ttl
