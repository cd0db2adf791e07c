"""The fictional contact centre PT Contoh Layanan Nusantara: teams, voice queues and agents.

Three voice teams work in Jakarta (WIB, UTC+7) and Makassar (WITA, UTC+8) on the Asterisk PBX.
The Digital team handles WhatsApp, chat, web and e-mail tickets in Zendesk. Every agent has one or
two Zendesk user ids. Besides the 40 agents of the four teams' main groups, the Layanan Umum team
has two smaller groups:
- four telesales agents in Jakarta who call leads from the CRM on their PJSIP extensions, whose
  endpoints carry the CDR account code `sales`, and who are in no queue;
- five agents in Denpasar (WITA) who answer the ContohNet Bali hotline on Amazon Connect and have
  no PJSIP extension: the roster lists their Connect user name as their telephony id.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from orchestration.demo.localtime import Period, local_date
from orchestration.demo.people import FAMILY_NAMES, GIVEN_NAMES

COMPANY_NAME = "PT Contoh Layanan Nusantara"
BRAND_NAME = "ContohNet"
AGENT_EMAIL_DOMAIN = "contohlayanan.example"

VOICE_QUEUES = ("layanan-umum", "tagihan", "teknis")

# Zendesk users before this id belong to an earlier migration, so ids look like a real account's.
FIRST_ZENDESK_USER_ID = 381_000_000_000


@dataclass(frozen=True)
class Team:
    name: str
    site_timezone: str
    agent_count: int
    queues: tuple[str, ...]
    zendesk_group_id: int


TEAMS = (
    Team("Layanan Umum", "Asia/Jakarta", 12, ("layanan-umum",), 360_010_000_001),
    Team("Tagihan", "Asia/Jakarta", 10, ("tagihan",), 360_010_000_002),
    Team("Teknis", "Asia/Makassar", 10, ("teknis",), 360_010_000_003),
    Team("Digital", "Asia/Jakarta", 8, (), 360_010_000_004),
)
TEAMS_BY_NAME = {team.name: team for team in TEAMS}
TICKET_TEAM = "Digital"

# Extra queues of a voice team's first members, by position in the team. The first two Layanan
# Umum agents are members of all three queues, so a pause of theirs is logged three times.
CROSS_SKILLED_QUEUES = {
    "Layanan Umum": (("tagihan", "teknis"), ("tagihan", "teknis"), ("tagihan",)),
    "Tagihan": (("layanan-umum",), ("layanan-umum",)),
}

TELESALES_TEAM = "Layanan Umum"
TELESALES_AGENT_COUNT = 4
# cdr_csv writes a call again into `<accountcode>.csv` beside Master.csv when the calling endpoint
# has an account code, so the telesales calls also land in `sales.csv`.
TELESALES_ACCOUNTCODE = "sales"

AMAZON_CONNECT_TEAM = "Layanan Umum"
AMAZON_CONNECT_SITE_TIMEZONE = "Asia/Makassar"
AMAZON_CONNECT_AGENT_COUNT = 5

NEW_AGENT_TENURE_DAYS = 60
PRE_PERIOD_NEW_AGENT_COUNT = 4
MEMBER_NAME_AGENT_COUNT = 10
SECOND_ZENDESK_ACCOUNT_AGENT_COUNT = 4


@dataclass(frozen=True)
class Agent:
    """One roster row plus the traits the simulation needs.

    `talk_time_factor` scales talk and handling times (above 1 is slower). `csat_shift` moves
    this agent's survey scores (negative is worse). `zendesk_switch_date` is the first day on
    which the second Zendesk user id replaced the first, or None for agents with one id.
    `extension` is None for Amazon Connect agents, who have `connect_username` instead.
    """

    agent_id: str
    full_name: str
    team: str
    site_timezone: str
    hire_date: date
    extension: str | None
    member_name: str | None
    zendesk_user_ids: tuple[int, ...]
    zendesk_switch_date: date | None
    queues: tuple[str, ...]
    talk_time_factor: float
    csat_shift: float
    works_weekends: bool
    weekday_days_off: tuple[int, ...]
    is_muslim: bool
    is_telesales: bool = False
    connect_username: str | None = None

    @property
    def interface(self) -> str:
        if self.extension is None:
            raise ValueError(f"agent {self.agent_id} works on Amazon Connect and has no PJSIP interface")
        return f"PJSIP/{self.extension}"

    @property
    def accountcode(self) -> str:
        """Return the CDR account code of the agent's endpoint, empty for most agents."""
        return TELESALES_ACCOUNTCODE if self.is_telesales else ""

    @property
    def telephony_ids(self) -> tuple[str, ...]:
        if self.connect_username is not None:
            return (self.connect_username,)
        if self.member_name is None:
            return (self.interface,)
        return (self.interface, self.member_name)

    @property
    def email(self) -> str:
        return ".".join(self.full_name.lower().split(" ")) + "@" + AGENT_EMAIL_DOMAIN

    def zendesk_user_id_at(self, epoch: int) -> int:
        """Return the Zendesk user id the agent worked under at an instant."""
        if self.zendesk_switch_date is None or local_date(epoch, self.site_timezone) < self.zendesk_switch_date:
            return self.zendesk_user_ids[0]
        return self.zendesk_user_ids[-1]


def draw_unique_agent_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
        if name not in names:
            names.append(name)
    return names


def connect_username(full_name: str) -> str:
    """Return the Amazon Connect user name the centre gives an agent: `given.family` in lower case."""
    return ".".join(full_name.lower().split(" "))


def build_agents(rng: random.Random, period: Period) -> list[Agent]:
    """Build the roster: 40 agents in four teams, then the telesales and Amazon Connect groups."""
    agent_count = sum(team.agent_count for team in TEAMS)
    names = draw_unique_agent_names(rng, agent_count + TELESALES_AGENT_COUNT + AMAZON_CONNECT_AGENT_COUNT)
    member_name_indexes = set(rng.sample(range(agent_count - TEAMS_BY_NAME[TICKET_TEAM].agent_count), MEMBER_NAME_AGENT_COUNT))
    new_agent_indexes = sorted(rng.sample(range(agent_count), PRE_PERIOD_NEW_AGENT_COUNT + 1))
    # The last new agent starts a third of the way into the period, so the roster has an agent
    # who appears in the telephony files only from the hire date on.
    mid_period_hire_index = new_agent_indexes[-1]
    second_account_indexes = set(rng.sample(range(agent_count), SECOND_ZENDESK_ACCOUNT_AGENT_COUNT))

    agents: list[Agent] = []
    index = 0
    next_zendesk_user_id = FIRST_ZENDESK_USER_ID
    for team in TEAMS:
        extra_queues = CROSS_SKILLED_QUEUES.get(team.name, ())
        for position_in_team in range(team.agent_count):
            queues = team.queues
            if position_in_team < len(extra_queues):
                queues = queues + extra_queues[position_in_team]

            if index == mid_period_hire_index:
                hire_date = period.start_date + timedelta(days=period.day_count // 3)
            elif index in new_agent_indexes:
                hire_date = period.start_date - timedelta(days=rng.randint(10, NEW_AGENT_TENURE_DAYS - 5))
            else:
                hire_date = period.start_date - timedelta(days=rng.randint(120, 6 * 365))
            is_new = (period.start_date - hire_date).days < NEW_AGENT_TENURE_DAYS

            zendesk_user_ids = (next_zendesk_user_id,)
            next_zendesk_user_id += rng.randint(3, 400)
            zendesk_switch_date = None
            if index in second_account_indexes:
                zendesk_user_ids += (next_zendesk_user_id + 9_000_000,)
                next_zendesk_user_id += rng.randint(3, 400)
                zendesk_switch_date = period.start_date + timedelta(days=rng.randint(0, max(0, period.day_count - 1)))

            # Two in five agents work weekends and take two days off between Tuesday and Friday
            # instead, rotating so that no weekday loses all of a team's weekend workers.
            works_weekends = position_in_team % 5 in (1, 3)
            weekday_days_off: tuple[int, ...] = ()
            if works_weekends:
                weekend_worker_ordinal = 2 * (position_in_team // 5) + (position_in_team % 5 == 3)
                weekday_days_off = tuple(sorted((weekend_worker_ordinal % 4 + 1, (weekend_worker_ordinal + 1) % 4 + 1)))
            agents.append(
                Agent(
                    agent_id=f"AGT-{index + 1:03d}",
                    full_name=names[index],
                    team=team.name,
                    site_timezone=team.site_timezone,
                    hire_date=hire_date,
                    extension=str(1001 + index),
                    member_name=names[index] if index in member_name_indexes else None,
                    zendesk_user_ids=zendesk_user_ids,
                    zendesk_switch_date=zendesk_switch_date,
                    queues=queues,
                    talk_time_factor=round(rng.uniform(0.85, 1.15) * (1.3 if is_new else 1.0), 3),
                    csat_shift=round(rng.uniform(-0.4, 0.4) - (0.3 if is_new else 0.0), 3),
                    works_weekends=works_weekends,
                    weekday_days_off=weekday_days_off,
                    is_muslim=rng.random() < 0.8,
                )
            )
            index += 1

    extra_groups = ((TELESALES_AGENT_COUNT, "Asia/Jakarta", True), (AMAZON_CONNECT_AGENT_COUNT, AMAZON_CONNECT_SITE_TIMEZONE, False))
    for group_count, site_timezone, is_telesales in extra_groups:
        for _ in range(group_count):
            full_name = names[index]
            zendesk_user_ids = (next_zendesk_user_id,)
            next_zendesk_user_id += rng.randint(3, 400)
            agents.append(
                Agent(
                    agent_id=f"AGT-{index + 1:03d}",
                    full_name=full_name,
                    team=TELESALES_TEAM if is_telesales else AMAZON_CONNECT_TEAM,
                    site_timezone=site_timezone,
                    hire_date=period.start_date - timedelta(days=rng.randint(120, 3 * 365)),
                    extension=str(1001 + index) if is_telesales else None,
                    member_name=None,
                    zendesk_user_ids=zendesk_user_ids,
                    zendesk_switch_date=None,
                    queues=(),
                    talk_time_factor=round(rng.uniform(0.85, 1.15), 3),
                    csat_shift=round(rng.uniform(-0.4, 0.4), 3),
                    # Telesales works Monday to Friday. The Bali site opens Monday to Saturday and
                    # plans its own rota (see amazon_connect).
                    works_weekends=False,
                    weekday_days_off=(),
                    is_muslim=rng.random() < (0.8 if is_telesales else 0.2),
                    is_telesales=is_telesales,
                    connect_username=None if is_telesales else connect_username(full_name),
                )
            )
            index += 1
    return agents


def roster_row(agent: Agent) -> dict[str, str]:
    """Return the agent's row of roster/agents.csv."""
    return {
        "agent_id": agent.agent_id,
        "full_name": agent.full_name,
        "team": agent.team,
        "site_timezone": agent.site_timezone,
        "hire_date": agent.hire_date.isoformat(),
        "telephony_ids": ";".join(agent.telephony_ids),
        "crm_user_ids": ";".join(str(user_id) for user_id in agent.zendesk_user_ids),
    }
