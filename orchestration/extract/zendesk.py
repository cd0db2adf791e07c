"""Load Zendesk Support exports: tickets, ticket comments and users.

Each landing file is one JSON page as the Zendesk API returns it:

- `crm/tickets/*.json`: incremental ticket export pages, `{"tickets": [...], "end_of_stream": ...}`.
  The same ticket appears once per update it went through. Every occurrence is kept, and
  staging picks the one with the latest updated_at.
- `crm/ticket_comments/*.json`: one List Comments page per file,
  `{"ticket_id": 123, "comments": [...]}`.
- `crm/users/*.json`: user pages, `{"users": [...]}`.

Ids are JSON numbers and are stored as bigint. A record whose id is missing or not an integer
(a number written as a string included) is rejected. So is a timestamp that is not ISO 8601, has
no UTC offset, or lies more than `FUTURE_TOLERANCE_HOURS` after the file's modification time.
Ticket created_at and updated_at and comment created_at are required, and the other timestamps
may be null. Timestamps are stored in UTC. Members the loader does not read are ignored. A file
that is empty, is not valid JSON or lacks the page's array is rejected whole at position 0.
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
from orchestration.extract.staging import file_rejections_select_sql, stage_json_pages

TICKETS_KIND = "zendesk_tickets"
TICKETS_PATTERN = "crm/tickets/*.json"
TICKETS_TABLE = "raw.zendesk_tickets"
CUSTOM_FIELDS_TABLE = "raw.zendesk_ticket_custom_fields"

COMMENTS_KIND = "zendesk_ticket_comments"
COMMENTS_PATTERN = "crm/ticket_comments/*.json"
COMMENTS_TABLE = "raw.zendesk_ticket_comments"

USERS_KIND = "zendesk_users"
USERS_PATTERN = "crm/users/*.json"
USERS_TABLE = "raw.zendesk_users"

SATISFACTION_SCORES = ("good", "bad", "offered", "unoffered")

TICKETS_DDL = f"""
create table if not exists {TICKETS_TABLE} (
    ticket_id bigint,
    created_at timestamp,
    updated_at timestamp,
    status varchar,
    priority varchar,
    via_channel varchar,
    requester_id bigint,
    assignee_id bigint,
    group_id bigint,
    subject varchar,
    tags varchar,
    satisfaction_score varchar,
    satisfaction_updated_at timestamp,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""

CUSTOM_FIELDS_DDL = f"""
create table if not exists {CUSTOM_FIELDS_TABLE} (
    ticket_id bigint,
    ticket_updated_at timestamp,
    field_id bigint,
    field_value varchar,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""

COMMENTS_DDL = f"""
create table if not exists {COMMENTS_TABLE} (
    ticket_id bigint,
    comment_id bigint,
    author_id bigint,
    is_public boolean,
    body varchar,
    created_at timestamp,
    via_channel varchar,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""

USERS_DDL = f"""
create table if not exists {USERS_TABLE} (
    user_id bigint,
    name varchar,
    role varchar,
    phone varchar,
    email varchar,
    updated_at timestamp,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""


def member_text_sql(path: str, json_sql: str = "record") -> str:
    """SQL expression for a JSON member as text (strings unquoted, null when absent or null)."""
    return f"({json_sql} ->> {sql_literal(path)})"


def record_timestamp_checks(path: str, field_name: str, *, is_required: bool) -> list[Check]:
    """Build the checks that a record member is an ISO 8601 timestamp with an offset, not in the
    future."""
    value_sql = member_text_sql(path)
    return [
        *timestamp_checks(value_sql, field_name, is_required=is_required),
        future_timestamp_check(utc_timestamp_sql(value_sql), value_sql, field_name),
    ]


def records_sql(source_kind: str, records_key: str, page_columns: Sequence[str] = ()) -> str:
    """SQL selecting one row per element of each staged page's records array.

    source_position is the 1-based index of the record in its page. `page_columns` are SQL
    select-list items over the column `page`, repeated on every record of that page.

    The arrays are expanded with unnest and generate_subscripts in the select list. A lateral
    `json_each` ran out of memory on DuckDB 2.0.1 (over 3.7 GiB for 20 pages of 750 kB),
    apparently copying the page into every output row.
    """
    extra_columns = "".join(f",\n{column}" for column in page_columns)
    records_path = sql_literal(f"$.{records_key}[*]")
    return f"""
        select
            page_records.* exclude (record_list),
            generate_subscripts(record_list, 1)::integer as source_position,
            unnest(record_list) as record
        from (
            select
                source_file,
                file_modified_at,
                json_extract(page, {records_path}) as record_list{extra_columns}
            from {source_kind}_pages
        ) as page_records
    """


def ticket_checks() -> list[Check]:
    """Build the checks on a ticket record, in the order they are reported."""
    checks = [json_object_check("record")]
    checks += json_integer_checks("record", "$.id", "id", is_required=True)
    checks += record_timestamp_checks("$.created_at", "created_at", is_required=True)
    checks += record_timestamp_checks("$.updated_at", "updated_at", is_required=True)
    for id_field in ("requester_id", "assignee_id", "group_id"):
        checks += json_integer_checks("record", f"$.{id_field}", id_field, is_required=False)
    checks.append(json_type_check("record", "$.tags", "tags", ["ARRAY"], "a JSON array"))
    checks.append(
        json_type_check("record", "$.custom_fields", "custom_fields", ["ARRAY"], "a JSON array")
    )
    checks.append(
        Check(
            fails_when="custom_field_reason is not null",
            field_name="custom_fields.id",
            reason="custom_field_reason",
            category="custom_fields id is not an integer",
        )
    )
    checks.append(
        json_type_check(
            "record", "$.satisfaction_rating", "satisfaction_rating", ["OBJECT"], "a JSON object"
        )
    )

    score_list = ", ".join(sql_literal(score) for score in SATISFACTION_SCORES)
    described_scores = ", ".join(SATISFACTION_SCORES[:-1]) + f" or {SATISFACTION_SCORES[-1]}"
    score_sql = member_text_sql("$.satisfaction_rating.score")
    checks.append(
        Check(
            fails_when=(
                "json_type(record, '$.satisfaction_rating') = 'OBJECT'"
                f" and coalesce({score_sql}, '') not in ({score_list})"
            ),
            field_name="satisfaction_rating.score",
            reason=reason_with_value_sql(
                f"field satisfaction_rating.score is not {described_scores}", score_sql
            ),
            category="satisfaction_rating.score is unknown",
        )
    )
    checks += record_timestamp_checks(
        "$.satisfaction_rating.updated_at", "satisfaction_rating.updated_at", is_required=False
    )
    return checks


def tickets_candidates_sql() -> str:
    """SQL building temp table zendesk_tickets_candidates from the staged pages.

    The candidates keep each ticket's JSON in `record` so its custom fields can be unnested.
    """
    return f"""
        create or replace temp table {TICKETS_KIND}_candidates as
        with
        records as (
            {records_sql(TICKETS_KIND, 'tickets')}
        ),

        custom_field_lists as (
            select
                source_file,
                source_position,
                json_extract(record, '$.custom_fields[*]') as custom_field_list
            from records
            where json_type(record, '$.custom_fields') = 'ARRAY'
        ),

        custom_fields as (
            select
                source_file,
                source_position,
                generate_subscripts(custom_field_list, 1) - 1 as field_index,
                unnest(custom_field_list) as custom_field
            from custom_field_lists
        ),

        custom_field_problems as (
            select
                source_file,
                source_position,
                arg_min(
                    'field custom_fields[' || field_index || '].id is missing or not an integer'
                        || ' in ''' || custom_field::varchar || '''',
                    field_index
                ) as custom_field_reason
            from custom_fields
            where not coalesce(
                json_type(custom_field, '$.id') in ('BIGINT', 'UBIGINT')
                    and try_cast(custom_field ->> '$.id' as bigint) is not null,
                false
            )
            group by source_file, source_position
        ),

        records_with_custom_field_problems as (
            select
                records.source_file,
                records.source_position,
                records.file_modified_at,
                records.record,
                custom_field_problems.custom_field_reason
            from records
            left join custom_field_problems
                on custom_field_problems.source_file = records.source_file
                and custom_field_problems.source_position = records.source_position
        ),

        checked as (
            {apply_checks_sql('records_with_custom_field_problems', ticket_checks())}
        )

        select
            source_file,
            source_position,
            record::varchar as raw_text,
            field_name,
            reason,
            rejection_category,
            record,
            try_cast({member_text_sql('$.id')} as bigint) as ticket_id,
            {utc_timestamp_sql(member_text_sql('$.created_at'))} as created_at,
            {utc_timestamp_sql(member_text_sql('$.updated_at'))} as updated_at,
            {member_text_sql('$.status')} as status,
            {member_text_sql('$.priority')} as priority,
            {member_text_sql('$.via.channel')} as via_channel,
            try_cast({member_text_sql('$.requester_id')} as bigint) as requester_id,
            try_cast({member_text_sql('$.assignee_id')} as bigint) as assignee_id,
            try_cast({member_text_sql('$.group_id')} as bigint) as group_id,
            {member_text_sql('$.subject')} as subject,
            array_to_string(try(from_json(json_extract(record, '$.tags'), '["varchar"]')), ' ')
                as tags,
            {member_text_sql('$.satisfaction_rating.score')} as satisfaction_score,
            {utc_timestamp_sql(member_text_sql('$.satisfaction_rating.updated_at'))}
                as satisfaction_updated_at
        from checked

        union all by name

        {file_rejections_select_sql(TICKETS_KIND)}
    """


TICKETS_INSERT_SQL = f"""
    insert into {TICKETS_TABLE} by name
    select
        ticket_id,
        created_at,
        updated_at,
        status,
        priority,
        via_channel,
        requester_id,
        assignee_id,
        group_id,
        subject,
        tags,
        satisfaction_score,
        satisfaction_updated_at,
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {TICKETS_KIND}_candidates
    where reason is null
    order by source_file, source_position
"""

# One row per custom field of each loaded ticket. Array values are joined with commas, strings
# are unquoted, numbers and booleans keep their JSON spelling and a null value stays null.
CUSTOM_FIELDS_INSERT_SQL = f"""
    insert into {CUSTOM_FIELDS_TABLE} by name
    select
        ticket_id,
        ticket_updated_at,
        try_cast(custom_field ->> '$.id' as bigint) as field_id,
        case json_type(custom_field, '$.value')
            when 'NULL' then null
            when 'VARCHAR' then custom_field ->> '$.value'
            when 'ARRAY' then array_to_string(
                from_json(json_extract(custom_field, '$.value'), '["varchar"]'), ','
            )
            else json_extract(custom_field, '$.value')::varchar
        end as field_value,
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from (
        select
            ticket_id,
            ticket_updated_at,
            source_file,
            source_position,
            generate_subscripts(custom_field_list, 1) as field_position,
            unnest(custom_field_list) as custom_field
        from (
            select
                ticket_id,
                updated_at as ticket_updated_at,
                source_file,
                source_position,
                json_extract(record, '$.custom_fields[*]') as custom_field_list
            from {TICKETS_KIND}_candidates
            where reason is null
                and json_type(record, '$.custom_fields') = 'ARRAY'
        ) as ticket_custom_fields
    ) as custom_fields
    order by source_file, source_position, field_position
"""


# A List Comments page names its ticket once, at the top level, for all of its comments.
PAGE_TICKET_ID_COLUMN = f"{member_text_sql('$.ticket_id', 'page')} as page_ticket_id"


def comment_checks() -> list[Check]:
    """Build the checks on a ticket comment record, in the order they are reported."""
    checks = [json_object_check("record")]
    checks += json_integer_checks("record", "$.id", "id", is_required=True)
    checks += json_integer_checks("record", "$.author_id", "author_id", is_required=False)
    checks.append(json_type_check("record", "$.public", "public", ["BOOLEAN"], "true or false"))
    checks += record_timestamp_checks("$.created_at", "created_at", is_required=True)
    return checks


def comments_candidates_sql() -> str:
    """SQL building temp table zendesk_ticket_comments_candidates from the staged pages."""
    return f"""
        create or replace temp table {COMMENTS_KIND}_candidates as
        with
        records as (
            {records_sql(COMMENTS_KIND, 'comments', [PAGE_TICKET_ID_COLUMN])}
        ),

        checked as (
            {apply_checks_sql('records', comment_checks())}
        )

        select
            source_file,
            source_position,
            record::varchar as raw_text,
            field_name,
            reason,
            rejection_category,
            try_cast(page_ticket_id as bigint) as ticket_id,
            try_cast({member_text_sql('$.id')} as bigint) as comment_id,
            try_cast({member_text_sql('$.author_id')} as bigint) as author_id,
            try_cast({member_text_sql('$.public')} as boolean) as is_public,
            {member_text_sql('$.body')} as body,
            {utc_timestamp_sql(member_text_sql('$.created_at'))} as created_at,
            {member_text_sql('$.via.channel')} as via_channel
        from checked

        union all by name

        {file_rejections_select_sql(COMMENTS_KIND)}
    """


COMMENTS_INSERT_SQL = f"""
    insert into {COMMENTS_TABLE} by name
    select
        ticket_id,
        comment_id,
        author_id,
        is_public,
        body,
        created_at,
        via_channel,
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {COMMENTS_KIND}_candidates
    where reason is null
    order by source_file, source_position
"""


def user_checks() -> list[Check]:
    """Build the checks on a user record, in the order they are reported."""
    checks = [json_object_check("record")]
    checks += json_integer_checks("record", "$.id", "id", is_required=True)
    checks += record_timestamp_checks("$.updated_at", "updated_at", is_required=False)
    return checks


def users_candidates_sql() -> str:
    """SQL building temp table zendesk_users_candidates from the staged pages."""
    return f"""
        create or replace temp table {USERS_KIND}_candidates as
        with
        records as (
            {records_sql(USERS_KIND, 'users')}
        ),

        checked as (
            {apply_checks_sql('records', user_checks())}
        )

        select
            source_file,
            source_position,
            record::varchar as raw_text,
            field_name,
            reason,
            rejection_category,
            try_cast({member_text_sql('$.id')} as bigint) as user_id,
            {member_text_sql('$.name')} as name,
            {member_text_sql('$.role')} as role,
            {member_text_sql('$.phone')} as phone,
            {member_text_sql('$.email')} as email,
            {utc_timestamp_sql(member_text_sql('$.updated_at'))} as updated_at
        from checked

        union all by name

        {file_rejections_select_sql(USERS_KIND)}
    """


USERS_INSERT_SQL = f"""
    insert into {USERS_TABLE} by name
    select
        user_id,
        name,
        role,
        phone,
        email,
        updated_at,
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {USERS_KIND}_candidates
    where reason is null
    order by source_file, source_position
"""


def stage_ticket_pages(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Stage incremental ticket export pages: their records are the `tickets` array."""
    stage_json_pages(con, source_kind, files, "tickets")


def stage_comment_pages(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Stage List Comments pages: their records are the `comments` array.

    A page whose ticket_id is missing or not an integer is rejected whole, because none of its
    comments could be attached to a ticket.
    """
    page_checks = json_integer_checks("page", "$.ticket_id", "ticket_id", is_required=True)
    stage_json_pages(con, source_kind, files, "comments", page_checks)


def stage_user_pages(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Stage users pages: their records are the `users` array."""
    stage_json_pages(con, source_kind, files, "users")


TICKETS_LOADER = SourceLoader(
    source_kind=TICKETS_KIND,
    file_pattern=TICKETS_PATTERN,
    table_ddl=[TICKETS_DDL, CUSTOM_FIELDS_DDL],
    tables=[TICKETS_TABLE, CUSTOM_FIELDS_TABLE],
    stage=stage_ticket_pages,
    candidates_sql=tickets_candidates_sql,
    insert_statements=[TICKETS_INSERT_SQL, CUSTOM_FIELDS_INSERT_SQL],
)

COMMENTS_LOADER = SourceLoader(
    source_kind=COMMENTS_KIND,
    file_pattern=COMMENTS_PATTERN,
    table_ddl=[COMMENTS_DDL],
    tables=[COMMENTS_TABLE],
    stage=stage_comment_pages,
    candidates_sql=comments_candidates_sql,
    insert_statements=[COMMENTS_INSERT_SQL],
)

USERS_LOADER = SourceLoader(
    source_kind=USERS_KIND,
    file_pattern=USERS_PATTERN,
    table_ddl=[USERS_DDL],
    tables=[USERS_TABLE],
    stage=stage_user_pages,
    candidates_sql=users_candidates_sql,
    insert_statements=[USERS_INSERT_SQL],
)


def load_zendesk_tickets(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load new and changed crm/tickets/*.json pages into raw.zendesk_tickets and its custom fields.

    rows_loaded counts tickets. Each loaded ticket also adds one custom field row per element of
    its custom_fields array. See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, TICKETS_LOADER, settle_seconds=settle_seconds, now=now)


def load_zendesk_ticket_comments(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load new and changed crm/ticket_comments/*.json pages into raw.zendesk_ticket_comments.

    See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, COMMENTS_LOADER, settle_seconds=settle_seconds, now=now)


def load_zendesk_users(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load new and changed crm/users/*.json pages into raw.zendesk_users.

    See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, USERS_LOADER, settle_seconds=settle_seconds, now=now)
