"""Plan post-contact survey responses: an SMS survey after answered calls, an e-mail survey after solved tickets.

A respondent gives a CSAT score (1-5), often also an NPS score (0-10), between minutes and five
days after the contact. The survey tool exports one CSV per day of arrival, so a response often
lands in a later file than its contact.
"""

import random
from dataclasses import dataclass
from datetime import date

from orchestration.demo.calls import QueueCall
from orchestration.demo.localtime import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE, Period, format_local_iso, local_date
from orchestration.demo.tickets import PlannedTicket

SURVEY_HEADER = ("response_id", "contact_ref", "survey_type", "score", "submitted_at")
CALL_SURVEY_RESPONSE_RATE = 0.14
TICKET_SURVEY_RESPONSE_RATE = 0.12
NPS_ALSO_RATE = 0.4
BASE_CSAT = 4.1
MAX_ARRIVAL_DELAY_SECONDS = 5 * SECONDS_PER_DAY


@dataclass
class SurveyResponse:
    contact_ref: str
    survey_type: str
    score: str
    submitted_at: int
    response_id: str = ""

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.response_id, self.contact_ref, self.survey_type, self.score, format_local_iso(self.submitted_at))


def draw_response_delay_seconds(rng: random.Random) -> int:
    """Draw how long after the contact a response arrives: mostly within hours, at most five days."""
    roll = rng.random()
    if roll < 0.6:
        return rng.randint(2 * SECONDS_PER_MINUTE, 3 * SECONDS_PER_HOUR)
    if roll < 0.85:
        return rng.randint(3 * SECONDS_PER_HOUR, 36 * SECONDS_PER_HOUR)
    return rng.randint(36 * SECONDS_PER_HOUR, MAX_ARRIVAL_DELAY_SECONDS)


def draw_scores(rng: random.Random, mood: float, contact_ref: str, submitted_at: int) -> list[SurveyResponse]:
    """Draw a CSAT response and sometimes an NPS response. `mood` shifts the expected CSAT."""
    csat = min(5, max(1, round(BASE_CSAT + mood + rng.gauss(0, 0.9))))
    responses = [SurveyResponse(contact_ref, "csat", str(csat), submitted_at)]
    if rng.random() < NPS_ALSO_RATE:
        nps = min(10, max(0, round(2 * csat + rng.gauss(0, 1.2))))
        responses.append(SurveyResponse(contact_ref, "nps", str(nps), submitted_at + rng.randint(5, 60)))
    return responses


def call_mood(call: QueueCall) -> float:
    """Score shift for a call: the last agent's own shift, minus a penalty for a long wait in the first queue."""
    answering = [stay.answering_attempt for stay in call.stays if stay.answering_attempt is not None]
    agent = answering[-1].agent_day.agent if answering else None
    mood = agent.csat_shift if agent is not None else -0.2
    if call.wait_seconds > 300:
        mood -= 1.0
    elif call.wait_seconds > 120:
        mood -= 0.5
    return mood


def plan_surveys(rng: random.Random, period: Period, queue_calls: list[QueueCall], tickets: list[PlannedTicket]) -> list[SurveyResponse]:
    """Plan responses that arrive within the period, numbered in arrival order."""
    responses: list[SurveyResponse] = []
    for call in queue_calls:
        if call.is_handled and rng.random() < CALL_SURVEY_RESPONSE_RATE:
            submitted_at = call.last_stay.ended_at + draw_response_delay_seconds(rng)
            responses.extend(draw_scores(rng, call_mood(call), call.channel.uniqueid, submitted_at))
    for ticket in tickets:
        if ticket.channel == "voice":
            # The call had its own SMS survey.
            continue
        solved_updates = [update for update in ticket.updates if update.changes.get("status") == "solved"]
        if solved_updates and rng.random() < TICKET_SURVEY_RESPONSE_RATE:
            was_reopened = len(solved_updates) > 1
            submitted_at = solved_updates[-1].at + draw_response_delay_seconds(rng)
            responses.extend(draw_scores(rng, -0.8 if was_reopened else 0.0, str(ticket.ticket_id), submitted_at))

    arrived = sorted((response for response in responses if response.submitted_at < period.end_at), key=lambda response: (response.submitted_at, response.contact_ref, response.survey_type))
    for number, response in enumerate(arrived, start=1):
        response.response_id = f"RSP-{number:07d}"
    return arrived


def group_by_arrival_date(responses: list[SurveyResponse], period: Period) -> dict[date, list[SurveyResponse]]:
    """Group responses by the Jakarta date they arrived. Every day of the period gets a file, even an empty one."""
    files: dict[date, list[SurveyResponse]] = {day: [] for day in period.dates}
    for response in responses:
        files[local_date(response.submitted_at)].append(response)
    return files


def survey_file_name(day: date) -> str:
    return f"surveys-{day.isoformat()}.csv"
