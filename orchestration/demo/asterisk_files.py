"""Render the simulated calls as Asterisk writes them: queue_log lines and cdr_csv rows.

Asterisk names each channel `<epoch>.<sequence>`, where the sequence counts channels since
Asterisk started. The demo server restarts for maintenance at 06:30 Jakarta time on the first day
and every Monday, and app_queue then logs QUEUESTART. Sequences therefore start again at 1: the
first agent logins of the morning get ids such as `1790815835.1` and the first calls ids such as
`1790816436.10`, which a float cast would turn into `1790816436.1`.

logrotate rotates queue_log, Master.csv and the account files at local midnight with `dateext`
and `dateyesterday`, so each rotated file holds one Jakarta day under that day's date:
`queue_log-20260801`, `Master-20260801.csv` and `sales-20260801.csv`. A collector copies the
rotated files to the landing folder and never touches them again. A line is in the file of the
day it was written. So a call that spans midnight has its CONNECT in one day's queue_log and its
completion in the next, and its CDR record is in the file of the day it ended.

The server ran Asterisk 11 until the first Monday restart after the first day, when it was
upgraded to Asterisk 16. A period without such a Monday runs on Asterisk 11 throughout.
- queue_log: Asterisk 11 logs a transfer as TRANSFER; Asterisk 16 logs BLINDTRANSFER and
  ATTENDEDTRANSFER (see `calls`).
- Master.csv: Asterisk 11 writes one record per inbound call. Asterisk 16 writes one record per
  pair of parties, all with the caller's channel as uniqueid and linkedid: the caller's own
  record up to the end of the first agent's leg, an ANSWERED record for each later agent leg, and
  a NO ANSWER record for each member whose phone rang without answering (a ring-no-answer, a
  ring the caller hung up on, or the other members of a ring-all offer). Outbound calls have
  one record each. Both versions write all 21 columns, because cdr.conf enabled `loguniqueid`,
  `loguserfield` and `newcdrcolumns` at the restart on the first day.
- cdr_csv also appends the record of a call whose calling endpoint has an account code to
  `<accountcode>.csv` beside Master.csv: the telesales calls go to `sales.csv` as well.

Agent sessions: AGENTLOGIN, ADDMEMBER per queue, pauses, REMOVEMEMBER per queue and AGENTLOGOFF.
app_queue logs a pause once per queue the member belongs to. The Tagihan team pauses for breaks
with the phone's feature code, which pauses the member in every queue, so app_queue writes
PAUSEALL (and UNPAUSEALL) with an empty reason before the per-queue lines. After-call work is a
per-queue PAUSE and UNPAUSE with reason `ACW`, set by the agent panel, except for the Teknis
team: their desktop logs `WRAPUPSTART|<wrap-up seconds>` with the call's id and queue through the
QueueLog() application when wrap-up starts, and pauses nothing.

The simulation ends at midnight after its last day: lines and records of later events are not
written, so a session still open then has no logoff and a call still connected has no completion.
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
    RingAttempt,
    TelephonyPlan,
)
from orchestration.demo.localtime import format_local_clock, local_date, local_epoch
from orchestration.demo.schedule import AgentDay

MAINTENANCE_RESTART_TIME = (6, 30)
WRAPUPSTART_TEAMS = ("Teknis",)
PAUSEALL_TEAMS = ("Tagihan",)
# Channel sequence Asterisk had reached before the first restart of the period.
PRE_PERIOD_CHANNEL_SEQUENCE = 48_210

QUEUE_LOG_PREFIX = "queue_log-"
MASTER_CDR_STEM = "Master"
CDR_COLUMN_COUNT = 21
# cdr_csv without `loguniqueid`, `loguserfield` and `newcdrcolumns` writes only the first 16 columns.
LEGACY_CDR_COLUMN_COUNT = 16

# Order of events that share one epoch second, so a line never precedes its cause.
EVENT_PRIORITY = {
    "QUEUESTART": 0,
    "AGENTLOGIN": 1,
    "ADDMEMBER": 2,
    "UNPAUSEALL": 3,
    "UNPAUSE": 3,
    "PAUSEALL": 5,
    "PAUSE": 5,
    "WRAPUPSTART": 5,
    "REMOVEMEMBER": 6,
    "AGENTLOGOFF": 7,
}
CALL_EVENT_PRIORITY = 4

EXIT_EVENTS = {
    "abandoned": "ABANDON",
    "timeout": "EXITWITHTIMEOUT",
    "exit_key": "EXITWITHKEY",
    "exit_empty": "EXITEMPTY",
    "withdrawn": "WITHDRAW",
}
WITHDRAW_INFO = "callback"


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


def upgrade_time(restarts: list[int]) -> int | None:
    """Return when Asterisk 16 replaced Asterisk 11: the second restart of the period, if there is one."""
    return restarts[1] if len(restarts) > 1 else None


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
        for stay in call.stays:
            channels.extend(attempt.channel for attempt in stay.attempts)
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

    def sorted_lines(self, end_at: int) -> list[QueueLogLine]:
        """Return the lines logged before `end_at` in file order."""
        return sorted(line for line in self._lines if line.epoch < end_at)


def add_member_session(writer: QueueLogWriter, agent_day: AgentDay, login_channel: Channel) -> None:
    """Add the login, queue membership, pauses, after-call work and logoff of one agent day."""
    identity = agent_day.identity
    team = agent_day.agent.team if agent_day.agent is not None else None
    # app_queue logs who changed the membership: MANAGER for the wallboard (AMI), otherwise the
    # uniqueid of the channel the agent logged in from.
    membership_source = "MANAGER" if agent_day.is_added_by_manager else login_channel.uniqueid
    writer.add(agent_day.login_at, login_channel.uniqueid, "NONE", identity, "AGENTLOGIN", [login_channel.name])
    for queue in agent_day.queues:
        writer.add(agent_day.login_at, membership_source, queue, identity, "ADDMEMBER", [""])
    for pause in agent_day.pauses:
        call = pause.after_call
        if call is not None and team in WRAPUPSTART_TEAMS:
            writer.add(pause.start_at, call.channel.uniqueid, call.queue, identity, "WRAPUPSTART", [str(pause.duration_seconds)])
            continue
        if call is None and team in PAUSEALL_TEAMS:
            writer.add(pause.start_at, "NONE", "NONE", identity, "PAUSEALL", [""])
            writer.add(pause.end_at, "NONE", "NONE", identity, "UNPAUSEALL", [""])
        for queue in agent_day.queues:
            writer.add(pause.start_at, "NONE", queue, identity, "PAUSE", [pause.reason])
            writer.add(pause.end_at, "NONE", queue, identity, "UNPAUSE", [pause.reason])
    for queue in agent_day.queues:
        writer.add(agent_day.logoff_at, membership_source, queue, identity, "REMOVEMEMBER", [""])
    login_seconds = agent_day.logoff_at - agent_day.login_at
    writer.add(agent_day.logoff_at, login_channel.uniqueid, "NONE", identity, "AGENTLOGOFF", [login_channel.name, str(login_seconds)])


def add_queue_stay(writer: QueueLogWriter, stay: QueueCall) -> None:
    """Add one stay's ENTERQUEUE, any RINGNOANSWER, and its CONNECT with a completion or transfer, or its exit event."""
    call_id = stay.channel.uniqueid
    if stay.is_requeued:
        writer.add(stay.entered_at, call_id, stay.queue, "NONE", "ENTERQUEUE", ["", stay.callerid, str(stay.position)])
    for attempt in stay.attempts:
        if attempt.is_ring_no_answer:
            writer.add(attempt.ended_at, call_id, stay.queue, attempt.agent_day.identity, "RINGNOANSWER", [str(attempt.ring_milliseconds)])

    answering = stay.answering_attempt
    if answering is None:
        exit_data = [str(stay.exit_position), str(stay.position), str(stay.wait_seconds)]
        if stay.outcome == "exit_key":
            exit_data = ["1"] + exit_data
        if stay.outcome == "withdrawn":
            exit_data = exit_data + [WITHDRAW_INFO]
        writer.add(stay.left_queue_at, call_id, stay.queue, "NONE", EXIT_EVENTS[stay.outcome], exit_data)
        return

    agent = answering.agent_day.identity
    hold_seconds = str(stay.wait_seconds)
    if stay.logs_connect:
        ring_seconds = str(answering.ring_milliseconds // 1000)
        writer.add(stay.left_queue_at, call_id, stay.queue, agent, "CONNECT", [hold_seconds, answering.channel.uniqueid, ring_seconds])
    leg_times = [hold_seconds, str(stay.talk_seconds), str(stay.position)]
    if stay.transfer is not None:
        writer.add(stay.ended_at, call_id, stay.queue, agent, stay.transfer.event, list(stay.transfer.target_fields) + leg_times)
        return
    complete_event = "COMPLETEAGENT" if stay.is_agent_hangup else "COMPLETECALLER"
    writer.add(stay.ended_at, call_id, stay.queue, agent, complete_event, leg_times)


def build_queue_log_lines(plan: TelephonyPlan, logins: dict[AgentDay, Channel], restarts: list[int], end_at: int) -> list[QueueLogLine]:
    writer = QueueLogWriter()
    for restart_at in restarts:
        writer.add(restart_at, "NONE", "NONE", "NONE", "QUEUESTART", [""])
    for agent_day, login_channel in logins.items():
        add_member_session(writer, agent_day, login_channel)
    for call in plan.queue_calls:
        for stay in call.stays:
            add_queue_stay(writer, stay)
    return writer.sorted_lines(end_at)


def rotated_file_date(epoch: int) -> date:
    """Return the Jakarta day whose rotated file contains a line or record written at `epoch`."""
    return local_date(epoch, "Asia/Jakarta")


def split_queue_log_by_day(lines: list[QueueLogLine]) -> dict[date, list[str]]:
    """Split queue_log lines into the daily rotated files, keyed by the day each file holds."""
    files: dict[date, list[str]] = {}
    for line in lines:
        files.setdefault(rotated_file_date(line.epoch), []).append(line.text)
    return files


def queue_log_file_name(day: date) -> str:
    return f"{QUEUE_LOG_PREFIX}{day.strftime('%Y%m%d')}"


def cdr_file_name(stem: str, day: date) -> str:
    """Name a rotated cdr_csv file: `Master-20260801.csv` or `<accountcode>-20260801.csv`."""
    return f"{stem}-{day.strftime('%Y%m%d')}.csv"


def format_clid(callerid: str, name: str | None = None) -> str:
    """Format the CDR clid column as Asterisk does: `"Name" <number>`, empty without a caller id."""
    if callerid == "":
        return ""
    if callerid == "anonymous":
        return '"Anonymous" <anonymous>'
    return f'"{name if name is not None else callerid}" <{callerid}>'


def cdr_fields(
    accountcode: str,
    src: str,
    dst: str,
    dcontext: str,
    clid: str,
    channel: str,
    dstchannel: str,
    application: tuple[str, str],
    started_at: int,
    answered_at: int | None,
    ended_at: int,
    disposition: str,
    uniqueid: str,
    peeraccount: str = "",
) -> list[str | int | None]:
    """Return the 20 columns of a record before `sequence`, with linkedid equal to uniqueid as for the first channel of a call."""
    last_app, last_data = application
    return [
        accountcode,
        src,
        dst,
        dcontext,
        clid,
        channel,
        dstchannel,
        last_app,
        last_data,
        format_local_clock(started_at),
        format_local_clock(answered_at) if answered_at is not None else None,
        format_local_clock(ended_at),
        ended_at - started_at,
        ended_at - answered_at if answered_at is not None else 0,
        disposition,
        "DOCUMENTATION",
        uniqueid,
        "",
        peeraccount,
        uniqueid,
    ]


def queue_application(stay: QueueCall) -> tuple[str, str]:
    return "Queue", f"{stay.queue},tT,,,{QUEUE_TIMEOUT_SECONDS[stay.queue]}"


def final_application(stay: QueueCall) -> tuple[str, str]:
    """Return the dialplan application a caller who was never answered ended in."""
    if stay.outcome == "abandoned":
        return queue_application(stay)
    if stay.outcome in ("exit_key", "withdrawn"):
        return "Playback", "custom/konfirmasi-telepon-balik"
    return "Playback", "custom/mohon-hubungi-kembali"


def caller_record(call: QueueCall, dstchannel: str, application: tuple[str, str], ended_at: int) -> list[str | int | None]:
    """Return the caller's own record. The IVR answers every inbound call, so it is ANSWERED even when the caller abandons."""
    return cdr_fields(
        "", call.callerid, HOTLINE_NUMBER, INBOUND_CONTEXT, format_clid(call.callerid), call.channel.name, dstchannel,
        application, call.started_at, call.started_at + 1, ended_at, "ANSWERED", call.channel.uniqueid,
    )


def member_record(call: QueueCall, stay: QueueCall, attempt: RingAttempt) -> list[str | int | None]:
    """Return the record Asterisk 12 and later write for the caller and one member the queue rang."""
    answered_at = attempt.ended_at if attempt.is_answered else None
    ended_at = stay.ended_at if attempt.is_answered else attempt.ended_at
    member_account = attempt.agent_day.agent.accountcode if attempt.agent_day.agent is not None else ""
    return cdr_fields(
        "", call.callerid, HOTLINE_NUMBER, INBOUND_CONTEXT, format_clid(call.callerid), call.channel.name, attempt.channel.name,
        queue_application(stay), attempt.started_at, answered_at, ended_at, "ANSWERED" if attempt.is_answered else "NO ANSWER",
        call.channel.uniqueid, member_account,
    )


def contact_cdr_records(call: QueueCall, is_upgraded: bool) -> list[tuple[int, list[str | int | None]]]:
    """Return the records of one inbound contact as (end time, columns before `sequence`)."""
    stays = list(call.stays)
    legs = [(stay, attempt) for stay in stays for attempt in stay.attempts if attempt.is_answered]
    if legs:
        first_stay, first_attempt = legs[0]
        dstchannel, application = first_attempt.channel.name, queue_application(first_stay)
    else:
        dstchannel, application = "", final_application(stays[-1])
    if not is_upgraded:
        return [(stays[-1].ended_at, caller_record(call, dstchannel, application, stays[-1].ended_at))]

    caller_ended_at = legs[0][0].ended_at if legs else stays[-1].ended_at
    records = [(caller_ended_at, caller_record(call, dstchannel, application, caller_ended_at))]
    for stay, attempt in legs[1:]:
        records.append((stay.ended_at, member_record(call, stay, attempt)))
    for stay in stays:
        for attempt in stay.attempts:
            if not attempt.is_answered:
                records.append((attempt.ended_at, member_record(call, stay, attempt)))
    return records


def outbound_call_cdr(call: OutboundCall) -> tuple[int, list[str | int | None]]:
    extension = call.agent.extension or ""
    return call.ended_at, cdr_fields(
        call.accountcode, extension, call.dialled_number, "from-internal", format_clid(extension, call.agent.full_name), call.channel.name,
        call.trunk_channel.name if call.disposition != "FAILED" else "", ("Dial", f"PJSIP/{call.dialled_number}@trunk-telkom,60,tT"),
        call.started_at, call.answered_at, call.ended_at, call.disposition, call.channel.uniqueid,
    )


def ivr_only_call_cdr(call: IvrOnlyCall) -> tuple[int, list[str | int | None]]:
    return call.ended_at, cdr_fields(
        "", call.callerid, HOTLINE_NUMBER, INBOUND_CONTEXT, format_clid(call.callerid), call.channel.name, "",
        (call.last_app, call.last_data), call.started_at, call.started_at + 1, call.ended_at, "ANSWERED", call.channel.uniqueid,
    )


def build_cdr_rows(plan: TelephonyPlan, extra_outbound: list[OutboundCall], restarts: list[int], end_at: int) -> list[CdrRow]:
    """Build Master.csv rows in the order cdr_csv appends them: by end time, up to the end of the data.

    The `sequence` column counts CDRs since the last restart. Rows of calls that ended before
    the first restart keep the 16 columns cdr_csv wrote before the new columns were enabled.
    """
    upgrade_at = upgrade_time(restarts)
    unsorted: list[tuple[int, list[str | int | None]]] = []
    for call in plan.queue_calls:
        unsorted.extend(contact_cdr_records(call, upgrade_at is not None and call.started_at >= upgrade_at))
    unsorted.extend(outbound_call_cdr(call) for call in plan.outbound_calls + extra_outbound)
    unsorted.extend(ivr_only_call_cdr(call) for call in plan.ivr_only_calls)
    ordered = sorted((item for item in enumerate(unsorted) if item[1][0] < end_at), key=lambda item: (item[1][0], item[0]))

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


def split_cdr_by_day(rows: list[CdrRow]) -> dict[str, dict[date, list[CdrRow]]]:
    """Split CDR rows into daily rotated files: {file stem: {day: rows}}.

    Every row goes to `Master`, and a row with an account code also to the file named after it,
    as cdr_csv appends it to `<accountcode>.csv` beside Master.csv.
    """
    files: dict[str, dict[date, list[CdrRow]]] = {}
    for row in rows:
        day = rotated_file_date(row.ended_at)
        files.setdefault(MASTER_CDR_STEM, {}).setdefault(day, []).append(row)
        accountcode = row.fields[0]
        if isinstance(accountcode, str) and accountcode != "":
            files.setdefault(accountcode, {}).setdefault(day, []).append(row)
    return files


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
