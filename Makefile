# Reprise: `make run` serves the site, `make test` runs everything. Both do their own set-up.

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# WeasyPrint needs Pango; HarfBuzz's subsetting library makes PDFs about five times faster.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# The tests also drive Debian's Chromium and read PDFs with poppler and qpdf.
TEST_PACKAGES := chromium poppler-utils qpdf
# The accessibility test injects axe-core, installed from the npm registry at the locked version.
AXE_DIR := $(TOOLS)/axe
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js
# Backups of PostgreSQL use pg_dump and pg_restore of the server's major version (15 on CI).
PG_CLIENT ?= postgresql-client-15
ifneq ($(REPRISE_TEST_DATABASE_URL),)
TEST_PACKAGES += $(PG_CLIENT)
endif

# The load benchmark drives the service with wrk.
BENCH_PACKAGES := wrk

LINT_DIRS := app tests migrations scripts $(wildcard bench)

# Branch coverage of app/ by the whole suite (SQLite and PostgreSQL, the test processes only)
# may not fall below this floor: 91.54 % measured by CI on 5 December 2026, less a tenth for the
# paths that depend on timing (a render worker replaced, a wait that runs out). (It was
# 92.18 % before `reprise proceedings start|follow-up` and the render server: both run in
# processes that the tests start, which coverage does not measure.)
COVERAGE_FLOOR := 91.4

.PHONY: run test setup setup-test lint fmt typecheck migrate bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

# Bytecode is compiled at install, as in the image: where PYTHONDONTWRITEBYTECODE is set, every
# process (a web worker, a render worker, a command in a test) would otherwise compile its
# libraries again from source, about 2 s of CPU each.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced
	@scripts/system-deps.sh $(RUN_PACKAGES)
	@$(BIN)/python -m compileall -q -j 0 app

setup-test: setup $(AXE)
	@scripts/system-deps.sh --required $(TEST_PACKAGES)

$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	@command -v npm >/dev/null 2>&1 || scripts/system-deps.sh --required npm
	mkdir -p $(AXE_DIR)
	cp tests/browser/axe/package.json tests/browser/axe/package-lock.json $(AXE_DIR)/
	npm ci --prefix $(AXE_DIR) --ignore-scripts --no-audit --no-fund
	touch $@

migrate: setup
	$(BIN)/reprise db upgrade

run: migrate
	$(BIN)/reprise catalogue check
	$(BIN)/reprise serve --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check $(LINT_DIRS)
	$(BIN)/ruff format --check $(LINT_DIRS)
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

typecheck: setup
	$(BIN)/mypy app

test: setup-test lint typecheck
	$(BIN)/reprise catalogue check
	$(BIN)/python scripts/messages.py check
	$(BIN)/pytest -n auto -p no:cacheprovider \
		--cov=app --cov-branch --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)
	$(BIN)/python scripts/audit.py

fmt: setup
	$(BIN)/ruff check --fix $(LINT_DIRS)
	$(BIN)/ruff format $(LINT_DIRS)

bench: setup
	@scripts/system-deps.sh $(BENCH_PACKAGES)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache
