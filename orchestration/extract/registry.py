"""The file registry `raw.loaded_files`: the landing files loaded, so a run loads only changes.

One row per landing file a loader has read: its path relative to the landing directory, size,
modification time, MD5 checksum, the encoding its text was decoded with, how many rows it gave
(read = loaded + rejected), and, for files read as text lines, the number of the last non-blank
line and whether that line ends with a line feed. A run compares the landing folder with the
registry:

- a file whose size and modification time match its registry row is unchanged and not read;
- a new file, or one whose size or modification time differ, is checksummed. When the checksum
  matches the registry, only the registry row is refreshed (a `touch` or a copy that kept the
  content). Otherwise the file is loaded, and its earlier rows are deleted first;
- a registered file missing from the landing folder has its rows deleted;
- a file modified less than `settle_seconds` ago may still be being written, so it is left for
  the next run. Its earlier rows, if any, stay as they are;
- a file whose content is identical to a loaded file (same MD5) and that holds at least one line
  or record is a duplicate: it is not loaded, and one rejected record at position 0 names the file
  it duplicates. Files already registered keep precedence, and among new files the first path in
  sort order is loaded. An empty or header-only file is never a duplicate, because it adds no rows.

NOTE: like rsync's quick check, a file rewritten with the same size within the file system's
timestamp resolution looks unchanged and is not read again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

import duckdb

REGISTRY_TABLE = "raw.loaded_files"

# No primary key: DuckDB checks unique constraints eagerly, and a changed file's row is deleted
# and inserted again inside one transaction. Loaders delete a file's row before inserting it.
REGISTRY_DDL = f"""
create table if not exists {REGISTRY_TABLE} (
    source_kind varchar not null,
    source_file varchar not null,
    size_bytes bigint not null,
    modified_at timestamp not null,
    checksum_md5 varchar not null,
    text_encoding varchar,
    duplicate_of varchar,
    rows_read integer not null,
    rows_loaded integer not null,
    rows_rejected integer not null,
    loaded_at timestamp not null,
    last_line_number integer,
    has_final_line_feed boolean
)
"""

# Columns added after raw.loaded_files was first created. An older warehouse gets them with
# nulls, which stay until the file changes and is loaded again.
REGISTRY_ADDED_COLUMNS = (
    ("last_line_number", "integer"),
    ("has_final_line_feed", "boolean"),
)

UNIX_EPOCH = datetime(1970, 1, 1)
CHECKSUM_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class LandingFile:
    """A file in the landing directory as the file system reports it."""

    source_file: str  # path relative to the landing directory, with forward slashes
    path: Path  # absolute path
    size_bytes: int
    modified_at: datetime  # modification time in UTC, without zone, to the microsecond


@dataclass(frozen=True)
class RegisteredFile:
    """A row of raw.loaded_files: a file as it was when last loaded."""

    source_file: str
    size_bytes: int
    modified_at: datetime
    checksum_md5: str
    duplicate_of: str | None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0


@dataclass(frozen=True)
class LoadPlan:
    """Plan of one run for the landing files of a source kind."""

    to_load: tuple[LandingFile, ...]
    to_remove: tuple[RegisteredFile, ...]
    unchanged: tuple[str, ...]
    unsettled: tuple[str, ...]
    # Files whose size or time changed but whose content did not: only the registry row changes.
    touched: tuple[LandingFile, ...]
    checksums: Mapping[str, str] = field(default_factory=dict)

    @property
    def replaced_files(self) -> tuple[str, ...]:
        """Files whose raw rows and rejections this run deletes: the reloaded and the removed."""
        return tuple(file.source_file for file in self.to_load) + tuple(
            file.source_file for file in self.to_remove
        )


def create_registry_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create raw.loaded_files if it is missing, and add the columns an older warehouse lacks."""
    con.execute(REGISTRY_DDL)
    for column, column_type in REGISTRY_ADDED_COLUMNS:
        con.execute(f"alter table {REGISTRY_TABLE} add column if not exists {column} {column_type}")


def modified_at_utc(modified_ns: int) -> datetime:
    """Convert a file's st_mtime_ns to a naive UTC datetime, truncated to the microsecond."""
    return UNIX_EPOCH + timedelta(microseconds=modified_ns // 1000)


def scan_landing_files(landing_dir: Path, pattern: str) -> list[LandingFile]:
    """List the regular files matching a glob pattern under the landing directory, sorted by path.

    An absent folder gives an empty list: it is an empty source, not an error.
    """
    root = Path(landing_dir).resolve()
    files = []
    for path in sorted(root.glob(pattern)):
        if not path.is_file():
            continue
        status = path.stat()
        files.append(
            LandingFile(
                source_file=path.relative_to(root).as_posix(),
                path=path,
                size_bytes=status.st_size,
                modified_at=modified_at_utc(status.st_mtime_ns),
            )
        )
    return files


def list_ignored_files(landing_dir: Path, pattern: str) -> list[str]:
    """List the files in the pattern's folder that the pattern does not match, such as
    `roster/agents (1).csv` beside `roster/agents.csv`, so a run can log that it did not read them."""
    root = Path(landing_dir).resolve()
    folder = root / PurePosixPath(pattern).parent
    if not folder.is_dir():
        return []
    matched = {path for path in root.glob(pattern)}
    return sorted(
        path.relative_to(root).as_posix()
        for path in folder.iterdir()
        if path.is_file() and path not in matched
    )


def file_md5(path: Path) -> str:
    """Return the MD5 checksum of a file's bytes as 32 hex digits, read in 1 MiB chunks."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(CHECKSUM_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def plan_load(
    landing_files: Sequence[LandingFile],
    registered: Mapping[str, RegisteredFile],
    *,
    checksum: Callable[[Path], str],
    settle_seconds: float,
    now: datetime,
) -> LoadPlan:
    """Decide which files a run loads, removes, refreshes in the registry, or leaves alone.

    `now` is naive UTC. `checksum` is called only for settled files whose size or modification
    time differ from the registry.
    """
    settled_before = now - timedelta(seconds=settle_seconds)
    to_load: list[LandingFile] = []
    unchanged: list[LandingFile] = []
    unsettled: list[str] = []
    touched: list[LandingFile] = []
    checksums: dict[str, str] = {}

    for landing_file in landing_files:
        known = registered.get(landing_file.source_file)
        if landing_file.modified_at > settled_before:
            unsettled.append(landing_file.source_file)
        elif known is not None and (known.size_bytes, known.modified_at) == (
            landing_file.size_bytes,
            landing_file.modified_at,
        ):
            unchanged.append(landing_file)
        else:
            content_md5 = checksum(landing_file.path)
            checksums[landing_file.source_file] = content_md5
            if known is not None and known.checksum_md5 == content_md5:
                touched.append(landing_file)
            else:
                to_load.append(landing_file)

    listed = {landing_file.source_file for landing_file in landing_files}
    to_remove = tuple(
        known for path, known in sorted(registered.items()) if path not in listed
    )

    # A duplicate stays one only while the file it duplicates is loaded, unchanged and identical.
    reloaded = {landing_file.source_file for landing_file in to_load}
    for landing_file in unchanged + touched:
        known = registered[landing_file.source_file]
        if known.duplicate_of is None:
            continue
        original = registered.get(known.duplicate_of)
        if (
            original is None
            or original.source_file in reloaded
            or original.source_file not in listed
            or original.duplicate_of is not None
            or original.checksum_md5 != known.checksum_md5
        ):
            to_load.append(landing_file)
            checksums.setdefault(landing_file.source_file, known.checksum_md5)

    reexamined = {landing_file.source_file for landing_file in to_load}
    return LoadPlan(
        to_load=tuple(sorted(to_load, key=lambda landing_file: landing_file.source_file)),
        to_remove=to_remove,
        unchanged=tuple(
            landing_file.source_file
            for landing_file in unchanged
            if landing_file.source_file not in reexamined
        ),
        unsettled=tuple(unsettled),
        touched=tuple(
            landing_file for landing_file in touched if landing_file.source_file not in reexamined
        ),
        checksums=checksums,
    )


def find_duplicates(
    plan: LoadPlan,
    registered: Mapping[str, RegisteredFile],
    files_with_rows: Iterable[str],
) -> dict[str, str]:
    """Map each file of `plan.to_load` that repeats a loaded file's content to that file's path.

    Registered files that this run keeps (not reloaded, not removed, not duplicates) take
    precedence, then the files being loaded in path order. Only files with at least one line or
    record (`files_with_rows`) can be duplicates.
    """
    replaced = set(plan.replaced_files)
    original_by_checksum: dict[str, str] = {}
    for path, known in sorted(registered.items()):
        if path not in replaced and known.duplicate_of is None:
            original_by_checksum.setdefault(known.checksum_md5, path)

    with_rows = set(files_with_rows)
    duplicates: dict[str, str] = {}
    for landing_file in plan.to_load:
        path = landing_file.source_file
        if path not in with_rows:
            continue
        content_md5 = plan.checksums[path]
        if content_md5 in original_by_checksum:
            duplicates[path] = original_by_checksum[content_md5]
        else:
            original_by_checksum[content_md5] = path
    return duplicates


def read_registry(con: duckdb.DuckDBPyConnection, source_kind: str) -> dict[str, RegisteredFile]:
    """Return the registry rows of a source kind, keyed by path."""
    rows = con.execute(
        f"""
        select
            source_file, size_bytes, modified_at, checksum_md5, duplicate_of,
            rows_read, rows_loaded, rows_rejected
        from {REGISTRY_TABLE}
        where source_kind = ?
        """,
        [source_kind],
    ).fetchall()
    return {row[0]: RegisteredFile(*row) for row in rows}


@dataclass(frozen=True)
class FileReconciliation:
    """One file's row counts: as the registry recorded them and as the raw tables hold them now.

    `rows_read` is None for rows whose file the registry does not know.
    """

    source_file: str
    rows_read: int | None
    rows_loaded: int
    rows_rejected: int

    @property
    def is_balanced(self) -> bool:
        """True when rows read = rows in the raw table + rows in raw.rejected_records."""
        if self.rows_read is None:
            return False
        return self.rows_read == self.rows_loaded + self.rows_rejected


def reconcile_files(
    con: duckdb.DuckDBPyConnection, source_kind: str, table: str
) -> list[FileReconciliation]:
    """Count, per file, the rows the registry recorded as read against the rows the warehouse contains.

    `table` is the raw table with one row per loaded line or record (for Zendesk tickets
    `raw.zendesk_tickets`, not its custom fields). Files only the raw tables know come last
    with rows_read None: their rows are not accounted for by any load.
    """
    rows = con.execute(
        f"""
        with
        registered as (
            select source_file, rows_read
            from {REGISTRY_TABLE}
            where source_kind = $source_kind
        ),

        loaded as (
            select _source_file as source_file, count(*) as rows_loaded
            from {table}
            group by _source_file
        ),

        rejected as (
            select source_file, count(*) as rows_rejected
            from raw.rejected_records
            where source_kind = $source_kind
            group by source_file
        ),

        all_files as (
            select source_file from registered
            union
            select source_file from loaded
            union
            select source_file from rejected
        )

        select
            all_files.source_file,
            registered.rows_read,
            coalesce(loaded.rows_loaded, 0) as rows_loaded,
            coalesce(rejected.rows_rejected, 0) as rows_rejected
        from all_files
        left join registered on registered.source_file = all_files.source_file
        left join loaded on loaded.source_file = all_files.source_file
        left join rejected on rejected.source_file = all_files.source_file
        order by registered.rows_read is null, all_files.source_file
        """,
        {"source_kind": source_kind},
    ).fetchall()
    return [FileReconciliation(*row) for row in rows]


@dataclass(frozen=True)
class UnterminatedFile:
    """A registered file whose last non-blank line has no line feed, so it may have been cut."""

    source_file: str
    last_line_number: int
    # Reason of the last line's rejection, or None when the line was loaded.
    rejection_reason: str | None


def find_unterminated_files(
    con: duckdb.DuckDBPyConnection, source_kind: str
) -> list[UnterminatedFile]:
    """List the files of a source kind whose last line has no line feed, as the registry records.

    The registry keeps this for every file, so a run that skips an unchanged file still finds it.
    Duplicates are left out because their original is listed. Files with no rows are left out
    because a CSV file holding only its header has no record to cut. Also left out are files
    without a recorded last line: JSON pages, files that are not text, and files loaded before
    the registry recorded line ends.
    """
    rows = con.execute(
        f"""
        with
        unterminated as (
            select source_file, last_line_number
            from {REGISTRY_TABLE}
            where
                source_kind = $source_kind
                and not has_final_line_feed
                and duplicate_of is null
                and rows_read > 0
        ),

        rejected as (
            select source_file, source_position, min(reason) as reason
            from raw.rejected_records
            where source_kind = $source_kind
            group by source_file, source_position
        )

        select unterminated.source_file, unterminated.last_line_number, rejected.reason
        from unterminated
        left join rejected
            on rejected.source_file = unterminated.source_file
            and rejected.source_position = unterminated.last_line_number
        order by unterminated.source_file
        """,
        {"source_kind": source_kind},
    ).fetchall()
    return [UnterminatedFile(*row) for row in rows]


def count_files_with_last_line(con: duckdb.DuckDBPyConnection, source_kind: str) -> int:
    """Count the files of a source kind whose last line `find_unterminated_files` can judge."""
    [(count,)] = con.execute(
        f"""
        select count(*)
        from {REGISTRY_TABLE}
        where
            source_kind = ?
            and has_final_line_feed is not null
            and duplicate_of is null
            and rows_read > 0
        """,
        [source_kind],
    ).fetchall()
    return count
