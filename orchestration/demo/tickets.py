"""Plan the Zendesk side of the centre: tickets, their comments and every update until the period ends.

Each ticket is a list of timed updates (field changes, optionally with a comment), so its state
at any instant is the fold of the updates up to that instant. `zendesk_files` renders those
states as export pages. Agents reply only while on shift. Zendesk automations send the
satisfaction survey a day after a ticket is solved, solve pending tickets after three days
without a customer reply and close solved tickets after four days.

What agents record, and fail to record:
- Every ticket has a priority, because SLA targets depend on it.
- An agent who solves a ticket writes an internal resolution note (a private comment starting
  `Catatan penyelesaian:`) on about 85% of them. Some write `-`, `n/a` or `null` instead, and
  tickets the automation solves have none. The phone follow-up note is that ticket's note.
- Some solved tickets have no category, or a blank or placeholder (`-`, `n/a`, `null`) category
  or disposition.
- Voice agents create a `voice` ticket from their CTI panel for about 3% of the calls they
  answer (Zendesk Talk Partner Edition). The agent is the submitter and writes the call summary
  as the first, private comment. The call's Asterisk uniqueid goes into a custom field, except on
  about 10% of them, where the agent left it empty. Voice tickets have no satisfaction survey.
- A ticket solved through a phone call has only private agent comments, so it has no public
  reply and no first response time.
- About 5% of solved tickets are reopened by the customer 6 to 60 hours later and solved again,
  so the daily export shows some of them solved, then open, then solved.
- About 8% of customers write personal data into their first message (see `texts`).
"""

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date

from orchestration.demo.calls import OUTAGE_DAY_INDEX, Channel, OutboundCall, QueueCall, dial_outbound
from orchestration.demo.centre import BRAND_NAME, TEAMS_BY_NAME, TICKET_TEAM, Agent
from orchestration.demo.localtime import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, Period, is_day_off, local_datetime, local_epoch
from orchestration.demo.people import Customer, CustomerPool
from orchestration.demo import texts
from orchestration.demo.schedule import AgentDay

FIRST_TICKET_ID = 48_201
WEEKDAY_TICKET_RANGE = (160, 190)
WEEKEND_TICKET_RANGE = (100, 130)
OUTAGE_EXTRA_TICKETS = 50
CHANNEL_WEIGHTS = {"whatsapp": 40, "email": 22, "native_messaging": 15, "web": 13, "chat": 10}
MESSAGING_CHANNELS = ("whatsapp", "native_messaging", "chat")
# Relative ticket arrivals per local hour 0-23.
MESSAGING_HOURLY_WEIGHTS = (1, 0.5, 0.3, 0.3, 0.3, 0.6, 1.5, 3, 5, 6, 6.5, 6.5, 6, 6, 6, 5.5, 5, 4.5, 4.5, 4.5, 4, 3.5, 2.5, 1.5)
EMAIL_HOURLY_WEIGHTS = (1, 0.7, 0.5, 0.5, 0.5, 0.8, 1.5, 3, 4.5, 5, 5, 5, 4.5, 4.5, 4.5, 4, 3.5, 3, 2.5, 2.5, 2.5, 2, 1.5, 1.2)

# Median agent response delay in seconds per channel, counted from when someone is on shift.
# Each delay is log-normal around it.
RESPONSE_MEDIAN_SECONDS = {"whatsapp": 360, "native_messaging": 360, "chat": 240, "web": 2700, "email": 7200}
CUSTOMER_REPLY_MEDIAN_SECONDS = {"whatsapp": 1200, "native_messaging": 1200, "chat": 600, "web": 14400, "email": 14400}
SPECIALIST_RESPONSE_MEDIAN_SECONDS = 3 * SECONDS_PER_HOUR
# An agent does not pick up a new conversation in the last minutes of the shift.
SHIFT_END_MARGIN_SECONDS = 10 * SECONDS_PER_MINUTE

PENDING_AUTO_SOLVE_SECONDS = 3 * SECONDS_PER_DAY
SURVEY_OFFER_DELAY_SECONDS = SECONDS_PER_DAY
AUTO_CLOSE_SECONDS = 4 * SECONDS_PER_DAY

VOICE_CALLER_REQUESTER_RATE = 0.22
REPEAT_REQUESTER_RATE = 0.10
REPEAT_REQUESTER_WINDOW_SECONDS = 14 * SECONDS_PER_DAY
PRE_EXISTING_USER_RATE = 0.25
TIME_TRACKING_RATE = 0.85
FORGOTTEN_CATEGORY_RATE = 0.04
PLACEHOLDER_CATEGORY_RATE = 0.02
BLANK_DISPOSITION_RATE = 0.05
PLACEHOLDER_DISPOSITION_RATE = 0.03
PLACEHOLDER_VALUES = ("-", "n/a", "null")
RESOLUTION_NOTE_RATE = 0.85
PLACEHOLDER_NOTE_RATE = 0.04
PERSONAL_DATA_RATE = 0.08
PERSONAL_DATA_SUBJECT_RATE = 0.01
VOICE_TICKET_RATE = 0.03
VOICE_CALL_ID_MISSING_RATE = 0.1
# Share of voice tickets the agent leaves open after the call and solves on a later shift.
VOICE_FOLLOW_UP_RATE = 0.2
# Categories a voice ticket of each queue gets.
VOICE_CATEGORIES = {"layanan-umum": ("informasi_produk", "ganti_paket"), "tagihan": ("tagihan", "pengembalian_dana"), "teknis": ("gangguan_teknis",)}
REOPEN_RATE = 0.05
REOPEN_DELAY_SECONDS_RANGE = (6 * SECONDS_PER_HOUR, 60 * SECONDS_PER_HOUR)
RATING_RATE = 0.35
RATING_CHANGE_RATE = 0.08

# Shares of the ticket flows. `escalation` becomes `needs_info` for categories without a specialist team.
FLOW_WEIGHTS = {"one_touch": 40, "confirm": 20, "needs_info": 22, "phone_followup": 7, "escalation": 11}
SPECIALIST_TEAM = {"gangguan_teknis": "Teknis", "tagihan": "Tagihan", "pengembalian_dana": "Tagihan"}

CATEGORY_TICKET_TYPES = {
    "tagihan": ("question", "incident"),
    "gangguan_teknis": ("incident", "incident", "problem"),
    "informasi_produk": ("question",),
    "pengembalian_dana": ("task",),
    "ganti_paket": ("task", "question"),
}


@dataclass
class PlannedComment:
    at: int
    author: Customer | Agent
    body: str
    is_public: bool
    channel: str
    comment_id: int = 0


@dataclass(eq=False)
class Rating:
    """A satisfaction rating. A changed score is a new Rating whose `original` is the first one,
    because Zendesk keeps the rating's id when the customer changes it."""

    rated_at: int
    score: str
    comment: str
    reason: str | None
    original: "Rating | None" = None
    assigned_id: int = 0

    @property
    def rating_id(self) -> int:
        return self.original.assigned_id if self.original is not None else self.assigned_id


@dataclass
class TicketUpdate:
    at: int
    changes: dict[str, object]
    comment: PlannedComment | None = None


@dataclass(eq=False)
class PlannedTicket:
    """A ticket and its updates. `submitter` is the agent who created it for the customer, or None when the customer did."""

    ticket_id: int
    created_at: int
    channel: str
    requester: Customer
    category: str
    subject: str
    ticket_type: str | None
    priority: str
    has_time_tracking: bool
    updates: list[TicketUpdate] = field(default_factory=list)
    submitter: Agent | None = None

    @property
    def comments(self) -> list[PlannedComment]:
        return [update.comment for update in self.updates if update.comment is not None]

    def state_at(self, at: int) -> dict[str, object]:
        """Fold the updates up to and including `at` into the ticket's field values."""
        state: dict[str, object] = {}
        for update in self.updates:
            if update.at > at:
                break
            state.update(update.changes)
            state["updated_at"] = update.at
        return state


class ShiftCoverage:
    """Shifts of one team, to look up who is on shift at an instant."""

    def __init__(self, agent_days: list[AgentDay]) -> None:
        self._shifts = sorted(
            ((day.shift_start_at, day.shift_end_at - SHIFT_END_MARGIN_SECONDS, day.agent) for day in agent_days if day.agent is not None),
            key=lambda shift: (shift[0], shift[2].agent_id),
        )

    def next_on_shift(self, at: int, agent: Agent | None = None) -> tuple[int, list[Agent]] | None:
        """Return the first instant at or after `at` with someone (or `agent`) on shift, and who is."""
        candidates = [(max(start, at), shift_agent) for start, end, shift_agent in self._shifts if end > at and (agent is None or shift_agent is agent)]
        if not candidates:
            return None
        first_at = min(candidate[0] for candidate in candidates)
        return first_at, [shift_agent for candidate_at, shift_agent in candidates if candidate_at == first_at]


def draw_log_normal_seconds(rng: random.Random, median_seconds: float, sigma: float = 1.0, minimum: int = 30) -> int:
    return max(minimum, int(median_seconds * math.exp(rng.gauss(0, sigma))))


def draw_ticket_arrivals(rng: random.Random, day: date, is_outage_day: bool) -> list[tuple[int, str, str | None]]:
    """Draw (created_at, channel, forced category) for one day's new tickets."""
    count_range = WEEKEND_TICKET_RANGE if is_day_off(day) else WEEKDAY_TICKET_RANGE
    count = rng.randint(*count_range)
    forced = [None] * count + (["gangguan_teknis"] * OUTAGE_EXTRA_TICKETS if is_outage_day else [])
    arrivals: list[tuple[int, str, str | None]] = []
    for category in forced:
        channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        hourly = MESSAGING_HOURLY_WEIGHTS if channel in MESSAGING_CHANNELS else EMAIL_HOURLY_WEIGHTS
        hour = rng.choices(range(24), weights=hourly)[0]
        if category is not None:
            hour = rng.randint(9, 13)
        created_at = local_epoch(day, hour, 0, "Asia/Jakarta") + rng.randrange(SECONDS_PER_HOUR)
        arrivals.append((created_at, channel, category))
    return sorted(arrivals, key=lambda arrival: (arrival[0], arrival[1], arrival[2] or ""))


@dataclass
class HelpdeskPlan:
    tickets: list[PlannedTicket]
    ratings: list[Rating]
    phone_followups: list[OutboundCall]
    # First time each requester appears in Zendesk: ticket creation, or earlier for existing users.
    requester_created_at: dict[int, int]
    voice_linked_customer_keys: set[int]


class HelpdeskPlanner:
    """Plans every ticket of the period in creation order."""

    def __init__(self, rng: random.Random, period: Period, customers: CustomerPool, agent_days: list[AgentDay], queue_calls: list[QueueCall]) -> None:
        self.rng = rng
        self.period = period
        self.customers = customers
        self.digital = ShiftCoverage([day for day in agent_days if day.agent is not None and day.agent.team == TICKET_TEAM])
        self.specialists = {
            team: ShiftCoverage([day for day in agent_days if day.agent is not None and day.agent.team == team]) for team in sorted(set(SPECIALIST_TEAM.values()))
        }
        self.agent_shifts = {
            agent_id: ShiftCoverage([day for day in agent_days if day.agent is not None and day.agent.agent_id == agent_id])
            for agent_id in sorted({day.agent.agent_id for day in agent_days if day.agent is not None})
        }
        self.queue_calls = queue_calls
        identified = [call for call in queue_calls if call.callerid not in ("", "anonymous")]
        self.voice_callers = sorted(((call.entered_at, call.customer) for call in identified), key=lambda item: (item[0], item[1].customer_key))
        self.voice_caller_times = [item[0] for item in self.voice_callers]
        self.requester_history: list[tuple[int, Customer]] = []
        self.requester_created_at: dict[int, int] = {}
        self.voice_linked_customer_keys: set[int] = set()
        self.ratings: list[Rating] = []
        self.phone_followups: list[OutboundCall] = []

    def choose_requester(self, created_at: int) -> Customer:
        rng = self.rng
        roll = rng.random()
        if roll < VOICE_CALLER_REQUESTER_RATE:
            first = bisect.bisect_left(self.voice_caller_times, created_at - 7 * SECONDS_PER_DAY)
            last = bisect.bisect_left(self.voice_caller_times, created_at)
            if first < last:
                customer = self.voice_callers[rng.randrange(first, last)][1]
                self.voice_linked_customer_keys.add(customer.customer_key)
                return customer
        elif roll < VOICE_CALLER_REQUESTER_RATE + REPEAT_REQUESTER_RATE:
            recent = [customer for at, customer in self.requester_history if at >= created_at - REPEAT_REQUESTER_WINDOW_SECONDS]
            if recent:
                return rng.choice(recent)
        return self.customers.new_customer()

    def register_requester(self, customer: Customer, created_at: int) -> None:
        self.requester_history.append((created_at, customer))
        if customer.customer_key in self.requester_created_at:
            return
        if self.rng.random() < PRE_EXISTING_USER_RATE:
            # An existing Zendesk user from an earlier contact, created up to three years earlier.
            self.requester_created_at[customer.customer_key] = self.period.start_at - self.rng.randint(SECONDS_PER_DAY, 3 * 365 * SECONDS_PER_DAY)
        else:
            self.requester_created_at[customer.customer_key] = created_at

    def draw_voice_ticket_calls(self) -> list[tuple[int, QueueCall, Agent]]:
        """Draw the calls an agent creates a ticket for, as (created_at, call, agent of the call's last leg)."""
        rng = self.rng
        chosen: list[tuple[int, QueueCall, Agent]] = []
        for call in self.queue_calls:
            if rng.random() >= VOICE_TICKET_RATE:
                continue
            legs = [stay.answering_attempt for stay in call.stays if stay.answering_attempt is not None]
            agent = legs[-1].agent_day.agent if legs else None
            created_at = call.last_stay.ended_at + rng.randint(20, 180)
            if agent is not None and created_at < self.period.end_at:
                chosen.append((created_at, call, agent))
        return chosen

    def plan(self) -> HelpdeskPlan:
        arrivals: list[tuple[int, str, str | None, tuple[QueueCall, Agent] | None]] = []
        for day_index, day in enumerate(self.period.dates):
            arrivals.extend((created_at, channel, category, None) for created_at, channel, category in draw_ticket_arrivals(self.rng, day, day_index == OUTAGE_DAY_INDEX))
        arrivals.extend((created_at, "voice", None, (call, agent)) for created_at, call, agent in self.draw_voice_ticket_calls())
        arrivals.sort(key=lambda arrival: (arrival[0], arrival[1], arrival[2] or ""))
        tickets: list[PlannedTicket] = []
        for index, (created_at, channel, forced_category, voice_call) in enumerate(arrivals):
            ticket_id = FIRST_TICKET_ID + index
            if voice_call is not None:
                tickets.append(self.plan_voice_ticket(ticket_id, created_at, *voice_call))
            else:
                tickets.append(self.plan_ticket(ticket_id, created_at, channel, forced_category))
        return HelpdeskPlan(tickets, self.ratings, self.phone_followups, self.requester_created_at, self.voice_linked_customer_keys)

    def plan_ticket(self, ticket_id: int, created_at: int, channel: str, forced_category: str | None) -> PlannedTicket:
        rng = self.rng
        requester = self.choose_requester(created_at)
        self.register_requester(requester, created_at)
        category = forced_category or rng.choices(list(texts.CATEGORY_WEIGHTS), weights=list(texts.CATEGORY_WEIGHTS.values()))[0]
        created_local = local_datetime(created_at)
        values = texts.template_values(rng, requester, created_local.date(), created_local.hour, BRAND_NAME)
        subject_template = rng.choice(texts.SUBJECTS[category])
        if rng.random() < PERSONAL_DATA_SUBJECT_RATE:
            subject_template = rng.choice(texts.PERSONAL_DATA_SUBJECTS)
        ticket = PlannedTicket(
            ticket_id=ticket_id,
            created_at=created_at,
            channel=channel,
            requester=requester,
            category=category,
            subject=texts.fill_template(subject_template, values),
            ticket_type=rng.choice(CATEGORY_TICKET_TYPES[category]) if rng.random() < 0.9 else None,
            priority=draw_priority(rng, category),
            has_time_tracking=rng.random() < TIME_TRACKING_RATE,
        )
        LifecyclePlanner(self, ticket, values).plan()
        ticket.updates.sort(key=lambda update: update.at)
        return ticket

    def plan_voice_ticket(self, ticket_id: int, created_at: int, call: QueueCall, agent: Agent) -> PlannedTicket:
        """Plan the ticket an agent creates for a phone call they answered."""
        rng = self.rng
        requester = call.customer
        self.register_requester(requester, created_at)
        self.voice_linked_customer_keys.add(requester.customer_key)
        category = rng.choice(VOICE_CATEGORIES[call.queue])
        created_local = local_datetime(created_at)
        values = texts.template_values(rng, requester, created_local.date(), created_local.hour, BRAND_NAME)
        values |= {"nomor_penelepon": call.callerid or "tidak dikenal", "antrian": call.last_stay.queue}
        ticket = PlannedTicket(
            ticket_id=ticket_id,
            created_at=created_at,
            channel="voice",
            requester=requester,
            category=category,
            subject=texts.VOICE_SUBJECTS[category],
            ticket_type=rng.choice(CATEGORY_TICKET_TYPES[category]),
            priority=draw_priority(rng, category),
            has_time_tracking=rng.random() < TIME_TRACKING_RATE,
            submitter=agent,
        )
        # The channel gets its uniqueid only when the files are written, so the ticket keeps the channel.
        call_channel = None if rng.random() < VOICE_CALL_ID_MISSING_RATE else call.channel
        LifecyclePlanner(self, ticket, values).plan_voice(agent, call_channel)
        ticket.updates.sort(key=lambda update: update.at)
        return ticket


def draw_priority(rng: random.Random, category: str) -> str:
    if category == "gangguan_teknis":
        return rng.choices(("normal", "high", "urgent"), weights=(48, 44, 8))[0]
    return rng.choices(("low", "normal", "high"), weights=(14, 79, 7))[0]


class LifecyclePlanner:
    """Plans the updates of one ticket: replies, customer answers, escalation, solve, survey, close."""

    def __init__(self, desk: HelpdeskPlanner, ticket: PlannedTicket, values: dict[str, str]) -> None:
        self.desk = desk
        self.rng = desk.rng
        self.ticket = ticket
        self.values = values
        self.end_at = desk.period.end_at
        self.time_spent_seconds = 0
        self.forgets_category = self.rng.random() < FORGOTTEN_CATEGORY_RATE
        self.flow = ""
        self.agent: Agent | None = None

    # Each `add_*` appends an update unless it would fall after the period, and returns whether it did.
    def add_update(self, at: int, changes: dict[str, object], comment: PlannedComment | None = None) -> bool:
        if at >= self.end_at:
            return False
        self.ticket.updates.append(TicketUpdate(at, changes, comment))
        return True

    def add_agent_update(
        self, at: int, agent: Agent, changes: dict[str, object], body: str | None, is_public: bool, handling_seconds: int, comment_channel: str = "web"
    ) -> bool:
        text = None
        if body is not None:
            values = self.values | {"agen": agent.full_name.split(" ")[0]}
            text = texts.fill_template(body, values)
            if is_public and self.ticket.channel == "email":
                text += texts.fill_template(texts.SIGN_OFF, values)
        changes = dict(changes)
        if self.ticket.has_time_tracking:
            self.time_spent_seconds += handling_seconds
            changes["time_spent_seconds"] = self.time_spent_seconds
            changes["time_spent_last_update_seconds"] = handling_seconds
        comment = PlannedComment(at, agent, text, is_public, comment_channel) if text is not None else None
        return self.add_update(at, changes, comment)

    def add_customer_comment(self, at: int, body: str, changes: dict[str, object]) -> bool:
        comment = PlannedComment(at, self.ticket.requester, texts.fill_template(body, self.values), True, self.ticket.channel)
        return self.add_update(at, changes, comment)

    def respond(self, coverage: ShiftCoverage, after_at: int, median_seconds: float, agent: Agent | None = None) -> tuple[int, Agent] | None:
        """Return the time and agent of the next reply, or None when it would fall after the period."""
        rng = self.rng
        found = coverage.next_on_shift(after_at, agent)
        if found is None:
            return None
        available_at, _ = found
        if available_at > after_at:
            # Messages that arrived overnight wait in the morning backlog.
            available_at += rng.randint(5 * SECONDS_PER_MINUTE, 90 * SECONDS_PER_MINUTE)
        reply_at = available_at + draw_log_normal_seconds(rng, median_seconds)
        found = coverage.next_on_shift(reply_at, agent)
        if found is None or found[0] >= self.end_at:
            return None
        reply_at, on_shift = found
        return reply_at, agent if agent is not None else rng.choice(on_shift)

    def solve_changes(self, disposition: str) -> dict[str, object]:
        rng = self.rng
        roll = rng.random()
        if roll < BLANK_DISPOSITION_RATE:
            disposition = rng.choice(("", " ", "  "))
        elif roll < BLANK_DISPOSITION_RATE + PLACEHOLDER_DISPOSITION_RATE:
            disposition = rng.choice(PLACEHOLDER_VALUES)
        return {"status": "solved", "disposition": disposition}

    def recorded_category(self) -> str | None:
        """Return the category as the agent sets it: the ticket's, none when forgotten, or a placeholder."""
        if self.forgets_category:
            return None
        if self.rng.random() < PLACEHOLDER_CATEGORY_RATE:
            return self.rng.choice(PLACEHOLDER_VALUES)
        return self.ticket.category

    def solve(
        self, at: int, agent: Agent, changes: dict[str, object], body: str | None, is_public: bool, handling_seconds: int, comment_channel: str = "web"
    ) -> bool:
        """Add an agent update that solves the ticket, then usually the agent's internal resolution note."""
        if not self.add_agent_update(at, agent, changes, body, is_public, handling_seconds, comment_channel):
            return False
        self.add_resolution_note(at, agent)
        return True

    def add_resolution_note(self, solved_at: int, agent: Agent) -> None:
        rng = self.rng
        if rng.random() >= RESOLUTION_NOTE_RATE:
            return
        body = rng.choice(texts.RESOLUTION_NOTES[self.ticket.category])
        if rng.random() < PLACEHOLDER_NOTE_RATE:
            body = rng.choice(texts.RESOLUTION_NOTE_PLACEHOLDERS)
        self.add_agent_update(solved_at + rng.randint(20, 240), agent, {}, body, False, rng.randint(30, 90))

    def plan(self) -> None:
        rng = self.rng
        ticket = self.ticket
        customer_picks_category = ticket.channel == "web" and rng.random() < 0.7 and not self.forgets_category
        opening = {
            "status": "new",
            "group_id": TEAMS_BY_NAME[TICKET_TEAM].zendesk_group_id,
            "assignee_id": None,
            "category": ticket.category if customer_picks_category else None,
            "disposition": None,
            "time_spent_seconds": None,
            "time_spent_last_update_seconds": None,
            "satisfaction": {"score": "unoffered"},
            "tags": [],
            "call_channel": None,
        }
        first_message = rng.choice(texts.CUSTOMER_MESSAGES[ticket.category])
        if rng.random() < PERSONAL_DATA_RATE:
            first_message += " " + rng.choice(texts.PERSONAL_DATA_SENTENCES)
        self.add_customer_comment(ticket.created_at, first_message, opening)

        flow = rng.choices(list(FLOW_WEIGHTS), weights=list(FLOW_WEIGHTS.values()))[0]
        if flow == "escalation" and ticket.category not in SPECIALIST_TEAM:
            flow = "needs_info"
        self.flow = flow
        reply = self.respond(self.desk.digital, ticket.created_at, RESPONSE_MEDIAN_SECONDS[ticket.channel])
        if reply is None:
            return
        reply_at, agent = reply
        self.agent = agent
        touch = {"assignee_id": agent.zendesk_user_id_at(reply_at), "category": self.recorded_category(), "tags": self.tags(flow)}

        flow_planners = {
            "one_touch": self.plan_one_touch,
            "confirm": self.plan_confirm,
            "needs_info": self.plan_needs_info,
            "phone_followup": self.plan_phone_followup,
            "escalation": self.plan_escalation,
        }
        solved_at = flow_planners[flow](reply_at, agent, touch)
        if solved_at is not None:
            self.plan_after_solve(solved_at)

    def plan_voice(self, agent: Agent, call_channel: Channel | None) -> None:
        """Plan a ticket an agent created for a call: the call summary, then a solve now or on a later shift."""
        rng = self.rng
        ticket = self.ticket
        self.agent = agent
        category = self.recorded_category()
        opening: dict[str, object] = {
            "status": "open",
            "group_id": TEAMS_BY_NAME[agent.team].zendesk_group_id,
            "assignee_id": agent.zendesk_user_id_at(ticket.created_at),
            "category": category,
            "disposition": None,
            "call_channel": call_channel,
            "time_spent_seconds": None,
            "time_spent_last_update_seconds": None,
            "satisfaction": {"score": "unoffered"},
            "tags": sorted(["telepon"] + ([ticket.category] if category == ticket.category else [])),
        }
        summary = texts.VOICE_CALL_SUMMARIES[ticket.category]
        if rng.random() >= VOICE_FOLLOW_UP_RATE:
            if self.solve(ticket.created_at, agent, opening | self.solve_changes("selesai_di_telepon"), summary, False, rng.randint(30, 120), "voice"):
                self.add_update(ticket.created_at + AUTO_CLOSE_SECONDS, {"status": "closed"})
            return
        if not self.add_agent_update(ticket.created_at, agent, opening, summary, False, rng.randint(30, 120), "voice"):
            return
        # The agent follows the case up on a later shift and solves it then.
        reply = self.respond(self.desk.agent_shifts[agent.agent_id], ticket.created_at + SECONDS_PER_HOUR, SECONDS_PER_HOUR, agent)
        if reply is not None and self.solve(reply[0], agent, self.solve_changes("selesai_di_telepon"), None, False, rng.randint(120, 600)):
            self.add_update(reply[0] + AUTO_CLOSE_SECONDS, {"status": "closed"})

    def tags(self, flow: str) -> list[str]:
        tags = [] if self.forgets_category else [self.ticket.category]
        if self.ticket.channel == "whatsapp":
            tags.append("wa_bisnis")
        if flow == "escalation":
            tags.append("eskalasi")
        return sorted(tags)

    def plan_one_touch(self, reply_at: int, agent: Agent, touch: dict[str, object]) -> int | None:
        body = self.rng.choice(texts.FIRST_REPLIES[self.ticket.category])
        if self.solve(reply_at, agent, touch | self.solve_changes("selesai_di_tempat"), body, True, self.rng.randint(60, 420)):
            return reply_at
        return None

    def plan_confirm(self, reply_at: int, agent: Agent, touch: dict[str, object]) -> int | None:
        body = self.rng.choice(texts.FIRST_REPLIES[self.ticket.category])
        pending = touch | {"status": "pending", "disposition": "menunggu_pelanggan"}
        if not self.add_agent_update(reply_at, agent, pending, body, True, self.rng.randint(60, 420)):
            return None
        return self.wait_for_customer(reply_at, agent, self.rng.choice(texts.CUSTOMER_THANKS), None, answer_rate=0.7)

    def plan_needs_info(self, reply_at: int, agent: Agent, touch: dict[str, object]) -> int | None:
        body = self.rng.choice(texts.INFO_REQUESTS)
        pending = touch | {"status": "pending", "disposition": "menunggu_pelanggan"}
        if not self.add_agent_update(reply_at, agent, pending, body, True, self.rng.randint(60, 300)):
            return None
        return self.wait_for_customer(reply_at, agent, self.rng.choice(texts.CUSTOMER_INFO_REPLIES), texts.RESOLUTIONS[self.ticket.category], answer_rate=0.75)

    def wait_for_customer(self, pending_at: int, agent: Agent, customer_body: str, closing_body: str | None, answer_rate: float) -> int | None:
        """Plan the customer's answer to a pending ticket and the agent's solve, or the automatic solve."""
        rng = self.rng
        if rng.random() >= answer_rate:
            auto_solved_at = pending_at + PENDING_AUTO_SOLVE_SECONDS
            return auto_solved_at if self.add_update(auto_solved_at, {"status": "solved"}) else None
        answered_at = pending_at + draw_log_normal_seconds(rng, CUSTOMER_REPLY_MEDIAN_SECONDS[self.ticket.channel])
        if not self.add_customer_comment(answered_at, customer_body, {"status": "open"}):
            return None
        reply = self.respond(self.desk.digital, answered_at, RESPONSE_MEDIAN_SECONDS[self.ticket.channel], agent)
        if reply is None:
            return None
        solved_at = reply[0]
        body = closing_body if closing_body is not None else texts.YOU_ARE_WELCOME
        if self.solve(solved_at, agent, self.solve_changes("selesai_di_tempat"), body, True, rng.randint(60, 300)):
            return solved_at
        return None

    def plan_phone_followup(self, reply_at: int, agent: Agent, touch: dict[str, object]) -> int | None:
        """Plan a call from the agent's desk extension to the customer, then an internal note as the only comment."""
        rng = self.rng
        call = dial_outbound(rng, agent, self.ticket.requester, reply_at)
        if call.ended_at + 60 >= self.end_at:
            return None
        self.desk.phone_followups.append(call)
        note_at = call.ended_at + rng.randint(30, 240)
        if call.disposition != "ANSWERED":
            # The customer did not pick up, so the agent asks for information in writing instead.
            return self.plan_needs_info(note_at, agent, touch)
        body = rng.choice(texts.PHONE_FOLLOWUP_NOTES)
        if self.add_agent_update(note_at, agent, touch | self.solve_changes("selesai_di_tempat"), body, False, note_at - reply_at):
            return note_at
        return None

    def plan_escalation(self, reply_at: int, agent: Agent, touch: dict[str, object]) -> int | None:
        rng = self.rng
        team_name = SPECIALIST_TEAM[self.ticket.category]
        self.values["tim"] = team_name
        notice = rng.choice(texts.ESCALATION_CUSTOMER_NOTICES)
        if not self.add_agent_update(reply_at, agent, touch | {"status": "open", "disposition": "eskalasi"}, notice, True, rng.randint(60, 240)):
            return None
        note_at = reply_at + rng.randint(30, 180)
        specialist_reply = self.respond(self.desk.specialists[team_name], note_at, SPECIALIST_RESPONSE_MEDIAN_SECONDS)
        if specialist_reply is None:
            self.add_agent_update(note_at, agent, {}, rng.choice(texts.ESCALATION_NOTES), False, rng.randint(60, 180))
            return None
        specialist_at, specialist = specialist_reply
        handover = {"group_id": TEAMS_BY_NAME[team_name].zendesk_group_id, "assignee_id": specialist.zendesk_user_id_at(note_at)}
        if not self.add_agent_update(note_at, agent, handover, rng.choice(texts.ESCALATION_NOTES), False, rng.randint(60, 180)):
            return None
        self.agent = specialist
        finding = texts.SPECIALIST_NOTES[team_name]
        if not self.add_agent_update(specialist_at, specialist, {}, finding, False, rng.randint(300, 1200)):
            return None
        solved_at = specialist_at + rng.randint(60, 600)
        if self.solve(solved_at, specialist, self.solve_changes("eskalasi"), texts.RESOLUTIONS[self.ticket.category], True, rng.randint(60, 300)):
            return solved_at
        return None

    def plan_after_solve(self, solved_at: int) -> None:
        """Plan a reopen, the satisfaction survey, a rating and its change, and the automatic close."""
        rng = self.rng
        was_reopened = False
        if rng.random() < REOPEN_RATE and self.agent is not None:
            reopened_at = solved_at + rng.randint(*REOPEN_DELAY_SECONDS_RANGE)
            if not self.add_customer_comment(reopened_at, rng.choice(texts.REOPEN_MESSAGES), {"status": "open"}):
                return
            coverage = self.desk.digital if self.agent.team == TICKET_TEAM else self.desk.specialists[self.agent.team]
            reply = self.respond(coverage, reopened_at, RESPONSE_MEDIAN_SECONDS[self.ticket.channel], self.agent)
            if reply is None:
                return
            solved_at = reply[0]
            if not self.solve(solved_at, self.agent, self.solve_changes("selesai_di_tempat"), texts.RESOLUTIONS[self.ticket.category], True, rng.randint(120, 600)):
                return
            was_reopened = True

        offered_at = solved_at + SURVEY_OFFER_DELAY_SECONDS
        self.add_update(offered_at, {"satisfaction": {"score": "offered"}})
        closed_at = solved_at + AUTO_CLOSE_SECONDS
        if rng.random() < RATING_RATE:
            rated_at = offered_at + rng.randint(SECONDS_PER_HOUR, 48 * SECONDS_PER_HOUR)
            good_rate = 0.8
            if was_reopened:
                good_rate -= 0.3
            if self.flow == "escalation":
                good_rate -= 0.15
            rating = self.draw_rating(rated_at, rng.random() < good_rate)
            if self.add_update(rated_at, {"satisfaction": rating}):
                self.desk.ratings.append(rating)
                changed_at = rated_at + rng.randint(6 * SECONDS_PER_HOUR, 40 * SECONDS_PER_HOUR)
                if rating.score == "good" and rng.random() < RATING_CHANGE_RATE and changed_at < closed_at:
                    changed = self.draw_rating(changed_at, False)
                    changed.original = rating
                    self.add_update(changed_at, {"satisfaction": changed})
        self.add_update(closed_at, {"status": "closed"})

    def draw_rating(self, rated_at: int, is_good: bool) -> Rating:
        rng = self.rng
        if is_good:
            return Rating(rated_at, "good", rng.choice(texts.GOOD_RATING_COMMENTS), None)
        return Rating(rated_at, "bad", rng.choice(texts.BAD_RATING_COMMENTS), rng.choice(texts.BAD_RATING_REASONS))


def plan_helpdesk(rng: random.Random, period: Period, customers: CustomerPool, agent_days: list[AgentDay], queue_calls: list[QueueCall]) -> HelpdeskPlan:
    """Plan every ticket created in the period, with the phone follow-ups agents make for them."""
    return HelpdeskPlanner(rng, period, customers, agent_days, queue_calls).plan()
