"""Run `refresh_warehouse` on a landing folder and read back what it built, for the refresh tests."""

from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, ExecuteInProcessResult


def run_refresh(monkeypatch: pytest.MonkeyPatch, landing_dir: Path, warehouse: Path) -> ExecuteInProcessResult:
    monkeypatch.setenv("KINERJA_LANDING_DIR", str(landing_dir))
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("KINERJA_REPORTS_DIR", str(warehouse.parent / "reports"))
    # The files were written a moment ago; waiting for them to settle is not what is tested here.
    monkeypatch.setenv("KINERJA_LANDING_SETTLE_SECONDS", "0")
    from orchestration.definitions import build_definitions

    job = build_definitions().resolve_job_def("refresh_warehouse")
    result = job.execute_in_process(instance=DagsterInstance.ephemeral(), raise_on_error=False)
    failed_steps = [event.step_key for event in result.all_events if event.is_step_failure]
    assert result.success, f"steps failed: {failed_steps}"
    return result


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def table_names(warehouse: Path, schema: str) -> list[str]:
    rows = query(
        warehouse,
        f"select table_name from information_schema.tables where table_schema = '{schema}' order by 1",
    )
    return [row[0] for row in rows]


def snapshot(warehouse: Path, schema: str, exclude: str = "") -> dict[str, list[tuple]]:
    """Return every table of a schema, sorted, without the columns named in `exclude`."""
    select_list = f"* exclude ({exclude})" if exclude else "*"
    return {
        table: query(warehouse, f"select {select_list} from {schema}.{table} order by all")
        for table in table_names(warehouse, schema)
    }


def raw_snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    tables = {}
    for table in table_names(warehouse, "raw"):
        if table == "loaded_files":
            continue
        if table == "public_holidays":
            # written from the holidays package, not from landing files: no load time to leave out
            tables[table] = query(warehouse, f"select * from raw.{table} order by all")
            continue
        load_time = "loaded_at" if table == "rejected_records" else "_loaded_at"
        tables[table] = query(warehouse, f"select * exclude ({load_time}) from raw.{table} order by all")
    return tables


def materialization_metadata(result: ExecuteInProcessResult, step: str) -> dict:
    [materialization, *_] = result.asset_materializations_for_node(step)
    return {key: value.value for key, value in materialization.metadata.items()}


def reconciliation_outcomes(result: ExecuteInProcessResult) -> dict[str, bool]:
    return {
        evaluation.check_name: evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name.endswith("_rows_reconcile")
    }


def differing_tables(first: dict[str, list[tuple]], second: dict[str, list[tuple]]) -> list[str]:
    """Return the tables whose rows differ between two snapshots, or that only one of them has."""
    return sorted(table for table in set(first) | set(second) if first.get(table) != second.get(table))
