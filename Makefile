# OpenCEU: `make serve` to work on the site, `make test` to check everything.
# Each target installs what it needs and is quick to re-run when nothing changed.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup build check-sources serve test test-fast lint chromium lock clean bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

setup: $(VENV)/.installed node_modules/.installed  ## install the Python and npm dependencies (pinned)

build: setup  ## build the site into site/ (the previous site stays if it fails); OPENCEU_SITE_URL=https://… builds for that address
	rm -rf site.new
	$(BIN)/mkdocs build --strict --site-dir site.new
	rm -rf site.old
	if [ -d site ]; then mv site site.old; fi
	mv site.new site
	rm -rf site.old

# The deploy's source check (.github/workflows/deploy.yml runs it before `make build`, and
# tests/build/test_deploy_source_checks.py runs that step against a local server). Sources
# checked in the last week are not fetched again; one that cannot be read keeps its last check.
# It rewrites CHECK_DATA/checks.csv for the build that follows: the deploy never commits it,
# and the weekly pull request (check-sources.yml) is how checks enter the repository.
# CHECK_FLAGS adds ceu options (tests: --allow-synthetic, --iacet-provider-url, --pause).
CHECK_DATA ?= directory_data
CHECK_FLAGS ?=
check-sources: $(VENV)/.installed  ## re-check the sources not checked in the last week, for the next build (do not commit the checks.csv it writes)
	$(BIN)/ceu directory check-sources --since 6 --keep-last-reading $(CHECK_FLAGS) $(CHECK_DATA)

serve: setup  ## build and serve the site at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

chromium:  ## make sure Chromium is there for the browser tests
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "Chromium is missing: installing it with apt-get"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
	  echo "Chromium is missing. Install it, then run make test again:" >&2; \
	  echo "    sudo apt-get install -y chromium" >&2; \
	  exit 1; \
	fi

lint: setup  ## ruff, mypy (strict), Biome on the JavaScript, and the GitHub workflows and issue forms
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	node_modules/.bin/biome ci --error-on-warnings .
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-forms \
	  .github/ISSUE_TEMPLATE/suggest-entry.yml .github/ISSUE_TEMPLATE/report-problem.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-config .github/ISSUE_TEMPLATE/config.yml
	$(BIN)/zizmor --offline --quiet .github/workflows/

test: setup chromium lint  ## run every test: engine, data, real builds, real browser
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadfile

# The tests marked neither `browser` nor `build` (pyproject.toml; tests/conftest.py stops a run
# in which a test under tests/browser or tests/build, or one asking for a built site, lacks its mark).
test-fast: setup  ## the inner loop: every test that needs no browser and no site build (no lint; make test runs all)
	$(BIN)/python -m pytest -n auto --maxprocesses=4 --dist loadfile -m "not browser and not build"

bench: setup  ## measure how the slow paths scale (figures to report, never asserted)
	$(BIN)/python -m benchmarks

lock: $(VENV)/.installed  ## re-pin requirements.lock from the current environment
	{ echo "# Exact versions for the site tooling and tests (pyproject.toml gives the ranges)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock

clean:  ## remove build output and installed dependencies
	rm -rf site site.new site.old $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
