"""Session fixtures: the fixture warehouse and one validation of every suite on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.quality import gx_runner

from .warehouse_fixture import build_warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def validated_reports(
    warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, gx_runner.SuiteOutcome]]:
    """Validate every suite once per session, because importing GX takes several seconds."""
    reports = tmp_path_factory.mktemp("reports")
    outcomes = gx_runner.validate_all_suites(warehouse, reports)
    return reports, {outcome.suite_name: outcome for outcome in outcomes}


@pytest.fixture(scope="session")
def outcomes(
    validated_reports: tuple[Path, dict[str, gx_runner.SuiteOutcome]],
) -> dict[str, gx_runner.SuiteOutcome]:
    return validated_reports[1]


@pytest.fixture(scope="session")
def reports(validated_reports: tuple[Path, dict[str, gx_runner.SuiteOutcome]]) -> Path:
    return validated_reports[0]
