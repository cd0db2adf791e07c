"""Render the simulated calls as Asterisk writes them: queue_log lines and cdr_csv Master.csv rows.

Asterisk names each channel `<epoch>.<sequence>`, where the sequence counts channels since
Asterisk started. The demo server restarts for maintenance at 06:30 Jakarta time on the first day
and every Monday, and app_queue then logs QUEUESTART. Sequences therefore start again at 1: the
first agent logins of the morning get ids such as `1790815835.1` and the first calls ids such as
`1790816436.10`, which a float cast would turn into `1790816436.1`. logrotate rotates queue_log
weekly on Mondays at 06:25, just before the restart. The current file is `queue_log`, and the
oldest rotated file has the highest number.

NOTE: Asterisk 12 and later also write a NO ANSWER CDR row for each ring attempt that an agent
did not answer. The demo writes one row per inbound call, so every uniqueid is unique in Master.csv.
"""

from dataclasses import dataclass
from datetime import date

from orchestration.demo.calls import (
    HOTLINE_NUMBER,
    INBOUND_CONTEXT,
    QUEUE_TIMEOUT_SECONDS,
    Channel,
    IvrOnlyCall,
    OutboundCall,
    QueueCall,
    TelephonyPlan,
)
from orchestration.demo.localtime import format_local_clock, local_epoch
from orchestration.demo.schedule import AgentDay

MAINTENANCE_RESTART_TIME = (6, 30)
LOG_ROTATION_TIME = (6, 25)
# Channel sequence Asterisk had reached before the first restart of the period.
PRE_PERIOD_CHANNEL_SEQUENCE = 48_210

QUEUE_LOG_FILE = "queue_log"
CDR_COLUMN_COUNT = 21
# cdr_csv without `loguniqueid`, `loguserfield` and `newcdrcolumns` writes only the first 16 columns.
LEGACY_CDR_COLUMN_COUNT = 16

# Order of events that share one epoch second, so a line never precedes its cause.
EVENT_PRIORITY = {
    "QUEUESTART": 0,
    "AGENTLOGIN": 1,
    "ADDMEMBER": 2,
    "UNPAUSE": 3,
    "PAUSE": 5,
    "REMOVEMEMBER": 6,
    "AGENTLOGOFF": 7,
}
CALL_EVENT_PRIORITY = 4

EXIT_EVENTS = {"abandoned": "ABANDON", "timeout": "EXITWITHTIMEOUT", "exit_key": "EXITWITHKEY", "exit_empty": "EXITEMPTY"}


@dataclass(frozen=True, order=True)
class QueueLogLine:
    epoch: int
    priority: int
    order: int
    text: str


@dataclass(frozen=True)
class CdrRow:
    """One Master.csv record. `fields` contains strings for quoted columns, ints for bare numbers and None for an empty answer time."""

    ended_at: int
    order: int
    fields: tuple[str | int | None, ...]


def is_monday(day: date) -> bool:
    return day.weekday() == 0


def restart_times(days: list[date]) -> list[int]:
    """Return when Asterisk restarts: the first day and every later Monday, at 06:30 Jakarta time."""
    hour, minute = MAINTENANCE_RESTART_TIME
    return [local_epoch(day, hour, minute, "Asia/Jakarta") for index, day in enumerate(days) if index == 0 or is_monday(day)]


def rotation_times(days: list[date]) -> list[int]:
    """Return when logrotate moves queue_log aside: every Monday after the first day, at 06:25."""
    hour, minute = LOG_ROTATION_TIME
    return [local_epoch(day, hour, minute, "Asia/Jakarta") for index, day in enumerate(days) if index > 0 and is_monday(day)]


def login_channels(agent_days: list[AgentDay]) -> dict[AgentDay, Channel]:
    """Create the channel each queue member logs in with."""
    return {agent_day: Channel(agent_day.interface, agent_day.login_at) for agent_day in agent_days if agent_day.queues}


def number_channels(channels: list[Channel], restarts: list[int]) -> None:
    """Fill each channel's uniqueid and name, counting channels from 1 after each restart."""
    ordered = sorted(enumerate(channels), key=lambda item: (item[1].created_at, item[0]))
    uptime_index = 0
    sequence = PRE_PERIOD_CHANNEL_SEQUENCE
    for _, channel in ordered:
        while uptime_index < len(restarts) and channel.created_at >= restarts[uptime_index]:
            uptime_index += 1
            sequence = 0
        sequence += 1
        channel.uniqueid = f"{channel.created_at}.{sequence}"
        channel.name = f"{channel.prefix}-{sequence:08x}"


def all_channels(plan: TelephonyPlan, extra_outbound: list[OutboundCall], logins: dict[AgentDay, Channel]) -> list[Channel]:
    channels: list[Channel] = []
    for call in plan.queue_calls:
        channels.append(call.channel)
        channels.extend(attempt.channel for attempt in call.attempts)
    for outbound in plan.outbound_calls + extra_outbound:
        channels.extend((outbound.channel, outbound.trunk_channel))
    channels.extend(call.channel for call in plan.ivr_only_calls)
    channels.extend(logins.values())
    return channels


def format_queue_log_line(epoch: int, call_id: str, queue: str, agent: str, event: str, data: list[str]) -> str:
    return "|".join([str(epoch), call_id, queue, agent, event] + data)


class QueueLogWriter:
    """Collects queue_log lines and returns them in the order Asterisk would have appended them."""

    def __init__(self) -> None:
        self._lines: list[QueueLogLine] = []

    def add(self, epoch: int, call_id: str, queue: str, agent: str, event: str, data: list[str]) -> None:
        priority = EVENT_PRIORITY.get(event, CALL_EVENT_PRIORITY)
        text = format_queue_log_line(epoch, call_id, queue, agent, event, data)
        self._lines.append(QueueLogLine(epoch, priority, len(self._lines), text))

    def sorted_lines(self) -> list[QueueLogLine]:
        return sorted(self._lines)


def add_member_session(writer: QueueLogWriter, agent_day: AgentDay, login_channel: Channel) -> None:
    """Add the login, queue membership, pauses and logoff of one agent day."""
    identity = agent_day.identity
    # app_queue logs who changed the membership: MANAGER for the wallboard (AMI), otherwise the
    # uniqueid of the channel the agent logged in from.
    membership_source = "MANAGER" if agent_day.is_added_by_manager else login_channel.uniqueid
    writer.add(agent_day.login_at, login_channel.uniqueid, "NONE", identity, "AGENTLOGIN", [login_channel.name])
    for queue in agent_day.queues:
        writer.add(agent_day.login_at, membership_source, queue, identity, "ADDMEMBER", [""])
    for pause in agent_day.pauses:
        # app_queue logs a pause once for each queue the member belongs to.
        for queue in agent_day.queues:
            writer.add(pause.start_at, "NONE", queue, identity, "PAUSE", [pause.reason])
            writer.add(pause.end_at, "NONE", queue, identity, "UNPAUSE", [pause.reason])
    for queue in agent_day.queues:
        writer.add(agent_day.logoff_at, membership_source, queue, identity, "REMOVEMEMBER", [""])
    login_seconds = agent_day.logoff_at - agent_day.login_at
    writer.add(agent_day.logoff_at, login_channel.uniqueid, "NONE", identity, "AGENTLOGOFF", [login_channel.name, str(login_seconds)])


def add_queue_call(writer: QueueLogWriter, call: QueueCall) -> None:
    """Add ENTERQUEUE, any RINGNOANSWER, and CONNECT with COMPLETE* or the exit event of one call."""
    call_id = call.channel.uniqueid
    writer.add(call.entered_at, call_id, call.queue, "NONE", "ENTERQUEUE", ["", call.callerid, str(call.position)])
    for attempt in call.attempts:
        if attempt.is_ring_no_answer:
            writer.add(attempt.ended_at, call_id, call.queue, attempt.agent_day.identity, "RINGNOANSWER", [str(attempt.ring_milliseconds)])

    answering = call.answering_attempt
    if answering is not None:
        agent = answering.agent_day.identity
        hold_seconds = str(call.wait_seconds)
        ring_seconds = str(call.left_queue_at - answering.started_at)
        writer.add(call.left_queue_at, call_id, call.queue, agent, "CONNECT", [hold_seconds, answering.channel.uniqueid, ring_seconds])
        complete_event = "COMPLETEAGENT" if call.is_agent_hangup else "COMPLETECALLER"
        writer.add(call.hung_up_at, call_id, call.queue, agent, complete_event, [hold_seconds, str(call.talk_seconds), str(call.position)])
        return

    exit_data = [str(call.exit_position), str(call.position), str(call.wait_seconds)]
    if call.outcome == "exit_key":
        exit_data = ["1"] + exit_data
    writer.add(call.left_queue_at, call_id, call.queue, "NONE", EXIT_EVENTS[call.outcome], exit_data)


def build_queue_log_lines(plan: TelephonyPlan, logins: dict[AgentDay, Channel], restarts: list[int]) -> list[QueueLogLine]:
    writer = QueueLogWriter()
    for restart_at in restarts:
        writer.add(restart_at, "NONE", "NONE", "NONE", "QUEUESTART", [""])
    for agent_day, login_channel in logins.items():
        add_member_session(writer, agent_day, login_channel)
    for call in plan.queue_calls:
        add_queue_call(writer, call)
    return writer.sorted_lines()


def split_rotated_files(lines: list[QueueLogLine], rotations: list[int]) -> dict[str, list[str]]:
    """Split lines at each rotation. The newest file is `queue_log`, the older ones `queue_log.1`, `queue_log.2` and so on."""
    segments: list[list[str]] = [[] for _ in range(len(rotations) + 1)]
    segment_index = 0
    for line in lines:
        while segment_index < len(rotations) and line.epoch >= rotations[segment_index]:
            segment_index += 1
        segments[segment_index].append(line.text)
    files: dict[str, list[str]] = {}
    for age, segment in enumerate(reversed(segments)):
        file_name = QUEUE_LOG_FILE if age == 0 else f"{QUEUE_LOG_FILE}.{age}"
        files[file_name] = segment
    return files


def format_clid(callerid: str, name: str | None = None) -> str:
    """Format the CDR clid column as Asterisk does: `"Name" <number>`, empty without a caller id."""
    if callerid == "":
        return ""
    if callerid == "anonymous":
        return '"Anonymous" <anonymous>'
    return f'"{name if name is not None else callerid}" <{callerid}>'


def queue_call_cdr(call: QueueCall) -> tuple[int, list[str | int | None]]:
    answering = call.answering_attempt
    if answering is not None or call.outcome == "abandoned":
        last_app, last_data = "Queue", f"{call.queue},tT,,,{QUEUE_TIMEOUT_SECONDS}"
    elif call.outcome == "exit_key":
        last_app, last_data = "Playback", "custom/konfirmasi-telepon-balik"
    else:
        last_app, last_data = "Playback", "custom/mohon-hubungi-kembali"
    # The IVR answers every inbound call, so even a caller who abandons in the queue is ANSWERED here.
    answered_at = call.started_at + 1
    return call.hung_up_at, [
        "",
        call.callerid,
        HOTLINE_NUMBER,
        INBOUND_CONTEXT,
        format_clid(call.callerid),
        call.channel.name,
        answering.channel.name if answering is not None else "",
        last_app,
        last_data,
        format_local_clock(call.started_at),
        format_local_clock(answered_at),
        format_local_clock(call.hung_up_at),
        call.hung_up_at - call.started_at,
        call.hung_up_at - answered_at,
        "ANSWERED",
        "DOCUMENTATION",
        call.channel.uniqueid,
        "",
        "",
        call.channel.uniqueid,
    ]


def outbound_call_cdr(call: OutboundCall) -> tuple[int, list[str | int | None]]:
    return call.ended_at, [
        "",
        call.agent.extension,
        call.dialled_number,
        "from-internal",
        format_clid(call.agent.extension, call.agent.full_name),
        call.channel.name,
        call.trunk_channel.name if call.disposition != "FAILED" else "",
        "Dial",
        f"PJSIP/{call.dialled_number}@trunk-telkom,60,tT",
        format_local_clock(call.started_at),
        format_local_clock(call.answered_at) if call.answered_at is not None else None,
        format_local_clock(call.ended_at),
        call.ended_at - call.started_at,
        call.ended_at - call.answered_at if call.answered_at is not None else 0,
        call.disposition,
        "DOCUMENTATION",
        call.channel.uniqueid,
        "",
        "",
        call.channel.uniqueid,
    ]


def ivr_only_call_cdr(call: IvrOnlyCall) -> tuple[int, list[str | int | None]]:
    answered_at = call.started_at + 1
    return call.ended_at, [
        "",
        call.callerid,
        HOTLINE_NUMBER,
        INBOUND_CONTEXT,
        format_clid(call.callerid),
        call.channel.name,
        "",
        call.last_app,
        call.last_data,
        format_local_clock(call.started_at),
        format_local_clock(answered_at),
        format_local_clock(call.ended_at),
        call.ended_at - call.started_at,
        call.ended_at - answered_at,
        "ANSWERED",
        "DOCUMENTATION",
        call.channel.uniqueid,
        "",
        "",
        call.channel.uniqueid,
    ]


def build_cdr_rows(plan: TelephonyPlan, extra_outbound: list[OutboundCall], restarts: list[int]) -> list[CdrRow]:
    """Build Master.csv rows in the order cdr_csv appends them: by hang-up time.

    The `sequence` column counts CDRs since the last restart. Rows of calls that ended before
    the first restart keep the 16 columns cdr_csv wrote before the new columns were enabled.
    """
    unsorted: list[tuple[int, list[str | int | None]]] = []
    unsorted.extend(queue_call_cdr(call) for call in plan.queue_calls)
    unsorted.extend(outbound_call_cdr(call) for call in plan.outbound_calls + extra_outbound)
    unsorted.extend(ivr_only_call_cdr(call) for call in plan.ivr_only_calls)
    ordered = sorted(enumerate(unsorted), key=lambda item: (item[1][0], item[0]))

    rows: list[CdrRow] = []
    uptime_index = 0
    sequence = 0
    for order, (_, (ended_at, fields)) in enumerate(ordered):
        if restarts and ended_at < restarts[0]:
            rows.append(CdrRow(ended_at, order, tuple(fields[:LEGACY_CDR_COLUMN_COUNT])))
            continue
        while uptime_index < len(restarts) and ended_at >= restarts[uptime_index]:
            uptime_index += 1
            sequence = 0
        sequence += 1
        rows.append(CdrRow(ended_at, order, tuple(fields) + (sequence,)))
    return rows


def format_cdr_line(fields: tuple[str | int | None, ...]) -> str:
    """Format a record as cdr_csv does: strings double-quoted with `"` doubled, numbers bare, no answer time empty."""
    parts: list[str] = []
    for value in fields:
        if value is None:
            parts.append("")
        elif isinstance(value, int):
            parts.append(str(value))
        else:
            parts.append('"' + value.replace('"', '""') + '"')
    return ",".join(parts)
