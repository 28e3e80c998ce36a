# The one task runner. `make demo` and `make test` work on a fresh machine with only
# python3 (3.11+) and make: they create .venv and install the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

AXE_VERSION := 4.14.1
PICO_VERSION := 2.1.1

.PHONY: install demo test lint format test-sqlite test-postgres bench clean browser-deps messages fuzz vendor-pico

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Ascent needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/ascent demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint browser-deps test-sqlite test-postgres

# The browser tests use the system's Chromium (apt-get install chromium) and axe-core
# from the npm registry; without them they are skipped with the reason (CI requires them).
browser-deps:
	@if [ -f .cache/node_modules/axe-core/axe.min.js ]; then :; \
	elif command -v npm >/dev/null; then \
		npm install --silent --no-save --no-audit --no-fund --prefix .cache axe-core@$(AXE_VERSION); \
	else echo "npm not found: the accessibility checks of the browser tests will be skipped"; fi

test-sqlite: install
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest

# Runs the suite again on PostgreSQL when one answers; ASCENT_REQUIRE_POSTGRES=1 (CI)
# turns a missing server into a failure instead of a skip.
test-postgres: install
	@if $(BIN)/python scripts/db_ready.py "$(POSTGRES_URL)"; then \
		echo "== tests on PostgreSQL =="; \
		DATABASE_URL="$(POSTGRES_URL)" $(BIN)/pytest; \
	elif [ "$$ASCENT_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL does not answer at $(POSTGRES_URL), and ASCENT_REQUIRE_POSTGRES=1"; exit 1; \
	else \
		echo "== PostgreSQL does not answer at $(POSTGRES_URL): skipped =="; \
	fi

# A longer, random run of the API fuzzer (make test runs a fixed set of cases): on
# PostgreSQL when one answers, else SQLite. Replay a failure with ASCENT_FUZZ_SEED=<seed>.
FUZZ_EXAMPLES ?= 600
fuzz: install
	@seed=$${ASCENT_FUZZ_SEED:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}; \
	if $(BIN)/python scripts/db_ready.py "$(POSTGRES_URL)"; then db="DATABASE_URL=$(POSTGRES_URL)"; \
	else db="-u DATABASE_URL"; fi; \
	echo "== fuzzing the API: seed $$seed, $(FUZZ_EXAMPLES) cases per operation ($$db) =="; \
	env $$db ASCENT_FUZZ=1 ASCENT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(BIN)/pytest tests/api/test_fuzz.py --hypothesis-seed=$$seed \
		|| { echo "fuzz failed: replay with ASCENT_FUZZ_SEED=$$seed make fuzz"; exit 1; }

bench: install
	$(BIN)/python bench/run.py

# Refresh the Spanish catalogue after changing strings (needs gettext's msgfmt); the
# compiled .mo is committed so that installing needs no gettext.
messages: install
	cd ascent && ../$(BIN)/python ../manage.py makemessages -l es --ignore "cli/*" --ignore "engine/*"
	cd ascent && ../$(BIN)/python ../manage.py compilemessages -l es

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .cache test-results

# Pico CSS is vendored in ascent/common/static/vendor/pico (served by our own static
# files: nothing is fetched at run time). To move to another release, change
# PICO_VERSION and run this once with npm; commit the result.
vendor-pico:
	rm -rf .cache/pico && mkdir -p .cache/pico
	cd .cache/pico && npm pack --silent @picocss/pico@$(PICO_VERSION) && tar xzf picocss-pico-$(PICO_VERSION).tgz
	cp .cache/pico/package/css/pico.blue.min.css .cache/pico/package/LICENSE.md ascent/common/static/vendor/pico/
