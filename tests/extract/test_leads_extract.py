"""Tests of load_crm_leads on CRM lead export CSV files."""

from __future__ import annotations

from datetime import datetime

import pytest

from orchestration.extract.leads import load_crm_leads

LEADS_FILE = "crm/leads/leads-2026-10-02.csv"
HEADER = "lead_id,owner_id,created_at,stage,stage_changed_at,won_at,lost_at,lead_score,interest"
WON_LINE = (
    'L-100,9001,2026-09-28T10:00:00+07:00,won,2026-10-01T14:30:00+07:00,'
    '2026-10-01T14:30:00+07:00,,85,"Paket Internet 50 Mbps, bundling TV"'
)
OPEN_LINE = "L-101,9002,2026-09-30T08:15:00Z,contacted,2026-10-01T02:00:00Z,,,,"


def test_lead_fields_map_to_columns(warehouse):
    warehouse.write(LEADS_FILE, "\n".join([HEADER, WON_LINE, OPEN_LINE]) + "\n")

    result = load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    won, open_lead = warehouse.rows("raw.crm_leads")
    assert won == {
        "lead_id": "L-100",
        "owner_id": 9001,
        # +07:00 offsets are stored in UTC
        "created_at": datetime(2026, 9, 28, 3, 0, 0),
        "stage": "won",
        "stage_changed_at": datetime(2026, 10, 1, 7, 30, 0),
        "won_at": datetime(2026, 10, 1, 7, 30, 0),
        "lost_at": None,
        "lead_score": 85,
        "interest": "Paket Internet 50 Mbps, bundling TV",
        "_source_file": LEADS_FILE,
        "_source_position": 2,
    }
    assert open_lead["won_at"] is None
    assert open_lead["lost_at"] is None
    assert open_lead["lead_score"] is None
    assert open_lead["interest"] == ""


def test_negative_lead_score_loads(warehouse):
    line = "L-102,9001,2026-09-30T08:15:00Z,qualified,2026-10-01T02:00:00Z,,,-10,TV kabel"
    warehouse.write(LEADS_FILE, HEADER + "\n" + line + "\n")

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.crm_leads")
    assert row["lead_score"] == -10


def test_same_lead_in_two_exports_kept(warehouse):
    # Daily exports: the lead as it was on each day; staging reads the stage changes from them.
    warehouse.write("crm/leads/leads-2026-10-01.csv", HEADER + "\n" + OPEN_LINE + "\n")
    later = "L-101,9002,2026-09-30T08:15:00Z,lost,2026-10-02T03:00:00Z,,2026-10-02T03:00:00Z,,"
    warehouse.write(LEADS_FILE, HEADER + "\n" + later + "\n")

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    rows = warehouse.rows("raw.crm_leads")
    assert [(row["lead_id"], row["stage"]) for row in rows] == [
        ("L-101", "contacted"),
        ("L-101", "lost"),
    ]


def replace_field(line: str, index: int, new_value: str) -> str:
    """Return OPEN_LINE-like text with one field (1-based) replaced."""
    fields = line.split(",")
    fields[index - 1] = new_value
    return ",".join(fields)


@pytest.mark.parametrize(
    ("line", "field_name", "reason"),
    [
        (OPEN_LINE + ",extra", None, "line has 10 fields, expected 9"),
        (replace_field(OPEN_LINE, 1, " "), "lead_id", "field lead_id is empty"),
        (replace_field(OPEN_LINE, 2, ""), "owner_id", "field owner_id is empty"),
        (
            replace_field(OPEN_LINE, 2, "budi"),
            "owner_id",
            "field owner_id is not a whole number (a CRM user id): 'budi'",
        ),
        (replace_field(OPEN_LINE, 3, ""), "created_at", "field created_at is missing"),
        (replace_field(OPEN_LINE, 4, ""), "stage", "field stage is empty"),
        (
            replace_field(OPEN_LINE, 5, "2026-10-01 09:00"),
            "stage_changed_at",
            "field stage_changed_at has no UTC offset, so its time is ambiguous:"
            " '2026-10-01 09:00'",
        ),
        (
            replace_field(OPEN_LINE, 6, "besok"),
            "won_at",
            "field won_at is not an ISO 8601 timestamp: 'besok'",
        ),
        (
            replace_field(OPEN_LINE, 8, "7.5"),
            "lead_score",
            "field lead_score is not an integer: '7.5'",
        ),
        (
            replace_field(OPEN_LINE, 8, "tinggi"),
            "lead_score",
            "field lead_score is not an integer: 'tinggi'",
        ),
        (
            replace_field(OPEN_LINE, 7, "2026-09-29T00:00:00Z"),
            "lost_at",
            "field lost_at '2026-09-29T00:00:00Z' is earlier than created_at"
            " '2026-09-30T08:15:00Z'",
        ),
    ],
)
def test_malformed_line_is_rejected(warehouse, line, field_name, reason):
    warehouse.write(LEADS_FILE, "\n".join([HEADER, WON_LINE, line]) + "\n")

    result = load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 1
    assert warehouse.rejections("crm_leads") == [
        {
            "source_kind": "crm_leads",
            "source_file": LEADS_FILE,
            "source_position": 3,
            "field_name": field_name,
            "raw_text": line,
            "reason": reason,
        }
    ]


def test_wrong_header_rejects_every_line(warehouse):
    old_header = "lead_id,owner,created_at,stage,stage_changed_at,won_at,lost_at,lead_score,interest"
    warehouse.write(LEADS_FILE, "\n".join([old_header, WON_LINE, OPEN_LINE]) + "\n")

    result = load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 0
    assert result.rows_rejected == 2
    rejections = warehouse.rejections("crm_leads")
    assert [rejection["source_position"] for rejection in rejections] == [2, 3]
    assert rejections[0]["reason"].startswith(f"file header '{old_header}' is not the expected")


def test_header_only_file_loads_nothing(warehouse):
    warehouse.write(LEADS_FILE, HEADER + "\r\n")

    result = load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 1
    assert result.rows_read == 0
    assert warehouse.rejections("crm_leads") == []
