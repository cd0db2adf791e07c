"""Load Asterisk cdr_csv files (Master.csv) into raw.cdr.

cdr_csv writes one call per line without a header. Every field is in double quotes except
duration and billsec. A quote inside a field is doubled, so the caller id `"Alice" <1001>` is
written with each inner quote twice, and quoted fields may contain commas (`"PJSIP/2000,30"`).
Both quoted and bare numbers are accepted.

A line has 16 to 21 fields: the 16 standard ones, then optionally uniqueid, userfield,
peeraccount, linkedid and sequence, depending on the Asterisk version and cdr_csv settings.
start, answer and end are the server's local time without a zone, so they are stored as
`*_local`. An empty answer means the call was never answered and becomes null. A line is rejected
when duration or billsec is negative, when end is before start or answer before start, and when
start lies more than `FUTURE_TOLERANCE_HOURS` after the file's modification time. cdr_csv ends
every line with a line feed, so a last line without one was cut off and is rejected.

NOTE: lines are split on line feeds before they are parsed, so a quoted field that spans lines
is rejected as two invalid lines. cdr_csv does not write line breaks inside fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    csv_fields_sql,
    csv_line_checks,
    csv_line_is_valid_sql,
    future_timestamp_check,
    line_end_check,
    local_timestamp_checks,
    local_timestamp_sql,
    reason_with_value_sql,
    whole_number_checks,
)
from orchestration.extract.common import LoadResult, SourceLoader, load_source
from orchestration.extract.registry import LandingFile
from orchestration.extract.staging import file_rejections_select_sql, stage_text_lines

SOURCE_KIND = "cdr"
FILE_PATTERN = "telephony/cdr/*.csv"
TABLE = "raw.cdr"

# cdr_csv column order. The first 16 are always written, the rest only by some configurations.
REQUIRED_COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
)
OPTIONAL_COLUMNS = ("uniqueid", "userfield", "peeraccount", "linkedid", "sequence")
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Columns stored with another name or type. The other columns are stored as text.
TIME_COLUMNS = ("start", "answer", "end")
WHOLE_NUMBER_COLUMNS = ("duration", "billsec")

CDR_DDL = f"""
create table if not exists {TABLE} (
    accountcode varchar,
    src varchar,
    dst varchar,
    dcontext varchar,
    clid varchar,
    channel varchar,
    dstchannel varchar,
    lastapp varchar,
    lastdata varchar,
    start_local timestamp,
    answer_local timestamp,
    end_local timestamp,
    duration bigint,
    billsec bigint,
    disposition varchar,
    amaflags varchar,
    uniqueid varchar,
    userfield varchar,
    peeraccount varchar,
    linkedid varchar,
    sequence varchar,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""


def field_column_name(column: str) -> str:
    """Name of the text column holding a parsed cdr_csv field in the candidates SQL."""
    return f"{column}_text"


def cdr_checks() -> list[Check]:
    """Build the checks on a cdr_csv line, in the order they are reported."""
    checks = [line_end_check("Asterisk's cdr_csv")]
    checks += csv_line_checks(
        "is_valid_csv", "field_count", len(REQUIRED_COLUMNS), len(ALL_COLUMNS)
    )
    for column in TIME_COLUMNS:
        checks += local_timestamp_checks(
            field_column_name(column), column, allows_empty=(column == "answer")
        )
    for column in WHOLE_NUMBER_COLUMNS:
        checks += whole_number_checks(
            field_column_name(column), column, f"field {column}", column
        )

    start_text = field_column_name("start")
    start_sql = local_timestamp_sql(start_text)
    for column in ("answer", "end"):
        value_sql = field_column_name(column)
        checks.append(
            Check(
                fails_when=f"{local_timestamp_sql(value_sql)} < {start_sql}",
                field_name=column,
                reason=(
                    f"{reason_with_value_sql(f'field {column} is before start', value_sql)}"
                    f" || ' (start ''' || {start_text} || ''')'"
                ),
                category=f"{column} is before start",
            )
        )
    checks.append(future_timestamp_check(start_sql, start_text, "start"))
    return checks


def candidates_sql() -> str:
    """SQL building temp table cdr_candidates from the staged lines."""
    field_columns = ",\n".join(
        f"fields[{index}] as {field_column_name(column)}"
        for index, column in enumerate(ALL_COLUMNS, start=1)
    )
    text_columns = ",\n".join(
        f"{field_column_name(column)} as {column}"
        for column in ALL_COLUMNS
        if column not in TIME_COLUMNS + WHOLE_NUMBER_COLUMNS
    )
    return f"""
        create or replace temp table {SOURCE_KIND}_candidates as
        with
        parsed_lines as (
            select
                source_file,
                source_position,
                line_text as raw_text,
                has_line_end,
                file_modified_at,
                {csv_line_is_valid_sql('line_text')} as is_valid_csv,
                {csv_fields_sql('line_text')} as fields
            from {SOURCE_KIND}_lines
        ),

        named_fields as (
            select
                source_file,
                source_position,
                raw_text,
                has_line_end,
                file_modified_at,
                is_valid_csv,
                len(fields) as field_count,
                {field_columns}
            from parsed_lines
        ),

        checked as (
            {apply_checks_sql('named_fields', cdr_checks())}
        )

        select
            source_file,
            source_position,
            raw_text,
            field_name,
            reason,
            rejection_category,
            {text_columns},
            {local_timestamp_sql(field_column_name('start'))} as start_local,
            {local_timestamp_sql(field_column_name('answer'))} as answer_local,
            {local_timestamp_sql(field_column_name('end'))} as end_local,
            try_cast({field_column_name('duration')} as bigint) as duration,
            try_cast({field_column_name('billsec')} as bigint) as billsec
        from checked

        union all by name

        {file_rejections_select_sql(SOURCE_KIND)}
    """


INSERT_SQL = f"""
    insert into {TABLE} by name
    select
        * exclude (source_file, source_position, raw_text, field_name, reason, rejection_category),
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {SOURCE_KIND}_candidates
    where reason is null
    order by source_file, source_position
"""


def stage_cdr(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Stage cdr_csv files as text lines: they have no header line."""
    stage_text_lines(con, source_kind, files)


LOADER = SourceLoader(
    source_kind=SOURCE_KIND,
    file_pattern=FILE_PATTERN,
    table_ddl=[CDR_DDL],
    tables=[TABLE],
    stage=stage_cdr,
    candidates_sql=candidates_sql,
    insert_statements=[INSERT_SQL],
)


def load_cdr(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load the new and changed telephony/cdr/*.csv files into raw.cdr.

    See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, LOADER, settle_seconds=settle_seconds, now=now)
