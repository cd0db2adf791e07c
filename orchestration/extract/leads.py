"""Load CRM lead exports (crm/leads/*.csv) into raw.crm_leads.

Each file is RFC 4180 CSV with the header
`lead_id,owner_id,created_at,stage,stage_changed_at,won_at,lost_at,lead_score,interest`, one line
per lead as the CRM saw it when it wrote the file. A lead exported daily appears once per file,
and every occurrence is kept: staging reads each new stage_changed_at as a stage change.

owner_id is the CRM user id of the agent who owns the lead (the roster's crm_user_ids). Timestamps
are ISO 8601 with a UTC offset and are stored in UTC. won_at, lost_at, lead_score and interest
may be empty: an open lead has neither won_at nor lost_at, and a lead need not be scored. Empty
timestamps and scores become null, and an empty interest stays an empty string as written.

A line is rejected when lead_id or stage is empty, owner_id is not a whole number, created_at or
stage_changed_at is missing, a timestamp is not ISO 8601 with an offset, or lead_score is not an
integer. It is also rejected when stage_changed_at, won_at or lost_at is earlier than created_at,
because that would make a negative sales cycle, or when a timestamp is more than
`FUTURE_TOLERANCE_HOURS` after the file's modification time (a wrong clock, as for the other
formats). When a file's header differs, every data line of that file is rejected.

A last line without a line feed is not rejected for that alone, because CSV exports often end
without one (RFC 4180 allows it). A line cut while the file was copied is rejected when the cut
leaves the wrong field count, an open quote or an invalid value. A cut inside an unquoted interest
leaves a valid line, which loads shortened. The registry records that the file ends without a
line feed, and the asset check `crm_leads_last_lines_end_with_line_feed` warns, naming the file,
the line and the field interest.

NOTE: lines are split on line feeds before they are parsed, so a quoted interest that spans
lines is rejected as two invalid lines.
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
    future_timestamp_check,
    is_whole_number_sql,
    reason_with_value_sql,
    sql_literal,
    timestamp_checks,
    utc_timestamp_sql,
)
from orchestration.extract.common import LoadResult, SourceLoader, load_source
from orchestration.extract.staging import csv_stage, file_rejections_select_sql

SOURCE_KIND = "crm_leads"
FILE_PATTERN = "crm/leads/*.csv"
TABLE = "raw.crm_leads"
EXPECTED_HEADER = (
    "lead_id",
    "owner_id",
    "created_at",
    "stage",
    "stage_changed_at",
    "won_at",
    "lost_at",
    "lead_score",
    "interest",
)

# Timestamp columns and whether an empty value is rejected.
TIMESTAMP_COLUMNS = (
    ("created_at", True),
    ("stage_changed_at", True),
    ("won_at", False),
    ("lost_at", False),
)

# Integer with an optional sign: some CRMs subtract points, so a score can be negative.
SIGNED_INTEGER_PATTERN = r"[+-]?[0-9]+"

LEADS_DDL = f"""
create table if not exists {TABLE} (
    lead_id varchar,
    owner_id bigint,
    created_at timestamp,
    stage varchar,
    stage_changed_at timestamp,
    won_at timestamp,
    lost_at timestamp,
    lead_score integer,
    interest varchar,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""


def text_column(column: str) -> str:
    """Return the name of the column that contains a field's text (null when the field is empty)."""
    return f"{column}_text"


def not_empty_check(column: str) -> Check:
    """Build the check that a text field is not empty or blank."""
    return Check(
        fails_when=f"coalesce(trim({column}), '') = ''",
        field_name=column,
        reason=sql_literal(f"field {column} is empty"),
        category=f"{column} is empty",
    )


def not_before_created_check(column: str) -> Check:
    """Build the check that a timestamp field is not earlier than created_at."""
    value_sql = utc_timestamp_sql(text_column(column))
    created_sql = utc_timestamp_sql(text_column("created_at"))
    return Check(
        fails_when=f"coalesce({value_sql} < {created_sql}, false)",
        field_name=column,
        reason=(
            f"{sql_literal(f'field {column} ')} || '''' || {text_column(column)} || ''''"
            f" || ' is earlier than created_at ''' || {text_column('created_at')} || ''''"
        ),
        category=f"{column} is earlier than created_at",
    )


def lead_checks() -> list[Check]:
    """Build the checks on a lead line, in the order they are reported."""
    checks = [csv_header_check(EXPECTED_HEADER)]
    field_count = len(EXPECTED_HEADER)
    checks += csv_line_checks("is_valid_csv", "field_count", field_count, field_count)

    checks.append(not_empty_check("lead_id"))
    checks.append(not_empty_check("owner_id"))
    checks.append(
        Check(
            fails_when=f"not {is_whole_number_sql('owner_id')}",
            field_name="owner_id",
            reason=reason_with_value_sql(
                "field owner_id is not a whole number (a CRM user id)", "owner_id"
            ),
            category="owner_id is not a whole number",
        )
    )
    checks.append(not_empty_check("stage"))

    for column, is_required in TIMESTAMP_COLUMNS:
        checks += timestamp_checks(text_column(column), column, is_required=is_required)
    for column, _ in TIMESTAMP_COLUMNS:
        checks.append(
            future_timestamp_check(
                utc_timestamp_sql(text_column(column)), text_column(column), column
            )
        )

    checks.append(
        Check(
            fails_when=(
                f"{text_column('lead_score')} is not null and not coalesce("
                f"regexp_full_match({text_column('lead_score')},"
                f" {sql_literal(SIGNED_INTEGER_PATTERN)})"
                f" and try_cast({text_column('lead_score')} as integer) is not null, false)"
            ),
            field_name="lead_score",
            reason=reason_with_value_sql(
                "field lead_score is not an integer", text_column("lead_score")
            ),
            category="lead_score is not an integer",
        )
    )

    for column in ("stage_changed_at", "won_at", "lost_at"):
        checks.append(not_before_created_check(column))
    return checks


def candidates_sql() -> str:
    """SQL building temp table crm_leads_candidates from the staged records."""
    return f"""
        create or replace temp table {SOURCE_KIND}_candidates as
        with
        named_fields as (
            select
                source_file,
                source_position,
                raw_text,
                file_modified_at,
                is_valid_csv,
                field_count,
                header_text,
                has_expected_header,
                fields[1] as lead_id,
                fields[2] as owner_id,
                nullif(trim(fields[3]), '') as {text_column('created_at')},
                fields[4] as stage,
                nullif(trim(fields[5]), '') as {text_column('stage_changed_at')},
                nullif(trim(fields[6]), '') as {text_column('won_at')},
                nullif(trim(fields[7]), '') as {text_column('lost_at')},
                nullif(trim(fields[8]), '') as {text_column('lead_score')},
                fields[9] as interest
            from {SOURCE_KIND}_records
        ),

        checked as (
            {apply_checks_sql('named_fields', lead_checks())}
        )

        select
            source_file,
            source_position,
            raw_text,
            field_name,
            reason,
            rejection_category,
            lead_id,
            try_cast(owner_id as bigint) as owner_id,
            {utc_timestamp_sql(text_column('created_at'))} as created_at,
            stage,
            {utc_timestamp_sql(text_column('stage_changed_at'))} as stage_changed_at,
            {utc_timestamp_sql(text_column('won_at'))} as won_at,
            {utc_timestamp_sql(text_column('lost_at'))} as lost_at,
            try_cast({text_column('lead_score')} as integer) as lead_score,
            interest
        from checked

        union all by name

        {file_rejections_select_sql(SOURCE_KIND)}
    """


INSERT_SQL = f"""
    insert into {TABLE} by name
    select
        lead_id,
        owner_id,
        created_at,
        stage,
        stage_changed_at,
        won_at,
        lost_at,
        lead_score,
        interest,
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
    table_ddl=[LEADS_DDL],
    tables=[TABLE],
    stage=csv_stage(EXPECTED_HEADER),
    candidates_sql=candidates_sql,
    insert_statements=[INSERT_SQL],
)


def load_crm_leads(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load the new and changed crm/leads/*.csv files into raw.crm_leads.

    See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, LOADER, settle_seconds=settle_seconds, now=now)
