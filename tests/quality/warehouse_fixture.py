"""A small DuckDB warehouse with the relations the suites read, good and bad rows mixed.

Each table's comment lists which rows each suite should fail, so the expected counts in the
tests can be checked against the rows here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

# tickets_recording: due are the finished tickets and the voice tickets (call id always due).
TICKETS_SQL = """
create table intermediate.int_ticket_recording_fields (
    ticket_id bigint, channel varchar, status varchar, is_finished boolean,
    source_agent_identity varchar, agent_id varchar, category varchar, disposition varchar,
    resolution_note varchar, call_id varchar
);
insert into intermediate.int_ticket_recording_fields values
    (101, 'web',      'solved', true,  '9001', 'A001', 'billing',  'refund issued', 'Refund diproses',  null),            -- complete
    (102, 'email',    'solved', true,  '9001', 'A001', 'billing',  '   ',           'Sudah dijelaskan', null),            -- whitespace disposition
    (103, 'voice',    'closed', true,  '9002', 'A002', null,       'resolved',      'Pelanggan puas',   '1790820000.1'),  -- null category
    (104, 'web',      'open',   false, '9002', 'A002', null,       null,            null,               null),            -- open, not voice: nothing due
    (105, 'chat',     'closed', true,  null,   null,   '',         chr(9),          'N/A',              null),            -- empty category, tab disposition, placeholder note; unassigned
    (106, 'voice',    'open',   false, '9001', 'A001', null,       null,            null,               ' - '),           -- open voice: only the call id is due, a placeholder
    (107, 'whatsapp', 'solved', true,  '9999', null,   'tagihan',  'selesai',       'Sudah dikoreksi',  null),            -- complete, but assignee 9999 is not on the roster
    (108, 'voice',    'solved', true,  '9002', 'A002', 'gangguan', 'selesai',       'Teknisi datang',   '1790820100.2');  -- complete
"""

# leads_recording reads int_lead_recording_fields, where dbt has already decided whether the
# owner worked each lead by call that day (a connected outbound call on the stage change's day).
LEADS_SQL = """
create table intermediate.int_lead_recording_fields (
    lead_id varchar, source_agent_identity varchar, agent_id varchar, channel varchar,
    team varchar, site_timezone varchar, stage_change_count bigint, interest varchar,
    lead_score varchar, is_worked_by_call boolean, activity_date date
);
insert into intermediate.int_lead_recording_fields values
    ('L001', '9001', 'A001', 'voice', 'Sales', 'Asia/Jakarta',  1, 'Paket 50 Mbps',  '80', true,  date '2026-10-01'),  -- due, complete
    ('L002', '9001', 'A001', 'voice', 'Sales', 'Asia/Jakarta',  2, ' n/a ',          '40', true,  date '2026-10-01'),  -- due, placeholder interest
    ('L003', '9001', 'A001', 'voice', 'Sales', 'Asia/Jakarta',  1, 'Paket keluarga', null, true,  date '2026-10-01'),  -- due, no lead score
    ('L004', '9002', 'A002', 'voice', 'Sales', 'Asia/Makassar', 1, null,             null, false, date '2026-10-01'),  -- no connected call that day: not due
    ('L004', '9002', 'A002', 'voice', 'Sales', 'Asia/Makassar', 1, 'Paket keluarga', '55', true,  date '2026-10-02'),  -- worked again the next day: due, complete
    ('L005', '9002', 'A002', 'voice', 'Sales', 'Asia/Makassar', 1, '',               '70', true,  date '2026-10-02'),  -- due, blank interest
    ('L006', '9003', null,   'voice', null,    'Asia/Jakarta',  1, null,             null, false, date '2026-10-01');  -- owner 9003 is not on the roster
"""

# calls_recording scope (voice and answered): C001, C002, C003.
# agent_identities scope (identity not null): C001, C002, C005, C006, C007.
CONTACTS_SQL = """
create schema marts;
create table marts.fct_contacts (
    contact_id varchar, channel varchar, is_answered boolean,
    source_agent_identity varchar, agent_id varchar
);
insert into marts.fct_contacts values
    ('C001', 'voice', true,  'PJSIP/1001', 'A001'),  -- known agent
    ('C002', 'voice', true,  'PJSIP/1999', null),    -- interface missing from the roster
    ('C003', 'voice', true,  null,         null),    -- answered, no agent recorded at all
    ('C004', 'voice', false, null,         null),    -- abandoned: in neither scope
    ('C005', 'email', true,  '9001',       'A001'),  -- known Zendesk user
    ('C006', 'chat',  true,  '9999',       null),    -- Zendesk user missing from the roster
    ('C007', 'voice', false, 'PJSIP/1999', null);    -- rang the unknown interface, unanswered
"""

SURVEYS_SQL = """
create table staging.stg_surveys__responses (
    response_id varchar, survey_type varchar, score integer
);
insert into staging.stg_surveys__responses values
    ('S001', 'csat', 5),   -- valid
    ('S002', 'csat', 0),   -- below the CSAT scale, though valid for NPS
    ('S003', 'nps',  11),  -- above the NPS scale
    ('S004', 'nps',  0),   -- valid: NPS lower bound
    ('S005', 'nps',  10),  -- valid: NPS upper bound
    ('S006', 'ces',  3),   -- unknown survey type
    ('S007', 'csat', 4),   -- valid score, but S007 appears twice
    ('S007', 'nps',  9);
"""

ROSTER_SQL = """
create table raw.roster_agents (
    agent_id varchar, full_name varchar, team varchar, site_timezone varchar, hire_date date
);
insert into raw.roster_agents values
    ('A001', 'Siti Rahayu',  'Billing',   'Asia/Jakarta',  date '2023-01-09'),  -- complete
    ('A002', 'Budi Santoso', ' ',         'Asia/Jakarta',  date '2023-02-13'),  -- blank team
    ('A003', 'Dewi Lestari', 'Billing',   null,            date '2023-03-06'),  -- null time zone
    ('A004', 'Agus Wijaya',  'Retention', 'Asia/Makassar', null),               -- null hire date
    ('A005', 'Rina Putri',   'Retention', 'Asia/Makassar', date '2024-05-20'),  -- A005 twice
    ('A005', 'Rina Kusuma',  'Retention', 'Asia/Makassar', date '2024-06-03');
"""

RELATION_SQL = {
    "intermediate.int_ticket_recording_fields": TICKETS_SQL,
    "intermediate.int_lead_recording_fields": LEADS_SQL,
    "marts.fct_contacts": CONTACTS_SQL,
    "staging.stg_surveys__responses": SURVEYS_SQL,
    "raw.roster_agents": ROSTER_SQL,
}


def build_warehouse(path: Path, omitted_relations: Iterable[str] = ()) -> Path:
    """Create the fixture warehouse at `path`, without the relations in `omitted_relations`."""
    omitted = set(omitted_relations)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema staging")
        connection.execute("create schema intermediate")
        connection.execute("create schema raw")
        for relation, sql in RELATION_SQL.items():
            if relation not in omitted:
                connection.execute(sql)
    return path


def build_tickets_only_warehouse(path: Path, complete_count: int, incomplete_count: int) -> Path:
    """Create a warehouse of solved email tickets, the first `complete_count` fully recorded.

    Ticket ids count up from 1; the incomplete tickets follow with a `-` disposition.
    """
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema intermediate")
        connection.execute(
            "create table intermediate.int_ticket_recording_fields (ticket_id bigint, "
            "channel varchar, status varchar, is_finished boolean, source_agent_identity varchar, "
            "agent_id varchar, category varchar, disposition varchar, resolution_note varchar, "
            "call_id varchar)"
        )
        for ticket_id in range(1, complete_count + incomplete_count + 1):
            disposition = "selesai" if ticket_id <= complete_count else "-"
            connection.execute(
                "insert into intermediate.int_ticket_recording_fields values "
                "(?, 'email', 'solved', true, '9001', 'A001', 'tagihan', ?, 'Sudah dikoreksi', null)",
                [ticket_id, disposition],
            )
    return path


def build_roster_only_warehouse(path: Path, agent_count: int) -> Path:
    """Create a warehouse whose roster has `agent_count` agents A01, A02, ... without a team."""
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema staging")
        connection.execute("create schema raw")
        connection.execute(
            "create table raw.roster_agents (agent_id varchar, full_name varchar, "
            "team varchar, site_timezone varchar, hire_date date)"
        )
        for number in range(1, agent_count + 1):
            connection.execute(
                "insert into raw.roster_agents "
                "values (?, ?, null, 'Asia/Jakarta', date '2024-01-08')",
                [f"A{number:02d}", f"Agent {number}"],
            )
    return path


# marts.agent_recording_quality for the operations report. The latest day is 7 Oct, so a
# 7-day window covers 1-7 Oct. Over that window, by hand:
#   AGT-2 Siti, Teknis, tickets: (1 + 1) / (4 + 2) = 2 / 6 = 0.333
#   AGT-3 Dewi, Tagihan, leads:  2 / 4 = 0.5
#   AGT-1 Budi, Tagihan, tickets: (9 + 10) / (10 + 10) = 19 / 20 = 0.95, exactly the target
#   AGT-4 Agus worked on 30 Sep only: outside the window.
RECORDING_QUALITY_SQL = """
create schema marts;
create table marts.agent_recording_quality (
    agent_id varchar, agent_name varchar, team varchar, activity_date date, record_kind varchar,
    records_due bigint, records_complete bigint, records_incomplete bigint,
    completeness_rate decimal(28, 6), target_completeness_rate decimal(28, 6),
    is_below_target boolean, incomplete_record_ids varchar, missing_field_names varchar
);
insert into marts.agent_recording_quality values
    ('AGT-1', 'Budi Santoso',          'Tagihan', date '2026-10-07', 'ticket', 10, 9,  1, 0.9,  0.95, true,  '7001',             'disposition'),
    ('AGT-1', 'Budi Santoso',          'Tagihan', date '2026-10-06', 'ticket', 10, 10, 0, 1,    0.95, false, null,               null),
    ('AGT-2', 'Siti Rahayu',           'Teknis',  date '2026-10-07', 'ticket', 4,  1,  3, 0.25, 0.95, true,  '7101, 7102, 7103', 'call_id, resolution_note'),
    ('AGT-2', 'Siti Rahayu',           'Teknis',  date '2026-10-05', 'ticket', 2,  1,  1, 0.5,  0.95, true,  '7050',             'category'),
    ('AGT-3', 'Dewi <Lestari> & Co',   'Tagihan', date '2026-10-07', 'lead',   4,  2,  2, 0.5,  0.95, true,  'L-10, L-9',        'interest'),
    ('AGT-4', 'Agus Wijaya',           'Teknis',  date '2026-09-30', 'ticket', 5,  0,  5, 0,    0.95, true,  '6901',             'category');
"""


def build_recording_quality_warehouse(path: Path, include_rows: bool = True) -> Path:
    """Create a warehouse holding only marts.agent_recording_quality, empty without rows."""
    with duckdb.connect(str(path)) as connection:
        connection.execute(RECORDING_QUALITY_SQL)
        if not include_rows:
            connection.execute("delete from marts.agent_recording_quality")
    return path
