"""Tests that the demo's Amazon Connect contact records and CRM lead exports have the features the warehouse must handle."""

import json
import random
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from orchestration.demo import imperfections
from orchestration.demo.amazon_connect import MAX_MISSED_OFFERS, OFFER_RING_SECONDS
from orchestration.demo.generate import GenerationSummary
from orchestration.demo.telesales import LEAD_HEADER

from .landing_readers import read_cdr, read_connect_lines, read_leads, read_roster

RECORD_KEYS = {
    "ContactId", "InitialContactId", "PreviousContactId", "NextContactId", "Channel", "InitiationMethod",
    "InitiationTimestamp", "DisconnectTimestamp", "LastUpdateTimestamp", "Queue", "Agent", "CustomerEndpoint", "DisconnectReason",
}
AGENT_KEYS = {
    "Username", "ConnectedToAgentTimestamp", "AgentInteractionDuration", "CustomerHoldDuration", "NumberOfHolds",
    "AfterContactWorkDuration", "AfterContactWorkStartTimestamp", "AfterContactWorkEndTimestamp",
}
UTC_TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
LOCAL_TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00"
MISSING_INTERESTS = {"", "-", "n/a", "null"}


def connect_records(landing_dir: Path) -> list[dict]:
    """Return every complete delivered record, duplicates and earlier versions included."""
    records = []
    for lines in read_connect_lines(landing_dir).values():
        records.extend(json.loads(line) for line in lines if line.endswith("}"))
    return records


def test_connect_lines_are_json_objects(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    files = read_connect_lines(landing_dir)
    # the first day's file is the one whose copy was cut
    first = min(files)

    assert len(files) == summary.amazon_connect_file_count
    assert all(re.fullmatch(r"contohnet-ctr-\d{4}-\d\d-\d\d\.json", name) for name in files)
    for name, lines in files.items():
        complete = lines[:-1]
        if name == first:
            # The deliberately cut last line: half an object and no newline.
            assert lines[-1].startswith("{")
            assert not lines[-1].endswith("}")
            assert sum(len(lines) for lines in files.values()) - len(files) + 1 == summary.amazon_connect_line_count
        else:
            assert lines[-1] == ""
        for line in complete:
            record = json.loads(line)
            assert RECORD_KEYS <= set(record)
            assert record["Channel"] == "VOICE"
            assert record["CustomerEndpoint"]["Type"] == "TELEPHONE_NUMBER"
            assert re.fullmatch(r"\+628\d{8,11}", record["CustomerEndpoint"]["Address"])
            assert {"Name", "EnqueueTimestamp", "DequeueTimestamp", "Duration"} <= set(record["Queue"])
            assert all(re.fullmatch(UTC_TIMESTAMP, record[key]) for key in ("InitiationTimestamp", "DisconnectTimestamp", "LastUpdateTimestamp"))


def test_connect_delivers_duplicates_and_versions(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    lines = [line for file_lines in read_connect_lines(landing_dir).values() for line in file_lines if line.endswith("}")]
    versions: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        record = json.loads(line)
        versions[record["ContactId"]].add(record["LastUpdateTimestamp"])

    line_counts = Counter(lines)
    assert any(count == 2 for count in line_counts.values()), "a record delivered twice, unchanged"
    updated = [stamps for stamps in versions.values() if len(stamps) == 2]
    assert updated, "a record published again with a newer LastUpdateTimestamp"
    assert max(len(stamps) for stamps in versions.values()) == 2


def test_connect_transfers_link_records(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    records = {record["ContactId"]: record for record in connect_records(landing_dir)}
    transferred = [record for record in records.values() if record["InitiationMethod"] == "TRANSFER"]

    assert transferred
    chain_lengths = Counter()
    for record in transferred:
        previous = records[record["PreviousContactId"]]
        assert previous["NextContactId"] == record["ContactId"]
        assert previous["Agent"] is not None
        assert record["InitialContactId"] == (previous["InitialContactId"] or previous["ContactId"])
        assert records[record["InitialContactId"]]["InitiationMethod"] == "INBOUND"
        assert record["InitiationTimestamp"] == previous["DisconnectTimestamp"]
        assert record["Queue"]["Name"] != previous["Queue"]["Name"]
        chain_lengths[2 if previous["InitialContactId"] is None else 3] += 1
    assert chain_lengths[2] > 0


def test_connect_records_hold_and_abandons(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    records = connect_records(landing_dir)
    answered = [record for record in records if record["Agent"] is not None]
    abandoned = [record for record in records if record["Agent"] is None]

    assert abandoned
    assert all(record["DisconnectReason"] == "CUSTOMER_DISCONNECT" for record in abandoned)
    assert all(AGENT_KEYS <= set(record["Agent"]) for record in answered)
    assert any(record["Agent"]["NumberOfHolds"] > 0 and record["Agent"]["CustomerHoldDuration"] > 0 for record in answered)
    for record in answered:
        agent = record["Agent"]
        acw_start = datetime.fromisoformat(agent["AfterContactWorkStartTimestamp"].replace("Z", "+00:00"))
        acw_end = datetime.fromisoformat(agent["AfterContactWorkEndTimestamp"].replace("Z", "+00:00"))
        assert (acw_end - acw_start).total_seconds() == agent["AfterContactWorkDuration"]
        assert agent["AfterContactWorkStartTimestamp"] == record["DisconnectTimestamp"]


def test_connect_attempts_include_missed_offers(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    records = connect_records(landing_dir)
    answered_attempts = Counter(record["AgentConnectionAttempts"] for record in records if record["Agent"] is not None)
    abandoned_attempts = Counter(record["AgentConnectionAttempts"] for record in records if record["Agent"] is None)

    assert set(answered_attempts) <= set(range(1, MAX_MISSED_OFFERS + 2))
    assert answered_attempts[1] > answered_attempts[2] > 0, "most answered on the first offer, some after a missed one"
    assert set(abandoned_attempts) <= set(range(MAX_MISSED_OFFERS + 2))
    assert abandoned_attempts[0] > 0, "a caller who hung up before any agent was free"
    assert abandoned_attempts[1] > 0, "a caller who hung up after one offer"


def test_missed_offers_lengthen_queue_time(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    answered = [record for record in connect_records(landing_dir) if record["Agent"] is not None]

    for record in answered:
        missed_offer_count = record["AgentConnectionAttempts"] - 1
        assert record["Queue"]["Duration"] >= missed_offer_count * OFFER_RING_SECONDS


def test_connect_usernames_are_in_roster(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    connect_agents = [agent for agent in read_roster(landing_dir) if not agent["telephony_ids"].startswith("PJSIP/")]
    usernames = {record["Agent"]["Username"] for record in connect_records(landing_dir) if record["Agent"] is not None}

    assert len(connect_agents) == 5
    assert {agent["site_timezone"] for agent in connect_agents} == {"Asia/Makassar"}
    assert {agent["team"] for agent in connect_agents} == {"Layanan Umum"}
    assert usernames == {agent["telephony_ids"] for agent in connect_agents}


def test_lead_files_follow_the_format(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, summary = fortnight_landing
    telesales_owner_ids = {agent["crm_user_ids"] for agent in read_roster(landing_dir) if agent["agent_id"] in ("AGT-041", "AGT-042", "AGT-043", "AGT-044")}
    files = read_leads(landing_dir)

    assert len(files) == summary.lead_file_count == 12
    for path in sorted((landing_dir / "crm" / "leads").iterdir()):
        assert path.read_text(encoding="utf-8").split("\n")[0] == ",".join(LEAD_HEADER)
    rows = [row for file_rows in files.values() for row in file_rows]
    assert len(rows) == summary.lead_line_count
    assert {row["owner_id"] for row in rows} == telesales_owner_ids
    assert {row["stage"] for row in rows} == {"new", "contacted", "qualified", "proposal", "won", "lost"}
    for row in rows:
        assert re.fullmatch(LOCAL_TIMESTAMP, row["created_at"])
        assert re.fullmatch(LOCAL_TIMESTAMP, row["stage_changed_at"])
        assert row["created_at"] <= row["stage_changed_at"]
        assert (row["won_at"] != "") == (row["stage"] == "won")
        assert (row["lost_at"] != "") == (row["stage"] == "lost")
        for closed_at in (row["won_at"], row["lost_at"]):
            if closed_at:
                assert closed_at == row["stage_changed_at"]


def test_worked_leads_follow_owner_calls(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    interface_by_owner = {agent["crm_user_ids"]: agent["telephony_ids"] for agent in read_roster(landing_dir)}
    answered_ends = defaultdict(list)
    for row in read_cdr(landing_dir, "sales"):
        if row[14] == "ANSWERED":
            answered_ends[row[5].rsplit("-", 1)[0]].append(datetime.fromisoformat(row[11]))

    worked = 0
    for file_name, rows in read_leads(landing_dir).items():
        for row in rows:
            changed_at = datetime.fromisoformat(row["stage_changed_at"]).replace(tzinfo=None)
            if row["stage"] == "new" or changed_at.date().isoformat() != file_name[6:16]:
                continue
            # The owner's answered call ended up to two minutes before the change was saved.
            call_ends = answered_ends[interface_by_owner[row["owner_id"]]]
            assert any(timedelta(0) < changed_at - ended_at <= timedelta(minutes=2) for ended_at in call_ends), row
            worked += 1
    assert worked > 100


def test_some_worked_leads_miss_fields(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    worked = [row for rows in read_leads(landing_dir).values() for row in rows if row["stage"] != "new"]
    missing_interest = [row for row in worked if row["interest"].strip() in MISSING_INTERESTS]
    missing_score = [row for row in worked if row["lead_score"] == ""]

    assert missing_interest
    assert {row["interest"].strip() for row in missing_interest} > {""}
    assert missing_score
    assert len(missing_interest) + len(missing_score) < len(worked) / 4


def test_one_lead_score_is_a_decimal(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    scores = [row["lead_score"] for rows in read_leads(landing_dir).values() for row in rows if row["lead_score"] != ""]

    assert [score for score in scores if not score.isdigit()] == ["72.5"]
    assert all(0 <= int(score) <= 100 for score in scores if score.isdigit())


def test_cut_json_line_keeps_half_an_object() -> None:
    lines = ['{"ContactId":"a"}', '{"ContactId":"b"}']

    # The last line has 17 characters and keeps the first 17 // 2 = 8 of them, with no newline.
    assert imperfections.cut_last_json_line(lines) == '{"ContactId":"a"}\n{"Contac'


def test_spoiled_lead_score_names_its_file() -> None:
    files = {"leads-2026-08-13.csv": [("LEAD-1", "7", "", "new", "", "", "", "", ""), ("LEAD-2", "7", "", "contacted", "", "", "", "40", "Upgrade kecepatan")]}

    changed = imperfections.spoil_lead_score(random.Random(3), files, LEAD_HEADER.index("lead_score"))

    assert changed == ["leads-2026-08-13.csv"]
    assert files["leads-2026-08-13.csv"][1][7] == "72.5"
    assert files["leads-2026-08-13.csv"][0][7] == ""
