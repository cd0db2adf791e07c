"""Data-quality summary: one JSON entry per expectation suite, and a terminal table of them.

`<reports>/data_quality_summary.json` holds, per suite, the latest outcome written by
`gx_runner.validate_suite`. Run `python -m orchestration.quality.summary` to print it, or add
`--run` to validate every suite against the warehouse first.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SUMMARY_FILE_NAME = "data_quality_summary.json"
TABLE_HEADERS = ("suite", "result", "evaluated", "failing", "failing %", "sample failing ids")
# Shown in a count cell when the suite could not read its relation.
UNKNOWN_CELL = "-"


def summary_path(reports_dir: Path) -> Path:
    return reports_dir / SUMMARY_FILE_NAME


def read_summary(path: Path) -> dict[str, Any]:
    """Read the summary file, raising FileNotFoundError with a hint when it does not exist."""
    if not path.exists():
        raise FileNotFoundError(
            f"Data-quality summary not found at {path}. Run the quality checks first, "
            "for example `python -m orchestration.quality.summary --run`."
        )
    with path.open(encoding="utf-8") as summary_file:
        return json.load(summary_file)


def merge_summary_entry(
    summary: Mapping[str, Any],
    suite_name: str,
    entry: Mapping[str, Any],
    suite_names: Sequence[str],
) -> dict[str, Any]:
    """Return the summary with `entry` as the suite's latest outcome, in `suite_names` order.

    Entries of suites that are no longer in `suite_names` are dropped, so a removed suite does
    not linger in the report.
    """
    suites = dict(summary.get("suites", {}))
    suites[suite_name] = dict(entry)
    return {"suites": {name: suites[name] for name in suite_names if name in suites}}


def write_summary_entry(
    path: Path, suite_name: str, entry: Mapping[str, Any], suite_names: Sequence[str]
) -> None:
    """Replace one suite's entry in the summary file.

    The caller holds the reports lock, so entries written by concurrent checks are not lost.
    The file is replaced atomically, so a reader never sees half of it.
    """
    try:
        summary = read_summary(path)
    except FileNotFoundError:
        summary = {}
    except json.JSONDecodeError as error:
        # The file is derived data: every suite entry is rewritten by its next run.
        logger.warning("Replacing unreadable data-quality summary %s: %s", path, error)
        summary = {}

    merged = merge_summary_entry(summary, suite_name, entry, suite_names)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary_path = path.with_suffix(".json.tmp")
    temporary_path.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary_path, path)


def _format_count(value: int | None) -> str:
    return UNKNOWN_CELL if value is None else str(value)


def _format_rate(value: float | None) -> str:
    return UNKNOWN_CELL if value is None else f"{100 * value:.1f}"


def _format_result(entry: Mapping[str, Any]) -> str:
    if entry["success"]:
        return "passed"
    return f"failed ({entry['severity']})"


def _format_ids(ids: Iterable[Any]) -> str:
    return ", ".join("null" if value is None else str(value) for value in ids)


def format_summary_table(summary: Mapping[str, Any]) -> str:
    """Format the summary as a plain-text table, one row per suite.

    A suite that could not read its relation shows `-` for its counts, and its error follows
    the table.
    """
    rows = [TABLE_HEADERS]
    errors = []
    for suite_name, entry in summary.get("suites", {}).items():
        rows.append(
            (
                suite_name,
                _format_result(entry),
                _format_count(entry["evaluated_count"]),
                _format_count(entry["failing_count"]),
                _format_rate(entry["failing_rate"]),
                _format_ids(entry["sample_failing_ids"]),
            )
        )
        if entry.get("error"):
            errors.append(f"{suite_name}: {entry['error']}")

    widths = [max(len(row[column]) for row in rows) for column in range(len(TABLE_HEADERS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, *errors])


def format_summary(reports_dir: Path) -> str:
    """Format the summary file in `reports_dir` as a table, or explain how to create it."""
    try:
        summary = read_summary(summary_path(reports_dir))
    except FileNotFoundError as error:
        return str(error)
    return format_summary_table(summary)


def main(argv: Sequence[str] | None = None) -> int:
    # Imported here so that formatting the summary does not import DuckDB or GX.
    from orchestration import settings
    from orchestration.quality import gx_runner

    parser = argparse.ArgumentParser(
        prog="python -m orchestration.quality.summary",
        description="Print the data-quality summary of the Great Expectations suites.",
    )
    parser.add_argument(
        "--run",
        action="store_true",
        help="validate every suite against the warehouse before printing",
    )
    arguments = parser.parse_args(argv)

    reports_dir = settings.reports_dir()
    if arguments.run:
        gx_runner.validate_all_suites(settings.warehouse_path(), reports_dir)

    try:
        summary = read_summary(summary_path(reports_dir))
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(format_summary_table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
