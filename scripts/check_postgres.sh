#!/usr/bin/env bash
# Build the whole dbt project on a throwaway PostgreSQL 15 cluster, to prove the models portable.
#
#   scripts/check_postgres.sh            (or `make check-postgres`)
#
# 1. Start a PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 on a free port.
# 2. Write a 4-day demo landing folder and load it into a scratch DuckDB warehouse with the
#    extract assets, then copy every raw.* table into PostgreSQL schema `raw` with matching types.
# 3. Build the seeds and models on DuckDB, and run `dbt build` (seeds, models, data tests, unit
#    tests) against the `postgres` target of dbt_project/profiles.yml.
# 4. Compare every model and seed on both engines, row by row.
# The server is stopped and the folder removed on exit. The script exits non-zero when any step
# fails, listing the failed dbt nodes or the differing relations.
#
# Environment:
#   PG_BIN           folder of initdb, pg_ctl and postgres (default /usr/lib/postgresql/15/bin)
#   PG_OS_USER       operating-system user that runs the server when this script runs as root,
#                    because initdb refuses root (default postgres)
#   MAIN_VENV        virtualenv with the project installed (default .venv, as the Makefile makes)
#   POSTGRES_VENV    virtualenv for dbt-postgres, created if missing (default .venv-postgres)
#   CHECK_DEMO_DAYS  days of demo data to load (default 4)

set -euo pipefail

REPOSITORY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_OS_USER="${PG_OS_USER:-postgres}"
MAIN_VENV="${MAIN_VENV:-$REPOSITORY_ROOT/.venv}"
POSTGRES_VENV="${POSTGRES_VENV:-$REPOSITORY_ROOT/.venv-postgres}"
CHECK_DEMO_DAYS="${CHECK_DEMO_DAYS:-4}"
PSQL="${PSQL:-$(command -v psql || echo "$PG_BIN/psql")}"
DATABASE_USER=kinerja
DATABASE_NAME=kinerja

log() { echo "check_postgres: $*" >&2; }

for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PSQL" "$MAIN_VENV/bin/python" "$MAIN_VENV/bin/uv"; do
    if [ ! -x "$tool" ]; then
        log "$tool not found or not executable; set PG_BIN, PSQL or MAIN_VENV (run 'make venv' for .venv)"
        exit 2
    fi
done

WORK_DIR="$(mktemp -d -t kinerja-postgres-XXXXXX)"
CLUSTER_DIR="$WORK_DIR/cluster"
SERVER_STARTED=0

# Run a server command as PG_OS_USER when this script is root, otherwise as the current user.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        "$@"
    fi
}

cleanup() {
    if [ "$SERVER_STARTED" -eq 1 ]; then
        # Stops only the server whose data folder this script created.
        as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR" -m fast -w stop >/dev/null || \
            log "stopping the server in $CLUSTER_DIR failed"
    fi
    rm -rf "$WORK_DIR"
}
# INT and TERM end the script through `exit`, so only the EXIT trap runs cleanup.
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- dbt-postgres virtualenv, with dbt-core at the version requirements.lock pins -----------------
DBT_CORE_VERSION="$(sed -n 's/^dbt-core==\(.*\)$/\1/p' "$REPOSITORY_ROOT/requirements.lock")"
if [ -z "$DBT_CORE_VERSION" ]; then
    log "no dbt-core==VERSION line in requirements.lock"
    exit 2
fi
# Read the installed versions from package metadata, because `dbt --version` requests the latest
# release from PyPI.
installed_versions() {
    "$POSTGRES_VENV/bin/python" -c '
import importlib.metadata
print(importlib.metadata.version("dbt-core"), importlib.metadata.version("dbt-postgres"))
' 2>/dev/null
}
if [ ! -x "$POSTGRES_VENV/bin/dbt" ] || ! installed_versions | grep -q "^$DBT_CORE_VERSION 1\.11\."; then
    log "creating $POSTGRES_VENV with dbt-core==$DBT_CORE_VERSION and dbt-postgres==1.11.*"
    "$MAIN_VENV/bin/uv" venv --quiet --allow-existing --python "$MAIN_VENV/bin/python" "$POSTGRES_VENV"
    "$MAIN_VENV/bin/uv" pip install --quiet --python "$POSTGRES_VENV/bin/python" \
        "dbt-core==$DBT_CORE_VERSION" "dbt-postgres==1.11.*"
fi

# --- throwaway cluster on 127.0.0.1 ---------------------------------------------------------------
PORT="$("$MAIN_VENV/bin/python" -c '
import socket
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    print(probe.getsockname()[1])
')"
mkdir -p "$CLUSTER_DIR"
if [ "$(id -u)" -eq 0 ]; then
    chown "$PG_OS_USER" "$WORK_DIR" "$CLUSTER_DIR"
fi
log "initialising a cluster in $CLUSTER_DIR"
as_server_user "$PG_BIN/initdb" --pgdata="$CLUSTER_DIR" --username="$DATABASE_USER" \
    --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
# listen_addresses limits TCP to loopback, and the unix socket is in the temporary folder.
as_server_user "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR" -w -l "$CLUSTER_DIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$WORK_DIR' -c fsync=off" \
    start >/dev/null
SERVER_STARTED=1
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$PORT"

export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER="$DATABASE_USER"
"$PSQL" --quiet --dbname=postgres -c "create database $DATABASE_NAME" >/dev/null
export PGDATABASE="$DATABASE_NAME"

# --- raw tables: demo landing -> DuckDB -> CSV -> PostgreSQL ----------------------------------------
export KINERJA_DEMO=1
export PYTHONPATH="$REPOSITORY_ROOT${PYTHONPATH:+:$PYTHONPATH}"
# dbt's customer_key macro needs a hash key even on demo data. The published demo key protects
# nothing, which is fine for a throwaway cluster.
if [ -z "${KINERJA_PII_KEY:-}" ]; then
    KINERJA_PII_KEY="$("$MAIN_VENV/bin/python" -c 'from orchestration.settings import DEMO_PII_KEY; print(DEMO_PII_KEY)')"
    export KINERJA_PII_KEY
fi
(cd "$REPOSITORY_ROOT/dbt_project" && "$MAIN_VENV/bin/dbt" parse --quiet --profiles-dir .)
"$MAIN_VENV/bin/python" -m orchestration.demo.generate --days "$CHECK_DEMO_DAYS" \
    --landing-dir "$WORK_DIR/landing" >/dev/null
log "loading the demo landing folder into DuckDB and exporting schema raw"
"$MAIN_VENV/bin/python" "$REPOSITORY_ROOT/scripts/export_raw_tables.py" \
    --landing-dir "$WORK_DIR/landing" --warehouse "$WORK_DIR/warehouse.duckdb" \
    --output-dir "$WORK_DIR/export" > "$WORK_DIR/export.log" 2>&1 || {
    tail -n 40 "$WORK_DIR/export.log" >&2
    log "loading or exporting the raw tables failed"
    exit 1
}
tail -n 1 "$WORK_DIR/export.log" >&2
"$PSQL" --quiet -v ON_ERROR_STOP=1 -f "$WORK_DIR/export/load_raw.sql" >/dev/null

# The same seeds and models on DuckDB, to compare with PostgreSQL's afterwards. Their tests are
# left out because `make test` runs them.
log "building the seeds and models on DuckDB for the comparison"
(cd "$REPOSITORY_ROOT/dbt_project" && KINERJA_WAREHOUSE="$WORK_DIR/warehouse.duckdb" \
    "$MAIN_VENV/bin/dbt" build --profiles-dir . --exclude resource_type:test resource_type:unit_test \
    --target-path "$WORK_DIR/duckdb_target" --log-path "$WORK_DIR/duckdb_logs" > "$WORK_DIR/duckdb_build.log") || {
    tail -n 40 "$WORK_DIR/duckdb_build.log" >&2
    log "dbt build on DuckDB failed"
    exit 1
}

# --- dbt build on PostgreSQL ----------------------------------------------------------------------
export KINERJA_POSTGRES_HOST="$PGHOST" KINERJA_POSTGRES_PORT="$PGPORT"
export KINERJA_POSTGRES_USER="$PGUSER" KINERJA_POSTGRES_DATABASE="$PGDATABASE"
TARGET_DIR="$WORK_DIR/dbt_target"
log "running dbt build against the postgres target"
BUILD_STATUS=0
(cd "$REPOSITORY_ROOT/dbt_project" && "$POSTGRES_VENV/bin/dbt" build --profiles-dir . \
    --target postgres --target-path "$TARGET_DIR" --log-path "$WORK_DIR/dbt_logs") || BUILD_STATUS=$?

"$MAIN_VENV/bin/python" - "$TARGET_DIR/run_results.json" <<'PYTHON' || BUILD_STATUS=1
import json
import sys
from collections import Counter

try:
    with open(sys.argv[1]) as results_file:
        results = json.load(results_file)["results"]
except FileNotFoundError:
    sys.exit("check_postgres: dbt wrote no run_results.json, so it stopped before running any node")
counts = Counter(result["status"] for result in results)
print("check_postgres: dbt nodes by status on PostgreSQL: " + ", ".join(f"{status} {count}" for status, count in sorted(counts.items())))
failed = [result for result in results if result["status"] in ("error", "fail", "runtime error")]
for result in failed:
    print(f"check_postgres: FAILED {result['unique_id']}")
    # dbt's message opens with the node's name, and the engine's error follows on the next lines.
    for line in (result.get("message") or "").strip().splitlines()[:8]:
        print(f"    {line}")
sys.exit(1 if failed else 0)
PYTHON

if [ "$BUILD_STATUS" -ne 0 ]; then
    log "dbt build on PostgreSQL failed"
    exit 1
fi
log "every dbt node passed on PostgreSQL"

# --- the same rows on both engines ----------------------------------------------------------------
"$MAIN_VENV/bin/python" "$REPOSITORY_ROOT/scripts/compare_engines.py" dump-script \
    --warehouse "$WORK_DIR/warehouse.duckdb" --output-dir "$WORK_DIR/compare"
"$PSQL" --quiet -v ON_ERROR_STOP=1 -f "$WORK_DIR/compare/dump_models.sql"
if ! "$MAIN_VENV/bin/python" "$REPOSITORY_ROOT/scripts/compare_engines.py" compare \
    --warehouse "$WORK_DIR/warehouse.duckdb" --output-dir "$WORK_DIR/compare"; then
    log "the models hold different rows on DuckDB and PostgreSQL"
    exit 1
fi
