"""Settings read from the environment, with paths resolved against the repository root.

| variable                       | default               | meaning                                     |
|--------------------------------|-----------------------|---------------------------------------------|
| KINERJA_LANDING_DIR            | data/landing          | landing directory the extract assets read   |
| KINERJA_WAREHOUSE              | data/warehouse.duckdb | DuckDB file every layer writes into         |
| KINERJA_REPORTS_DIR            | reports               | Data Docs and the data-quality summary      |
| KINERJA_LANDING_SETTLE_SECONDS | 60                    | files modified more recently wait a run     |
| KINERJA_PII_KEY                | (required)            | secret key of the customer_key hash         |
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


# A file modified within this many seconds may still be being copied or appended to. A minute
# covers a copy of a day's exports over a slow link and Asterisk's buffered queue_log writes.
DEFAULT_LANDING_SETTLE_SECONDS = 60


def landing_settle_seconds() -> float:
    """Return how long a landing file must stay unmodified before it is loaded
    (`KINERJA_LANDING_SETTLE_SECONDS`). Raises ValueError for a value that is not a number >= 0."""
    text = os.environ.get("KINERJA_LANDING_SETTLE_SECONDS") or str(DEFAULT_LANDING_SETTLE_SECONDS)
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ValueError(
            f"KINERJA_LANDING_SETTLE_SECONDS is {text!r}, expected a number of seconds >= 0"
            f" (default {DEFAULT_LANDING_SETTLE_SECONDS})"
        )
    return seconds


def dbt_executable() -> str:
    """Return the dbt installed beside this Python, so an unactivated virtualenv finds it."""
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else "dbt"


# Published with the project, so customer keys hashed with it protect nothing: for demo data only.
DEMO_PII_KEY = "kinerja-demo-key-not-secret"


class MissingSettingError(RuntimeError):
    """A setting the run cannot do without is not set."""


def pii_key() -> str:
    """Return the secret key of the customer_key hash (`KINERJA_PII_KEY`).

    A demo run (`KINERJA_DEMO=1`, which `make demo` and `make dev` set) without a key of its own
    gets DEMO_PII_KEY. Raises MissingSettingError when the key is missing outside a demo.
    """
    key = os.environ.get("KINERJA_PII_KEY", "")
    if key.strip():
        return key
    if os.environ.get("KINERJA_DEMO") == "1":
        return DEMO_PII_KEY
    raise MissingSettingError(
        "KINERJA_PII_KEY is not set. customer_key in the marts is a hash keyed with it, so a run"
        " on a centre's own data needs a secret key: generate one with"
        " `python -c 'import secrets; print(secrets.token_hex(32))'`, store it with the"
        " warehouse's other secrets and set it for every run, because a new key changes every"
        " customer_key. Demo runs set KINERJA_DEMO=1 to use the published demo key instead."
    )
