"""The DuckDB halves of `make check-postgres`: the raw-table export and the row comparison.

PostgreSQL itself is not needed here. The CSV files that stand in for PostgreSQL's output are
written in the format `psql \\copy ... with (format csv, header true, null '\\N')` produces:
booleans as t/f, NULL as \\N, an empty string as an empty unquoted field.
"""

import importlib.util
from pathlib import Path

import duckdb
import pytest

SCRIPTS_DIR = Path(__file__).resolve().parent.parent / "scripts"


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


export_raw_tables = load_script("export_raw_tables")
compare_engines = load_script("compare_engines")


def test_postgres_type_maps_each_kind():
    assert export_raw_tables.postgres_type("VARCHAR", "raw.t.c") == "text"
    assert export_raw_tables.postgres_type("BIGINT", "raw.t.c") == "bigint"
    assert export_raw_tables.postgres_type("DOUBLE", "raw.t.c") == "double precision"
    assert export_raw_tables.postgres_type("TIMESTAMP", "raw.t.c") == "timestamp"
    assert export_raw_tables.postgres_type("DECIMAL(28,6)", "raw.t.c") == "numeric(28, 6)"


def test_unmapped_type_names_column():
    with pytest.raises(export_raw_tables.UnsupportedTypeError, match=r"raw\.cdr\.tags.*VARCHAR\[\]"):
        export_raw_tables.postgres_type("VARCHAR[]", "raw.cdr.tags")


def test_export_keeps_null_apart_from_empty(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema raw")
        connection.execute(
            "create table raw.notes (note_id integer, body varchar, is_public boolean, amount decimal(9, 2))"
        )
        connection.execute("insert into raw.notes values (1, '', true, 1.50), (2, null, false, null)")

    tables = export_raw_tables.export_raw_schema(warehouse, tmp_path / "export")

    assert tables == ["notes"]
    csv_lines = (tmp_path / "export" / "notes.csv").read_text().splitlines()
    assert csv_lines[0] == "note_id,body,is_public,amount"
    # Unquoted but not \N: PostgreSQL's COPY with null '\N' reads it as an empty string.
    assert csv_lines[1] == "1,,true,1.50"
    assert csv_lines[2] == r"2,\N,false,\N"
    script = (tmp_path / "export" / "load_raw.sql").read_text()
    assert '"amount" numeric(9, 2)' in script
    assert f"\\copy raw.\"notes\" from '{tmp_path / 'export' / 'notes.csv'}'" in script
    assert "null '\\N'" in script


def build_mart(tmp_path: Path) -> Path:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.kpis (queue_name varchar, rate decimal(28, 6), is_open boolean,"
            " started_at timestamp)"
        )
        connection.execute(
            "insert into marts.kpis values ('tagihan', 0.5, true, '2026-10-01 02:00:00'),"
            " ('', null, false, null)"
        )
    return warehouse


def write_postgres_csv(path: Path, data_lines: list[str]) -> None:
    path.write_text("\n".join(["queue_name,rate,is_open,started_at", *data_lines]) + "\n")


def test_compare_accepts_same_rows(tmp_path):
    warehouse = build_mart(tmp_path)
    postgres_csv = tmp_path / "marts.kpis.csv"
    write_postgres_csv(postgres_csv, ["tagihan,0.500000,t,2026-10-01 02:00:00", r",\N,f,\N"])

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        differences = compare_engines.compare_relation(connection, "marts", "kpis", postgres_csv)

    assert differences == []


def test_compare_reports_changed_row(tmp_path):
    warehouse = build_mart(tmp_path)
    postgres_csv = tmp_path / "marts.kpis.csv"
    # the empty queue name became NULL on the way
    write_postgres_csv(postgres_csv, ["tagihan,0.500000,t,2026-10-01 02:00:00", r"\N,\N,f,\N"])

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        differences = compare_engines.compare_relation(connection, "marts", "kpis", postgres_csv)

    assert differences[0].startswith("marts.kpis: 1 rows only on DuckDB, 1 rows only on PostgreSQL")
    assert "DuckDB:     ('', None, False, None)" in differences[1]
    assert "PostgreSQL: (None, None, False, None)" in differences[2]


def test_compare_reports_missing_relation(tmp_path):
    warehouse = build_mart(tmp_path)

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        differences = compare_engines.compare_relation(
            connection, "marts", "kpis", tmp_path / "marts.kpis.csv"
        )

    assert differences == ["marts.kpis: missing on PostgreSQL"]


def test_dump_script_copies_each_relation(tmp_path):
    script = compare_engines.dump_script([("marts", "kpis"), ("staging", "stg_o'brien")], tmp_path)

    lines = script.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith('\\copy (select * from "marts"."kpis") to ')
    assert f"'{tmp_path / 'marts.kpis.csv'}'" in lines[0]
    assert "'stg_o''brien'" not in lines[1]
    assert f"'{tmp_path}/staging.stg_o''brien.csv'" in lines[1]
