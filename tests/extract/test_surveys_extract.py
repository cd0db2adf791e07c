"""Tests of load_surveys on survey response CSV files."""

from __future__ import annotations

from datetime import datetime

import pytest

from orchestration.extract.surveys import load_surveys

SURVEYS_FILE = "surveys/2024-06.csv"
HEADER = "response_id,contact_ref,survey_type,score,submitted_at"


def test_responses_load_in_utc(warehouse):
    lines = [
        HEADER,
        "R-001,1717397410.10,CSAT,5,2024-06-05T10:12:00+07:00",
        "R-002,ZD-101,nps,0,2024-06-05T03:12:00Z",
        '"R-003","ZD-102, follow-up",Nps,10,2024-06-05T23:30:00+08:00',
    ]
    warehouse.write(SURVEYS_FILE, "\n".join(lines) + "\n")

    result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert result.rows_read == 3  # the header is not a row
    assert result.rows_loaded == 3
    assert result.tables == ("raw.surveys",)
    assert warehouse.rows("raw.surveys") == [
        {
            "response_id": "R-001",
            "contact_ref": "1717397410.10",
            "survey_type": "csat",
            "score": 5,
            "submitted_at": datetime(2024, 6, 5, 3, 12),  # 10:12 at +07:00 is 03:12 UTC
            "_source_file": SURVEYS_FILE,
            "_source_position": 2,  # the header is line 1
        },
        {
            "response_id": "R-002",
            "contact_ref": "ZD-101",
            "survey_type": "nps",
            "score": 0,
            "submitted_at": datetime(2024, 6, 5, 3, 12),
            "_source_file": SURVEYS_FILE,
            "_source_position": 3,
        },
        {
            "response_id": "R-003",
            "contact_ref": "ZD-102, follow-up",
            "survey_type": "nps",
            "score": 10,
            "submitted_at": datetime(2024, 6, 5, 15, 30),  # 23:30 at +08:00 is 15:30 UTC
            "_source_file": SURVEYS_FILE,
            "_source_position": 4,
        },
    ]


@pytest.mark.parametrize(
    ("line", "field_name", "reason"),
    [
        (
            "R-010,ZD-110,csat,4.5,2024-06-05T10:12:00+07:00",
            "score",
            "field score is not a whole number from 1 to 5 (the csat scale): '4.5'",
        ),
        (
            "R-011,ZD-111,csat,empat,2024-06-05T10:12:00+07:00",
            "score",
            "field score is not a whole number from 1 to 5 (the csat scale): 'empat'",
        ),
        (
            "R-012,ZD-112,csat,0,2024-06-05T10:12:00+07:00",
            "score",
            "field score is not a whole number from 1 to 5 (the csat scale): '0'",
        ),
        (
            "R-013,ZD-113,nps,11,2024-06-05T10:12:00+07:00",
            "score",
            "field score is not a whole number from 0 to 10 (the nps scale): '11'",
        ),
        (
            "R-014,ZD-114,nps,,2024-06-05T10:12:00+07:00",
            "score",
            "field score is not a whole number from 0 to 10 (the nps scale): ''",
        ),
        (
            "R-015,ZD-115,ces,3,2024-06-05T10:12:00+07:00",
            "survey_type",
            "field survey_type is not csat or nps: 'ces'",
        ),
        (
            "R-016,ZD-116,csat,4,2024-06-05T10:12:00",
            "submitted_at",
            "field submitted_at has no UTC offset, so its time is ambiguous: '2024-06-05T10:12:00'",
        ),
        (
            "R-017,ZD-117,csat,4,05/06/2024 10:12",
            "submitted_at",
            "field submitted_at is not an ISO 8601 timestamp: '05/06/2024 10:12'",
        ),
        ("R-018,ZD-118,csat,4,", "submitted_at", "field submitted_at is missing"),
        (",ZD-119,csat,4,2024-06-05T10:12:00+07:00", "response_id", "field response_id is empty"),
        ("R-020,ZD-120,csat,4", None, "line has 4 fields, expected 5"),
        (
            'R-021,"ZD-121,csat,4,2024-06-05T10:12:00+07:00',
            None,
            "line is not valid CSV: a quoted field is not closed, or a bare field contains a"
            " double quote",
        ),
    ],
)
def test_bad_response_is_rejected(warehouse, line, field_name, reason):
    good_line = "R-001,ZD-101,csat,5,2024-06-05T10:12:00+07:00"
    warehouse.write(SURVEYS_FILE, f"{HEADER}\n{good_line}\n{line}\n")

    result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 1
    assert warehouse.rejections("surveys") == [
        {
            "source_kind": "surveys",
            "source_file": SURVEYS_FILE,
            "source_position": 3,
            "field_name": field_name,
            "raw_text": line,
            "reason": reason,
        }
    ]


def test_wrong_header_rejects_every_line(warehouse):
    lines = [
        "id,ref,type,score,time",
        "R-001,ZD-101,csat,5,2024-06-05T10:12:00+07:00",
        "",
        "R-002,ZD-102,nps,9,2024-06-05T10:13:00+07:00",
    ]
    warehouse.write(SURVEYS_FILE, "\n".join(lines))
    warehouse.write("surveys/2024-07.csv", f"{HEADER}\nR-100,ZD-200,csat,4,2024-07-01T08:00:00+07:00\n")

    result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 2
    assert result.rejection_reasons == {"file header is not the expected header": 2}
    reason = (
        "file header 'id,ref,type,score,time' is not the expected header"
        " 'response_id,contact_ref,survey_type,score,submitted_at'"
    )
    rejections = warehouse.rejections("surveys")
    assert [(row["source_position"], row["reason"]) for row in rejections] == [
        (2, reason),
        (4, reason),  # line 3 is blank
    ]


def test_quoted_header_is_accepted(warehouse):
    quoted_header = '"response_id","contact_ref","survey_type","score","submitted_at"'
    warehouse.write(SURVEYS_FILE, f"{quoted_header}\r\nR-001,ZD-101,csat,5,2024-06-05T10:12:00+07:00\r\n")

    result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1


def test_bom_header_is_accepted(warehouse):
    warehouse.write(SURVEYS_FILE, f"\ufeff{HEADER}\r\nR-001,ZD-101,csat,5,2024-06-05T10:12:00+07:00\r\n")

    result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert warehouse.rows("raw.surveys")[0]["_source_position"] == 2


@pytest.mark.parametrize("content", ["", f"{HEADER}\n", f"{HEADER}\r\n\r\n"])
def test_header_only_or_empty_file_loads_nothing(warehouse, content):
    warehouse.write(SURVEYS_FILE, content)

    result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 1
    assert result.rows_read == 0
    assert warehouse.rejections("surveys") == []


def test_windows_1252_file_is_decoded(warehouse):
    warehouse.write("surveys/2024-07.csv", f"{HEADER}\nR-100,ZD-200,csat,4,2024-07-01T08:00:00+07:00\n")
    warehouse.write(SURVEYS_FILE, f"{HEADER}\nR-001,Jos\xe9,csat,5,2024-06-05T10:12:00+07:00\n".encode("cp1252"))

    result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    assert warehouse.rejections("surveys") == []
    contact_refs = {row["_source_file"]: row["contact_ref"] for row in warehouse.rows("raw.surveys")}
    assert contact_refs == {"surveys/2024-07.csv": "ZD-200", SURVEYS_FILE: "José"}
    encodings = {file_load.source_file: file_load.text_encoding for file_load in result.files}
    assert encodings == {"surveys/2024-07.csv": "utf-8", SURVEYS_FILE: "windows-1252"}


def test_rerun_gives_identical_rows(warehouse):
    lines = [HEADER, "R-001,ZD-101,csat,5,2024-06-05T10:12:00+07:00", "R-002,ZD-102,csat,9,x"]
    warehouse.write(SURVEYS_FILE, "\n".join(lines))
    first_result = load_surveys(warehouse.con, warehouse.landing_dir)
    first_rows = warehouse.rows("raw.surveys")
    first_rejections = warehouse.rejections("surveys")

    second_result = load_surveys(warehouse.con, warehouse.landing_dir)

    assert first_result.files_read == 1
    assert second_result.files_read == 0  # unchanged, so not read again
    assert warehouse.rows("raw.surveys") == first_rows
    assert warehouse.rejections("surveys") == first_rejections


def test_removed_file_rows_disappear(warehouse):
    warehouse.write(SURVEYS_FILE, f"{HEADER}\nR-001,ZD-101,csat,5,2024-06-05T10:12:00+07:00\n")
    july = warehouse.write("surveys/2024-07.csv", f"{HEADER}\nR-100,ZD-200,csat,4,2024-07-01T08:00:00+07:00\nbad\n")
    load_surveys(warehouse.con, warehouse.landing_dir)
    july.unlink()

    load_surveys(warehouse.con, warehouse.landing_dir)

    assert [row["response_id"] for row in warehouse.rows("raw.surveys")] == ["R-001"]
    assert warehouse.rejections("surveys") == []
