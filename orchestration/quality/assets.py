"""The operations report as a Dagster asset, rebuilt on every run after its mart."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration import settings
from orchestration.quality import ops_report

RECORDING_QUALITY_MART = AssetKey(["marts", "agent_recording_quality"])


@asset(
    key=AssetKey(["reports", "ops_recording_report"]),
    deps=[RECORDING_QUALITY_MART],
    group_name="reports",
    description=(
        "Recording completeness per team and agent against its target, with the ids of the "
        "records to complete, lowest completeness first: one HTML page in "
        "KINERJA_REPORT_LANGUAGE (id or en) in the reports folder, beside the Data Docs."
    ),
)
def ops_recording_report(context: AssetExecutionContext) -> MaterializeResult:
    summary = ops_report.write_report(
        settings.warehouse_path(),
        settings.reports_dir(),
        ops_report.report_language(),
        ops_report.report_window_days(),
    )
    context.log.info(
        f"Recording report ({summary.language}) written to {summary.path}: "
        f"{summary.agent_lines_below_target} of {summary.agent_lines} agent lines below target, "
        f"{summary.records_to_fix} records to complete"
    )
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(summary.path)),
            "language": summary.language,
            "first_day": str(summary.first_day) if summary.first_day else None,
            "last_day": str(summary.last_day) if summary.last_day else None,
            "agent_lines": summary.agent_lines,
            "agent_lines_below_target": summary.agent_lines_below_target,
            "records_to_fix": summary.records_to_fix,
        }
    )
