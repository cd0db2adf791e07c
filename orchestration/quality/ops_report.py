"""The operations report on recording completeness: one HTML page for supervisors.

Built from `marts.agent_recording_quality` over the last `KINERJA_REPORT_WINDOW_DAYS` local days
that have data (7 by default, ending on the latest day in the mart). It lists per team and per
agent the share of due records filled in completely against the record kind's target, and the
ids of the records still to fix, agents with the lowest completeness first. The page is written
in Bahasa Indonesia or English (`KINERJA_REPORT_LANGUAGE`, `id` by default).

Run `python -m orchestration.quality.ops_report --language en` to write it outside Dagster.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import jinja2

from expectations.recording import RecordingConfigError, placeholder_values, read_dbt_var
from orchestration import settings

REPORT_FILE_NAME = "ops_recording_report.html"
TEMPLATE_NAME = "ops_recording_report.html.j2"
LANGUAGE_VARIABLE = "KINERJA_REPORT_LANGUAGE"
WINDOW_DAYS_VARIABLE = "KINERJA_REPORT_WINDOW_DAYS"
DEFAULT_LANGUAGE = "id"
# A week shows the gaps a supervisor has not yet had fixed without burying yesterday's.
DEFAULT_WINDOW_DAYS = 7
# Relative to the reports folder, where the Great Expectations checks build the Data Docs.
DATA_DOCS_HREF = "data_docs/index.html"

QUALITY_SQL = """
select
    agent_id,
    agent_name,
    team,
    activity_date,
    record_kind,
    records_due,
    records_complete,
    target_completeness_rate,
    incomplete_record_ids,
    missing_field_names
from marts.agent_recording_quality
where activity_date > (select max(activity_date) from marts.agent_recording_quality) - ?
order by agent_id, record_kind, activity_date
"""

# Every text on the page, per language. Indonesian is the language of the supervisors reading
# it; English is for the engineers and for centres outside Indonesia.
MESSAGES: dict[str, dict[str, str]] = {
    "id": {
        "title": "Kelengkapan pencatatan",
        "intro": (
            "Persentase catatan yang diisi lengkap oleh setiap agen dibandingkan dengan "
            "targetnya. Agen dengan kelengkapan terendah tercantum paling atas. Mohon catatan "
            "di kolom terakhir dilengkapi hari ini."
        ),
        "rule": (
            "Catatan dianggap lengkap bila semua kolom wajib terisi. Kolom yang kosong, hanya "
            "berisi spasi, atau diisi sekadar {placeholders} dianggap belum diisi."
        ),
        "or": "atau",
        "period": "Periode",
        "period_range": "{start} s.d. {end}",
        "generated": "Dibuat",
        "by_team": "Per tim",
        "by_agent": "Per agen",
        "team": "Tim",
        "agent": "Agen",
        "record_kind": "Jenis catatan",
        "completeness": "Kelengkapan",
        "target": "Target",
        "complete_of_due": "Lengkap / wajib",
        "records_to_fix_count": "Perlu dilengkapi",
        "missing_fields": "Kolom yang belum diisi",
        "records_to_fix": "Catatan yang perlu dilengkapi",
        "below_target": "di bawah target",
        "meets_target": "memenuhi target",
        "no_team": "(tanpa tim)",
        "empty": "Tidak ada catatan yang wajib diisi dalam periode ini.",
        "data_docs": "Hasil lengkap pemeriksaan data (Great Expectations Data Docs)",
        "kind.ticket": "Tiket",
        "kind.lead": "Prospek",
        "field.category": "kategori",
        "field.disposition": "disposisi",
        "field.resolution_note": "catatan penyelesaian internal",
        "field.call_id": "ID panggilan",
        "field.interest": "minat",
        "field.lead_score": "skor prospek",
    },
    "en": {
        "title": "Recording completeness",
        "intro": (
            "Share of each agent's records filled in completely, against the target. Agents "
            "with the lowest completeness come first. Please have the records in the last "
            "column completed today."
        ),
        "rule": (
            "A record is complete when every required field is filled. A field that is empty, "
            "holds only spaces, or holds just {placeholders} counts as not filled."
        ),
        "or": "or",
        "period": "Period",
        "period_range": "{start} to {end}",
        "generated": "Generated",
        "by_team": "By team",
        "by_agent": "By agent",
        "team": "Team",
        "agent": "Agent",
        "record_kind": "Record kind",
        "completeness": "Completeness",
        "target": "Target",
        "complete_of_due": "Complete / due",
        "records_to_fix_count": "To complete",
        "missing_fields": "Fields left empty",
        "records_to_fix": "Records to complete",
        "below_target": "below target",
        "meets_target": "meets target",
        "no_team": "(no team)",
        "empty": "No records were due in this period.",
        "data_docs": "Full data-quality results (Great Expectations Data Docs)",
        "kind.ticket": "Ticket",
        "kind.lead": "Lead",
        "field.category": "category",
        "field.disposition": "disposition",
        "field.resolution_note": "internal resolution note",
        "field.call_id": "call id",
        "field.interest": "interest",
        "field.lead_score": "lead score",
    },
}
LANGUAGES = tuple(MESSAGES)

MONTH_ABBREVIATIONS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
DECIMAL_SEPARATORS = {"id": ",", "en": "."}


class ReportSettingError(ValueError):
    """A report setting in the environment has an invalid value."""


def report_language(environment: Mapping[str, str] = os.environ) -> str:
    """Return the report language from `KINERJA_REPORT_LANGUAGE` (`id` when unset)."""
    language = (environment.get(LANGUAGE_VARIABLE) or DEFAULT_LANGUAGE).strip().lower()
    if language not in LANGUAGES:
        raise ReportSettingError(
            f"{LANGUAGE_VARIABLE} must be one of {', '.join(LANGUAGES)}, got {language!r}"
        )
    return language


def report_window_days(environment: Mapping[str, str] = os.environ) -> int:
    """Return the number of local days the report covers (`KINERJA_REPORT_WINDOW_DAYS`)."""
    text = environment.get(WINDOW_DAYS_VARIABLE) or str(DEFAULT_WINDOW_DAYS)
    try:
        window_days = int(text)
    except ValueError:
        window_days = 0
    if window_days < 1:
        raise ReportSettingError(
            f"{WINDOW_DAYS_VARIABLE} must be a whole number of days of at least 1, got {text!r}"
        )
    return window_days


@dataclass(frozen=True)
class QualityRow:
    """One row of marts.agent_recording_quality: an agent's records of one kind on one day."""

    agent_id: str
    agent_name: str | None
    team: str | None
    activity_date: date
    record_kind: str
    records_due: int
    records_complete: int
    target_completeness_rate: float
    incomplete_record_ids: tuple[str, ...] = ()
    missing_field_names: tuple[str, ...] = ()


def _split_list(text: str | None) -> tuple[str, ...]:
    """Split the mart's comma-separated lists; null is an empty list."""
    if not text:
        return ()
    return tuple(item.strip() for item in text.split(",") if item.strip())


def read_quality_rows(warehouse: Path, window_days: int) -> list[QualityRow]:
    """Read the mart's rows of the last `window_days` days that have data."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(QUALITY_SQL, [window_days]).fetchall()
    return [
        QualityRow(
            agent_id=agent_id,
            agent_name=agent_name,
            team=team,
            activity_date=activity_date,
            record_kind=record_kind,
            records_due=int(records_due),
            records_complete=int(records_complete),
            target_completeness_rate=float(target_rate),
            incomplete_record_ids=_split_list(incomplete_ids),
            missing_field_names=_split_list(missing_fields),
        )
        for (
            agent_id,
            agent_name,
            team,
            activity_date,
            record_kind,
            records_due,
            records_complete,
            target_rate,
            incomplete_ids,
            missing_fields,
        ) in rows
    ]


@dataclass(frozen=True)
class CompletenessLine:
    """Completeness of one agent or team for one record kind over the report's period."""

    record_kind: str
    records_due: int
    records_complete: int
    target_completeness_rate: float
    team: str | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    missing_field_names: tuple[str, ...] = ()
    # (local day, ids of that day's incomplete records), oldest day first.
    records_to_fix: tuple[tuple[date, tuple[str, ...]], ...] = field(default=())

    @property
    def records_incomplete(self) -> int:
        return self.records_due - self.records_complete

    @property
    def completeness_rate(self) -> float:
        return self.records_complete / self.records_due

    @property
    def is_below_target(self) -> bool:
        # Compared as exact fractions, so 19 of 20 meets a 0.95 target.
        target = Fraction(str(self.target_completeness_rate))
        return Fraction(self.records_complete, self.records_due) < target


def _target_of_latest_day(rows: Sequence[QualityRow]) -> float:
    return max(rows, key=lambda row: row.activity_date).target_completeness_rate


def _sort_key(line: CompletenessLine) -> tuple:
    # Lowest completeness first; among equals, more records to fix first.
    return (
        line.completeness_rate,
        -line.records_incomplete,
        line.team or "",
        line.agent_name or line.agent_id or "",
        line.record_kind,
    )


def summarize_agents(rows: Iterable[QualityRow]) -> list[CompletenessLine]:
    """Sum each agent's rows per record kind, lowest completeness first."""
    grouped: dict[tuple[str, str], list[QualityRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.agent_id, row.record_kind)].append(row)

    lines = []
    for (agent_id, record_kind), agent_rows in grouped.items():
        latest = max(agent_rows, key=lambda row: row.activity_date)
        missing_fields = sorted({name for row in agent_rows for name in row.missing_field_names})
        records_to_fix = tuple(
            (row.activity_date, row.incomplete_record_ids)
            for row in sorted(agent_rows, key=lambda row: row.activity_date)
            if row.incomplete_record_ids
        )
        lines.append(
            CompletenessLine(
                record_kind=record_kind,
                records_due=sum(row.records_due for row in agent_rows),
                records_complete=sum(row.records_complete for row in agent_rows),
                target_completeness_rate=_target_of_latest_day(agent_rows),
                team=latest.team,
                agent_id=agent_id,
                agent_name=latest.agent_name,
                missing_field_names=tuple(missing_fields),
                records_to_fix=records_to_fix,
            )
        )
    return sorted(lines, key=_sort_key)


def summarize_teams(rows: Iterable[QualityRow]) -> list[CompletenessLine]:
    """Sum the rows per team and record kind, lowest completeness first."""
    grouped: dict[tuple[str | None, str], list[QualityRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.team, row.record_kind)].append(row)

    lines = [
        CompletenessLine(
            record_kind=record_kind,
            records_due=sum(row.records_due for row in team_rows),
            records_complete=sum(row.records_complete for row in team_rows),
            target_completeness_rate=_target_of_latest_day(team_rows),
            team=team,
        )
        for (team, record_kind), team_rows in grouped.items()
    ]
    return sorted(lines, key=_sort_key)


def format_rate(rate: float, language: str) -> str:
    """Format a 0-1 rate as a percentage with at most one decimal: `87,5%` or `87.5%`."""
    percent = f"{100 * rate:.1f}".removesuffix(".0")
    return percent.replace(".", DECIMAL_SEPARATORS[language]) + "%"


def format_day(day: date, language: str) -> str:
    """Format a day as `1 Okt 2026` (Indonesian) or `1 Oct 2026` (English)."""
    return f"{day.day} {MONTH_ABBREVIATIONS[language][day.month - 1]} {day.year}"


def format_period(days: Sequence[date], language: str) -> str | None:
    """Format the span of `days` as `1 Okt 2026 s.d. 7 Okt 2026`, one day alone, or None."""
    if not days:
        return None
    first_day, last_day = min(days), max(days)
    if first_day == last_day:
        return format_day(first_day, language)
    return MESSAGES[language]["period_range"].format(
        start=format_day(first_day, language), end=format_day(last_day, language)
    )


def format_alternatives(values: Sequence[str], language: str) -> str:
    """Quote and list values as alternatives: `“-”, “n/a” atau “null”`."""
    quoted = [f"“{value}”" for value in values]
    if len(quoted) < 2:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {MESSAGES[language]['or']} {quoted[-1]}"


@dataclass(frozen=True)
class ReportSummary:
    """Path, language, period and counts of one written report, for logs and asset metadata."""

    path: Path
    language: str
    first_day: date | None
    last_day: date | None
    agent_lines: int
    agent_lines_below_target: int
    records_to_fix: int


def _template_environment(language: str) -> jinja2.Environment:
    """Build the Jinja environment, with filters that format values for `language`."""
    text = MESSAGES[language]
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("orchestration.quality", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["rate"] = lambda value: format_rate(value, language)
    environment.filters["day"] = lambda value: format_day(value, language)
    environment.filters["kind"] = lambda record_kind: text.get(f"kind.{record_kind}", record_kind)
    environment.filters["field_label"] = lambda name: text.get(f"field.{name}", name)
    return environment


# Abbreviations Indonesians write after a clock time. Other zones are written by name.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def format_generated_at(generated_at: datetime, zone_name: str) -> str:
    """Format when the page was made in the centre's time zone, as `2026-10-08 07:30 WIB`."""
    local = generated_at.astimezone(ZoneInfo(zone_name))
    return f"{local:%Y-%m-%d %H:%M} {ZONE_ABBREVIATIONS.get(zone_name, zone_name)}"


def render_report(
    rows: Sequence[QualityRow],
    language: str,
    generated_at: datetime,
    placeholders: Sequence[str],
    zone_name: str = "Asia/Jakarta",
    data_docs_href: str = DATA_DOCS_HREF,
) -> str:
    """Render the report page for `rows` in `language` (`id` or `en`), with times in `zone_name`."""
    if language not in LANGUAGES:
        raise ReportSettingError(
            f"Report language must be one of {', '.join(LANGUAGES)}, got {language!r}"
        )
    text = MESSAGES[language]
    template = _template_environment(language).get_template(TEMPLATE_NAME)
    return template.render(
        language=language,
        text=text,
        rule=text["rule"].format(placeholders=format_alternatives(placeholders, language)),
        period=format_period([row.activity_date for row in rows], language),
        generated_at=format_generated_at(generated_at, zone_name),
        teams=summarize_teams(rows),
        agents=summarize_agents(rows),
        data_docs_href=data_docs_href,
    )


def write_report(
    warehouse: Path,
    reports_dir: Path,
    language: str,
    window_days: int,
    generated_at: datetime | None = None,
    output_path: Path | None = None,
) -> ReportSummary:
    """Read the mart, render the page and write it (to `<reports>/ops_recording_report.html`)."""
    if not warehouse.exists():
        raise FileNotFoundError(
            f"Warehouse {warehouse} not found. Build marts.agent_recording_quality first."
        )
    rows = read_quality_rows(warehouse, window_days)
    path = output_path or reports_dir / REPORT_FILE_NAME
    # The link must reach the Data Docs from wherever the page is written.
    data_docs_href = Path(os.path.relpath(reports_dir / DATA_DOCS_HREF, path.absolute().parent)).as_posix()
    html = render_report(
        rows,
        language,
        generated_at or datetime.now(UTC),
        placeholder_values(),
        read_dbt_var("default_timezone"),
        data_docs_href,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")

    agent_lines = summarize_agents(rows)
    days = [row.activity_date for row in rows]
    return ReportSummary(
        path=path,
        language=language,
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        agent_lines=len(agent_lines),
        agent_lines_below_target=sum(line.is_below_target for line in agent_lines),
        records_to_fix=sum(line.records_incomplete for line in agent_lines),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.quality.ops_report",
        description="Write the recording-completeness report for supervisors as one HTML page.",
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help=f"page language (default: {LANGUAGE_VARIABLE}, else {DEFAULT_LANGUAGE})",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"file to write (default: {REPORT_FILE_NAME} in KINERJA_REPORTS_DIR)",
    )
    arguments = parser.parse_args(argv)

    try:
        language = arguments.language or report_language()
        summary = write_report(
            settings.warehouse_path(),
            settings.reports_dir(),
            language,
            report_window_days(),
            output_path=arguments.output,
        )
    except (ReportSettingError, RecordingConfigError, FileNotFoundError, duckdb.Error) as error:
        print(f"Writing the recording report failed: {error}", file=sys.stderr)
        return 1
    print(f"Recording report ({summary.language}): {summary.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
