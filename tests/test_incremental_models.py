"""Incremental dbt runs give the same marts as a full refresh.

Two warehouses are built from the same final landing files (tests/fixtures/landing_small, with
its queue_log split into two rotated files):
- incremental: a first batch of files, `dbt build`, then the rest of the files, `dbt build` again.
  The second batch brings the calls of two days later and a late queue_log line of the first day
  (the COMPLETEAGENT of call 1790820000.10). It also brings a later version of ticket 5005, the
  surveys of 2026-10-04, and a Master.csv grown by one record that replaces the first one. The first
  batch's queue_log.1 also held a test call on 2026-10-02 that the second batch's copy of that
  file no longer has: its leg and its queue day must disappear from the marts.
- full refresh: every file at once, `dbt build --full-refresh`.
Every mart table is then compared row for row. The incremental run uses a lookback of 0 days, so
the late changes of the first day fall outside the lookback and only the comparison of computed
with stored rows (macro `incremental_recent_or_changed_rows`) can bring them in.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.assets.extract import EXTRACT_SOURCES
from orchestration.calendar.public_holidays import build_public_holidays, write_public_holidays

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "landing_small"
DBT_PROJECT_DIR = Path(__file__).parent.parent / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"

# queue_log lines (1-based) of the fixture that arrive with the second batch: the COMPLETEAGENT of
# call 1790820000.10 on the first day (out of order), and everything from the WRAPUPSTART of call
# 1790821500.12 on, including the calls two days later.
LATE_QUEUE_LOG_LINE = 18
FIRST_SECOND_BATCH_LINE = 30
# A test call on 2026-10-02 09:00 WIB (T + 86400 s), answered by PJSIP/1999 after 6 s with 60 s of
# talk, only in the first batch's copy of queue_log.1. It is the only call of that day.
WITHDRAWN_TEST_CALL_LINES = (
    "1790906400|1790906400.20|teknis|NONE|ENTERQUEUE||081200000000|1\n",
    "1790906406|1790906400.20|teknis|PJSIP/1999|CONNECT|6|1790906406.21|2\n",
    "1790906466|1790906400.20|teknis|PJSIP/1999|COMPLETECALLER|6|60|1\n",
)
SECOND_BATCH_TICKET_PAGE = "crm/tickets/tickets-0004.json"
SECOND_BATCH_SURVEYS = "surveys/surveys-2026-10-04.csv"
SECOND_BATCH_COMMENTS = "crm/ticket_comments/ticket-5005.json"


def split_queue_log() -> tuple[list[str], list[str]]:
    """Return the fixture's queue_log lines of the first and of the second batch."""
    lines = (FIXTURE_DIR / "telephony/queue_log/queue_log").read_text().splitlines(keepends=True)
    first_batch = [
        line
        for number, line in enumerate(lines, start=1)
        if number < FIRST_SECOND_BATCH_LINE and number != LATE_QUEUE_LOG_LINE
    ]
    second_batch = [lines[LATE_QUEUE_LOG_LINE - 1]] + lines[FIRST_SECOND_BATCH_LINE - 1 :]
    return first_batch, second_batch


def write_first_batch(landing_dir: Path) -> None:
    """Copy the fixture without the second batch's files, lines and records."""
    shutil.copytree(FIXTURE_DIR, landing_dir)
    for relative_path in (SECOND_BATCH_TICKET_PAGE, SECOND_BATCH_SURVEYS, SECOND_BATCH_COMMENTS):
        (landing_dir / relative_path).unlink()

    first_lines, _ = split_queue_log()
    queue_log_dir = landing_dir / "telephony/queue_log"
    (queue_log_dir / "queue_log").unlink()
    first_file_lines = first_lines + list(WITHDRAWN_TEST_CALL_LINES)
    (queue_log_dir / "queue_log.1").write_text("".join(first_file_lines))

    master_csv = landing_dir / "telephony/cdr/Master.csv"
    master_csv.write_text(master_csv.read_text().splitlines(keepends=True)[0])


def write_second_batch(landing_dir: Path) -> None:
    """Add the second batch's files and lines, and rewrite queue_log.1 without the test call."""
    for relative_path in (
        SECOND_BATCH_TICKET_PAGE,
        SECOND_BATCH_SURVEYS,
        SECOND_BATCH_COMMENTS,
        "telephony/cdr/Master.csv",
    ):
        shutil.copyfile(FIXTURE_DIR / relative_path, landing_dir / relative_path)

    first_lines, second_lines = split_queue_log()
    queue_log_dir = landing_dir / "telephony/queue_log"
    (queue_log_dir / "queue_log.1").write_text("".join(first_lines))
    (queue_log_dir / "queue_log").write_text("".join(second_lines))


def mark_files_settled(landing_dir: Path) -> None:
    """Date every landing file an hour back, so a loader's settle time never leaves one for later."""
    an_hour_ago = time.time() - 3600
    for path in landing_dir.rglob("*"):
        if path.is_file():
            os.utime(path, (an_hour_ago, an_hour_ago))


def load_raw(warehouse: Path, landing_dir: Path) -> None:
    """Run every extract loader and write the public holidays, as `refresh_warehouse` does."""
    mark_files_settled(landing_dir)
    with duckdb.connect(str(warehouse)) as connection:
        for source in EXTRACT_SOURCES:
            source.load(connection, landing_dir)
        write_public_holidays(connection, build_public_holidays("ID", 2024, 2027, "id"))


def dbt_build(warehouse: Path, *arguments: str) -> None:
    """Run `dbt build` on the warehouse and fail with dbt's output when it fails."""
    completed = subprocess.run(
        [str(DBT_EXECUTABLE), "build", "--profiles-dir", ".", "--quiet", *arguments],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "KINERJA_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def read_marts(warehouse: Path) -> dict[str, list[tuple]]:
    """Return every table of schema marts with its rows in sorted order."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        return {
            table: connection.execute(f"select * from marts.{table} order by all").fetchall()
            for table in tables
        }


@pytest.fixture(scope="module")
def built_warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build the incremental and the full-refresh warehouse from the same final files."""
    work_dir = tmp_path_factory.mktemp("incremental")
    landing_dir = work_dir / "landing"
    incremental_warehouse = work_dir / "incremental.duckdb"
    full_refresh_warehouse = work_dir / "full_refresh.duckdb"
    no_lookback = "--vars", "{incremental_lookback_days: 0}"

    write_first_batch(landing_dir)
    load_raw(incremental_warehouse, landing_dir)
    dbt_build(incremental_warehouse, *no_lookback)

    write_second_batch(landing_dir)
    load_raw(incremental_warehouse, landing_dir)
    dbt_build(incremental_warehouse, *no_lookback)

    load_raw(full_refresh_warehouse, landing_dir)
    dbt_build(full_refresh_warehouse, "--full-refresh")
    return incremental_warehouse, full_refresh_warehouse


def test_marts_equal_full_refresh(built_warehouses: tuple[Path, Path]) -> None:
    incremental_warehouse, full_refresh_warehouse = built_warehouses
    incremental_marts = read_marts(incremental_warehouse)
    full_refresh_marts = read_marts(full_refresh_warehouse)

    assert incremental_marts.keys() == full_refresh_marts.keys()
    for table, full_refresh_rows in full_refresh_marts.items():
        assert incremental_marts[table] == full_refresh_rows, f"marts.{table} differs"


def test_second_batch_reaches_incremental_marts(built_warehouses: tuple[Path, Path]) -> None:
    incremental_warehouse, _ = built_warehouses
    with duckdb.connect(str(incremental_warehouse), read_only=True) as connection:
        # Late COMPLETEAGENT of call .10: answered at T+8 s, 100 s of talk (see
        # test_refresh_warehouse), two days older than the newest leg, so outside a 0-day lookback.
        late_leg_talk = connection.execute(
            "select talk_seconds from marts.fct_agent_legs where contact_id = '1790820000.10'"
        ).fetchall()
        # Call .7 of 2026-10-03 WIB exists only in the second batch.
        later_day_calls = connection.execute(
            "select calls_offered from marts.queue_daily_kpis "
            "where queue_name = 'tagihan' and activity_date = date '2026-10-03'"
        ).fetchall()

        withdrawn_legs = connection.execute(
            "select count(*) from marts.fct_agent_legs where contact_id = '1790906400.20'"
        ).fetchone()
        withdrawn_queue_days = connection.execute(
            "select count(*) from marts.queue_daily_kpis where activity_date = date '2026-10-02'"
        ).fetchone()

    assert late_leg_talk == [(100,)]
    assert later_day_calls == [(1,)]
    assert withdrawn_legs == (0,)
    assert withdrawn_queue_days == (0,)
