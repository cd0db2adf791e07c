"""Recording rules: the requirements seed, the vars, and what counts as a missing value."""

from __future__ import annotations

import dataclasses
import re

import duckdb
import jinja2
import pandas as pd
import pytest

from expectations import leads_recording, recording, tickets_recording
from orchestration.settings import DBT_PROJECT_DIR

HEADER = "record_kind,channel,field_name,required_when\n"

# Values and whether each counts as missing.
MISSING_VALUE_CASES = [
    (None, True),
    ("", True),
    ("   ", True),
    ("\t", True),
    ("\xa0", True),
    (" \r\n ", True),
    ("-", True),
    (" - ", True),
    ("N/A", True),
    ("n / a", True),
    ("NULL", True),
    (" null\t", True),
    ("--", False),
    ("n/a/b", False),
    ("Null value", False),
    ("nihil", False),
    ("0", False),
    ("a\tb", False),
    # An em space is not in the whitespace set, so both layers keep it as a value.
    ("\u2003", False),
    ("Tagihan", False),
]


def write_seed(tmp_path, body: str):
    path = tmp_path / "recording_requirements.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_default_seed_has_issue_fields():
    requirements = recording.read_requirements()

    assert [
        (row.record_kind, row.channel, row.field_name, row.required_when) for row in requirements
    ] == [
        ("ticket", "any", "category", "finished"),
        ("ticket", "any", "disposition", "finished"),
        ("ticket", "any", "resolution_note", "finished"),
        ("ticket", "voice", "call_id", "always"),
        ("lead", "any", "interest", "worked_by_call"),
        ("lead", "any", "lead_score", "worked_by_call"),
    ]
    assert [row.line_number for row in requirements] == [2, 3, 4, 5, 6, 7]


def test_default_vars_read_from_project():
    assert recording.placeholder_values() == ("-", "n/a", "null")
    assert recording.target_completeness_rate("ticket") == 0.95
    assert recording.target_completeness_rate("lead") == 0.95


def test_empty_seed_field_names_line(tmp_path):
    seed = write_seed(tmp_path, "ticket,any,category,finished\nticket,voice,,always\n")

    with pytest.raises(recording.RecordingConfigError) as error:
        recording.read_requirements(seed)

    assert str(error.value) == f"{seed}, line 3: field field_name is empty"


def test_seed_header_must_name_columns(tmp_path):
    seed = tmp_path / "recording_requirements.csv"
    seed.write_text("record_kind,channel,field\nticket,any,category\n", encoding="utf-8")

    with pytest.raises(recording.RecordingConfigError, match="line 1: header lacks column"):
        recording.read_requirements(seed)


def test_missing_seed_file_is_named(tmp_path):
    with pytest.raises(recording.RecordingConfigError, match="absent.csv not found"):
        recording.read_requirements(tmp_path / "absent.csv")


def test_condition_must_suit_record_kind(tmp_path):
    seed = write_seed(tmp_path, "ticket,any,category,worked_by_call\n")
    rule = dataclasses.replace(tickets_recording.RULE, requirements_path=seed)

    with pytest.raises(recording.RecordingConfigError) as error:
        rule.requirements()

    assert str(error.value) == (
        f"{seed}, line 2: required_when 'worked_by_call' does not apply to ticket records. "
        "Expected one of always, finished."
    )


def test_invalid_target_is_rejected(tmp_path):
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  recording_completeness_targets: {ticket: 95}\n", encoding="utf-8")

    with pytest.raises(recording.RecordingConfigError, match="between 0 and 1, got 95"):
        recording.target_completeness_rate("ticket", project)
    with pytest.raises(recording.RecordingConfigError, match="no target for record kind 'lead'"):
        recording.target_completeness_rate("lead", project)


def test_missing_var_is_named(tmp_path):
    project = tmp_path / "dbt_project.yml"
    project.write_text("vars: {}\n", encoding="utf-8")

    with pytest.raises(recording.RecordingConfigError, match="var recording_placeholder_values"):
        recording.placeholder_values(project)


@pytest.mark.parametrize(("value", "is_missing"), MISSING_VALUE_CASES)
def test_regex_marks_missing_values(value, is_missing):
    regex = recording.missing_value_regex(("-", "n/a", "null"))

    # GX's pandas engine skips nulls in regex expectations; the not-null expectation has them.
    found_missing = value is None or re.search(regex, value) is not None
    assert found_missing is is_missing


def render_missing_reason_sql(column: str) -> str:
    """Render dbt's recording_missing_reason macro with the project's vars, without dbt."""
    macros = (DBT_PROJECT_DIR / "macros" / "recording.sql").read_text(encoding="utf-8")
    environment = jinja2.Environment()
    template = environment.from_string(
        macros + "{{ recording_missing_reason('" + column + "') }}"
    )
    project_vars = {"recording_placeholder_values": list(recording.placeholder_values())}
    return template.render(var=project_vars.__getitem__)


def test_dbt_macro_agrees_with_regex():
    regex = recording.missing_value_regex(recording.placeholder_values())
    missing_reason_sql = render_missing_reason_sql("field_value")

    with duckdb.connect() as connection:
        connection.execute("create table cases (case_number integer, field_value varchar)")
        connection.executemany(
            "insert into cases values (?, ?)",
            [[number, value] for number, (value, _) in enumerate(MISSING_VALUE_CASES)],
        )
        reasons = connection.execute(
            f"select {missing_reason_sql} from cases order by case_number"
        ).fetchall()

    for (value, is_missing), (reason,) in zip(MISSING_VALUE_CASES, reasons, strict=True):
        regex_missing = value is None or re.search(regex, value) is not None
        assert (reason is not None) is is_missing, repr(value)
        assert regex_missing is is_missing, repr(value)


def test_due_rows_follow_channel_and_status():
    frame = pd.DataFrame(
        {
            "channel": ["email", "email", "voice", "voice", None],
            "is_finished": [True, False, False, None, True],
        }
    )

    due = tickets_recording.RULE.due_rows(frame)

    # finished email: category etc.; open email: nothing; open voice and voice with an unknown
    # status: the call id; finished without a channel: category etc.
    assert due.tolist() == [True, False, True, True, True]


def test_leads_due_only_when_worked():
    frame = pd.DataFrame({"channel": ["voice", "voice"], "is_worked_by_call": [True, False]})

    assert leads_recording.RULE.due_rows(frame).tolist() == [True, False]
