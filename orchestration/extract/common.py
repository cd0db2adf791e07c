"""Shared machinery of the extract layer: the loader description, the load result and the load.

Every loader is a `SourceLoader` run by `load_source`, inside one transaction:

1. Compare the source kind's landing files with the file registry `raw.loaded_files` (`registry`)
   and pick the files that are new or changed and have settled.
2. Read those files in one DuckDB statement (`read_blob`) into temporary tables, as text lines,
   CSV records or JSON pages (`staging`), keeping every field as text.
3. Validate each line or record in SQL with a list of `Check`s (`checks`). The first failing
   check names the field and the reason, and the record goes to `raw.rejected_records` instead
   of its raw table. A file repeating a loaded file's content is rejected as a duplicate.
4. Delete the rows and rejections of the files being reloaded or removed, insert the new ones,
   and record each file with its counts in the registry.

`field_name` in `raw.rejected_records` uses the field names of the source format (`holdtime`,
`created_at`, `site_timezone`), because those are the names a person fixing the file searches for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.extract.registry import (
    REGISTRY_TABLE,
    LandingFile,
    LoadPlan,
    RegisteredFile,
    create_registry_table,
    file_md5,
    find_duplicates,
    list_ignored_files,
    plan_load,
    read_registry,
    scan_landing_files,
)
from orchestration.extract.staging import WHOLE_FILE_POSITION

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

DUPLICATE_FILE_CATEGORY = "file is a duplicate of another file"


@dataclass(frozen=True)
class SourceLoader:
    """How one source kind is loaded: its files, its raw tables and the SQL of each step.

    `stage` reads the files into temp tables (see `staging`). `candidates_sql` builds temp table
    `<source_kind>_candidates` with one row per line, record or rejected file: columns
    source_file, source_position, raw_text, field_name, reason, rejection_category and the
    values. `insert_statements` copy the candidates with a null reason into `tables`, using
    the parameter `$loaded_at`. The first table gets one row per loaded line or record, and the
    reconciliation counts it. `warnings_sql`, when given, returns (category, count) rows about
    loaded candidates worth a warning, such as queue_log events the loader does not know.
    """

    source_kind: str
    file_pattern: str
    table_ddl: Sequence[str]
    tables: Sequence[str]
    stage: Callable[[duckdb.DuckDBPyConnection, str, Sequence[LandingFile]], None]
    candidates_sql: Callable[[], str]
    insert_statements: Sequence[str]
    warnings_sql: str | None = None


@dataclass(frozen=True)
class FileLoad:
    """The outcome of one file in one run: its row counts, encoding, line ends and duplicate."""

    source_file: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    text_encoding: str | None = None
    # 1-based lines that were not UTF-8 and were decoded as Windows-1252.
    windows_1252_lines: tuple[int, ...] = ()
    duplicate_of: str | None = None
    # The last non-blank line of a file read as text lines, and whether it ends with a line
    # feed. None for JSON pages, files that are not text, and files without a non-blank line.
    last_line_number: int | None = None
    has_final_line_feed: bool | None = None


@dataclass(frozen=True)
class LoadResult:
    """Counts of one load of a source kind, for asset metadata and logs.

    The row counts cover the files this run read (`files`): new and changed files. `rows_read`
    counts non-blank lines (CSV header lines excluded) and JSON records, counted before any
    check runs. A file rejected as a whole (not text, invalid JSON, a duplicate) counts as one row
    read and one row rejected. So `rows_read == rows_loaded + rows_rejected` is true unless rows
    were lost or counted twice.
    """

    source_kind: str
    files_read: int
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    tables: tuple[str, ...]
    rejection_reasons: dict[str, int]
    files: tuple[FileLoad, ...] = ()
    files_unchanged: int = 0
    # Registered files no longer in the landing folder, with the counts their rows had.
    files_removed: tuple[FileLoad, ...] = ()
    # Files modified within the settle time, left for the next run.
    files_unsettled: tuple[str, ...] = ()
    # Files in the source's folder that its file pattern does not match, so nothing reads them.
    files_ignored: tuple[str, ...] = ()
    # Rows of files the registry did not know, deleted (a warehouse loaded by an older version).
    orphan_rows_deleted: int = 0
    warnings: dict[str, int] = field(default_factory=dict)


def list_landing_files(landing_dir: Path, pattern: str) -> list[Path]:
    """List the regular files matching a glob pattern under the landing directory, sorted.

    An absent folder gives an empty list: it is an empty source, not an error.
    """
    return [landing_file.path for landing_file in scan_landing_files(landing_dir, pattern)]


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
    """Create schema raw, raw.rejected_records, raw.loaded_files and the given tables if missing."""
    con.execute("create schema if not exists raw")
    con.execute(REJECTED_RECORDS_DDL)
    create_registry_table(con)
    for ddl in table_ddl:
        con.execute(ddl)


def load_source(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    loader: SourceLoader,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load the new and changed files of a source kind, and drop the rows of removed files.

    Files modified less than `settle_seconds` before `now` (naive UTC, default the current time)
    are left for the next run. Runs in one transaction, so readers never see a half-done load.
    """
    now = now or datetime.now(UTC).replace(tzinfo=None)
    source_kind = loader.source_kind
    landing_files = scan_landing_files(landing_dir, loader.file_pattern)

    with transaction(con):
        create_raw_tables(con, loader.table_ddl)
        registered = read_registry(con, source_kind)
        plan = plan_load(
            landing_files,
            registered,
            checksum=file_md5,
            settle_seconds=settle_seconds,
            now=now,
        )
        loader.stage(con, source_kind, plan.to_load)
        con.execute(loader.candidates_sql())
        duplicates = reject_duplicate_files(con, source_kind, plan, registered)
        result = replace_file_rows(con, loader, plan, duplicates, now)
        drop_staging_tables(con, source_kind)

    return replace(
        result, files_ignored=tuple(list_ignored_files(landing_dir, loader.file_pattern))
    )


def reject_duplicate_files(
    con: duckdb.DuckDBPyConnection,
    source_kind: str,
    plan: LoadPlan,
    registered: dict[str, RegisteredFile],
) -> dict[str, str]:
    """Replace the candidates of each duplicate file by one whole-file rejection naming the original.

    Returns the duplicates, each mapped to the file it repeats.
    """
    files_with_rows = [
        source_file
        for (source_file,) in con.execute(
            f"select source_file from {source_kind}_read_counts where rows_read > 0"
        ).fetchall()
    ]
    duplicates = find_duplicates(plan, registered, files_with_rows)
    candidates = f"{source_kind}_candidates"
    for source_file, original in duplicates.items():
        con.execute(f"delete from {candidates} where source_file = ?", [source_file])
        con.execute(
            f"""
            insert into {candidates} by name
            select
                $source_file as source_file,
                {WHOLE_FILE_POSITION} as source_position,
                $reason as reason,
                $category as rejection_category
            """,
            {
                "source_file": source_file,
                "reason": f"duplicate of {original}: the file has the same content (MD5), so"
                " loading it would count its rows twice",
                "category": DUPLICATE_FILE_CATEGORY,
            },
        )
    return duplicates


def replace_file_rows(
    con: duckdb.DuckDBPyConnection,
    loader: SourceLoader,
    plan: LoadPlan,
    duplicates: dict[str, str],
    now: datetime,
) -> LoadResult:
    """Swap the rows of reloaded and removed files for the candidates, and update the registry.

    Must run inside a transaction.
    """
    source_kind = loader.source_kind
    candidates = f"{source_kind}_candidates"
    replaced = list(plan.replaced_files)

    for table in loader.tables:
        con.execute(
            f"delete from {table} where list_contains($files, _source_file)", {"files": replaced}
        )
    con.execute(
        "delete from raw.rejected_records where source_kind = $source_kind"
        " and list_contains($files, source_file)",
        {"source_kind": source_kind, "files": replaced},
    )

    for statement in loader.insert_statements:
        con.execute(statement, {"loaded_at": now})
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
        {"source_kind": source_kind, "loaded_at": now},
    )

    file_loads = count_file_rows(con, loader, plan, duplicates)
    register_files(con, source_kind, plan, file_loads, now)
    orphan_rows_deleted = delete_orphan_rows(con, loader)

    category_counts = con.execute(
        f"""
        select rejection_category, count(*)
        from {candidates}
        where reason is not null
        group by rejection_category
        order by rejection_category
        """
    ).fetchall()
    warnings = {}
    if loader.warnings_sql is not None:
        warnings = dict(con.execute(loader.warnings_sql).fetchall())

    return LoadResult(
        source_kind=source_kind,
        files_read=len(file_loads),
        rows_read=sum(file_load.rows_read for file_load in file_loads),
        rows_loaded=sum(file_load.rows_loaded for file_load in file_loads),
        rows_rejected=sum(file_load.rows_rejected for file_load in file_loads),
        tables=tuple(loader.tables),
        rejection_reasons=dict(category_counts),
        files=tuple(file_loads),
        files_unchanged=len(plan.unchanged) + len(plan.touched),
        files_removed=tuple(
            FileLoad(
                source_file=removed.source_file,
                rows_read=removed.rows_read,
                rows_loaded=removed.rows_loaded,
                rows_rejected=removed.rows_rejected,
            )
            for removed in plan.to_remove
        ),
        files_unsettled=plan.unsettled,
        orphan_rows_deleted=orphan_rows_deleted,
        warnings=warnings,
    )


def count_file_rows(
    con: duckdb.DuckDBPyConnection,
    loader: SourceLoader,
    plan: LoadPlan,
    duplicates: dict[str, str],
) -> list[FileLoad]:
    """Count, per file loaded this run, rows read (staged), loaded (in the table) and rejected.

    The counts come from three places on purpose: the staging tables, the first raw table and
    raw.rejected_records, so a row lost or doubled between them shows as read != loaded + rejected.
    A duplicate file was read as one whole-file rejection.
    """
    source_kind = loader.source_kind
    rows = con.execute(
        f"""
        with
        loaded as (
            select _source_file as source_file, count(*) as rows_loaded
            from {loader.tables[0]}
            where list_contains($files, _source_file)
            group by _source_file
        ),

        rejected as (
            select source_file, count(*) as rows_rejected
            from raw.rejected_records
            where source_kind = $source_kind and list_contains($files, source_file)
            group by source_file
        ),

        whole_file_rejections as (
            select source_file, count(*) as rejection_count
            from {source_kind}_file_rejections
            group by source_file
        )

        select
            staged_files.source_file,
            case
                when list_contains($duplicates, staged_files.source_file) then 1
                else read_counts.rows_read + coalesce(whole_file_rejections.rejection_count, 0)
            end as rows_read,
            coalesce(loaded.rows_loaded, 0) as rows_loaded,
            coalesce(rejected.rows_rejected, 0) as rows_rejected,
            staged_files.text_encoding,
            staged_files.windows_1252_lines,
            last_lines.last_line_number,
            last_lines.has_final_line_feed
        from {source_kind}_files as staged_files
        inner join {source_kind}_read_counts as read_counts
            on read_counts.source_file = staged_files.source_file
        inner join {source_kind}_last_lines as last_lines
            on last_lines.source_file = staged_files.source_file
        left join whole_file_rejections
            on whole_file_rejections.source_file = staged_files.source_file
        left join loaded on loaded.source_file = staged_files.source_file
        left join rejected on rejected.source_file = staged_files.source_file
        order by staged_files.source_file
        """,
        {
            "files": [landing_file.source_file for landing_file in plan.to_load],
            "source_kind": source_kind,
            "duplicates": list(duplicates),
        },
    ).fetchall()
    return [
        FileLoad(
            source_file=source_file,
            rows_read=rows_read,
            rows_loaded=rows_loaded,
            rows_rejected=rows_rejected,
            text_encoding=text_encoding,
            windows_1252_lines=tuple(windows_1252_lines),
            duplicate_of=duplicates.get(source_file),
            last_line_number=last_line_number,
            has_final_line_feed=has_final_line_feed,
        )
        for (
            source_file,
            rows_read,
            rows_loaded,
            rows_rejected,
            text_encoding,
            windows_1252_lines,
            last_line_number,
            has_final_line_feed,
        ) in rows
    ]


def register_files(
    con: duckdb.DuckDBPyConnection,
    source_kind: str,
    plan: LoadPlan,
    file_loads: Sequence[FileLoad],
    now: datetime,
) -> None:
    """Write the registry rows of the files loaded, removed and touched by this run."""
    con.execute(
        f"delete from {REGISTRY_TABLE} where source_kind = $source_kind"
        " and list_contains($files, source_file)",
        {"source_kind": source_kind, "files": list(plan.replaced_files)},
    )
    landing_files = {landing_file.source_file: landing_file for landing_file in plan.to_load}
    columns = {
        "source_file": [],
        "size_bytes": [],
        "modified_at": [],
        "checksum_md5": [],
        "text_encoding": [],
        "duplicate_of": [],
        "rows_read": [],
        "rows_loaded": [],
        "rows_rejected": [],
        "last_line_number": [],
        "has_final_line_feed": [],
    }
    for file_load in file_loads:
        landing_file = landing_files[file_load.source_file]
        columns["source_file"].append(file_load.source_file)
        columns["size_bytes"].append(landing_file.size_bytes)
        columns["modified_at"].append(landing_file.modified_at)
        columns["checksum_md5"].append(plan.checksums[file_load.source_file])
        columns["text_encoding"].append(file_load.text_encoding)
        columns["duplicate_of"].append(file_load.duplicate_of)
        columns["rows_read"].append(file_load.rows_read)
        columns["rows_loaded"].append(file_load.rows_loaded)
        columns["rows_rejected"].append(file_load.rows_rejected)
        columns["last_line_number"].append(file_load.last_line_number)
        columns["has_final_line_feed"].append(file_load.has_final_line_feed)
    # One statement for all files: an insert per file took seconds for thousands of comment pages.
    con.execute(
        f"""
        insert into {REGISTRY_TABLE} by name
        select
            $source_kind as source_kind,
            unnest($source_file::varchar[]) as source_file,
            unnest($size_bytes::bigint[]) as size_bytes,
            unnest($modified_at::timestamp[]) as modified_at,
            unnest($checksum_md5::varchar[]) as checksum_md5,
            unnest($text_encoding::varchar[]) as text_encoding,
            unnest($duplicate_of::varchar[]) as duplicate_of,
            unnest($rows_read::integer[]) as rows_read,
            unnest($rows_loaded::integer[]) as rows_loaded,
            unnest($rows_rejected::integer[]) as rows_rejected,
            unnest($last_line_number::integer[]) as last_line_number,
            unnest($has_final_line_feed::boolean[]) as has_final_line_feed,
            $loaded_at as loaded_at
        """,
        {"source_kind": source_kind, "loaded_at": now, **columns},
    )
    for landing_file in plan.touched:
        con.execute(
            f"""
            update {REGISTRY_TABLE}
            set size_bytes = ?, modified_at = ?
            where source_kind = ? and source_file = ?
            """,
            [
                landing_file.size_bytes,
                landing_file.modified_at,
                source_kind,
                landing_file.source_file,
            ],
        )


def delete_orphan_rows(con: duckdb.DuckDBPyConnection, loader: SourceLoader) -> int:
    """Delete raw rows and rejections whose file the registry does not know; return how many.

    Such rows come from a warehouse loaded before the registry existed, where a removed file's
    rows would otherwise stay forever.
    """
    registered_files = f"""
        select source_file from {REGISTRY_TABLE} where source_kind = $source_kind
    """
    deleted = 0
    for table in loader.tables:
        [(count,)] = con.execute(
            f"delete from {table} where _source_file not in ({registered_files})",
            {"source_kind": loader.source_kind},
        ).fetchall()
        deleted += count
    [(count,)] = con.execute(
        f"""
        delete from raw.rejected_records
        where source_kind = $source_kind and source_file not in ({registered_files})
        """,
        {"source_kind": loader.source_kind},
    ).fetchall()
    return deleted + count


def drop_staging_tables(con: duckdb.DuckDBPyConnection, source_kind: str) -> None:
    """Drop the temp tables a load of this source kind created."""
    for suffix in (
        "files",
        "file_rejections",
        "read_counts",
        "last_lines",
        "lines",
        "records",
        "checked_pages",
        "pages",
        "candidates",
    ):
        con.execute(f"drop table if exists temp.{source_kind}_{suffix}")
