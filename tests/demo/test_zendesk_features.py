"""Tests that the demo's Zendesk exports have the ticket features the warehouse must handle.

Tickets written before a public holiday, reopened tickets, tickets with only private notes,
internal resolution notes, voice tickets with and without the call id, placeholder field values,
priorities, and personal data in customers' texts.
"""

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from orchestration.demo import texts
from orchestration.demo.generate import DEFAULT_DAY_COUNT, DEFAULT_START_DATE, GenerationSummary
from orchestration.demo.localtime import PUBLIC_HOLIDAYS, Period
from orchestration.demo.people import Customer

from .landing_readers import custom_field, queue_log_records, read_comment_pages, read_ticket_pages, read_users

WIB = timezone(timedelta(hours=7))
CATEGORY_FIELD_ID = 360000000001
DISPOSITION_FIELD_ID = 360000000002
CALL_ID_FIELD_ID = 360000000004
PLACEHOLDERS = {"-", "n/a", "null"}
PHONE_PATTERN = r"\b08\d{2}-\d{4}-\d{3,4}\b"
EMAIL_PATTERN = r"\b[\w.]+@example\.(com|net|org)\b"
NIK_PATTERN = r"\b\d{16}\b"
CARD_PATTERN = r"\b(4111[ -]?1111[ -]?1111[ -]?1111|5555 5555 5555 4444)\b"


def latest_tickets(landing_dir: Path) -> dict[int, dict]:
    return {ticket["id"]: ticket for page in read_ticket_pages(landing_dir) for ticket in page["tickets"]}


def created_local(ticket: dict) -> datetime:
    return datetime.fromisoformat(ticket["created_at"].replace("Z", "+00:00")).astimezone(WIB)


def agent_comments(landing_dir: Path) -> dict[int, list[dict]]:
    """Return each ticket's comments by agents and admins after the opening comment."""
    users = read_users(landing_dir)
    return {page["ticket_id"]: [comment for comment in page["comments"][1:] if users[comment["author_id"]]["role"] != "end-user"] for page in read_comment_pages(landing_dir)}


def test_default_period_spans_holiday_weekend() -> None:
    period = Period(DEFAULT_START_DATE, DEFAULT_DAY_COUNT)

    assert date(2026, 8, 14).weekday() == 4
    assert date(2026, 8, 17) in PUBLIC_HOLIDAYS
    assert period.start_date <= date(2026, 8, 14)
    assert date(2026, 8, 17) <= period.last_date


def test_public_holidays_match_package() -> None:
    holidays = pytest.importorskip("holidays", reason="install the `holidays` package to compare the demo's 2026 holidays with it")

    listed = holidays.country_holidays("ID", years=2026, categories=("public", "government"), language="id")

    assert dict(sorted(listed.items())) == PUBLIC_HOLIDAYS


def test_tickets_written_before_holiday_weekend(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    tickets = latest_tickets(landing_dir).values()
    friday_evening = [ticket for ticket in tickets if created_local(ticket).date() == date(2026, 8, 14) and created_local(ticket).hour >= 17]
    per_day = {day: sum(1 for ticket in tickets if created_local(ticket).date() == day and ticket["via"]["channel"] != "voice") for day in (date(2026, 8, 17), date(2026, 8, 18))}

    assert len(friday_evening) >= 10
    assert {ticket["via"]["channel"] for ticket in friday_evening} > {"whatsapp"}
    # Customers write on Independence Day as little as on a Sunday.
    assert per_day[date(2026, 8, 17)] < per_day[date(2026, 8, 18)]


def test_reopened_tickets_show_each_status(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    statuses: dict[int, list[str]] = {}
    for page in read_ticket_pages(landing_dir):
        for ticket in page["tickets"]:
            versions = statuses.setdefault(ticket["id"], [])
            if not versions or versions[-1] != ticket["status"]:
                versions.append(ticket["status"])

    reopened = [versions for versions in statuses.values() if re.search(r"solved,(open|pending|new),.*solved", ",".join(versions))]
    assert reopened


def test_some_tickets_have_only_private_notes(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    tickets = latest_tickets(landing_dir)
    private_only = [ticket_id for ticket_id, comments in agent_comments(landing_dir).items() if comments and not any(comment["public"] for comment in comments)]

    # Phone follow-ups of messaging tickets, besides the voice tickets.
    assert any(tickets[ticket_id]["via"]["channel"] != "voice" for ticket_id in private_only)
    assert any(tickets[ticket_id]["via"]["channel"] == "voice" for ticket_id in private_only)


def test_most_solved_tickets_have_notes(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    tickets = latest_tickets(landing_dir)
    comments = agent_comments(landing_dir)
    solved = [ticket_id for ticket_id, ticket in tickets.items() if ticket["status"] in ("solved", "closed")]
    notes = {ticket_id: [comment["body"] for comment in comments[ticket_id] if not comment["public"]] for ticket_id in solved}

    with_note = [ticket_id for ticket_id in solved if any(body.startswith("Catatan penyelesaian:") for body in notes[ticket_id])]
    with_placeholder = [ticket_id for ticket_id in solved if any(body in PLACEHOLDERS for body in notes[ticket_id])]
    without_any = [ticket_id for ticket_id in solved if not notes[ticket_id]]
    assert 0.6 < len(with_note) / len(solved) < 0.9
    assert with_placeholder
    assert without_any


def test_voice_tickets_carry_call_ids(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    tickets = latest_tickets(landing_dir).values()
    users = read_users(landing_dir)
    call_ids = {record[1] for record in queue_log_records(landing_dir) if record[4] == "ENTERQUEUE"}
    voice = [ticket for ticket in tickets if ticket["via"]["channel"] == "voice"]
    with_call_id = [ticket for ticket in voice if custom_field(ticket, CALL_ID_FIELD_ID) is not None]

    assert voice
    assert 0 < len(voice) - len(with_call_id) < len(voice) / 4
    assert {custom_field(ticket, CALL_ID_FIELD_ID) for ticket in with_call_id} <= call_ids
    assert all(users[ticket["submitter_id"]]["role"] == "agent" for ticket in voice)
    assert all(custom_field(ticket, CALL_ID_FIELD_ID) is None for ticket in tickets if ticket["via"]["channel"] != "voice")


def test_fields_hold_placeholder_values(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    solved = [ticket for ticket in latest_tickets(landing_dir).values() if ticket["status"] in ("solved", "closed")]
    categories = [custom_field(ticket, CATEGORY_FIELD_ID) for ticket in solved]
    dispositions = [custom_field(ticket, DISPOSITION_FIELD_ID) for ticket in solved]

    assert {value for value in categories if value in PLACEHOLDERS} == PLACEHOLDERS
    assert {value for value in dispositions if value in PLACEHOLDERS} == PLACEHOLDERS
    assert None in categories
    assert any(isinstance(value, str) and value.strip() == "" for value in dispositions)


def test_every_ticket_has_priority(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    priorities = {ticket["priority"] for page in read_ticket_pages(landing_dir) for ticket in page["tickets"]}

    assert priorities == {"low", "normal", "high", "urgent"}


def test_texts_contain_personal_data(fortnight_landing: tuple[Path, GenerationSummary]) -> None:
    landing_dir, _ = fortnight_landing
    bodies = [comment["body"] for page in read_comment_pages(landing_dir) for comment in page["comments"]]
    subjects = [ticket["subject"] for ticket in latest_tickets(landing_dir).values()]

    for pattern in (PHONE_PATTERN, EMAIL_PATTERN, NIK_PATTERN, CARD_PATTERN):
        assert any(re.search(pattern, body) for body in bodies), pattern
    assert any(re.search(PHONE_PATTERN, subject) or re.search(CARD_PATTERN, subject) for subject in subjects)


def test_nik_follows_the_layout() -> None:
    customer = Customer(3, "Siti Rahayu", "81234567890", None, "Makassar", "1234567890", "Paket Rumah 30 Mbps")

    nik = texts.draw_nik(customer)

    assert re.fullmatch(r"\d{16}", nik)
    assert nik.startswith("7371")
    birth_day = int(nik[6:8])
    assert 1 <= birth_day <= 28 or 41 <= birth_day <= 68
    assert texts.draw_nik(customer) == nik
