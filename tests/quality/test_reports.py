"""Data Docs, the JSON summary and its terminal table after the session's validation run."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from expectations import all_suites, roster_complete
from orchestration.quality import gx_runner, summary


def test_data_docs_index_names_every_suite(reports):
    index_html = gx_runner.data_docs_index(reports).read_text(encoding="utf-8")

    for spec in all_suites():
        assert spec.name in index_html


def test_data_docs_page_shows_failing_ids(reports):
    pages = list((reports / "data_docs" / "validations" / "agent_identities").rglob("*.html"))

    assert len(pages) == 1
    page = pages[0].read_text(encoding="utf-8")
    for contact_id in ("C002", "C006", "C007"):
        assert contact_id in page


def test_second_run_adds_validation_page(warehouse, tmp_path):
    reports = tmp_path / "reports"

    gx_runner.validate_suite(roster_complete.SUITE, warehouse, reports)
    gx_runner.validate_suite(roster_complete.SUITE, warehouse, reports)

    pages = list((reports / "data_docs" / "validations" / "roster_complete").rglob("*.html"))
    assert len(pages) == 2
    index_html = gx_runner.data_docs_index(reports).read_text(encoding="utf-8")
    for page in pages:
        assert page.relative_to(reports / "data_docs").as_posix() in index_html


def test_summary_file_lists_every_suite(reports):
    written = json.loads(summary.summary_path(reports).read_text(encoding="utf-8"))

    assert list(written["suites"]) == [spec.name for spec in all_suites()]
    tickets = written["suites"]["tickets_recording"]
    assert tickets["success"] is False
    assert tickets["evaluated_count"] == 8
    assert tickets["failing_count"] == 5
    assert tickets["failing_rate"] == 0.625
    assert tickets["sample_failing_ids"] == [102, 103, 105, 106, 107]
    assert tickets["relation"] == "intermediate.int_ticket_recording_fields"
    # 3 of the 7 due tickets are complete.
    assert tickets["records_due"] == 7
    assert tickets["completeness_rate"] == 3 / 7
    assert tickets["validated_at"].endswith("+00:00")


def test_summary_table_matches_hand_layout():
    hand_summary = {
        "suites": {
            "roster_complete": {
                "success": True,
                "severity": "warning",
                "evaluated_count": 12,
                "failing_count": 0,
                "failing_rate": 0.0,
                "sample_failing_ids": [],
            },
            "agent_identities": {
                "success": False,
                "severity": "critical",
                "evaluated_count": None,
                "failing_count": None,
                "failing_rate": None,
                "sample_failing_ids": [],
                "error": "Relation marts.fct_contacts not found",
            },
            "survey_scores": {
                "success": False,
                "severity": "critical",
                "evaluated_count": 3,
                "failing_count": 1,
                "failing_rate": 1 / 3,
                "sample_failing_ids": ["S9", None],
            },
        }
    }

    # Each column is as wide as its widest cell, two spaces apart, trailing spaces trimmed.
    assert summary.format_summary_table(hand_summary) == (
        "suite             result             evaluated  failing  failing %  sample failing ids\n"
        "----------------  -----------------  ---------  -------  ---------  ------------------\n"
        "roster_complete   passed             12         0        0.0\n"
        "agent_identities  failed (critical)  -          -        -\n"
        "survey_scores     failed (critical)  3          1        33.3       S9, null\n"
        "agent_identities: Relation marts.fct_contacts not found"
    )


def test_summary_table_shows_session_run(reports):
    table_lines = summary.format_summary(reports).splitlines()

    assert table_lines[0].split() == [
        "suite", "result", "evaluated", "failing", "failing", "%", "sample", "failing", "ids"
    ]
    assert table_lines[2].split() == [
        "tickets_recording", "failed", "(critical)", "8", "5", "62.5",
        "102,", "103,", "105,", "106,", "107",
    ]
    assert len(table_lines) == 2 + len(all_suites())


def test_summary_command_prints_table(reports, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_REPORTS_DIR", str(reports))

    exit_code = summary.main([])

    assert exit_code == 0
    output = capsys.readouterr().out
    assert output.startswith("suite ")
    assert "roster_complete" in output


def test_summary_command_explains_missing_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_REPORTS_DIR", str(tmp_path))

    exit_code = summary.main([])

    assert exit_code == 1
    assert "Run the quality checks first" in capsys.readouterr().err


def test_summary_command_runs_suites(warehouse, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("KINERJA_REPORTS_DIR", str(tmp_path))

    exit_code = summary.main(["--run"])

    assert exit_code == 0
    output_lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in output_lines[2:]] == [spec.name for spec in all_suites()]


def test_merge_drops_removed_suites():
    existing = {
        "suites": {"retired_suite": {"success": True}, "roster_complete": {"success": False}}
    }

    merged = summary.merge_summary_entry(
        existing, "survey_scores", {"success": True}, ["survey_scores", "roster_complete"]
    )

    assert merged == {
        "suites": {"survey_scores": {"success": True}, "roster_complete": {"success": False}}
    }


def test_unreadable_summary_file_is_replaced(tmp_path):
    path = tmp_path / "data_quality_summary.json"
    path.write_text("{not json", encoding="utf-8")

    summary.write_summary_entry(path, "survey_scores", {"success": True}, ["survey_scores"])

    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == {"suites": {"survey_scores": {"success": True}}}


def test_json_values_drop_nan_and_numpy():
    assert gx_runner.to_json_value(float("nan")) is None
    assert gx_runner.to_json_value(pd.NA) is None
    assert gx_runner.to_json_value(np.float64("nan")) is None
    assert gx_runner.to_json_value(np.int64(7)) == 7
    assert type(gx_runner.to_json_value(np.int64(7))) is int
    assert gx_runner.to_json_value(pd.Timestamp("2026-01-05")) == "2026-01-05T00:00:00"
    assert gx_runner.to_json_value(np.float64(0.5)) == 0.5
