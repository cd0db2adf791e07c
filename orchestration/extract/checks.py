"""Validation rules of the extract layer, written as SQL fragments over text fields.

A loader lists its `Check`s in the order they should be reported, and `apply_checks_sql` adds
the first failure of each record as field_name, reason and rejection_category columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# ISO 8601 date and time without, then with, a UTC offset (Z, +07, +0700 or +07:00). A space
# may replace the T, and seconds and fractions of a second are optional.
ISO_8601_LOCAL_PATTERN = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
ISO_8601_WITH_OFFSET_PATTERN = ISO_8601_LOCAL_PATTERN + r"(Z|[+-]\d{2}(:?\d{2})?)"

# Local time as Asterisk's cdr_csv writes it.
LOCAL_TIME_PATTERN = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"

# How far a timestamp may lie after its file's modification time before it is rejected as in the
# future. A file cannot hold an event written after the file was last written, so a later time
# means a wrong clock or value. The margin absorbs clock drift between the source system and the
# file server and a local time misread as UTC (at most 14 hours apart).
FUTURE_TOLERANCE_HOURS = 24

# RFC 4180 field: quoted (quotes inside doubled, commas allowed) or bare (no quote, no comma).
CSV_FIELD_PATTERN = r'"(?:[^"]|"")*"|[^,"]*'
CSV_LINE_PATTERN = f"(?:{CSV_FIELD_PATTERN})(?:,(?:{CSV_FIELD_PATTERN}))*"


@dataclass(frozen=True)
class Check:
    """A validation rule over one candidate record, written as SQL fragments.

    `fails_when` is a boolean SQL expression that is true when the record breaks the rule. A null
    result counts as passing, so conditions must coalesce nullable inputs themselves.
    `reason` is a SQL expression giving the rejection text, `category` the same text without
    the record's values, used to count rejections by kind.
    """

    fails_when: str
    field_name: str | None
    reason: str
    category: str


def sql_literal(text: str) -> str:
    """Quote text as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def reason_with_value_sql(message: str, value_sql: str) -> str:
    """Build a SQL expression giving `<message>: '<value>'`, the offending value in quotes."""
    return f"{sql_literal(message + ': ')} || '''' || coalesce({value_sql}, '') || ''''"


def apply_checks_sql(relation: str, checks: Sequence[Check]) -> str:
    """Build a query adding field_name, reason and rejection_category to every row of a relation.

    The first check whose `fails_when` is true decides all three. A row that passes every check
    gets nulls. The conditions are evaluated once, into the index of the first failing check,
    because repeating them in three CASE expressions tripled DuckDB's planning time.
    """
    if not checks:
        return (
            f"select {relation}.*, null::varchar as field_name, null::varchar as reason,"
            f" null::varchar as rejection_category from {relation}"
        )
    condition_cases = " ".join(
        f"when {check.fails_when} then {index}" for index, check in enumerate(checks, start=1)
    )
    reason_cases = " ".join(
        f"when {index} then {check.reason}" for index, check in enumerate(checks, start=1)
    )
    field_names = ", ".join(
        "null" if check.field_name is None else sql_literal(check.field_name) for check in checks
    )
    categories = ", ".join(sql_literal(check.category) for check in checks)
    return f"""
        select
            with_failed_check.*,
            ([{field_names}]::varchar[])[failed_check] as field_name,
            (case failed_check {reason_cases} end)::varchar as reason,
            ([{categories}]::varchar[])[failed_check] as rejection_category
        from (
            select {relation}.*, case {condition_cases} end as failed_check
            from {relation}
        ) as with_failed_check
    """


def is_whole_number_sql(value_sql: str) -> str:
    """SQL condition: the text is a non-negative whole number that fits a bigint.

    A regular expression comes first because `try_cast` alone accepts ' 17' and '1e3'.
    """
    return (
        f"coalesce(regexp_full_match({value_sql}, '[0-9]+')"
        f" and try_cast({value_sql} as bigint) is not null, false)"
    )


def whole_number_checks(
    value_sql: str, field_name: str, described_field: str, category: str
) -> list[Check]:
    """Build the checks that a present text field is a whole number, negative numbers named as such.

    `described_field` starts the reason ("field holdtime (data1) of CONNECT") and `category` the
    rejection category ("CONNECT holdtime").
    """
    return [
        Check(
            fails_when=f"coalesce(regexp_full_match({value_sql}, '-[0-9]+'), false)",
            field_name=field_name,
            reason=reason_with_value_sql(f"{described_field} is negative", value_sql),
            category=f"{category} is negative",
        ),
        Check(
            fails_when=f"not {is_whole_number_sql(value_sql)}",
            field_name=field_name,
            reason=reason_with_value_sql(f"{described_field} is not a whole number", value_sql),
            category=f"{category} is not a whole number",
        ),
    ]


def line_end_check(source_description: str) -> Check:
    """Build the check that rejects a last line the file does not end with a line feed.

    For logs a program appends to, such as queue_log and cdr_csv, an unterminated last line is a
    line cut off while the file was copied, even when what remains happens to parse.
    """
    return Check(
        fails_when="not has_line_end",
        field_name=None,
        reason=sql_literal(
            f"last line has no line end, so it was cut off while the file was written or copied"
            f" ({source_description} ends every line with a line feed)"
        ),
        category="last line has no line end",
    )


def future_reason_sql(value_sql: str, field_name: str) -> str:
    """Build the SQL rejection reason of a time after its file's modification time."""
    return (
        f"{reason_with_value_sql(f'field {field_name} is in the future', value_sql)}"
        f" || ': more than {FUTURE_TOLERANCE_HOURS} hours after the file was last modified ('"
        " || strftime(file_modified_at, '%Y-%m-%d %H:%M:%S') || ' UTC), so the source clock"
        " or the value is wrong'"
    )


def future_timestamp_check(timestamp_sql: str, value_sql: str, field_name: str) -> Check:
    """Build the check that a timestamp is at most FUTURE_TOLERANCE_HOURS after the file's mtime.

    `timestamp_sql` is the parsed timestamp, `value_sql` the text as written. Needs the column
    file_modified_at (UTC). The rule uses the file's own time, not the time of the load, so loading
    the same file again always gives the same result.
    """
    return Check(
        fails_when=(
            f"{timestamp_sql} > file_modified_at + interval {FUTURE_TOLERANCE_HOURS} hour"
        ),
        field_name=field_name,
        reason=future_reason_sql(value_sql, field_name),
        category=f"{field_name} is in the future",
    )


def future_epoch_check(epoch_sql: str, value_sql: str, field_name: str) -> Check:
    """Build the check that Unix seconds are at most FUTURE_TOLERANCE_HOURS after the file's mtime.

    Compares seconds rather than timestamps, because converting an epoch beyond the timestamp
    range (year 294247) raises an error in DuckDB instead of returning null.
    """
    tolerance_seconds = FUTURE_TOLERANCE_HOURS * 60 * 60
    return Check(
        fails_when=f"{epoch_sql} > epoch(file_modified_at) + {tolerance_seconds}",
        field_name=field_name,
        reason=future_reason_sql(value_sql, field_name),
        category=f"{field_name} is in the future",
    )


def utc_timestamp_sql(value_sql: str) -> str:
    """SQL expression converting ISO 8601 text with a UTC offset to a UTC timestamp."""
    return f"timezone('UTC', try_cast({value_sql} as timestamptz))"


def timestamp_checks(value_sql: str, field_name: str, *, is_required: bool) -> list[Check]:
    """Build the checks that a text field is an ISO 8601 timestamp with a UTC offset.

    A timestamp without an offset is rejected because its time zone is ambiguous. An absent or
    null value is accepted unless the field is required.
    """
    checks = []
    if is_required:
        checks.append(
            Check(
                fails_when=f"{value_sql} is null",
                field_name=field_name,
                reason=sql_literal(f"field {field_name} is missing"),
                category=f"{field_name} is missing",
            )
        )
    checks.append(
        Check(
            fails_when=(
                f"coalesce(regexp_full_match({value_sql}, {sql_literal(ISO_8601_LOCAL_PATTERN)}),"
                " false)"
            ),
            field_name=field_name,
            reason=reason_with_value_sql(
                f"field {field_name} has no UTC offset, so its time is ambiguous", value_sql
            ),
            category=f"{field_name} has no UTC offset",
        )
    )
    checks.append(
        Check(
            fails_when=(
                f"{value_sql} is not null and not (regexp_full_match({value_sql},"
                f" {sql_literal(ISO_8601_WITH_OFFSET_PATTERN)})"
                f" and try_cast({value_sql} as timestamptz) is not null)"
            ),
            field_name=field_name,
            reason=reason_with_value_sql(
                f"field {field_name} is not an ISO 8601 timestamp", value_sql
            ),
            category=f"{field_name} is not an ISO 8601 timestamp",
        )
    )
    return checks


def local_timestamp_checks(value_sql: str, field_name: str, *, allows_empty: bool) -> list[Check]:
    """Build the check that a text field is a local time `YYYY-MM-DD HH:MM:SS` without a zone."""
    is_local_time = (
        f"coalesce(regexp_full_match({value_sql}, {sql_literal(LOCAL_TIME_PATTERN)})"
        f" and try_cast({value_sql} as timestamp) is not null, false)"
    )
    fails_when = f"not {is_local_time}"
    if allows_empty:
        fails_when = f"coalesce({value_sql}, '') <> '' and {fails_when}"
    return [
        Check(
            fails_when=fails_when,
            field_name=field_name,
            reason=reason_with_value_sql(
                f"field {field_name} is not a local time YYYY-MM-DD HH:MM:SS", value_sql
            ),
            category=f"{field_name} is not a local time",
        )
    ]


def local_timestamp_sql(value_sql: str) -> str:
    """SQL expression converting `YYYY-MM-DD HH:MM:SS` text to a timestamp (null for empty text)."""
    return f"try_cast(nullif({value_sql}, '') as timestamp)"


def json_integer_checks(
    record_sql: str, path: str, field_name: str, *, is_required: bool
) -> list[Check]:
    """Build the checks that a JSON member is an integer fitting a bigint.

    A JSON null or an absent member passes unless the field is required.
    """
    member_type = f"json_type({record_sql}, {sql_literal(path)})"
    is_integer = (
        f"{member_type} in ('BIGINT', 'UBIGINT')"
        f" and try_cast({record_sql} ->> {sql_literal(path)} as bigint) is not null"
    )
    checks = []
    if is_required:
        checks.append(
            Check(
                fails_when=f"coalesce({member_type}, 'NULL') = 'NULL'",
                field_name=field_name,
                reason=sql_literal(f"field {field_name} is missing"),
                category=f"{field_name} is missing",
            )
        )
    checks.append(
        Check(
            fails_when=f"coalesce({member_type}, 'NULL') <> 'NULL' and not ({is_integer})",
            field_name=field_name,
            reason=reason_with_value_sql(
                f"field {field_name} is not an integer",
                f"json_extract({record_sql}, {sql_literal(path)})::varchar",
            ),
            category=f"{field_name} is not an integer",
        )
    )
    return checks


def json_type_check(
    record_sql: str,
    path: str,
    field_name: str,
    allowed_types: Sequence[str],
    description: str,
) -> Check:
    """Build the check that a JSON member, unless absent or null, has one of the allowed types.

    `allowed_types` are names returned by DuckDB's `json_type` ('ARRAY', 'OBJECT', 'BOOLEAN').
    """
    member_type = f"json_type({record_sql}, {sql_literal(path)})"
    type_list = ", ".join(sql_literal(json_type) for json_type in allowed_types)
    return Check(
        fails_when=f"coalesce({member_type}, 'NULL') not in ('NULL', {type_list})",
        field_name=field_name,
        reason=reason_with_value_sql(
            f"field {field_name} is not {description}",
            f"json_extract({record_sql}, {sql_literal(path)})::varchar",
        ),
        category=f"{field_name} is not {description}",
    )


def json_object_check(record_sql: str) -> Check:
    """Build the check that a JSON record is an object."""
    return Check(
        fails_when=f"coalesce(json_type({record_sql}), 'NULL') <> 'OBJECT'",
        field_name=None,
        reason=sql_literal("record is not a JSON object"),
        category="record is not a JSON object",
    )


def csv_line_is_valid_sql(line_sql: str) -> str:
    """SQL condition: the line is a sequence of RFC 4180 fields separated by commas."""
    return f"regexp_full_match({line_sql}, {sql_literal(CSV_LINE_PATTERN)})"


def csv_fields_sql(line_sql: str) -> str:
    """SQL expression splitting one CSV line into its unquoted field values (a varchar list).

    A comma is prepended so that every match consumes at least one character. With a pattern
    that can match the empty string at the start of the line, `regexp_extract_all` skips the
    second field of a line such as ',a,'. The result is only meaningful when
    `csv_line_is_valid_sql` is true for the line.
    """
    quoted_or_bare_fields = (
        f"regexp_extract_all(',' || {line_sql}, {sql_literal(',(' + CSV_FIELD_PATTERN + ')')}, 1)"
    )
    unquote_field = (
        "lambda field: case when starts_with(field, '\"')"
        " then replace(field[2:-2], '\"\"', '\"') else field end"
    )
    return f"list_transform({quoted_or_bare_fields}, {unquote_field})"


def csv_line_checks(
    line_valid_sql: str, field_count_sql: str, min_fields: int, max_fields: int
) -> list[Check]:
    """Build the checks that a CSV line parses and has an acceptable number of fields."""
    expected = str(min_fields) if min_fields == max_fields else f"{min_fields} to {max_fields}"
    return [
        Check(
            fails_when=f"not {line_valid_sql}",
            field_name=None,
            reason=sql_literal(
                "line is not valid CSV: a quoted field is not closed, or a bare field contains a"
                " double quote"
            ),
            category="line is not valid CSV",
        ),
        Check(
            fails_when=f"{field_count_sql} not between {min_fields} and {max_fields}",
            field_name=None,
            reason=f"'line has ' || {field_count_sql} || ' fields, expected {expected}'",
            category=f"line does not have {expected} fields",
        ),
    ]


def csv_header_check(expected_header: Sequence[str]) -> Check:
    """Build the check that rejects every record of a file whose header is not the expected one."""
    expected_text = ",".join(expected_header)
    return Check(
        fails_when="not has_expected_header",
        field_name=None,
        reason=(
            "'file header ''' || header_text || ''''"
            f" || {sql_literal(f' is not the expected header {expected_text!r}')}"
        ),
        category="file header is not the expected header",
    )
