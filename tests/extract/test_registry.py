"""Tests of the file registry: which files a run loads, replaces, removes, skips or rejects."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from orchestration.extract.load_report import describe_load
from orchestration.extract.queue_log import load_queue_log
from orchestration.extract.registry import (
    LandingFile,
    LoadPlan,
    RegisteredFile,
    find_duplicates,
    plan_load,
    reconcile_files,
)
from orchestration.extract.roster import load_roster

QUEUE_LOG = "telephony/queue_log/queue_log"
ROTATED = "telephony/queue_log/queue_log.1"
START = "1717397390|NONE|NONE|NONE|QUEUESTART|\n"
RELOAD = "1717397391|NONE|NONE|NONE|CONFIGRELOAD|\n"
BAD = "1717397392|NONE\n"
NOW = datetime(2026, 10, 2, 1, 0, 0)
HOUR_AGO = NOW - timedelta(hours=1)


def landing_file(source_file: str, size_bytes: int = 10, modified_at: datetime = HOUR_AGO):
    return LandingFile(source_file, Path("/landing") / source_file, size_bytes, modified_at)


def registered(source_file: str, checksum: str, size_bytes: int = 10, duplicate_of=None):
    return RegisteredFile(source_file, size_bytes, HOUR_AGO, checksum, duplicate_of)


def no_checksum(path: Path) -> str:
    raise AssertionError(f"checksum of {path} was computed, but its size and time are unchanged")


def plan(files, known, checksums=None, settle_seconds=60) -> LoadPlan:
    checksum = no_checksum if checksums is None else (lambda path: checksums[path.name])
    return plan_load(
        files,
        {file.source_file: file for file in known},
        checksum=checksum,
        settle_seconds=settle_seconds,
        now=NOW,
    )


def test_new_file_is_loaded():
    result = plan([landing_file("a")], [], checksums={"a": "md5-a"})

    assert [file.source_file for file in result.to_load] == ["a"]
    assert result.checksums == {"a": "md5-a"}


def test_unchanged_file_is_not_read():
    result = plan([landing_file("a")], [registered("a", "md5-a")])

    assert result.to_load == ()
    assert result.unchanged == ("a",)


def test_changed_file_is_reloaded():
    result = plan([landing_file("a", size_bytes=11)], [registered("a", "md5-a")], {"a": "md5-a2"})

    assert [file.source_file for file in result.to_load] == ["a"]
    assert result.replaced_files == ("a",)


def test_touched_file_only_refreshes_registry():
    later = HOUR_AGO + timedelta(minutes=5)
    result = plan([landing_file("a", modified_at=later)], [registered("a", "md5-a")], {"a": "md5-a"})

    assert result.to_load == ()
    assert [file.source_file for file in result.touched] == ["a"]


def test_missing_file_is_removed():
    result = plan([], [registered("a", "md5-a")])

    assert [file.source_file for file in result.to_remove] == ["a"]
    assert result.replaced_files == ("a",)


def test_unsettled_file_waits():
    # Modified 30 s before NOW, within the 60 s settle time.
    recent = NOW - timedelta(seconds=30)
    result = plan(
        [landing_file("a", modified_at=recent), landing_file("b", size_bytes=99, modified_at=recent)],
        [registered("b", "md5-b")],
    )

    assert result.unsettled == ("a", "b")
    assert result.to_load == ()
    # b keeps its earlier rows: it is neither reloaded nor removed.
    assert result.replaced_files == ()


def test_duplicate_reexamined_when_original_removed():
    result = plan(
        [landing_file("copy")],
        [registered("original", "md5-x"), registered("copy", "md5-x", duplicate_of="original")],
    )

    assert [file.source_file for file in result.to_load] == ["copy"]
    assert result.checksums == {"copy": "md5-x"}
    assert [file.source_file for file in result.to_remove] == ["original"]


def test_duplicate_kept_while_original_unchanged():
    result = plan(
        [landing_file("copy"), landing_file("original")],
        [registered("original", "md5-x"), registered("copy", "md5-x", duplicate_of="original")],
    )

    assert result.to_load == ()
    assert sorted(result.unchanged) == ["copy", "original"]


def test_registered_file_wins_duplicates():
    files = [landing_file("a_new"), landing_file("b_old")]
    result = plan(files, [registered("b_old", "md5-x")], {"a_new": "md5-x"})

    # a_new sorts first, but b_old was loaded before: the new file is the duplicate.
    assert find_duplicates(result, {"b_old": registered("b_old", "md5-x")}, ["a_new"]) == {
        "a_new": "b_old"
    }


def test_first_new_path_wins_duplicates():
    files = [landing_file("b"), landing_file("a"), landing_file("c")]
    result = plan(files, [], {"a": "md5-x", "b": "md5-x", "c": "md5-y"})

    assert find_duplicates(result, {}, ["a", "b", "c"]) == {"b": "a"}


def test_file_without_rows_is_no_duplicate():
    result = plan([landing_file("a"), landing_file("b")], [], {"a": "md5-empty", "b": "md5-empty"})

    assert find_duplicates(result, {}, []) == {}


def test_second_run_loads_only_new_file(warehouse):
    warehouse.write(ROTATED, START)
    load_queue_log(warehouse.con, warehouse.landing_dir)
    first_loaded_at = warehouse.loaded_at_values("raw.queue_log")
    warehouse.write(QUEUE_LOG, RELOAD + BAD)

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert [file.source_file for file in result.files] == [QUEUE_LOG]
    assert result.files_unchanged == 1
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    events = [(row["_source_file"], row["event"]) for row in warehouse.rows("raw.queue_log")]
    assert events == [(QUEUE_LOG, "CONFIGRELOAD"), (ROTATED, "QUEUESTART")]
    rotated_loaded_at = warehouse.con.execute(
        "select distinct _loaded_at from raw.queue_log where _source_file = ?", [ROTATED]
    ).fetchall()
    assert [row[0] for row in rotated_loaded_at] == first_loaded_at


def test_changed_file_replaces_its_rows(warehouse):
    warehouse.write(QUEUE_LOG, START + BAD)
    load_queue_log(warehouse.con, warehouse.landing_dir)
    # Asterisk appended a line; the bad line is still there.
    warehouse.write(QUEUE_LOG, START + BAD + RELOAD)

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    assert [row["event"] for row in warehouse.rows("raw.queue_log")] == ["QUEUESTART", "CONFIGRELOAD"]
    assert len(warehouse.rejections("queue_log")) == 1


def test_registry_records_counts(warehouse):
    path = warehouse.write(QUEUE_LOG, START + BAD + RELOAD)

    load_queue_log(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.registry("queue_log")
    assert row["source_file"] == QUEUE_LOG
    assert row["size_bytes"] == path.stat().st_size
    assert len(row["checksum_md5"]) == 32
    assert row["text_encoding"] == "utf-8"
    assert row["duplicate_of"] is None
    # 3 lines: 2 loaded, 1 rejected
    assert (row["rows_read"], row["rows_loaded"], row["rows_rejected"]) == (3, 2, 1)


def test_unsettled_file_loads_next_run(warehouse):
    warehouse.write(QUEUE_LOG, START)
    warehouse.set_modified_at(QUEUE_LOG, NOW - timedelta(seconds=10))

    waiting = load_queue_log(warehouse.con, warehouse.landing_dir, settle_seconds=60, now=NOW)
    later = load_queue_log(
        warehouse.con, warehouse.landing_dir, settle_seconds=60, now=NOW + timedelta(minutes=1)
    )

    assert waiting.files_unsettled == (QUEUE_LOG,)
    assert waiting.files_read == 0
    assert later.files_read == 1
    assert [row["event"] for row in warehouse.rows("raw.queue_log")] == ["QUEUESTART"]


def test_unsettled_change_keeps_earlier_rows(warehouse):
    warehouse.write(QUEUE_LOG, START)
    warehouse.set_modified_at(QUEUE_LOG, HOUR_AGO)
    load_queue_log(warehouse.con, warehouse.landing_dir, settle_seconds=60, now=NOW)
    warehouse.write(QUEUE_LOG, START + RELOAD)
    warehouse.set_modified_at(QUEUE_LOG, NOW - timedelta(seconds=10))

    result = load_queue_log(warehouse.con, warehouse.landing_dir, settle_seconds=60, now=NOW)

    assert result.files_unsettled == (QUEUE_LOG,)
    assert [row["event"] for row in warehouse.rows("raw.queue_log")] == ["QUEUESTART"]


def test_copy_is_rejected_as_duplicate(warehouse):
    warehouse.write(QUEUE_LOG, START + RELOAD)
    warehouse.write("telephony/queue_log/queue_log-copy", START + RELOAD)

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    # 'queue_log' sorts before 'queue_log-copy', so the copy is the duplicate.
    assert result.rows_loaded == 2
    assert [row["_source_file"] for row in warehouse.rows("raw.queue_log")] == [QUEUE_LOG] * 2
    assert warehouse.rejections("queue_log") == [
        {
            "source_kind": "queue_log",
            "source_file": "telephony/queue_log/queue_log-copy",
            "source_position": 0,
            "field_name": None,
            "raw_text": None,
            "reason": "duplicate of telephony/queue_log/queue_log: the file has the same content"
            " (MD5), so loading it would count its rows twice",
        }
    ]
    copy = warehouse.registry("queue_log")[1]
    assert copy["duplicate_of"] == QUEUE_LOG
    # A duplicate counts as one row read and rejected, like any file rejected whole.
    assert (copy["rows_read"], copy["rows_loaded"], copy["rows_rejected"]) == (1, 0, 1)


def test_copy_loads_once_original_removed(warehouse):
    original = warehouse.write(QUEUE_LOG, START)
    warehouse.write("telephony/queue_log/queue_log-copy", START)
    load_queue_log(warehouse.con, warehouse.landing_dir)
    original.unlink()

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert [file.source_file for file in result.files] == ["telephony/queue_log/queue_log-copy"]
    assert [file.source_file for file in result.files_removed] == [QUEUE_LOG]
    assert [row["_source_file"] for row in warehouse.rows("raw.queue_log")] == [
        "telephony/queue_log/queue_log-copy"
    ]
    assert warehouse.rejections("queue_log") == []


def test_empty_files_are_no_duplicates(warehouse):
    warehouse.write(QUEUE_LOG, "")
    warehouse.write(ROTATED, "")

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.rows_rejected == 0
    assert [row["duplicate_of"] for row in warehouse.registry("queue_log")] == [None, None]


def test_rows_of_unregistered_files_are_deleted(warehouse):
    warehouse.write(QUEUE_LOG, START)
    load_queue_log(warehouse.con, warehouse.landing_dir)
    # A row a loader without the registry left behind for a file since removed.
    warehouse.con.execute(
        "insert into raw.queue_log (event, _source_file, _source_position)"
        " values ('QUEUESTART', 'telephony/queue_log/gone', 1)"
    )

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.orphan_rows_deleted == 1
    assert [row["_source_file"] for row in warehouse.rows("raw.queue_log")] == [QUEUE_LOG]


def test_reconciliation_balances_after_load(warehouse):
    warehouse.write(QUEUE_LOG, START + BAD + RELOAD)
    warehouse.write("telephony/queue_log/queue_log-copy", START + BAD + RELOAD)
    load_queue_log(warehouse.con, warehouse.landing_dir)

    files = reconcile_files(warehouse.con, "queue_log", "raw.queue_log")

    assert [(file.source_file, file.rows_read, file.rows_loaded, file.rows_rejected) for file in files] == [
        (QUEUE_LOG, 3, 2, 1),
        ("telephony/queue_log/queue_log-copy", 1, 0, 1),
    ]
    assert all(file.is_balanced for file in files)


def test_reconciliation_finds_lost_and_orphan_rows(warehouse):
    warehouse.write(QUEUE_LOG, START + RELOAD)
    load_queue_log(warehouse.con, warehouse.landing_dir)
    warehouse.con.execute("delete from raw.queue_log where event = 'CONFIGRELOAD'")
    warehouse.con.execute(
        "insert into raw.queue_log (event, _source_file, _source_position)"
        " values ('QUEUESTART', 'telephony/queue_log/unknown', 1)"
    )

    files = reconcile_files(warehouse.con, "queue_log", "raw.queue_log")

    assert [(file.source_file, file.rows_read, file.rows_loaded, file.is_balanced) for file in files] == [
        (QUEUE_LOG, 2, 1, False),  # 2 lines read, 1 left in the table
        ("telephony/queue_log/unknown", None, 1, False),  # no load read this file
    ]


def test_unmatched_file_is_reported_ignored(warehouse):
    header = "agent_id,full_name,team,site_timezone,hire_date,telephony_ids,crm_user_ids\n"
    warehouse.write("roster/agents.csv", header)
    warehouse.write("roster/agents (1).csv", header)

    result = load_roster(warehouse.con, warehouse.landing_dir)

    assert result.files_ignored == ("roster/agents (1).csv",)
    assert [file.source_file for file in result.files] == ["roster/agents.csv"]


def test_unknown_event_is_loaded_with_warning(warehouse):
    warehouse.write(QUEUE_LOG, START + "1717397393|1717397393.1|support|NONE|CONECT|1|x|2\n")

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    assert result.warnings == {"queue_log event 'CONECT' is not a known event": 1}


@pytest.mark.parametrize("settle_seconds", [0, 60])
def test_log_names_each_file_event(warehouse, settle_seconds):
    warehouse.write(QUEUE_LOG, START)
    removed = warehouse.write(ROTATED, RELOAD)
    load_queue_log(warehouse.con, warehouse.landing_dir)
    removed.unlink()
    warehouse.write("telephony/queue_log/queue_log-copy", START)
    warehouse.write("telephony/queue_log/queue_log.2", "1717397394|NONE|support|Jos\xe9|PAUSE|\n".encode("cp1252"))
    warehouse.write("telephony/queue_log/queue_log.3", START.replace("1717397390", "1717397395"))
    warehouse.set_modified_at("telephony/queue_log/queue_log.3", NOW - timedelta(seconds=5))
    warehouse.set_modified_at("telephony/queue_log/queue_log-copy", HOUR_AGO)
    warehouse.set_modified_at("telephony/queue_log/queue_log.2", HOUR_AGO)

    result = load_queue_log(
        warehouse.con, warehouse.landing_dir, settle_seconds=settle_seconds, now=NOW
    )
    messages = [(line.level, line.message) for line in describe_load(result, settle_seconds)]

    assert (
        "info",
        f"queue_log: {ROTATED} was removed from the landing folder, so its 1 rows and 0 rejected"
        " records were deleted",
    ) in messages
    assert (
        "warning",
        "queue_log: telephony/queue_log/queue_log-copy has the same content as"
        f" {QUEUE_LOG}, so it was not loaded; raw.rejected_records lists it at position 0",
    ) in messages
    assert (
        "warning",
        "queue_log: telephony/queue_log/queue_log.2 is not valid UTF-8 on lines 1; those lines"
        " were decoded as Windows-1252. Check the characters, and export the file as UTF-8",
    ) in messages
    unsettled_message = (
        "info",
        "queue_log: telephony/queue_log/queue_log.3 was modified less than 60 s ago and may"
        " still be being written, so it is left for the next run",
    )
    assert (unsettled_message in messages) is (settle_seconds == 60)
