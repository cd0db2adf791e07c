"""Tests of load_roster on roster/agents.csv."""

from __future__ import annotations

from datetime import date

import pytest

from orchestration.extract.roster import load_roster

ROSTER_FILE = "roster/agents.csv"
HEADER = "agent_id,full_name,team,site_timezone,hire_date,telephony_ids,crm_user_ids"
BUDI = "A001,Budi Santoso,Billing,Asia/Jakarta,2023-01-09,PJSIP/1001;Budi Santoso,9001;9002"


def test_agents_load_with_id_lists(warehouse):
    lines = [
        HEADER,
        BUDI,
        '"A002","Siti Rahmawati, S.Kom",Teknis,Asia/Makassar,2022-11-01,PJSIP/1002,9003',
    ]
    warehouse.write(ROSTER_FILE, "\n".join(lines) + "\n")

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 1
    assert result.rows_loaded == 2
    assert result.tables == ("raw.roster_agents",)
    assert warehouse.rows("raw.roster_agents") == [
        {
            "agent_id": "A001",
            "full_name": "Budi Santoso",
            "team": "Billing",
            "site_timezone": "Asia/Jakarta",
            "hire_date": date(2023, 1, 9),
            "telephony_ids": "PJSIP/1001;Budi Santoso",
            "crm_user_ids": "9001;9002",
            "_source_file": ROSTER_FILE,
            "_source_position": 2,
        },
        {
            "agent_id": "A002",
            "full_name": "Siti Rahmawati, S.Kom",
            "team": "Teknis",
            "site_timezone": "Asia/Makassar",
            "hire_date": date(2022, 11, 1),
            "telephony_ids": "PJSIP/1002",
            "crm_user_ids": "9003",
            "_source_file": ROSTER_FILE,
            "_source_position": 3,
        },
    ]


def test_duplicate_agent_ids_are_kept(warehouse):
    moved_budi = "A001,Budi Santoso,Teknis,Asia/Jakarta,2023-01-09,PJSIP/1011,9001"
    warehouse.write(ROSTER_FILE, f"{HEADER}\n{BUDI}\n{moved_budi}\n")

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    teams = [(row["agent_id"], row["team"]) for row in warehouse.rows("raw.roster_agents")]
    assert teams == [("A001", "Billing"), ("A001", "Teknis")]


def test_only_agents_csv_is_read(warehouse):
    warehouse.write("roster/agents-old.csv", f"{HEADER}\n{BUDI}\n")

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 0
    assert warehouse.rows("raw.roster_agents") == []


@pytest.mark.parametrize(
    ("line", "field_name", "reason"),
    [
        (",Tanpa Id,Billing,Asia/Jakarta,2023-01-09,,", "agent_id", "field agent_id is empty"),
        ("  ,Tanpa Id,Billing,Asia/Jakarta,2023-01-09,,", "agent_id", "field agent_id is empty"),
        (
            "A003,Dewi,Billing,Asia/Jakrta,2023-01-09,,",
            "site_timezone",
            "field site_timezone is not a known IANA time zone: 'Asia/Jakrta'",
        ),
        (
            "A003,Dewi,Billing,WIB,2023-01-09,,",
            "site_timezone",
            "field site_timezone is not a known IANA time zone: 'WIB'",
        ),
        (
            "A003,Dewi,Billing,Asia/Jakarta,09/01/2023,,",
            "hire_date",
            "field hire_date is not a date YYYY-MM-DD: '09/01/2023'",
        ),
        (
            "A003,Dewi,Billing,Asia/Jakarta,2023-02-30,,",
            "hire_date",
            "field hire_date is not a date YYYY-MM-DD: '2023-02-30'",
        ),
        ("A003,Dewi,Billing,Asia/Jakarta,2023-01-09", None, "line has 5 fields, expected 7"),
    ],
)
def test_bad_agent_row_is_rejected(warehouse, line, field_name, reason):
    warehouse.write(ROSTER_FILE, f"{HEADER}\n{BUDI}\n{line}\n")

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 1
    assert warehouse.rejections("roster") == [
        {
            "source_kind": "roster",
            "source_file": ROSTER_FILE,
            "source_position": 3,
            "field_name": field_name,
            "raw_text": line,
            "reason": reason,
        }
    ]


def test_wrong_header_rejects_every_line(warehouse):
    warehouse.write(ROSTER_FILE, f"agent_id,name,team,timezone,hire_date\n{BUDI}\n")

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 0
    [rejection] = warehouse.rejections("roster")
    assert rejection["source_position"] == 2
    assert rejection["field_name"] is None
    assert rejection["reason"] == (
        "file header 'agent_id,name,team,timezone,hire_date' is not the expected header"
        f" '{HEADER}'"
    )


def test_bom_and_crlf_are_stripped(warehouse):
    warehouse.write(ROSTER_FILE, f"\ufeff{HEADER}\r\n{BUDI}\r\n")

    load_roster(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.roster_agents")
    assert row["agent_id"] == "A001"
    assert row["crm_user_ids"] == "9001;9002"


def test_header_only_file_loads_nothing(warehouse):
    warehouse.write(ROSTER_FILE, f"{HEADER}\n")

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.rows_read == 0
    assert result.rows_rejected == 0


def test_utf16_roster_is_rejected_whole(warehouse):
    warehouse.write(ROSTER_FILE, f"{HEADER}\n{BUDI}\n".encode("utf-16-le"))

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.rows_read == 1
    assert result.rows_rejected == 1
    [rejection] = warehouse.rejections("roster")
    assert rejection["source_position"] == 0
    # UTF-16-LE writes 'a' as the bytes 61 00, so the first NUL is at offset 1 on line 1.
    assert rejection["reason"] == (
        "file is not text: it contains a NUL byte at byte offset 1 (line 1),"
        " as UTF-16 and binary files do"
    )


def test_rerun_and_removal(warehouse):
    roster = warehouse.write(ROSTER_FILE, f"{HEADER}\n{BUDI}\nA009,X,Y,Mars/Base,2023-01-09,,\n")
    first_result = load_roster(warehouse.con, warehouse.landing_dir)
    first_rows = warehouse.rows("raw.roster_agents")
    first_rejections = warehouse.rejections("roster")

    second_result = load_roster(warehouse.con, warehouse.landing_dir)
    assert first_result.files_read == 1
    assert second_result.files_read == 0  # unchanged, so not read again
    assert warehouse.rows("raw.roster_agents") == first_rows
    assert warehouse.rejections("roster") == first_rejections

    roster.unlink()
    result = load_roster(warehouse.con, warehouse.landing_dir)
    assert [removed.source_file for removed in result.files_removed] == [ROSTER_FILE]
    assert warehouse.rows("raw.roster_agents") == []
    assert warehouse.rejections("roster") == []
