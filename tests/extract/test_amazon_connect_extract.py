"""Tests of load_amazon_connect on contact records shaped as Firehose delivers them to S3."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from orchestration.extract.amazon_connect import TABLE, load_amazon_connect

RECORDS_FILE = "telephony/amazon_connect/kinerja-ctr-1-2026-10-01-02-10-00.json"
LATER_FILE = "telephony/amazon_connect/kinerja-ctr-1-2026-10-01-03-10-00.json"


def contact_record(contact_id="c-1", **overrides) -> dict:
    """Return an answered inbound voice contact record in the AWS data model."""
    record = {
        "AWSAccountId": "123456789012",
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "ContactId": contact_id,
        "InitialContactId": None,
        "PreviousContactId": None,
        "NextContactId": None,
        "Channel": "VOICE",
        "InitiationMethod": "INBOUND",
        "InitiationTimestamp": "2026-10-01T02:00:00Z",
        "ConnectedToSystemTimestamp": "2026-10-01T02:00:01Z",
        "DisconnectTimestamp": "2026-10-01T02:05:40Z",
        "LastUpdateTimestamp": "2026-10-01T02:07:05Z",
        "Queue": {
            "ARN": "arn:aws:connect:ap-southeast-1:123456789012:instance/i/queue/q",
            "Name": "Tagihan",
            "EnqueueTimestamp": "2026-10-01T02:00:20Z",
            "DequeueTimestamp": "2026-10-01T02:00:45Z",
            "Duration": 25,
        },
        "Agent": {
            "ARN": "arn:aws:connect:ap-southeast-1:123456789012:instance/i/agent/a",
            "Username": "budi.santoso",
            "ConnectedToAgentTimestamp": "2026-10-01T02:00:45Z",
            "AgentInteractionDuration": 255,
            "CustomerHoldDuration": 40,
            "NumberOfHolds": 2,
            "LongestHoldDuration": 30,
            "AfterContactWorkStartTimestamp": "2026-10-01T02:05:40Z",
            "AfterContactWorkEndTimestamp": "2026-10-01T02:07:00Z",
            "AfterContactWorkDuration": 80,
        },
        "CustomerEndpoint": {"Address": "+6281234567890", "Type": "TELEPHONE_NUMBER"},
        "SystemEndpoint": {"Address": "+622150001234", "Type": "TELEPHONE_NUMBER"},
        "DisconnectReason": "CUSTOMER_DISCONNECT",
        "AgentConnectionAttempts": 1,
        "Attributes": {"bahasa": "id"},
    }
    record.update(overrides)
    return record


def ndjson(*records) -> str:
    """Return records one per line, as a Firehose stream with a newline delimiter writes them."""
    return "".join(json.dumps(record) + "\n" for record in records)


def test_record_fields_map_to_columns(warehouse):
    warehouse.write(RECORDS_FILE, ndjson(contact_record()))

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.tables == ("raw.amazon_connect_contacts",)
    [row] = warehouse.rows("raw.amazon_connect_contacts")
    assert row == {
        "contact_id": "c-1",
        "initial_contact_id": None,
        "previous_contact_id": None,
        "next_contact_id": None,
        "channel": "VOICE",
        "initiation_method": "INBOUND",
        "initiation_at": datetime(2026, 10, 1, 2, 0, 0),
        "disconnect_at": datetime(2026, 10, 1, 2, 5, 40),
        "last_updated_at": datetime(2026, 10, 1, 2, 7, 5),
        "queue_name": "Tagihan",
        "enqueued_at": datetime(2026, 10, 1, 2, 0, 20),
        "dequeued_at": datetime(2026, 10, 1, 2, 0, 45),
        "queue_duration_seconds": 25,
        "agent_username": "budi.santoso",
        "agent_connected_at": datetime(2026, 10, 1, 2, 0, 45),
        "agent_interaction_seconds": 255,
        "customer_hold_seconds": 40,
        "hold_count": 2,
        "after_contact_work_seconds": 80,
        "after_contact_work_started_at": datetime(2026, 10, 1, 2, 5, 40),
        "after_contact_work_ended_at": datetime(2026, 10, 1, 2, 7, 0),
        "customer_number": "+6281234567890",
        "disconnect_reason": "CUSTOMER_DISCONNECT",
        "agent_connection_attempt_count": 1,
        "_source_file": RECORDS_FILE,
        "_source_position": 1,
    }


def test_unanswered_contact_has_null_agent(warehouse):
    abandoned = contact_record(
        "c-2",
        Agent=None,
        Queue={"Name": "Tagihan", "EnqueueTimestamp": "2026-10-01T02:00:20Z", "Duration": 70},
    )
    warehouse.write(RECORDS_FILE, ndjson(abandoned))

    load_amazon_connect(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.amazon_connect_contacts")
    assert row["agent_username"] is None
    assert row["agent_connected_at"] is None
    assert row["after_contact_work_seconds"] is None
    assert row["dequeued_at"] is None
    assert row["queue_duration_seconds"] == 70


def test_absent_connection_attempts_load_null(warehouse):
    # Older records and other exporters may leave the field out or write it as null.
    warehouse.write(
        RECORDS_FILE,
        ndjson(without("AgentConnectionAttempts"), contact_record("c-2", AgentConnectionAttempts=None)),
    )

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    rows = warehouse.rows("raw.amazon_connect_contacts")
    assert [row["agent_connection_attempt_count"] for row in rows] == [None, None]


def test_unoffered_contact_loads_zero_attempts(warehouse):
    abandoned = contact_record("c-2", Agent=None, AgentConnectionAttempts=0)
    warehouse.write(RECORDS_FILE, ndjson(abandoned))

    load_amazon_connect(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.amazon_connect_contacts")
    assert row["agent_connection_attempt_count"] == 0


def test_older_table_gains_attempts_column(warehouse):
    warehouse.write(RECORDS_FILE, ndjson(contact_record("c-1", AgentConnectionAttempts=2)))
    load_amazon_connect(warehouse.con, warehouse.landing_dir)
    # As the table looks in a warehouse built before the loader read AgentConnectionAttempts.
    warehouse.con.execute(f"alter table {TABLE} drop column agent_connection_attempt_count")
    warehouse.write(LATER_FILE, ndjson(contact_record("c-2", AgentConnectionAttempts=3)))

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 1
    rows = warehouse.rows("raw.amazon_connect_contacts")
    # c-1's file is unchanged, so it is not read again and its count stays unknown
    assert [(row["contact_id"], row["agent_connection_attempt_count"]) for row in rows] == [
        ("c-1", None),
        ("c-2", 3),
    ]


def test_timestamp_offsets_become_utc(warehouse):
    record = contact_record(InitiationTimestamp="2026-10-01T09:00:00.250+07:00")
    warehouse.write(RECORDS_FILE, ndjson(record))

    load_amazon_connect(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.amazon_connect_contacts")
    assert row["initiation_at"] == datetime(2026, 10, 1, 2, 0, 0, 250000)


def test_concatenated_records_all_load(warehouse):
    # Firehose without a newline delimiter writes the objects back to back on one line.
    records = [contact_record("c-1"), contact_record("c-2"), contact_record("c-3")]
    one_line = json.dumps(records[0]) + json.dumps(records[1]) + " " + json.dumps(records[2])
    warehouse.write(RECORDS_FILE, one_line + "\n" + ndjson(contact_record("c-4")))

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_read == 4
    assert result.rows_loaded == 4
    rows = warehouse.rows("raw.amazon_connect_contacts")
    assert [(row["contact_id"], row["_source_position"]) for row in rows] == [
        ("c-1", 1),
        ("c-2", 1),
        ("c-3", 1),
        ("c-4", 2),
    ]


def test_duplicate_deliveries_are_all_kept(warehouse):
    first = contact_record("c-1")
    updated = contact_record("c-1", LastUpdateTimestamp="2026-10-01T03:00:00Z")
    warehouse.write(RECORDS_FILE, ndjson(first, first))
    warehouse.write("telephony/amazon_connect/later.json", ndjson(updated))

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 3
    rows = warehouse.rows("raw.amazon_connect_contacts")
    assert [row["contact_id"] for row in rows] == ["c-1", "c-1", "c-1"]
    assert [row["last_updated_at"].hour for row in rows] == [2, 2, 3]


def without(field: str) -> dict:
    """Return the standard record with one top-level field removed."""
    record = contact_record()
    del record[field]
    return record


def with_agent(**agent_overrides) -> dict:
    """Return the standard record with some Agent fields replaced."""
    record = contact_record()
    record["Agent"] = {**record["Agent"], **agent_overrides}
    return record


@pytest.mark.parametrize(
    ("line", "field_name", "reason"),
    [
        ('{"ContactId": "c-9", "Channel": "VOICE"', None, "record is not valid JSON"),
        ('["c-9", "VOICE"]', None, "record is not a JSON object"),
        (json.dumps(without("ContactId")), "ContactId", "field ContactId is missing"),
        (
            json.dumps(contact_record(ContactId="")),
            "ContactId",
            "field ContactId is not a non-empty string: '\"\"'",
        ),
        (
            json.dumps(contact_record(ContactId=42)),
            "ContactId",
            "field ContactId is not a non-empty string: '42'",
        ),
        (
            json.dumps(without("LastUpdateTimestamp")),
            "LastUpdateTimestamp",
            "field LastUpdateTimestamp is missing",
        ),
        (
            json.dumps(contact_record(InitiationTimestamp="01/10/2026 09:00")),
            "InitiationTimestamp",
            "field InitiationTimestamp is not an ISO 8601 timestamp: '01/10/2026 09:00'",
        ),
        (
            json.dumps(contact_record(DisconnectTimestamp="2026-10-01T02:05:40")),
            "DisconnectTimestamp",
            "field DisconnectTimestamp has no UTC offset, so its time is ambiguous:"
            " '2026-10-01T02:05:40'",
        ),
        (
            json.dumps(with_agent(ConnectedToAgentTimestamp="2026-13-01T02:00:45Z")),
            "Agent.ConnectedToAgentTimestamp",
            "field Agent.ConnectedToAgentTimestamp is not an ISO 8601 timestamp:"
            " '2026-13-01T02:00:45Z'",
        ),
        (
            json.dumps(with_agent(CustomerHoldDuration=12.5)),
            "Agent.CustomerHoldDuration",
            "field Agent.CustomerHoldDuration is not an integer: '12.5'",
        ),
        (
            json.dumps(with_agent(AfterContactWorkDuration=-5)),
            "Agent.AfterContactWorkDuration",
            "field Agent.AfterContactWorkDuration is negative: '-5'",
        ),
        (
            json.dumps(contact_record(AgentConnectionAttempts=-1)),
            "AgentConnectionAttempts",
            "field AgentConnectionAttempts is negative: '-1'",
        ),
        (
            json.dumps(contact_record(AgentConnectionAttempts=1.5)),
            "AgentConnectionAttempts",
            "field AgentConnectionAttempts is not an integer: '1.5'",
        ),
        (
            json.dumps(contact_record(AgentConnectionAttempts="2")),
            "AgentConnectionAttempts",
            "field AgentConnectionAttempts is not an integer: '\"2\"'",
        ),
        (
            json.dumps(contact_record(Agent="budi.santoso")),
            "Agent",
            "field Agent is not a JSON object: '\"budi.santoso\"'",
        ),
    ],
)
def test_malformed_record_is_rejected(warehouse, line, field_name, reason):
    warehouse.write(RECORDS_FILE, ndjson(contact_record("c-1")) + line + "\n")

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 1
    assert warehouse.rejections("amazon_connect") == [
        {
            "source_kind": "amazon_connect",
            "source_file": RECORDS_FILE,
            "source_position": 2,
            "field_name": field_name,
            "raw_text": line,
            "reason": reason,
        }
    ]


def test_bad_concatenated_object_names_index(warehouse):
    bad = contact_record("c-2", LastUpdateTimestamp="yesterday")
    one_line = json.dumps(contact_record("c-1")) + json.dumps(bad) + json.dumps(contact_record("c-3"))
    warehouse.write(RECORDS_FILE, one_line + "\n")

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    [rejection] = warehouse.rejections("amazon_connect")
    assert rejection["source_position"] == 1
    assert rejection["field_name"] == "LastUpdateTimestamp"
    assert rejection["raw_text"] == json.dumps(bad)
    assert rejection["reason"] == (
        "field LastUpdateTimestamp is not an ISO 8601 timestamp: 'yesterday'"
        " (object 2 of 3 on the line)"
    )


def test_truncated_last_object_is_rejected(warehouse):
    # A file cut off mid-write: the first object loads, the partial one is set aside.
    partial = json.dumps(contact_record("c-2"))[:80]
    warehouse.write(RECORDS_FILE, json.dumps(contact_record("c-1")) + partial)

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    [rejection] = warehouse.rejections("amazon_connect")
    assert rejection["raw_text"] == partial
    assert rejection["reason"] == "record is not valid JSON (object 2 of 2 on the line)"


def test_utf16_file_is_rejected_whole(warehouse):
    warehouse.write(RECORDS_FILE, ndjson(contact_record("c-1")))
    warehouse.write("telephony/amazon_connect/utf16.json", ndjson(contact_record("c-2")).encode("utf-16"))

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 2
    assert result.rows_loaded == 1
    [rejection] = warehouse.rejections("amazon_connect")
    assert rejection["source_file"] == "telephony/amazon_connect/utf16.json"
    assert rejection["source_position"] == 0
    assert rejection["reason"].startswith("file is UTF-16 text")


def test_reload_replaces_previous_rows(warehouse):
    warehouse.write(RECORDS_FILE, ndjson(contact_record("c-1"), contact_record("c-2")))
    load_amazon_connect(warehouse.con, warehouse.landing_dir)
    warehouse.write(RECORDS_FILE, ndjson(contact_record("c-1")) + "{broken\n")

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert [row["contact_id"] for row in warehouse.rows("raw.amazon_connect_contacts")] == ["c-1"]
    assert len(warehouse.rejections("amazon_connect")) == 1


def test_empty_folder_gives_empty_table(warehouse):
    (warehouse.landing_dir / "telephony" / "amazon_connect").mkdir(parents=True)

    result = load_amazon_connect(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 0
    assert warehouse.rows("raw.amazon_connect_contacts") == []
