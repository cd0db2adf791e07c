"""Tests of the WARN checks that name CSV files ending without a line feed."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from orchestration.assets.extract import (
    extract_assets,
    last_line_check_result,
    last_line_checks,
)
from orchestration.extract.leads import load_crm_leads
from orchestration.extract.registry import UnterminatedFile
from orchestration.summary import loaded_unterminated_lines

LEADS = "crm/leads/leads-2026-10-02.csv"
LEADS_HEADER = (
    "lead_id,owner_id,created_at,stage,stage_changed_at,won_at,lost_at,lead_score,interest\n"
)
OPEN_LEAD = "L-101,9002,2026-09-30T08:15:00Z,contacted,2026-10-01T02:00:00Z,,,,\n"
# A lead whose interest 'Paket TV' the copy cut to 'Paket', with no line feed after it.
CUT_LEAD = "L-102,9001,2026-09-29T09:00:00+07:00,lost,2026-10-01T11:00:00+07:00,,,20,Paket"
LEADS_CHECK = "crm_leads_last_lines_end_with_line_feed"


def test_checks_cover_csv_sources():
    names = sorted(key.name for check in last_line_checks for key in check.check_keys)

    assert names == [
        "crm_leads_last_lines_end_with_line_feed",
        "roster_last_lines_end_with_line_feed",
        "surveys_last_lines_end_with_line_feed",
    ]


def test_cut_file_fails_check():
    result = last_line_check_result([UnterminatedFile(LEADS, 4, None)], 2, "interest")

    assert result.passed is False
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["files_checked"].value == 2
    assert result.metadata["files_without_final_line_feed"].value == 1
    assert result.metadata["unterminated_files"].value == [
        {
            "source_file": LEADS,
            "last_line_number": 4,
            "field_name": "interest",
            "last_line_status": "loaded",
        }
    ]
    assert result.description == (
        f"{LEADS} ends without a line feed, so its last record (line 4, field interest) may have"
        " been cut while the file was copied. The line was loaded. Compare that record with the"
        " source system, and copy the file again if it differs."
    )


def test_complete_files_pass_check():
    result = last_line_check_result([], 3, "interest")

    assert result.passed is True
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["files_checked"].value == 3
    assert result.metadata["files_without_final_line_feed"].value == 0
    assert result.metadata["unterminated_files"].value == []
    assert result.description is None


def test_several_files_name_first():
    files = [
        UnterminatedFile("surveys/a.csv", 4, None),
        UnterminatedFile(
            "surveys/b.csv", 7, "field submitted_at is not an ISO 8601 timestamp: '2026-10'"
        ),
    ]

    result = last_line_check_result(files, 5, "submitted_at")

    assert result.passed is False
    assert result.description.startswith("2 files end without a line feed")
    assert "(first: surveys/a.csv line 4, field submitted_at)" in result.description
    statuses = [file["last_line_status"] for file in result.metadata["unterminated_files"].value]
    assert statuses == [
        "loaded",
        "rejected: field submitted_at is not an ISO 8601 timestamp: '2026-10'",
    ]
    table = result.metadata["files"].value
    assert "| surveys/b.csv | 7 | submitted_at | rejected: field submitted_at" in table


@pytest.fixture
def run_leads_extract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Return a function that runs extract_crm_leads and its last-line check.

    The function returns the check's evaluation and how many files the extract read.
    """
    landing_dir = tmp_path / "landing"
    warehouse = DuckDBResource(database=str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("KINERJA_LANDING_DIR", str(landing_dir))
    monkeypatch.setenv("KINERJA_LANDING_SETTLE_SECONDS", "0")
    [extract] = [asset for asset in extract_assets if asset.node_def.name == "extract_crm_leads"]
    [check] = [
        check
        for check in last_line_checks
        if {key.name for key in check.check_keys} == {LEADS_CHECK}
    ]

    def run(leads_text: str | None = None) -> tuple[dg.AssetCheckEvaluation, int]:
        if leads_text is not None:
            path = landing_dir / LEADS
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(leads_text, encoding="utf-8")
        result = dg.materialize([extract, check], resources={"warehouse": warehouse})
        assert result.success
        [evaluation] = result.get_asset_check_evaluations()
        [materialization] = result.asset_materializations_for_node("extract_crm_leads")
        return evaluation, materialization.metadata["files_read"].value

    return run


def test_dagster_run_warns_on_cut_file(run_leads_extract):
    cut, _ = run_leads_extract(LEADS_HEADER + OPEN_LEAD + CUT_LEAD)
    unchanged, unchanged_files_read = run_leads_extract()
    completed, _ = run_leads_extract(LEADS_HEADER + OPEN_LEAD + CUT_LEAD + " TV\n")

    assert cut.check_name == LEADS_CHECK
    assert cut.passed is False
    assert cut.severity == dg.AssetCheckSeverity.WARN
    assert cut.metadata["unterminated_files"].value == [
        {
            "source_file": LEADS,
            "last_line_number": 3,
            "field_name": "interest",
            "last_line_status": "loaded",
        }
    ]
    # The second run does not read the unchanged file, and the registry still names it.
    assert unchanged_files_read == 0
    assert unchanged.passed is False
    assert (
        unchanged.metadata["unterminated_files"].value
        == cut.metadata["unterminated_files"].value
    )
    assert completed.passed is True
    assert completed.metadata["files_checked"].value == 1


def test_summary_lists_loaded_cut_line(tmp_path: Path):
    landing_dir = tmp_path / "landing"
    (landing_dir / LEADS).parent.mkdir(parents=True)
    (landing_dir / LEADS).write_text(LEADS_HEADER + OPEN_LEAD + CUT_LEAD, encoding="utf-8")

    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        load_crm_leads(connection, landing_dir, settle_seconds=0)
        lines = loaded_unterminated_lines(connection)

    # line 1 is the header, line 2 the open lead, line 3 the cut lead
    assert lines == [(LEADS, 3)]
