"""Dagster asset checks that run the expectation suites on the assets of their relations.

Each suite becomes one non-blocking check on the asset keyed `[schema, table]`, the key
dagster-dbt gives the model that builds the relation. A failing check shows its failing ids in
the metadata but does not stop the run. Its severity is ERROR for a structural break (a missing
relation or column, a duplicate key, an identity the roster lacks) and WARN for completeness gaps.
A recording suite's check also reports its completeness rate against the record kind's target.
"""

# No `from __future__ import annotations`: Dagster inspects the `context` annotation at
# definition time and rejects it as a string.
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    asset_check,
)

from expectations import SuiteSpec, all_suites
from orchestration import settings
from orchestration.quality import gx_runner


def _dagster_severity(outcome: gx_runner.SuiteOutcome) -> AssetCheckSeverity:
    if outcome.severity == gx_runner.SEVERITY_CRITICAL:
        return AssetCheckSeverity.ERROR
    return AssetCheckSeverity.WARN


def build_check_result(outcome: gx_runner.SuiteOutcome, data_docs_index: str) -> AssetCheckResult:
    """Translate a suite outcome into an asset check result with its counts as metadata."""
    metadata: dict[str, Any] = {
        "evaluated_count": outcome.evaluated_count,
        "failing_count": outcome.failing_count,
        "failing_rate": outcome.failing_rate,
        "sample_failing_ids": MetadataValue.json(outcome.sample_failing_ids),
        "failed_expectations": MetadataValue.json(outcome.failed_expectations),
        "data_docs": MetadataValue.path(data_docs_index),
    }
    if outcome.sample_failing_values:
        metadata["sample_failing_values"] = MetadataValue.json(outcome.sample_failing_values)
    if outcome.target_completeness_rate is not None:
        metadata["records_due"] = outcome.records_due
        metadata["records_incomplete"] = outcome.records_incomplete
        metadata["completeness_rate"] = outcome.completeness_rate
        metadata["target_completeness_rate"] = outcome.target_completeness_rate
    if outcome.error:
        metadata["error"] = outcome.error

    return AssetCheckResult(
        passed=outcome.success,
        severity=_dagster_severity(outcome),
        description=outcome.error,
        metadata=metadata,
    )


def build_quality_check(spec: SuiteSpec) -> AssetChecksDefinition:
    @asset_check(
        asset=AssetKey([spec.schema, spec.table]),
        name=spec.name,
        description=spec.description,
        blocking=False,
    )
    def _quality_check(context: AssetCheckExecutionContext) -> AssetCheckResult:
        reports = settings.reports_dir()
        outcome = gx_runner.validate_suite(
            spec, settings.warehouse_path(), reports, run_name=context.run.run_id
        )
        if outcome.error:
            context.log.error(f"Suite {spec.name} could not run: {outcome.error}")
        else:
            context.log.info(
                f"Suite {spec.name}: {outcome.failing_count} of {outcome.evaluated_count} rows "
                f"of {spec.relation} failing, sample ids {outcome.sample_failing_ids}"
            )
        return build_check_result(outcome, str(gx_runner.data_docs_index(reports)))

    return _quality_check


def build_quality_checks() -> list[AssetChecksDefinition]:
    """Build one asset check per expectation suite."""
    return [build_quality_check(spec) for spec in all_suites()]
