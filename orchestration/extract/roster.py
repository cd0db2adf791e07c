"""Load the agent roster (roster/agents.csv) into raw.roster_agents.

The file is RFC 4180 CSV with the header
`agent_id,full_name,team,site_timezone,hire_date,telephony_ids,crm_user_ids`. telephony_ids and
crm_user_ids are `;`-separated lists (`PJSIP/1001;Budi Santoso`, `9001;9002`). They are stored
as written, and staging splits them.

A row is rejected when agent_id is blank, site_timezone is not an IANA zone known to DuckDB
(`pg_timezone_names()`), or hire_date is not a `YYYY-MM-DD` calendar date. When the header
differs, every data line is rejected with a reason quoting the header found and the one expected.

A hire_date in the future is accepted: rosters list agents before their first day.
Duplicate agent_id values are all kept: choosing one here would hide the conflict, so the
data-quality checks downstream flag them instead.

A last line without a line feed is not rejected for that alone, because CSV exports often end
without one (RFC 4180 allows it). A line cut while the file was copied is rejected when the cut
leaves too few fields or an invalid value, but a cut inside crm_user_ids (`9002;90` of
`9002;9003`) leaves a valid line, which loads. The registry records that the file ends without a
line feed, and the asset check `roster_last_lines_end_with_line_feed` warns, naming the file, the
line and the field crm_user_ids.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    csv_header_check,
    csv_line_checks,
    reason_with_value_sql,
    sql_literal,
)
from orchestration.extract.common import LoadResult, SourceLoader, load_source
from orchestration.extract.staging import csv_stage, file_rejections_select_sql

SOURCE_KIND = "roster"
FILE_PATTERN = "roster/agents.csv"
TABLE = "raw.roster_agents"
EXPECTED_HEADER = (
    "agent_id",
    "full_name",
    "team",
    "site_timezone",
    "hire_date",
    "telephony_ids",
    "crm_user_ids",
)

ROSTER_DDL = f"""
create table if not exists {TABLE} (
    agent_id varchar,
    full_name varchar,
    team varchar,
    site_timezone varchar,
    hire_date date,
    telephony_ids varchar,
    crm_user_ids varchar,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""


def roster_checks() -> list[Check]:
    """Build the checks on a roster line, in the order they are reported."""
    checks = [csv_header_check(EXPECTED_HEADER)]
    field_count = len(EXPECTED_HEADER)
    checks += csv_line_checks("is_valid_csv", "field_count", field_count, field_count)
    checks += [
        Check(
            fails_when="coalesce(trim(agent_id), '') = ''",
            field_name="agent_id",
            reason=sql_literal("field agent_id is empty"),
            category="agent_id is empty",
        ),
        Check(
            fails_when="not is_known_time_zone",
            field_name="site_timezone",
            reason=reason_with_value_sql(
                "field site_timezone is not a known IANA time zone", "site_timezone"
            ),
            category="site_timezone is not a known time zone",
        ),
        Check(
            fails_when=(
                "not coalesce(regexp_full_match(hire_date_text, '\\d{4}-\\d{2}-\\d{2}')"
                " and try_cast(hire_date_text as date) is not null, false)"
            ),
            field_name="hire_date",
            reason=reason_with_value_sql(
                "field hire_date is not a date YYYY-MM-DD", "hire_date_text"
            ),
            category="hire_date is not a date",
        ),
    ]
    return checks


def candidates_sql() -> str:
    """SQL building temp table roster_candidates from the staged records."""
    return f"""
        create or replace temp table {SOURCE_KIND}_candidates as
        with
        known_time_zones as (
            select distinct name as time_zone_name
            from pg_timezone_names()
        ),

        named_fields as (
            select
                source_file,
                source_position,
                raw_text,
                is_valid_csv,
                field_count,
                header_text,
                has_expected_header,
                fields[1] as agent_id,
                fields[2] as full_name,
                fields[3] as team,
                fields[4] as site_timezone,
                fields[5] as hire_date_text,
                fields[6] as telephony_ids,
                fields[7] as crm_user_ids
            from {SOURCE_KIND}_records
        ),

        zone_checked as (
            select
                named_fields.*,
                known_time_zones.time_zone_name is not null as is_known_time_zone
            from named_fields
            left join known_time_zones
                on known_time_zones.time_zone_name = named_fields.site_timezone
        ),

        checked as (
            {apply_checks_sql('zone_checked', roster_checks())}
        )

        select
            source_file,
            source_position,
            raw_text,
            field_name,
            reason,
            rejection_category,
            agent_id,
            full_name,
            team,
            site_timezone,
            try_cast(hire_date_text as date) as hire_date,
            telephony_ids,
            crm_user_ids
        from checked

        union all by name

        {file_rejections_select_sql(SOURCE_KIND)}
    """


INSERT_SQL = f"""
    insert into {TABLE} by name
    select
        agent_id,
        full_name,
        team,
        site_timezone,
        hire_date,
        telephony_ids,
        crm_user_ids,
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {SOURCE_KIND}_candidates
    where reason is null
    order by source_file, source_position
"""


LOADER = SourceLoader(
    source_kind=SOURCE_KIND,
    file_pattern=FILE_PATTERN,
    table_ddl=[ROSTER_DDL],
    tables=[TABLE],
    stage=csv_stage(EXPECTED_HEADER),
    candidates_sql=candidates_sql,
    insert_statements=[INSERT_SQL],
)


def load_roster(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load roster/agents.csv into raw.roster_agents when it is new or changed.

    See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, LOADER, settle_seconds=settle_seconds, now=now)
