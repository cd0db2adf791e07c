"""Dagster assets that load the landing files into the `raw` schema, one asset per source kind.

The loading itself lives in `orchestration.extract`; these assets wire it to the warehouse and
report what each load read, loaded and rejected.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    AssetsDefinition,
    Backoff,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    multi_asset,
)
from dagster_duckdb import DuckDBResource

from orchestration import settings
from orchestration.extract import cdr, queue_log, roster, surveys, zendesk
from orchestration.extract import amazon_connect, leads
from orchestration.extract.common import LoadResult

# A landing file can still be moving into place when a run starts. One retry after a short pause
# rides that out, and a real parse failure still fails the second attempt.
EXTRACT_RETRY_POLICY = RetryPolicy(max_retries=1, delay=10, backoff=Backoff.LINEAR)


@dataclass(frozen=True)
class ExtractSource:
    """One source kind of the landing directory and the raw tables its loader writes."""

    name: str
    landing_folder: str
    tables: Sequence[str]
    description: str
    load: Callable[[duckdb.DuckDBPyConnection, Path], LoadResult]


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
    ),
    ExtractSource(
        name="roster",
        landing_folder="roster",
        tables=("roster_agents",),
        description="The agent roster: teams, sites and every source identity of each agent.",
        load=roster.load_roster,
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
    ),
)


def load_result_metadata(result: LoadResult, landing_folder: Path) -> dict:
    """Build the materialization metadata of one load: counts, reasons and where it read."""
    reasons = "\n".join(
        f"| {reason} | {count} |" for reason, count in sorted(result.rejection_reasons.items())
    )
    metadata = {
        "landing_folder": MetadataValue.path(str(landing_folder)),
        "files_read": result.files_read,
        "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
    }
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
        with warehouse.get_connection() as connection:
            result = source.load(connection, settings.landing_dir())
        context.log.info(
            f"{source.name}: read {result.rows_read} rows from {result.files_read} files in "
            f"{landing_folder}, loaded {result.rows_loaded}, rejected {result.rows_rejected}"
        )
        metadata = load_result_metadata(result, landing_folder)
        for spec in specs:
            yield MaterializeResult(asset_key=spec.key, metadata=metadata)

    return extract


extract_assets = [build_extract_asset(source) for source in EXTRACT_SOURCES]
