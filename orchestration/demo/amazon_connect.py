"""Simulate the ContohNet Bali hotline on Amazon Connect and render its contact records as a Firehose stream delivers them.

The centre's smaller second site, in Denpasar (WITA), answers the Bali hotline on Amazon Connect
with the five Layanan Umum agents of `centre.AMAZON_CONNECT_AGENT_COUNT`. The roster lists each
one's Connect user name (`putu.wirawan`) as their telephony id. The hotline opens Monday to
Saturday from 08:00 to 17:00 local time and closes on Sundays and public holidays. Four agents work
on a weekday (each has one weekday off in turn) and two on a Saturday. About 60 customers call on
a weekday and 30 on a Saturday, into two queues: `Bali-Umum` (80%) and `Bali-Teknis`. A caller
waits for the agent who becomes free first and hangs up when their patience runs out.

Contact records follow the Amazon Connect contact record data model (format version 2017-03-10):
- An answered contact has an `Agent` with its talk time (`AgentInteractionDuration`, without
  hold), customer hold (`CustomerHoldDuration`, `NumberOfHolds` for about a quarter of contacts)
  and after-contact work (15 to 120 s). An abandoned contact has `Agent` null.
- An agent misses about a tenth of the offers Connect makes: the offer rings for
  `OFFER_RING_SECONDS` unaccepted and the contact is offered to the next agent, at most
  `MAX_MISSED_OFFERS` times per record. `AgentConnectionAttempts` counts every offer, the
  answered one included, so most answered records have 1, some 2 and a few 3. About 2% of
  callers hang up while the offer that would have been accepted still rings. An abandoned
  record counts the offers made before the caller hung up, and 0 when no agent was free before
  then. The record does not name the agents who missed an offer, and the simulation does not
  choose them either.
- A transfer ends the agent's contact and starts a new one: about 7% of answered `Bali-Umum`
  contacts go to `Bali-Teknis`, and a tenth of those come back to `Bali-Umum` once more. The new
  record has `InitiationMethod` TRANSFER and points to the first contact with `InitialContactId`
  and to the one before with `PreviousContactId`. The earlier record's `NextContactId` points to
  it, and its `DisconnectTimestamp` is the moment of the transfer.
- Connect publishes a record again when a contact attribute changes after the contact: for about
  6% of answered contacts the post-call survey flow stores the customer's score a few minutes
  later, so the stream carries an earlier version without it and a later one, with a newer
  `LastUpdateTimestamp`.
- Firehose delivers at least once: about 2% of records arrive a second time, unchanged, up to
  ten minutes later.

The stream's S3 prefix is dated in Asia/Jakarta, and a nightly job copies the objects of each
day into one file, `telephony/amazon_connect/contohnet-ctr-YYYY-MM-DD.json`, one JSON object per
line in delivery order. The hotline closes at 16:00 Jakarta time, so every day's file is complete
when it is copied.
"""

import heapq
import json
import math
import random
import uuid
from dataclasses import dataclass
from datetime import date

from orchestration.demo.centre import Agent
from orchestration.demo.localtime import CENTRE_TIMEZONE, PUBLIC_HOLIDAYS, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, Period, format_utc_iso, local_date, local_epoch
from orchestration.demo.people import Customer, CustomerPool

SITE_TIMEZONE = "Asia/Makassar"
QUEUES = ("Bali-Umum", "Bali-Teknis")
QUEUE_WEIGHTS = (80, 20)
ROUTING_PROFILE_NAME = "Bali-Layanan"
OPENING_HOURS = (8, 17)
LUNCH_HOURS = (12, 13)
WEEKDAY_CONTACT_RANGE = (55, 70)
SATURDAY_CONTACT_RANGE = (25, 35)
SATURDAY_AGENT_COUNT = 2
TALK_MEDIAN_SECONDS = 210
TALK_LOG_SIGMA = 0.5
HOLD_RATE = 0.25
ACW_SECONDS_RANGE = (15, 120)
TRANSFER_RATE = 0.07
TRANSFER_BACK_RATE = 0.1
AGENT_DISCONNECT_RATE = 0.4
UPDATED_RECORD_RATE = 0.06
# NOTE: these rates and the ring time are the demo's assumptions, not measured on a Connect
# instance.
MISSED_OFFER_RATE = 0.1
OFFER_RING_SECONDS = 20
MAX_MISSED_OFFERS = 2
HANG_UP_WHILE_RINGING_RATE = 0.02
DUPLICATE_DELIVERY_RATE = 0.02

AWS_REGION = "ap-southeast-1"
# The example account id AWS uses in its documentation.
AWS_ACCOUNT_ID = "111122223333"
RECORD_FORMAT_VERSION = "2017-03-10"
HOTLINE_ADDRESS = "+623614700100"


@dataclass(eq=False)
class ConnectContact:
    """One contact record's content. `agent` is None for a contact no agent answered."""

    contact_id: str
    initial_contact_id: str | None
    previous_contact_id: str | None
    initiation_method: str
    initiation_at: int
    queue: str
    enqueued_at: int
    dequeued_at: int
    customer: Customer
    disconnect_at: int
    disconnect_reason: str
    agent: Agent | None = None
    connected_at: int | None = None
    interaction_seconds: int = 0
    hold_seconds: int = 0
    hold_count: int = 0
    longest_hold_seconds: int = 0
    acw_started_at: int | None = None
    acw_ended_at: int | None = None
    next_contact_id: str | None = None
    survey_score: str | None = None
    agent_connection_attempts: int = 0

    @property
    def published_at(self) -> int:
        """When Connect published the record: after the agent's after-contact work, or at disconnect."""
        return (self.acw_ended_at if self.acw_ended_at is not None else self.disconnect_at) + 5


@dataclass
class ConnectIdentifiers:
    """ARNs of the Connect instance, its queues, its agents and the routing profile."""

    instance_arn: str
    queue_arns: dict[str, str]
    agent_arns: dict[str, str]
    routing_profile_arn: str


def draw_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def draw_identifiers(rng: random.Random, agents: list[Agent]) -> ConnectIdentifiers:
    instance_arn = f"arn:aws:connect:{AWS_REGION}:{AWS_ACCOUNT_ID}:instance/{draw_uuid(rng)}"
    return ConnectIdentifiers(
        instance_arn=instance_arn,
        queue_arns={queue: f"{instance_arn}/queue/{draw_uuid(rng)}" for queue in QUEUES},
        agent_arns={agent.agent_id: f"{instance_arn}/agent/{draw_uuid(rng)}" for agent in agents},
        routing_profile_arn=f"{instance_arn}/routing-profile/{draw_uuid(rng)}",
    )


def working_agents(agents: list[Agent], day: date) -> list[Agent]:
    """Return who works on a day: nobody on Sundays and holidays, two on Saturdays, all but one on weekdays."""
    if day.weekday() == 6 or day in PUBLIC_HOLIDAYS:
        return []
    ordinal = day.toordinal()
    if day.weekday() == 5:
        return [agents[(ordinal + offset) % len(agents)] for offset in range(SATURDAY_AGENT_COUNT)]
    day_off = agents[ordinal % len(agents)]
    return [agent for agent in agents if agent is not day_off]


@dataclass
class AgentShift:
    agent: Agent
    lunch_start_at: int
    lunch_end_at: int
    free_at: int

    def available_at(self, at: int) -> int:
        ready = max(at, self.free_at)
        if self.lunch_start_at <= ready < self.lunch_end_at:
            return self.lunch_end_at
        return ready


def draw_missed_offer_count(rng: random.Random) -> int:
    """Draw how many offers of a contact ring out before one is accepted: 0 mostly, rarely `MAX_MISSED_OFFERS`."""
    missed_offer_count = 0
    while missed_offer_count < MAX_MISSED_OFFERS and rng.random() < MISSED_OFFER_RATE:
        missed_offer_count += 1
    return missed_offer_count


def offers_before(first_offer_at: int, offer_count: int, hang_up_at: int) -> int:
    """Count the offers, made `OFFER_RING_SECONDS` apart from `first_offer_at`, that started before the caller hung up."""
    return sum(1 for index in range(offer_count) if first_offer_at + index * OFFER_RING_SECONDS < hang_up_at)


def transfer_rate(queue: str, previous: ConnectContact | None) -> float:
    """Return the chance that an answered contact is transferred: from `Bali-Umum` first, back once, never a third time."""
    if previous is None:
        return TRANSFER_RATE if queue == QUEUES[0] else 0.0
    if previous.previous_contact_id is None:
        return TRANSFER_BACK_RATE
    return 0.0


class BaliHotline:
    """Runs the contacts of one day through the two queues in time order."""

    def __init__(self, rng: random.Random, customers: CustomerPool, shifts: list[AgentShift], closing_at: int) -> None:
        self.rng = rng
        self.customers = customers
        self.shifts = shifts
        self.closing_at = closing_at
        self.contacts: list[ConnectContact] = []

    def run(self, arrivals: list[tuple[int, str]]) -> list[ConnectContact]:
        rng = self.rng
        # Entries as (enqueue time, order, queue, contact transferred from or None).
        entries: list[tuple[int, int, str, ConnectContact | None]] = [(at, order, queue, None) for order, (at, queue) in enumerate(arrivals)]
        heapq.heapify(entries)
        order = len(entries)
        while entries:
            enqueued_at, _, queue, previous = heapq.heappop(entries)
            contact = self.enqueue(enqueued_at, queue, previous)
            if contact.agent is not None and contact.next_contact_id is not None:
                target_queue = QUEUES[1] if contact.queue == QUEUES[0] else QUEUES[0]
                heapq.heappush(entries, (contact.disconnect_at + rng.randint(1, 3), order, target_queue, contact))
                order += 1
        return self.contacts

    def enqueue(self, enqueued_at: int, queue: str, previous: ConnectContact | None) -> ConnectContact:
        rng = self.rng
        if previous is None:
            contact_id = draw_uuid(rng)
            customer = self.customers.new_customer()
            initiation_at = enqueued_at - rng.randint(10, 40)
            initial_contact_id, method = None, "INBOUND"
        else:
            if previous.next_contact_id is None:
                raise ValueError(f"contact {previous.contact_id} was not transferred, so no contact continues it")
            contact_id = previous.next_contact_id
            customer = previous.customer
            initiation_at = previous.disconnect_at
            initial_contact_id, method = previous.initial_contact_id or previous.contact_id, "TRANSFER"
        patience_seconds = 20 + int(rng.expovariate(1 / 120))
        candidates = [shift for shift in self.shifts if previous is None or shift.agent is not previous.agent]
        shift = min(candidates, key=lambda shift: (shift.available_at(enqueued_at), shift.agent.agent_id))
        available_at = shift.available_at(enqueued_at)
        missed_offer_count = draw_missed_offer_count(rng)
        answered_offer_at = available_at + missed_offer_count * OFFER_RING_SECONDS
        hang_up_at = enqueued_at + patience_seconds
        hangs_up_while_ringing = answered_offer_at < hang_up_at and rng.random() < HANG_UP_WHILE_RINGING_RATE
        if hangs_up_while_ringing:
            # before the agent accepts, which `answer` makes 3 s after the offer at the earliest
            hang_up_at = answered_offer_at + rng.randint(1, 2)
        contact = ConnectContact(
            contact_id=contact_id,
            initial_contact_id=initial_contact_id,
            previous_contact_id=previous.contact_id if previous is not None else None,
            initiation_method=method,
            initiation_at=initiation_at,
            queue=queue,
            enqueued_at=enqueued_at,
            dequeued_at=hang_up_at,
            customer=customer,
            disconnect_at=hang_up_at,
            disconnect_reason="CUSTOMER_DISCONNECT",
        )
        self.contacts.append(contact)
        if available_at >= self.closing_at + SECONDS_PER_HOUR:
            return contact
        if hangs_up_while_ringing or answered_offer_at >= hang_up_at:
            contact.agent_connection_attempts = offers_before(available_at, missed_offer_count + 1, hang_up_at)
            return contact
        contact.agent_connection_attempts = missed_offer_count + 1
        self.answer(contact, shift, answered_offer_at, previous)
        return contact

    def answer(self, contact: ConnectContact, shift: AgentShift, offered_at: int, previous: ConnectContact | None) -> None:
        rng = self.rng
        contact.agent = shift.agent
        contact.dequeued_at = offered_at + rng.randint(1, 3)
        contact.connected_at = contact.dequeued_at + rng.randint(2, 6)
        contact.interaction_seconds = max(20, int(TALK_MEDIAN_SECONDS * shift.agent.talk_time_factor * math.exp(rng.gauss(0, TALK_LOG_SIGMA))))
        if rng.random() < HOLD_RATE:
            holds = [rng.randint(15, 90) for _ in range(rng.choice((1, 1, 2)))]
            contact.hold_count, contact.hold_seconds, contact.longest_hold_seconds = len(holds), sum(holds), max(holds)
        contact.disconnect_at = contact.connected_at + contact.interaction_seconds + contact.hold_seconds
        contact.disconnect_reason = "AGENT_DISCONNECT" if rng.random() < AGENT_DISCONNECT_RATE else "CUSTOMER_DISCONNECT"
        if rng.random() < transfer_rate(contact.queue, previous):
            contact.next_contact_id = draw_uuid(rng)
            # NOTE: AGENT_DISCONNECT on a record the agent transferred is an assumption, not checked
            # against real Connect records. Readers should rely on NextContactId for transfers.
            contact.disconnect_reason = "AGENT_DISCONNECT"
        contact.acw_started_at = contact.disconnect_at
        contact.acw_ended_at = contact.disconnect_at + rng.randint(*ACW_SECONDS_RANGE)
        shift.free_at = contact.acw_ended_at
        if rng.random() < UPDATED_RECORD_RATE:
            contact.survey_score = str(rng.randint(1, 5))


def draw_arrivals(rng: random.Random, day: date) -> list[tuple[int, str]]:
    count_range = SATURDAY_CONTACT_RANGE if day.weekday() == 5 else WEEKDAY_CONTACT_RANGE
    open_hour, close_hour = OPENING_HOURS
    arrivals = []
    for _ in range(rng.randint(*count_range)):
        hour = rng.randint(open_hour, close_hour - 1)
        arrivals.append((local_epoch(day, hour, 0, SITE_TIMEZONE) + rng.randrange(SECONDS_PER_HOUR), rng.choices(QUEUES, weights=QUEUE_WEIGHTS)[0]))
    return sorted(arrivals)


def simulate_bali_hotline(rng: random.Random, agents: list[Agent], customers: CustomerPool, period: Period) -> list[ConnectContact]:
    """Simulate every day of the period and return the contacts in the order they were enqueued."""
    connect_agents = [agent for agent in agents if agent.connect_username is not None]
    contacts: list[ConnectContact] = []
    for day in period.dates:
        working = [agent for agent in working_agents(connect_agents, day) if agent.hire_date <= day]
        if not working:
            continue
        open_hour, close_hour = OPENING_HOURS
        shifts = []
        for index, agent in enumerate(working):
            lunch_hour = LUNCH_HOURS[index % len(LUNCH_HOURS)]
            lunch_start_at = local_epoch(day, lunch_hour, 0, SITE_TIMEZONE)
            shifts.append(AgentShift(agent, lunch_start_at, lunch_start_at + SECONDS_PER_HOUR, local_epoch(day, open_hour, 0, SITE_TIMEZONE) - 5 * SECONDS_PER_MINUTE))
        hotline = BaliHotline(rng, customers, shifts, local_epoch(day, close_hour, 0, SITE_TIMEZONE))
        contacts.extend(hotline.run(draw_arrivals(rng, day)))
    return contacts


def agent_json(contact: ConnectContact, ids: ConnectIdentifiers) -> dict[str, object] | None:
    agent = contact.agent
    if agent is None or contact.connected_at is None or contact.acw_started_at is None or contact.acw_ended_at is None:
        return None
    return {
        "ARN": ids.agent_arns[agent.agent_id],
        "AfterContactWorkDuration": contact.acw_ended_at - contact.acw_started_at,
        "AfterContactWorkEndTimestamp": format_utc_iso(contact.acw_ended_at),
        "AfterContactWorkStartTimestamp": format_utc_iso(contact.acw_started_at),
        "AgentInteractionDuration": contact.interaction_seconds,
        "ConnectedToAgentTimestamp": format_utc_iso(contact.connected_at),
        "CustomerHoldDuration": contact.hold_seconds,
        "HierarchyGroups": None,
        "LongestHoldDuration": contact.longest_hold_seconds,
        "NumberOfHolds": contact.hold_count,
        "RoutingProfile": {"ARN": ids.routing_profile_arn, "Name": ROUTING_PROFILE_NAME},
        "Username": agent.connect_username,
    }


def contact_record(contact: ConnectContact, ids: ConnectIdentifiers, last_updated_at: int, attributes: dict[str, str]) -> dict[str, object]:
    """Return the contact record as Connect publishes it, at one version."""
    return {
        "AWSAccountId": AWS_ACCOUNT_ID,
        "AWSContactTraceRecordFormatVersion": RECORD_FORMAT_VERSION,
        "Agent": agent_json(contact, ids),
        "AgentConnectionAttempts": contact.agent_connection_attempts,
        "Attributes": attributes,
        "Channel": "VOICE",
        "ConnectedToSystemTimestamp": format_utc_iso(contact.initiation_at),
        "ContactId": contact.contact_id,
        "CustomerEndpoint": {"Address": "+62" + contact.customer.national_number, "Type": "TELEPHONE_NUMBER"},
        "DisconnectReason": contact.disconnect_reason,
        "DisconnectTimestamp": format_utc_iso(contact.disconnect_at),
        "InitialContactId": contact.initial_contact_id,
        "InitiationMethod": contact.initiation_method,
        "InitiationTimestamp": format_utc_iso(contact.initiation_at),
        "InstanceARN": ids.instance_arn,
        "LastUpdateTimestamp": format_utc_iso(last_updated_at),
        "MediaStreams": [{"Type": "AUDIO"}],
        "NextContactId": contact.next_contact_id,
        "PreviousContactId": contact.previous_contact_id,
        "Queue": {
            "ARN": ids.queue_arns[contact.queue],
            "DequeueTimestamp": format_utc_iso(contact.dequeued_at),
            "Duration": contact.dequeued_at - contact.enqueued_at,
            "EnqueueTimestamp": format_utc_iso(contact.enqueued_at),
            "Name": contact.queue,
        },
        "Recording": None,
        "Recordings": None,
        "SystemEndpoint": {"Address": HOTLINE_ADDRESS, "Type": "TELEPHONE_NUMBER"},
        "TransferCompletedTimestamp": None,
        "TransferredToEndpoint": None,
    }


def delivered_lines(rng: random.Random, contacts: list[ConnectContact], ids: ConnectIdentifiers, end_at: int) -> list[tuple[int, str]]:
    """Return (delivery time, JSON line) for every record version and duplicate the stream delivered before `end_at`."""
    deliveries: list[tuple[int, str]] = []
    for contact in contacts:
        versions = [(contact.published_at, {})]
        if contact.survey_score is not None:
            versions.append((contact.published_at + rng.randint(2, 10) * SECONDS_PER_MINUTE, {"survei_csat": contact.survey_score}))
        for published_at, attributes in versions:
            line = json.dumps(contact_record(contact, ids, published_at, attributes), ensure_ascii=False, separators=(",", ":"))
            delivered_at = published_at + rng.randint(30, 300)
            deliveries.append((delivered_at, line))
            if rng.random() < DUPLICATE_DELIVERY_RATE:
                deliveries.append((delivered_at + rng.randint(60, 600), line))
    return sorted(delivery for delivery in deliveries if delivery[0] < end_at)


def group_by_delivery_day(deliveries: list[tuple[int, str]]) -> dict[date, list[str]]:
    """Group delivered lines by the Jakarta day of their delivery, one file each."""
    files: dict[date, list[str]] = {}
    for delivered_at, line in deliveries:
        files.setdefault(local_date(delivered_at, CENTRE_TIMEZONE), []).append(line)
    return files


def connect_file_name(day: date) -> str:
    return f"contohnet-ctr-{day.isoformat()}.json"


def build_amazon_connect_files(rng: random.Random, agents: list[Agent], customers: CustomerPool, period: Period) -> dict[date, list[str]]:
    """Simulate the Bali hotline and return its contact record lines per delivery day."""
    connect_agents = [agent for agent in agents if agent.connect_username is not None]
    ids = draw_identifiers(rng, connect_agents)
    contacts = simulate_bali_hotline(rng, agents, customers, period)
    return group_by_delivery_day(delivered_lines(rng, contacts, ids, period.end_at))
