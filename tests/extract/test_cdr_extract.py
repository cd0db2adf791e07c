"""Tests of load_cdr on Master.csv lines written as Asterisk's cdr_csv writes them."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from orchestration.extract.cdr import load_cdr
from orchestration.extract.checks import csv_fields_sql, csv_line_is_valid_sql

MASTER_CSV = "telephony/cdr/Master.csv"

# 18 fields (16 standard plus uniqueid and userfield): doubled quotes in clid, a comma inside
# lastdata, bare duration and billsec.
ANSWERED_LINE = (
    '"","081234567890","2000","from-pstn","""Budi"" <081234567890>","PJSIP/trunk-00000001",'
    '"PJSIP/1001-00000002","Queue","support,,,,300","2024-06-03 09:15:00","2024-06-03 09:15:25",'
    '"2024-06-03 09:20:25",325,300,"ANSWERED","DOCUMENTATION","1717381000.5",""'
)
# 16 fields, never answered: answer is empty and duration and billsec are quoted.
UNANSWERED_LINE = (
    '"","081298765432","2000","from-pstn","081298765432","PJSIP/trunk-00000003","","Queue",'
    '"support","2024-06-03 09:30:00","","2024-06-03 09:31:00","60","0","NO ANSWER","DOCUMENTATION"'
)
# 21 fields: every optional column present.
FULL_LINE = (
    '"acct7","1001","2000","from-internal","Siti <1001>","PJSIP/1001-00000004",'
    '"PJSIP/2000-00000005","Dial","PJSIP/2000,30","2024-06-03 10:00:00","2024-06-03 10:00:05",'
    '"2024-06-03 10:01:05",65,60,"ANSWERED","DOCUMENTATION","1717383600.7","vip","peer9",'
    '"1717383600.6","42"'
)


def test_hard_csv_fields_parse(warehouse):
    warehouse.write(MASTER_CSV, ANSWERED_LINE + "\n")

    load_cdr(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.cdr")
    assert row["accountcode"] == ""
    assert row["src"] == "081234567890"
    assert row["clid"] == '"Budi" <081234567890>'
    assert row["lastdata"] == "support,,,,300"
    assert row["start_local"] == datetime(2024, 6, 3, 9, 15, 0)
    assert row["answer_local"] == datetime(2024, 6, 3, 9, 15, 25)
    assert row["end_local"] == datetime(2024, 6, 3, 9, 20, 25)
    assert row["duration"] == 325
    assert row["billsec"] == 300
    assert row["disposition"] == "ANSWERED"
    assert row["uniqueid"] == "1717381000.5"
    assert row["userfield"] == ""
    assert row["peeraccount"] is None
    assert row["_source_file"] == MASTER_CSV
    assert row["_source_position"] == 1


def test_unanswered_call_has_null_answer(warehouse):
    warehouse.write(MASTER_CSV, UNANSWERED_LINE + "\n")

    result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    [row] = warehouse.rows("raw.cdr")
    assert row["answer_local"] is None
    assert row["duration"] == 60  # quoted "60" is accepted like a bare number
    assert row["billsec"] == 0
    assert row["dstchannel"] == ""
    assert row["uniqueid"] is None


def test_all_21_fields_load(warehouse):
    warehouse.write(MASTER_CSV, FULL_LINE + "\n")

    load_cdr(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.cdr")
    assert row["lastdata"] == "PJSIP/2000,30"
    assert row["userfield"] == "vip"
    assert row["peeraccount"] == "peer9"
    assert row["linkedid"] == "1717383600.6"
    assert row["sequence"] == "42"


def test_bom_and_crlf_are_stripped(warehouse):
    warehouse.write(MASTER_CSV, "\ufeff" + UNANSWERED_LINE + "\r\n" + FULL_LINE + "\r\n")

    result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    rows = warehouse.rows("raw.cdr")
    assert rows[0]["accountcode"] == ""
    assert rows[1]["sequence"] == "42"


def replace_field(line: str, index: int, new_value: str) -> str:
    """Return a fixture line with one field (1-based) replaced. The line must have no inner commas."""
    fields = line.split(",")
    fields[index - 1] = new_value
    return ",".join(fields)


@pytest.mark.parametrize(
    ("line", "field_name", "reason"),
    [
        (UNANSWERED_LINE.rsplit(",", 1)[0], None, "line has 15 fields, expected 16 to 21"),
        (FULL_LINE + ',"extra"', None, "line has 22 fields, expected 16 to 21"),
        (
            '"","1001","2000","from-internal","unterminated,"PJSIP/1001"',
            None,
            "line is not valid CSV: a quoted field is not closed, or a bare field contains a"
            " double quote",
        ),
        (
            replace_field(UNANSWERED_LINE, 10, '"03/06/2024 09:30"'),
            "start",
            "field start is not a local time YYYY-MM-DD HH:MM:SS: '03/06/2024 09:30'",
        ),
        (
            replace_field(UNANSWERED_LINE, 10, '""'),
            "start",
            "field start is not a local time YYYY-MM-DD HH:MM:SS: ''",
        ),
        (
            replace_field(UNANSWERED_LINE, 11, '"2024-06-31 09:30:05"'),
            "answer",
            "field answer is not a local time YYYY-MM-DD HH:MM:SS: '2024-06-31 09:30:05'",
        ),
        (
            replace_field(UNANSWERED_LINE, 12, '"2024-06-03"'),
            "end",
            "field end is not a local time YYYY-MM-DD HH:MM:SS: '2024-06-03'",
        ),
        (
            replace_field(UNANSWERED_LINE, 13, "6o"),
            "duration",
            "field duration is not a whole number: '6o'",
        ),
        (
            replace_field(UNANSWERED_LINE, 14, '"-1"'),
            "billsec",
            "field billsec is negative: '-1'",
        ),
    ],
)
def test_malformed_line_is_rejected(warehouse, line, field_name, reason):
    warehouse.write(MASTER_CSV, FULL_LINE + "\n" + line + "\n")

    result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 1
    assert warehouse.rejections("cdr") == [
        {
            "source_kind": "cdr",
            "source_file": MASTER_CSV,
            "source_position": 2,
            "field_name": field_name,
            "raw_text": line,
            "reason": reason,
        }
    ]


def test_windows_1252_line_is_decoded(warehouse):
    warehouse.write(MASTER_CSV, FULL_LINE + "\n")
    # cp1252 'é' (0xe9) in a caller name, as a Windows export would write it.
    cp1252_line = UNANSWERED_LINE.replace("081298765432", "Jos\xe9", 1).encode("cp1252")
    warehouse.write("telephony/cdr/Master-old.csv", cp1252_line + b"\n")

    result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 2
    assert result.rows_loaded == 2
    assert warehouse.rejections("cdr") == []
    # Rows come in path order, and 'Master-old.csv' sorts before 'Master.csv'.
    sources = [row["src"] for row in warehouse.rows("raw.cdr")]
    assert sources == ["José", "1001"]
    old_file = result.files[0]
    assert old_file.source_file == "telephony/cdr/Master-old.csv"
    assert old_file.text_encoding == "windows-1252"
    assert old_file.windows_1252_lines == (1,)


def test_undefined_byte_rejects_file(warehouse):
    # 0x81 is undefined in Windows-1252 and invalid as a UTF-8 start byte.
    warehouse.write(MASTER_CSV, FULL_LINE.encode() + b"\n" + b'"","\x81"\n')

    result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 0
    [rejection] = warehouse.rejections("cdr")
    assert rejection["source_position"] == 0
    # The full line and its line feed take len(FULL_LINE) + 1 bytes, then '"","' 4 more.
    offset = len(FULL_LINE) + 1 + 4
    assert rejection["reason"] == (
        f"file is neither UTF-8 nor Windows-1252 text: byte 0x81 at byte offset {offset}"
        " (line 2) is valid in neither"
    )


def test_empty_folder_gives_empty_table(warehouse):
    (warehouse.landing_dir / "telephony" / "cdr").mkdir(parents=True)

    result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 0
    assert warehouse.rows("raw.cdr") == []


def test_only_csv_files_are_read(warehouse):
    warehouse.write("telephony/cdr/Master.csv.gz.partial", "not a cdr line\n")

    result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 0
    assert warehouse.rejections("cdr") == []


def test_rerun_gives_identical_rows(warehouse):
    warehouse.write(MASTER_CSV, "\n".join([ANSWERED_LINE, UNANSWERED_LINE, "x,y"]) + "\n")
    first_result = load_cdr(warehouse.con, warehouse.landing_dir)
    first_rows = warehouse.rows("raw.cdr")
    first_rejections = warehouse.rejections("cdr")

    second_result = load_cdr(warehouse.con, warehouse.landing_dir)

    assert first_result.files_read == 1
    assert second_result.files_read == 0  # unchanged, so not read again
    assert second_result.files_unchanged == 1
    assert warehouse.rows("raw.cdr") == first_rows
    assert warehouse.rejections("cdr") == first_rejections


def test_removed_file_rows_disappear(warehouse):
    warehouse.write(MASTER_CSV, ANSWERED_LINE + "\n")
    older = warehouse.write("telephony/cdr/Master-2024-05.csv", UNANSWERED_LINE + "\nx,y\n")
    load_cdr(warehouse.con, warehouse.landing_dir)
    older.unlink()

    load_cdr(warehouse.con, warehouse.landing_dir)

    assert [row["_source_file"] for row in warehouse.rows("raw.cdr")] == [MASTER_CSV]
    assert warehouse.rejections("cdr") == []


@pytest.mark.parametrize(
    ("line", "expected_fields"),
    [
        (",a,", ["", "a", ""]),
        ('"a",,"b"', ["a", "", "b"]),
        ('"""x""",y', ['"x"', "y"]),
        ('""', [""]),
        ("", [""]),
    ],
)
def test_csv_split_keeps_empty_fields(line, expected_fields):
    con = duckdb.connect()

    fields, is_valid = con.execute(
        f"select {csv_fields_sql('$line')}, {csv_line_is_valid_sql('$line')}", {"line": line}
    ).fetchone()

    assert fields == expected_fields
    assert is_valid


@pytest.mark.parametrize("line", ['a"b,c', '"abc"d,e', '"open,x'])
def test_stray_quotes_make_line_invalid(line):
    con = duckdb.connect()

    [is_valid] = con.execute(f"select {csv_line_is_valid_sql('$line')}", {"line": line}).fetchone()

    assert not is_valid
