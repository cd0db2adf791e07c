"""Each suite on the fixture warehouse: exact failing rows, counts and severities.

The fixture rows and the reason each one fails are in warehouse_fixture.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from expectations import all_suites, roster_complete
from orchestration.quality import gx_runner

from .warehouse_fixture import build_roster_only_warehouse, build_warehouse


def test_tickets_suite_flags_missing_fields(outcomes):
    outcome = outcomes["tickets_recording"]

    # Finished tickets: 101, 102, 103, 105 = 4. Open ticket 104 is out of scope.
    assert outcome.evaluated_count == 4
    # 102 whitespace disposition, 103 null category, 105 empty category and tab disposition:
    # 3 rows, 105 counted once although it fails two fields.
    assert outcome.failing_count == 3
    assert outcome.sample_failing_ids == [102, 103, 105]
    assert outcome.failing_rate == pytest.approx(3 / 4)
    # Assignees of 102, 103 and 105, where 105 has none.
    assert outcome.sample_failing_values == {"assignee_id": [9001, 9002, None]}
    assert outcome.success is False
    assert outcome.severity == "warning"


def test_tickets_suite_lists_failed_expectations(outcomes):
    assert outcomes["tickets_recording"].failed_expectations == [
        # 103 null category.
        "expect_column_values_to_not_be_null on category: 1 unexpected",
        # 105 empty category.
        "expect_column_values_to_match_regex on category: 1 unexpected",
        # 102 three spaces, 105 a tab.
        "expect_column_values_to_match_regex on disposition: 2 unexpected",
    ]


def test_calls_suite_flags_unattributed_calls(outcomes):
    outcome = outcomes["calls_recording"]

    # Answered voice calls: C001, C002, C003 = 3.
    assert outcome.evaluated_count == 3
    # C002 has an unknown interface and C003 no identity at all: 2 of 3.
    assert outcome.failing_count == 2
    assert outcome.sample_failing_ids == ["C002", "C003"]
    assert outcome.failing_rate == pytest.approx(2 / 3)
    assert outcome.sample_failing_values == {"source_agent_identity": ["PJSIP/1999", None]}
    assert outcome.severity == "warning"


def test_identity_suite_names_unknown_identities(outcomes):
    outcome = outcomes["agent_identities"]

    # Contacts with an identity: C001, C002, C005, C006, C007 = 5.
    assert outcome.evaluated_count == 5
    # C002 and C007 carry PJSIP/1999, C006 carries Zendesk user 9999: 3 of 5.
    assert outcome.failing_count == 3
    assert outcome.sample_failing_ids == ["C002", "C006", "C007"]
    assert outcome.failing_rate == pytest.approx(3 / 5)
    # Sorted as text, so the digits of 9999 come before the letters of PJSIP.
    assert outcome.sample_failing_values == {"source_agent_identity": ["9999", "PJSIP/1999"]}
    assert outcome.severity == "critical"


def test_survey_suite_flags_invalid_responses(outcomes):
    outcome = outcomes["survey_scores"]

    assert outcome.evaluated_count == 8
    # S002 csat 0, S003 nps 11, S006 type ces, and both S007 rows: 5 of 8.
    assert outcome.failing_count == 5
    assert outcome.sample_failing_ids == ["S002", "S003", "S006", "S007"]
    assert outcome.failing_rate == pytest.approx(5 / 8)
    assert outcome.severity == "critical"


def test_survey_ranges_depend_on_type(outcomes):
    failed_expectations = outcomes["survey_scores"].failed_expectations

    range_failure = "expect_column_values_to_be_between on score where survey_type == {!r}: {}"
    # S002 only: S004's 0 is a valid NPS score.
    assert range_failure.format("csat", "1 unexpected") in failed_expectations
    # S003 only: S005's 10 is the top of the NPS scale.
    assert range_failure.format("nps", "1 unexpected") in failed_expectations


def test_roster_suite_flags_gaps_and_duplicates(outcomes):
    outcome = outcomes["roster_complete"]

    assert outcome.evaluated_count == 6
    # A002 blank team, A003 null time zone, A004 null hire date, both A005 rows: 5 of 6.
    assert outcome.failing_count == 5
    assert outcome.sample_failing_ids == ["A002", "A003", "A004", "A005"]
    assert outcome.failing_rate == pytest.approx(5 / 6)
    assert outcome.sample_failing_values == {
        "full_name": ["Agus Wijaya", "Budi Santoso", "Dewi Lestari", "Rina Kusuma", "Rina Putri"]
    }
    assert outcome.severity == "critical"


# Rows that fail some suite, per relation and id column, as listed in warehouse_fixture.py.
FAILING_ROWS = {
    ("staging.stg_zendesk__tickets", "ticket_id"): "102, 103, 105",
    ("marts.fct_contacts", "contact_id"): "'C002', 'C003', 'C006', 'C007'",
    ("staging.stg_surveys__responses", "response_id"): "'S002', 'S003', 'S006', 'S007'",
    ("raw.roster_agents", "agent_id"): "'A002', 'A003', 'A004', 'A005'",
}


def test_clean_rows_pass_every_suite(warehouse, tmp_path):
    clean_warehouse = tmp_path / "clean.duckdb"
    shutil.copy(warehouse, clean_warehouse)
    with duckdb.connect(str(clean_warehouse)) as connection:
        for (relation, id_column), ids in FAILING_ROWS.items():
            connection.execute(f"delete from {relation} where {id_column} in ({ids})")

    outcomes = gx_runner.validate_all_suites(clean_warehouse, tmp_path / "reports")

    for outcome in outcomes:
        assert outcome.success is True, outcome.suite_name
        assert outcome.failing_count == 0, outcome.suite_name
        assert outcome.failing_rate == 0.0, outcome.suite_name
        assert outcome.sample_failing_ids == [], outcome.suite_name
    # Tickets 101 and 104 remain, and only 101 is finished.
    assert outcomes[0].evaluated_count == 1


def test_missing_relation_fails_with_message(tmp_path):
    warehouse = build_warehouse_without(tmp_path, "raw.roster_agents")

    outcome = gx_runner.validate_suite(roster_complete.SUITE, warehouse, tmp_path / "reports")

    assert outcome.success is False
    assert outcome.severity == "critical"
    assert outcome.evaluated_count is None
    assert outcome.failing_count is None
    assert "Relation raw.roster_agents not found" in outcome.error
    assert str(warehouse) in outcome.error


def test_missing_warehouse_fails_with_message(tmp_path):
    warehouse = tmp_path / "absent.duckdb"

    outcome = gx_runner.validate_suite(roster_complete.SUITE, warehouse, tmp_path / "reports")

    assert outcome.success is False
    assert outcome.error.startswith(f"Warehouse {warehouse} not found")
    # Reading must not create an empty warehouse in its place.
    assert not warehouse.exists()


def test_missing_column_fails_with_message(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema raw")
        connection.execute("create table raw.roster_agents (agent_id varchar)")

    outcome = gx_runner.validate_suite(roster_complete.SUITE, warehouse, tmp_path / "reports")

    assert outcome.success is False
    assert "Reading raw.roster_agents" in outcome.error
    assert "full_name" in outcome.error


def test_sample_stops_at_ten_ids(tmp_path):
    # Twelve agents A01..A12, all without a team.
    warehouse = build_roster_only_warehouse(tmp_path / "warehouse.duckdb", agent_count=12)

    outcome = gx_runner.validate_suite(roster_complete.SUITE, warehouse, tmp_path / "reports")

    assert outcome.failing_count == 12
    assert outcome.sample_failing_ids == [f"A{number:02d}" for number in range(1, 11)]


def test_rerun_gives_same_outcomes(warehouse, outcomes, tmp_path):
    rerun = gx_runner.validate_all_suites(warehouse, tmp_path / "reports")

    for first, second in zip(outcomes.values(), rerun, strict=True):
        assert first.to_summary_entry() | {"validated_at": None} == second.to_summary_entry() | {
            "validated_at": None
        }


def test_suites_have_distinct_names():
    names = [spec.name for spec in all_suites()]

    assert len(names) == len(set(names))


def build_warehouse_without(directory: Path, relation: str) -> Path:
    return build_warehouse(directory / "warehouse.duckdb", omitted_relations=[relation])
