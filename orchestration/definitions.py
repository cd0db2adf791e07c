"""The kinerja code location: extract assets, dbt assets, data-quality checks, jobs, sensors."""

import os

from dagster import Definitions
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration import settings
from orchestration.assets.calendar import public_holidays
from orchestration.assets.extract import extract_assets, last_line_checks, reconciliation_checks
from orchestration.assets.transform import kinerja_dbt_assets
from orchestration.dbt_project import dbt_project
from orchestration.freshness import mart_freshness_checks, mart_freshness_sensor
from orchestration.jobs import daily_refresh_schedule, refresh_warehouse
from orchestration.quality.assets import ops_recording_report
from orchestration.quality.checks import build_quality_checks
from orchestration.sensors import landing_files_sensor


def build_definitions() -> Definitions:
    """Assemble the code location for the warehouse the environment names now."""
    # dbt's customer_key macro reads its hash key from the environment. A missing key stops the
    # code location from loading rather than failing a run halfway.
    os.environ["KINERJA_PII_KEY"] = settings.pii_key()
    # dbt's profile reads the warehouse path from the environment. An absolute path makes dbt,
    # which runs inside dbt_project/, open the same file as the extract assets.
    os.environ["KINERJA_WAREHOUSE"] = str(settings.warehouse_path())
    return Definitions(
        assets=[*extract_assets, public_holidays, kinerja_dbt_assets, ops_recording_report],
        asset_checks=[
            *build_quality_checks(),
            *reconciliation_checks,
            *last_line_checks,
            *mart_freshness_checks,
        ],
        jobs=[refresh_warehouse],
        schedules=[daily_refresh_schedule],
        sensors=[landing_files_sensor, mart_freshness_sensor],
        resources={
            "warehouse": DuckDBResource(database=str(settings.warehouse_path())),
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=settings.dbt_executable()),
        },
    )


defs = build_definitions()
