"""The Dagster asset checks: their asset keys, their results and a run in process."""

from __future__ import annotations

import dagster as dg

from expectations import tickets_recording
from orchestration.quality import checks, gx_runner

from .warehouse_fixture import build_tickets_only_warehouse, build_warehouse

EXPECTED_ASSET_KEYS = {
    "tickets_recording": dg.AssetKey(["intermediate", "int_ticket_recording_fields"]),
    "leads_recording": dg.AssetKey(["intermediate", "int_lead_recording_fields"]),
    "calls_recording": dg.AssetKey(["marts", "fct_contacts"]),
    "agent_identities": dg.AssetKey(["marts", "fct_contacts"]),
    "survey_scores": dg.AssetKey(["staging", "stg_surveys__responses"]),
    "roster_complete": dg.AssetKey(["raw", "roster_agents"]),
}

DATA_DOCS_INDEX = "/reports/data_docs/index.html"


def _stub_asset(asset_key: dg.AssetKey) -> dg.AssetsDefinition:
    """Build a stand-in for the dbt model of a relation that the fixture file already contains."""

    @dg.asset(key=asset_key)
    def _relation() -> None:
        return None

    return _relation


def test_checks_attach_to_relation_assets():
    check_specs = [spec for check in checks.build_quality_checks() for spec in check.check_specs]

    assert {spec.name: spec.asset_key for spec in check_specs} == EXPECTED_ASSET_KEYS
    assert [spec.blocking for spec in check_specs] == [False] * len(EXPECTED_ASSET_KEYS)


def test_check_result_names_unknown_identities(outcomes):
    result = checks.build_check_result(outcomes["agent_identities"], DATA_DOCS_INDEX)

    assert result.passed is False
    assert result.severity == dg.AssetCheckSeverity.ERROR
    metadata = {key: value.value for key, value in result.metadata.items()}
    # C002, C006, C007 of the five contacts with an identity.
    assert metadata["evaluated_count"] == 5
    assert metadata["failing_count"] == 3
    assert metadata["failing_rate"] == 0.6
    assert metadata["sample_failing_ids"] == ["C002", "C006", "C007"]
    assert metadata["sample_failing_values"] == {"source_agent_identity": ["9999", "PJSIP/1999"]}
    assert metadata["data_docs"] == DATA_DOCS_INDEX


def test_check_result_keeps_none_ids(outcomes):
    result = checks.build_check_result(outcomes["calls_recording"], DATA_DOCS_INDEX)

    assert result.severity == dg.AssetCheckSeverity.WARN
    # C003 has no identity at all, which must stay null rather than become NaN.
    assert result.metadata["sample_failing_values"].value == {
        "source_agent_identity": ["PJSIP/1999", None]
    }


def test_check_below_target_warns(tmp_path):
    # 18 of 20 tickets complete = 0.90, under the 0.95 target, and nothing structural.
    warehouse = build_tickets_only_warehouse(tmp_path / "warehouse.duckdb", 18, 2)
    outcome = gx_runner.validate_suite(tickets_recording.SUITE, warehouse, tmp_path / "reports")

    result = checks.build_check_result(outcome, DATA_DOCS_INDEX)

    assert result.passed is False
    assert result.severity == dg.AssetCheckSeverity.WARN
    metadata = {key: value.value for key, value in result.metadata.items()}
    assert metadata["failing_count"] == 2
    assert metadata["completeness_rate"] == 0.9
    assert metadata["sample_failing_ids"] == [19, 20]


def test_non_recording_check_has_no_target(outcomes):
    result = checks.build_check_result(outcomes["survey_scores"], DATA_DOCS_INDEX)

    assert "completeness_rate" not in result.metadata
    assert "target_completeness_rate" not in result.metadata


def test_dagster_run_reports_every_check(tmp_path, monkeypatch):
    warehouse = build_warehouse(
        tmp_path / "warehouse.duckdb", omitted_relations=["marts.fct_contacts"]
    )
    reports = tmp_path / "reports"
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("KINERJA_REPORTS_DIR", str(reports))
    stub_assets = [_stub_asset(key) for key in set(EXPECTED_ASSET_KEYS.values())]

    result = dg.materialize([*stub_assets, *checks.build_quality_checks()])

    # Failing checks are not blocking, so the run still succeeds.
    assert result.success
    evaluations = {
        evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()
    }
    assert set(evaluations) == set(EXPECTED_ASSET_KEYS)

    tickets = evaluations["tickets_recording"]
    assert tickets.passed is False
    # Ticket 107's assignee is not on the roster.
    assert tickets.severity == dg.AssetCheckSeverity.ERROR
    # 102, 103, 105, 106 and 107 of the eight tickets.
    assert tickets.metadata["failing_count"].value == 5
    assert tickets.metadata["evaluated_count"].value == 8
    assert tickets.metadata["sample_failing_ids"].value == [102, 103, 105, 106, 107]
    # 3 of the 7 due tickets are complete.
    assert tickets.metadata["records_due"].value == 7
    assert tickets.metadata["records_incomplete"].value == 4
    assert tickets.metadata["completeness_rate"].value == 3 / 7
    assert tickets.metadata["target_completeness_rate"].value == 0.95
    assert tickets.metadata["data_docs"].value == str(reports / "data_docs" / "index.html")

    # marts.fct_contacts is missing, so both of its checks fail with the reason.
    for check_name in ("calls_recording", "agent_identities"):
        evaluation = evaluations[check_name]
        assert evaluation.passed is False
        assert evaluation.severity == dg.AssetCheckSeverity.ERROR
        assert "Relation marts.fct_contacts not found" in evaluation.metadata["error"].value
        assert evaluation.metadata["evaluated_count"].value is None

    assert (reports / "data_quality_summary.json").exists()
