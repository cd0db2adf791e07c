"""The bad-input corpus: malformed variants of every landing file format and what each must give.

Each folder under tests/corpus is one format. Its `cases.yaml` lists the cases, and each case
folder is a landing directory with that case's files. A case states the behaviour in words,
the rows loaded, and every rejected record with its file, position (0 for a whole file), field and
a fragment of its reason. It may also state the warnings, the encodings the registry records, the
files the load ignores, and column values of the loaded rows in file and position order.
`unterminated_last_lines` maps each file whose last line has no line feed to that line's number,
as the registry records it and the CSV sources' last-line check reports it; a case without it
expects none.

Every case is loaded with its own in-memory warehouse. Besides the stated expectations, every case
must balance: rows read = rows loaded + rows rejected for every file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.extract import (
    load_cdr,
    load_queue_log,
    load_roster,
    load_surveys,
    load_zendesk_ticket_comments,
    load_zendesk_tickets,
    load_zendesk_users,
)
from orchestration.extract.amazon_connect import load_amazon_connect
from orchestration.extract.common import LoadResult
from orchestration.extract.leads import load_crm_leads
from orchestration.extract.registry import find_unterminated_files, reconcile_files

CORPUS_DIR = Path(__file__).parent
MINIMUM_CASES_PER_FORMAT = 10
# Every corpus file gets this modification time, so the future checks do not depend on the clock.
FILES_MODIFIED_AT = datetime(2026, 10, 4, tzinfo=UTC)

# Format folder -> loader and the raw table with one row per loaded line or record.
LOADERS: dict[str, tuple[Callable[..., LoadResult], str]] = {
    "queue_log": (load_queue_log, "raw.queue_log"),
    "cdr": (load_cdr, "raw.cdr"),
    "zendesk_tickets": (load_zendesk_tickets, "raw.zendesk_tickets"),
    "zendesk_ticket_comments": (load_zendesk_ticket_comments, "raw.zendesk_ticket_comments"),
    "zendesk_users": (load_zendesk_users, "raw.zendesk_users"),
    "surveys": (load_surveys, "raw.surveys"),
    "roster": (load_roster, "raw.roster_agents"),
    "amazon_connect": (load_amazon_connect, "raw.amazon_connect_contacts"),
    "crm_leads": (load_crm_leads, "raw.crm_leads"),
}


def read_manifest(format_name: str) -> dict:
    with (CORPUS_DIR / format_name / "cases.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def corpus_cases() -> list:
    params = []
    for format_name in LOADERS:
        for case in read_manifest(format_name)["cases"]:
            params.append(pytest.param(format_name, case, id=f"{format_name}/{case['case']}"))
    return params


def copy_case(format_name: str, case_name: str, landing_dir: Path) -> None:
    """Copy a case's files into a landing directory and give them the corpus modification time."""
    shutil.copytree(CORPUS_DIR / format_name / case_name, landing_dir)
    timestamp = FILES_MODIFIED_AT.timestamp()
    for path in landing_dir.rglob("*"):
        if path.is_file():
            os.utime(path, (timestamp, timestamp))


def rejected_records(con: duckdb.DuckDBPyConnection, source_kind: str) -> list[tuple]:
    return con.execute(
        """
        select source_file, source_position, field_name, reason
        from raw.rejected_records
        where source_kind = ?
        order by source_file, source_position
        """,
        [source_kind],
    ).fetchall()


@pytest.mark.parametrize("format_name", list(LOADERS))
def test_format_has_ten_cases(format_name):
    manifest = read_manifest(format_name)
    case_names = [case["case"] for case in manifest["cases"]]
    folders = sorted(path.name for path in (CORPUS_DIR / format_name).iterdir() if path.is_dir())

    assert manifest["loader"] == format_name
    assert len(case_names) >= MINIMUM_CASES_PER_FORMAT
    assert len(set(case_names)) == len(case_names)
    # Every folder has a manifest entry and every entry a folder.
    assert sorted(case_names) == folders


@pytest.mark.parametrize(("format_name", "case"), corpus_cases())
def test_case_gives_stated_result(format_name, case, tmp_path):
    load, table = LOADERS[format_name]
    landing_dir = tmp_path / "landing"
    copy_case(format_name, case["case"], landing_dir)
    con = duckdb.connect()

    result = load(con, landing_dir)

    expected_rejections = case["rejected"]
    assert result.rows_loaded == case["loaded"]
    assert result.rows_rejected == len(expected_rejections)
    actual_rejections = rejected_records(con, format_name)
    assert len(actual_rejections) == len(expected_rejections)
    for actual, expected in zip(actual_rejections, expected_rejections, strict=True):
        source_file, position, field_name, reason = actual
        assert (source_file, position, field_name) == (
            expected["file"],
            expected["position"],
            expected["field"],
        )
        assert expected["reason"] in reason

    assert result.warnings == case.get("warnings", {})
    assert list(result.files_ignored) == case.get("ignored", [])
    for source_file, encoding in case.get("encodings", {}).items():
        [(registered_encoding,)] = con.execute(
            "select text_encoding from raw.loaded_files where source_file = ?", [source_file]
        ).fetchall()
        assert registered_encoding == encoding
    unterminated = find_unterminated_files(con, format_name)
    assert {file.source_file: file.last_line_number for file in unterminated} == case.get(
        "unterminated_last_lines", {}
    )
    for column, values in case.get("values", {}).items():
        rows = con.execute(f"select {column} from {table} order by _source_file, _source_position")
        assert [row[0] for row in rows.fetchall()] == values

    files = reconcile_files(con, format_name, table)
    assert [file.source_file for file in files if not file.is_balanced] == []
    assert result.rows_read == result.rows_loaded + result.rows_rejected
