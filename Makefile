# 新疆职称申报通知指引站 — see README.md.
# Every target is idempotent and works offline once its downloads are cached.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
RUNTIME := .cache/runtime.stamp
STDLIB := .cache/runtime/python_stdlib.zip
HOST ?= 127.0.0.1
PORT ?= 8000
# mkdocs-material 9.8 prints a long MkDocs-2 notice on every build; it is not about this project.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup runtime site serve test test-fast check lint lint-js format bench bench-quick clean

setup: $(INSTALLED) $(RUNTIME) $(STDLIB)

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Browser runtime: Pyodide core from npm (exact pin + lockfile) and pinned pure-Python wheels.
$(RUNTIME): package.json package-lock.json browser-requirements.txt $(INSTALLED)
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m generator.browser.fetch --requirements browser-requirements.txt --dest .cache/wheels
	mkdir -p .cache && touch $@

# The trimmed standard library: only the files Pyodide's start-up and the engine import, traced
# in Pyodide itself (generator/browser/stdlib.py); redone whenever the engine changes. It also
# precompiles the archive of .pyc the worker loads (generator/browser/archive.py; a site build
# recompiles it by itself when the engine changed since).
$(STDLIB): $(RUNTIME) $(wildcard generator/engine/*.py generator/engine/**/*.py) \
		generator/browser/stdlib.py generator/browser/trace_stdlib.mjs generator/browser/strip_source.py \
		generator/browser/trace_stdlib.py generator/browser/archive.py generator/browser/compile_pyc.mjs \
		generator/browser/compile_pyc.py
	$(PY) -m generator.browser.stdlib

runtime: $(RUNTIME) $(STDLIB)

site: setup
	$(PY) -m generator build --site-dir site

# Incremental rebuilds (--dirty): an edited notice re-renders only the pages it affects; the
# search index follows in the background (generator/site/incremental.py, serve_index.py).
serve: setup
	$(VENV)/bin/mkdocs serve --dirty --dev-addr $(HOST):$(PORT)

check: $(INSTALLED)
	$(PY) -m generator check

# ESLint (pinned in package.json, config eslint.config.js) on every .js/.mjs of ours; also run by
# tests/test_js_modules.py, so by test-fast, test and CI.
lint-js: $(RUNTIME)
	node_modules/.bin/eslint --max-warnings 0 .

# Tests run on every core (pytest-xdist); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto

test: setup
	$(PY) -m pytest -n $(TEST_WORKERS)

# Everything except the headless-browser tests: the editors' loop (about 1.5 min on 2 cores).
test-fast: setup
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser"

# Ruff (pinned in the test extra; configured in pyproject.toml). tests/test_lint.py runs the same
# checks inside test-fast, so CI fails on a lint or formatting error.
lint: $(INSTALLED)
	$(VENV)/bin/ruff check generator tests benchmarks
	$(VENV)/bin/ruff format --check generator tests benchmarks

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix generator tests benchmarks
	$(VENV)/bin/ruff format generator tests benchmarks

# Benchmarks (not tests): the browser validator (benchmarks/validator.py) and the site at 4, 100 and
# 1000 notices (benchmarks/scale.py: build seconds, MkDocs floor, page and search bytes).
bench: setup
	mkdir -p bench-results
	$(PY) benchmarks/validator.py
	$(PY) benchmarks/scale.py

bench-quick: setup
	$(PY) benchmarks/scale.py --quick

clean:
	rm -rf site .cache node_modules $(VENV)
