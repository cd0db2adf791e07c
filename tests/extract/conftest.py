"""Fixtures for the extract tests: an in-memory DuckDB warehouse and a landing folder in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest


@dataclass
class Warehouse:
    """An in-memory DuckDB connection with a landing folder to write source files into."""

    con: duckdb.DuckDBPyConnection
    landing_dir: Path

    def write(self, relative_path: str, content: str | bytes) -> Path:
        """Write a landing file, encoding text as UTF-8 without translating line ends."""
        path = self.landing_dir / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    def rows(self, table: str) -> list[dict]:
        """Return a raw table's rows without _loaded_at, in file and position order."""
        return self._dicts(
            f"select * exclude (_loaded_at) from {table} order by _source_file, _source_position"
        )

    def rejections(self, source_kind: str) -> list[dict]:
        """Return the rejected records of one source kind without loaded_at, in file order."""
        return self._dicts(
            """
            select * exclude (loaded_at)
            from raw.rejected_records
            where source_kind = ?
            order by source_file, source_position
            """,
            [source_kind],
        )

    def registry(self, source_kind: str) -> list[dict]:
        """Return the file registry rows of one source kind without loaded_at, by path."""
        return self._dicts(
            """
            select * exclude (loaded_at)
            from raw.loaded_files
            where source_kind = ?
            order by source_file
            """,
            [source_kind],
        )

    def set_modified_at(self, relative_path: str, modified_at: datetime) -> None:
        """Set a landing file's modification time (naive UTC)."""
        timestamp = modified_at.replace(tzinfo=UTC).timestamp()
        os.utime(self.landing_dir / relative_path, (timestamp, timestamp))

    def loaded_at_values(self, table: str) -> list:
        """Return the distinct _loaded_at values of a raw table."""
        rows = self.con.execute(f"select distinct _loaded_at from {table}").fetchall()
        return [row[0] for row in rows]

    def _dicts(self, sql: str, parameters: list | None = None) -> list[dict]:
        cursor = self.con.execute(sql, parameters or [])
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    con = duckdb.connect()
    yield Warehouse(con=con, landing_dir=tmp_path / "landing")
    con.close()
