"""Shifts and planned pauses of the Asterisk and Zendesk agents, one `AgentDay` per agent and working day.

Local clock times are the site's: the Teknis team in Makassar starts at 09:00 WITA, which is
08:00 in Jakarta, so all voice queues open at the same instant. Every day one Teknis agent works
the night shift from 17:00 to 01:00 WITA for the late `teknis` calls, so that shift crosses local
midnight. On the last day of the period it is still running when the data ends, and that agent's
session has no logoff. Telesales agents work 09:00 to 17:00 Jakarta time on weekdays that are not
public holidays. The Amazon Connect agents plan their own days in `amazon_connect`.
"""

import heapq
import random
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from orchestration.demo.centre import Agent
from orchestration.demo.localtime import SECONDS_PER_HOUR, SECONDS_PER_MINUTE, is_day_off, local_epoch

if TYPE_CHECKING:
    from orchestration.demo.calls import QueueCall

SHIFT_LENGTH_HOURS = 8
# Local start hours per team: the earliest weekday shift, the latest, and the single weekend shift.
# Each day the team's working agents are ranked (the ranking rotates weekly): the first 35% start
# early, the last 40% start late, and the rest start in between, so every hour is covered.
SHIFT_START_HOURS = {
    "Layanan Umum": (8, 12, 9),
    "Tagihan": (8, 12, 9),
    "Teknis": (9, 13, 10),
    "Digital": (8, 13, 9),
}
NIGHT_SHIFT_TEAM = "Teknis"
NIGHT_SHIFT_START_HOUR = 17
# The night shift needs this many Teknis agents at work that day, so the day shifts stay covered.
NIGHT_SHIFT_MIN_TEAM_SIZE = 3
TELESALES_SHIFT_START_HOUR = 9
EARLY_SHIFT_SHARE = 0.35
LATE_SHIFT_SHARE = 0.40

# Weekday (Monday is 0) of each team's weekly briefing, logged as a `Rapat` pause.
BRIEFING_WEEKDAY = {"Layanan Umum": 1, "Tagihan": 2, "Teknis": 3, "Digital": 0}

# Approximate local clock times of Dzuhur, Ashar and Maghrib in August, per site.
PRAYER_TIMES = {
    "Asia/Jakarta": ((11, 57), (15, 18), (17, 55)),
    "Asia/Makassar": ((12, 5), (15, 25), (18, 8)),
}

# Queue member used by a temporary agent whom the roster does not list.
TEMP_AGENT_INTERFACE = "PJSIP/1999"

LATE_LOGIN_RATE = 0.12
MEMBER_NAME_LOGIN_RATE = 0.4


@dataclass
class Pause:
    """A planned pause. `after_call` is the call whose after-call work the pause is, or None for a break."""

    reason: str
    start_at: int
    duration_seconds: int
    after_call: "QueueCall | None" = None

    @property
    def end_at(self) -> int:
        return self.start_at + self.duration_seconds


@dataclass(eq=False)
class AgentDay:
    """An agent's working day: the queue_log identity, login, shift end and pauses.

    `agent` is None for the temporary agent, who is missing from the roster. `identity` is the
    name Asterisk writes in the agent field: the interface, or the member name on days a
    supervisor added the agent from the wallboard. The call simulation moves pauses that fall
    inside a call to the end of the call and fills in `free_at` and `logoff_at`.
    """

    agent: Agent | None
    identity: str
    interface: str
    queues: tuple[str, ...]
    day: date
    login_at: int
    shift_start_at: int
    shift_end_at: int
    pauses: list[Pause]
    is_added_by_manager: bool
    free_at: int = 0
    logoff_at: int = 0

    @property
    def sort_key(self) -> str:
        return self.agent.agent_id if self.agent is not None else self.interface


def is_working_day(agent: Agent, day: date) -> bool:
    """Return whether an agent works on a day. On a public holiday only the weekend workers do."""
    if day < agent.hire_date:
        return False
    if is_day_off(day):
        return agent.works_weekends
    return day.weekday() not in agent.weekday_days_off


def shift_start_hour(team: str, day: date, rank: int, working_count: int) -> int:
    """Return the local start hour of the agent ranked `rank` among `working_count` team members that day."""
    earliest, latest, weekend = SHIFT_START_HOURS[team]
    if is_day_off(day):
        return weekend
    rank_fraction = (rank + 0.5) / working_count
    if rank_fraction < EARLY_SHIFT_SHARE:
        return earliest
    if rank_fraction >= 1 - LATE_SHIFT_SHARE:
        return latest
    return earliest + 1 + rank % (latest - earliest - 1)


def plan_pauses(rng: random.Random, agent: Agent, day: date, shift_start_at: int, shift_end_at: int) -> list[Pause]:
    """Plan lunch, a short break, prayers and the weekly briefing, without overlaps."""
    pauses = [
        Pause("Istirahat", shift_start_at + 4 * SECONDS_PER_HOUR + rng.randint(-50, 40) * SECONDS_PER_MINUTE, rng.randint(40 * 60, 60 * 60)),
    ]
    short_break_hours = rng.choice((rng.uniform(1.5, 2.5), rng.uniform(5.5, 6.5)))
    pauses.append(Pause("Istirahat", shift_start_at + int(short_break_hours * SECONDS_PER_HOUR), rng.randint(10 * 60, 15 * 60)))

    if agent.is_muslim:
        lunch = pauses[0]
        for hour, minute in PRAYER_TIMES[agent.site_timezone]:
            prayer_start_at = local_epoch(day, hour, minute, agent.site_timezone) + rng.randint(0, 20) * SECONDS_PER_MINUTE
            overlaps_lunch = lunch.start_at - 15 * SECONDS_PER_MINUTE <= prayer_start_at <= lunch.end_at
            if shift_start_at < prayer_start_at < shift_end_at and not overlaps_lunch:
                pauses.append(Pause("Sholat", prayer_start_at, rng.randint(10 * 60, 15 * 60)))

    if day.weekday() == BRIEFING_WEEKDAY[agent.team]:
        pauses.append(Pause("Rapat", shift_start_at + SECONDS_PER_HOUR + rng.randint(0, 20) * SECONDS_PER_MINUTE, rng.randint(25 * 60, 35 * 60)))

    return separate_pauses(rng, pauses, shift_end_at)


def separate_pauses(rng: random.Random, pauses: list[Pause], shift_end_at: int) -> list[Pause]:
    """Sort pauses, start each one after the previous has ended and drop those too close to the shift end."""
    separated: list[Pause] = []
    for pause in sorted(pauses, key=lambda pause: (pause.start_at, pause.reason)):
        if separated and pause.start_at < separated[-1].end_at:
            pause = replace(pause, start_at=separated[-1].end_at + rng.randint(60, 300))
        if pause.end_at <= shift_end_at - 20 * SECONDS_PER_MINUTE:
            separated.append(pause)
    return separated


def plan_agent_day(rng: random.Random, agent: Agent, day: date, start_hour: int) -> AgentDay:
    shift_start_at = local_epoch(day, start_hour, 0, agent.site_timezone)
    shift_end_at = shift_start_at + SHIFT_LENGTH_HOURS * SECONDS_PER_HOUR
    if rng.random() < LATE_LOGIN_RATE:
        login_at = shift_start_at + rng.randint(60, 15 * 60)
    else:
        login_at = shift_start_at - rng.randint(2 * 60, 10 * 60)

    is_added_by_manager = agent.member_name is not None and rng.random() < MEMBER_NAME_LOGIN_RATE
    identity = agent.member_name if is_added_by_manager and agent.member_name else agent.interface
    # Digital and telesales agents are in no queue, so their pauses would never reach queue_log.
    pauses = [] if not agent.queues else plan_pauses(rng, agent, day, shift_start_at, shift_end_at)
    return AgentDay(
        agent=agent,
        identity=identity,
        interface=agent.interface,
        queues=agent.queues,
        day=day,
        login_at=login_at,
        shift_start_at=shift_start_at,
        shift_end_at=shift_end_at,
        pauses=pauses,
        is_added_by_manager=is_added_by_manager,
    )


def plan_temp_agent_day(rng: random.Random, day: date) -> AgentDay:
    """Plan a short morning for the temporary agent who covers `layanan-umum` and is not in the roster."""
    login_at = local_epoch(day, 10, 0, "Asia/Jakarta") + rng.randint(0, 300)
    return AgentDay(
        agent=None,
        identity=TEMP_AGENT_INTERFACE,
        interface=TEMP_AGENT_INTERFACE,
        queues=("layanan-umum",),
        day=day,
        login_at=login_at,
        shift_start_at=login_at,
        shift_end_at=login_at + 70 * SECONDS_PER_MINUTE,
        pauses=[],
        is_added_by_manager=False,
    )


def stagger_pauses(rng: random.Random, agent_days: list[AgentDay]) -> None:
    """Delay pauses that would leave a queue with every logged-in member paused, as a supervisor would.

    Pauses are taken in start order. A pause whose start finds all other present members of one
    of its queues already paused moves to just after the first of them returns. A member alone
    in a queue still takes the break, so the queue can be empty then.
    """
    heap: list[tuple[int, int, int, Pause]] = []
    for member_index, agent_day in enumerate(agent_days):
        for pause in agent_day.pauses:
            heapq.heappush(heap, (pause.start_at, member_index, len(heap), pause))
        agent_day.pauses = []

    order = len(heap)
    while heap:
        start_at, member_index, _, pause = heapq.heappop(heap)
        member = agent_days[member_index]
        if member.pauses and start_at < member.pauses[-1].end_at:
            start_at = member.pauses[-1].end_at + rng.randint(60, 300)
        blocking_ends = []
        for queue in member.queues:
            others = [other for other in agent_days if other is not member and queue in other.queues and other.login_at <= start_at < other.shift_end_at]
            covering = [next((taken.end_at for taken in other.pauses if taken.start_at <= start_at < taken.end_at), None) for other in others]
            if others and all(end_at is not None for end_at in covering):
                blocking_ends.append(min(end_at for end_at in covering if end_at is not None))
        if blocking_ends:
            order += 1
            heapq.heappush(heap, (max(blocking_ends) + rng.randint(30, 120), member_index, order, pause))
            continue
        if start_at + pause.duration_seconds <= member.shift_end_at - 20 * SECONDS_PER_MINUTE:
            member.pauses.append(replace(pause, start_at=start_at))


def plan_agent_days(rng: random.Random, agents: list[Agent], days: list[date], temp_agent_days: list[date]) -> list[AgentDay]:
    """Plan the working days of the Asterisk and Zendesk agents, plus the temporary agent's, sorted by login time."""
    shift_agents = [agent for agent in agents if agent.connect_username is None and not agent.is_telesales]
    telesales_agents = [agent for agent in agents if agent.is_telesales]
    agent_days: list[AgentDay] = []
    for day in days:
        day_agent_days: list[AgentDay] = []
        for team in sorted({agent.team for agent in shift_agents}):
            working = [agent for agent in shift_agents if agent.team == team and is_working_day(agent, day)]
            # Rotate the ranking by ISO week so each agent moves through early, middle and late shifts.
            week = day.isocalendar().week
            ranked = sorted(working, key=lambda agent: ((int(agent.interface.removeprefix("PJSIP/")) + week) % len(working), agent.agent_id))
            has_night_shift = team == NIGHT_SHIFT_TEAM and len(ranked) >= NIGHT_SHIFT_MIN_TEAM_SIZE
            for rank, agent in enumerate(ranked):
                if has_night_shift and rank == len(ranked) - 1:
                    start_hour = NIGHT_SHIFT_START_HOUR
                else:
                    start_hour = shift_start_hour(team, day, rank, len(ranked) - has_night_shift)
                day_agent_days.append(plan_agent_day(rng, agent, day, start_hour))
        for agent in telesales_agents:
            if is_working_day(agent, day):
                day_agent_days.append(plan_agent_day(rng, agent, day, TELESALES_SHIFT_START_HOUR))
        if day in temp_agent_days:
            day_agent_days.append(plan_temp_agent_day(rng, day))
        stagger_pauses(rng, day_agent_days)
        agent_days.extend(day_agent_days)
    agent_days.sort(key=lambda agent_day: (agent_day.login_at, agent_day.sort_key))
    return agent_days
