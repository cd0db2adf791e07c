"""Log lines and metadata tables describing one load, built without Dagster so they can be tested.

Each kind of event (a file removed, left to settle, a duplicate, decoded as Windows-1252, ignored)
gets one line per file, up to `max_files_listed` per kind, then one line counting the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from orchestration.extract.common import FileLoad, LoadResult
from orchestration.extract.registry import FileReconciliation, UnterminatedFile

DEFAULT_MAX_FILES_LISTED = 20


@dataclass(frozen=True)
class LogLine:
    """One message for the run log and its level."""

    level: Literal["info", "warning"]
    message: str


def describe_load(
    result: LoadResult, settle_seconds: float, max_files_listed: int = DEFAULT_MAX_FILES_LISTED
) -> list[LogLine]:
    """Build the log lines of one load: a summary, then one line per file that needs attention."""
    kind = result.source_kind
    lines = [
        LogLine(
            "info",
            f"{kind}: read {result.files_read} new or changed files ({result.rows_read} rows:"
            f" {result.rows_loaded} loaded, {result.rows_rejected} rejected);"
            f" {result.files_unchanged} files unchanged",
        )
    ]

    def add_per_file(
        level: Literal["info", "warning"], items: Sequence, message: Callable[[object], str]
    ) -> None:
        for item in items[:max_files_listed]:
            lines.append(LogLine(level, message(item)))
        if len(items) > max_files_listed:
            lines.append(
                LogLine(level, f"{kind}: and {len(items) - max_files_listed} more such files")
            )

    add_per_file(
        "info",
        result.files_removed,
        lambda removed: (
            f"{kind}: {removed.source_file} was removed from the landing folder, so its"
            f" {removed.rows_loaded} rows and {removed.rows_rejected} rejected records were deleted"
        ),
    )
    add_per_file(
        "info",
        result.files_unsettled,
        lambda source_file: (
            f"{kind}: {source_file} was modified less than {settle_seconds:g} s ago and may still"
            " be being written, so it is left for the next run"
        ),
    )
    duplicates = [file_load for file_load in result.files if file_load.duplicate_of]
    add_per_file(
        "warning",
        duplicates,
        lambda file_load: (
            f"{kind}: {file_load.source_file} has the same content as {file_load.duplicate_of},"
            " so it was not loaded; raw.rejected_records lists it at position 0"
        ),
    )
    decoded = [file_load for file_load in result.files if file_load.windows_1252_lines]
    add_per_file("warning", decoded, lambda file_load: describe_windows_1252(kind, file_load))
    add_per_file(
        "warning",
        result.files_ignored,
        lambda source_file: (
            f"{kind}: {source_file} does not match the file pattern of this source, so it was"
            " not read; rename or move it if it holds data"
        ),
    )
    if result.orphan_rows_deleted:
        lines.append(
            LogLine(
                "warning",
                f"{kind}: deleted {result.orphan_rows_deleted} rows and rejected records of files"
                " the registry does not list (loaded before the registry existed)",
            )
        )
    for warning, count in sorted(result.warnings.items()):
        lines.append(LogLine("warning", f"{kind}: {warning} ({count} rows loaded)"))
    return lines


def describe_windows_1252(kind: str, file_load: FileLoad, max_lines_listed: int = 10) -> str:
    """Describe a file whose lines were decoded as Windows-1252, listing the first lines."""
    listed = ", ".join(str(line) for line in file_load.windows_1252_lines[:max_lines_listed])
    more = len(file_load.windows_1252_lines) - max_lines_listed
    if more > 0:
        listed += f" and {more} more"
    return (
        f"{kind}: {file_load.source_file} is not valid UTF-8 on lines {listed}; those lines were"
        " decoded as Windows-1252. Check the characters, and export the file as UTF-8"
    )


def files_markdown_table(file_loads: Sequence[FileLoad], max_rows: int) -> str:
    """Build a markdown table of the files a load read, with their counts and notes."""
    rows = ["| file | read | loaded | rejected | note |", "|---|---|---|---|---|"]
    for file_load in file_loads[:max_rows]:
        note = ""
        if file_load.duplicate_of:
            note = f"duplicate of {file_load.duplicate_of}"
        elif file_load.windows_1252_lines:
            note = "lines decoded as Windows-1252"
        rows.append(
            f"| {file_load.source_file} | {file_load.rows_read} | {file_load.rows_loaded}"
            f" | {file_load.rows_rejected} | {note} |"
        )
    if len(file_loads) > max_rows:
        rows.append(f"| … {len(file_loads) - max_rows} more files | | | | |")
    return "\n".join(rows)


def reconciliation_markdown_table(files: Sequence[FileReconciliation], max_rows: int) -> str:
    """Build a markdown table of per-file reconciliation counts, unbalanced files first."""
    ordered = sorted(files, key=lambda file: (file.is_balanced, file.source_file))
    rows = [
        "| file | read | loaded | rejected | balanced |",
        "|---|---|---|---|---|",
    ]
    for file in ordered[:max_rows]:
        read = "not registered" if file.rows_read is None else str(file.rows_read)
        rows.append(
            f"| {file.source_file} | {read} | {file.rows_loaded} | {file.rows_rejected}"
            f" | {'yes' if file.is_balanced else 'no'} |"
        )
    if len(ordered) > max_rows:
        rows.append(f"| … {len(ordered) - max_rows} more files | | | | |")
    return "\n".join(rows)


def describe_last_line_status(file: UnterminatedFile) -> str:
    """Describe what the load did with a file's last line: loaded, or rejected with its reason."""
    if file.rejection_reason is None:
        return "loaded"
    return f"rejected: {file.rejection_reason}"


def describe_unterminated_files(files: Sequence[UnterminatedFile], last_field: str) -> str:
    """Build the check description for files that end without a line feed, naming the first."""
    first = files[0]
    if len(files) == 1:
        return (
            f"{first.source_file} ends without a line feed, so its last record (line"
            f" {first.last_line_number}, field {last_field}) may have been cut while the file was"
            f" copied. The line was {describe_last_line_status(first)}. Compare that record with"
            " the source system, and copy the file again if it differs."
        )
    return (
        f"{len(files)} files end without a line feed, so the last record of each may have been"
        f" cut while the files were copied (first: {first.source_file} line"
        f" {first.last_line_number}, field {last_field}). Compare those records with the source"
        " system, and copy again each file that differs."
    )


def unterminated_files_markdown_table(
    files: Sequence[UnterminatedFile], last_field: str, max_rows: int
) -> str:
    """Build a markdown table of the files that end without a line feed."""
    rows = ["| file | last line | field that may be cut | last line was |", "|---|---|---|---|"]
    for file in files[:max_rows]:
        # A rejection reason may quote a value containing the table's column separator.
        status = describe_last_line_status(file).replace("|", "\\|")
        rows.append(f"| {file.source_file} | {file.last_line_number} | {last_field} | {status} |")
    if len(files) > max_rows:
        rows.append(f"| … {len(files) - max_rows} more files | | | |")
    return "\n".join(rows)
