"""Tests of the Zendesk loaders on pages shaped like the Zendesk Support API responses."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from orchestration.extract.zendesk import (
    load_zendesk_ticket_comments,
    load_zendesk_tickets,
    load_zendesk_users,
)

TICKETS_PAGE = "crm/tickets/2024-06-03.json"


def ticket(ticket_id=101, **overrides) -> dict:
    """Return a ticket object as the incremental export returns it."""
    record = {
        "id": ticket_id,
        "url": f"https://example.zendesk.com/api/v2/tickets/{ticket_id}.json",
        "created_at": "2024-06-03T02:15:00Z",
        "updated_at": "2024-06-03T03:00:00Z",
        "type": "question",
        "subject": "Tagihan ganda bulan Mei",
        "description": "Saya ditagih dua kali untuk bulan Mei.",
        "priority": "high",
        "status": "open",
        "requester_id": 5001,
        "submitter_id": 5001,
        "assignee_id": 9001,
        "group_id": 77,
        "tags": ["billing", "tagihan_ganda"],
        "via": {"channel": "email", "source": {"from": {"address": "a@example.com"}, "to": {}, "rel": None}},
        "custom_fields": [
            {"id": 360001, "value": "billing"},
            {"id": 360002, "value": None},
        ],
        "satisfaction_rating": None,
    }
    record.update(overrides)
    return record


def tickets_page(*tickets) -> str:
    """Return an incremental export page holding the tickets."""
    return json.dumps(
        {
            "tickets": list(tickets),
            "after_url": None,
            "end_of_stream": True,
            "next_page": None,
            "count": len(tickets),
        }
    )


def test_ticket_fields_map_to_columns(warehouse):
    rated = ticket(
        102,
        created_at="2024-06-03T09:15:00+07:00",
        priority=None,
        assignee_id=None,
        via={"channel": "web", "source": {"from": {}, "to": {}, "rel": None}},
        satisfaction_rating={
            "id": 7001,
            "score": "good",
            "comment": "Cepat sekali",
            "updated_at": "2024-06-04T08:00:00+07:00",
        },
    )
    warehouse.write(TICKETS_PAGE, tickets_page(ticket(), rated))

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    assert result.tables == ("raw.zendesk_tickets", "raw.zendesk_ticket_custom_fields")
    first, second = warehouse.rows("raw.zendesk_tickets")
    assert first == {
        "ticket_id": 101,
        "created_at": datetime(2024, 6, 3, 2, 15),
        "updated_at": datetime(2024, 6, 3, 3, 0),
        "status": "open",
        "priority": "high",
        "via_channel": "email",
        "requester_id": 5001,
        "assignee_id": 9001,
        "group_id": 77,
        "subject": "Tagihan ganda bulan Mei",
        "tags": "billing tagihan_ganda",
        "satisfaction_score": None,
        "satisfaction_updated_at": None,
        "_source_file": TICKETS_PAGE,
        "_source_position": 1,
    }
    assert second["created_at"] == datetime(2024, 6, 3, 2, 15)  # 09:15 at +07:00 is 02:15 UTC
    assert second["priority"] is None
    assert second["assignee_id"] is None
    assert second["via_channel"] == "web"
    assert second["satisfaction_score"] == "good"
    assert second["satisfaction_updated_at"] == datetime(2024, 6, 4, 1, 0)  # 08:00 +07:00
    assert second["_source_position"] == 2


def test_every_ticket_update_is_kept(warehouse):
    warehouse.write("crm/tickets/page-1.json", tickets_page(ticket(status="new")))
    warehouse.write(
        "crm/tickets/page-2.json",
        tickets_page(ticket(status="solved", updated_at="2024-06-04T01:00:00Z")),
    )

    load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    rows = warehouse.rows("raw.zendesk_tickets")
    assert [(row["ticket_id"], row["status"], row["_source_file"]) for row in rows] == [
        (101, "new", "crm/tickets/page-1.json"),
        (101, "solved", "crm/tickets/page-2.json"),
    ]


def test_custom_field_values_become_rows(warehouse):
    custom_fields = [
        {"id": 360001, "value": "billing"},
        {"id": 360002, "value": None},
        {"id": 360003, "value": 3},
        {"id": 360004, "value": True},
        {"id": 360005, "value": ["kartu_kredit", "transfer_bank"]},
    ]
    warehouse.write(TICKETS_PAGE, tickets_page(ticket(custom_fields=custom_fields)))

    load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    rows = warehouse.rows("raw.zendesk_ticket_custom_fields")
    assert [(row["field_id"], row["field_value"]) for row in rows] == [
        (360001, "billing"),
        (360002, None),
        (360003, "3"),
        (360004, "true"),
        (360005, "kartu_kredit,transfer_bank"),
    ]
    assert {row["ticket_id"] for row in rows} == {101}
    assert {row["ticket_updated_at"] for row in rows} == {datetime(2024, 6, 3, 3, 0)}
    assert {(row["_source_file"], row["_source_position"]) for row in rows} == {(TICKETS_PAGE, 1)}


def test_ticket_without_custom_fields_loads(warehouse):
    bare = ticket()
    del bare["custom_fields"]
    warehouse.write(TICKETS_PAGE, tickets_page(bare))

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert warehouse.rows("raw.zendesk_ticket_custom_fields") == []


def ticket_without(field: str) -> dict:
    record = ticket()
    del record[field]
    return record


@pytest.mark.parametrize(
    ("record", "field_name", "reason"),
    [
        (ticket_without("id"), "id", "field id is missing"),
        (ticket(None), "id", "field id is missing"),
        (ticket("101"), "id", "field id is not an integer: '\"101\"'"),
        (ticket(101.5), "id", "field id is not an integer: '101.5'"),
        (ticket_without("created_at"), "created_at", "field created_at is missing"),
        (
            ticket(created_at="2024-06-03T02:15:00"),
            "created_at",
            "field created_at has no UTC offset, so its time is ambiguous: '2024-06-03T02:15:00'",
        ),
        (
            ticket(created_at="03/06/2024 02:15"),
            "created_at",
            "field created_at is not an ISO 8601 timestamp: '03/06/2024 02:15'",
        ),
        (
            ticket(created_at="2024-06-31T02:15:00Z"),
            "created_at",
            "field created_at is not an ISO 8601 timestamp: '2024-06-31T02:15:00Z'",
        ),
        (
            ticket(updated_at="kemarin"),
            "updated_at",
            "field updated_at is not an ISO 8601 timestamp: 'kemarin'",
        ),
        (ticket(group_id="77"), "group_id", "field group_id is not an integer: '\"77\"'"),
        (ticket(tags="billing"), "tags", "field tags is not a JSON array: '\"billing\"'"),
        (
            ticket(custom_fields=[{"id": 360001, "value": "a"}, {"value": "b"}]),
            "custom_fields.id",
            "field custom_fields[1].id is missing or not an integer in '{\"value\":\"b\"}'",
        ),
        (
            ticket(satisfaction_rating={"score": "excellent", "id": 1}),
            "satisfaction_rating.score",
            "field satisfaction_rating.score is not good, bad, offered or unoffered: 'excellent'",
        ),
        (
            ticket(satisfaction_rating={"score": "bad", "updated_at": "2024-06-04 08:00:00"}),
            "satisfaction_rating.updated_at",
            "field satisfaction_rating.updated_at has no UTC offset, so its time is ambiguous:"
            " '2024-06-04 08:00:00'",
        ),
        ("not a ticket", None, "record is not a JSON object"),
    ],
)
def test_bad_ticket_is_rejected(warehouse, record, field_name, reason):
    warehouse.write(TICKETS_PAGE, tickets_page(ticket(100), record))

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 1
    [rejection] = warehouse.rejections("zendesk_tickets")
    assert rejection["source_file"] == TICKETS_PAGE
    assert rejection["source_position"] == 2
    assert rejection["field_name"] == field_name
    assert rejection["reason"] == reason
    assert json.loads(rejection["raw_text"]) == record


def test_rejected_ticket_adds_no_custom_fields(warehouse):
    warehouse.write(TICKETS_PAGE, tickets_page(ticket(created_at="2024-06-03T02:15:00")))

    load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert warehouse.rows("raw.zendesk_ticket_custom_fields") == []


@pytest.mark.parametrize(
    ("content", "field_name", "reason"),
    [
        (
            '{"tickets": [{"id": 1, "created_at": "2024-06-03T02:15:00Z"',
            None,
            # The text is 59 characters long, so the parser stops at column 60.
            "file is not valid JSON: it ends at line 1 column 60 before the document is complete",
        ),
        (
            '{"tickets": [{"id" 1}], "count": 1}',
            None,
            # '{"tickets": [{"id" ' is 19 characters, so the parser meets '1' at column 20.
            "file is not valid JSON: Expecting ':' delimiter at line 1 column 20",
        ),
        ("", None, "file is empty, expected a JSON object with a 'tickets' array"),
        ('{"users": []}', "tickets", "file has no 'tickets' array at the top level"),
        ("[]", None, "file is not a JSON object with a 'tickets' array"),
    ],
)
def test_bad_page_is_rejected_whole(warehouse, content, field_name, reason):
    warehouse.write(TICKETS_PAGE, tickets_page(ticket()))
    warehouse.write("crm/tickets/broken.json", content)

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 2
    assert result.rows_read == 2  # one ticket, plus the rejected file as a whole
    assert result.rows_loaded == 1
    assert warehouse.rejections("zendesk_tickets") == [
        {
            "source_kind": "zendesk_tickets",
            "source_file": "crm/tickets/broken.json",
            "source_position": 0,
            "field_name": field_name,
            "raw_text": content,
            "reason": reason,
        }
    ]


def test_trailing_comma_page_loads(warehouse):
    # DuckDB's JSON reader accepts trailing commas. The records are unambiguous, so they load.
    warehouse.write(TICKETS_PAGE, tickets_page(ticket())[:-1] + ",}")

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 0


def test_non_utf8_page_is_rejected_whole(warehouse):
    warehouse.write(TICKETS_PAGE, tickets_page(ticket()).encode("utf-16"))

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 0
    [rejection] = warehouse.rejections("zendesk_tickets")
    assert rejection["source_position"] == 0
    assert rejection["reason"].startswith("file is UTF-16 text")


def test_bom_page_loads(warehouse):
    warehouse.write(TICKETS_PAGE, "\ufeff" + tickets_page(ticket()).replace(", ", ",\r\n"))

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1


def test_empty_page_loads_nothing(warehouse):
    warehouse.write(TICKETS_PAGE, tickets_page())

    result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert result.rows_read == 0
    assert result.rows_rejected == 0


def test_ticket_rerun_gives_identical_rows(warehouse):
    warehouse.write(TICKETS_PAGE, tickets_page(ticket(), ticket(102), ticket("x")))
    warehouse.write("crm/tickets/broken.json", "{")
    first_result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)
    first_tickets = warehouse.rows("raw.zendesk_tickets")
    first_fields = warehouse.rows("raw.zendesk_ticket_custom_fields")
    first_rejections = warehouse.rejections("zendesk_tickets")

    second_result = load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert first_result.files_read == 2
    assert second_result.files_read == 0  # unchanged, so not read again
    assert second_result.files_unchanged == 2
    assert warehouse.rows("raw.zendesk_tickets") == first_tickets
    assert warehouse.rows("raw.zendesk_ticket_custom_fields") == first_fields
    assert warehouse.rejections("zendesk_tickets") == first_rejections


def test_removed_page_rows_disappear(warehouse):
    warehouse.write("crm/tickets/page-1.json", tickets_page(ticket()))
    second_page = warehouse.write("crm/tickets/page-2.json", tickets_page(ticket(102), ticket("x")))
    load_zendesk_tickets(warehouse.con, warehouse.landing_dir)
    second_page.unlink()

    load_zendesk_tickets(warehouse.con, warehouse.landing_dir)

    assert [row["ticket_id"] for row in warehouse.rows("raw.zendesk_tickets")] == [101]
    field_ticket_ids = {row["ticket_id"] for row in warehouse.rows("raw.zendesk_ticket_custom_fields")}
    assert field_ticket_ids == {101}
    assert warehouse.rejections("zendesk_tickets") == []


def comment(comment_id=1, **overrides) -> dict:
    """Return a comment object as the List Comments endpoint returns it."""
    record = {
        "id": comment_id,
        "type": "Comment",
        "author_id": 5001,
        "body": "Halo, saya ditagih dua kali.",
        "html_body": "<div><p>Halo, saya ditagih dua kali.</p></div>",
        "plain_body": "Halo, saya ditagih dua kali.",
        "public": True,
        "attachments": [],
        "audit_id": 8001,
        "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}},
        "created_at": "2024-06-03T02:15:00Z",
    }
    record.update(overrides)
    return record


def comments_page(ticket_id, *comments) -> str:
    return json.dumps(
        {"ticket_id": ticket_id, "comments": list(comments), "next_page": None, "count": len(comments)}
    )


def test_comment_fields_map_to_columns(warehouse):
    internal_note = comment(
        2, author_id=9001, public=False, body="Cek tagihan", created_at="2024-06-03T09:30:00+07:00"
    )
    warehouse.write("crm/ticket_comments/101.json", comments_page(101, comment(), internal_note))

    result = load_zendesk_ticket_comments(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    assert result.tables == ("raw.zendesk_ticket_comments",)
    assert warehouse.rows("raw.zendesk_ticket_comments") == [
        {
            "ticket_id": 101,
            "comment_id": 1,
            "author_id": 5001,
            "is_public": True,
            "body": "Halo, saya ditagih dua kali.",
            "created_at": datetime(2024, 6, 3, 2, 15),
            "via_channel": "web",
            "_source_file": "crm/ticket_comments/101.json",
            "_source_position": 1,
        },
        {
            "ticket_id": 101,
            "comment_id": 2,
            "author_id": 9001,
            "is_public": False,
            "body": "Cek tagihan",
            "created_at": datetime(2024, 6, 3, 2, 30),  # 09:30 at +07:00
            "via_channel": "web",
            "_source_file": "crm/ticket_comments/101.json",
            "_source_position": 2,
        },
    ]


@pytest.mark.parametrize(
    ("record", "field_name", "reason"),
    [
        (comment(None), "id", "field id is missing"),
        (comment(author_id="budi"), "author_id", "field author_id is not an integer: '\"budi\"'"),
        (comment(public="yes"), "public", "field public is not true or false: '\"yes\"'"),
        (
            comment(created_at="2024-06-03T02:15:00"),
            "created_at",
            "field created_at has no UTC offset, so its time is ambiguous: '2024-06-03T02:15:00'",
        ),
    ],
)
def test_bad_comment_is_rejected(warehouse, record, field_name, reason):
    warehouse.write("crm/ticket_comments/101.json", comments_page(101, comment(), record))

    result = load_zendesk_ticket_comments(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    [rejection] = warehouse.rejections("zendesk_ticket_comments")
    assert rejection["source_position"] == 2
    assert rejection["field_name"] == field_name
    assert rejection["reason"] == reason


@pytest.mark.parametrize(
    ("ticket_id", "reason"),
    [
        (None, "field ticket_id is missing"),
        ("101", "field ticket_id is not an integer: '\"101\"'"),
    ],
)
def test_page_without_ticket_id_is_rejected(warehouse, ticket_id, reason):
    content = comments_page(ticket_id, comment())
    warehouse.write("crm/ticket_comments/101.json", content)

    result = load_zendesk_ticket_comments(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 0
    assert warehouse.rejections("zendesk_ticket_comments") == [
        {
            "source_kind": "zendesk_ticket_comments",
            "source_file": "crm/ticket_comments/101.json",
            "source_position": 0,
            "field_name": "ticket_id",
            "raw_text": content,
            "reason": reason,
        }
    ]


def test_comment_rerun_and_removal(warehouse):
    warehouse.write("crm/ticket_comments/101.json", comments_page(101, comment()))
    second = warehouse.write("crm/ticket_comments/102.json", comments_page(102, comment(5), comment(None)))
    first_result = load_zendesk_ticket_comments(warehouse.con, warehouse.landing_dir)
    first_rows = warehouse.rows("raw.zendesk_ticket_comments")

    assert first_result.files_read == 2
    assert load_zendesk_ticket_comments(warehouse.con, warehouse.landing_dir).files_read == 0
    assert warehouse.rows("raw.zendesk_ticket_comments") == first_rows

    second.unlink()
    load_zendesk_ticket_comments(warehouse.con, warehouse.landing_dir)
    assert [row["ticket_id"] for row in warehouse.rows("raw.zendesk_ticket_comments")] == [101]
    assert warehouse.rejections("zendesk_ticket_comments") == []


def user(user_id=9001, **overrides) -> dict:
    """Return a user object as the Users endpoint returns it."""
    record = {
        "id": user_id,
        "url": f"https://example.zendesk.com/api/v2/users/{user_id}.json",
        "name": "Budi Santoso",
        "email": "budi@example.co.id",
        "created_at": "2023-01-09T01:00:00Z",
        "updated_at": "2024-06-01T00:00:00Z",
        "time_zone": "Jakarta",
        "iana_time_zone": "Asia/Jakarta",
        "phone": None,
        "locale": "id",
        "role": "agent",
        "active": True,
    }
    record.update(overrides)
    return record


def users_page(*users) -> str:
    return json.dumps({"users": list(users), "next_page": None, "previous_page": None, "count": len(users)})


def test_user_fields_map_to_columns(warehouse):
    customer = user(5001, name="Pelanggan", role="end-user", phone="+62 812-3456-7890", email=None)
    warehouse.write("crm/users/page-1.json", users_page(user(), customer))

    result = load_zendesk_users(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    assert warehouse.rows("raw.zendesk_users") == [
        {
            "user_id": 9001,
            "name": "Budi Santoso",
            "role": "agent",
            "phone": None,
            "email": "budi@example.co.id",
            "updated_at": datetime(2024, 6, 1, 0, 0),
            "_source_file": "crm/users/page-1.json",
            "_source_position": 1,
        },
        {
            "user_id": 5001,
            "name": "Pelanggan",
            "role": "end-user",
            "phone": "+62 812-3456-7890",
            "email": None,
            "updated_at": datetime(2024, 6, 1, 0, 0),
            "_source_file": "crm/users/page-1.json",
            "_source_position": 2,
        },
    ]


@pytest.mark.parametrize(
    ("record", "field_name", "reason"),
    [
        (user(None), "id", "field id is missing"),
        (user(1.5), "id", "field id is not an integer: '1.5'"),
        (
            user(updated_at="2024-06-01"),
            "updated_at",
            "field updated_at is not an ISO 8601 timestamp: '2024-06-01'",
        ),
    ],
)
def test_bad_user_is_rejected(warehouse, record, field_name, reason):
    warehouse.write("crm/users/page-1.json", users_page(user(), record))

    result = load_zendesk_users(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    [rejection] = warehouse.rejections("zendesk_users")
    assert rejection["source_position"] == 2
    assert rejection["field_name"] == field_name
    assert rejection["reason"] == reason


def test_user_rerun_and_removal(warehouse):
    warehouse.write("crm/users/page-1.json", users_page(user()))
    second = warehouse.write("crm/users/page-2.json", "{not json")
    first_result = load_zendesk_users(warehouse.con, warehouse.landing_dir)
    first_rows = warehouse.rows("raw.zendesk_users")

    assert first_result.files_read == 2
    assert load_zendesk_users(warehouse.con, warehouse.landing_dir).files_read == 0
    assert warehouse.rows("raw.zendesk_users") == first_rows

    second.unlink()
    result = load_zendesk_users(warehouse.con, warehouse.landing_dir)
    assert result.rows_rejected == 0
    assert warehouse.rejections("zendesk_users") == []


def test_absent_crm_folder_gives_empty_tables(warehouse):
    load_zendesk_tickets(warehouse.con, warehouse.landing_dir)
    load_zendesk_ticket_comments(warehouse.con, warehouse.landing_dir)
    load_zendesk_users(warehouse.con, warehouse.landing_dir)

    for table in (
        "raw.zendesk_tickets",
        "raw.zendesk_ticket_custom_fields",
        "raw.zendesk_ticket_comments",
        "raw.zendesk_users",
    ):
        assert warehouse.rows(table) == []
