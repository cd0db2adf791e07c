"""Freshness checks on the marts: each fails when its mart was not rebuilt within MART_MAX_AGE.

Built with Dagster's `build_last_update_freshness_checks`, which compares an asset's last
materialization with the current time, and evaluated by `mart_freshness_sensor` while the
Dagster daemon runs (`dagster dev` starts one).

NOTE: Dagster 1.13 marks freshness checks as superseded by freshness policies
(`FreshnessPolicy.time_window`), which its daemon evaluates as part of asset health. The checks
are kept because they are asset checks like the others here: they carry a severity and metadata,
and a job or a test can run them without the daemon.
"""

import warnings
from datetime import timedelta

from dagster import (
    AssetCheckSeverity,
    AssetKey,
    AssetsDefinition,
    SupersessionWarning,
    build_last_update_freshness_checks,
    build_sensor_for_freshness_checks,
)

from orchestration.assets.transform import kinerja_dbt_assets

# The daily refresh starts at 01:00 Asia/Jakarta, so a mart is at most 24 hours old just before
# the next one ends; 2 more hours cover a long run, and an older mart means a refresh was missed.
MART_MAX_AGE = timedelta(hours=26)
MARTS_SCHEMA = "marts"
# Freshness changes by the hour, so evaluating every 10 minutes is prompt enough.
FRESHNESS_SENSOR_INTERVAL_SECONDS = 10 * 60


def mart_asset_keys(dbt_assets: AssetsDefinition) -> list[AssetKey]:
    """Return the keys of the dbt models built into the marts schema, sorted."""
    return sorted(
        (key for key in dbt_assets.keys if key.path[0] == MARTS_SCHEMA),
        key=lambda key: key.to_user_string(),
    )


with warnings.catch_warnings():
    # The module note explains why these superseded functions are used, so the warning is muted.
    warnings.simplefilter("ignore", category=SupersessionWarning)
    mart_freshness_checks = build_last_update_freshness_checks(
        assets=mart_asset_keys(kinerja_dbt_assets),
        lower_bound_delta=MART_MAX_AGE,
        severity=AssetCheckSeverity.ERROR,
    )
    mart_freshness_sensor = build_sensor_for_freshness_checks(
        freshness_checks=mart_freshness_checks,
        minimum_interval_seconds=FRESHNESS_SENSOR_INTERVAL_SECONDS,
        name="mart_freshness_sensor",
    )
