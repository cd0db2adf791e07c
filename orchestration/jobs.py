"""Jobs and schedules."""

from dagster import AssetSelection, ScheduleDefinition, define_asset_job, in_process_executor

from orchestration.freshness import mart_freshness_checks

# DuckDB allows one writer per file, so the steps run one after another in one process. This also
# saves the code-location import each step pays under the multiprocess executor (7-9 s a step,
# measured on a 2-core machine). The freshness checks are left out because they always pass right
# after a refresh; `mart_freshness_sensor` evaluates them on their own schedule.
refresh_warehouse = define_asset_job(
    name="refresh_warehouse",
    selection=AssetSelection.all() - AssetSelection.checks(*mart_freshness_checks),
    executor_def=in_process_executor,
    description="Load new and changed landing files, build every dbt model and run every"
    " data-quality check.",
)

# Exports from the telephony and CRM systems for a day are complete shortly after midnight.
daily_refresh_schedule = ScheduleDefinition(
    name="daily_refresh",
    job=refresh_warehouse,
    cron_schedule="0 1 * * *",
    execution_timezone="Asia/Jakarta",
)
