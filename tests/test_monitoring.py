"""Tests of the Dagster wiring that watches the warehouse: the landing sensor, freshness checks,
the reconciliation check result, retries and the refresh job's selection."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dagster import (
    AssetKey,
    AssetMaterialization,
    AssetSelection,
    AssetSpec,
    DagsterInstance,
    Definitions,
    RunRequest,
    SkipReason,
    build_sensor_context,
    define_asset_job,
)
from dagster._core.test_utils import freeze_time

from orchestration.assets.extract import extract_assets, reconciliation_check_result
from orchestration.extract.registry import FileReconciliation
from orchestration.freshness import MART_MAX_AGE, mart_asset_keys, mart_freshness_checks
from orchestration.sensors import (
    LandingSnapshot,
    decide_refresh,
    landing_files_sensor,
    snapshot_landing,
)

NOW = datetime(2026, 10, 2, 1, 0, 0)
FOLDERS = ["telephony/queue_log", "surveys"]


def write_file(landing_dir: Path, relative_path: str, text: str, modified_at: datetime) -> None:
    path = landing_dir / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    timestamp = modified_at.replace(tzinfo=UTC).timestamp()
    os.utime(path, (timestamp, timestamp))


def test_fingerprint_follows_file_changes(tmp_path):
    an_hour_ago = NOW - timedelta(hours=1)
    write_file(tmp_path, "telephony/queue_log/queue_log", "a\n", an_hour_ago)
    first = snapshot_landing(tmp_path, FOLDERS, 60, NOW)
    same = snapshot_landing(tmp_path, FOLDERS, 60, NOW)
    write_file(tmp_path, "surveys/s.csv", "h\n", an_hour_ago)
    added = snapshot_landing(tmp_path, FOLDERS, 60, NOW)
    write_file(tmp_path, "surveys/s.csv", "h\nr\n", an_hour_ago)
    changed = snapshot_landing(tmp_path, FOLDERS, 60, NOW)
    (tmp_path / "surveys" / "s.csv").unlink()
    removed = snapshot_landing(tmp_path, FOLDERS, 60, NOW)

    assert same.fingerprint == first.fingerprint
    assert len({first.fingerprint, added.fingerprint, changed.fingerprint}) == 3
    assert removed.fingerprint == first.fingerprint
    assert (first.file_count, added.file_count) == (1, 2)


def test_files_in_subfolders_are_ignored(tmp_path):
    write_file(tmp_path, "telephony/queue_log/archive/old", "a\n", NOW - timedelta(hours=1))

    assert snapshot_landing(tmp_path, FOLDERS, 60, NOW).file_count == 0


def test_recent_file_is_unsettled(tmp_path):
    write_file(tmp_path, "surveys/s.csv", "h\n", NOW - timedelta(seconds=30))

    snapshot = snapshot_landing(tmp_path, FOLDERS, 60, NOW)

    assert snapshot.unsettled_files == ("surveys/s.csv",)


def test_new_fingerprint_requests_refresh():
    decision = decide_refresh(LandingSnapshot("abc", 3, ()), cursor="old", is_refresh_running=False)

    assert isinstance(decision, RunRequest)
    assert decision.run_key == "abc"


@pytest.mark.parametrize(
    ("snapshot", "cursor", "is_running", "message"),
    [
        (LandingSnapshot("abc", 3, ()), "abc", False, "no landing file added, changed or removed"),
        (LandingSnapshot("new", 3, ("surveys/s.csv",)), "abc", False, "surveys/s.csv"),
        (LandingSnapshot("new", 3, ()), "abc", True, "refresh_warehouse is running"),
    ],
)
def test_sensor_skips_with_reason(snapshot, cursor, is_running, message):
    decision = decide_refresh(snapshot, cursor, is_running)

    assert isinstance(decision, SkipReason)
    assert message in decision.skip_message


def test_sensor_requests_once_per_state(tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_LANDING_DIR", str(tmp_path))
    monkeypatch.setenv("KINERJA_LANDING_SETTLE_SECONDS", "60")
    write_file(tmp_path, "surveys/s.csv", "h\n", datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1))
    instance = DagsterInstance.ephemeral()

    first_context = build_sensor_context(instance=instance)
    first = landing_files_sensor(first_context)
    second = landing_files_sensor(build_sensor_context(instance=instance, cursor=first_context.cursor))

    assert isinstance(first, RunRequest)
    assert first_context.cursor == first.run_key
    assert isinstance(second, SkipReason)


def test_marts_have_freshness_checks():
    checked_keys = {key.asset_key for checks in mart_freshness_checks for key in checks.check_keys}

    assert {
        AssetKey(["marts", "fct_contacts"]),
        AssetKey(["marts", "agent_daily_kpis"]),
        AssetKey(["marts", "queue_daily_kpis"]),
    } <= checked_keys
    assert all(key.path[0] == "marts" for key in checked_keys)


def test_mart_keys_exclude_other_schemas():
    from orchestration.assets.transform import kinerja_dbt_assets

    keys = mart_asset_keys(kinerja_dbt_assets)

    assert AssetKey(["marts", "fct_contacts"]) in keys
    assert AssetKey(["intermediate", "int_voice_calls"]) not in keys


def evaluate_freshness(instance: DagsterInstance) -> dict[AssetKey, bool]:
    mart_keys = sorted(
        {key.asset_key for checks in mart_freshness_checks for key in checks.check_keys},
        key=lambda key: key.to_user_string(),
    )
    definitions = Definitions(
        assets=[AssetSpec(key) for key in mart_keys],
        asset_checks=mart_freshness_checks,
        jobs=[define_asset_job("freshness", selection=AssetSelection.checks(*mart_freshness_checks))],
    )
    result = definitions.resolve_job_def("freshness").execute_in_process(instance=instance)
    return {evaluation.asset_key: evaluation.passed for evaluation in result.get_asset_check_evaluations()}


def test_stale_mart_fails_freshness():
    instance = DagsterInstance.ephemeral()
    built_at = datetime(2026, 10, 2, 18, 10, tzinfo=UTC)  # 01:10 Jakarta, after the daily refresh
    with freeze_time(built_at):
        instance.report_runless_asset_event(AssetMaterialization(AssetKey(["marts", "fct_contacts"])))

    with freeze_time(built_at + MART_MAX_AGE - timedelta(minutes=5)):
        fresh = evaluate_freshness(instance)
    with freeze_time(built_at + MART_MAX_AGE + timedelta(minutes=5)):
        stale = evaluate_freshness(instance)

    assert fresh[AssetKey(["marts", "fct_contacts"])] is True
    assert stale[AssetKey(["marts", "fct_contacts"])] is False


def test_refresh_job_leaves_out_freshness(monkeypatch, tmp_path):
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(tmp_path / "w.duckdb"))
    from orchestration.definitions import build_definitions

    job = build_definitions().resolve_job_def("refresh_warehouse")
    selected_checks = job.asset_layer.asset_graph.asset_check_keys

    assert not any(key.name == "freshness_check" for key in selected_checks)
    assert any(key.name == "queue_log_rows_reconcile" for key in selected_checks)


def test_extract_assets_retry_once():
    for assets_definition in extract_assets:
        assert assets_definition.op.retry_policy is not None
        assert assets_definition.op.retry_policy.max_retries == 1


def test_unbalanced_file_fails_reconciliation():
    files = [
        FileReconciliation("telephony/queue_log/queue_log", 3, 2, 1),
        FileReconciliation("telephony/queue_log/queue_log.1", 5, 3, 1),  # one row lost
        FileReconciliation("telephony/queue_log/gone", None, 2, 0),  # rows of no registered file
    ]

    result = reconciliation_check_result(files)

    assert result.passed is False
    assert result.severity.value == "ERROR"
    assert result.metadata["files_unbalanced"].value == 2
    unbalanced = [file["source_file"] for file in result.metadata["unbalanced_files"].value]
    assert unbalanced == ["telephony/queue_log/queue_log.1", "telephony/queue_log/gone"]


def test_balanced_files_pass_reconciliation():
    result = reconciliation_check_result([FileReconciliation("surveys/s.csv", 4, 3, 1)])

    assert result.passed is True
    assert result.metadata["rows_read"].value == 4
