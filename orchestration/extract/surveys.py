"""Load survey response CSV files (surveys/*.csv) into raw.surveys.

Each file is RFC 4180 CSV with the header `response_id,contact_ref,survey_type,score,submitted_at`.
Line numbers count the header as line 1. When a file's header differs, every data line of that
file is rejected with a reason quoting the header found and the one expected, so each response
stays countable and traceable to its line. A file holding only a header, or nothing, loads no
rows and rejects none.

survey_type is csat (score 1 to 5) or nps (score 0 to 10), in any letter case, and is stored in
lower case. submitted_at must carry a UTC offset (`2024-06-05T10:12:00+07:00`) and is stored in
UTC. A time without an offset is rejected because its zone is ambiguous, and so is a time more than
`FUTURE_TOLERANCE_HOURS` after the file's modification time. Responses need not be in time order.

A last line without a line feed is not rejected for that alone, because CSV exports often end
without one (RFC 4180 allows it). A line cut while the file was copied is rejected for the field
the cut leaves invalid, but a cut inside the offset of submitted_at (`+07` of `+07:00`) leaves a
valid line, which loads. The registry records that the file ends without a line feed, and the
asset check `surveys_last_lines_end_with_line_feed` warns, naming the file, the line and the
field submitted_at.

NOTE: lines are split on line feeds before they are parsed, so a quoted field that spans lines
is rejected as two invalid lines.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.extract.checks import (
    Check,
    apply_checks_sql,
    csv_header_check,
    csv_line_checks,
    future_timestamp_check,
    reason_with_value_sql,
    sql_literal,
    timestamp_checks,
    utc_timestamp_sql,
)
from orchestration.extract.common import LoadResult, SourceLoader, load_source
from orchestration.extract.staging import csv_stage, file_rejections_select_sql

SOURCE_KIND = "surveys"
FILE_PATTERN = "surveys/*.csv"
TABLE = "raw.surveys"
EXPECTED_HEADER = ("response_id", "contact_ref", "survey_type", "score", "submitted_at")

# Inclusive score range of each survey type: CSAT on a 1-5 scale, NPS on the 0-10 scale.
SCORE_SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10)}

SURVEYS_DDL = f"""
create table if not exists {TABLE} (
    response_id varchar,
    contact_ref varchar,
    survey_type varchar,
    score integer,
    submitted_at timestamp,
    _source_file varchar,
    _source_position integer,
    _loaded_at timestamp
)
"""


def survey_checks() -> list[Check]:
    """Build the checks on a survey line, in the order they are reported."""
    checks = [csv_header_check(EXPECTED_HEADER)]
    field_count = len(EXPECTED_HEADER)
    checks += csv_line_checks("is_valid_csv", "field_count", field_count, field_count)
    checks.append(
        Check(
            fails_when="coalesce(trim(response_id), '') = ''",
            field_name="response_id",
            reason=sql_literal("field response_id is empty"),
            category="response_id is empty",
        )
    )

    known_types = list(SCORE_SCALES)
    type_list = ", ".join(sql_literal(survey_type) for survey_type in known_types)
    described_types = ", ".join(known_types[:-1]) + f" or {known_types[-1]}"
    checks.append(
        Check(
            fails_when=f"coalesce(survey_type, '') not in ({type_list})",
            field_name="survey_type",
            reason=reason_with_value_sql(
                f"field survey_type is not {described_types}", "survey_type_text"
            ),
            category="survey_type is unknown",
        )
    )

    for survey_type, (min_score, max_score) in SCORE_SCALES.items():
        is_on_scale = (
            f"coalesce(regexp_full_match(score_text, '[0-9]+')"
            f" and try_cast(score_text as integer) between {min_score} and {max_score}, false)"
        )
        checks.append(
            Check(
                fails_when=f"survey_type = {sql_literal(survey_type)} and not {is_on_scale}",
                field_name="score",
                reason=reason_with_value_sql(
                    f"field score is not a whole number from {min_score} to {max_score}"
                    f" (the {survey_type} scale)",
                    "score_text",
                ),
                category=f"{survey_type} score is not on the {min_score}-{max_score} scale",
            )
        )

    checks += timestamp_checks("submitted_at_text", "submitted_at", is_required=True)
    checks.append(
        future_timestamp_check(
            utc_timestamp_sql("submitted_at_text"), "submitted_at_text", "submitted_at"
        )
    )
    return checks


def candidates_sql() -> str:
    """SQL building temp table surveys_candidates from the staged records."""
    return f"""
        create or replace temp table {SOURCE_KIND}_candidates as
        with
        named_fields as (
            select
                source_file,
                source_position,
                raw_text,
                file_modified_at,
                is_valid_csv,
                field_count,
                header_text,
                has_expected_header,
                fields[1] as response_id,
                fields[2] as contact_ref,
                fields[3] as survey_type_text,
                lower(fields[3]) as survey_type,
                fields[4] as score_text,
                nullif(fields[5], '') as submitted_at_text
            from {SOURCE_KIND}_records
        ),

        checked as (
            {apply_checks_sql('named_fields', survey_checks())}
        )

        select
            source_file,
            source_position,
            raw_text,
            field_name,
            reason,
            rejection_category,
            response_id,
            contact_ref,
            survey_type,
            try_cast(score_text as integer) as score,
            {utc_timestamp_sql('submitted_at_text')} as submitted_at
        from checked

        union all by name

        {file_rejections_select_sql(SOURCE_KIND)}
    """


INSERT_SQL = f"""
    insert into {TABLE} by name
    select
        response_id,
        contact_ref,
        survey_type,
        score,
        submitted_at,
        source_file as _source_file,
        source_position as _source_position,
        $loaded_at as _loaded_at
    from {SOURCE_KIND}_candidates
    where reason is null
    order by source_file, source_position
"""


LOADER = SourceLoader(
    source_kind=SOURCE_KIND,
    file_pattern=FILE_PATTERN,
    table_ddl=[SURVEYS_DDL],
    tables=[TABLE],
    stage=csv_stage(EXPECTED_HEADER),
    candidates_sql=candidates_sql,
    insert_statements=[INSERT_SQL],
)


def load_surveys(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    *,
    settle_seconds: float = 0,
    now: datetime | None = None,
) -> LoadResult:
    """Load the new and changed surveys/*.csv files into raw.surveys.

    See `load_source` for the file registry and the settle time.
    """
    return load_source(con, landing_dir, LOADER, settle_seconds=settle_seconds, now=now)
