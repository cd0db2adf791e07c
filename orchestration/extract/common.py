"""Shared machinery of the extract layer: the load result, the transaction and the full sync.

Every loader follows the same steps inside one transaction:

1. List the source kind's landing files in Python and read them all in one DuckDB statement
   (`read_blob`) into a temporary table, stripping a UTF-8 byte order mark (`staging`).
2. Split text files into lines (`string_split`, numbered with `generate_subscripts`) or JSON
   pages into records (`json_extract` of the page's array), keeping every field as text.
3. Validate each line or record in SQL with a list of `Check`s (`checks`). The first failing
   check names the field and the reason, and the record goes to `raw.rejected_records` instead
   of its raw table.
4. Delete the source kind's previous rows and insert the new ones, so a run is a full sync.

`field_name` in `raw.rejected_records` uses the field names of the source format (`holdtime`,
`created_at`, `site_timezone`), because those are the names a person fixing the file searches for.
"""

from __future__ import annotations

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
