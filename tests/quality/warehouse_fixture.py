"""A small DuckDB warehouse with the five relations the suites read, good and bad rows mixed.

Each table's comment lists which rows each suite should fail, so the expected counts in the
tests can be checked against the rows here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

TICKETS_SQL = """
create table staging.stg_zendesk__tickets (
    ticket_id bigint, status varchar, channel varchar, category varchar,
    disposition varchar, assignee_id bigint
);
insert into staging.stg_zendesk__tickets values
    (101, 'solved', 'web',   'billing', 'refund issued', 9001),  -- complete
    (102, 'solved', 'email', 'billing', '   ',           9001),  -- whitespace disposition
    (103, 'closed', 'voice', null,      'resolved',      9002),  -- null category
    (104, 'open',   'web',   null,      null,            9002),  -- not finished: out of scope
    (105, 'closed', 'chat',  '',        chr(9),          null);  -- empty category, tab disposition
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
    "staging.stg_zendesk__tickets": TICKETS_SQL,
    "marts.fct_contacts": CONTACTS_SQL,
    "staging.stg_surveys__responses": SURVEYS_SQL,
    "raw.roster_agents": ROSTER_SQL,
}


def build_warehouse(path: Path, omitted_relations: Iterable[str] = ()) -> Path:
    """Create the fixture warehouse at `path`, without the relations in `omitted_relations`."""
    omitted = set(omitted_relations)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema staging")
        connection.execute("create schema raw")
        for relation, sql in RELATION_SQL.items():
            if relation not in omitted:
                connection.execute(sql)
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
