# Parcours — `make run` serves the board, `make test` runs every test. Both set up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000

PROCESSES ?= 3
CLUSTER_PORT ?= 8000

.PHONY: setup run test test-fast test-js lint format clean system-packages cluster screenshots

setup: system-packages $(VENV)/.installed node_modules/.installed

# Debian's Chromium (browser tests), poppler-utils (PDF page images) and HAProxy (`make cluster`, the
# cluster fault tests); installed when run as root.
system-packages:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v haproxy >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium, poppler-utils and haproxy with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils haproxy >/dev/null; \
	  else \
	    echo "Note: chromium/poppler-utils/haproxy missing and not root: browser and cluster tests will be skipped (run 'sudo apt-get install chromium poppler-utils haproxy')"; \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: setup
	$(PY) run.py --host $(HOST) --port $(PORT)

# Both cores run the tests file by file (pytest-xdist); then the `serial` tests, which measure that
# other boards stay responsive or kill processes, run alone. PYTEST_ARGS goes to both runs (exit
# code 5, "no test selected", is fine for either: PYTEST_ARGS may name files of one kind only).
XDIST ?= -n 2 --dist loadfile
test: setup lint
	$(PY) -m pytest $(XDIST) -m "not serial" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(PY) -m pytest -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The browser's modules under Node (tests/js/*.test.mjs): predict.js and the live connection
# (socket.js, store.js) paired with the real engine in a Python process (tests/js/engine_server.py),
# including a seeded fuzz; FUZZ_SEED=n FUZZ_SEEDS=k explores other seeds. `make test` runs it first.
test: test-js
test-js: setup
	PARCOURS_PYTHON=$(PY) node --test tests/js/*.test.mjs

# ruff for Python, lint and format (pyproject.toml); ESLint (eslint.config.mjs) and Prettier
# (.prettierrc.json) for the JavaScript. `make format` rewrites what the two formatters would change.
JS_FILES := static/js tests/js eslint.config.mjs
lint: setup
	$(VENV)/bin/ruff check workshop tests bench deploy scripts run.py
	$(VENV)/bin/ruff format --check workshop tests bench deploy scripts run.py
	npx --no-install eslint static/js tests/js
	npx --no-install prettier --check $(JS_FILES)

format: setup
	$(VENV)/bin/ruff format workshop tests bench deploy scripts run.py
	npx --no-install prettier --write $(JS_FILES)

# docs/screenshots/: the demo workshop photographed at 390×844, 1366×768 and 1920×1080 (scripts/).
screenshots: setup
	$(PY) -m scripts.screenshots
	$(PY) -m scripts.screenshots_sheets
	$(PY) -m scripts.screenshots_voting

# N processes on PostgreSQL + Redis behind HAProxy on one port (docs/operations.md).
cluster: setup
	$(PY) deploy/cluster.py --processes $(PROCESSES) --port $(CLUSTER_PORT)

# Unit, engine and socket tests only: no server process, no browser.
test-fast: setup
	$(PY) -m pytest $(XDIST) -m "not e2e and not browser" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
