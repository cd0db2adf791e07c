# kinerja: `make demo` builds the warehouse from demo data, `make test` runs every test.
# Each target sets up .venv first, from the pinned requirements.lock, if it is missing or stale.

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LANDING_DIR ?= $(or $(KINERJA_LANDING_DIR),data/landing)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# The demo and the development UI run on demo data: without a KINERJA_PII_KEY of their own they hash
# customer keys with the published demo key (orchestration/settings.py), which protects nothing.
demo dev: export KINERJA_DEMO := 1

.PHONY: demo test dev venv manifest lock clean check-postgres

venv: $(INSTALLED)

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --editable .
	touch $@

# dbt's manifest.json, which the dbt assets are built from; parsing happens here, never on import.
manifest: venv
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .

demo: manifest
	@mkdir -p $(DAGSTER_HOME)
	@if [ -z "$$(ls -A $(LANDING_DIR) 2>/dev/null)" ]; then \
		$(BIN)/python -m orchestration.demo.generate --landing-dir $(LANDING_DIR); \
	fi
	@# The generator has finished writing, so its files need no settle time unless one is set.
	KINERJA_LANDING_SETTLE_SECONDS=$${KINERJA_LANDING_SETTLE_SECONDS:-0} KINERJA_LANDING_DIR=$(LANDING_DIR) \
		$(BIN)/dagster job execute -m orchestration.definitions -j refresh_warehouse
	$(BIN)/python -m orchestration.summary

test: manifest
	$(BIN)/pytest

dev: manifest
	@mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000 -w workspace.yaml

# Build the dbt project on a throwaway PostgreSQL 15 cluster and compare its rows with DuckDB's.
# Needs the PostgreSQL server binaries, so `make test` leaves it out.
check-postgres: manifest
	MAIN_VENV=$(abspath $(VENV)) scripts/check_postgres.sh

# Re-resolve the pinned dependency set after editing pyproject.toml.
lock: venv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) .venv-postgres dbt_project/target dbt_project/logs .pytest_cache
