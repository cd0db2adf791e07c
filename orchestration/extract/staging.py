"""Stage landing files as temporary tables: whole files, text lines, CSV records and JSON pages.

Each staging table is named after the source kind (`queue_log_lines`, `zendesk_tickets_pages`),
and files that cannot be staged are rejected whole in `<source_kind>_file_rejections`. Every
staging step also keeps `<source_kind>_read_counts(source_file, rows_read)`: the lines or records
each file holds, counted before any check runs, so a load can reconcile them with what it wrote.
`<source_kind>_last_lines(source_file, last_line_number, has_final_line_feed)` records where each
file read as text lines ends, for the file registry. It stays null for JSON pages.

Text is UTF-8. A file that is not valid UTF-8 is decoded line by line: lines that are valid UTF-8
stay as they are, and the others are decoded as Windows-1252, the code page Excel and many Windows
tools save CSV in. The file loads, and its registry row and the load's log name the encoding and
the lines. A file with a NUL byte (UTF-16, binary) or with a byte Windows-1252 leaves undefined is
rejected whole.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    csv_fields_sql,
    csv_line_is_valid_sql,
    sql_literal,
)
from orchestration.extract.registry import LandingFile

# Position of a rejection that concerns the whole file rather than one line or record.
WHOLE_FILE_POSITION = 0

UTF_8 = "utf-8"
WINDOWS_1252 = "windows-1252"
BYTE_ORDER_MARK = "\ufeff"
UTF_16_LE_BOM = b"\xff\xfe"
UTF_16_BE_BOM = b"\xfe\xff"


@dataclass(frozen=True)
class DecodedText:
    """A file's text and how it was decoded."""

    text: str
    encoding: str
    # 1-based line numbers decoded as Windows-1252 because they are not valid UTF-8.
    windows_1252_lines: tuple[int, ...] = ()


class UndecodableFileError(ValueError):
    """Raised when file content is neither UTF-8 nor Windows-1252 text."""


def decode_text(content: bytes) -> DecodedText:
    """Decode file content as UTF-8, falling back to Windows-1252 for lines that are not UTF-8.

    A leading byte order mark is removed. Raises UndecodableFileError for UTF-16 content, and,
    naming the first bad byte, for content with a NUL byte or a byte Windows-1252 does not define
    (0x81, 0x8d, 0x8f, 0x90, 0x9d).
    """
    if content.startswith((UTF_16_LE_BOM, UTF_16_BE_BOM)):
        raise UndecodableFileError(
            f"file is UTF-16 text: it starts with the UTF-16 byte order mark"
            f" 0x{content[:2].hex()}; export or save it as UTF-8"
        )
    nul_offset = content.find(b"\x00")
    if nul_offset >= 0:
        line_number = content.count(b"\n", 0, nul_offset) + 1
        raise UndecodableFileError(
            f"file is not text: it contains a NUL byte at byte offset {nul_offset}"
            f" (line {line_number}), as UTF-16 and binary files do"
        )

    decoded_lines = []
    fallback_lines = []
    line_offset = 0
    for line_number, line in enumerate(content.split(b"\n"), start=1):
        try:
            decoded_lines.append(line.decode(UTF_8))
        except UnicodeDecodeError:
            try:
                decoded_lines.append(line.decode(WINDOWS_1252))
            except UnicodeDecodeError as error:
                bad_byte = line[error.start]
                raise UndecodableFileError(
                    f"file is neither UTF-8 nor Windows-1252 text: byte 0x{bad_byte:02x} at byte"
                    f" offset {line_offset + error.start} (line {line_number}) is valid in neither"
                ) from error
            fallback_lines.append(line_number)
        line_offset += len(line) + 1

    text = "\n".join(decoded_lines)
    if text.startswith(BYTE_ORDER_MARK):
        text = text[1:]
    encoding = WINDOWS_1252 if fallback_lines else UTF_8
    return DecodedText(text, encoding, tuple(fallback_lines))


def stage_files(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Read the files into temp table `<source_kind>_files`.

    Its columns are source_file, file_text (byte order mark removed, null when the file is not
    text), file_modified_at, text_encoding and windows_1252_lines. Files that are not text are
    rejected whole in temp table `<source_kind>_file_rejections`, and later steps add their own
    whole-file rejections there. `<source_kind>_read_counts` starts at 0 rows for every file, and
    `<source_kind>_last_lines` at null.
    """
    # read_blob expands glob characters even in a list of paths, so without escaping a file
    # named 'q[1]' would be read as 'q1'.
    con.execute(
        f"""
        create or replace temp table {source_kind}_files as
        with
        listed_files as (
            select
                unnest($absolute_paths::varchar[]) as absolute_path,
                unnest($source_files::varchar[]) as source_file,
                unnest($modified_at::timestamp[]) as file_modified_at
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
            end as file_text,
            listed_files.file_modified_at,
            case when blobs.decoded_text is not null then {sql_literal(UTF_8)} end
                as text_encoding,
            []::integer[] as windows_1252_lines
        from listed_files
        inner join blobs on blobs.filename = listed_files.absolute_path
        """,
        {
            "absolute_paths": [landing_file.path.as_posix() for landing_file in files],
            "source_files": [landing_file.source_file for landing_file in files],
            "modified_at": [landing_file.modified_at for landing_file in files],
            "path_patterns": [glob.escape(landing_file.path.as_posix()) for landing_file in files],
        },
    )
    staged_count = con.execute(f"select count(*) from {source_kind}_files").fetchone()[0]
    if staged_count != len(files):
        raise RuntimeError(
            f"read_blob returned {staged_count} of the {len(files)} {source_kind} files listed."
            " Check that no file was removed or renamed during the load."
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
    con.execute(
        f"""
        create or replace temp table {source_kind}_read_counts as
        select source_file, 0 as rows_read
        from {source_kind}_files
        """
    )
    con.execute(
        f"""
        create or replace temp table {source_kind}_last_lines as
        select
            source_file,
            null::integer as last_line_number,
            null::boolean as has_final_line_feed
        from {source_kind}_files
        """
    )

    paths = {landing_file.source_file: landing_file.path for landing_file in files}
    undecoded_files = con.execute(
        f"select source_file from {source_kind}_files where file_text is null order by source_file"
    ).fetchall()
    for (source_file,) in undecoded_files:
        try:
            decoded = decode_text(paths[source_file].read_bytes())
        except UndecodableFileError as error:
            add_file_rejection(
                con,
                source_kind,
                source_file,
                raw_text=None,
                reason=str(error),
                category="file is not UTF-8 or Windows-1252 text",
            )
            continue
        con.execute(
            f"""
            update {source_kind}_files
            set file_text = $text, text_encoding = $encoding, windows_1252_lines = $lines
            where source_file = $source_file
            """,
            {
                "text": decoded.text,
                "encoding": decoded.encoding,
                "lines": list(decoded.windows_1252_lines),
                "source_file": source_file,
            },
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


def replace_read_counts(con: duckdb.DuckDBPyConnection, source_kind: str, counts_sql: str) -> None:
    """Set `<source_kind>_read_counts` from a query of (source_file, rows_read); files the query
    leaves out count 0."""
    con.execute(
        f"""
        create or replace temp table {source_kind}_read_counts as
        with counted as ({counts_sql})
        select
            staged_files.source_file,
            coalesce(counted.rows_read, 0) as rows_read
        from {source_kind}_files as staged_files
        left join counted on counted.source_file = staged_files.source_file
        """
    )


def stage_text_lines(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Stage text files as temp table `<source_kind>_lines`.

    Its columns are source_file, source_position, line_text, has_line_end and file_modified_at.
    `source_position` is the 1-based physical line number. A trailing carriage return (CRLF line
    ends) is removed, and blank lines are left out because they are not rows. has_line_end is
    false only for a last line that the file does not end with a line feed.

    Also fills `<source_kind>_last_lines` with each file's last non-blank line and its
    has_line_end. A file without a non-blank line keeps nulls there.
    """
    stage_files(con, source_kind, files)
    # The lines are numbered with unnest and generate_subscripts in the select list. A lateral
    # `unnest(...) with ordinality` ran out of memory on DuckDB 2.0.1 (over 18 GiB for a 33 MB
    # file of 500,000 lines), apparently copying the file text into every output row.
    con.execute(
        f"""
        create or replace temp table {source_kind}_lines as
        with
        split_files as (
            select
                source_file,
                file_modified_at,
                string_split(file_text, chr(10)) as file_lines
            from {source_kind}_files
            where file_text is not null
        ),

        split_lines as (
            select
                source_file,
                file_modified_at,
                len(file_lines) as line_count,
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
                end as line_text,
                source_position < line_count as has_line_end,
                file_modified_at
            from split_lines
        )

        select source_file, source_position, line_text, has_line_end, file_modified_at
        from trimmed_lines
        where not regexp_full_match(line_text, '\\s*')
        """
    )
    replace_read_counts(
        con,
        source_kind,
        f"select source_file, count(*) as rows_read from {source_kind}_lines group by source_file",
    )
    con.execute(
        f"""
        create or replace temp table {source_kind}_last_lines as
        with
        last_lines as (
            select
                source_file,
                max(source_position) as last_line_number,
                arg_max(has_line_end, source_position) as has_final_line_feed
            from {source_kind}_lines
            group by source_file
        )

        select
            staged_files.source_file,
            last_lines.last_line_number,
            last_lines.has_final_line_feed
        from {source_kind}_files as staged_files
        left join last_lines on last_lines.source_file = staged_files.source_file
        """
    )


def stage_csv_records(
    con: duckdb.DuckDBPyConnection, source_kind: str, expected_header: Sequence[str]
) -> None:
    """Stage the data lines of CSV files that have a header as temp table `<source_kind>_records`.

    Needs `<source_kind>_lines`. The first non-blank line of each file is its header and is not a
    record. Each record gets is_valid_csv, fields (the unquoted values), field_count, the file's
    header_text and has_expected_header, which compares the parsed header with `expected_header`,
    besides has_line_end and file_modified_at.
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
                has_line_end,
                file_modified_at,
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
            parsed_lines.has_line_end,
            parsed_lines.file_modified_at,
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
    replace_read_counts(
        con,
        source_kind,
        f"""
        select source_file, count(*) as rows_read
        from {source_kind}_records
        group by source_file
        """,
    )


def csv_stage(
    expected_header: Sequence[str],
) -> Callable[[duckdb.DuckDBPyConnection, str, Sequence[LandingFile]], None]:
    """Build the stage step of a CSV source with a header: text lines, then CSV records.

    The records are those of `stage_csv_records`, compared with `expected_header`.
    """

    def stage(
        con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
    ) -> None:
        stage_text_lines(con, source_kind, files)
        stage_csv_records(con, source_kind, expected_header)

    return stage


def stage_json_pages(
    con: duckdb.DuckDBPyConnection,
    source_kind: str,
    files: Sequence[LandingFile],
    records_key: str,
    page_checks: Sequence[Check] = (),
) -> None:
    """Stage JSON page files as temp table `<source_kind>_pages`.

    Its columns are source_file, page and file_modified_at.

    Only pages that parse, are objects, contain an array under `records_key`, and pass `page_checks`
    (written over the column `page`) are staged. Every other file is rejected whole, with the
    parser's line and column for invalid or truncated JSON. A page's records are the elements of
    its array.

    NOTE: DuckDB 2.0's JSON reader accepts some text that RFC 8259 forbids, such as trailing
    commas and NaN, so such pages load instead of being rejected.
    """
    stage_files(con, source_kind, files)

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
            select source_file, file_text, file_text::json as page, file_modified_at
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
        select source_file, page, file_modified_at
        from {source_kind}_checked_pages
        where reason is null
        """
    )
    replace_read_counts(
        con,
        source_kind,
        f"""
        select source_file, json_array_length(page, {records_path}) as rows_read
        from {source_kind}_pages
        """,
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
