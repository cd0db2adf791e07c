"""Personal data stops at the raw schema.

The fixture landing directory carries customer data where real exports carry it. Ticket 5002's
opening comment has a phone number, an e-mail address, a NIK and a card number. Ticket 5003's
subject, the CDR caller ids and dial strings have phone numbers, Zendesk user 7101 is named after
their phone number, and queue_log caller ids are written three ways.

This module builds the warehouse from it with `refresh_warehouse` and scans what analysts read:
every column of every mart, and every text column of every staging view except the few that keep
a normalised number or address for customer matching.
"""

import hashlib
import os
import re
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration import settings

LANDING_DIR = Path(__file__).parent / "fixtures" / "landing_small"

# What the scan looks for, written apart from dbt's mask_pii so that a gap in one shows up in the
# other. The patterns are broader where that raises no false alarm on the marts' ids, times and
# decimals, so any 16 digits count as a NIK and any 13 to 19 digits in groups as a card. A digit
# run touching a letter or digit is part of an id or a hash such as customer_key, and UUIDs
# (Amazon Connect contact ids) are left out before the search.
PERSONAL_DATA_PATTERNS = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "phone": re.compile(
        r"(?<![\w.+])(?:"
        r"\+\d(?:[ -]?\d){7,14}"  # E.164, +62 8… included
        r"|\(?0[2-9]\d{0,2}\)?(?:[ -]?\d){7,11}"  # 08… mobiles and landlines with an area code
        r"|62[ -]?8(?:[ -]?\d){8,11}"  # 628… mobiles without the plus
        r")(?!\w)"
    ),
    "nik": re.compile(r"(?<!\w)\d{16}(?!\w)"),
    "card": re.compile(r"(?<!\w)\d(?:[ -]?\d){12,18}(?!\w)"),
}
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

# Staging columns that keep a customer's phone number or e-mail address, normalised, because
# customer_key is hashed from them in the marts. README.md lists them for access decisions.
MATCHING_COLUMNS = {
    ("stg_zendesk__users", "phone_number"),
    ("stg_zendesk__users", "email"),
    ("stg_asterisk__queue_log_events", "data2"),
    ("stg_asterisk__cdr", "source_number"),
    ("stg_asterisk__cdr", "destination"),
    ("stg_amazon_connect__contact_records", "customer_number"),
}

NORMALISED_PHONE_NUMBER = re.compile(r"62\d{7,13}")
SAMPLE_CHARACTERS = 120


@dataclass(frozen=True)
class Finding:
    relation: str
    column: str
    kind: str
    sample: str


def find_personal_data(text: str) -> list[tuple[str, re.Match[str]]]:
    """Return each kind of personal data found in `text` with its match."""
    # Same-length blanks keep every match's position in `text`.
    searched = UUID.sub(lambda uuid: "#" * len(uuid.group()), text)
    return [
        (kind, match)
        for kind, pattern in PERSONAL_DATA_PATTERNS.items()
        for match in pattern.finditer(searched)
    ]


def redact(text: str) -> str:
    """Return `text` with every match replaced by its kind and length, cut to SAMPLE_CHARACTERS."""
    matches = sorted(find_personal_data(text), key=lambda found: (found[1].start(), -found[1].end()))
    parts, position = [], 0
    for kind, match in matches:
        if match.start() < position:
            continue  # the same digits found as another kind
        parts += [text[position : match.start()], f"<{kind}, {len(match.group())} characters>"]
        position = match.end()
    redacted = "".join([*parts, text[position:]])
    return redacted if len(redacted) <= SAMPLE_CHARACTERS else redacted[:SAMPLE_CHARACTERS] + "…"


def read_column_values(connection: duckdb.DuckDBPyConnection, relation: str, column: str) -> list[str]:
    rows = connection.execute(
        f'select distinct cast("{column}" as varchar) from {relation} where "{column}" is not null'
    ).fetchall()
    return [value for (value,) in rows]


def scan_schema(
    warehouse: Path, schema: str, *, text_columns_only: bool, skipped: Collection[tuple[str, str]] = ()
) -> list[Finding]:
    """Return every value in `schema` holding personal data, one finding per column and kind."""
    findings: dict[tuple[str, str, str], Finding] = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        columns = connection.execute(
            """
            select table_name, column_name, data_type
            from information_schema.columns
            where table_schema = ?
            order by table_name, ordinal_position
            """,
            [schema],
        ).fetchall()
        for table, column, data_type in columns:
            if text_columns_only and data_type != "VARCHAR":
                continue
            if (table, column) in skipped:
                continue
            relation = f'{schema}."{table}"'
            for value in read_column_values(connection, relation, column):
                for kind, _ in find_personal_data(value):
                    key = (f"{schema}.{table}", column, kind)
                    findings.setdefault(key, Finding(*key, redact(value)))
    return list(findings.values())


def describe(findings: list[Finding]) -> str:
    return "\n".join(f"{f.relation}.{f.column}: {f.kind} in {f.sample!r}" for f in findings)


def read_rows(warehouse: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, parameters or []).fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("personal_data")
    warehouse = folder / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("KINERJA_LANDING_DIR", str(LANDING_DIR))
        monkeypatch.setenv("KINERJA_WAREHOUSE", str(warehouse))
        monkeypatch.setenv("KINERJA_REPORTS_DIR", str(folder / "reports"))
        from orchestration.definitions import build_definitions

        job = build_definitions().resolve_job_def("refresh_warehouse")
        result = job.execute_in_process(instance=DagsterInstance.ephemeral())
    assert result.success
    return warehouse


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hubungi 0812-3456-7890 ya", "phone"),
        ("nomor +62 812 3456 7890", "phone"),
        ("dari 6281234567890 kemarin", "phone"),
        ("rumah (021) 555-1234", "phone"),
        ("kirim ke dewi.lestari@example.co.id", "email"),
        ("NIK 3174015505900002", "nik"),
        ("kartu 4111 1111 1111 1111", "card"),
        ("Amex 3782 822463 10005", "card"),
    ],
)
def test_scan_finds_each_kind(text, kind):
    assert kind in {found_kind for found_kind, _ in find_personal_data(text)}


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-01 02:00:00",
        "0.500000",
        "-100.000000",
        "1790820000.10",
        "6f9549d281eae96a9c7e0ffccee512cd",
        "Nomor tiket 2610010042, tiket #5001",
        "Pesanan INV/2026/10/00123",
        "jam 08:15, Rp 1.500.000",
        "Hubungi [PHONE] atau [EMAIL], NIK [NIK], kartu [CARD]",
        "12345678-1234-1234-1234-123456789012",
        "f2a80e96-0837-4812-b9c7-ce02381e9bd5",
        "Local/1015@from-internal-02345678;2",
    ],
)
def test_scan_ignores_near_misses(text):
    assert find_personal_data(text) == []


def test_scan_sees_planted_raw_data(warehouse):
    # Without this the two scans below could pass because the fixture, or the scan, saw nothing.
    findings = scan_schema(warehouse, "raw", text_columns_only=True)
    found = {(f.relation, f.column, f.kind) for f in findings}
    for kind in ("phone", "email", "nik", "card"):
        assert ("raw.zendesk_ticket_comments", "body", kind) in found
    assert ("raw.zendesk_tickets", "subject", "phone") in found
    assert ("raw.zendesk_users", "name", "phone") in found
    assert ("raw.cdr", "clid", "phone") in found
    assert ("raw.cdr", "lastdata", "phone") in found


def test_staging_masks_comment_body(warehouse):
    rows = read_rows(warehouse, "select body from staging.stg_zendesk__ticket_comments where comment_id = 4")
    assert rows == [
        (
            "Internet rumah saya putus sejak jam 6 pagi. Hubungi saya di [PHONE] atau [EMAIL]."
            " Data pelanggan: NIK [NIK], tagihan dibayar dengan kartu [CARD].",
        )
    ]


def test_marts_hold_no_personal_data(warehouse):
    findings = scan_schema(warehouse, "marts", text_columns_only=False)
    assert findings == [], "personal data in the marts:\n" + describe(findings)


def test_staging_text_holds_no_personal_data(warehouse):
    findings = scan_schema(warehouse, "staging", text_columns_only=True, skipped=MATCHING_COLUMNS)
    assert findings == [], (
        "personal data in staging text (mask it with mask_pii, or normalise it and add the column"
        " to MATCHING_COLUMNS and the README):\n" + describe(findings)
    )


def test_matching_columns_hold_normalised_values(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for table, column in sorted(MATCHING_COLUMNS):
            for value in read_column_values(connection, f'staging."{table}"', column):
                for kind, _ in find_personal_data(value):
                    if kind == "email":
                        assert value == value.strip().lower(), f"{table}.{column}: {redact(value)}"
                    else:
                        assert NORMALISED_PHONE_NUMBER.fullmatch(value), f"{table}.{column}: {redact(value)}"


def test_matching_columns_are_in_staging(warehouse):
    # An allow-listed column that was renamed or dropped would leave the list silently stale.
    rows = read_rows(
        warehouse,
        "select table_name, column_name from information_schema.columns where table_schema = 'staging'",
    )
    assert MATCHING_COLUMNS <= set(rows)


def test_customer_key_is_keyed_hash(warehouse, pii_key):
    rows = dict(
        read_rows(
            warehouse,
            "select contact_id, customer_key from marts.fct_contacts where contact_id in ('5001', '1790820200.3')",
        )
    )
    # ticket 5001's requester has +62 822-2222-2222 and call .3 came from 082222222222: both 6282222222222
    keyed = hashlib.md5(f"{pii_key}:tel:6282222222222".encode()).hexdigest()
    unkeyed = hashlib.md5(b"tel:6282222222222").hexdigest()
    assert rows["5001"] == keyed
    assert rows["1790820200.3"] == keyed
    assert keyed != unkeyed


def test_key_stays_out_of_warehouse(warehouse, pii_key):
    # Views store their SQL; customer_key is computed in tables, whose SQL is not stored.
    assert read_rows(warehouse, "select view_name from duckdb_views() where contains(sql, ?)", [pii_key]) == []
    assert pii_key.encode() not in warehouse.read_bytes()


def test_missing_key_stops_code_location(monkeypatch):
    monkeypatch.delenv("KINERJA_PII_KEY")
    from orchestration.definitions import build_definitions

    with pytest.raises(settings.MissingSettingError, match="KINERJA_PII_KEY is not set"):
        build_definitions()


def test_demo_run_uses_demo_key(monkeypatch):
    monkeypatch.delenv("KINERJA_PII_KEY")
    monkeypatch.setenv("KINERJA_DEMO", "1")
    assert settings.pii_key() == settings.DEMO_PII_KEY


@pytest.fixture(scope="module")
def dbt_scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder for dbt's target and logs, shared so that the second compile parses partially."""
    return tmp_path_factory.mktemp("dbt_scratch")


def run_dbt_compile(arguments: list[str], scratch: Path) -> subprocess.CompletedProcess:
    """Run `dbt compile` on the project, its output kept out of dbt_project/target."""
    return subprocess.run(
        [
            settings.dbt_executable(), "compile", "--profiles-dir", ".",
            "--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs"),
            *arguments,
        ],
        cwd=settings.DBT_PROJECT_DIR,
        env={**os.environ, "KINERJA_WAREHOUSE": str(scratch / "warehouse.duckdb")},
        capture_output=True,
        text=True,
        check=False,
    )


def test_dbt_without_key_names_variable(dbt_scratch, monkeypatch):
    monkeypatch.delenv("KINERJA_PII_KEY")
    result = run_dbt_compile(["--select", "fct_contacts"], dbt_scratch)
    assert result.returncode != 0
    assert "KINERJA_PII_KEY is not set" in result.stdout


def test_customer_key_rejected_in_view(dbt_scratch):
    # An inline query compiles as the project's default materialisation, a view.
    query = "select {{ customer_key(\"'6281234567890'\", 'null') }} as customer_key"
    result = run_dbt_compile(["--inline", query], dbt_scratch)
    assert result.returncode != 0
    assert "a view" in result.stdout
    assert "compute customer_key in a table" in result.stdout
