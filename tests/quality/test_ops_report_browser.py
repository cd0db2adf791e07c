"""The operations report as headless Chromium renders it: agents lowest completeness first.

Skipped when Chromium is not installed; CI installs Debian's `chromium` package in `.ci/run`.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orchestration.quality import ops_report

from .test_ops_report import parse_rows
from .warehouse_fixture import build_recording_quality_warehouse

CHROMIUM_NAMES = ("chromium", "chromium-browser")
# Rendering this page took under five seconds on a two-core machine, so the limit only
# catches a hang.
CHROMIUM_TIMEOUT_SECONDS = 120


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def dump_dom(chromium: str, page: Path, profile_dir: Path) -> str:
    """Load `page` in headless Chromium and return the DOM after rendering."""
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile_dir}",
        "--dump-dom",
        page.as_uri(),
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_SECONDS, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip(
            "Chromium not found, so the report is not checked in a browser. On Debian, "
            "install it with `sudo apt-get install -y chromium`."
        )
    return path


@pytest.mark.parametrize("language", ["id", "en"])
def test_browser_shows_lowest_first(chromium, tmp_path, language):
    warehouse = build_recording_quality_warehouse(tmp_path / "warehouse.duckdb")
    summary = ops_report.write_report(
        warehouse, tmp_path / "reports", language, 7, datetime(2026, 10, 8, tzinfo=UTC)
    )

    dom = dump_dom(chromium, summary.path, tmp_path / "chromium-profile")

    rows = parse_rows(dom)
    # Siti 2 / 6, Dewi 2 / 4, Budi 19 / 20, as worked out in warehouse_fixture.py.
    assert [row["data-agent-id"] for row in rows["agents"]] == ["AGT-2", "AGT-3", "AGT-1"]
    assert [row["data-completeness-rate"] for row in rows["agents"]] == [
        "0.3333",
        "0.5000",
        "0.9500",
    ]
    assert f'lang="{language}"' in dom
