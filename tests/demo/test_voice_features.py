"""Tests that the demo's Asterisk files contain each voice feature the warehouse must handle.

Transfers of every kind, overflow, WITHDRAW, after-call work as pauses and as WRAPUPSTART, pauses
in several queues, agent sessions across local midnight and open at the end of the data, ring-all
records sharing a linkedid, and the per-account CDR file.
"""

import bisect
import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from orchestration.demo import asterisk_files, calls
from orchestration.demo.asterisk_files import CdrRow
from orchestration.demo.generate import GenerationSummary
from orchestration.demo.localtime import local_epoch

from .conftest import FORTNIGHT_START_DATE
from .landing_readers import cdr_paths, queue_log_records, read_cdr, read_roster

CDR_COLUMN_COUNT = 21
WITA = timezone(timedelta(hours=8))
# The first restart after the first day is Monday 2026-08-17 at 06:30 Jakarta time, when Asterisk 16 replaced Asterisk 11.
UPGRADE_AT = local_epoch(FORTNIGHT_START_DATE + timedelta(days=4), 6, 30, "Asia/Jakarta")
LEG_END_EVENTS = ("COMPLETEAGENT", "COMPLETECALLER", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER")
TRANSFER_EVENTS = ("TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER")


def records_by_call(landing_dir: Path) -> dict[str, list[list[str]]]:
    by_call: dict[str, list[list[str]]] = defaultdict(list)
    for record in queue_log_records(landing_dir):
        if record[1] not in ("NONE", "MANAGER") and record[2] != "NONE":
            by_call[record[1]].append(record)
    return by_call


def team_identities(landing_dir: Path, team: str) -> set[str]:
    return {identity for agent in read_roster(landing_dir) if agent["team"] == team for identity in agent["telephony_ids"].split(";")}


def test_transfers_use_every_event_kind(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    transfers = [record for record in queue_log_records(landing_dir) if record[4] in TRANSFER_EVENTS]
    kinds = Counter(record[4] if record[4] != "ATTENDEDTRANSFER" else f"ATTENDEDTRANSFER {record[5]}" for record in transfers)

    assert set(kinds) == {"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER BRIDGE", "ATTENDEDTRANSFER APP", "ATTENDEDTRANSFER LINK"}
    # Asterisk 11 writes TRANSFER, Asterisk 16 the other two events.
    assert all(int(record[0]) < UPGRADE_AT for record in transfers if record[4] == "TRANSFER")
    assert all(int(record[0]) >= UPGRADE_AT for record in transfers if record[4] != "TRANSFER")
    for record in transfers:
        data = record[5:]
        expected_field_count = 6 if data[0] == "LINK" else 5
        assert len(data) == expected_field_count, record
        assert all(value.isdigit() for value in data[-3:]), record
    links = [record for record in transfers if record[5] == "LINK"]
    assert all(record[6].startswith("Local/") and record[6].endswith(";1") and record[7].endswith(";2") for record in links)


def test_transferred_call_continues_with_next_agent(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    by_call = records_by_call(landing_dir)

    checked = 0
    for records in by_call.values():
        for index, record in enumerate(records):
            if record[4] not in TRANSFER_EVENTS:
                continue
            later = records[index + 1 :]
            if record[4] == "ATTENDEDTRANSFER" and record[5] in ("BRIDGE", "LINK"):
                # A colleague in the same queue takes over without a new queue entry.
                assert any(other[4] in LEG_END_EVENTS and other[3] != record[3] and other[2] == record[2] for other in later), records
                assert not any(other[4] == "ENTERQUEUE" and int(other[0]) - int(record[0]) < 5 for other in later), records
            else:
                # The caller enters the other queue a few seconds later.
                entry = next(other for other in later if other[4] == "ENTERQUEUE")
                assert entry[2] != record[2]
                assert 1 <= int(entry[0]) - int(record[0]) <= 3
            checked += 1
    assert checked > 100


def test_attended_transfer_can_lack_connect(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing

    legs_without_connect = []
    for records in records_by_call(landing_dir).values():
        connected = {record[3] for record in records if record[4] == "CONNECT"}
        legs_without_connect.extend(record for record in records if record[4] in LEG_END_EVENTS and record[3] not in connected)
    assert legs_without_connect
    # Such a leg ends with COMPLETEAGENT (or a further transfer) and carries its own hold and call times.
    assert {record[4] for record in legs_without_connect} <= {"COMPLETEAGENT", "ATTENDEDTRANSFER", "BLINDTRANSFER"}
    assert all(record[5].isdigit() and record[6].isdigit() for record in legs_without_connect if record[4] == "COMPLETEAGENT")


def test_some_calls_pass_three_agents(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    leg_counts = Counter(sum(1 for record in records if record[4] in LEG_END_EVENTS) for records in records_by_call(landing_dir).values())

    assert leg_counts[2] > leg_counts[3] > 0
    assert max(leg_counts) == 3


def test_overflow_enters_layanan_umum(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing

    overflows = 0
    for records in records_by_call(landing_dir).values():
        for index, record in enumerate(records):
            if record[4] == "EXITWITHTIMEOUT" and record[2] == "tagihan":
                entry = records[index + 1]
                assert (entry[2], entry[4]) == ("layanan-umum", "ENTERQUEUE")
                assert int(entry[0]) - int(record[0]) == 1
                overflows += 1
    assert overflows > 0


def test_withdraw_carries_its_info(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    withdrawals = [record for record in queue_log_records(landing_dir) if record[4] == "WITHDRAW"]

    assert withdrawals
    # WITHDRAW|position|origposition|waittime|withdraw info
    assert all(record[5].isdigit() and record[6].isdigit() and record[7].isdigit() and record[8] == "callback" for record in withdrawals)


def test_acw_pause_logged_per_queue(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    records = queue_log_records(landing_dir)
    pauses = Counter((record[0], record[3]) for record in records if record[4] == "PAUSE" and record[5] == "ACW")
    unpauses = Counter((record[0], record[3]) for record in records if record[4] == "UNPAUSE" and record[5] == "ACW")

    # One line per queue of the agent: members of one, two and all three queues.
    assert set(pauses.values()) == {1, 2, 3}
    assert sorted(pauses.values()) == sorted(unpauses.values())
    unpause_epochs: dict[str, list[int]] = defaultdict(list)
    for epoch, agent in sorted(unpauses, key=lambda key: int(key[0])):
        unpause_epochs[agent].append(int(epoch))
    acw_seconds = []
    for epoch, agent in pauses:
        agent_unpauses = unpause_epochs[agent]
        acw_seconds.append(agent_unpauses[bisect.bisect_right(agent_unpauses, int(epoch))] - int(epoch))
    # 10-90 s of wrap-up, longer when the agent dialled a callback during it.
    assert min(acw_seconds) >= 10
    assert sorted(acw_seconds)[len(acw_seconds) // 2] <= 90


def test_one_team_writes_wrapupstart(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    records = queue_log_records(landing_dir)
    teknis = team_identities(landing_dir, "Teknis")
    wrapups = [record for record in records if record[4] == "WRAPUPSTART"]
    call_ids = {record[1] for record in records if record[4] == "ENTERQUEUE"}

    assert len(wrapups) > 100
    assert {record[3] for record in wrapups} <= teknis
    # WRAPUPSTART|<wrap-up seconds>, with the call's id and queue.
    assert all(len(record) == 6 and int(record[5]) >= 10 for record in wrapups)
    assert {record[1] for record in wrapups} <= call_ids
    assert not any(record[4] == "PAUSE" and record[5] == "ACW" and record[3] in teknis for record in records)


def test_pauseall_precedes_queue_pauses(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    records = queue_log_records(landing_dir)
    tagihan = team_identities(landing_dir, "Tagihan")
    pauseall = [record for record in records if record[4] == "PAUSEALL"]

    assert pauseall
    assert {record[3] for record in pauseall} <= tagihan
    assert all(record[1:3] == ["NONE", "NONE"] and record[5] == "" for record in pauseall)
    per_queue = Counter((record[0], record[3]) for record in records if record[4] == "PAUSE")
    assert all(per_queue[(record[0], record[3])] >= 1 for record in pauseall)
    assert Counter(record[4] for record in records)["UNPAUSEALL"] == len(pauseall)


def test_sessions_end_with_logoff(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    teknis = team_identities(landing_dir, "Teknis")

    open_sessions: dict[str, int] = {}
    crossing_midnight = []
    for record in queue_log_records(landing_dir):
        if record[4] == "AGENTLOGIN":
            assert record[5].startswith(record[3] if record[3].startswith("PJSIP/") else "PJSIP/")
            open_sessions[record[3]] = int(record[0])
        elif record[4] == "AGENTLOGOFF":
            login_at = open_sessions.pop(record[3])
            # AGENTLOGOFF|channel|logintime
            assert int(record[6]) == int(record[0]) - login_at
            if record[3] in teknis and datetime.fromtimestamp(login_at, WITA).date() != datetime.fromtimestamp(int(record[0]), WITA).date():
                crossing_midnight.append(record[3])

    # The Teknis night shift crosses midnight in Makassar every day, and the last one is still
    # logged in when the data ends.
    assert len(crossing_midnight) >= 10
    assert len(open_sessions) == 1
    assert set(open_sessions) <= teknis


def test_ring_all_calls_share_linkedid(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    rows = [row for row in read_cdr(landing_dir) if len(row) == CDR_COLUMN_COUNT and row[7] == "Queue"]
    by_linkedid: dict[str, list[list[str]]] = defaultdict(list)
    for row in rows:
        by_linkedid[row[19]].append(row)
    ring_all = [group for group in by_linkedid.values() if group[0][8].startswith("teknis,") and Counter(row[14] for row in group)["NO ANSWER"] >= 2]

    assert ring_all
    for group in ring_all:
        assert Counter(row[14] for row in group)["ANSWERED"] >= 1
        assert len({row[6] for row in group}) == len(group), "each record names another member channel"
        assert len({int(row[20]) for row in group}) == len(group)
    # Asterisk 11 wrote one record per queue call.
    before_upgrade = [group for group in by_linkedid.values() if float(group[0][16]) < UPGRADE_AT]
    assert before_upgrade
    assert all(len(group) == 1 for group in before_upgrade)


def test_sales_csv_repeats_master_rows(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    sales_paths = cdr_paths(landing_dir, "sales")

    # A sales file beside the Master file of each day with telesales calls, repeating its
    # telesales records. Telesales works Monday to Friday except the holiday of 2026-08-17.
    assert [path.name for path in sales_paths] == [f"sales-202608{day}.csv" for day in (13, 14, 18, 19, 20, 21, 24)]
    for sales_path in sales_paths:
        master_path = sales_path.with_name(sales_path.name.replace("sales", "Master"))
        master_lines = master_path.read_text(encoding="utf-8").split("\n")[:-1]  # the last is empty or cut
        sales_text = sales_path.read_text(encoding="utf-8")
        assert sales_text.endswith("\n")
        assert sales_text.split("\n")[:-1] == [line for line in master_lines if line.startswith('"sales",')]
    assert summary.cdr_account_file_count == len(sales_paths)


def test_telesales_dial_customers(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    telesales = {agent["telephony_ids"] for agent in read_roster(landing_dir) if agent["agent_id"] in ("AGT-041", "AGT-042", "AGT-043", "AGT-044")}
    rows = read_cdr(landing_dir, "sales")

    assert len(rows) == summary.telesales_call_count
    assert Counter(row[14] for row in rows).keys() == {"ANSWERED", "NO ANSWER", "BUSY"}
    for row in rows:
        interface, sequence = row[5].rsplit("-", 1)
        assert interface in telesales
        assert len(sequence) == 8
        assert int(sequence, 16) > 0
        assert row[2].startswith("08")
        assert row[2].isdigit()
        assert row[16] == row[19]


def test_local_channel_pair_names_both_halves() -> None:
    first, second = calls.local_channel_pair(random.Random(1), "PJSIP/1005")

    assert first.startswith("Local/1005@from-internal-")
    assert first.endswith(";1")
    assert second == first[:-1] + "2"
    assert len(first.split("-")[-1].split(";")[0]) == 8


def test_transfer_kinds_follow_asterisk_version() -> None:
    assert calls.transfer_kinds(False) == (["asterisk11"], [1])
    kinds, weights = calls.transfer_kinds(True)
    assert kinds == ["blind", "attended_app", "attended_bridge", "attended_link"]
    assert all(weight > 0 for weight in weights)


def test_upgrade_is_second_restart() -> None:
    assert asterisk_files.upgrade_time([100, 200, 300]) == 200
    assert asterisk_files.upgrade_time([100]) is None


def test_cdr_rows_split_by_day_and_account() -> None:
    midnight = local_epoch(date(2026, 8, 14), 0, 0, "Asia/Jakarta")
    rows = [
        CdrRow(midnight - 1, 0, ("", "a")),
        CdrRow(midnight - 1, 1, ("sales", "b")),
        CdrRow(midnight, 2, ("sales", "c")),
        CdrRow(midnight + 5, 3, ("makassar", "d")),
    ]

    files = asterisk_files.split_cdr_by_day(rows)

    # 23:59:59 on 08-13 and 00:00:00 on 08-14, Jakarta time; every row is in Master, account
    # rows again under their account code
    assert {stem: {day.isoformat(): [row.fields[1] for row in day_rows] for day, day_rows in days.items()} for stem, days in files.items()} == {
        "Master": {"2026-08-13": ["a", "b"], "2026-08-14": ["c", "d"]},
        "sales": {"2026-08-13": ["b"], "2026-08-14": ["c"]},
        "makassar": {"2026-08-14": ["d"]},
    }
    assert asterisk_files.cdr_file_name("sales", date(2026, 8, 14)) == "sales-20260814.csv"