"""Load Asterisk queue_log files (file backend) into raw.queue_log.

Each line is one event: `epoch|callid|queue|agent|EVENT|data1|data2|...`, where epoch is UTC
seconds and the data fields are positional per event. System lines such as QUEUESTART and
CONFIGRELOAD use `NONE` for callid, queue and agent. Call ids stay text: `1717397390.10` and
`1717397390.1` are different calls.

Every event is kept, known or not, and events this module does not know are counted as warnings.
A line with fewer than 5 fields or more than 6 data fields is rejected, and so is a known event
whose whole-number data field is missing, negative or not a whole number. Asterisk ends every line
with a line feed, so a last line without one was cut off and is rejected. An epoch more than
`FUTURE_TOLERANCE_HOURS` after the file's modification time is rejected as a wrong clock.
Lines need not be in time order: threads write them as calls progress, and the dbt models order
events by epoch. Several events carry a `holdtime`: it is the caller's wait in the queue before an
agent answered, not time the customer spent on hold during the conversation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    future_epoch_check,
    is_whole_number_sql,
    line_end_check,
    reason_with_value_sql,
    sql_literal,
    whole_number_checks,
)
from orchestration.extract.common import LoadResult, SourceLoader, load_source
from orchestration.extract.registry import LandingFile
from orchestration.extract.staging import file_rejections_select_sql, stage_text_lines

SOURCE_KIND = "queue_log"
FILE_PATTERN = "telephony/queue_log/*"
TABLE = "raw.queue_log"

# Fields before the data fields: epoch, callid, queue, agent, event.
HEADER_FIELD_COUNT = 5
MAX_DATA_FIELD_COUNT = 6

QUEUE_LOG_DDL = f"""
create table if not exists {TABLE} (
    event_epoch bigint,
    call_id varchar,
    queue_name varchar,
    agent_name varchar,
    event varchar,
    data1 varchar,
    data2 varchar,
    data3 varchar,
    data4 varchar,
    data5 varchar,
    data6 varchar,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""


@dataclass(frozen=True)
class DataField:
    """One positional data field of a queue_log event."""

    name: str
    is_whole_number: bool = False


@dataclass(frozen=True)
class EventLayout:
    """The data fields of one queue_log event.

    `method` selects the layout by the value of data1 when one event has several layouts
    (ATTENDEDTRANSFER writes BRIDGE, APP or LINK there).
    """

    event: str
    data_fields: tuple[DataField, ...]
    method: str | None = None

    @property
    def label(self) -> str:
        """Event name as it appears in rejection reasons, with the method when there is one."""
        return self.event if self.method is None else f"{self.event} {self.method}"


def whole(name: str) -> DataField:
    """Return a data field that contains a non-negative whole number."""
    return DataField(name, is_whole_number=True)


def text(name: str) -> DataField:
    """Return a data field that contains free text, possibly empty."""
    return DataField(name)


# Known events and their data fields, in Asterisk's order. Only the whole-number fields are
# validated. An event missing from this table is loaded without data field checks. Times are in
# seconds except ringtime_milliseconds.
EVENT_LAYOUTS: tuple[EventLayout, ...] = (
    EventLayout("ENTERQUEUE", (text("url"), text("callerid"), whole("position"))),
    EventLayout("CONNECT", (whole("holdtime"), text("bridgedchanneluniqueid"), whole("ringtime"))),
    EventLayout("COMPLETEAGENT", (whole("holdtime"), whole("calltime"), whole("origposition"))),
    EventLayout("COMPLETECALLER", (whole("holdtime"), whole("calltime"), whole("origposition"))),
    EventLayout("ABANDON", (whole("position"), whole("origposition"), whole("waittime"))),
    EventLayout("EXITWITHTIMEOUT", (whole("position"), whole("origposition"), whole("waittime"))),
    EventLayout(
        "EXITWITHKEY",
        (text("key"), whole("position"), whole("origposition"), whole("waittime")),
    ),
    EventLayout("EXITEMPTY", (whole("position"), whole("origposition"), whole("waittime"))),
    EventLayout("RINGNOANSWER", (whole("ringtime_milliseconds"),)),
    EventLayout("RINGCANCELED", (whole("ringtime_milliseconds"),)),
    EventLayout(
        "TRANSFER",
        (
            text("extension"),
            text("context"),
            whole("holdtime"),
            whole("calltime"),
            whole("origposition"),
        ),
    ),
    EventLayout(
        "BLINDTRANSFER",
        (
            text("extension"),
            text("context"),
            whole("holdtime"),
            whole("calltime"),
            whole("origposition"),
        ),
    ),
    EventLayout(
        "ATTENDEDTRANSFER",
        (
            text("method"),
            text("bridge_or_app"),
            whole("holdtime"),
            whole("calltime"),
            whole("origposition"),
        ),
        method="BRIDGE",
    ),
    EventLayout(
        "ATTENDEDTRANSFER",
        (
            text("method"),
            text("bridge_or_app"),
            whole("holdtime"),
            whole("calltime"),
            whole("origposition"),
        ),
        method="APP",
    ),
    EventLayout(
        "ATTENDEDTRANSFER",
        (
            text("method"),
            text("channel1"),
            text("channel2"),
            whole("holdtime"),
            whole("calltime"),
            whole("origposition"),
        ),
        method="LINK",
    ),
    EventLayout("AGENTLOGIN", (text("channel"),)),
    EventLayout("AGENTLOGOFF", (text("channel"), whole("logintime"))),
    EventLayout("PAUSE", (text("reason"),)),
    EventLayout("UNPAUSE", (text("reason"),)),
    EventLayout("PAUSEALL", ()),
    EventLayout("UNPAUSEALL", ()),
    EventLayout("ADDMEMBER", ()),
    EventLayout("REMOVEMEMBER", ()),
    EventLayout("WITHDRAW", ()),
    # Stock Asterisk does not write WRAPUPSTART, but some platforms built on it do. kinerja reads
    # it as the start of the agent's after-call work, which lasts wrapup_seconds.
    EventLayout("WRAPUPSTART", (whole("wrapup_seconds"),)),
)


# Events Asterisk writes that carry no data field worth checking and that the dbt models do not
# read, so loading them is no cause for a warning.
EVENTS_WITHOUT_LAYOUT = (
    "QUEUESTART",
    "CONFIGRELOAD",
    "SYSCOMPAT",
    "AGENTCALLED",
    "AGENTDUMP",
    "AGENTCALLBACKLOGIN",
    "AGENTCALLBACKLOGOFF",
)


def line_shape_checks() -> list[Check]:
    """Checks on the line end, the field count, the epoch and the event name of a line."""
    max_field_count = HEADER_FIELD_COUNT + MAX_DATA_FIELD_COUNT
    return [
        line_end_check("Asterisk's queue_log"),
        Check(
            fails_when=f"field_count < {HEADER_FIELD_COUNT}",
            field_name=None,
            reason=(
                f"'line has ' || field_count || ' fields, expected at least {HEADER_FIELD_COUNT}"
                " (epoch|callid|queue|agent|event)'"
            ),
            category="line has too few fields",
        ),
        Check(
            fails_when=f"field_count > {max_field_count}",
            field_name=None,
            reason=(
                f"'line has ' || (field_count - {HEADER_FIELD_COUNT}) || ' data fields, expected"
                f" at most {MAX_DATA_FIELD_COUNT}'"
            ),
            category="line has too many data fields",
        ),
        Check(
            fails_when=f"not {is_whole_number_sql('epoch_text')}",
            field_name="epoch",
            reason=reason_with_value_sql(
                "field epoch is not a whole number of seconds", "epoch_text"
            ),
            category="epoch is not a whole number",
        ),
        future_epoch_check("try_cast(epoch_text as bigint)", "epoch_text", "epoch"),
        Check(
            fails_when="event = ''",
            field_name="event",
            reason=sql_literal("field event is empty"),
            category="event is empty",
        ),
    ]


def method_checks(layouts: tuple[EventLayout, ...]) -> list[Check]:
    """Checks that events with several layouts name one of their methods in data1."""
    methods_by_event: dict[str, list[str]] = {}
    for layout in layouts:
        if layout.method is not None:
            methods_by_event.setdefault(layout.event, []).append(layout.method)

    checks = []
    for event, methods in methods_by_event.items():
        method_list = ", ".join(sql_literal(method) for method in methods)
        described_methods = ", ".join(methods[:-1]) + f" or {methods[-1]}"
        checks.append(
            Check(
                fails_when=(
                    f"event = {sql_literal(event)}"
                    f" and coalesce(data1, '') not in ({method_list})"
                ),
                field_name="method",
                reason=reason_with_value_sql(
                    f"field method (data1) of {event} is not {described_methods}", "data1"
                ),
                category=f"{event} method is unknown",
            )
        )
    return checks


def data_field_checks(layouts: tuple[EventLayout, ...]) -> list[Check]:
    """Checks that each whole-number data field of a known event is present and a whole number."""
    checks = []
    for layout in layouts:
        event_condition = f"event = {sql_literal(layout.event)}"
        if layout.method is not None:
            event_condition += f" and data1 = {sql_literal(layout.method)}"

        for index, field in enumerate(layout.data_fields, start=1):
            if not field.is_whole_number:
                continue
            column = f"data{index}"
            described_field = f"field {field.name} ({column}) of {layout.label}"
            checks.append(
                Check(
                    fails_when=f"{event_condition} and {column} is null",
                    field_name=field.name,
                    reason=sql_literal(f"{described_field} is missing"),
                    category=f"{layout.label} {field.name} is missing",
                )
            )
            for check in whole_number_checks(
                column, field.name, described_field, f"{layout.label} {field.name}"
            ):
                checks.append(
                    Check(
                        fails_when=f"{event_condition} and {check.fails_when}",
                        field_name=check.field_name,
                        reason=check.reason,
                        category=check.category,
                    )
                )
    return checks


def queue_log_checks() -> list[Check]:
    """Build the checks on a queue_log line, in the order they are reported."""
    return line_shape_checks() + method_checks(EVENT_LAYOUTS) + data_field_checks(EVENT_LAYOUTS)


def candidates_sql() -> str:
    """SQL building temp table queue_log_candidates from the staged lines."""
    data_columns = ",\n".join(
        f"parts[{HEADER_FIELD_COUNT + index}] as data{index}"
        for index in range(1, MAX_DATA_FIELD_COUNT + 1)
    )
    return f"""
        create or replace temp table {SOURCE_KIND}_candidates as
        with
        split_lines as (
            select
                source_file,
                source_position,
                line_text as raw_text,
                has_line_end,
                file_modified_at,
                string_split(line_text, '|') as parts
            from {SOURCE_KIND}_lines
        ),

        named_fields as (
            select
                source_file,
                source_position,
                raw_text,
                has_line_end,
                file_modified_at,
                len(parts) as field_count,
                parts[1] as epoch_text,
                parts[2] as call_id,
                parts[3] as queue_name,
                parts[4] as agent_name,
                parts[5] as event,
                {data_columns}
            from split_lines
        ),

        checked as (
            {apply_checks_sql('named_fields', queue_log_checks())}
        )

        select
            source_file,
            source_position,
            raw_text,
            field_name,
            reason,
            rejection_category,
            try_cast(epoch_text as bigint) as event_epoch,
            call_id,
            queue_name,
            agent_name,
            event,
            data1,
            data2,
            data3,
            data4,
            data5,
            data6
        from checked

        union all by name

        {file_rejections_select_sql(SOURCE_KIND)}
    """


INSERT_SQL = f"""
    insert into {TABLE} by name
    select
        event_epoch,
        call_id,
        queue_name,
        agent_name,
        event,
        data1,
        data2,
        data3,
        data4,
        data5,
        data6,
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {SOURCE_KIND}_candidates
    where reason is null
    order by source_file, source_position
"""


def stage_queue_log(
    con: duckdb.DuckDBPyConnection, source_kind: str, files: Sequence[LandingFile]
) -> None:
    """Stage queue_log files as text lines."""
    stage_text_lines(con, source_kind, files)


KNOWN_EVENTS = (
    tuple(dict.fromkeys(layout.event for layout in EVENT_LAYOUTS)) + EVENTS_WITHOUT_LAYOUT
)

# Loaded events this module does not know, such as a newer Asterisk's or a custom module's: kept
# in raw.queue_log, but the dbt models ignore them, so each run reports them.
UNKNOWN_EVENTS_SQL = f"""
    select 'queue_log event ''' || event || ''' is not a known event' as category, count(*)
    from {SOURCE_KIND}_candidates
    where reason is null
        and event not in ({", ".join(sql_literal(event) for event in KNOWN_EVENTS)})
    group by event
    order by event
"""

LOADER = SourceLoader(
    source_kind=SOURCE_KIND,
    file_pattern=FILE_PATTERN,
    table_ddl=[QUEUE_LOG_DDL],
    tables=[TABLE],
    stage=stage_queue_log,
    candidates_sql=candidates_sql,
    insert_statements=[INSERT_SQL],
    warnings_sql=UNKNOWN_EVENTS_SQL,
)


def load_queue_log(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load the new and changed files under telephony/queue_log/ into raw.queue_log.

    See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, LOADER, settle_seconds=settle_seconds, now=now)
