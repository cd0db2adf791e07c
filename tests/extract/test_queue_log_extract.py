"""Tests of load_queue_log on Asterisk queue_log lines written as the file backend writes them."""

from __future__ import annotations

import pytest

from orchestration.extract.queue_log import (
    DataField,
    EventLayout,
    data_field_checks,
    load_queue_log,
    text,
    whole,
)

QUEUE_LOG = "telephony/queue_log/queue_log"

# One line per event in EVENT_LAYOUTS plus an unknown event, as Asterisk writes them.
EVERY_EVENT_LINES = [
    "1717397390|NONE|NONE|NONE|QUEUESTART|",
    "1717397391|NONE|NONE|NONE|CONFIGRELOAD|",
    "1717397402|NONE|support|PJSIP/1001|ADDMEMBER|",
    "1717397403|NONE|support|PJSIP/1001|AGENTLOGIN|PJSIP/1001",
    "1717397404|NONE|support|PJSIP/1001|PAUSE|Istirahat",
    "1717397405|NONE|support|PJSIP/1001|UNPAUSE|Istirahat",
    "1717397406|NONE|NONE|PJSIP/1001|PAUSEALL|",
    "1717397407|NONE|NONE|PJSIP/1001|UNPAUSEALL|",
    "1717397410|1717397410.10|support|NONE|ENTERQUEUE||081234567890|1",
    "1717397418|1717397410.10|support|PJSIP/1002|RINGNOANSWER|15000",
    "1717397420|1717397410.10|support|PJSIP/1003|RINGCANCELED|2000",
    "1717397425|1717397410.10|support|PJSIP/1001|CONNECT|15|1717397418.11|5",
    "1717397725|1717397410.10|support|PJSIP/1001|COMPLETEAGENT|15|300|1",
    "1717397430|1717397410.1|support|NONE|ENTERQUEUE||081298765432|2",
    "1717397490|1717397410.1|support|NONE|ABANDON|1|2|60",
    "1717397530|1717397500.2|support|NONE|EXITWITHTIMEOUT|1|1|30",
    "1717397540|1717397540.3|support|NONE|EXITWITHKEY|5|1|1|10",
    "1717397550|1717397550.4|support|NONE|EXITEMPTY|1|1|5",
    "1717397560|1717397560.5|support|PJSIP/1001|COMPLETECALLER|10|120|1",
    "1717397570|1717397570.6|support|PJSIP/1001|TRANSFER|2000|from-internal|10|60|1",
    "1717397580|1717397580.7|support|PJSIP/1001|BLINDTRANSFER|2000|from-internal|10|60|1",
    "1717397590|1717397590.8|support|PJSIP/1001|ATTENDEDTRANSFER|BRIDGE|4f1c-bridge|10|60|1",
    "1717397600|1717397600.9|support|PJSIP/1001|ATTENDEDTRANSFER|APP|VoiceMail|10|60|1",
    "1717397610|1717397610.11|support|PJSIP/1001|ATTENDEDTRANSFER|LINK|Local/2000@x;1|Local/2000@x;2|10|60|1",
    "1717397620|NONE|support|PJSIP/1001|AGENTLOGOFF|PJSIP/1001|3600",
    "1717397621|NONE|support|PJSIP/1001|REMOVEMEMBER|",
    "1717397630|1717397630.12|support|NONE|WITHDRAW|callback requested",
    "1717397640|1717397560.5|support|PJSIP/1001|WRAPUPSTART|30",
    "1717397650|1717397650.14|support|PJSIP/1001|CUSTOMEVENT|a|b|c|d|e|f",
]


def test_every_event_kind_loads(warehouse):
    warehouse.write(QUEUE_LOG, "\n".join(EVERY_EVENT_LINES) + "\n")

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 1
    assert result.rows_read == 29  # 29 lines, none blank
    assert result.rows_loaded == 29
    assert result.rows_rejected == 0
    assert result.rejection_reasons == {}
    assert result.tables == ("raw.queue_log",)
    rows = warehouse.rows("raw.queue_log")
    assert [row["event"] for row in rows] == [line.split("|")[4] for line in EVERY_EVENT_LINES]


def test_connect_line_maps_to_columns(warehouse):
    warehouse.write(QUEUE_LOG, "\n".join(EVERY_EVENT_LINES) + "\n")
    load_queue_log(warehouse.con, warehouse.landing_dir)

    connect = warehouse.rows("raw.queue_log")[11]

    assert connect == {
        "event_epoch": 1717397425,
        "call_id": "1717397410.10",
        "queue_name": "support",
        "agent_name": "PJSIP/1001",
        "event": "CONNECT",
        "data1": "15",
        "data2": "1717397418.11",
        "data3": "5",
        "data4": None,
        "data5": None,
        "data6": None,
        "_source_file": QUEUE_LOG,
        "_source_position": 12,
    }


def test_call_ids_stay_text(warehouse):
    warehouse.write(QUEUE_LOG, "\n".join(EVERY_EVENT_LINES) + "\n")
    load_queue_log(warehouse.con, warehouse.landing_dir)

    call_ids = {row["call_id"] for row in warehouse.rows("raw.queue_log")}

    # A numeric cast would merge these two calls into one.
    assert "1717397410.10" in call_ids
    assert "1717397410.1" in call_ids


def test_empty_trailing_data_field_is_kept(warehouse):
    warehouse.write(QUEUE_LOG, "1717397390|NONE|NONE|NONE|QUEUESTART|\n")
    load_queue_log(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.queue_log")

    assert row["data1"] == ""
    assert row["data2"] is None


def test_six_data_fields_fill_data6(warehouse):
    warehouse.write(QUEUE_LOG, EVERY_EVENT_LINES[-1] + "\n")
    load_queue_log(warehouse.con, warehouse.landing_dir)

    [row] = warehouse.rows("raw.queue_log")

    assert [row[f"data{index}"] for index in range(1, 7)] == ["a", "b", "c", "d", "e", "f"]


def test_blank_lines_keep_line_numbers(warehouse):
    content = "\n1717397390|NONE|NONE|NONE|QUEUESTART|\n\n   \n1717397391|NONE|NONE|NONE|CONFIGRELOAD|\n\n"
    warehouse.write(QUEUE_LOG, content)

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.rows_read == 2  # the blank and space-only lines are not rows
    positions = [row["_source_position"] for row in warehouse.rows("raw.queue_log")]
    assert positions == [2, 5]


def test_bom_and_crlf_are_stripped(warehouse):
    content = "\ufeff1717397390|NONE|NONE|NONE|QUEUESTART|\r\n1717397404|NONE|support|PJSIP/1001|PAUSE|Lunch\r\n"
    warehouse.write(QUEUE_LOG, content)

    load_queue_log(warehouse.con, warehouse.landing_dir)

    rows = warehouse.rows("raw.queue_log")
    assert rows[0]["event_epoch"] == 1717397390
    assert rows[1]["data1"] == "Lunch"


@pytest.mark.parametrize(
    ("line", "field_name", "reason"),
    [
        (
            "1717397390|NONE|NONE",
            None,
            "line has 3 fields, expected at least 5 (epoch|callid|queue|agent|event)",
        ),
        (
            "1717397650|1717397650.14|support|PJSIP/1001|CUSTOMEVENT|1|2|3|4|5|6|7",
            None,
            "line has 7 data fields, expected at most 6",
        ),
        (
            "17173974x5|1717397410.10|support|PJSIP/1001|CONNECT|15|1717397418.11|5",
            "epoch",
            "field epoch is not a whole number of seconds: '17173974x5'",
        ),
        (
            "-1717397425|1717397410.10|support|PJSIP/1001|CONNECT|15|1717397418.11|5",
            "epoch",
            "field epoch is not a whole number of seconds: '-1717397425'",
        ),
        ("1717397425|1717397410.10|support|PJSIP/1001||15", "event", "field event is empty"),
        (
            "1717397425|1717397410.10|support|PJSIP/1001|CONNECT|x1|1717397418.11|5",
            "holdtime",
            "field holdtime (data1) of CONNECT is not a whole number: 'x1'",
        ),
        (
            "1717397425|1717397410.10|support|PJSIP/1001|CONNECT",
            "holdtime",
            "field holdtime (data1) of CONNECT is missing",
        ),
        (
            "1717397425|1717397410.10|support|PJSIP/1001|CONNECT|15|1717397418.11|",
            "ringtime",
            "field ringtime (data3) of CONNECT is not a whole number: ''",
        ),
        (
            "1717397430|1717397410.1|support|NONE|ENTERQUEUE||081298765432",
            "position",
            "field position (data3) of ENTERQUEUE is missing",
        ),
        (
            "1717397490|1717397410.1|support|NONE|ABANDON|1|2|3.5",
            "waittime",
            "field waittime (data3) of ABANDON is not a whole number: '3.5'",
        ),
        (
            "1717397540|1717397540.3|support|NONE|EXITWITHKEY|5|x|1|10",
            "position",
            "field position (data2) of EXITWITHKEY is not a whole number: 'x'",
        ),
        (
            "1717397418|1717397410.10|support|PJSIP/1002|RINGNOANSWER|1.5s",
            "ringtime_milliseconds",
            "field ringtime_milliseconds (data1) of RINGNOANSWER is not a whole number: '1.5s'",
        ),
        (
            "1717397725|1717397410.10|support|PJSIP/1001|COMPLETEAGENT|15| 300|1",
            "calltime",
            "field calltime (data2) of COMPLETEAGENT is not a whole number: ' 300'",
        ),
        (
            "1717397590|1717397590.8|support|PJSIP/1001|ATTENDEDTRANSFER|MERGE|x|10|60|1",
            "method",
            "field method (data1) of ATTENDEDTRANSFER is not BRIDGE, APP or LINK: 'MERGE'",
        ),
        (
            "1717397610|1717397610.11|support|PJSIP/1001|ATTENDEDTRANSFER|LINK|L;1|L;2|10|1e3|1",
            "calltime",
            "field calltime (data5) of ATTENDEDTRANSFER LINK is not a whole number: '1e3'",
        ),
        (
            "1717397640|1717397560.5|support|PJSIP/1001|WRAPUPSTART|",
            "wrapup_seconds",
            "field wrapup_seconds (data1) of WRAPUPSTART is not a whole number: ''",
        ),
        (
            "1717397620|NONE|support|PJSIP/1001|AGENTLOGOFF|PJSIP/1001|-5",
            "logintime",
            "field logintime (data2) of AGENTLOGOFF is negative: '-5'",
        ),
    ],
)
def test_malformed_line_is_rejected(warehouse, line, field_name, reason):
    good_line = "1717397390|NONE|NONE|NONE|QUEUESTART|"
    warehouse.write(QUEUE_LOG, f"{good_line}\n{line}\n")

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 1
    assert result.rows_rejected == 1
    assert warehouse.rejections("queue_log") == [
        {
            "source_kind": "queue_log",
            "source_file": QUEUE_LOG,
            "source_position": 2,
            "field_name": field_name,
            "raw_text": line,
            "reason": reason,
        }
    ]


def test_rejection_reasons_count_categories(warehouse):
    lines = [
        "1717397425|1717397410.10|support|PJSIP/1001|CONNECT|x1|1717397418.11|5",
        "1717397426|1717397410.20|support|PJSIP/1001|CONNECT|y|1717397418.21|5",
        "1717397390|NONE|NONE",
    ]
    warehouse.write(QUEUE_LOG, "\n".join(lines) + "\n")

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.rows_read == 3
    assert result.rejection_reasons == {
        "CONNECT holdtime is not a whole number": 2,
        "line has too few fields": 1,
    }


def test_non_utf8_line_is_decoded_as_windows_1252(warehouse):
    # 0xe9 is 'é' in Windows-1252. In UTF-8 it starts a 3-byte sequence that '|' cannot continue.
    # The UTF-8 'ü' on line 1 must stay as it is.
    warehouse.write(
        QUEUE_LOG,
        "1717397403|NONE|support|Jürgen|PAUSE|\n".encode()
        + b"1717397404|NONE|support|Jos\xe9|PAUSE|\n",
    )

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    assert result.rows_rejected == 0
    assert [row["agent_name"] for row in warehouse.rows("raw.queue_log")] == ["Jürgen", "José"]
    [file_load] = result.files
    assert file_load.text_encoding == "windows-1252"
    assert file_load.windows_1252_lines == (2,)


def test_utf16_file_is_rejected_whole(warehouse):
    warehouse.write(QUEUE_LOG, "1717397390|NONE|NONE|NONE|QUEUESTART|\n")
    warehouse.write(
        "telephony/queue_log/queue_log.1",
        "1717397404|NONE|support|PJSIP/1001|PAUSE|\n".encode("utf-16"),
    )

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 2
    assert result.rows_read == 2  # one line of the good file, plus the rejected file as a whole
    assert result.rows_loaded == 1
    assert result.rejection_reasons == {"file is not UTF-8 or Windows-1252 text": 1}
    assert warehouse.rejections("queue_log") == [
        {
            "source_kind": "queue_log",
            "source_file": "telephony/queue_log/queue_log.1",
            "source_position": 0,
            "field_name": None,
            "raw_text": None,
            # Python's utf-16 codec writes the little-endian byte order mark FF FE.
            "reason": "file is UTF-16 text: it starts with the UTF-16 byte order mark 0xfffe;"
            " export or save it as UTF-8",
        }
    ]


def test_absent_folder_gives_empty_table(warehouse):
    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 0
    assert result.rows_read == 0
    assert warehouse.rows("raw.queue_log") == []
    assert warehouse.rejections("queue_log") == []


def test_empty_file_gives_no_rows(warehouse):
    warehouse.write(QUEUE_LOG, "")

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 1
    assert result.rows_read == 0
    assert warehouse.rows("raw.queue_log") == []


def test_rerun_gives_identical_rows(warehouse):
    warehouse.write(QUEUE_LOG, "\n".join(EVERY_EVENT_LINES) + "\nbad line\n")
    first_result = load_queue_log(warehouse.con, warehouse.landing_dir)
    first_rows = warehouse.rows("raw.queue_log")
    first_rejections = warehouse.rejections("queue_log")

    second_result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert first_result.files_read == 1
    assert second_result.files_read == 0  # unchanged, so not read again
    assert second_result.files_unchanged == 1
    assert warehouse.rows("raw.queue_log") == first_rows
    assert warehouse.rejections("queue_log") == first_rejections
    assert len(warehouse.loaded_at_values("raw.queue_log")) == 1


def test_removed_file_rows_disappear(warehouse):
    warehouse.write(QUEUE_LOG, "1717397390|NONE|NONE|NONE|QUEUESTART|\n")
    rotated = warehouse.write(
        "telephony/queue_log/queue_log.1",
        "1717397000|NONE|NONE|NONE|QUEUESTART|\n1717397001|NONE|NONE\n",
    )
    load_queue_log(warehouse.con, warehouse.landing_dir)
    rotated.unlink()

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.files_read == 0
    # The removed file had one loaded line and one rejected line.
    [removed] = result.files_removed
    assert (removed.source_file, removed.rows_loaded, removed.rows_rejected) == (
        "telephony/queue_log/queue_log.1",
        1,
        1,
    )
    assert [row["_source_file"] for row in warehouse.rows("raw.queue_log")] == [QUEUE_LOG]
    assert warehouse.rejections("queue_log") == []


def test_glob_characters_in_file_name(warehouse):
    # read_blob treats '[1]' as a pattern matching '1', but the loader must read each file once.
    warehouse.write("telephony/queue_log/queue_log[1]", "1717397390|NONE|NONE|NONE|QUEUESTART|\n")
    warehouse.write("telephony/queue_log/queue_log1", "1717397391|NONE|NONE|NONE|CONFIGRELOAD|\n")

    result = load_queue_log(warehouse.con, warehouse.landing_dir)

    assert result.rows_loaded == 2
    files_and_events = [(row["_source_file"], row["event"]) for row in warehouse.rows("raw.queue_log")]
    assert files_and_events == [
        ("telephony/queue_log/queue_log1", "CONFIGRELOAD"),
        ("telephony/queue_log/queue_log[1]", "QUEUESTART"),
    ]


def test_other_kinds_keep_their_rejections(warehouse):
    warehouse.con.execute("create schema raw")
    warehouse.con.execute(
        """
        create table raw.rejected_records (
            source_kind varchar, source_file varchar, source_position integer,
            field_name varchar, raw_text varchar, reason varchar, loaded_at timestamp
        )
        """
    )
    warehouse.con.execute(
        "insert into raw.rejected_records values"
        " ('cdr', 'telephony/cdr/Master.csv', 3, null, 'x', 'line is not valid CSV', now())"
    )

    load_queue_log(warehouse.con, warehouse.landing_dir)

    assert len(warehouse.rejections("cdr")) == 1


def test_layout_table_drives_checks():
    layout = EventLayout("HOLDEVENT", (text("channel"), whole("hold_seconds")))

    checks = data_field_checks((layout,))

    # One whole-number field gives a "missing", a "negative" and a "not a whole number" check.
    assert [check.category for check in checks] == [
        "HOLDEVENT hold_seconds is missing",
        "HOLDEVENT hold_seconds is negative",
        "HOLDEVENT hold_seconds is not a whole number",
    ]
    assert all(check.field_name == "hold_seconds" for check in checks)
    assert all("data2" in check.fails_when for check in checks)


def test_text_fields_get_no_checks():
    layout = EventLayout("NOTE", (DataField("comment"),))

    assert data_field_checks((layout,)) == []
