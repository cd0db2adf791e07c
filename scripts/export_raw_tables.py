"""Load a landing directory into a DuckDB warehouse and export its `raw` schema for PostgreSQL.

    python scripts/export_raw_tables.py --landing-dir DIR --warehouse FILE --output-dir DIR

Runs only the extract assets (the loaders and the public-holiday calendar), so the warehouse
contains the `raw` tables that dbt reads. For each table it writes `<table>.csv` and appends to
`load_raw.sql` a `create table` with the PostgreSQL equivalent of every DuckDB column type and a
psql `\\copy` of the CSV. `psql -v ON_ERROR_STOP=1 -f load_raw.sql` then fills schema `raw`.
`scripts/check_postgres.sh` calls this script with the main virtualenv.
"""

import argparse
import os
import re
import sys
from pathlib import Path

import duckdb

# NULL is written as \N so that an empty string stays distinct from NULL on the way through CSV.
NULL_MARKER = r"\N"

SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20, 0)",
    "HUGEINT": "numeric(38, 0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "JSON": "json",
}
DECIMAL_TYPE = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


class UnsupportedTypeError(ValueError):
    """A DuckDB column type with no PostgreSQL equivalent in this export."""


def postgres_type(duckdb_type: str, column: str) -> str:
    """Return the PostgreSQL type for a DuckDB column type, or raise UnsupportedTypeError."""
    if duckdb_type in SIMPLE_TYPES:
        return SIMPLE_TYPES[duckdb_type]
    decimal = DECIMAL_TYPE.fullmatch(duckdb_type)
    if decimal:
        return f"numeric({decimal.group(1)}, {decimal.group(2)})"
    raise UnsupportedTypeError(
        f"column {column} has DuckDB type {duckdb_type}, which has no PostgreSQL mapping in"
        " scripts/export_raw_tables.py; add one to SIMPLE_TYPES"
    )


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: str, columns: list[tuple[str, str]]) -> str:
    """Return a PostgreSQL `create table raw.<table>` for (name, DuckDB type) columns."""
    column_lines = [
        f"    {quote_identifier(name)} {postgres_type(data_type, f'raw.{table}.{name}')}"
        for name, data_type in columns
    ]
    return f"create table raw.{quote_identifier(table)} (\n" + ",\n".join(column_lines) + "\n);\n"


def copy_command(table: str, csv_path: Path) -> str:
    """Return a psql `\\copy` meta-command that reads a CSV written by `export_raw_schema`."""
    # psql meta-commands end at the line's end and take a single-quoted file name.
    quoted_path = "'" + str(csv_path).replace("'", "''") + "'"
    return (
        f"\\copy raw.{quote_identifier(table)} from {quoted_path}"
        f" with (format csv, header true, null '{NULL_MARKER}')\n"
    )


def load_extract_assets(landing_dir: Path, warehouse: Path) -> None:
    """Materialize every asset of the `extract` group into the DuckDB file `warehouse`."""
    os.environ["KINERJA_LANDING_DIR"] = str(landing_dir)
    os.environ["KINERJA_WAREHOUSE"] = str(warehouse)
    # The landing files were just written by the demo generator or checked out, so none is
    # still being copied.
    os.environ["KINERJA_LANDING_SETTLE_SECONDS"] = "0"
    from dagster import AssetSelection, DagsterInstance

    from orchestration.definitions import build_definitions

    definitions = build_definitions()
    job = definitions.get_implicit_global_asset_job_def().get_subset(
        asset_selection=AssetSelection.groups("extract").resolve(definitions.resolve_asset_graph())
    )
    result = job.execute_in_process(instance=DagsterInstance.ephemeral(), raise_on_error=False)
    if not result.success:
        raise RuntimeError(f"loading {landing_dir} into {warehouse} failed, see the Dagster log above")


def export_raw_schema(warehouse: Path, output_dir: Path) -> list[str]:
    """Write one CSV per `raw` table and `load_raw.sql`, and return the table names."""
    output_dir.mkdir(parents=True, exist_ok=True)
    script_lines = [
        "set client_min_messages to warning;\n",
        "drop schema if exists raw cascade;\n",
        "create schema raw;\n",
    ]
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'raw' order by table_name"
            ).fetchall()
        ]
        for table in tables:
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            csv_path = output_dir / f"{table}.csv"
            connection.execute(
                f"copy raw.{quote_identifier(table)} to '{csv_path}'"
                f" (format csv, header true, nullstr '{NULL_MARKER}')"
            )
            script_lines.append(create_table_sql(table, columns))
            script_lines.append(copy_command(table, csv_path))
    (output_dir / "load_raw.sql").write_text("".join(script_lines))
    return tables


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing-dir", type=Path, required=True, help="landing directory to load")
    parser.add_argument("--warehouse", type=Path, required=True, help="DuckDB file to create")
    parser.add_argument(
        "--output-dir", type=Path, required=True, help="folder for the CSV files and load_raw.sql"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    # DuckDB names a file's catalog after its stem, and a catalog `raw` makes `raw.<table>`
    # ambiguous between that catalog and the schema.
    if arguments.warehouse.stem == "raw":
        raise SystemExit(f"--warehouse {arguments.warehouse}: choose a file name other than raw.duckdb")
    load_extract_assets(arguments.landing_dir.resolve(), arguments.warehouse.resolve())
    tables = export_raw_schema(arguments.warehouse.resolve(), arguments.output_dir.resolve())
    print(f"exported {len(tables)} raw tables to {arguments.output_dir}: {', '.join(tables)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
