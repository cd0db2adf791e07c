"""Load Amazon Connect contact records (telephony/amazon_connect/*.json) into raw.amazon_connect_contacts.

A Kinesis Data Firehose stream writes contact records to S3 as JSON objects, either one per line
or concatenated without a separator when no newline delimiter is configured on the stream. Both
layouts load: a line that is not one valid JSON document is split wherever one object ends and
the next begins (`}{`, optionally with blanks between), and each piece is a record.

The files are read with `read_blob` and split in SQL like the other text sources, and not with
DuckDB's `read_json_objects(format='auto')`. That reader also accepts both layouts, but with
`ignore_errors` it turns a malformed object into a null row without its line number, so the
rejection could not name the line. `_source_position` is the line number. Objects concatenated
on one line share it, and their rejection reasons add the object's index on the line.

Fields follow the AWS contact record data model: `ContactId`, `InitialContactId`,
`PreviousContactId`, `NextContactId`, `Channel`, `InitiationMethod`, the ISO 8601 UTC timestamps
`InitiationTimestamp`, `DisconnectTimestamp` and `LastUpdateTimestamp`, and the objects `Queue`,
`Agent` (null when no agent answered) and `CustomerEndpoint`. Durations are whole seconds.
`AgentConnectionAttempts` is the number of times Connect tried to connect the contact to an
agent. Older records and other exporters may leave it out, and its column is then null.

A record is rejected when it is not valid JSON or not an object, when ContactId is missing or
not a non-empty string, when InitiationTimestamp or LastUpdateTimestamp is missing, when a
timestamp is not ISO 8601 with a UTC offset, when a duration or count is not a non-negative
integer, when Queue, Agent or CustomerEndpoint is not an object, or when a timestamp is more
than `FUTURE_TOLERANCE_HOURS` after the file's modification time. Connect delivers records at
least once, so every occurrence of a ContactId is kept here, and staging keeps the one with the
latest LastUpdateTimestamp.

NOTE: a string value containing `}{` on a line of concatenated objects makes that line split in
the wrong place, and its pieces are rejected as invalid JSON. A JSON object printed over several
lines is rejected line by line, because Firehose never writes one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    future_timestamp_check,
    json_integer_checks,
    json_object_check,
    json_type_check,
    reason_with_value_sql,
    sql_literal,
    timestamp_checks,
    utc_timestamp_sql,
)
from orchestration.extract.common import LoadResult, SourceLoader, load_source
from orchestration.extract.registry import LandingFile
from orchestration.extract.staging import (
    file_rejections_select_sql,
    replace_read_counts,
    stage_text_lines,
)
from orchestration.extract.zendesk import member_text_sql

SOURCE_KIND = "amazon_connect"
FILE_PATTERN = "telephony/amazon_connect/*.json"
TABLE = "raw.amazon_connect_contacts"

# Boundary between two concatenated objects: a closing brace, optional blanks, an opening brace.
OBJECT_BOUNDARY_PATTERN = r"\}\s*\{"

# Timestamp fields as (JSON path, raw column, required). Connect writes every record's initiation
# and last update time. The others are absent for contacts that never reached that step.
TIMESTAMP_FIELDS = (
    ("InitiationTimestamp", "initiation_at", True),
    ("LastUpdateTimestamp", "last_updated_at", True),
    ("DisconnectTimestamp", "disconnect_at", False),
    ("Queue.EnqueueTimestamp", "enqueued_at", False),
    ("Queue.DequeueTimestamp", "dequeued_at", False),
    ("Agent.ConnectedToAgentTimestamp", "agent_connected_at", False),
    ("Agent.AfterContactWorkStartTimestamp", "after_contact_work_started_at", False),
    ("Agent.AfterContactWorkEndTimestamp", "after_contact_work_ended_at", False),
)

# Whole-number fields (seconds, or a count) as (JSON path, raw column).
INTEGER_FIELDS = (
    ("AgentConnectionAttempts", "agent_connection_attempt_count"),
    ("Queue.Duration", "queue_duration_seconds"),
    ("Agent.AgentInteractionDuration", "agent_interaction_seconds"),
    ("Agent.CustomerHoldDuration", "customer_hold_seconds"),
    ("Agent.NumberOfHolds", "hold_count"),
    ("Agent.AfterContactWorkDuration", "after_contact_work_seconds"),
)

# Text fields as (JSON path, raw column).
TEXT_FIELDS = (
    ("ContactId", "contact_id"),
    ("InitialContactId", "initial_contact_id"),
    ("PreviousContactId", "previous_contact_id"),
    ("NextContactId", "next_contact_id"),
    ("Channel", "channel"),
    ("InitiationMethod", "initiation_method"),
    ("Queue.Name", "queue_name"),
    ("Agent.Username", "agent_username"),
    ("CustomerEndpoint.Address", "customer_number"),
    ("DisconnectReason", "disconnect_reason"),
)

AMAZON_CONNECT_DDL = f"""
create table if not exists {TABLE} (
    contact_id varchar,
    initial_contact_id varchar,
    previous_contact_id varchar,
    next_contact_id varchar,
    channel varchar,
    initiation_method varchar,
    initiation_at timestamp,
    disconnect_at timestamp,
    last_updated_at timestamp,
    queue_name varchar,
    enqueued_at timestamp,
    dequeued_at timestamp,
    queue_duration_seconds bigint,
    agent_username varchar,
    agent_connected_at timestamp,
    agent_interaction_seconds bigint,
    customer_hold_seconds bigint,
    hold_count bigint,
    after_contact_work_seconds bigint,
    after_contact_work_started_at timestamp,
    after_contact_work_ended_at timestamp,
    customer_number varchar,
    disconnect_reason varchar,
    agent_connection_attempt_count bigint,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""

# Columns added after raw.amazon_connect_contacts was first created. An older warehouse gets them
# with nulls, which stay until the file changes and is loaded again.
AMAZON_CONNECT_ADDED_COLUMNS = (("agent_connection_attempt_count", "bigint"),)

AMAZON_CONNECT_ADD_COLUMNS_DDL = [
    f"alter table {TABLE} add column if not exists {column} {column_type}"
    for column, column_type in AMAZON_CONNECT_ADDED_COLUMNS
]


def json_path(field: str) -> str:
    """Return the JSONPath of a dotted field name: `$.Agent.Username` for `Agent.Username`."""
    return f"$.{field}"


def contact_record_checks() -> list[Check]:
    """Build the checks on a contact record, in the order they are reported."""
    checks = [
        Check(
            fails_when="record is null",
            field_name=None,
            reason=sql_literal("record is not valid JSON"),
            category="record is not valid JSON",
        ),
        json_object_check("record"),
    ]

    contact_id_type = "json_type(record, '$.ContactId')"
    checks += [
        Check(
            fails_when=f"coalesce({contact_id_type}, 'NULL') = 'NULL'",
            field_name="ContactId",
            reason=sql_literal("field ContactId is missing"),
            category="ContactId is missing",
        ),
        Check(
            fails_when=(
                f"{contact_id_type} <> 'VARCHAR'"
                f" or trim({member_text_sql('$.ContactId')}) = ''"
            ),
            field_name="ContactId",
            reason=reason_with_value_sql(
                "field ContactId is not a non-empty string",
                "json_extract(record, '$.ContactId')::varchar",
            ),
            category="ContactId is not a non-empty string",
        ),
    ]

    for object_field in ("Queue", "Agent", "CustomerEndpoint"):
        checks.append(
            json_type_check(
                "record", json_path(object_field), object_field, ["OBJECT"], "a JSON object"
            )
        )

    for field, _column, is_required in TIMESTAMP_FIELDS:
        checks += timestamp_checks(
            member_text_sql(json_path(field)), field, is_required=is_required
        )
    for field, _column, _is_required in TIMESTAMP_FIELDS:
        value_sql = member_text_sql(json_path(field))
        checks.append(future_timestamp_check(utc_timestamp_sql(value_sql), value_sql, field))

    for field, _column in INTEGER_FIELDS:
        checks += json_integer_checks("record", json_path(field), field, is_required=False)
        value_sql = f"try_cast({member_text_sql(json_path(field))} as bigint)"
        checks.append(
            Check(
                fails_when=f"coalesce({value_sql} < 0, false)",
                field_name=field,
                reason=reason_with_value_sql(
                    f"field {field} is negative", member_text_sql(json_path(field))
                ),
                category=f"{field} is negative",
            )
        )
    return checks


def stage_records_sql() -> str:
    """SQL building temp table amazon_connect_records: one row per JSON object of each line.

    A line that is one valid JSON document is one record. Any other line is split at every
    object boundary, the braces the split removed are put back, and each piece is a record that
    the checks accept or reject on its own.
    """
    return f"""
        create or replace temp table {SOURCE_KIND}_records as
        with
        split_lines as (
            select
                source_file,
                source_position,
                file_modified_at,
                case
                    when json_valid(line_text) then [line_text]
                    else regexp_split_to_array(line_text, {sql_literal(OBJECT_BOUNDARY_PATTERN)})
                end as pieces
            from {SOURCE_KIND}_lines
        ),

        pieces as (
            select
                source_file,
                source_position,
                file_modified_at,
                len(pieces) as object_count,
                generate_subscripts(pieces, 1)::integer as object_index,
                unnest(pieces) as piece
            from split_lines
        ),

        restored as (
            select
                source_file,
                source_position,
                file_modified_at,
                object_count,
                object_index,
                case when object_index > 1 then '{{' else '' end
                    || piece
                    || case when object_index < object_count then '}}' else '' end as raw_text
            from pieces
        )

        select
            source_file,
            source_position,
            file_modified_at,
            object_count,
            object_index,
            raw_text,
            case when json_valid(raw_text) then raw_text::json end as record
        from restored
    """


def candidates_sql() -> str:
    """SQL building temp table amazon_connect_candidates from the staged records."""
    text_columns = ",\n".join(
        f"{member_text_sql(json_path(field))} as {column}" for field, column in TEXT_FIELDS
    )
    timestamp_columns = ",\n".join(
        f"{utc_timestamp_sql(member_text_sql(json_path(field)))} as {column}"
        for field, column, _is_required in TIMESTAMP_FIELDS
    )
    integer_columns = ",\n".join(
        f"try_cast({member_text_sql(json_path(field))} as bigint) as {column}"
        for field, column in INTEGER_FIELDS
    )
    return f"""
        create or replace temp table {SOURCE_KIND}_candidates as
        with
        checked as (
            {apply_checks_sql(f'{SOURCE_KIND}_records', contact_record_checks())}
        )

        select
            source_file,
            source_position,
            object_index,
            raw_text,
            field_name,
            case
                when reason is null or object_count = 1 then reason
                else reason || ' (object ' || object_index || ' of ' || object_count
                    || ' on the line)'
            end as reason,
            rejection_category,
            {text_columns},
            {timestamp_columns},
            {integer_columns}
        from checked

        union all by name

        {file_rejections_select_sql(SOURCE_KIND)}
    """


INSERT_SQL = f"""
    insert into {TABLE} by name
    select
        * exclude (
            source_file, source_position, object_index, raw_text, field_name, reason,
            rejection_category
        ),
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {SOURCE_KIND}_candidates
    where reason is null
    order by source_file, source_position, object_index
"""


def stage_contact_records(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Stage the files' lines, then split them into one staged row per JSON object.

    A line of three concatenated records is three rows read, so the read counts are the records'.
    """
    stage_text_lines(con, source_kind, files)
    con.execute(stage_records_sql())
    replace_read_counts(
        con,
        source_kind,
        f"select source_file, count(*) as rows_read from {source_kind}_records group by source_file",
    )


LOADER = SourceLoader(
    source_kind=SOURCE_KIND,
    file_pattern=FILE_PATTERN,
    table_ddl=[AMAZON_CONNECT_DDL, *AMAZON_CONNECT_ADD_COLUMNS_DDL],
    tables=[TABLE],
    stage=stage_contact_records,
    candidates_sql=candidates_sql,
    insert_statements=[INSERT_SQL],
)


def load_amazon_connect(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load the new and changed telephony/amazon_connect/*.json files into raw.amazon_connect_contacts.

    rows_read counts JSON objects, so a line of three concatenated records counts three. See
    `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, LOADER, settle_seconds=settle_seconds, now=now)
