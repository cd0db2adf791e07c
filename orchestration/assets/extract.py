"""Dagster assets that load the landing files into the `raw` schema, one asset per source kind.

The loading itself lives in `orchestration.extract`. These assets wire it to the warehouse and
report what each load read, loaded and rejected, and their checks confirm per file that nothing
was lost. The CSV sources with a header also get a WARN check naming each file that ends without
a line feed, because such a file's last record may have been cut while it was copied.
"""

# No `from __future__ import annotations`: Dagster inspects the `context` annotation at
# definition time and rejects it as a string.
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    AssetsDefinition,
    Backoff,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset_check,
    multi_asset,
)
from dagster_duckdb import DuckDBResource

from orchestration import settings
from orchestration.extract import cdr, queue_log, roster, surveys, zendesk
from orchestration.extract import amazon_connect, leads
from orchestration.extract.common import LoadResult
from orchestration.extract.load_report import (
    describe_last_line_status,
    describe_load,
    describe_unterminated_files,
    files_markdown_table,
    reconciliation_markdown_table,
    unterminated_files_markdown_table,
)
from orchestration.extract.registry import (
    FileReconciliation,
    UnterminatedFile,
    count_files_with_last_line,
    find_unterminated_files,
    reconcile_files,
)

# Files still being written are left for the next run by the settle time, so a retry is for the
# warehouse file being locked by another process (DuckDB allows one writer), which a pause
# after the first failure often outlasts. A parse failure fails the same way twice.
EXTRACT_RETRY_POLICY = RetryPolicy(max_retries=1, delay=10, backoff=Backoff.LINEAR)

# Rows of the per-file tables in asset and check metadata; the rest are counted.
MAX_FILES_IN_METADATA = 100


@dataclass(frozen=True)
class ExtractSource:
    """One source kind of the landing directory and the raw tables its loader writes."""

    # Also the source_kind the loader writes into raw.loaded_files and raw.rejected_records.
    name: str
    landing_folder: str
    # Raw tables without the schema. The first has one row per loaded line or record.
    tables: Sequence[str]
    description: str
    # Called as load(connection, landing_dir, settle_seconds=...).
    load: Callable[..., LoadResult]
    # The expected header of a CSV source, empty for the other formats. A CSV file may end
    # without a line feed, so its loader accepts the last line, and a check warns about the file.
    csv_header: Sequence[str] = ()


EXTRACT_SOURCES = (
    ExtractSource(
        name="queue_log",
        landing_folder="telephony/queue_log",
        tables=("queue_log",),
        description="Asterisk queue_log events, one row per line, every event kept.",
        load=queue_log.load_queue_log,
    ),
    ExtractSource(
        name="cdr",
        landing_folder="telephony/cdr",
        tables=("cdr",),
        description="Asterisk cdr_csv call detail records (Master.csv), one row per line.",
        load=cdr.load_cdr,
    ),
    ExtractSource(
        name="zendesk_tickets",
        landing_folder="crm/tickets",
        tables=("zendesk_tickets", "zendesk_ticket_custom_fields"),
        description="Zendesk incremental ticket export pages: ticket versions and their custom field values.",
        load=zendesk.load_zendesk_tickets,
    ),
    ExtractSource(
        name="zendesk_ticket_comments",
        landing_folder="crm/ticket_comments",
        tables=("zendesk_ticket_comments",),
        description="Zendesk List Comments pages, one row per comment.",
        load=zendesk.load_zendesk_ticket_comments,
    ),
    ExtractSource(
        name="zendesk_users",
        landing_folder="crm/users",
        tables=("zendesk_users",),
        description="Zendesk users pages: customers, agents and admins.",
        load=zendesk.load_zendesk_users,
    ),
    ExtractSource(
        name="surveys",
        landing_folder="surveys",
        tables=("surveys",),
        description="Post-contact CSAT and NPS survey responses.",
        load=surveys.load_surveys,
        csv_header=surveys.EXPECTED_HEADER,
    ),
    ExtractSource(
        name="roster",
        landing_folder="roster",
        tables=("roster_agents",),
        description="The agent roster: teams, sites and every source identity of each agent.",
        load=roster.load_roster,
        csv_header=roster.EXPECTED_HEADER,
    ),
    ExtractSource(
        name="amazon_connect",
        landing_folder="telephony/amazon_connect",
        tables=("amazon_connect_contacts",),
        description=(
            "Amazon Connect contact records from a Firehose stream, every delivered copy kept."
        ),
        load=amazon_connect.load_amazon_connect,
    ),
    ExtractSource(
        name="crm_leads",
        landing_folder="crm/leads",
        tables=("crm_leads",),
        description="CRM lead exports: owner, stage and outcome of each lead as of each file.",
        load=leads.load_crm_leads,
        csv_header=leads.EXPECTED_HEADER,
    ),
)


def load_result_metadata(result: LoadResult, landing_folder: Path) -> dict:
    """Build the materialization metadata of one load: counts, reasons, files and where it read."""
    reasons = "\n".join(
        f"| {reason} | {count} |" for reason, count in sorted(result.rejection_reasons.items())
    )
    metadata = {
        "landing_folder": MetadataValue.path(str(landing_folder)),
        "files_read": result.files_read,
        "files_unchanged": result.files_unchanged,
        "files_removed": len(result.files_removed),
        "files_unsettled": len(result.files_unsettled),
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "files_loaded": MetadataValue.json(
            [file_load.source_file for file_load in result.files[:MAX_FILES_IN_METADATA]]
        ),
    }
    if result.files:
        metadata["files"] = MetadataValue.md(
            files_markdown_table(result.files, MAX_FILES_IN_METADATA)
        )
    if reasons:
        metadata["rejection_reasons"] = MetadataValue.md(f"| reason | rows |\n|---|---|\n{reasons}")
    return metadata


def build_extract_asset(source: ExtractSource) -> AssetsDefinition:
    """Build the asset that runs one source kind's loader against the warehouse."""
    specs = [
        AssetSpec(
            key=AssetKey(["raw", table]),
            description=source.description,
            group_name="extract",
            kinds={"duckdb"},
        )
        for table in source.tables
    ]

    @multi_asset(name=f"extract_{source.name}", specs=specs, retry_policy=EXTRACT_RETRY_POLICY)
    def extract(context: AssetExecutionContext, warehouse: DuckDBResource):
        landing_folder = settings.landing_dir() / source.landing_folder
        settle_seconds = settings.landing_settle_seconds()
        with warehouse.get_connection() as connection:
            result = source.load(
                connection, settings.landing_dir(), settle_seconds=settle_seconds
            )
        for line in describe_load(result, settle_seconds):
            if line.level == "warning":
                context.log.warning(line.message)
            else:
                context.log.info(line.message)
        metadata = load_result_metadata(result, landing_folder)
        for spec in specs:
            yield MaterializeResult(asset_key=spec.key, metadata=metadata)

    return extract


def reconciliation_check_result(files: Sequence[FileReconciliation]) -> AssetCheckResult:
    """Pass when each file's rows read equal its rows loaded plus rejected and no row is orphaned."""
    unbalanced = [file for file in files if not file.is_balanced]
    metadata = {
        "files_checked": len(files),
        "files_unbalanced": len(unbalanced),
        "rows_read": sum(file.rows_read or 0 for file in files),
        "rows_loaded": sum(file.rows_loaded for file in files),
        "rows_rejected": sum(file.rows_rejected for file in files),
        "unbalanced_files": MetadataValue.json(
            [
                {
                    "source_file": file.source_file,
                    "rows_read": file.rows_read,
                    "rows_loaded": file.rows_loaded,
                    "rows_rejected": file.rows_rejected,
                }
                for file in unbalanced[:MAX_FILES_IN_METADATA]
            ]
        ),
        "files": MetadataValue.md(reconciliation_markdown_table(files, MAX_FILES_IN_METADATA)),
    }
    description = None
    if unbalanced:
        description = (
            f"{len(unbalanced)} files do not balance: rows read differ from rows loaded plus"
            f" rejected, or rows belong to no registered file (first: {unbalanced[0].source_file})"
        )
    return AssetCheckResult(
        passed=not unbalanced,
        severity=AssetCheckSeverity.ERROR,
        description=description,
        metadata=metadata,
    )


def build_reconciliation_check(source: ExtractSource) -> AssetChecksDefinition:
    """Build the check that every file of a source kind is accounted for in the raw tables."""
    table = f"raw.{source.tables[0]}"

    @asset_check(
        asset=AssetKey(["raw", source.tables[0]]),
        name=f"{source.name}_rows_reconcile",
        description=(
            f"For every {source.name} file in raw.loaded_files, rows read = rows in {table} +"
            " rows in raw.rejected_records, and no row comes from an unregistered file."
        ),
        blocking=False,
    )
    def reconciliation_check(
        context: AssetCheckExecutionContext, warehouse: DuckDBResource
    ) -> AssetCheckResult:
        try:
            with warehouse.get_connection() as connection:
                files = reconcile_files(connection, source.name, table)
        except duckdb.CatalogException as error:
            context.log.error(f"{source.name}: reconciliation could not run: {error}")
            return AssetCheckResult(
                passed=False,
                severity=AssetCheckSeverity.ERROR,
                description=f"reconciliation could not run: {error}. Run the extract first.",
            )
        result = reconciliation_check_result(files)
        if not result.passed:
            context.log.error(f"{source.name}: {result.description}")
        return result

    return reconciliation_check


def last_line_check_result(
    files: Sequence[UnterminatedFile], files_checked: int, last_field: str
) -> AssetCheckResult:
    """Pass when no file ends without a line feed, and otherwise warn, naming each such file.

    `files` are the files ending without a line feed, `files_checked` the files whose last line
    the registry records, and `last_field` the last column of the header: the field a cut inside
    the last line shortens without making the line invalid.
    """
    metadata = {
        "files_checked": files_checked,
        "files_without_final_line_feed": len(files),
        "unterminated_files": MetadataValue.json(
            [
                {
                    "source_file": file.source_file,
                    "last_line_number": file.last_line_number,
                    "field_name": last_field,
                    "last_line_status": describe_last_line_status(file),
                }
                for file in files[:MAX_FILES_IN_METADATA]
            ]
        ),
    }
    description = None
    if files:
        metadata["files"] = MetadataValue.md(
            unterminated_files_markdown_table(files, last_field, MAX_FILES_IN_METADATA)
        )
        description = describe_unterminated_files(files, last_field)
    return AssetCheckResult(
        passed=not files,
        severity=AssetCheckSeverity.WARN,
        description=description,
        metadata=metadata,
    )


def build_last_line_check(source: ExtractSource) -> AssetChecksDefinition:
    """Build the check that every loaded file of a CSV source ends with a line feed."""
    last_field = source.csv_header[-1]

    @asset_check(
        asset=AssetKey(["raw", source.tables[0]]),
        name=f"{source.name}_last_lines_end_with_line_feed",
        description=(
            f"Every {source.name} file with records in raw.loaded_files ends its last line with a"
            " line feed."
            f" A file that does not may have been cut while it was copied, and a cut inside the"
            f" last field ({last_field}) leaves a line that loads. Warns, naming the file and line."
        ),
        blocking=False,
    )
    def last_line_check(
        context: AssetCheckExecutionContext, warehouse: DuckDBResource
    ) -> AssetCheckResult:
        try:
            with warehouse.get_connection() as connection:
                files = find_unterminated_files(connection, source.name)
                files_checked = count_files_with_last_line(connection, source.name)
        except (duckdb.CatalogException, duckdb.BinderException) as error:
            context.log.warning(f"{source.name}: last-line check could not run: {error}")
            return AssetCheckResult(
                passed=False,
                severity=AssetCheckSeverity.WARN,
                description=f"last-line check could not run: {error}. Run the extract first.",
            )
        result = last_line_check_result(files, files_checked, last_field)
        if not result.passed:
            context.log.warning(f"{source.name}: {result.description}")
        return result

    return last_line_check


extract_assets = [build_extract_asset(source) for source in EXTRACT_SOURCES]
reconciliation_checks = [build_reconciliation_check(source) for source in EXTRACT_SOURCES]
last_line_checks = [
    build_last_line_check(source) for source in EXTRACT_SOURCES if source.csv_header
]
