"""The dbt project as Dagster assets: every model and seed an asset, every data test an asset check.

Models are keyed `[schema, model]` (for example `marts/fct_contacts`), so asset keys match the
relations BI tools read. dbt sources keep their default key `[source, table]`, which is the key of
the extract asset that writes that raw table.
"""

from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project


class KinerjaDbtTranslator(DagsterDbtTranslator):
    """Keys dbt models and seeds by their schema, and groups them by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            schema = dbt_resource_props["config"].get("schema") or dbt_resource_props["schema"]
            return AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dbt_resource_props["config"].get("schema") or "transform"
        return super().get_group_name(dbt_resource_props)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=KinerjaDbtTranslator(),
)
def kinerja_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    """Build the selected models, seeds and their tests with `dbt build`."""
    yield from dbt.cli(["build"], context=context).stream()
