"""A twelve-day demo landing directory shared by the demo tests."""

from datetime import date
from pathlib import Path

import pytest

from orchestration.demo.generate import GenerationSummary, generate_landing

# Twelve days from Thursday 2026-08-13 hold a Friday evening before a public holiday (Monday
# 2026-08-17) and two Mondays on which Asterisk restarts. The first of them upgrades Asterisk 11
# to 16.
FORTNIGHT_START_DATE = date(2026, 8, 13)
FORTNIGHT_DAY_COUNT = 12


@pytest.fixture(scope="session")
def fortnight_landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    landing_dir = tmp_path_factory.mktemp("fortnight") / "landing"
    summary = generate_landing(landing_dir, seed=7, days=FORTNIGHT_DAY_COUNT, start_date=FORTNIGHT_START_DATE)
    return landing_dir, summary
