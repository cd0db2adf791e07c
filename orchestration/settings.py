"""Settings read from the environment, with paths resolved against the repository root.

| variable              | default                 | meaning                                      |
|-----------------------|-------------------------|----------------------------------------------|
| KINERJA_LANDING_DIR   | data/landing            | landing directory the extract assets read    |
| KINERJA_WAREHOUSE     | data/warehouse.duckdb   | DuckDB file every layer writes into          |
| KINERJA_REPORTS_DIR   | reports                 | Data Docs and the data-quality summary       |
"""

import os
import sys
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"


def _path_setting(variable: str, default: str) -> Path:
    path = Path(os.environ.get(variable) or default).expanduser()
    return path if path.is_absolute() else REPOSITORY_ROOT / path


def landing_dir() -> Path:
    """Return the landing directory (`KINERJA_LANDING_DIR`)."""
    return _path_setting("KINERJA_LANDING_DIR", "data/landing")


def warehouse_path() -> Path:
    """Return the DuckDB warehouse file (`KINERJA_WAREHOUSE`)."""
    return _path_setting("KINERJA_WAREHOUSE", "data/warehouse.duckdb")


def reports_dir() -> Path:
    """Return the folder reports are written to (`KINERJA_REPORTS_DIR`)."""
    return _path_setting("KINERJA_REPORTS_DIR", "reports")


def dbt_executable() -> str:
    """Return the dbt installed beside this Python, so an unactivated virtualenv finds it."""
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else "dbt"
