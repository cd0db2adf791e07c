"""Stage landing files as temporary tables: whole files, text lines, CSV records and JSON pages.

Each staging table is named after the source kind (`queue_log_lines`, `zendesk_tickets_pages`),
and files that cannot be staged are rejected whole in `<source_kind>_file_rejections`.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Sequence
from pathlib import Path

import duckdb

from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    csv_fields_sql,
    csv_line_is_valid_sql,
    sql_literal,
)

# Position of a rejection that concerns the whole file rather than one line or record.
WHOLE_FILE_POSITION = 0


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
