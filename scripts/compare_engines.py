"""Compare the dbt models built on DuckDB with the same models built on PostgreSQL, row by row.

    python scripts/compare_engines.py dump-script --warehouse FILE --output-dir DIR
    python scripts/compare_engines.py compare --warehouse FILE --output-dir DIR

`dump-script` writes `dump_models.sql`, a psql script that copies every table and view of the
model schemas out of PostgreSQL into `<schema>.<relation>.csv` files in DIR. `compare` reads
those files back into DuckDB with the column types of the DuckDB relation of the same name and
reports every relation whose rows differ (EXCEPT ALL in both directions, so duplicates count).
It exits 1 when a relation differs or is missing on PostgreSQL.
`scripts/check_postgres.sh` runs both steps with the main virtualenv.
"""

import argparse
import sys
from pathlib import Path

import duckdb

# The schemas dbt builds models and seeds into (dbt_project.yml). Schema `raw` is the input.
MODEL_SCHEMAS = ("staging", "intermediate", "marts", "config")
NULL_MARKER = r"\N"
SAMPLE_ROW_COUNT = 3


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def model_relations(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Return (schema, relation) of every table and view in the model schemas, sorted."""
    placeholders = ", ".join("?" for _ in MODEL_SCHEMAS)
    return connection.execute(
        "select table_schema, table_name from information_schema.tables"
        f" where table_schema in ({placeholders}) order by table_schema, table_name",
        list(MODEL_SCHEMAS),
    ).fetchall()


def csv_path(output_dir: Path, schema: str, relation: str) -> Path:
    return output_dir / f"{schema}.{relation}.csv"


def dump_script(relations: list[tuple[str, str]], output_dir: Path) -> str:
    """Return psql `\\copy` commands that write each relation to its CSV file."""
    lines = []
    for schema, relation in relations:
        target = quote_literal(str(csv_path(output_dir, schema, relation)))
        lines.append(
            f"\\copy (select * from {quote_identifier(schema)}.{quote_identifier(relation)})"
            f" to {target} with (format csv, header true, null '{NULL_MARKER}')\n"
        )
    return "".join(lines)


def column_types(connection: duckdb.DuckDBPyConnection, schema: str, relation: str) -> dict[str, str]:
    rows = connection.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, relation],
    ).fetchall()
    return dict(rows)


def compare_relation(
    connection: duckdb.DuckDBPyConnection, schema: str, relation: str, postgres_csv: Path
) -> list[str]:
    """Return lines describing how the PostgreSQL copy of a relation differs; empty when equal."""
    if not postgres_csv.exists():
        return [f"{schema}.{relation}: missing on PostgreSQL"]
    types = column_types(connection, schema, relation)
    columns = "{" + ", ".join(f"{quote_literal(name)}: {quote_literal(kind)}" for name, kind in types.items()) + "}"
    postgres_rows = (
        f"select * from read_csv({quote_literal(str(postgres_csv))}, header = true,"
        f" nullstr = {quote_literal(NULL_MARKER)}, quote = '\"', escape = '\"', columns = {columns})"
    )
    duckdb_rows = f"select * from {quote_identifier(schema)}.{quote_identifier(relation)}"
    only_on_duckdb = connection.execute(f"{duckdb_rows} except all {postgres_rows}").fetchall()
    only_on_postgres = connection.execute(f"{postgres_rows} except all {duckdb_rows}").fetchall()
    if not only_on_duckdb and not only_on_postgres:
        return []
    lines = [
        f"{schema}.{relation}: {len(only_on_duckdb)} rows only on DuckDB,"
        f" {len(only_on_postgres)} rows only on PostgreSQL; columns {', '.join(types)}"
    ]
    lines += [f"    DuckDB:     {row}" for row in sorted(only_on_duckdb, key=str)[:SAMPLE_ROW_COUNT]]
    lines += [f"    PostgreSQL: {row}" for row in sorted(only_on_postgres, key=str)[:SAMPLE_ROW_COUNT]]
    return lines


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("dump-script", "compare"))
    parser.add_argument("--warehouse", type=Path, required=True, help="DuckDB file dbt built")
    parser.add_argument(
        "--output-dir", type=Path, required=True, help="folder of dump_models.sql and the CSV files"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    output_dir = arguments.output_dir.resolve()
    with duckdb.connect(str(arguments.warehouse), read_only=True) as connection:
        relations = model_relations(connection)
        if arguments.step == "dump-script":
            output_dir.mkdir(parents=True, exist_ok=True)
            (output_dir / "dump_models.sql").write_text(dump_script(relations, output_dir))
            return 0

        differences = []
        for schema, relation in relations:
            differences += compare_relation(connection, schema, relation, csv_path(output_dir, schema, relation))
    for line in differences:
        print(f"compare_engines: {line}")
    differing_count = sum(1 for line in differences if not line.startswith(" "))
    print(
        f"compare_engines: {len(relations) - differing_count} of {len(relations)} relations in"
        f" {', '.join(MODEL_SCHEMAS)} hold the same rows on DuckDB and PostgreSQL"
    )
    return 1 if differing_count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
