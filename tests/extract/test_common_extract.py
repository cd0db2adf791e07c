"""Tests of the shared extract machinery: SQL rule helpers, file listing and the transaction."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pytest

from orchestration.extract import queue_log
from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    is_whole_number_sql,
    sql_literal,
    timestamp_checks,
)
from orchestration.extract.common import list_landing_files


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", True),
        ("007", True),
        ("9223372036854775807", True),  # largest bigint
        ("9223372036854775808", False),  # one past it
        (" 17", False),  # try_cast alone would accept this
        ("1e3", False),  # and this
        ("-1", False),
        ("", False),
        (None, False),
    ],
)
def test_whole_number_condition(con, value, expected):
    [is_whole] = con.execute(f"select {is_whole_number_sql('$value')}", {"value": value}).fetchone()

    assert is_whole is expected


def first_failure(con, checks, value):
    """Return field_name, reason and rejection_category of the checks over one value v."""
    con.execute("create or replace temp table probe as select $value::varchar as v", {"value": value})
    checked_sql = apply_checks_sql("probe", checks)
    return con.execute(
        f"select field_name, reason, rejection_category from ({checked_sql})"
    ).fetchone()


def test_first_failing_check_wins(con):
    checks = [
        Check("v = 'a'", "first", sql_literal("reason one"), "category one"),
        Check("v in ('a', 'b')", None, sql_literal("reason two"), "category two"),
    ]

    assert first_failure(con, checks, "a") == ("first", "reason one", "category one")
    assert first_failure(con, checks, "b") == (None, "reason two", "category two")
    assert first_failure(con, checks, "c") == (None, None, None)


def test_null_condition_counts_as_passing(con):
    checks = [Check("v = 'a'", "field", sql_literal("reason"), "category")]

    assert first_failure(con, checks, None) == (None, None, None)


@pytest.mark.parametrize(
    ("value", "expected_category"),
    [
        ("2024-06-05T10:12:00+07:00", None),
        ("2024-06-05T03:12:00Z", None),
        ("2024-06-05 03:12:00.250+0000", None),
        (None, "submitted_at is missing"),
        ("2024-06-05T10:12:00", "submitted_at has no UTC offset"),
        ("2024-06-05T10:12", "submitted_at has no UTC offset"),
        ("2024-06-05", "submitted_at is not an ISO 8601 timestamp"),
        ("2024-13-05T10:12:00Z", "submitted_at is not an ISO 8601 timestamp"),
        ("5 June 2024 10:12 +07:00", "submitted_at is not an ISO 8601 timestamp"),
    ],
)
def test_timestamp_checks_classify_values(con, value, expected_category):
    checks = timestamp_checks("v", "submitted_at", is_required=True)

    _, _, category = first_failure(con, checks, value)

    assert category == expected_category


def test_absent_folder_lists_no_files(tmp_path):
    assert list_landing_files(tmp_path / "missing", "telephony/queue_log/*") == []


def test_subfolders_are_not_listed(tmp_path):
    folder = tmp_path / "telephony" / "queue_log"
    (folder / "archive").mkdir(parents=True)
    (folder / "queue_log").write_text("")

    files = list_landing_files(tmp_path, "telephony/queue_log/*")

    assert [path.name for path in files] == ["queue_log"]


def test_failed_load_keeps_previous_rows(tmp_path, con, monkeypatch):
    queue_log_file = tmp_path / "telephony" / "queue_log" / "queue_log"
    queue_log_file.parent.mkdir(parents=True)
    queue_log_file.write_text("1717397390|NONE|NONE|NONE|QUEUESTART|\n1717397390|NONE\n")
    queue_log.load_queue_log(con, tmp_path)
    queue_log_file.write_text("1717397391|NONE|NONE|NONE|CONFIGRELOAD|\n")
    # The insert fails after the old rows were deleted inside the transaction.
    broken_loader = replace(
        queue_log.LOADER, insert_statements=["insert into raw.queue_log select 1 as wrong"]
    )
    monkeypatch.setattr(queue_log, "LOADER", broken_loader)

    with pytest.raises(duckdb.Error):
        queue_log.load_queue_log(con, tmp_path)

    events = con.execute("select event from raw.queue_log").fetchall()
    assert events == [("QUEUESTART",)]
    rejection_count = con.execute("select count(*) from raw.rejected_records").fetchone()[0]
    assert rejection_count == 1

    monkeypatch.undo()
    queue_log.load_queue_log(con, tmp_path)
    assert con.execute("select event from raw.queue_log").fetchall() == [("CONFIGRELOAD",)]
