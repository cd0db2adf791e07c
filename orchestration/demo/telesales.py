"""Simulate telesales: leads in the CRM and the outbound calls the telesales agents dial to work them.

Four Layanan Umum agents in Jakarta sell faster packages and new lines (see `centre`). Leads come
from the website's form and from marketing lists at any hour, every day, and the CRM gives each
to one of the agents in turn as its owner. On their working days the agents dial their leads
from their PJSIP extensions: first the new leads, oldest first, then the open leads they have not
called for two days. A dial is ANSWERED, NO ANSWER or BUSY. After an answered call the agent moves
the lead on (new, contacted, qualified, proposal, then won or lost) or leaves its stage when the
customer asks to be called again, and records the customer's interest and a lead score (0-100).
Each agent already owns open leads from before the period.

Recording gaps: on about 10% of first conversations the agent saves the lead with an empty or
placeholder interest (`-`, `n/a`, `null`, a blank), and on about 8% without a lead score. A
later call fills a missing interest half of the time.

The CRM exports `crm/leads/leads-YYYY-MM-DD.csv` every night with the leads created or changed
that Jakarta day, each as it stood at the end of the day: `lead_id`, `owner_id` (the owner's
Zendesk user id), `created_at`, `stage`, `stage_changed_at` and, for closed leads, `won_at` or
`lost_at`, all ISO 8601 with `+07:00`, then `lead_score` and `interest` as the agent wrote them.
"""

import random
from dataclasses import dataclass
from datetime import date

from orchestration.demo.calls import OutboundCall, dial_outbound
from orchestration.demo.centre import Agent
from orchestration.demo.localtime import CENTRE_TIMEZONE, SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, Period, format_local_iso, local_epoch
from orchestration.demo.people import Customer, CustomerPool
from orchestration.demo.schedule import AgentDay

LEAD_HEADER = ("lead_id", "owner_id", "created_at", "stage", "stage_changed_at", "won_at", "lost_at", "lead_score", "interest")
FIRST_LEAD_NUMBER = 204_311
OPEN_STAGES = ("new", "contacted", "qualified", "proposal")
# Where an answered call takes a lead, with weights: the next stage, lost, or unchanged (None).
STAGE_MOVES = {
    "new": (("contacted", 70), ("lost", 20), (None, 10)),
    "contacted": (("qualified", 50), ("lost", 20), (None, 30)),
    "qualified": (("proposal", 55), ("lost", 15), (None, 30)),
    "proposal": (("won", 45), ("lost", 25), (None, 30)),
}
INTERESTS = (
    "Paket Keluarga 50 Mbps",
    "Paket Keluarga 100 Mbps",
    "Paket Gamer 300 Mbps",
    "Upgrade kecepatan",
    "Tambah layanan TV kabel",
    "Pasang baru untuk toko",
    "Pindah alamat pemasangan",
)
MISSING_INTERESTS = ("", " ", "-", "n/a", "null")
MISSING_INTEREST_RATE = 0.10
MISSING_SCORE_RATE = 0.08
LATE_INTEREST_FILL_RATE = 0.5

NEW_LEADS_PER_DAY_RANGE = (20, 32)
OPEN_LEADS_PER_AGENT_AT_START = 25
# A telesales dial: ANSWERED, NO ANSWER, BUSY, FAILED weights, and the talk time of a conversation.
DIAL_DISPOSITION_WEIGHTS = (45, 40, 15, 0)
TALK_SECONDS_RANGE = (60, 540)
MAX_DIALS_PER_DAY = 55
FOLLOW_UP_GAP_DAYS = 2
LUNCH_HOURS = (12, 13)


@dataclass(eq=False)
class Lead:
    lead_id: str
    owner: Agent
    customer: Customer
    created_at: int
    stage: str
    stage_changed_at: int
    won_at: int | None = None
    lost_at: int | None = None
    lead_score: str = ""
    interest: str = ""
    last_called_on: date | None = None

    def row(self) -> tuple[str, ...]:
        """Return the lead's export line as the CRM writes it."""
        return (
            self.lead_id,
            str(self.owner.zendesk_user_ids[0]),
            format_local_iso(self.created_at, CENTRE_TIMEZONE),
            self.stage,
            format_local_iso(self.stage_changed_at, CENTRE_TIMEZONE),
            format_local_iso(self.won_at, CENTRE_TIMEZONE) if self.won_at is not None else "",
            format_local_iso(self.lost_at, CENTRE_TIMEZONE) if self.lost_at is not None else "",
            self.lead_score,
            self.interest,
        )


@dataclass
class TelesalesPlan:
    calls: list[OutboundCall]
    # Export file name to the lines it contains, in lead id order.
    lead_files: dict[str, list[tuple[str, ...]]]
    lead_count: int


def is_interest_missing(interest: str) -> bool:
    return interest.strip() in ("", "-", "n/a", "null")


class TelesalesDesk:
    """The leads of the telesales agents and the day-by-day work on them."""

    def __init__(self, rng: random.Random, agents: list[Agent], customers: CustomerPool) -> None:
        self.rng = rng
        self.agents = agents
        self.customers = customers
        self.leads: list[Lead] = []
        self.leads_by_owner: dict[str, list[Lead]] = {agent.agent_id: [] for agent in agents}
        self.next_owner_index = 0
        self.changed_today: set[str] = set()

    def create_lead(self, created_at: int, owner: Agent | None = None) -> Lead:
        if owner is None:
            owner = self.agents[self.next_owner_index % len(self.agents)]
            self.next_owner_index += 1
        lead = Lead(f"LEAD-{FIRST_LEAD_NUMBER + len(self.leads)}", owner, self.customers.new_customer(), created_at, "new", created_at)
        self.leads.append(lead)
        self.leads_by_owner[owner.agent_id].append(lead)
        return lead

    def seed_open_leads(self, period: Period) -> None:
        """Create the open leads each agent owns when the period starts, created up to 30 days earlier."""
        rng = self.rng
        openings = [(period.start_at - rng.randint(SECONDS_PER_DAY, 30 * SECONDS_PER_DAY), owner) for owner in self.agents for _ in range(OPEN_LEADS_PER_AGENT_AT_START)]
        # Lead ids increase with creation time, as the CRM numbers them.
        for created_at, owner in sorted(openings, key=lambda opening: (opening[0], opening[1].agent_id)):
            lead = self.create_lead(created_at, owner)
            lead.stage = rng.choice(OPEN_STAGES)
            if lead.stage != "new":
                lead.stage_changed_at = rng.randint(created_at, period.start_at - SECONDS_PER_HOUR)
                lead.interest = rng.choice(INTERESTS)
                lead.lead_score = str(rng.randint(20, 90))

    def add_new_leads(self, day: date) -> None:
        rng = self.rng
        times = [local_epoch(day, rng.randint(7, 21), 0, CENTRE_TIMEZONE) + rng.randrange(SECONDS_PER_HOUR) for _ in range(rng.randint(*NEW_LEADS_PER_DAY_RANGE))]
        for created_at in sorted(times):
            self.changed_today.add(self.create_lead(created_at).lead_id)

    def next_lead(self, owner: Agent, at: int, day: date) -> Lead | None:
        """Return the lead the agent dials next: the oldest uncalled new lead, else the longest-waiting open lead."""
        owned = [lead for lead in self.leads_by_owner[owner.agent_id] if lead.stage in OPEN_STAGES and lead.created_at < at and lead.last_called_on != day]
        new = [lead for lead in owned if lead.stage == "new"]
        if new:
            return min(new, key=lambda lead: (lead.created_at, lead.lead_id))
        due = [lead for lead in owned if lead.last_called_on is None or (day - lead.last_called_on).days >= FOLLOW_UP_GAP_DAYS]
        return min(due, key=lambda lead: (lead.stage_changed_at, lead.lead_id)) if due else None

    def record_conversation(self, lead: Lead, ended_at: int) -> None:
        """Move a lead on after an answered call and record interest and score, with the usual gaps."""
        rng = self.rng
        saved_at = ended_at + rng.randint(15, 120)
        moves, weights = zip(*STAGE_MOVES[lead.stage])
        move = rng.choices(moves, weights=weights)[0]
        is_first_conversation = lead.stage == "new"
        if move is not None:
            lead.stage = move
            lead.stage_changed_at = saved_at
            if move == "won":
                lead.won_at = saved_at
            elif move == "lost":
                lead.lost_at = saved_at
        if is_first_conversation:
            lead.interest = rng.choice(MISSING_INTERESTS) if rng.random() < MISSING_INTEREST_RATE else rng.choice(INTERESTS)
        elif is_interest_missing(lead.interest) and rng.random() < LATE_INTEREST_FILL_RATE:
            lead.interest = rng.choice(INTERESTS)
        if move is not None or is_first_conversation:
            lead.lead_score = "" if rng.random() < MISSING_SCORE_RATE else str(rng.randint(10, 95))
        self.changed_today.add(lead.lead_id)

    def work_day(self, agent_day: AgentDay) -> list[OutboundCall]:
        """Dial the agent's leads through the shift, with a lunch break, and return the calls."""
        rng = self.rng
        agent = agent_day.agent
        if agent is None:
            return []
        lunch_start_at, lunch_end_at = (local_epoch(agent_day.day, hour, 0, CENTRE_TIMEZONE) for hour in LUNCH_HOURS)
        stop_at = agent_day.shift_end_at - 15 * SECONDS_PER_MINUTE
        at = agent_day.shift_start_at + rng.randint(5, 15) * SECONDS_PER_MINUTE
        calls: list[OutboundCall] = []
        while at < stop_at and len(calls) < MAX_DIALS_PER_DAY:
            if lunch_start_at <= at < lunch_end_at:
                at = lunch_end_at + rng.randint(0, 10) * SECONDS_PER_MINUTE
                continue
            lead = self.next_lead(agent, at, agent_day.day)
            if lead is None:
                break
            call = dial_outbound(rng, agent, lead.customer, at, DIAL_DISPOSITION_WEIGHTS, TALK_SECONDS_RANGE)
            calls.append(call)
            lead.last_called_on = agent_day.day
            if call.disposition == "ANSWERED":
                self.record_conversation(lead, call.ended_at)
            at = call.ended_at + rng.randint(30, 120) + rng.choice((0, 0, rng.randint(60, 600)))
        return calls

    def export_rows(self) -> list[tuple[str, ...]]:
        """Return the export lines of the leads changed since the last export, and start a new day."""
        changed = sorted((lead for lead in self.leads if lead.lead_id in self.changed_today), key=lambda lead: lead.lead_id)
        self.changed_today = set()
        return [lead.row() for lead in changed]


def lead_file_name(day: date) -> str:
    """Name the nightly lead export of a day; names sort in date order."""
    return f"leads-{day.isoformat()}.csv"


def plan_telesales(rng: random.Random, agents: list[Agent], agent_days: list[AgentDay], customers: CustomerPool, period: Period) -> TelesalesPlan:
    """Simulate the telesales agents over the period and return their calls and the nightly lead exports."""
    telesales_agents = [agent for agent in agents if agent.is_telesales]
    desk = TelesalesDesk(rng, telesales_agents, customers)
    desk.seed_open_leads(period)
    calls: list[OutboundCall] = []
    lead_files: dict[str, list[tuple[str, ...]]] = {}
    for day in period.dates:
        desk.add_new_leads(day)
        working = sorted((agent_day for agent_day in agent_days if agent_day.day == day and agent_day.agent in telesales_agents), key=lambda agent_day: agent_day.sort_key)
        for agent_day in working:
            calls.extend(desk.work_day(agent_day))
        lead_files[lead_file_name(day)] = desk.export_rows()
    return TelesalesPlan(sorted(calls, key=lambda call: (call.started_at, call.agent.agent_id)), lead_files, len(desk.leads))
