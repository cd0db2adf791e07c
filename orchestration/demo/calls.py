"""Simulate the voice side of the centre: callers, three Asterisk queues, agents, callbacks.

The simulation is event-ordered per day: queue entries are taken in time order and each one goes
to the member who becomes ready first (the one idle longest on a tie, as the `leastrecent`
strategy does). A member is ready when logged in, not on a call or in wrap-up and not paused.
Pauses that fall inside a call start when the call ends. Callers leave when their patience runs
out (ABANDON), after the queue timeout (EXITWITHTIMEOUT), by pressing 1 for a callback
(EXITWITHKEY), when no member is left (EXITEMPTY), or when the callback application takes them
out of the queue (WITHDRAW, rare).

A contact can pass through several queue stays under one call id:
- Overflow: a `tagihan` caller whose queue timeout expires goes on to `layanan-umum`.
- Transfers: an agent ends their leg by transferring the caller. Until the Asterisk upgrade (see
  `asterisk_files`) app_queue logs every transfer as TRANSFER, and agents transfer only to another
  queue's extension. From the upgrade on it logs BLINDTRANSFER for a blind transfer to a queue.
  It logs ATTENDEDTRANSFER APP when the agent consulted the other queue and then handed the
  caller to it. It logs ATTENDEDTRANSFER BRIDGE or LINK when the agent consulted a colleague of the
  same queue, who then talks to the caller without a new queue entry. For two in five of those
  the colleague's CONNECT is missing and only the COMPLETEAGENT shows the leg. A transferred call
  can be transferred once more, so a few calls have three agents.
The `teknis` queue rings all idle members at once (strategy `ringall`): the other members' phones
ring until one member answers.

After most calls the agent wraps up in after-call work, planned as an `ACW` pause of 10 to 90 s
that starts within 3 s of the hang-up. `asterisk_files` writes it as PAUSE and UNPAUSE, or as
WRAPUPSTART for the Teknis team.

Results are plain records. `asterisk_files` turns them into queue_log lines and CDR rows once
channel ids are numbered.
"""

import bisect
import heapq
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from orchestration.demo.centre import VOICE_QUEUES, Agent
from orchestration.demo.localtime import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, is_day_off, local_epoch
from orchestration.demo.people import Customer, CustomerPool, format_phone
from orchestration.demo.schedule import AgentDay, Pause

# Volumes: weekday calls per day across the three queues, and how weekends and queues share them.
WEEKDAY_CALL_VOLUME_RANGE = (780, 860)
WEEKEND_VOLUME_FACTOR = 0.55
QUEUE_SHARES = {"layanan-umum": 0.45, "tagihan": 0.30, "teknis": 0.25}
# Share of a day's calls per local hour of the Jakarta opening hours.
WEEKDAY_HOURLY_SHARES = {8: 0.06, 9: 0.10, 10: 0.11, 11: 0.10, 12: 0.08, 13: 0.08, 14: 0.09, 15: 0.09, 16: 0.08, 17: 0.08, 18: 0.07, 19: 0.06}
WEEKEND_HOURLY_SHARES = {9: 0.12, 10: 0.15, 11: 0.14, 12: 0.12, 13: 0.12, 14: 0.12, 15: 0.12, 16: 0.11}
# The `teknis` queue stays open until 23:00 Jakarta time for the night shift, with these shares.
LATE_TEKNIS_HOURLY_SHARES = {20: 0.025, 21: 0.02, 22: 0.015}
BILLING_REMINDER_LAST_DAY_OF_MONTH = 5
BILLING_REMINDER_TAGIHAN_FACTOR = 1.3
# On this day (0-based index into the period) a fibre cut quadruples `teknis` calls from 09:00 to 14:00.
OUTAGE_DAY_INDEX = 11
OUTAGE_HOURS = (9, 10, 11, 12, 13)
OUTAGE_TEKNIS_FACTOR = 4.0

# Queue and member settings as queues.conf and the dialplan set them. `tagihan` gives up after
# three minutes and passes its callers on to `layanan-umum`, whose agents also know billing.
QUEUE_TIMEOUT_SECONDS = {"layanan-umum": 600, "tagihan": 180, "teknis": 600}
OVERFLOW_QUEUES = {"tagihan": "layanan-umum"}
QUEUE_EXTENSIONS = {"layanan-umum": "8001", "tagihan": "8002", "teknis": "8003"}
RING_ALL_QUEUES = ("teknis",)
# A ring-all offer rings at most this many members besides the one who answers, as a queue's
# members are seldom all idle at once.
RING_ALL_MAX_OTHER_MEMBERS = 3
MEMBER_RING_TIMEOUT_SECONDS = 15
WRAPUP_SECONDS = 5
CALLBACK_ANNOUNCE_SECONDS = 60

# Transfers. The share of legs that end in one is for the first and the second agent of a call;
# the third agent never transfers.
TRANSFER_RATES = (0.045, 0.04)
TRANSFER_TARGET_QUEUES = {"layanan-umum": ("tagihan", "teknis"), "tagihan": ("layanan-umum",), "teknis": ("tagihan", "layanan-umum")}
TRANSFER_CONTEXT = "from-internal"
# Transfer kinds from Asterisk 12 on: blind to a queue, attended to a queue (APP), attended to a
# colleague through a bridge merge (BRIDGE) or through a pair of Local channels (LINK).
TRANSFER_KIND_WEIGHTS = {"blind": 40, "attended_app": 15, "attended_bridge": 30, "attended_link": 15}
# Share of attended transfers to a colleague whose CONNECT app_queue does not log.
NO_CONNECT_RATE = 0.4
CONSULT_SECONDS_RANGE = (15, 60)
# An agent gives up consulting when no colleague is free within this many seconds, and keeps the caller.
CONSULT_MAX_WAIT_SECONDS = 45
WITHDRAW_RATE = 0.05
WITHDRAW_MIN_PATIENCE_SECONDS = 120
WITHDRAW_INFO = "callback"

# Median talk time per queue. A call's talk time is log-normal around it and scaled by the agent's factor.
TALK_MEDIAN_SECONDS = {"layanan-umum": 200, "tagihan": 260, "teknis": 360}
TALK_LOG_SIGMA = 0.55

REPEAT_CALLER_RATE = 0.15
REPEAT_WINDOW_DAYS = 7
RING_NO_ANSWER_RATE = 0.04
AGENT_HANGUP_RATE = 0.45
ACW_PAUSE_RATE = 0.8
ACW_SECONDS_RANGE = (10, 90)
CALLBACK_IN_ACW_RATE = 0.5
MISSED_CALL_RETURN_RATE = 0.25
CALLBACK_KEY_RATE = 0.04
IVR_ONLY_CALL_RATE = 0.03

# Trunk that delivers each caller id style: Telkom sends national digits, the SIP trunk 62 or +62.
TRUNK_BY_STYLE = {"local": "trunk-telkom", "intl_digits": "trunk-sip", "e164": "trunk-sip"}
HOTLINE_NUMBER = "1500321"
INBOUND_CONTEXT = "from-trunk"


@dataclass(eq=False)
class Channel:
    """An Asterisk channel. `number_channels` fills `uniqueid` (`<epoch>.<sequence>`) and `name`."""

    prefix: str
    created_at: int
    uniqueid: str = ""
    name: str = ""


@dataclass
class RingAttempt:
    """A member's phone ringing for a call. Unanswered attempts are ring-no-answers, rings the caller
    hung up on, or the other members of a ring-all offer."""

    agent_day: AgentDay
    channel: Channel
    started_at: int
    ended_at: int
    is_answered: bool
    is_ring_no_answer: bool
    ring_milliseconds: int


@dataclass(frozen=True)
class Transfer:
    """The transfer that ended an agent's leg: the queue_log event and its data fields before
    holdtime, such as (`8002`, `from-internal`) or (`BRIDGE`, bridge uniqueid)."""

    event: str
    target_fields: tuple[str, ...]


@dataclass(eq=False)
class QueueCall:
    """One stay of a caller in a queue, from entering it to leaving it unanswered or to the end of the agent's leg.

    `outcome` is `answered`, `abandoned`, `timeout`, `exit_key`, `exit_empty` or `withdrawn`.
    `left_queue_at` is the connect time for answered stays and the exit time otherwise.
    `ended_at` is when the stay ended: the caller or agent hung up, the agent transferred the
    caller, or the caller left the queue. A contact that goes on under the same channel continues
    in `next_stay`. A colleague's leg after an attended transfer is a stay without its own queue
    entry (`is_requeued` false): it keeps the queue, the entry time and the position of the stay
    it continues, so its CONNECT holdtime counts from that entry, as app_queue counts it.
    `earlier_agents` are the members who had a leg in the contact's earlier stays: a transfer
    never brings the caller back to one of them.
    """

    queue: str
    customer: Customer
    callerid: str
    trunk: str
    channel: Channel
    started_at: int
    entered_at: int
    position: int
    outcome: str = ""
    left_queue_at: int = 0
    exit_position: int = 0
    ended_at: int = 0
    attempts: list[RingAttempt] = field(default_factory=list)
    talk_seconds: int = 0
    is_agent_hangup: bool = False
    is_requeued: bool = True
    logs_connect: bool = True
    earlier_agents: tuple[AgentDay, ...] = ()
    transfer: Transfer | None = None
    next_stay: "QueueCall | None" = None

    @property
    def wait_seconds(self) -> int:
        return self.left_queue_at - self.entered_at

    @property
    def answering_attempt(self) -> RingAttempt | None:
        for attempt in self.attempts:
            if attempt.is_answered:
                return attempt
        return None

    @property
    def legs_before(self) -> int:
        return len(self.earlier_agents)

    @property
    def stays(self) -> Iterator["QueueCall"]:
        """Yield this stay and the stays the contact went on to, in order."""
        stay: QueueCall | None = self
        while stay is not None:
            yield stay
            stay = stay.next_stay

    @property
    def last_stay(self) -> "QueueCall":
        return list(self.stays)[-1]

    @property
    def is_handled(self) -> bool:
        """Return whether any agent talked to the caller during the contact."""
        return any(stay.answering_attempt is not None for stay in self.stays)


@dataclass(eq=False)
class OutboundCall:
    """A call an agent dials to a customer: a callback, a returned missed call or a ticket follow-up."""

    agent: Agent
    customer: Customer
    dialled_number: str
    channel: Channel
    trunk_channel: Channel
    started_at: int
    answered_at: int | None
    ended_at: int
    disposition: str

    @property
    def accountcode(self) -> str:
        return self.agent.accountcode


@dataclass(eq=False)
class IvrOnlyCall:
    """An inbound call that never reached a queue: hung up in the menu or called outside opening hours."""

    customer: Customer
    callerid: str
    trunk: str
    channel: Channel
    started_at: int
    ended_at: int
    last_app: str
    last_data: str


@dataclass
class TelephonyPlan:
    queue_calls: list[QueueCall]
    outbound_calls: list[OutboundCall]
    ivr_only_calls: list[IvrOnlyCall]
    agent_days: list[AgentDay]


def draw_poisson(rng: random.Random, mean: float) -> int:
    """Draw a Poisson count, using the normal approximation above a mean of 30."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def draw_callerid(rng: random.Random, customer: Customer) -> tuple[str, str]:
    """Return the caller id Asterisk receives and the trunk it arrives on."""
    roll = rng.random()
    if roll < 0.02:
        return "anonymous", "trunk-sip"
    if roll < 0.03:
        return "", "trunk-telkom"
    style = rng.choices(("local", "intl_digits", "e164"), weights=(55, 33, 12))[0]
    return format_phone(customer.national_number, style), TRUNK_BY_STYLE[style]


def draw_patience_seconds(rng: random.Random) -> int:
    """Draw how long a caller waits before hanging up: a few give up at once, a few wait very long."""
    roll = rng.random()
    if roll < 0.03:
        return rng.randint(1, 6)
    if roll < 0.9:
        return 10 + int(rng.expovariate(1 / 150))
    return rng.randint(600, 1500)


def draw_talk_seconds(rng: random.Random, queue: str, talk_time_factor: float) -> int:
    if rng.random() < 0.05:
        return rng.randint(8, 30)
    seconds = TALK_MEDIAN_SECONDS[queue] * talk_time_factor * math.exp(rng.gauss(0, TALK_LOG_SIGMA))
    return min(3600, max(12, int(seconds)))


def hourly_call_means(day: date, day_index: int, daily_volume: float) -> dict[tuple[str, int], float]:
    """Return the expected number of calls per (queue, local hour) of a day."""
    hourly_shares = WEEKEND_HOURLY_SHARES if is_day_off(day) else WEEKDAY_HOURLY_SHARES
    means: dict[tuple[str, int], float] = {}
    for queue in VOICE_QUEUES:
        queue_shares = hourly_shares | LATE_TEKNIS_HOURLY_SHARES if queue == "teknis" else hourly_shares
        for hour, share in queue_shares.items():
            mean = daily_volume * QUEUE_SHARES[queue] * share
            if queue == "tagihan" and day.day <= BILLING_REMINDER_LAST_DAY_OF_MONTH:
                mean *= BILLING_REMINDER_TAGIHAN_FACTOR
            if queue == "teknis" and day_index == OUTAGE_DAY_INDEX and hour in OUTAGE_HOURS:
                mean *= OUTAGE_TEKNIS_FACTOR
            means[(queue, hour)] = mean
    return means


class CallerBook:
    """Chooses who calls: a recent caller again (at REPEAT_CALLER_RATE) or a new customer."""

    def __init__(self, rng: random.Random, customers: CustomerPool) -> None:
        self._rng = rng
        self._customers = customers
        self._calls_by_queue: dict[str, list[tuple[int, Customer]]] = {queue: [] for queue in VOICE_QUEUES}

    def choose_caller(self, queue: str, at: int) -> Customer:
        rng = self._rng
        if rng.random() < REPEAT_CALLER_RATE:
            # Most repeat callers come back to the same queue, and the others reach another one.
            history_queue = queue if rng.random() < 0.7 else rng.choice(VOICE_QUEUES)
            history = self._calls_by_queue[history_queue]
            window_start = bisect.bisect_left(history, at - REPEAT_WINDOW_DAYS * SECONDS_PER_DAY, key=lambda item: item[0])
            if window_start < len(history):
                return history[rng.randrange(window_start, len(history))][1]
        return self._customers.new_customer()

    def record_call(self, queue: str, at: int, customer: Customer) -> None:
        self._calls_by_queue[queue].append((at, customer))


def ready_at(agent_day: AgentDay, at: int) -> int | None:
    """Return when a member can next be offered a call at or after `at`, or None if not before the shift ends."""
    ready = max(at, agent_day.login_at, agent_day.free_at)
    for pause in agent_day.pauses:
        if pause.end_at <= ready:
            continue
        if pause.start_at <= ready:
            ready = pause.end_at
        else:
            break
    return ready if ready < agent_day.shift_end_at else None


def is_present(agent_day: AgentDay, at: int) -> bool:
    """Return whether a member is logged in at an instant and either on a call or not paused."""
    if not agent_day.login_at <= at < max(agent_day.shift_end_at, agent_day.free_at):
        return False
    if agent_day.free_at > at:
        return True
    return not any(pause.start_at <= at < pause.end_at for pause in agent_day.pauses)


def occupy(rng: random.Random, agent_day: AgentDay, start_at: int, busy_until: int) -> None:
    """Mark a member busy and move pauses that were due during the busy time to its end."""
    agent_day.free_at = max(agent_day.free_at, busy_until)
    cursor = busy_until
    moved: list[Pause] = []
    for pause in agent_day.pauses:
        if start_at < pause.start_at < cursor:
            pause = replace(pause, start_at=cursor + rng.randint(1, 20))
            cursor = pause.end_at + rng.randint(30, 120)
        moved.append(pause)
    agent_day.pauses = moved


def add_pause(rng: random.Random, agent_day: AgentDay, pause: Pause) -> None:
    """Insert a pause, moving later pauses that it overlaps."""
    occupy(rng, agent_day, pause.start_at - 1, pause.end_at)
    agent_day.pauses = sorted(agent_day.pauses + [pause], key=lambda existing: existing.start_at)


def earliest_ready_member(members: list[AgentDay], at: int, excluded: list[AgentDay]) -> tuple[int, AgentDay] | None:
    best: tuple[int, int, str, AgentDay] | None = None
    for member in members:
        if member in excluded:
            continue
        ready = ready_at(member, at)
        if ready is None:
            continue
        candidate = (ready, member.free_at, member.sort_key, member)
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    return None if best is None else (best[0], best[3])


def queue_position(earlier_calls: list[QueueCall], at: int) -> int:
    """Return a caller's position at an instant: 1 plus the earlier callers still waiting."""
    return 1 + sum(1 for call in earlier_calls if call.left_queue_at > at)


def dial_outbound(
    rng: random.Random,
    agent: Agent,
    customer: Customer,
    started_at: int,
    disposition_weights: tuple[int, int, int, int] = (70, 18, 8, 4),
    talk_seconds_range: tuple[int, int] = (40, 300),
) -> OutboundCall:
    """Simulate an agent dialling a customer's mobile through the Telkom trunk.

    `disposition_weights` weigh ANSWERED, NO ANSWER, BUSY and FAILED.
    """
    disposition = rng.choices(("ANSWERED", "NO ANSWER", "BUSY", "FAILED"), weights=disposition_weights)[0]
    answered_at: int | None = None
    if disposition == "ANSWERED":
        answered_at = started_at + rng.randint(5, 25)
        ended_at = answered_at + rng.randint(*talk_seconds_range)
    elif disposition == "NO ANSWER":
        ended_at = started_at + rng.randint(30, 60)
    elif disposition == "BUSY":
        ended_at = started_at + rng.randint(3, 8)
    else:
        ended_at = started_at + rng.randint(0, 2)
    return OutboundCall(
        agent=agent,
        customer=customer,
        dialled_number=format_phone(customer.national_number, "local"),
        channel=Channel(agent.interface, started_at),
        trunk_channel=Channel("PJSIP/trunk-telkom", started_at),
        started_at=started_at,
        answered_at=answered_at,
        ended_at=ended_at,
        disposition=disposition,
    )


def transfer_kinds(is_upgraded: bool) -> tuple[list[str], list[int]]:
    """Return the transfer kinds of the Asterisk version and their weights."""
    if not is_upgraded:
        return ["asterisk11"], [1]
    return list(TRANSFER_KIND_WEIGHTS), list(TRANSFER_KIND_WEIGHTS.values())


def local_channel_pair(rng: random.Random, interface: str) -> tuple[str, str]:
    """Return the two halves of the Local channel an attended transfer of kind LINK bridges through."""
    extension = interface.split("/")[-1]
    suffix = f"{rng.getrandbits(32):08x}"
    return f"Local/{extension}@{TRANSFER_CONTEXT}-{suffix};1", f"Local/{extension}@{TRANSFER_CONTEXT}-{suffix};2"


class DaySimulation:
    """Runs one day of the three queues with the members planned for that day.

    `upgrade_at` is when Asterisk 16 replaced Asterisk 11, or None if it did not within the period.
    """

    def __init__(self, rng: random.Random, callers: CallerBook, agent_days: list[AgentDay], upgrade_at: int | None) -> None:
        self.rng = rng
        self.callers = callers
        self.upgrade_at = upgrade_at
        self.members = {queue: sorted((day for day in agent_days if queue in day.queues), key=lambda day: day.sort_key) for queue in VOICE_QUEUES}
        self.earlier_calls: dict[str, list[QueueCall]] = {queue: [] for queue in VOICE_QUEUES}
        self.callback_requests: dict[str, list[tuple[int, Customer]]] = {queue: [] for queue in VOICE_QUEUES}
        self.outbound_calls: list[OutboundCall] = []
        for agent_day in agent_days:
            agent_day.free_at = agent_day.login_at

    def is_upgraded_at(self, at: int) -> bool:
        return self.upgrade_at is not None and at >= self.upgrade_at

    def run_call(self, call: QueueCall) -> QueueCall | None:
        """Run one queue stay and return the stay the contact continues in, if any, to run at its entry time."""
        rng = self.rng
        members = self.members[call.queue]
        earlier = [earlier_call for earlier_call in self.earlier_calls[call.queue] if earlier_call.left_queue_at > call.entered_at]
        self.earlier_calls[call.queue] = earlier
        call.position = queue_position(earlier, call.entered_at)

        patience_seconds = draw_patience_seconds(rng)
        presses_key = rng.random() < CALLBACK_KEY_RATE
        abandon_outcome = "abandoned"
        if patience_seconds >= WITHDRAW_MIN_PATIENCE_SECONDS and rng.random() < WITHDRAW_RATE:
            abandon_outcome = "withdrawn"
        give_ups = [
            (call.entered_at + patience_seconds, abandon_outcome),
            (call.entered_at + QUEUE_TIMEOUT_SECONDS[call.queue], "timeout"),
        ]
        if presses_key:
            give_ups.append((call.entered_at + CALLBACK_ANNOUNCE_SECONDS + rng.randint(1, 8), "exit_key"))
        give_up_at, give_up_outcome = min(give_ups)

        # With `leavewhenempty=paused`, a caller who joins while every member is logged off or
        # paused leaves at once. Members on a call still count as present.
        present = [member for member in members if is_present(member, call.entered_at)]
        if not present:
            return self.leave_queue(call, call.entered_at + 1, "exit_empty", earlier)

        cursor = call.entered_at
        while True:
            found = earliest_ready_member(members, cursor, [attempt.agent_day for attempt in call.attempts] + list(call.earlier_agents))
            if found is None:
                empty_at = max([cursor] + [max(member.shift_end_at, member.free_at) for member in members if member.login_at <= cursor])
                if give_up_at <= empty_at:
                    return self.leave_queue(call, give_up_at, give_up_outcome, earlier)
                return self.leave_queue(call, empty_at, "exit_empty", earlier)

            ring_start_at, member = found
            if ring_start_at >= give_up_at:
                return self.leave_queue(call, give_up_at, give_up_outcome, earlier)

            ring_channel = Channel(member.interface, ring_start_at)
            if rng.random() < RING_NO_ANSWER_RATE and len(call.attempts) < 3:
                ring_end_at = ring_start_at + MEMBER_RING_TIMEOUT_SECONDS
                if ring_end_at >= give_up_at:
                    # The caller hangs up while the phone rings: Asterisk logs only the caller's exit.
                    call.attempts.append(RingAttempt(member, ring_channel, ring_start_at, give_up_at, False, False, 0))
                    occupy(rng, member, ring_start_at, give_up_at)
                    return self.leave_queue(call, give_up_at, give_up_outcome, earlier)
                ring_milliseconds = MEMBER_RING_TIMEOUT_SECONDS * 1000 + rng.randint(0, 40)
                call.attempts.append(RingAttempt(member, ring_channel, ring_start_at, ring_end_at, False, True, ring_milliseconds))
                occupy(rng, member, ring_start_at, ring_end_at)
                cursor = ring_end_at
                continue

            connect_at = ring_start_at + rng.randint(2, 8)
            if connect_at >= give_up_at:
                call.attempts.append(RingAttempt(member, ring_channel, ring_start_at, give_up_at, False, False, 0))
                occupy(rng, member, ring_start_at, give_up_at)
                return self.leave_queue(call, give_up_at, give_up_outcome, earlier)

            if call.queue in RING_ALL_QUEUES:
                self.ring_other_members(call, member, ring_start_at, connect_at)
            return self.connect(call, member, ring_channel, ring_start_at, connect_at)

    def ring_other_members(self, call: QueueCall, answering: AgentDay, ring_start_at: int, connect_at: int) -> None:
        """Record the idle members a ring-all queue rang together with the one who answered."""
        tried = [attempt.agent_day for attempt in call.attempts]
        idle = [
            member
            for member in self.members[call.queue]
            if member is not answering and member not in tried and member.free_at <= ring_start_at and ready_at(member, ring_start_at) == ring_start_at
        ]
        for member in idle[:RING_ALL_MAX_OTHER_MEMBERS]:
            call.attempts.append(RingAttempt(member, Channel(member.interface, ring_start_at), ring_start_at, connect_at, False, False, 0))

    def leave_queue(self, call: QueueCall, left_at: int, outcome: str, earlier: list[QueueCall]) -> QueueCall | None:
        """End an unanswered stay and return the overflow stay when the queue passes timed-out callers on."""
        rng = self.rng
        call.outcome = outcome
        call.left_queue_at = left_at
        call.exit_position = queue_position(earlier, left_at)
        self.earlier_calls[call.queue].append(call)
        overflow_queue = OVERFLOW_QUEUES.get(call.queue) if outcome == "timeout" else None
        if overflow_queue is not None:
            call.ended_at = left_at
            call.next_stay = self.requeue(call, overflow_queue, left_at + 1)
            return call.next_stay
        # After the queue the dialplan plays a goodbye or callback confirmation unless the caller hung up.
        call.ended_at = left_at if outcome == "abandoned" else left_at + rng.randint(4, 15)
        wants_callback = outcome in ("exit_key", "withdrawn")
        if wants_callback or (outcome == "abandoned" and call.wait_seconds > 60 and rng.random() < MISSED_CALL_RETURN_RATE):
            if call.callerid not in ("", "anonymous"):
                self.callback_requests[call.queue].append((left_at, call.customer))
        return None

    def requeue(self, call: QueueCall, queue: str, entered_at: int) -> QueueCall:
        """Return the stay in which a caller enters another queue under the same call id."""
        answering = call.answering_attempt
        return QueueCall(
            queue=queue,
            customer=call.customer,
            callerid=call.callerid,
            trunk=call.trunk,
            channel=call.channel,
            started_at=call.started_at,
            entered_at=entered_at,
            position=1,
            earlier_agents=call.earlier_agents + ((answering.agent_day,) if answering is not None else ()),
        )

    def connect(self, call: QueueCall, member: AgentDay, ring_channel: Channel, ring_start_at: int, connect_at: int) -> QueueCall | None:
        talk_time_factor = member.agent.talk_time_factor if member.agent is not None else 1.2
        call.talk_seconds = draw_talk_seconds(self.rng, call.queue, talk_time_factor)
        call.attempts.append(RingAttempt(member, ring_channel, ring_start_at, connect_at, True, False, (connect_at - ring_start_at) * 1000))
        call.outcome = "answered"
        call.left_queue_at = connect_at
        call.exit_position = call.position
        self.earlier_calls[call.queue].append(call)
        return self.finish_leg(call, member, ring_start_at)

    def finish_leg(self, call: QueueCall, member: AgentDay, busy_from: int) -> QueueCall | None:
        """End an answered stay's leg by a hang-up or a transfer, then plan the agent's after-call work.

        Returns the stay a transfer to a queue continues in, which the day loop runs at its entry time.
        """
        rng = self.rng
        call.ended_at = call.left_queue_at + call.talk_seconds
        continuation = None
        if member.agent is not None and call.legs_before < len(TRANSFER_RATES) and rng.random() < TRANSFER_RATES[call.legs_before]:
            continuation = self.transfer(call, member)
        if call.transfer is None and call.logs_connect:
            call.is_agent_hangup = rng.random() < AGENT_HANGUP_RATE
        occupy(rng, member, busy_from, call.ended_at + WRAPUP_SECONDS)
        self.plan_after_call_work(call, member)
        return continuation

    def transfer(self, call: QueueCall, member: AgentDay) -> QueueCall | None:
        """Transfer the caller away from `member` and return the continuing queue stay, if any.

        Transfers to a queue return a new stay. An attended transfer to a colleague runs the
        colleague's leg at once and returns whatever that leg continues in. When no colleague is
        free soon enough, the agent keeps the caller and nothing changes.
        """
        rng = self.rng
        kinds, weights = transfer_kinds(self.is_upgraded_at(call.started_at))
        kind = rng.choices(kinds, weights=weights)[0]
        if kind in ("attended_bridge", "attended_link"):
            return self.transfer_to_colleague(call, member, kind)

        target_queue = rng.choice(TRANSFER_TARGET_QUEUES[call.queue])
        if kind == "attended_app":
            # The agent consulted the target queue, then completed the transfer while that call was in Queue().
            call.talk_seconds += rng.randint(*CONSULT_SECONDS_RANGE)
            call.ended_at = call.left_queue_at + call.talk_seconds
            call.transfer = Transfer("ATTENDEDTRANSFER", ("APP", "Queue"))
        else:
            event = "BLINDTRANSFER" if kind == "blind" else "TRANSFER"
            call.transfer = Transfer(event, (QUEUE_EXTENSIONS[target_queue], TRANSFER_CONTEXT))
        call.next_stay = self.requeue(call, target_queue, call.ended_at + rng.randint(1, 3))
        return call.next_stay

    def transfer_to_colleague(self, call: QueueCall, member: AgentDay, kind: str) -> QueueCall | None:
        rng = self.rng
        consult_seconds = rng.randint(*CONSULT_SECONDS_RANGE)
        consult_earliest_at = max(call.left_queue_at, call.ended_at - consult_seconds)
        found = earliest_ready_member(self.members[call.queue], consult_earliest_at, [member, *call.earlier_agents])
        if found is None or found[0] > consult_earliest_at + CONSULT_MAX_WAIT_SECONDS:
            return None
        consult_start_at, colleague = found
        transferred_at = consult_start_at + consult_seconds
        call.talk_seconds = transferred_at - call.left_queue_at
        call.ended_at = transferred_at
        if kind == "attended_bridge":
            call.transfer = Transfer("ATTENDEDTRANSFER", ("BRIDGE", str(uuid.UUID(int=rng.getrandbits(128), version=4))))
        else:
            call.transfer = Transfer("ATTENDEDTRANSFER", ("LINK",) + local_channel_pair(rng, colleague.interface))

        # The colleague's phone rang when the agent dialled them for the consultation.
        ring_milliseconds = rng.randint(2, 6) * 1000
        talk_time_factor = colleague.agent.talk_time_factor if colleague.agent is not None else 1.2
        colleague_leg = QueueCall(
            queue=call.queue,
            customer=call.customer,
            callerid=call.callerid,
            trunk=call.trunk,
            channel=call.channel,
            started_at=call.started_at,
            entered_at=call.entered_at,
            position=call.position,
            outcome="answered",
            left_queue_at=transferred_at,
            exit_position=call.position,
            attempts=[RingAttempt(colleague, Channel(colleague.interface, consult_start_at), consult_start_at, transferred_at, True, False, ring_milliseconds)],
            talk_seconds=draw_talk_seconds(rng, call.queue, talk_time_factor),
            is_requeued=False,
            earlier_agents=call.earlier_agents + (member,),
        )
        if rng.random() < NO_CONNECT_RATE:
            # app_queue then logs only the colleague's completion, always as COMPLETEAGENT.
            colleague_leg.logs_connect = False
            colleague_leg.is_agent_hangup = True
        call.next_stay = colleague_leg
        return self.finish_leg(colleague_leg, colleague, consult_start_at)

    def plan_after_call_work(self, call: QueueCall, member: AgentDay) -> None:
        """Plan the after-call work pause of most legs, with a callback dialled during some of them."""
        rng = self.rng
        if member.agent is None or rng.random() >= ACW_PAUSE_RATE:
            return
        acw_start_at = call.ended_at + rng.randint(0, 3)
        acw_end_at = acw_start_at + rng.randint(*ACW_SECONDS_RANGE)
        pending = [(requested_at, queue) for queue in member.queues for requested_at, _ in self.callback_requests[queue][:1] if requested_at < acw_start_at]
        if pending and rng.random() < CALLBACK_IN_ACW_RATE:
            _, queue = min(pending)
            _, customer = self.callback_requests[queue].pop(0)
            outbound = dial_outbound(rng, member.agent, customer, acw_start_at + rng.randint(5, 20))
            self.outbound_calls.append(outbound)
            acw_end_at = outbound.ended_at + rng.randint(10, 40)
        add_pause(rng, member, Pause("ACW", acw_start_at, acw_end_at - acw_start_at, after_call=call))

    def close_day(self) -> None:
        """Log every member off after the shift, the last call and the last pause, whichever is latest."""
        rng = self.rng
        seen: list[AgentDay] = []
        for members in self.members.values():
            for member in members:
                if member in seen:
                    continue
                seen.append(member)
                member.pauses = [pause for pause in member.pauses if pause.start_at < member.shift_end_at or pause.after_call is not None]
                last_pause_end_at = max([pause.end_at for pause in member.pauses], default=0)
                member.logoff_at = max(member.shift_end_at, member.free_at, last_pause_end_at) + rng.randint(5, 120)


def draw_queue_arrivals(rng: random.Random, day: date, day_index: int) -> list[tuple[int, str]]:
    """Draw (enter time, queue) pairs for one day, in time order."""
    daily_volume = rng.uniform(*WEEKDAY_CALL_VOLUME_RANGE)
    if is_day_off(day):
        daily_volume *= WEEKEND_VOLUME_FACTOR
    arrivals: list[tuple[int, str]] = []
    for (queue, hour), mean in sorted(hourly_call_means(day, day_index, daily_volume).items()):
        hour_start_at = local_epoch(day, hour, 0, "Asia/Jakarta")
        for _ in range(draw_poisson(rng, mean)):
            arrivals.append((hour_start_at + rng.randrange(SECONDS_PER_HOUR), queue))
    return sorted(arrivals)


def draw_ivr_only_calls(rng: random.Random, callers: CallerBook, day: date, queue_call_count: int, is_first_day: bool) -> list[IvrOnlyCall]:
    """Draw calls that hang up in the IVR menu during opening hours or hear the closed message after them."""
    open_hour, close_hour = (9, 17) if is_day_off(day) else (8, 20)
    opening_at = local_epoch(day, open_hour, 0, "Asia/Jakarta")
    closing_at = local_epoch(day, close_hour, 0, "Asia/Jakarta")
    # Each window is (first start, span in seconds, dialplan application, its argument).
    windows = [(opening_at, closing_at - opening_at, "BackGround", "custom/menu-utama")] * round(queue_call_count * IVR_ONLY_CALL_RATE)
    windows += [(closing_at, 2 * SECONDS_PER_HOUR, "Playback", "custom/diluar-jam-layanan")] * rng.randint(5, 15)
    if is_first_day:
        # Two calls reach the closed message before the first Asterisk start of the period, so cdr_csv
        # writes them with the old column set.
        windows += [(local_epoch(day, 5, 40, "Asia/Jakarta"), 40 * SECONDS_PER_MINUTE, "Playback", "custom/diluar-jam-layanan")] * 2
    calls: list[IvrOnlyCall] = []
    for window_start_at, span_seconds, last_app, last_data in windows:
        started_at = window_start_at + rng.randrange(span_seconds)
        customer = callers.choose_caller("layanan-umum", started_at)
        callerid, trunk = draw_callerid(rng, customer)
        calls.append(
            IvrOnlyCall(
                customer=customer,
                callerid=callerid,
                trunk=trunk,
                channel=Channel(f"PJSIP/{trunk}", started_at),
                started_at=started_at,
                ended_at=started_at + rng.randint(8, 70),
                last_app=last_app,
                last_data=last_data,
            )
        )
    return sorted(calls, key=lambda call: (call.started_at, call.customer.customer_key))


def simulate_telephony(rng: random.Random, customers: CustomerPool, agent_days: list[AgentDay], days: list[date], upgrade_at: int | None) -> TelephonyPlan:
    """Simulate every day of the period and return the calls, callbacks and IVR-only calls.

    Each day's queue entries run in time order: new callers as they arrive, and callers who
    overflow or are transferred to another queue when they enter it.
    """
    callers = CallerBook(rng, customers)
    queue_calls: list[QueueCall] = []
    outbound_calls: list[OutboundCall] = []
    ivr_only_calls: list[IvrOnlyCall] = []
    for day_index, day in enumerate(days):
        simulation = DaySimulation(rng, callers, [agent_day for agent_day in agent_days if agent_day.day == day], upgrade_at)
        arrivals = draw_queue_arrivals(rng, day, day_index)
        # Entries as (enter time, order, stay or None for a new caller, queue). The order breaks ties.
        entries: list[tuple[int, int, QueueCall | None, str]] = [(entered_at, order, None, queue) for order, (entered_at, queue) in enumerate(arrivals)]
        heapq.heapify(entries)
        order = len(entries)
        while entries:
            entered_at, _, stay, queue = heapq.heappop(entries)
            if stay is None:
                customer = callers.choose_caller(queue, entered_at)
                callerid, trunk = draw_callerid(rng, customer)
                started_at = entered_at - rng.randint(8, 45)
                stay = QueueCall(
                    queue=queue,
                    customer=customer,
                    callerid=callerid,
                    trunk=trunk,
                    channel=Channel(f"PJSIP/{trunk}", started_at),
                    started_at=started_at,
                    entered_at=entered_at,
                    position=1,
                )
                queue_calls.append(stay)
                continuation = simulation.run_call(stay)
                callers.record_call(queue, entered_at, customer)
            else:
                continuation = simulation.run_call(stay)
            if continuation is not None:
                heapq.heappush(entries, (continuation.entered_at, order, continuation, continuation.queue))
                order += 1
        simulation.close_day()
        outbound_calls.extend(simulation.outbound_calls)
        ivr_only_calls.extend(draw_ivr_only_calls(rng, callers, day, len(arrivals), day_index == 0))
    return TelephonyPlan(queue_calls, outbound_calls, ivr_only_calls, agent_days)
