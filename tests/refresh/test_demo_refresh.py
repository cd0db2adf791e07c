"""`refresh_warehouse` on a few days of demo data, delivered one day at a time.

The hand-written fixture cannot hold every shape the generator writes (leads worked on several
days, transfer chains, Connect re-deliveries), and the dbt data tests of error severity fail the
run when any of them breaks an integrity rule. So the demo's first three days are refreshed, its
fourth day's files are added, and the warehouse is refreshed again. That second run must read
only the files the new day added or changed, and give the same warehouse as one built from all
four days at once, which also keeps `make demo` green between releases.
"""

import hashlib
from pathlib import Path

import pytest

from orchestration.demo.generate import generate_landing

from .warehouse_runs import differing_tables, materialization_metadata, query, raw_snapshot, run_refresh, snapshot

# Four days from the default start (Saturday 2026-08-01) cover a weekend, transfers, overflow
# and leads worked twice. The fourth day, Tuesday 2026-08-04, has every kind of daily file.
DEMO_DAY_COUNT = 4

MARTS = (
    "fct_contacts",
    "fct_agent_legs",
    "agent_state_intervals",
    "agent_daily_kpis",
    "queue_daily_kpis",
    "team_daily_kpis",
    "sla_compliance",
    "telesales_daily_kpis",
    "agent_recording_quality",
)


def landing_checksums(landing_dir: Path) -> dict[str, str]:
    return {
        path.relative_to(landing_dir).as_posix(): hashlib.md5(path.read_bytes()).hexdigest()
        for path in sorted(landing_dir.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def demo_builds(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build one warehouse from 3 demo days and then the 4th, and one from all 4 days at once."""
    folder = tmp_path_factory.mktemp("demo")
    landing_dir = folder / "landing"
    incremental = folder / "incremental.duckdb"
    full = folder / "full.duckdb"
    generate_landing(landing_dir, days=DEMO_DAY_COUNT, delivered_days=DEMO_DAY_COUNT - 1)
    checksums_before = landing_checksums(landing_dir)
    with pytest.MonkeyPatch.context() as monkeypatch:
        run_refresh(monkeypatch, landing_dir, incremental)
        first_registry = dict(query(incremental, "select source_file, loaded_at from raw.loaded_files"))
        generate_landing(landing_dir, days=DEMO_DAY_COUNT, force=True)
        checksums_after = landing_checksums(landing_dir)
        second_run = run_refresh(monkeypatch, landing_dir, incremental)
        run_refresh(monkeypatch, landing_dir, full)
    return {
        "incremental": incremental,
        "full": full,
        "first_registry": first_registry,
        "second_run": second_run,
        "new_files": sorted(set(checksums_after) - set(checksums_before)),
        "changed_files": sorted(path for path in checksums_before if checksums_after.get(path) != checksums_before[path]),
    }


def test_new_day_adds_one_file_per_daily_source(demo_builds):
    daily_files = [path for path in demo_builds["new_files"] if not path.startswith("crm/ticket_comments/")]

    # Tuesday 2026-08-04, and the fourth nightly Zendesk run wrote one page of each kind
    assert daily_files == [
        "crm/leads/leads-2026-08-04.csv",
        "crm/tickets/tickets-0004.json",
        "crm/users/users-0004.json",
        "surveys/surveys-2026-08-04.csv",
        "telephony/amazon_connect/contohnet-ctr-2026-08-04.json",
        "telephony/cdr/Master-20260804.csv",
        "telephony/cdr/sales-20260804.csv",
        "telephony/queue_log/queue_log-20260804",
    ]
    # tickets created on the new day get their comment files
    assert any(path.startswith("crm/ticket_comments/") for path in demo_builds["new_files"])


def test_only_comment_files_change_with_new_day(demo_builds):
    changed = demo_builds["changed_files"]

    # A ticket's List Comments file is rewritten when it gets a comment. Every other file is
    # written once, and none is removed.
    assert changed
    assert all(path.startswith("crm/ticket_comments/") for path in changed)


def test_second_run_reads_only_new_and_changed_files(demo_builds):
    registry = dict(query(demo_builds["incremental"], "select source_file, loaded_at from raw.loaded_files"))
    first_registry = demo_builds["first_registry"]

    reloaded = sorted(path for path, loaded_at in registry.items() if first_registry.get(path) != loaded_at)
    assert reloaded == sorted(demo_builds["new_files"] + demo_builds["changed_files"])
    queue_log = materialization_metadata(demo_builds["second_run"], "extract_queue_log")
    assert queue_log["files_loaded"] == ["telephony/queue_log/queue_log-20260804"]
    assert queue_log["files_unchanged"] == 3


def test_incremental_marts_equal_full_rebuild(demo_builds):
    incremental = snapshot(demo_builds["incremental"], "marts")
    full = snapshot(demo_builds["full"], "marts")

    assert set(MARTS) <= set(full)
    assert differing_tables(incremental, full) == []


def test_incremental_raw_equals_full_rebuild(demo_builds):
    incremental = raw_snapshot(demo_builds["incremental"])
    full = raw_snapshot(demo_builds["full"])

    assert differing_tables(incremental, full) == []


@pytest.mark.parametrize("mart", MARTS)
def test_demo_fills_every_mart(demo_builds, mart):
    [(row_count,)] = query(demo_builds["full"], f"select count(*) from marts.{mart}")
    assert row_count > 0


def test_demo_rates_stay_fractions(demo_builds):
    [(out_of_range,)] = query(
        demo_builds["full"],
        """
        select count(*) from marts.agent_daily_kpis
        where fcr_rate not between 0 and 1
           or csat_rate not between 0 and 1
           or occupancy_rate not between 0 and 1
           or sla_met_rate not between 0 and 1
           or recording_completeness_rate not between 0 and 1
           or nps not between -100 and 100
        """,
    )
    assert out_of_range == 0
