"""Validate the expectation suites against the warehouse and publish the results.

A run of one suite reads the rows in scope from DuckDB into a pandas DataFrame, validates them
with Great Expectations, stores the validation result under `<reports>/gx/`, rebuilds the Data
Docs in `<reports>/data_docs/` and updates the suite's entry in
`<reports>/data_quality_summary.json`.

Great Expectations is imported inside the functions that use it, because the import takes
several seconds.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
from filelock import FileLock

from expectations import SuiteSpec, all_suites
from expectations.recording import RecordingConfigError
from orchestration.quality import summary

if TYPE_CHECKING:
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.data_context import EphemeralDataContext

logger = logging.getLogger(__name__)

# Column added to every DataFrame so that a row failing several expectations counts once.
ROW_NUMBER_COLUMN = "_row_number"
SAMPLE_SIZE = 10
DATASOURCE_NAME = "kinerja_warehouse"
DATA_DOCS_SITE_NAME = "kinerja"
# A suite run holds the lock for one validation and one Data Docs rebuild, under a second on
# the test fixtures, so only a process that hangs while holding the lock exhausts this.
REPORTS_LOCK_TIMEOUT_SECONDS = 300
# Values of GX's FailureSeverity, repeated here so that reading an outcome needs no GX import.
SEVERITY_CRITICAL = "critical"
SEVERITY_WARNING = "warning"


def data_docs_index(reports: Path) -> Path:
    return reports / "data_docs" / "index.html"


class RelationUnreadableError(Exception):
    """The warehouse or one of its relations cannot be read."""


class MissingColumnsError(RelationUnreadableError):
    """A relation lacks columns its suite requires."""


@dataclass(frozen=True)
class SuiteOutcome:
    """Result of one validation of a suite, as reported to Dagster and in the summary."""

    suite_name: str
    relation: str
    success: bool
    # The highest severity among the failed expectations, or `warning` when none failed.
    severity: str
    validated_at: str
    # None when the relation could not be read, so nothing was evaluated.
    evaluated_count: int | None
    failing_count: int | None
    failing_rate: float | None
    sample_failing_ids: list[Any] = field(default_factory=list)
    # Distinct values of the suite's detail columns among the failing rows, per column.
    sample_failing_values: dict[str, list[Any]] = field(default_factory=dict)
    failed_expectations: list[str] = field(default_factory=list)
    error: str | None = None
    # Recording suites only: rows with a field due, those missing one, and
    # (records_due - records_incomplete) / records_due against the record kind's target.
    records_due: int | None = None
    records_incomplete: int | None = None
    completeness_rate: float | None = None
    target_completeness_rate: float | None = None

    def to_summary_entry(self) -> dict[str, Any]:
        entry = asdict(self)
        del entry["suite_name"]
        return entry


def to_json_value(value: Any) -> Any:
    """Convert a pandas or NumPy cell into a JSON value, turning NaN and NA into None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return to_json_value(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _sorted_sample(values: Iterable[Any]) -> list[Any]:
    """Return up to SAMPLE_SIZE distinct values, sorted, with None last."""
    distinct = {to_json_value(value) for value in values}
    present = sorted(value for value in distinct if value is not None)
    missing = [None] if None in distinct else []
    return (present + missing)[:SAMPLE_SIZE]


def build_scope_query(spec: SuiteSpec) -> str:
    columns = ", ".join(spec.columns)
    if spec.source_query:
        query = f"select {columns} from ({spec.source_query}) as source_rows"
    else:
        query = f"select {columns} from {spec.relation}"
    if spec.scope_condition:
        query += f" where {spec.scope_condition}"
    return f"{query} order by {spec.id_column}"


def find_missing_columns(connection: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> list[str]:
    """Return the suite's columns that its relation lacks, in the suite's order."""
    described = connection.execute(f"select * from {spec.relation} limit 0").description
    present = {column[0] for column in described}
    return [column for column in spec.columns if column not in present]


def read_scope(spec: SuiteSpec, warehouse: Path) -> pd.DataFrame:
    """Read the rows in the suite's scope, numbered from 1 in `ROW_NUMBER_COLUMN`.

    Raises RelationUnreadableError naming the warehouse and relation when the file or a
    relation is missing, or DuckDB cannot open the file, and its subclass MissingColumnsError
    naming the columns when the relation lacks some of the suite's columns.
    """
    if not warehouse.exists():
        raise RelationUnreadableError(
            f"Warehouse {warehouse} not found, so {spec.relation} cannot be read. "
            "Materialize the extract and dbt assets first."
        )

    query = build_scope_query(spec)
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            missing_columns = [] if spec.source_query else find_missing_columns(connection, spec)
            if missing_columns:
                raise MissingColumnsError(
                    f"Relation {spec.relation} in {warehouse} lacks column(s) "
                    f"{', '.join(missing_columns)}, which suite {spec.name} requires. "
                    "Rebuild it with dbt, or restore the columns in its model."
                )
            frame = connection.execute(query).df()
    except duckdb.CatalogException as error:
        # A query suite reads several relations, and DuckDB's message names the missing one.
        relation = "A relation of the query" if spec.source_query else f"Relation {spec.relation}"
        raise RelationUnreadableError(
            f"{relation} not found in {warehouse}. "
            f"Build it with dbt before running suite {spec.name}. DuckDB: {error}"
        ) from error
    except duckdb.Error as error:
        raise RelationUnreadableError(
            f"Reading {spec.relation} from {warehouse} failed for suite {spec.name}: {error}"
        ) from error

    frame.insert(0, ROW_NUMBER_COLUMN, range(1, len(frame) + 1))
    return frame


def _raised_exception_message(expectation_result: Any) -> str | None:
    """Return the message of an exception raised while evaluating the expectation, if any."""
    info = expectation_result.exception_info or {}
    # GX stores one info dict, or one per metric keyed by the metric's id.
    infos = [info] if "raised_exception" in info else list(info.values())
    for metric_info in infos:
        if metric_info.get("raised_exception"):
            return metric_info.get("exception_message") or "unknown error"
    return None


def _describe_condition(condition: Any) -> str:
    """Render one serialized row condition, such as `channel == 'voice'`."""
    if not isinstance(condition, dict):
        return str(condition)
    condition_type = condition.get("type")
    # A comparison serializes as {"type": "comparison", "column": {"name": ...}, ...}.
    if condition_type == "comparison":
        column_name = condition["column"]["name"]
        return f"{column_name} {condition['operator']} {condition['parameter']!r}"
    if condition_type == "nullity":
        nullity = "is null" if condition["is_null"] else "is not null"
        return f"{condition['column']['name']} {nullity}"
    if condition_type == "and":
        return " and ".join(_describe_condition(part) for part in condition["conditions"])
    return str(condition)


def _describe_row_condition(condition: Any) -> str:
    """Render a row condition as ` where <condition>`, or empty without one."""
    if not condition:
        return ""
    return f" where {_describe_condition(condition)}"


def _describe_failure(expectation_result: Any) -> str:
    config = expectation_result.expectation_config
    column = config.kwargs.get("column", "table")
    target = column + _describe_row_condition(config.kwargs.get("row_condition"))
    raised_message = _raised_exception_message(expectation_result)
    if raised_message:
        return f"{config.type} on {target} raised: {raised_message}"
    unexpected_count = expectation_result.result.get("unexpected_count")
    return f"{config.type} on {target}: {unexpected_count} unexpected"


@dataclass(frozen=True)
class Completeness:
    """Share of a recording suite's due rows with every due field filled, against its target."""

    records_due: int
    records_incomplete: int
    completeness_rate: float | None
    target_completeness_rate: float

    @property
    def meets_target(self) -> bool:
        """True when nothing was due or the rate reaches the target, compared exactly."""
        if self.records_due == 0:
            return True
        complete = self.records_due - self.records_incomplete
        target = Fraction(str(self.target_completeness_rate))
        return Fraction(complete, self.records_due) >= target


def measure_completeness(
    spec: SuiteSpec, frame: pd.DataFrame, incomplete_row_numbers: set[int]
) -> Completeness | None:
    """Measure a recording suite's completeness, or return None for other suites.

    Raises RecordingConfigError when the requirements seed or the target var is invalid.
    """
    if spec.recording is None:
        return None
    due = spec.recording.due_rows(frame)
    due_row_numbers = set(frame.loc[due, ROW_NUMBER_COLUMN].astype(int))
    records_due = len(due_row_numbers)
    records_incomplete = len(due_row_numbers & incomplete_row_numbers)
    return Completeness(
        records_due=records_due,
        records_incomplete=records_incomplete,
        completeness_rate=(records_due - records_incomplete) / records_due if records_due else None,
        target_completeness_rate=spec.recording.target_rate(),
    )


def summarize_validation(
    spec: SuiteSpec,
    frame: pd.DataFrame,
    validation_result: ExpectationSuiteValidationResult,
    validated_at: str,
) -> SuiteOutcome:
    """Count the rows that fail at least one expectation and sample their ids.

    The outcome is critical when a failed expectation has severity `critical` or raised an
    exception, and a warning otherwise. A recording suite succeeds when nothing critical
    failed and its completeness reaches its target; any other suite succeeds when every
    expectation does.
    """
    failing_row_numbers: set[int] = set()
    incomplete_row_numbers: set[int] = set()
    failed_expectations = []
    severity = SEVERITY_WARNING
    for expectation_result in validation_result.results:
        if expectation_result.success:
            continue
        failed_expectations.append(_describe_failure(expectation_result))
        expectation_severity = expectation_result.expectation_config.severity.value
        is_critical = expectation_severity == SEVERITY_CRITICAL or bool(
            _raised_exception_message(expectation_result)
        )
        if is_critical:
            severity = SEVERITY_CRITICAL
        for unexpected_row in expectation_result.result.get("unexpected_index_list") or []:
            row_number = int(unexpected_row[ROW_NUMBER_COLUMN])
            failing_row_numbers.add(row_number)
            if not is_critical:
                incomplete_row_numbers.add(row_number)

    completeness = measure_completeness(spec, frame, incomplete_row_numbers)
    if completeness is None:
        success = bool(validation_result.success)
    else:
        success = severity != SEVERITY_CRITICAL and completeness.meets_target

    failing_rows = frame[frame[ROW_NUMBER_COLUMN].isin(failing_row_numbers)]
    evaluated_count = len(frame)
    failing_count = len(failing_rows)
    completeness_fields = asdict(completeness) if completeness else {}
    return SuiteOutcome(
        suite_name=spec.name,
        relation=spec.relation,
        success=success,
        severity=severity,
        validated_at=validated_at,
        evaluated_count=evaluated_count,
        failing_count=failing_count,
        failing_rate=failing_count / evaluated_count if evaluated_count else 0.0,
        sample_failing_ids=_sorted_sample(failing_rows[spec.id_column]),
        sample_failing_values={
            column: _sorted_sample(failing_rows[column]) for column in spec.detail_columns
        },
        failed_expectations=failed_expectations,
        **completeness_fields,
    )


def unreadable_outcome(
    spec: SuiteSpec, error: RelationUnreadableError | RecordingConfigError, validated_at: str
) -> SuiteOutcome:
    return SuiteOutcome(
        suite_name=spec.name,
        relation=spec.relation,
        success=False,
        severity=SEVERITY_CRITICAL,
        validated_at=validated_at,
        evaluated_count=None,
        failing_count=None,
        failing_rate=None,
        error=str(error),
    )


def _filesystem_backend(directory: Path) -> dict[str, str]:
    return {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(directory)}


def build_gx_context(reports: Path) -> EphemeralDataContext:
    """Build a GX context whose suites and results are files under `<reports>/gx/`.

    The context is ephemeral so that no run rewrites a shared great_expectations.yml, but its
    expectation and validation result stores and its Data Docs site are folders, so every
    suite validated by any process appears in the Data Docs index.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        ProgressBarsConfig,
    )

    in_memory_backend = {"class_name": "InMemoryStoreBackend"}
    config = DataContextConfig(
        stores={
            "expectations_store": {
                "class_name": "ExpectationsStore",
                "store_backend": _filesystem_backend(reports / "gx" / "expectations"),
            },
            "validation_results_store": {
                "class_name": "ValidationResultsStore",
                "store_backend": _filesystem_backend(reports / "gx" / "validations"),
            },
            # Validation definitions and checkpoints are rebuilt from code on every run.
            "validation_definition_store": {
                "class_name": "ValidationDefinitionStore",
                "store_backend": in_memory_backend,
            },
            "checkpoint_store": {
                "class_name": "CheckpointStore",
                "store_backend": in_memory_backend,
            },
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        checkpoint_store_name="checkpoint_store",
        data_docs_sites={
            DATA_DOCS_SITE_NAME: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": _filesystem_backend(data_docs_index(reports).parent),
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _run_validation(
    context: EphemeralDataContext,
    spec: SuiteSpec,
    expectation_suite: gx.ExpectationSuite,
    frame: pd.DataFrame,
    validated_at: datetime,
    run_name: str | None,
) -> ExpectationSuiteValidationResult:
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    suite = context.suites.add_or_update(expectation_suite)
    datasource = context.data_sources.add_or_update_pandas(DATASOURCE_NAME)
    dataframe_asset = datasource.add_dataframe_asset(spec.name)
    batch_definition = dataframe_asset.add_batch_definition_whole_dataframe(spec.name)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
    )
    return validation.run(
        batch_parameters={"dataframe": frame},
        result_format={
            # COMPLETE lists every failing row, which the failing count needs.
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [spec.id_column, ROW_NUMBER_COLUMN],
        },
        run_id=RunIdentifier(run_name=run_name, run_time=validated_at),
    )


def _build_data_docs(
    context: EphemeralDataContext,
    spec: SuiteSpec,
    validation_result: ExpectationSuiteValidationResult | None,
    reports: Path,
) -> None:
    """Render the suite's pages and the index, or the whole site when it has no index yet.

    Rendering only the new pages spares each run from re-rendering every earlier result. The
    index is still rebuilt in full and lists every stored suite and result.
    """
    # NOTE: stored results are never pruned, so `<reports>/gx/validations` and the index grow
    # by one entry per suite run until someone deletes old runs.
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    if not data_docs_index(reports).exists():
        context.build_data_docs(site_names=[DATA_DOCS_SITE_NAME])
        return

    suite_identifier = ExpectationSuiteIdentifier(name=spec.name)
    resource_identifiers = [suite_identifier]
    if validation_result is not None:
        resource_identifiers.append(
            ValidationResultIdentifier(
                expectation_suite_identifier=suite_identifier,
                run_id=validation_result.meta["run_id"],
                batch_identifier=validation_result.batch_id,
            )
        )
    context.build_data_docs(
        site_names=[DATA_DOCS_SITE_NAME], resource_identifiers=resource_identifiers
    )


def validate_suite(
    spec: SuiteSpec,
    warehouse: Path,
    reports: Path,
    run_name: str | None = None,
) -> SuiteOutcome:
    """Validate one suite, store its result, rebuild the Data Docs and update the summary.

    A relation that cannot be read, or a recording suite whose requirements seed or vars are
    invalid, gives a failed outcome with the reason in `error`. A suite that could be built is
    still stored so that the Data Docs index lists it. `run_name`, for example the Dagster run
    id, labels the validation in the Data Docs.
    """
    validated_at = datetime.now(UTC)
    validated_at_text = validated_at.isoformat(timespec="seconds")
    expectation_suite = None
    frame = None
    setup_error: RelationUnreadableError | RecordingConfigError | None = None
    try:
        expectation_suite = spec.build_suite()
        if spec.recording is not None:
            spec.recording.target_rate()
    except RecordingConfigError as error:
        logger.error("Suite %s has an invalid configuration: %s", spec.name, error)
        setup_error = error
    if setup_error is None:
        try:
            frame = read_scope(spec, warehouse)
        except RelationUnreadableError as error:
            logger.error("Suite %s could not read its relation: %s", spec.name, error)
            setup_error = error

    reports.mkdir(parents=True, exist_ok=True)
    # One process at a time writes the stores, the Data Docs and the summary.
    with FileLock(reports / ".gx.lock", timeout=REPORTS_LOCK_TIMEOUT_SECONDS):
        context = build_gx_context(reports)
        validation_result = None
        if setup_error is not None:
            if expectation_suite is not None:
                context.suites.add_or_update(expectation_suite)
            outcome = unreadable_outcome(spec, setup_error, validated_at_text)
        else:
            validation_result = _run_validation(
                context, spec, expectation_suite, frame, validated_at, run_name
            )
            outcome = summarize_validation(spec, frame, validation_result, validated_at_text)
        # A suite that could not be built has no pages to render.
        if expectation_suite is not None:
            _build_data_docs(context, spec, validation_result, reports)
        summary.write_summary_entry(
            summary.summary_path(reports),
            spec.name,
            outcome.to_summary_entry(),
            [suite.name for suite in all_suites()],
        )

    logger.info(
        "Suite %s on %s: success=%s, %s of %s rows failing",
        spec.name,
        spec.relation,
        outcome.success,
        outcome.failing_count,
        outcome.evaluated_count,
    )
    return outcome


def validate_all_suites(warehouse: Path, reports: Path) -> list[SuiteOutcome]:
    return [validate_suite(spec, warehouse, reports) for spec in all_suites()]
