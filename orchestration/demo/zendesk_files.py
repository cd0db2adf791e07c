"""Render the planned helpdesk as the Zendesk API returns it: user pages, export pages, comment pages.

Ticket pages follow the time-based Incremental Ticket Export (`/api/v2/incremental/tickets.json`):
up to 1000 tickets per page sorted by `generated_timestamp`, each at its state when the export ran,
and a `next_page` whose `start_time` is this page's `end_time`. Because that start time is
inclusive, the last tickets of a full page come again at the top of the next one, as Zendesk
documents for time-based exports. The export job runs every night at 01:00 Jakarta time, the
first time after the first day and the last time after the last day. Each run starts at the
`end_time` of the run before, so it repeats the last ticket of that run. Pages are numbered across
runs: `tickets-0001.json` and up. A ticket updated on several days therefore appears on
several pages with different `updated_at`, and a ticket solved, reopened and solved again on
different days shows each status in turn.

The same job then writes the List Comments page of every ticket as it is at that moment, and
rewrites it when the ticket has a new comment.

Voice tickets (`via.channel` `voice`) carry the call's Asterisk uniqueid in the custom field
360000000004. The Time Tracking app's total and last-update times are fields 360000000003 and
360000000005.

User pages follow the time-based Incremental User Export (`/api/v2/incremental/users.json`) in
the same way, filtered on `updated_at`. The first run fetches every user, and each later run the
users created or updated since, such as a customer who wrote a new ticket. They are numbered
across runs: `users-0001.json` and up.
"""

import html
import random
from dataclasses import dataclass

from orchestration.demo.calls import HOTLINE_NUMBER, Channel
from orchestration.demo.centre import AGENT_EMAIL_DOMAIN, BRAND_NAME, TEAMS_BY_NAME, Agent
from orchestration.demo.localtime import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, Period, format_utc_iso, local_epoch, parse_utc_iso
from orchestration.demo.people import Customer, format_phone
from orchestration.demo.tickets import HelpdeskPlan, PlannedComment, PlannedTicket, Rating

ZENDESK_API_URL = "https://example.zendesk.com/api/v2"
CATEGORY_FIELD_ID = 360_000_000_001
DISPOSITION_FIELD_ID = 360_000_000_002
# Fields of the Zendesk Time Tracking app, in seconds.
TIME_SPENT_FIELD_ID = 360_000_000_003
TIME_SPENT_LAST_UPDATE_FIELD_ID = 360_000_000_005
CALL_ID_FIELD_ID = 360_000_000_004
TICKET_FORM_ID = 360_000_100_001
BRAND_ID = 360_000_200_001
SUPPORT_ADDRESS = "bantuan@" + AGENT_EMAIL_DOMAIN
PREVIOUS_AGENT_EMAIL_DOMAIN = "contohnet.example"

EXPORT_PAGE_LIMIT = 1000
# The export job runs at 01:00 Jakarta time and fetches what changed up to then.
EXPORT_RUN_TIME = (1, 0)

FIRST_END_USER_ID = 383_000_000_000
FIRST_COMMENT_ID = 27_450_000_000_000
FIRST_RATING_ID = 44_100_000_000
SUPERVISORS = (("Hendra Gunawan", 380_900_000_101), ("Ratna Simanjuntak", 380_900_000_245))


@dataclass(frozen=True)
class ZendeskIds:
    """End-user ids by customer key. Comment and rating ids are set on the planned objects themselves."""

    end_user_ids: dict[int, int]


def assign_ids(rng: random.Random, plan: HelpdeskPlan) -> ZendeskIds:
    """Give end users, comments and ratings increasing ids in the order Zendesk created them."""
    end_user_ids: dict[int, int] = {}
    next_id = FIRST_END_USER_ID
    for customer_key, _ in sorted(plan.requester_created_at.items(), key=lambda item: (item[1], item[0])):
        next_id += rng.randint(1, 5000)
        end_user_ids[customer_key] = next_id

    comments = [(comment.at, ticket.ticket_id, index, comment) for ticket in plan.tickets for index, comment in enumerate(ticket.comments)]
    next_id = FIRST_COMMENT_ID
    for _, _, _, comment in sorted(comments, key=lambda item: item[:3]):
        next_id += rng.randint(1, 60)
        comment.comment_id = next_id

    next_id = FIRST_RATING_ID
    for rating in sorted(plan.ratings, key=lambda rating: rating.rated_at):
        next_id += rng.randint(1, 30)
        rating.assigned_id = next_id
    return ZendeskIds(end_user_ids)


def export_run_times(period: Period) -> list[int]:
    """Return when the export job ran: at 01:00 after each day of the period, the last run after its last day."""
    hour, minute = EXPORT_RUN_TIME
    return [period.start_at + day_number * SECONDS_PER_DAY + hour * SECONDS_PER_HOUR + minute * SECONDS_PER_MINUTE for day_number in range(1, period.day_count + 1)]


def format_html_body(body: str) -> str:
    paragraphs = [html.escape(paragraph).replace("\n", "<br>") for paragraph in body.split("\n\n")]
    return '<div class="zd-comment" dir="auto">' + "".join(f'<p dir="auto">{paragraph}</p>' for paragraph in paragraphs) + "</div>"


def via_source(ticket: PlannedTicket, channel: str) -> dict[str, object]:
    if channel == "voice":
        number = "+62" + ticket.requester.national_number
        return {
            "from": {"formatted_phone": format_phone(ticket.requester.national_number, "intl_spaced"), "phone": number, "name": ticket.requester.full_name},
            "to": {"formatted_phone": HOTLINE_NUMBER, "phone": HOTLINE_NUMBER},
            "rel": "inbound",
        }
    if channel == "email":
        requester = ticket.requester
        return {
            "from": {"address": requester_email(requester), "name": requester.full_name},
            "to": {"name": BRAND_NAME, "address": SUPPORT_ADDRESS},
            "rel": None,
        }
    if channel in ("whatsapp", "native_messaging"):
        return {"from": {"name": ticket.requester.full_name}, "to": {"name": f"{BRAND_NAME} Messaging"}, "rel": channel}
    return {"from": {}, "to": {}, "rel": None}


def requester_email(customer: Customer) -> str:
    """Return the address a customer writes from, or a webmail alias for customers without one on file."""
    if customer.email is not None:
        return customer.email
    return f"pelanggan{customer.customer_key}@example.net"


def author_id(comment: PlannedComment, ids: ZendeskIds) -> int:
    if isinstance(comment.author, Agent):
        return comment.author.zendesk_user_id_at(comment.at)
    return ids.end_user_ids[comment.author.customer_key]


def comment_json(ticket: PlannedTicket, comment: PlannedComment, ids: ZendeskIds) -> dict[str, object]:
    return {
        "id": comment.comment_id,
        "type": "Comment",
        "author_id": author_id(comment, ids),
        "body": comment.body,
        "html_body": format_html_body(comment.body),
        "plain_body": comment.body,
        "public": comment.is_public,
        "attachments": [],
        "via": {"channel": comment.channel, "source": via_source(ticket, comment.channel)},
        "created_at": format_utc_iso(comment.at),
        "metadata": {"system": {}, "custom": {}},
    }


def comment_page(ticket: PlannedTicket, ids: ZendeskIds, as_of: int) -> dict[str, object]:
    """Return the List Comments page of a ticket as the export job fetched it at `as_of`."""
    comments = [comment_json(ticket, comment, ids) for comment in ticket.comments if comment.at <= as_of]
    return {"ticket_id": ticket.ticket_id, "comments": comments, "next_page": None, "previous_page": None, "count": len(comments)}


def satisfaction_json(value: object) -> dict[str, object]:
    if isinstance(value, Rating):
        return {"id": value.rating_id, "score": value.score, "comment": value.comment, "reason": value.reason}
    return dict(value)  # type: ignore[call-overload]


def ticket_json(ticket: PlannedTicket, state: dict[str, object], ids: ZendeskIds) -> dict[str, object]:
    """Return a ticket object as the export returns it, at the given folded state."""
    requester_id = ids.end_user_ids[ticket.requester.customer_key]
    updated_at = int(state["updated_at"])  # type: ignore[call-overload]
    call_channel = state["call_channel"]
    call_id = call_channel.uniqueid if isinstance(call_channel, Channel) else None
    custom_fields = [
        {"id": CATEGORY_FIELD_ID, "value": state["category"]},
        {"id": DISPOSITION_FIELD_ID, "value": state["disposition"]},
        {"id": TIME_SPENT_FIELD_ID, "value": state["time_spent_seconds"]},
        {"id": CALL_ID_FIELD_ID, "value": call_id},
        {"id": TIME_SPENT_LAST_UPDATE_FIELD_ID, "value": state["time_spent_last_update_seconds"]},
    ]
    submitter_id = ticket.submitter.zendesk_user_id_at(ticket.created_at) if ticket.submitter is not None else requester_id
    return {
        "url": f"{ZENDESK_API_URL}/tickets/{ticket.ticket_id}.json",
        "id": ticket.ticket_id,
        "external_id": None,
        "via": {"channel": ticket.channel, "source": via_source(ticket, ticket.channel)},
        "created_at": format_utc_iso(ticket.created_at),
        "updated_at": format_utc_iso(updated_at),
        "generated_timestamp": updated_at,
        "type": ticket.ticket_type,
        "subject": ticket.subject,
        "raw_subject": ticket.subject,
        "description": ticket.comments[0].body,
        "priority": ticket.priority,
        "status": state["status"],
        "recipient": SUPPORT_ADDRESS if ticket.channel == "email" else None,
        "requester_id": requester_id,
        "submitter_id": submitter_id,
        "assignee_id": state["assignee_id"],
        "organization_id": None,
        "group_id": state["group_id"],
        "collaborator_ids": [],
        "follower_ids": [],
        "email_cc_ids": [],
        "forum_topic_id": None,
        "problem_id": None,
        "has_incidents": False,
        "is_public": True,
        "due_at": None,
        "tags": state["tags"],
        "custom_fields": custom_fields,
        "satisfaction_rating": satisfaction_json(state["satisfaction"]),
        "sharing_agreement_ids": [],
        "fields": custom_fields,
        "followup_ids": [],
        "ticket_form_id": TICKET_FORM_ID,
        "brand_id": BRAND_ID,
        "allow_channelback": ticket.channel in ("whatsapp", "native_messaging"),
        "allow_attachments": True,
        "from_messaging_channel": ticket.channel in ("whatsapp", "native_messaging"),
    }


def build_export_pages(tickets: list[PlannedTicket], ids: ZendeskIds, period: Period, run_times: list[int]) -> list[list[dict[str, object]]]:
    """Return the ticket export pages of each run, in the order the runs fetched them.

    The first run starts at the start of the period. Each later run starts at the `end_time` of
    the run before, as the API documents, so the ticket stamped with that time is exported again.
    """
    runs: list[list[dict[str, object]]] = []
    start_time = period.start_at
    for run_at in run_times:
        items = []
        for ticket in tickets:
            state = ticket.state_at(run_at)
            if state and int(state["updated_at"]) >= start_time:  # type: ignore[call-overload]
                items.append((int(state["updated_at"]), ticket.ticket_id, ticket_json(ticket, state, ids)))  # type: ignore[call-overload]
        pages = page_through(items, start_time, "tickets")
        runs.append(pages)
        start_time = int(pages[-1]["end_time"])  # type: ignore[call-overload]
    return runs


def build_user_export_pages(users_by_run: list[list[dict[str, object]]]) -> list[list[dict[str, object]]]:
    """Return the Incremental User Export pages of each run, given the users as they stood at each run.

    The first run fetches every user from start_time 0, and each later run the users updated since
    the `end_time` of the run before.
    """
    runs: list[list[dict[str, object]]] = []
    start_time = 0
    for users in users_by_run:
        items = [(parse_utc_iso(str(user["updated_at"])), int(user["id"]), user) for user in users]  # type: ignore[call-overload]
        pages = page_through([item for item in items if item[0] >= start_time], start_time, "users")
        runs.append(pages)
        start_time = int(pages[-1]["end_time"])  # type: ignore[call-overload]
    return runs


def page_through(items: list[tuple[int, int, dict[str, object]]], start_time: int, resource: str) -> list[dict[str, object]]:
    """Split one run of a time-based incremental export into pages.

    `items` are (timestamp the API filters on, id, object). Each next page starts at the previous
    page's `end_time`, inclusive, so it repeats the items stamped with that time.
    """
    ordered = sorted(items, key=lambda item: item[:2])
    pages: list[dict[str, object]] = []
    while True:
        page_items = [item for item in ordered if item[0] >= start_time][:EXPORT_PAGE_LIMIT]
        is_end_of_stream = len(page_items) < EXPORT_PAGE_LIMIT
        end_time = page_items[-1][0] if page_items else start_time
        if not is_end_of_stream and end_time == start_time:
            raise ValueError(f"more than {EXPORT_PAGE_LIMIT} {resource} share the timestamp {start_time}, so the time-based export cannot page past them")
        pages.append(
            {
                resource: [item[2] for item in page_items],
                "next_page": f"{ZENDESK_API_URL}/incremental/{resource}.json?start_time={end_time}",
                "count": len(page_items),
                "end_of_stream": is_end_of_stream,
                "end_time": end_time,
            }
        )
        if is_end_of_stream:
            return pages
        start_time = end_time


def agent_users(agents: list[Agent], period: Period, as_of: int) -> list[dict[str, object]]:
    """Return the Zendesk users of the agents (one or two accounts each) and the two supervisors, as they stood at `as_of`.

    Profiles were last edited before the period, except where an agent moved to a second account.
    """
    users: list[dict[str, object]] = []
    for agent in agents:
        team = TEAMS_BY_NAME[agent.team]
        created_at = local_epoch(agent.hire_date, 9, 0, agent.site_timezone)
        for account_index, user_id in enumerate(agent.zendesk_user_ids):
            email = agent.email
            account_created_at = created_at
            updated_at = period.start_at - SECONDS_PER_DAY
            is_replaced = False
            # An agent with two accounts moved to the second on the switch date, and the first was suspended then.
            if agent.zendesk_switch_date is not None:
                switched_at = local_epoch(agent.zendesk_switch_date, 8, 0, agent.site_timezone)
                if account_index == 0:
                    email = email.replace(AGENT_EMAIL_DOMAIN, PREVIOUS_AGENT_EMAIL_DOMAIN)
                    is_replaced = switched_at <= as_of
                    updated_at = switched_at if is_replaced else updated_at
                else:
                    account_created_at = switched_at - SECONDS_PER_DAY
            if account_created_at > as_of:
                continue
            users.append(
                user_json(
                    user_id=user_id,
                    name=agent.full_name,
                    role="agent",
                    email=email,
                    phone=None,
                    created_at=account_created_at,
                    updated_at=max(account_created_at, updated_at),
                    time_zone=agent.site_timezone,
                    default_group_id=team.zendesk_group_id,
                    is_suspended=is_replaced,
                )
            )
    for name, user_id in SUPERVISORS:
        created_at = period.start_at - 900 * SECONDS_PER_DAY
        users.append(
            user_json(
                user_id=user_id,
                name=name,
                role="admin",
                email=".".join(name.lower().split(" ")) + "@" + AGENT_EMAIL_DOMAIN,
                phone=None,
                created_at=created_at,
                updated_at=period.start_at - 2 * SECONDS_PER_DAY,
                time_zone="Asia/Jakarta",
                default_group_id=None,
                is_suspended=False,
            )
        )
    return users


def end_users(rng: random.Random, plan: HelpdeskPlan, ids: ZendeskIds, as_of: int) -> list[dict[str, object]]:
    """Return a Zendesk end user per ticket requester created by `as_of`, with phone and e-mail as the customer gave them.

    Every requester of the simulation gets its random draws, so a user is the same in every
    export except for `updated_at`, which is when the requester's latest ticket by `as_of` was created.

    Customers who also called have their phone in a written form (spaces, dashes), never the
    digits-only form of a caller id, so matching them to calls needs normalisation.
    """
    channels_by_customer: dict[int, list[str]] = {}
    last_ticket_at: dict[int, int] = {}
    customers: dict[int, Customer] = {}
    for ticket in plan.tickets:
        key = ticket.requester.customer_key
        customers[key] = ticket.requester
        channels_by_customer.setdefault(key, []).append(ticket.channel)
        if ticket.created_at <= as_of:
            last_ticket_at[key] = max(last_ticket_at.get(key, 0), ticket.created_at)

    users: list[dict[str, object]] = []
    for key in sorted(customers):
        customer = customers[key]
        channels = channels_by_customer[key]
        if key in plan.voice_linked_customer_keys:
            phone: str | None = format_phone(customer.national_number, rng.choice(("intl_spaced", "local_dashed", "local_spaced")))
        elif "whatsapp" in channels or "native_messaging" in channels:
            phone = format_phone(customer.national_number, rng.choice(("e164", "e164", "intl_spaced")))
        elif rng.random() < 0.45:
            phone = format_phone(customer.national_number, rng.choice(("local", "local_dashed", "intl_spaced", "e164")))
        else:
            phone = None
        if "email" in channels:
            email = requester_email(customer)
        elif rng.random() < 0.4:
            email = customer.email
        else:
            email = None
        name = customer.full_name.lower() if "whatsapp" in channels and rng.random() < 0.1 else customer.full_name
        created_at = plan.requester_created_at[key]
        if created_at > as_of:
            continue
        users.append(
            user_json(
                user_id=ids.end_user_ids[key],
                name=name,
                role="end-user",
                email=email,
                phone=phone,
                created_at=created_at,
                updated_at=max(created_at, last_ticket_at.get(key, 0)),
                time_zone="Asia/Jakarta",
                default_group_id=None,
                is_suspended=False,
            )
        )
    return users


def user_json(
    user_id: int,
    name: str,
    role: str,
    email: str | None,
    phone: str | None,
    created_at: int,
    updated_at: int,
    time_zone: str,
    default_group_id: int | None,
    is_suspended: bool,
) -> dict[str, object]:
    return {
        "id": user_id,
        "url": f"{ZENDESK_API_URL}/users/{user_id}.json",
        "name": name,
        "email": email,
        "created_at": format_utc_iso(created_at),
        "updated_at": format_utc_iso(updated_at),
        "time_zone": time_zone.split("/")[-1],
        "iana_time_zone": time_zone,
        "phone": phone,
        "shared_phone_number": None if phone is None else False,
        "photo": None,
        "locale": "id",
        "organization_id": None,
        "role": role,
        "verified": email is not None,
        "external_id": None,
        "tags": [],
        "active": True,
        "suspended": is_suspended,
        "default_group_id": default_group_id,
        "user_fields": {},
    }
