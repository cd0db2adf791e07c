"""End to end: an incremental refresh after one new day equals a full rebuild of all days.

`write_day` writes one day of a small centre's exports in the real formats, one file per day and
source the way exports arrive. A day has a rotated queue_log, a Master.csv, one Zendesk export
page, one List Comments file per ticket (rewritten when the ticket gets a new comment), a users
page and the surveys that arrived that day, some of them for the day before. Three days
are refreshed, the fourth day's files are added and refreshed again. That second run must read
exactly the new and changed files, and its warehouse must equal one built from all four days at
once: every mart table, every raw table (load times aside) and every rejected record.
"""

import json
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from .warehouse_runs import differing_tables, materialization_metadata, query, raw_snapshot, reconciliation_outcomes, run_refresh, snapshot

FIRST_DATE = date(2026, 10, 1)
DAY_COUNT = 4
JAKARTA_UTC_OFFSET = timedelta(hours=7)

# (agent_id, name, team, zone, interface, Zendesk user id)
AGENTS = (
    ("AGT-001", "Budi Santoso", "Tagihan", "Asia/Jakarta", "PJSIP/1001", 9001),
    ("AGT-002", "Siti Rahmawati", "Teknis", "Asia/Makassar", "PJSIP/1002", 9002),
    ("AGT-003", "Andi Wijaya", "Tagihan", "Asia/Jakarta", "PJSIP/1003", 9003),
)
# Callers repeat across days, so first contact resolution depends on later days.
CALLERS = ("081234567890", "081298765432", "085711112222", "081377778888", "081912345678")
QUEUES = ("tagihan", "teknis")
CATEGORY_FIELD_ID = 360000000001
DISPOSITION_FIELD_ID = 360000000002
HANDLE_TIME_FIELD_ID = 360000000003


def day_start_utc(day: int) -> datetime:
    """Return 09:00 in Jakarta on the given 0-based day, in UTC."""
    local = datetime.combine(FIRST_DATE + timedelta(days=day), datetime.min.time()) + timedelta(hours=9)
    return (local - JAKARTA_UTC_OFFSET).replace(tzinfo=UTC)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write(landing_dir: Path, relative_path: str, text: str) -> None:
    path = landing_dir / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def day_calls(day: int) -> list[dict]:
    """Four calls a day: three answered by rotating agents, one abandoned."""
    calls = []
    for index in range(4):
        entered_at = day_start_utc(day) + timedelta(minutes=40 * index)
        agent = AGENTS[(day + index) % len(AGENTS)]
        calls.append(
            {
                "call_id": f"{epoch(entered_at)}.{day * 10 + index}",
                "queue": QUEUES[index % len(QUEUES)],
                "caller": CALLERS[(day * 3 + index) % len(CALLERS)],
                "entered_at": entered_at,
                "wait_seconds": 8 + 7 * index,
                "talk_seconds": 120 + 30 * day + 10 * index,
                "interface": agent[4],
                "is_answered": index != 3,
            }
        )
    return calls


def queue_log_lines(day: int) -> list[str]:
    lines = []
    for call in day_calls(day):
        entered = epoch(call["entered_at"])
        call_id, queue, wait = call["call_id"], call["queue"], call["wait_seconds"]
        lines.append(f"{entered}|{call_id}|{queue}|NONE|ENTERQUEUE||{call['caller']}|1")
        if call["is_answered"]:
            connected = entered + wait
            ended = connected + call["talk_seconds"]
            lines.append(f"{connected}|{call_id}|{queue}|{call['interface']}|CONNECT|{wait}|{call_id}9|2")
            lines.append(
                f"{ended}|{call_id}|{queue}|{call['interface']}|COMPLETEAGENT|{wait}|{call['talk_seconds']}|1"
            )
        else:
            lines.append(f"{entered + wait}|{call_id}|{queue}|NONE|ABANDON|1|1|{wait}")
    if day == 1:
        # A malformed line, rejected on every load that reads this file.
        lines.append(f"{epoch(day_start_utc(day)) + 9000}|x.1|tagihan|PJSIP/1001|CONNECT|abc|x|2")
    return lines


def cdr_lines(day: int) -> list[str]:
    lines = []
    for call in day_calls(day):
        start = call["entered_at"] + JAKARTA_UTC_OFFSET
        answer = start + timedelta(seconds=call["wait_seconds"]) if call["is_answered"] else None
        talk = call["talk_seconds"] if call["is_answered"] else 0
        end = (answer or start) + timedelta(seconds=talk)
        fields = [
            '""',
            f'"{call["caller"]}"',
            '"2000"',
            '"from-pstn"',
            f'"{call["caller"]}"',
            '"PJSIP/trunk-00000001"',
            f'"{call["interface"]}-00000002"' if call["is_answered"] else '""',
            '"Queue"',
            f'"{call["queue"]}"',
            f'"{start:%Y-%m-%d %H:%M:%S}"',
            f'"{answer:%Y-%m-%d %H:%M:%S}"' if answer else '""',
            f'"{end:%Y-%m-%d %H:%M:%S}"',
            str(int((end - start).total_seconds())),
            str(talk),
            '"ANSWERED"' if answer else '"NO ANSWER"',
            '"DOCUMENTATION"',
        ]
        lines.append(",".join(fields))
    return lines


def ticket_ids(day: int) -> tuple[int, int]:
    return 6000 + 10 * day, 6001 + 10 * day


def ticket(ticket_id: int, day: int, *, status: str, updated_at: datetime) -> dict:
    created_at = day_start_utc(day) + timedelta(hours=1, minutes=ticket_id % 10 * 30)
    agent = AGENTS[ticket_id % len(AGENTS)]
    category = None if ticket_id % 4 == 1 else "tagihan"
    return {
        "id": ticket_id,
        "created_at": iso(created_at),
        "updated_at": iso(updated_at),
        "subject": f"Pertanyaan pelanggan {ticket_id}",
        "status": status,
        "priority": "normal",
        "via": {"channel": "whatsapp" if ticket_id % 2 == 0 else "email"},
        "requester_id": 7000 + ticket_id % 5,
        "assignee_id": agent[5],
        "group_id": 360000100,
        "tags": [],
        "custom_fields": [
            {"id": CATEGORY_FIELD_ID, "value": category if status == "solved" else None},
            {"id": DISPOSITION_FIELD_ID, "value": "selesai" if status == "solved" else None},
            {"id": HANDLE_TIME_FIELD_ID, "value": str(300 + ticket_id % 7 * 60)},
        ],
        "satisfaction_rating": {"score": "good" if status == "solved" else "offered"},
    }


def ticket_comments(ticket_id: int, day: int, comment_count: int) -> dict:
    created_at = day_start_utc(day) + timedelta(hours=1, minutes=ticket_id % 10 * 30)
    agent = AGENTS[ticket_id % len(AGENTS)]
    comments = []
    for index in range(comment_count):
        is_customer = index % 2 == 0
        comments.append(
            {
                "id": ticket_id * 100 + index,
                "type": "Comment",
                "author_id": 7000 + ticket_id % 5 if is_customer else agent[5],
                "body": "Mohon bantuannya." if is_customer else "Baik, sudah kami proses.",
                "public": True,
                "created_at": iso(created_at + timedelta(minutes=12 * index + 24 * 60 * (index // 2))),
                "via": {"channel": "web"},
            }
        )
    return {"ticket_id": ticket_id, "comments": comments, "next_page": None, "count": comment_count}


def users_page(day: int) -> dict:
    users = []
    if day == 0:
        users += [
            {"id": agent[5], "name": agent[1], "role": "agent", "email": f"{agent[0].lower()}@contoh.co.id",
             "phone": None, "updated_at": "2026-09-01T00:00:00Z"}
            for agent in AGENTS
        ]
    for user_id in range(7000, 7005):
        if user_id % DAY_COUNT == day:
            users.append(
                {"id": user_id, "name": f"Pelanggan {user_id}", "role": "end-user", "email": None,
                 "phone": "+62 " + CALLERS[user_id % 5][1:4] + "-" + CALLERS[user_id % 5][4:8] + "-"
                 + CALLERS[user_id % 5][8:], "updated_at": iso(day_start_utc(day))}
            )
    return {"users": users, "next_page": None, "count": len(users)}


def survey_lines(day: int) -> list[str]:
    """Surveys that arrived on the day: for the previous day's calls and one for this day's."""
    lines = ["response_id,contact_ref,survey_type,score,submitted_at"]
    responses = []
    if day > 0:
        responses += [(call, 2 + index) for index, call in enumerate(day_calls(day - 1)[:2])]
    responses.append((day_calls(day)[2], 5))
    for call, score in responses:
        submitted_at = (day_start_utc(day) + timedelta(hours=8) + JAKARTA_UTC_OFFSET).strftime(
            "%Y-%m-%dT%H:%M:%S+07:00"
        )
        lines.append(f"S-{call['call_id']},{call['call_id']},csat,{score},{submitted_at}")
        lines.append(f"N-{call['call_id']},{call['call_id']},nps,{2 * score},{submitted_at}")
    return lines


def write_day(landing_dir: Path, day: int) -> list[str]:
    """Write the landing files one day adds or changes; return their paths."""
    stamp = (FIRST_DATE + timedelta(days=day)).strftime("%Y%m%d")
    files: dict[str, str] = {}
    if day == 0:
        roster = ["agent_id,full_name,team,site_timezone,hire_date,telephony_ids,crm_user_ids"]
        roster += [f"{a[0]},{a[1]},{a[2]},{a[3]},2024-01-15,{a[4]},{a[5]}" for a in AGENTS]
        files["roster/agents.csv"] = "\n".join(roster) + "\n"
    files[f"telephony/queue_log/queue_log-{stamp}"] = "\n".join(queue_log_lines(day)) + "\n"
    files[f"telephony/cdr/Master-{stamp}.csv"] = "\n".join(cdr_lines(day)) + "\n"

    closing = day_start_utc(day) + timedelta(hours=6)
    tickets = [ticket(ticket_id, day, status="open", updated_at=closing) for ticket_id in ticket_ids(day)]
    for ticket_id in ticket_ids(day):
        files[f"crm/ticket_comments/ticket-{ticket_id}.json"] = json.dumps(ticket_comments(ticket_id, day, 2))
    if day > 0:
        # Yesterday's first ticket is solved today: a new version in today's page, and its
        # comments file is rewritten with the closing reply.
        solved_id = ticket_ids(day - 1)[0]
        tickets.append(ticket(solved_id, day - 1, status="solved", updated_at=closing))
        files[f"crm/ticket_comments/ticket-{solved_id}.json"] = json.dumps(
            ticket_comments(solved_id, day - 1, 4)
        )
    page = {"tickets": tickets, "next_page": None, "end_of_stream": True,
            "end_time": epoch(closing), "count": len(tickets)}
    files[f"crm/tickets/tickets-{day + 1:04d}.json"] = json.dumps(page)
    files[f"crm/users/users-{day + 1:04d}.json"] = json.dumps(users_page(day))
    files[f"surveys/surveys-{FIRST_DATE + timedelta(days=day)}.csv"] = "\n".join(survey_lines(day)) + "\n"

    for relative_path, text in files.items():
        write(landing_dir, relative_path, text)
    return sorted(files)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Build one warehouse incrementally (3 days, then day 4) and one from all 4 days at once."""
    folder = tmp_path_factory.mktemp("incremental")
    landing_dir = folder / "landing"
    for day in range(DAY_COUNT - 1):
        write_day(landing_dir, day)
    incremental = folder / "incremental.duckdb"
    full = folder / "full.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        first_run = run_refresh(monkeypatch, landing_dir, incremental)
        first_registry = dict(query(incremental, "select source_file, loaded_at from raw.loaded_files"))
        day_files = write_day(landing_dir, DAY_COUNT - 1)
        second_run = run_refresh(monkeypatch, landing_dir, incremental)
        full_run = run_refresh(monkeypatch, landing_dir, full)
    return {
        "incremental": incremental,
        "full": full,
        "first_run": first_run,
        "first_registry": first_registry,
        "second_run": second_run,
        "full_run": full_run,
        "day_files": day_files,
        "folder": folder,
    }


def test_new_day_writes_expected_files(builds):
    # day 4 (2026-10-04): 6 kinds of day files, 2 new tickets' comments, and the comments of
    # day 3's first ticket (6020), solved on day 4
    assert builds["day_files"] == [
        "crm/ticket_comments/ticket-6020.json",
        "crm/ticket_comments/ticket-6030.json",
        "crm/ticket_comments/ticket-6031.json",
        "crm/tickets/tickets-0004.json",
        "crm/users/users-0004.json",
        "surveys/surveys-2026-10-04.csv",
        "telephony/cdr/Master-20261004.csv",
        "telephony/queue_log/queue_log-20261004",
    ]


def test_second_run_reads_only_new_day(builds):
    registry = dict(query(builds["incremental"], "select source_file, loaded_at from raw.loaded_files"))
    first_registry = builds["first_registry"]

    reloaded = sorted(path for path, loaded_at in registry.items() if first_registry.get(path) != loaded_at)
    assert reloaded == builds["day_files"]
    unchanged = sorted(path for path in registry if path not in builds["day_files"])
    assert all(registry[path] == first_registry[path] for path in unchanged)


def test_asset_metadata_lists_only_new_files(builds):
    second_run = builds["second_run"]

    queue_log = materialization_metadata(second_run, "extract_queue_log")
    assert queue_log["files_read"] == 1
    assert queue_log["files_unchanged"] == 3
    assert queue_log["files_loaded"] == ["telephony/queue_log/queue_log-20261004"]
    # 4 calls: 3 answered (3 lines each) and 1 abandoned (2 lines)
    assert (queue_log["rows_read"], queue_log["rows_loaded"], queue_log["rows_rejected"]) == (11, 11, 0)
    comments = materialization_metadata(second_run, "extract_zendesk_ticket_comments")
    # ticket 6020 now has 4 comments, the two new tickets 2 each
    assert comments["files_loaded"] == [
        "crm/ticket_comments/ticket-6020.json",
        "crm/ticket_comments/ticket-6030.json",
        "crm/ticket_comments/ticket-6031.json",
    ]
    assert comments["rows_loaded"] == 4 + 2 + 2
    roster = materialization_metadata(second_run, "extract_roster")
    assert (roster["files_read"], roster["files_unchanged"]) == (0, 1)


def test_changed_file_replaces_rows(builds):
    rows = query(
        builds["incremental"],
        "select count(*) from raw.zendesk_ticket_comments where ticket_id = 6020",
    )
    # 4 comments after the rewrite, not 2 + 4
    assert rows == [(4,)]


def test_incremental_marts_equal_full_rebuild(builds):
    incremental = snapshot(builds["incremental"], "marts")
    full = snapshot(builds["full"], "marts")

    assert {"agent_daily_kpis", "fct_contacts", "queue_daily_kpis"} <= set(full)
    assert differing_tables(incremental, full) == []
    # 4 days x 4 calls + 4 days x 2 tickets
    assert len(full["fct_contacts"]) == 16 + 8


def test_incremental_raw_equals_full_rebuild(builds):
    incremental = raw_snapshot(builds["incremental"])
    full = raw_snapshot(builds["full"])

    assert differing_tables(incremental, full) == []
    # the malformed CONNECT after day 2's 11 call lines is the only rejection
    assert [row[:4] for row in full["rejected_records"]] == [
        ("queue_log", "telephony/queue_log/queue_log-20261002", 12, "holdtime")
    ]


def test_every_extract_reconciles(builds):
    for run in ("first_run", "second_run", "full_run"):
        outcomes = reconciliation_outcomes(builds[run])
        # one reconciliation check per extract asset: nine source kinds
        assert len(outcomes) == 9, run
        assert all(outcomes.values()), (run, outcomes)


def test_answered_call_test_catches_lost_call(builds, monkeypatch):
    tampered = builds["folder"] / "tampered.duckdb"
    shutil.copyfile(builds["full"], tampered)
    with duckdb.connect(str(tampered)) as connection:
        connection.execute(
            """
            update marts.agent_daily_kpis
            set contacts_handled = contacts_handled - 1
            where (agent_id, activity_date) in (
                select agent_id, min(activity_date) from marts.agent_daily_kpis
                where channel = 'voice' and agent_id = 'AGT-001' group by agent_id
            ) and channel = 'voice'
            """
        )
    monkeypatch.setenv("KINERJA_WAREHOUSE", str(tampered))
    from dbt.cli.main import dbtRunner

    from orchestration.settings import DBT_PROJECT_DIR

    run_test: Callable = dbtRunner().invoke
    outcome = run_test(
        [
            "test",
            "--select",
            "answered_calls_counted_once_per_agent",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(builds["folder"] / "dbt_target"),
            "--log-path",
            str(builds["folder"] / "dbt_logs"),
            "--quiet",
        ]
    )

    assert outcome.success is False
    [test_result] = outcome.result.results
    assert test_result.status == "fail"
    assert test_result.failures == 1  # AGT-001 alone is off by one
