"""Tests of the demo landing generator: determinism, file formats and cross-file references."""

import csv
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from orchestration.demo import asterisk_files, zendesk_files
from orchestration.demo.generate import GenerationSummary, LandingDirectoryNotEmptyError, generate_landing, main
from orchestration.demo.imperfections import truncate_last_line
from orchestration.demo.people import format_phone

from .conftest import FORTNIGHT_START_DATE
from .landing_readers import cdr_paths, queue_log_records, read_cdr, read_comment_pages, read_queue_log, read_roster, read_surveys, read_ticket_pages, read_users

START_DATE = FORTNIGHT_START_DATE
ROSTER_HEADER = ["agent_id", "full_name", "team", "site_timezone", "hire_date", "telephony_ids", "crm_user_ids"]
SURVEY_HEADER = ["response_id", "contact_ref", "survey_type", "score", "submitted_at"]
CDR_COLUMN_COUNT = 21
LEGACY_CDR_COLUMN_COUNT = 16
CUT_CDR_FIELD_COUNT = 9


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_same_seed_writes_identical_files(tmp_path: Path) -> None:
    generate_landing(tmp_path / "first", seed=7, days=2, start_date=START_DATE)
    generate_landing(tmp_path / "second", seed=7, days=2, start_date=START_DATE)

    first = tree_bytes(tmp_path / "first")
    second = tree_bytes(tmp_path / "second")
    assert list(first) == list(second)
    assert first == second


def test_other_seed_writes_other_calls(tmp_path: Path) -> None:
    generate_landing(tmp_path / "seven", seed=7, days=1, start_date=START_DATE)
    generate_landing(tmp_path / "eight", seed=8, days=1, start_date=START_DATE)

    queue_log = Path("telephony") / "queue_log" / "queue_log-20260813"
    assert (tmp_path / "seven" / queue_log).read_bytes() != (tmp_path / "eight" / queue_log).read_bytes()


def test_small_run_writes_every_file_kind(tmp_path: Path) -> None:
    summary = generate_landing(tmp_path, seed=7, days=2, start_date=START_DATE)

    assert (tmp_path / "roster" / "agents.csv").is_file()
    # One file per day and source; the first day's files are the ones cut short.
    assert sorted(path.name for path in (tmp_path / "telephony" / "queue_log").iterdir()) == ["queue_log-20260813", "queue_log-20260814"]
    assert sorted(path.name for path in (tmp_path / "telephony" / "cdr").iterdir()) == [
        "Master-20260813.csv", "Master-20260814.csv", "sales-20260813.csv", "sales-20260814.csv",
    ]
    assert sorted(path.name for path in (tmp_path / "telephony" / "amazon_connect").iterdir()) == ["contohnet-ctr-2026-08-13.json", "contohnet-ctr-2026-08-14.json"]
    assert sorted(path.name for path in (tmp_path / "crm" / "leads").iterdir()) == ["leads-2026-08-13.csv", "leads-2026-08-14.csv"]
    # The Zendesk export ran at 01:00 after each day: one ticket page and one user page a run.
    assert sorted(path.name for path in (tmp_path / "crm" / "users").iterdir()) == ["users-0001.json", "users-0002.json"]
    assert sorted(path.name for path in (tmp_path / "crm" / "tickets").iterdir()) == ["tickets-0001.json", "tickets-0002.json"]
    assert len(list((tmp_path / "crm" / "ticket_comments").glob("ticket-*.json"))) == summary.ticket_count
    # One survey file per day of arrival: 2026-08-13 and 2026-08-14.
    assert sorted(path.name for path in (tmp_path / "surveys").iterdir()) == ["surveys-2026-08-13.csv", "surveys-2026-08-14.csv"]
    assert summary.queue_call_count > 0
    assert summary.ticket_count > 0
    assert summary.survey_response_count > 0


def test_roster_lists_agents_of_four_teams(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    with (landing_dir / "roster" / "agents.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ROSTER_HEADER
        agents = list(reader)

    # 40 agents in the four teams' main groups, 4 telesales agents and 5 Amazon Connect agents.
    assert len(agents) == 49 == summary.agent_count
    assert len({agent["agent_id"] for agent in agents}) == 49
    assert {agent["team"] for agent in agents} == {"Layanan Umum", "Tagihan", "Teknis", "Digital"}
    assert {agent["site_timezone"] for agent in agents} == {"Asia/Jakarta", "Asia/Makassar"}
    assert all(re.fullmatch(r"AGT-\d{3}", agent["agent_id"]) for agent in agents)
    first_ids = [agent["telephony_ids"].split(";")[0] for agent in agents]
    assert sum(1 for identity in first_ids if identity.startswith("PJSIP/")) == 44
    assert sum(1 for identity in first_ids if re.fullmatch(r"[a-z]+(\.[a-z]+)+", identity)) == 5
    assert any(len(agent["telephony_ids"].split(";")) == 2 for agent in agents)
    assert any(len(agent["crm_user_ids"].split(";")) == 2 for agent in agents)
    new_agents = [agent for agent in agents if date.fromisoformat(agent["hire_date"]) > START_DATE - timedelta(days=60)]
    assert len(new_agents) >= 3


def test_queue_log_lines_have_five_fields(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    files = read_queue_log(landing_dir)

    # One rotated file per day, 2026-08-13 to 2026-08-24.
    assert list(files) == [f"queue_log-202608{day}" for day in range(13, 25)]
    restart_files = [name for name, lines in files.items() if any(line.endswith("|NONE|NONE|NONE|QUEUESTART|") for line in lines)]
    # Asterisk starts on the first day and restarts on Mondays 2026-08-17 and 2026-08-24.
    assert restart_files == ["queue_log-20260813", "queue_log-20260817", "queue_log-20260824"]
    for name, lines in files.items():
        complete_lines = lines[:-1]
        if name != "queue_log-20260813":
            assert lines[-1] == "", f"{name} ends with a newline"
        for line in complete_lines:
            assert len(line.split("|")) >= 5, f"{name}: {line!r}"
        epochs = [int(line.split("|")[0]) for line in complete_lines]
        assert epochs == sorted(epochs), f"{name} is not in time order"

    # The deliberately cut-off last line of the first day's file has no newline and three fields.
    cut_line = files["queue_log-20260813"][-1]
    assert cut_line != ""
    assert len(cut_line.split("|")) == 3


def test_queue_log_has_every_call_event(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    events = {record[4] for record in queue_log_records(landing_dir)}

    expected = {
        "QUEUESTART", "AGENTLOGIN", "ADDMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL", "WRAPUPSTART",
        "REMOVEMEMBER", "AGENTLOGOFF", "ENTERQUEUE", "RINGNOANSWER", "CONNECT", "COMPLETEAGENT", "COMPLETECALLER",
        "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER", "ABANDON", "EXITWITHKEY", "EXITWITHTIMEOUT", "WITHDRAW",
    }
    assert expected <= events


def test_only_spoiled_holdtimes_are_not_numeric(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    connects = [record for record in queue_log_records(landing_dir) if record[4] == "CONNECT"]

    not_numeric = [record for record in connects if not record[5].isdigit()]
    assert len(not_numeric) == 2
    assert all(re.fullmatch(r"\d+s", record[5]) for record in not_numeric)


def test_call_ids_include_short_sequences(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    call_ids = {record[1] for record in queue_log_records(landing_dir) if record[1] not in ("NONE", "MANAGER")}

    sequences = {call_id.split(".")[1] for call_id in call_ids}
    # A float cast would read `<epoch>.10` as `<epoch>.1`, so both forms must be present.
    assert "1" in sequences
    assert "10" in sequences


def test_unknown_agent_answers_some_calls(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    roster_ids = {identity for agent in read_roster(landing_dir) for identity in agent["telephony_ids"].split(";")}
    answering = {record[3] for record in queue_log_records(landing_dir) if record[4] == "CONNECT"}

    assert answering - roster_ids == {"PJSIP/1999"}


def test_cdr_rows_have_21_columns(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    paths = cdr_paths(landing_dir)
    rows = read_cdr(landing_dir)

    assert len(rows) == summary.cdr_row_count
    assert len(paths) == 12
    widths = [len(row) for row in rows]
    # Two records from before the first Asterisk start have the 16 standard columns, and the
    # deliberately cut last record of the first day's file has 9.
    assert widths.count(LEGACY_CDR_COLUMN_COUNT) == 2
    assert widths.count(CUT_CDR_FIELD_COUNT) == 1
    assert widths.count(CDR_COLUMN_COUNT) == len(rows) - 3
    assert not paths[0].read_bytes().endswith(b"\n")
    assert all(path.read_bytes().endswith(b"\n") for path in paths[1:])
    complete_rows = [row for row in rows if len(row) != CUT_CDR_FIELD_COUNT]
    assert {row[14] for row in complete_rows} == {"ANSWERED", "NO ANSWER", "BUSY", "FAILED"}
    assert all(row[15] == "DOCUMENTATION" for row in complete_rows)

    raw_lines = [line for path in paths for line in path.read_text(encoding="utf-8").splitlines()]
    unanswered = [line for line in raw_lines if '"NO ANSWER"' in line]
    # cdr_csv leaves the answer time of an unanswered call unquoted and empty, and writes
    # duration and billsec without quotes.
    assert unanswered
    assert all(re.search(r'"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",,"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",\d+,0,"NO ANSWER"', line) for line in unanswered)


def test_cdr_has_records_per_queue_call(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    rows = [row for row in read_cdr(landing_dir) if len(row) == CDR_COLUMN_COUNT]
    linkedids = {row[19] for row in rows}
    entered = [record[1] for record in queue_log_records(landing_dir) if record[4] == "ENTERQUEUE"]

    # Overflowed and transferred callers enter a second queue under the same call id.
    assert len(set(entered)) == summary.queue_call_count < len(entered)
    # The deliberately cut last record lost its ids, and calls still connected at the end of the
    # data have no record yet.
    assert len(set(entered) - linkedids) <= 3
    # A record is unique by its linkedid and its sequence number, never by its uniqueid alone.
    assert len({(row[19], row[20]) for row in rows}) == len(rows)
    assert all(row[16] == row[19] for row in rows)


def test_zendesk_pages_have_api_keys(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    user_pages = [json.loads(path.read_text(encoding="utf-8")) for path in sorted((landing_dir / "crm" / "users").glob("users-*.json"))]
    ticket_pages = read_ticket_pages(landing_dir)

    # Both exports are time-based incremental exports, one or more pages a nightly run.
    for resource, pages in (("users", user_pages), ("tickets", ticket_pages)):
        assert all(set(page) == {resource, "next_page", "end_of_stream", "end_time", "count"} for page in pages)
        assert all(page["count"] == len(page[resource]) for page in pages)
        assert all(page["next_page"].endswith(f"/incremental/{resource}.json?start_time={page['end_time']}") for page in pages)
        assert pages[-1]["end_of_stream"] is True
    # The first user run fetched every user; later runs the users created or updated since.
    assert len({user["id"] for page in user_pages for user in page["users"]}) == summary.user_count
    assert {user["role"] for page in user_pages for user in page["users"]} == {"end-user", "agent", "admin"}
    # Each run starts at the end_time of the run before, inclusive, so it repeats that run's last ticket.
    repeated = [
        (previous["tickets"][-1]["id"], page["tickets"][0]["id"])
        for previous, page in zip(ticket_pages, ticket_pages[1:], strict=False)
        if previous["tickets"] and page["tickets"]
    ]
    assert sum(previous_id == first_id for previous_id, first_id in repeated) >= len(repeated) // 2
    for page in ticket_pages:
        for ticket in page["tickets"]:
            fields = {field["id"] for field in ticket["custom_fields"]}
            assert {360000000001, 360000000002, 360000000003, 360000000004, 360000000005} == fields
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ticket["updated_at"])
            assert ticket["via"]["channel"] in {"whatsapp", "email", "web", "chat", "native_messaging", "voice"}


def test_ticket_ids_referenced_elsewhere_exist(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    tickets = {ticket["id"]: ticket for page in read_ticket_pages(landing_dir) for ticket in page["tickets"]}
    users = read_users(landing_dir)
    call_ids = {record[1] for record in queue_log_records(landing_dir) if record[4] == "ENTERQUEUE"}

    comment_pages = read_comment_pages(landing_dir)
    assert len(comment_pages) == len(tickets)
    for page in comment_pages:
        assert page["ticket_id"] in tickets
        assert page["count"] == len(page["comments"])
        # The first comment is the submitter's: the customer's, or the agent's for a voice ticket.
        assert page["comments"][0]["author_id"] == tickets[page["ticket_id"]]["submitter_id"]
        assert all(comment["author_id"] in users for comment in page["comments"])
    assert sorted(path.name for path in (landing_dir / "crm" / "ticket_comments").iterdir()) == sorted(f"ticket-{ticket_id}.json" for ticket_id in tickets)

    for responses in read_surveys(landing_dir).values():
        for response in responses:
            if "." in response["contact_ref"]:
                assert response["contact_ref"] in call_ids
            else:
                assert int(response["contact_ref"]) in tickets


def test_updated_ticket_reappears_on_later_page(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    appearances: dict[int, list[str]] = {}
    for page in read_ticket_pages(landing_dir):
        for ticket in page["tickets"]:
            appearances.setdefault(ticket["id"], []).append(ticket["updated_at"])

    assert len(appearances) == summary.ticket_count
    updated_again = [stamps for stamps in appearances.values() if len(set(stamps)) > 1]
    assert updated_again
    assert all(stamps == sorted(stamps) for stamps in updated_again)


def test_survey_files_parse_as_csv(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    surveys = read_surveys(landing_dir)

    for path in sorted((landing_dir / "surveys").glob("*.csv")):
        assert path.read_text(encoding="utf-8").split("\n")[0] == ",".join(SURVEY_HEADER)
    responses = [response for file_responses in surveys.values() for response in file_responses]
    assert len(responses) == summary.survey_response_count
    for file_name, file_responses in surveys.items():
        for response in file_responses:
            submitted_at = datetime.fromisoformat(response["submitted_at"])
            assert submitted_at.utcoffset() == timedelta(hours=7)
            assert file_name == f"surveys-{submitted_at.date().isoformat()}.csv"

    bad_scores = sorted((response["survey_type"], response["score"]) for response in responses if not response["score"].isdigit() or (response["survey_type"] == "nps" and int(response["score"]) > 10))
    assert bad_scores == [("csat", "4.5"), ("csat", "4.5"), ("nps", "11"), ("nps", "11")]
    assert {response["survey_type"] for response in responses} == {"csat", "nps"}


def test_malformed_records_are_counted(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    _, summary = fortnight_landing

    # Cut queue_log line, 2 hold times, cut Master.csv record, 4 survey scores, cut Amazon
    # Connect line and one lead score: 1 + 2 + 1 + 4 + 1 + 1.
    assert summary.malformed_record_count == 10


def test_non_empty_directory_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")

    with pytest.raises(LandingDirectoryNotEmptyError, match="--force"):
        generate_landing(tmp_path, days=1)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_force_replaces_generated_folders_only(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    stale = tmp_path / "crm" / "tickets" / "tickets-9999.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")

    generate_landing(tmp_path, days=1, force=True)

    assert not stale.exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "roster" / "agents.csv").is_file()


def test_cli_reports_non_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")

    exit_code = main(["--landing-dir", str(tmp_path), "--days", "1"])

    assert exit_code == 2
    assert "is not empty; pass --force" in capsys.readouterr().err


def test_phone_styles_write_one_number() -> None:
    national_number = "81234567890"

    assert format_phone(national_number, "local") == "081234567890"
    assert format_phone(national_number, "intl_digits") == "6281234567890"
    assert format_phone(national_number, "e164") == "+6281234567890"
    assert format_phone(national_number, "intl_spaced") == "+62 812-3456-7890"
    assert format_phone(national_number, "local_dashed") == "0812-3456-7890"
    assert format_phone(national_number, "local_spaced") == "0812 3456 7890"


def test_cdr_line_quotes_like_cdr_csv() -> None:
    fields = ("", "1001", '"Budi Santoso" <1001>', "PJSIP/0812,60,tT", None, 34, 0, "NO ANSWER")

    # Strings are quoted with inner quotes doubled, numbers are bare, and None is an empty field.
    expected = '"","1001","""Budi Santoso"" <1001>","PJSIP/0812,60,tT",,34,0,"NO ANSWER"'
    assert asterisk_files.format_cdr_line(fields) == expected


def test_truncated_queue_log_stops_mid_field() -> None:
    lines = ["100|NONE|NONE|NONE|QUEUESTART|", "160|1790816436.10|teknis|PJSIP/1025|COMPLETEAGENT|8|120|1"]

    # The last line keeps its epoch, its call id and the first three characters of the queue.
    assert truncate_last_line(lines) == "100|NONE|NONE|NONE|QUEUESTART|\n160|1790816436.10|tek"


def test_export_page_repeats_boundary_ticket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zendesk_files, "EXPORT_PAGE_LIMIT", 2)
    items = [(300, 3, {"id": 3}), (100, 1, {"id": 1}), (200, 2, {"id": 2})]

    pages = zendesk_files.page_through(items, 100, "tickets")

    # Limit 2 from start_time 100 takes tickets 1 and 2 (end_time 200). The next page starts at
    # 200 inclusive: tickets 2 and 3 (end_time 300), again full. Then start 300 finds ticket 3 alone.
    assert [[ticket["id"] for ticket in page["tickets"]] for page in pages] == [[1, 2], [2, 3], [3]]
    assert [page["end_time"] for page in pages] == [200, 300, 300]
    assert [page["end_of_stream"] for page in pages] == [False, False, True]