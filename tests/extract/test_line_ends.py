"""Tests of the line ends the file registry records, and of the files found ending without one."""

from __future__ import annotations

from datetime import datetime

import duckdb

from orchestration.extract.cdr import load_cdr
from orchestration.extract.leads import load_crm_leads
from orchestration.extract.queue_log import load_queue_log
from orchestration.extract.registry import (
    REGISTRY_TABLE,
    UnterminatedFile,
    count_files_with_last_line,
    find_unterminated_files,
)
from orchestration.extract.surveys import load_surveys
from orchestration.extract.zendesk import load_zendesk_users

LEADS = "crm/leads/leads-2026-10-02.csv"
LEADS_COPY = "crm/leads/leads-2026-10-02-copy.csv"
LEADS_HEADER = (
    "lead_id,owner_id,created_at,stage,stage_changed_at,won_at,lost_at,lead_score,interest\n"
)
OPEN_LEAD = "L-101,9002,2026-09-30T08:15:00Z,contacted,2026-10-01T02:00:00Z,,,,\n"
# A lead whose interest 'Paket TV' the copy cut to 'Paket', with no line feed after it.
CUT_LEAD = "L-102,9001,2026-09-29T09:00:00+07:00,lost,2026-10-01T11:00:00+07:00,,,20,Paket"
SURVEYS = "surveys/surveys-2026-10-02.csv"
SURVEYS_HEADER = "response_id,contact_ref,survey_type,score,submitted_at\n"
RESPONSE = "R-001,5001,csat,5,2026-10-01T10:00:00+07:00"
QUEUE_LOG = "telephony/queue_log/queue_log"
START = "1717397390|NONE|NONE|NONE|QUEUESTART|\n"
USERS = "crm/users/users-0001.json"
MODIFIED_AT = datetime(2026, 10, 2, 0, 0, 0)


def line_ends(warehouse, source_kind: str) -> dict[str, tuple]:
    """Map each registered file of a source kind to (last_line_number, has_final_line_feed)."""
    rows = warehouse.con.execute(
        f"""
        select source_file, last_line_number, has_final_line_feed
        from {REGISTRY_TABLE}
        where source_kind = ?
        """,
        [source_kind],
    ).fetchall()
    return {source_file: (line, has_line_feed) for source_file, line, has_line_feed in rows}


def test_cut_lead_file_is_recorded(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)

    result = load_crm_leads(warehouse.con, warehouse.landing_dir)

    # The cut line still has 9 fields, so both leads load.
    assert result.rows_loaded == 2
    assert line_ends(warehouse, "crm_leads") == {LEADS: (3, False)}
    assert find_unterminated_files(warehouse.con, "crm_leads") == [
        UnterminatedFile(LEADS, 3, None)
    ]


def test_complete_lead_file_is_recorded(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD + "\n")

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert line_ends(warehouse, "crm_leads") == {LEADS: (3, True)}
    assert find_unterminated_files(warehouse.con, "crm_leads") == []
    assert count_files_with_last_line(warehouse.con, "crm_leads") == 1


def test_trailing_blank_lines_are_skipped(warehouse):
    # Line 2 is the last non-blank line and ends with a line feed; the blanks after it are no rows.
    warehouse.write(SURVEYS, SURVEYS_HEADER + RESPONSE + "\r\n\r\n   ")

    load_surveys(warehouse.con, warehouse.landing_dir)

    assert line_ends(warehouse, "surveys") == {SURVEYS: (2, True)}


def test_rejected_last_line_names_reason(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + "L-102,9001,2026-09-29T09:00")

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    [unterminated] = find_unterminated_files(warehouse.con, "crm_leads")
    assert (unterminated.source_file, unterminated.last_line_number) == (LEADS, 3)
    assert unterminated.rejection_reason == "line has 3 fields, expected 9"


def test_header_only_file_is_not_listed(warehouse):
    warehouse.write(LEADS, LEADS_HEADER.rstrip("\n"))

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    # The header is line 1 and has no line feed, but the file has no record to cut.
    assert line_ends(warehouse, "crm_leads") == {LEADS: (1, False)}
    assert find_unterminated_files(warehouse.con, "crm_leads") == []
    assert count_files_with_last_line(warehouse.con, "crm_leads") == 0


def test_duplicate_file_is_not_listed(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)
    warehouse.write(LEADS_COPY, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    # '-copy.csv' sorts first and loads, so the original name is the duplicate.
    assert line_ends(warehouse, "crm_leads") == {LEADS: (3, False), LEADS_COPY: (3, False)}
    assert find_unterminated_files(warehouse.con, "crm_leads") == [
        UnterminatedFile(LEADS_COPY, 3, None)
    ]


def test_unchanged_file_stays_listed(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)
    warehouse.set_modified_at(LEADS, MODIFIED_AT)
    load_crm_leads(warehouse.con, warehouse.landing_dir)
    first_registry = warehouse.registry("crm_leads")

    rerun = load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert rerun.files_read == 0
    assert warehouse.registry("crm_leads") == first_registry
    assert [file.source_file for file in find_unterminated_files(warehouse.con, "crm_leads")] == [
        LEADS
    ]


def test_touched_file_keeps_line_end(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)
    warehouse.set_modified_at(LEADS, MODIFIED_AT)
    load_crm_leads(warehouse.con, warehouse.landing_dir)
    warehouse.set_modified_at(LEADS, datetime(2026, 10, 3, 0, 0, 0))

    rerun = load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert rerun.files_unchanged == 1
    assert line_ends(warehouse, "crm_leads") == {LEADS: (3, False)}


def test_completed_file_leaves_list(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)
    load_crm_leads(warehouse.con, warehouse.landing_dir)
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD + " TV\n")

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert line_ends(warehouse, "crm_leads") == {LEADS: (3, True)}
    assert find_unterminated_files(warehouse.con, "crm_leads") == []


def test_log_files_record_line_ends(warehouse):
    warehouse.write(QUEUE_LOG, START + START.rstrip("\n"))
    warehouse.write("telephony/cdr/Master.csv", "")

    load_queue_log(warehouse.con, warehouse.landing_dir)
    load_cdr(warehouse.con, warehouse.landing_dir)

    assert line_ends(warehouse, "queue_log") == {QUEUE_LOG: (2, False)}
    # An empty file has no last line.
    assert line_ends(warehouse, "cdr") == {"telephony/cdr/Master.csv": (None, None)}


def test_json_pages_record_no_line_end(warehouse):
    warehouse.write(USERS, '{"users": []}')

    load_zendesk_users(warehouse.con, warehouse.landing_dir)

    assert line_ends(warehouse, "zendesk_users") == {USERS: (None, None)}
    assert find_unterminated_files(warehouse.con, "zendesk_users") == []


def test_older_registry_gains_columns(warehouse):
    # raw.loaded_files as created before it recorded line ends, with one file already loaded.
    warehouse.con.execute("create schema raw")
    warehouse.con.execute(
        f"""
        create table {REGISTRY_TABLE} (
            source_kind varchar not null,
            source_file varchar not null,
            size_bytes bigint not null,
            modified_at timestamp not null,
            checksum_md5 varchar not null,
            text_encoding varchar,
            duplicate_of varchar,
            rows_read integer not null,
            rows_loaded integer not null,
            rows_rejected integer not null,
            loaded_at timestamp not null
        )
        """
    )
    warehouse.con.execute(
        f"""
        insert into {REGISTRY_TABLE} values
            ('surveys', 'surveys/old.csv', 10, '2026-10-01', 'md5', 'utf-8', null, 0, 0, 0,
             '2026-10-01')
        """
    )
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)

    load_crm_leads(warehouse.con, warehouse.landing_dir)

    assert line_ends(warehouse, "crm_leads") == {LEADS: (3, False)}
    assert line_ends(warehouse, "surveys") == {"surveys/old.csv": (None, None)}


def test_unrecorded_files_are_not_listed(warehouse):
    warehouse.write(LEADS, LEADS_HEADER + OPEN_LEAD + CUT_LEAD)
    load_crm_leads(warehouse.con, warehouse.landing_dir)
    # As a file loaded before the registry recorded line ends looks after the upgrade.
    warehouse.con.execute(
        f"update {REGISTRY_TABLE} set last_line_number = null, has_final_line_feed = null"
    )

    assert find_unterminated_files(warehouse.con, "crm_leads") == []
    assert count_files_with_last_line(warehouse.con, "crm_leads") == 0


def test_registry_columns_added_once(tmp_path):
    con = duckdb.connect()
    column_lists = []
    for _ in range(2):
        # An absent landing folder is an empty source: the load only creates the tables.
        load_crm_leads(con, tmp_path / "landing")
        columns = con.execute(
            """
            select column_name
            from information_schema.columns
            where table_schema = 'raw' and table_name = 'loaded_files'
            order by ordinal_position
            """
        ).fetchall()
        column_lists.append([column for (column,) in columns])

    assert column_lists[0] == column_lists[1]
    assert column_lists[0][-2:] == ["last_line_number", "has_final_line_feed"]
