"""Print where the warehouse is, a short KPI summary and the data-quality summary.

`make demo` runs this after the refresh job: `python -m orchestration.summary`.
"""

import sys
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.extract.registry import REGISTRY_TABLE, find_unterminated_files

# Centre-wide figures are weighted averages of the daily marts, so the summary never restates a
# KPI definition: a rate times its denominator gives back its numerator.
OVERALL_KPIS_SQL = """
with

queues as (
    select
        sum(calls_offered) as calls_offered,
        sum(calls_answered) as calls_answered,
        sum(calls_abandoned) as calls_abandoned,
        sum(calls_short_abandoned) as calls_short_abandoned
    from marts.queue_daily_kpis
),

agents as (
    select
        sum(contacts_handled) as contacts_handled,
        sum(case when channel = 'voice' then aht_seconds * contacts_handled end)
            / nullif(sum(case when channel = 'voice' then contacts_handled end), 0) as voice_aht_seconds,
        sum(fcr_rate * fcr_eligible_contacts) / nullif(sum(fcr_eligible_contacts), 0) as fcr_rate,
        sum(csat_rate * csat_responses) / nullif(sum(csat_responses), 0) as csat_rate,
        sum(nps * nps_responses) / nullif(sum(nps_responses), 0) as nps,
        sum(on_contact_seconds + after_call_work_seconds)
            / nullif(sum(on_contact_seconds + after_call_work_seconds + available_seconds), 0) as occupancy_rate,
        sum(sla_met_rate * sla_metrics_due) / nullif(sum(sla_metrics_due), 0) as sla_met_rate,
        sum(recording_completeness_rate * records_due) / nullif(sum(records_due), 0)
            as recording_completeness_rate
    from marts.agent_daily_kpis
)

select * from queues cross join agents
"""


def format_duration(seconds: float | None) -> str:
    """Format seconds as `m:ss`, or `-` when unknown."""
    if seconds is None:
        return "-"
    minutes, remainder = divmod(round(seconds), 60)
    return f"{minutes}:{remainder:02d}"


def format_rate(rate: float | None) -> str:
    """Format a 0-1 rate as a percentage, or `-` when unknown."""
    return "-" if rate is None else f"{100 * rate:.1f} %"


def kpi_summary(connection: duckdb.DuckDBPyConnection) -> str:
    """Build the terminal summary of the marts: row counts, headline KPIs, rejected records."""
    lines = []
    for relation in ("marts.fct_contacts", "marts.agent_daily_kpis", "marts.queue_daily_kpis"):
        (row_count,) = connection.execute(f"select count(*) from {relation}").fetchone()
        lines.append(f"  {relation:<28} {row_count:>8} rows")

    row = connection.execute(OVERALL_KPIS_SQL).fetchone()
    columns = [column[0] for column in connection.description]
    kpis = {column: (None if value is None else float(value)) for column, value in zip(columns, row)}
    offered = kpis["calls_offered"] or 0
    short = kpis["calls_short_abandoned"] or 0
    abandonment = (kpis["calls_abandoned"] or 0) / (offered - short) if offered - short else None
    lines += [
        "",
        f"  contacts handled             {kpis['contacts_handled'] or 0:.0f}",
        f"  calls offered / answered     {offered:.0f} / {kpis['calls_answered'] or 0:.0f}",
        f"  abandonment rate             {format_rate(abandonment)}",
        f"  voice AHT (m:ss)             {format_duration(kpis['voice_aht_seconds'])}",
        f"  FCR rate                     {format_rate(kpis['fcr_rate'])}",
        f"  CSAT rate                    {format_rate(kpis['csat_rate'])}",
        f"  NPS                          {'-' if kpis['nps'] is None else round(kpis['nps'], 1)}",
        f"  occupancy                    {format_rate(kpis['occupancy_rate'])}",
        f"  ticket SLA met               {format_rate(kpis['sla_met_rate'])}",
        f"  recording completeness       {format_rate(kpis['recording_completeness_rate'])}",
    ]

    rejected = connection.execute(
        "select source_kind, count(*) from raw.rejected_records group by source_kind order by source_kind"
    ).fetchall()
    lines.append("")
    if rejected:
        lines.append("  rejected records (raw.rejected_records):")
        lines += [f"    {source_kind:<26} {count:>6}" for source_kind, count in rejected]
    else:
        lines.append("  rejected records: none")

    loaded_cut_lines = loaded_unterminated_lines(connection)
    if loaded_cut_lines:
        lines.append("  last lines loaded without a line feed, possibly cut (compare them with the source):")
        lines += [f"    {source_file} line {line_number}" for source_file, line_number in loaded_cut_lines]
    return "\n".join(lines)


def loaded_unterminated_lines(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """List (file, line) of each loaded last line that has no line feed, so it may have been cut.

    Rejected last lines are left out, because raw.rejected_records already counts them. A
    warehouse last loaded before the registry recorded line ends has none to list.
    """
    [(has_line_ends,)] = connection.execute(
        """
        select count(*) > 0 from information_schema.columns
        where table_schema = 'raw' and table_name = 'loaded_files' and column_name = 'has_final_line_feed'
        """
    ).fetchall()
    if not has_line_ends:
        return []
    source_kinds = connection.execute(
        f"select distinct source_kind from {REGISTRY_TABLE} where not has_final_line_feed order by 1"
    ).fetchall()
    return [
        (file.source_file, file.last_line_number)
        for (source_kind,) in source_kinds
        for file in find_unterminated_files(connection, source_kind)
        if file.rejection_reason is None
    ]


def main() -> int:
    warehouse = settings.warehouse_path()
    if not warehouse.exists():
        print(f"Warehouse not found at {warehouse}. Run `make demo` first.", file=sys.stderr)
        return 1

    print(f"Warehouse: {warehouse}")
    print("  BI tools read the `marts` schema; raw files land in `raw`, rejected lines in raw.rejected_records.")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        print(kpi_summary(connection))

    from orchestration.quality.summary import format_summary  # noqa: PLC0415

    print()
    print(format_summary(settings.reports_dir()))
    print(
        "  failing % = failing / evaluated rows of each suite. Recording completeness above is"
        " complete / due records in marts.agent_recording_quality."
    )
    data_docs = Path(settings.reports_dir()) / "data_docs" / "index.html"
    print(f"\nData Docs: {data_docs}")
    ops_report = Path(settings.reports_dir()) / "ops_recording_report.html"
    if ops_report.exists():
        print(f"Recording report for supervisors: {ops_report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
