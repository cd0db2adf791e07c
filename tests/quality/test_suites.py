"""Each suite on the fixture warehouse: exact failing rows, counts and severities.

The fixture rows and the reason each one fails are in warehouse_fixture.py.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import duckdb
import pytest

from expectations import all_suites, leads_recording, roster_complete, tickets_recording
from orchestration.quality import gx_runner

from .warehouse_fixture import (
    build_roster_only_warehouse,
    build_tickets_only_warehouse,
    build_warehouse,
)


def test_tickets_suite_flags_missing_fields(outcomes):
    outcome = outcomes["tickets_recording"]

    # Every ticket is read: 101 to 108.
    assert outcome.evaluated_count == 8
    # 102 whitespace disposition, 103 null category, 105 empty category, tab disposition and
    # placeholder note, 106 placeholder call id, 107 unknown assignee: 5 rows, 105 once.
    assert outcome.failing_count == 5
    assert outcome.sample_failing_ids == [102, 103, 105, 106, 107]
    assert outcome.failing_rate == pytest.approx(5 / 8)
    # Assignees of the failing tickets, where 105 has none.
    assert outcome.sample_failing_values == {"source_agent_identity": ["9001", "9002", "9999", None]}
    # 107's assignee is not on the roster, which is critical whatever the completeness.
    assert outcome.success is False
    assert outcome.severity == "critical"


def test_tickets_suite_measures_completeness(outcomes):
    outcome = outcomes["tickets_recording"]

    # Due: the finished 101, 102, 103, 105, 107, 108 and the open voice ticket 106 = 7;
    # open web ticket 104 has nothing due.
    assert outcome.records_due == 7
    # 102, 103, 105, 106; 107 is complete although its assignee is unknown.
    assert outcome.records_incomplete == 4
    assert outcome.completeness_rate == pytest.approx(3 / 7)
    assert outcome.target_completeness_rate == 0.95


def test_tickets_suite_lists_failed_expectations(outcomes):
    assert outcomes["tickets_recording"].failed_expectations == [
        # 107: assignee 9999 has no agent.
        "expect_column_values_to_not_be_null on agent_id where source_agent_identity is not null: "
        "1 unexpected",
        # 103 null category.
        "expect_column_values_to_not_be_null on category where is_finished == True: 1 unexpected",
        # 105 empty category.
        "expect_column_values_to_not_match_regex on category where is_finished == True: "
        "1 unexpected",
        # 102 three spaces, 105 a tab.
        "expect_column_values_to_not_match_regex on disposition where is_finished == True: "
        "2 unexpected",
        # 105 N/A.
        "expect_column_values_to_not_match_regex on resolution_note where is_finished == True: "
        "1 unexpected",
        # 106 " - " on an open voice ticket: the call id is due whatever the status.
        "expect_column_values_to_not_match_regex on call_id where channel == 'voice': 1 unexpected",
    ]


def test_leads_suite_flags_worked_leads(outcomes):
    outcome = outcomes["leads_recording"]

    assert outcome.evaluated_count == 7
    # L002 placeholder interest, L003 no lead score, L005 blank interest, L006 unknown owner.
    assert outcome.failing_count == 4
    assert outcome.sample_failing_ids == ["L002", "L003", "L005", "L006"]
    assert outcome.sample_failing_values == {"source_agent_identity": ["9001", "9002", "9003"]}
    assert outcome.severity == "critical"
    assert outcome.success is False


def test_leads_due_on_owner_calling_days(outcomes):
    outcome = outcomes["leads_recording"]

    # Worked by call: L001, L002, L003, L004 on 2 Oct and L005 are due. L004 on 1 Oct (no
    # connected call) and L006 (unknown owner) are not: 5 due.
    assert outcome.records_due == 5
    # L002, L003, L005.
    assert outcome.records_incomplete == 3
    assert outcome.completeness_rate == pytest.approx(2 / 5)
    assert outcome.target_completeness_rate == 0.95


def test_leads_suite_lists_failed_expectations(outcomes):
    assert outcomes["leads_recording"].failed_expectations == [
        "expect_column_values_to_not_be_null on agent_id where source_agent_identity is not null: "
        "1 unexpected",
        # L002 " n/a ", L005 "".
        "expect_column_values_to_not_match_regex on interest where is_worked_by_call == True: "
        "2 unexpected",
        # L003.
        "expect_column_values_to_not_be_null on lead_score where is_worked_by_call == True: "
        "1 unexpected",
    ]


def test_leads_suite_rejects_repeated_records(warehouse, tmp_path):
    repeated_warehouse = tmp_path / "repeated.duckdb"
    shutil.copy(warehouse, repeated_warehouse)
    with duckdb.connect(str(repeated_warehouse)) as connection:
        # L001 a second time for the same owner and day: one record counted twice.
        connection.execute(
            "insert into intermediate.int_lead_recording_fields "
            "select * from intermediate.int_lead_recording_fields where lead_id = 'L001'"
        )

    outcome = gx_runner.validate_suite(
        leads_recording.SUITE, repeated_warehouse, tmp_path / "reports"
    )

    assert outcome.severity == "critical"
    assert "L001" in outcome.sample_failing_ids
    assert any(
        failure.startswith("expect_compound_columns_to_be_unique")
        for failure in outcome.failed_expectations
    )


def test_completeness_at_target_passes(tmp_path):
    # 19 of 20 complete = 0.95, exactly the default target.
    warehouse = build_tickets_only_warehouse(tmp_path / "warehouse.duckdb", 19, 1)

    outcome = gx_runner.validate_suite(tickets_recording.SUITE, warehouse, tmp_path / "reports")

    assert outcome.completeness_rate == pytest.approx(0.95)
    assert outcome.success is True
    # The gap is still reported, so it can be fixed.
    assert outcome.failing_count == 1
    assert outcome.sample_failing_ids == [20]


def test_completeness_below_target_warns(tmp_path):
    # 18 of 20 complete = 0.90 < 0.95.
    warehouse = build_tickets_only_warehouse(tmp_path / "warehouse.duckdb", 18, 2)

    outcome = gx_runner.validate_suite(tickets_recording.SUITE, warehouse, tmp_path / "reports")

    assert outcome.completeness_rate == pytest.approx(0.9)
    assert outcome.success is False
    assert outcome.severity == "warning"
    assert outcome.sample_failing_ids == [19, 20]


def test_duplicate_ticket_is_critical(tmp_path):
    warehouse = build_tickets_only_warehouse(tmp_path / "warehouse.duckdb", 3, 0)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "insert into intermediate.int_ticket_recording_fields "
            "select * from intermediate.int_ticket_recording_fields where ticket_id = 2"
        )

    outcome = gx_runner.validate_suite(tickets_recording.SUITE, warehouse, tmp_path / "reports")

    # Every ticket is complete, but ticket 2 appears twice.
    assert outcome.completeness_rate == 1.0
    assert outcome.success is False
    assert outcome.severity == "critical"
    assert outcome.sample_failing_ids == [2]


def test_missing_required_column_is_critical(tmp_path):
    warehouse = build_tickets_only_warehouse(tmp_path / "warehouse.duckdb", 1, 0)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("alter table intermediate.int_ticket_recording_fields drop call_id")

    outcome = gx_runner.validate_suite(tickets_recording.SUITE, warehouse, tmp_path / "reports")

    assert outcome.success is False
    assert outcome.severity == "critical"
    assert outcome.error.startswith(
        "Relation intermediate.int_ticket_recording_fields in "
    )
    assert "lacks column(s) call_id, which suite tickets_recording requires" in outcome.error


def test_invalid_seed_row_is_critical(tmp_path):
    seed = tmp_path / "recording_requirements.csv"
    seed.write_text(
        "record_kind,channel,field_name,required_when\n"
        "ticket,any,category,finished\n"
        "ticket,any,subject,finished\n",
        encoding="utf-8",
    )
    rule = dataclasses.replace(tickets_recording.RULE, requirements_path=seed)
    spec = dataclasses.replace(tickets_recording.SUITE, recording=rule)
    warehouse = build_tickets_only_warehouse(tmp_path / "warehouse.duckdb", 1, 0)

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(tickets_recording, "RULE", rule)
        outcome = gx_runner.validate_suite(spec, warehouse, tmp_path / "reports")

    assert outcome.success is False
    assert outcome.severity == "critical"
    assert outcome.error == (
        f"{seed}, line 3: field_name 'subject' is not a ticket field. "
        "Expected one of category, disposition, resolution_note, call_id."
    )


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
    ("intermediate.int_ticket_recording_fields", "ticket_id"): "102, 103, 105, 106, 107",
    ("intermediate.int_lead_recording_fields", "lead_id"): "'L002', 'L003', 'L005', 'L006'",
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
    # Tickets 101, 104 and 108 remain, and 101 and 108 are due and complete.
    assert outcomes[0].evaluated_count == 3
    assert outcomes[0].records_due == 2
    assert outcomes[0].completeness_rate == 1.0
    # L001 and L004 on 2 Oct are due and complete; L004 on 1 Oct is not due.
    assert outcomes[1].evaluated_count == 3
    assert outcomes[1].records_due == 2


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
    assert outcome.severity == "critical"
    assert "Relation raw.roster_agents" in outcome.error
    assert "lacks column(s) full_name, team, site_timezone, hire_date" in outcome.error


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
