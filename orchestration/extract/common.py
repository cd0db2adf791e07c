"""Shared machinery of the extract layer: file staging, SQL validation rules and the full sync.

Every loader follows the same steps inside one transaction:

1. List the source kind's landing files in Python and read them all in one DuckDB statement
   (`read_blob`) into a temporary table, stripping a UTF-8 byte order mark.
2. Split text files into lines (`string_split ... with ordinality`) or JSON pages into records
   (`json_each`), keeping every field as text.
3. Validate each line or record in SQL with a list of `Check`s. The first failing check names the
   field and the reason, and the record goes to `raw.rejected_records` instead of its raw table.
4. Delete the source kind's previous rows and insert the new ones, so a run is a full sync.

`field_name` in `raw.rejected_records` uses the field names of the source format (`holdtime`,
`created_at`, `site_timezone`), because those are the names a person fixing the file searches for.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

REJECTED_RECORDS_DDL = """
create table if not exists raw.rejected_records (
    source_kind varchar not null,
    source_file varchar not null,
    source_position integer not null,
    field_name varchar,
    raw_text varchar,
    reason varchar not null,
    loaded_at timestamp not null
)
"""

# Position of a rejection that concerns the whole file rather than one line or record.
WHOLE_FILE_POSITION = 0

# ISO 8601 date and time without, then with, a UTC offset (Z, +07, +0700 or +07:00). A space
# may replace the T, and seconds and fractions of a second are optional.
ISO_8601_LOCAL_PATTERN = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
ISO_8601_WITH_OFFSET_PATTERN = ISO_8601_LOCAL_PATTERN + r"(Z|[+-]\d{2}(:?\d{2})?)"

# Local time as Asterisk's cdr_csv writes it.
LOCAL_TIME_PATTERN = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"

# RFC 4180 field: quoted (quotes inside doubled, commas allowed) or bare (no quote, no comma).
CSV_FIELD_PATTERN = r'"(?:[^"]|"")*"|[^,"]*'
CSV_LINE_PATTERN = f"(?:{CSV_FIELD_PATTERN})(?:,(?:{CSV_FIELD_PATTERN}))*"


@dataclass(frozen=True)
class LoadResult:
    """Counts of one full sync of a source kind, for asset metadata and logs.

    `rows_read` counts non-blank lines (header lines excluded) and JSON records. A file rejected
    as a whole (not UTF-8, invalid JSON) counts as one row read and one row rejected, so
    `rows_read == rows_loaded + rows_rejected` always holds.
    """

    source_kind: str
    files_read: int
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    tables: tuple[str, ...]
    rejection_reasons: dict[str, int]


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


def stage_csv_records(
    con: duckdb.DuckDBPyConnection, source_kind: str, expected_header: Sequence[str]
) -> None:
    """Stage the data lines of CSV files that have a header as temp table `<source_kind>_records`.

    Needs `<source_kind>_lines`. The first non-blank line of each file is its header and is not a
    record. Each record gets is_valid_csv, fields (the unquoted values), field_count, the file's
    header_text and has_expected_header, which compares the parsed header with `expected_header`.
    """
    expected_list = "[" + ", ".join(sql_literal(name) for name in expected_header) + "]"
    con.execute(
        f"""
        create or replace temp table {source_kind}_records as
        with
        parsed_lines as (
            select
                source_file,
                source_position,
                line_text,
                {csv_line_is_valid_sql('line_text')} as is_valid_csv,
                {csv_fields_sql('line_text')} as fields
            from {source_kind}_lines
        ),

        headers as (
            select
                source_file,
                min(source_position) as header_position,
                arg_min(line_text, source_position) as header_text,
                arg_min(is_valid_csv and fields = {expected_list}, source_position)
                    as has_expected_header
            from parsed_lines
            group by source_file
        )

        select
            parsed_lines.source_file,
            parsed_lines.source_position,
            parsed_lines.line_text as raw_text,
            parsed_lines.is_valid_csv,
            parsed_lines.fields,
            len(parsed_lines.fields) as field_count,
            headers.header_text,
            headers.has_expected_header
        from parsed_lines
        inner join headers on headers.source_file = parsed_lines.source_file
        where parsed_lines.source_position > headers.header_position
        """
    )


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


def list_landing_files(landing_dir: Path, pattern: str) -> list[Path]:
    """List the regular files matching a glob pattern under the landing directory, sorted.

    An absent folder gives an empty list: it is an empty source, not an error.
    """
    return sorted(path for path in Path(landing_dir).resolve().glob(pattern) if path.is_file())


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction, rolled back when the block raises."""
    con.begin()
    try:
        yield
    except BaseException:
        con.rollback()
        raise
    con.commit()


def create_raw_tables(con: duckdb.DuckDBPyConnection, table_ddl: Sequence[str]) -> None:
    """Create schema raw, raw.rejected_records and the given tables when missing."""
    con.execute("create schema if not exists raw")
    con.execute(REJECTED_RECORDS_DDL)
    for ddl in table_ddl:
        con.execute(ddl)


def stage_files(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[Path], landing_dir: Path
) -> None:
    """Read the files into temp table `<source_kind>_files(source_file, file_text)`.

    `file_text` has its byte order mark removed and is null when the file is not UTF-8 text.
    Each such file is rejected whole in temp table `<source_kind>_file_rejections`. Later steps
    add their own whole-file rejections to that table. A file containing NUL characters counts
    as not text. UTF-16 without a byte order mark decodes as UTF-8 but puts a NUL beside every
    ASCII character, and its lines would otherwise be rejected with misleading reasons.
    """
    root = Path(landing_dir).resolve()
    absolute_paths = [path.as_posix() for path in files]
    source_files = [path.relative_to(root).as_posix() for path in files]
    # read_blob expands glob characters even in a list of paths, so without escaping a file
    # named 'q[1]' would be read as 'q1'.
    path_patterns = [glob.escape(path) for path in absolute_paths]

    con.execute(
        f"""
        create or replace temp table {source_kind}_files as
        with
        listed_files as (
            select
                unnest($absolute_paths::varchar[]) as absolute_path,
                unnest($source_files::varchar[]) as source_file
        ),

        decoded_blobs as (
            select filename, try(decode(content)) as decoded_text
            from read_blob($path_patterns::varchar[])
        ),

        blobs as (
            select
                filename,
                case when not contains(decoded_text, chr(0)) then decoded_text end as decoded_text
            from decoded_blobs
        )

        select
            listed_files.source_file,
            case
                when starts_with(blobs.decoded_text, chr(65279)) then blobs.decoded_text[2:]
                else blobs.decoded_text
            end as file_text
        from listed_files
        inner join blobs on blobs.filename = listed_files.absolute_path
        """,
        {
            "absolute_paths": absolute_paths,
            "source_files": source_files,
            "path_patterns": path_patterns,
        },
    )
    staged_count = con.execute(f"select count(*) from {source_kind}_files").fetchone()[0]
    if staged_count != len(files):
        raise RuntimeError(
            f"read_blob returned {staged_count} of the {len(files)} {source_kind} files listed"
            f" under {root}. Check that no file was removed or renamed during the load."
        )

    con.execute(
        f"""
        create or replace temp table {source_kind}_file_rejections (
            source_file varchar,
            raw_text varchar,
            field_name varchar,
            reason varchar,
            rejection_category varchar
        )
        """
    )
    undecodable_files = con.execute(
        f"select source_file from {source_kind}_files where file_text is null order by source_file"
    ).fetchall()
    for (source_file,) in undecodable_files:
        add_file_rejection(
            con,
            source_kind,
            source_file,
            raw_text=None,
            reason=describe_undecodable_file(root / source_file),
            category="file is not UTF-8 text",
        )


def add_file_rejection(
    con: duckdb.DuckDBPyConnection,
    source_kind: str,
    source_file: str,
    *,
    raw_text: str | None,
    reason: str,
    category: str,
    field_name: str | None = None,
) -> None:
    """Record that a whole file is rejected."""
    con.execute(
        f"insert into {source_kind}_file_rejections values (?, ?, ?, ?, ?)",
        [source_file, raw_text, field_name, reason, category],
    )


def describe_undecodable_file(path: Path) -> str:
    """Return the rejection reason for a file that is not UTF-8 text, naming the first bad byte."""
    content = path.read_bytes()
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        invalid_byte = content[error.start]
        line_number = content.count(b"\n", 0, error.start) + 1
        return (
            f"file is not UTF-8 text: byte 0x{invalid_byte:02x} at byte offset {error.start}"
            f" (line {line_number}) is not valid UTF-8"
        )
    nul_offset = content.find(b"\x00")
    if nul_offset >= 0:
        line_number = content.count(b"\n", 0, nul_offset) + 1
        return (
            f"file is not UTF-8 text: it contains a NUL byte at byte offset {nul_offset}"
            f" (line {line_number}), as UTF-16 and binary files do"
        )
    return "file is not UTF-8 text"


def stage_text_lines(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[Path], landing_dir: Path
) -> None:
    """Stage text files as temp table `<source_kind>_lines`.

    Its columns are source_file, source_position and line_text. `source_position` is the 1-based
    physical line number. A trailing carriage return (CRLF line ends) is removed, and blank lines
    are left out because they are not rows.
    """
    stage_files(con, source_kind, files, landing_dir)
    # The lines are numbered with unnest and generate_subscripts in the select list. A lateral
    # `unnest(...) with ordinality` ran out of memory on DuckDB 2.0.1 (over 18 GiB for a 33 MB
    # file of 500,000 lines), apparently copying the file text into every output row.
    con.execute(
        f"""
        create or replace temp table {source_kind}_lines as
        with
        split_files as (
            select source_file, string_split(file_text, chr(10)) as file_lines
            from {source_kind}_files
            where file_text is not null
        ),

        split_lines as (
            select
                source_file,
                generate_subscripts(file_lines, 1)::integer as source_position,
                unnest(file_lines) as line_text
            from split_files
        ),

        trimmed_lines as (
            select
                source_file,
                source_position,
                case
                    when ends_with(line_text, chr(13)) then line_text[:-2]
                    else line_text
                end as line_text
            from split_lines
        )

        select source_file, source_position, line_text
        from trimmed_lines
        where not regexp_full_match(line_text, '\\s*')
        """
    )


def stage_json_pages(
    con: duckdb.DuckDBPyConnection,
    source_kind: str,
    files: Sequence[Path],
    landing_dir: Path,
    records_key: str,
    page_checks: Sequence[Check] = (),
) -> None:
    """Stage JSON page files as temp table `<source_kind>_pages(source_file, page)`.

    Only pages that parse, are objects, contain an array under `records_key`, and pass `page_checks`
    (written over the column `page`) are staged. Every other file is rejected whole, with the
    parser's line and column for invalid or truncated JSON.

    NOTE: DuckDB 2.0's JSON reader accepts some text that RFC 8259 forbids, such as trailing
    commas and NaN, so such pages load instead of being rejected.
    """
    stage_files(con, source_kind, files, landing_dir)

    invalid_files = con.execute(
        f"""
        select source_file, file_text
        from {source_kind}_files
        where file_text is not null and not json_valid(file_text)
        order by source_file
        """
    ).fetchall()
    for source_file, file_text in invalid_files:
        if file_text.strip() == "":
            reason = f"file is empty, expected a JSON object with a '{records_key}' array"
            category = "file is empty"
        else:
            reason = describe_invalid_json(file_text)
            category = "file is not valid JSON"
        add_file_rejection(
            con, source_kind, source_file, raw_text=file_text, reason=reason, category=category
        )

    records_path = sql_literal("$." + records_key)
    shape_checks = [
        Check(
            fails_when="json_type(page) <> 'OBJECT'",
            field_name=None,
            reason=sql_literal(f"file is not a JSON object with a '{records_key}' array"),
            category=f"file has no '{records_key}' array",
        ),
        Check(
            fails_when=f"coalesce(json_type(page, {records_path}), 'NULL') <> 'ARRAY'",
            field_name=records_key,
            reason=sql_literal(f"file has no '{records_key}' array at the top level"),
            category=f"file has no '{records_key}' array",
        ),
        *page_checks,
    ]
    con.execute(
        f"""
        create or replace temp table {source_kind}_checked_pages as
        with
        parsed_pages as (
            select source_file, file_text, file_text::json as page
            from {source_kind}_files
            where file_text is not null and json_valid(file_text)
        )

        {apply_checks_sql('parsed_pages', shape_checks)}
        """
    )
    con.execute(
        f"""
        insert into {source_kind}_file_rejections
        select source_file, file_text, field_name, reason, rejection_category
        from {source_kind}_checked_pages
        where reason is not null
        """
    )
    con.execute(
        f"""
        create or replace temp table {source_kind}_pages as
        select source_file, page
        from {source_kind}_checked_pages
        where reason is null
        """
    )


def describe_invalid_json(file_text: str) -> str:
    """Return the rejection reason for text that DuckDB's JSON parser rejected."""
    try:
        json.loads(file_text)
    except json.JSONDecodeError as error:
        location = f"at line {error.lineno} column {error.colno}"
        if error.pos >= len(file_text.rstrip()):
            return f"file is not valid JSON: it ends {location} before the document is complete"
        return f"file is not valid JSON: {error.msg} {location}"
    return "file is not valid JSON"


def file_rejections_select_sql(source_kind: str) -> str:
    """Select the whole-file rejections of a source kind as candidate rows at position 0."""
    return f"""
        select
            source_file,
            {WHOLE_FILE_POSITION} as source_position,
            raw_text,
            field_name,
            reason,
            rejection_category
        from {source_kind}_file_rejections
    """


def replace_source_rows(
    con: duckdb.DuckDBPyConnection,
    source_kind: str,
    *,
    files_read: int,
    tables: Sequence[str],
    insert_statements: Sequence[str],
) -> LoadResult:
    """Replace a source kind's raw rows and rejections with those of temp table `<kind>_candidates`.

    The candidates table contains one row per line, record or rejected file, with columns
    source_file, source_position, raw_text, field_name, reason and rejection_category. Rows with
    a null reason are good. `insert_statements` copy the good rows into `tables` and may use the
    parameter `$loaded_at`. Must run inside a transaction so readers never see a half-done sync.
    """
    candidates = f"{source_kind}_candidates"
    loaded_at = datetime.now(UTC).replace(tzinfo=None)

    for table in tables:
        con.execute(f"delete from {table}")
    con.execute("delete from raw.rejected_records where source_kind = ?", [source_kind])

    for statement in insert_statements:
        con.execute(statement, {"loaded_at": loaded_at})
    con.execute(
        f"""
        insert into raw.rejected_records by name
        select
            $source_kind as source_kind,
            source_file,
            source_position,
            field_name,
            raw_text,
            reason,
            $loaded_at as loaded_at
        from {candidates}
        where reason is not null
        order by source_file, source_position
        """,
        {"source_kind": source_kind, "loaded_at": loaded_at},
    )

    rows_read, rows_rejected = con.execute(
        f"select count(*), count(reason) from {candidates}"
    ).fetchone()
    category_counts = con.execute(
        f"""
        select rejection_category, count(*)
        from {candidates}
        where reason is not null
        group by rejection_category
        order by rejection_category
        """
    ).fetchall()
    return LoadResult(
        source_kind=source_kind,
        files_read=files_read,
        rows_read=rows_read,
        rows_loaded=rows_read - rows_rejected,
        rows_rejected=rows_rejected,
        tables=tuple(tables),
        rejection_reasons=dict(category_counts),
    )


def drop_staging_tables(con: duckdb.DuckDBPyConnection, source_kind: str) -> None:
    """Drop the temp tables a load of this source kind created."""
    for suffix in (
        "files",
        "file_rejections",
        "lines",
        "records",
        "checked_pages",
        "pages",
        "candidates",
    ):
        con.execute(f"drop table if exists temp.{source_kind}_{suffix}")
