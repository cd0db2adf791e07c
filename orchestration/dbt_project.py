"""The dbt project as Dagster sees it.

Kept apart from the `@dbt_assets` module because `dagster-dbt project prepare-and-package` imports
this module to write `target/manifest.json`, which importing `@dbt_assets` already needs.
"""

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
