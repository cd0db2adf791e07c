"""Recording requirements: which fields agents must fill in, when, and what counts as missing.

The rules are configuration shared with the dbt models, so both read the same files:

- `dbt_project/seeds/recording_requirements.csv`: one row per record kind, channel (`any` or a
  kinerja channel) and field, with `required_when` saying when the field is due.
- `dbt_project/dbt_project.yml` vars `recording_placeholder_values` (values that count as
  missing, compared in lower case with whitespace removed) and `recording_completeness_targets`
  (the share of due records that must be complete, per record kind).

A value is missing when it is null, empty, only whitespace, or a placeholder. Whitespace is the
set of characters that dbt's `remove_whitespace` macro removes, so both layers agree.

NOTE: the vars are read from dbt_project.yml, so a `dbt build --vars ...` override reaches the
dbt models but not these suites.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from orchestration.settings import DBT_PROJECT_DIR

if TYPE_CHECKING:
    import great_expectations as gx
    import pandas as pd
    from great_expectations.expectations.row_conditions import Condition

REQUIREMENTS_SEED = DBT_PROJECT_DIR / "seeds" / "recording_requirements.csv"
DBT_PROJECT_FILE = DBT_PROJECT_DIR / "dbt_project.yml"
REQUIREMENT_COLUMNS = ("record_kind", "channel", "field_name", "required_when")
PLACEHOLDERS_VAR = "recording_placeholder_values"
TARGETS_VAR = "recording_completeness_targets"

# Seed channel that applies a requirement to every channel of the record kind.
ANY_CHANNEL = "any"
# Space, tab, line feed, vertical tab, form feed, carriage return and no-break space: the
# characters dbt_project/macros/recording.sql removes before comparing.
WHITESPACE_CHARACTERS = " \t\n\x0b\x0c\r\xa0"
# The same characters as a regex class, spelled with escapes so the Data Docs show it legibly.
WHITESPACE_CLASS = r"[ \t\n\x0b\x0c\r\xa0]"


class RecordingConfigError(ValueError):
    """The recording requirements seed or vars are invalid; the message names file and field."""


@dataclass(frozen=True)
class Requirement:
    """One row of the recording requirements seed."""

    record_kind: str
    channel: str
    field_name: str
    required_when: str
    line_number: int


def read_requirements(path: Path = REQUIREMENTS_SEED) -> tuple[Requirement, ...]:
    """Read every row of the requirements seed, raising RecordingConfigError on a bad row.

    The error names the file, the line and the field at fault.
    """
    try:
        with path.open(encoding="utf-8", newline="") as seed_file:
            reader = csv.DictReader(seed_file)
            missing_columns = [
                column for column in REQUIREMENT_COLUMNS if column not in (reader.fieldnames or [])
            ]
            if missing_columns:
                raise RecordingConfigError(
                    f"{path}, line 1: header lacks column(s) {', '.join(missing_columns)}. "
                    f"Expected {','.join(REQUIREMENT_COLUMNS)}."
                )
            requirements = []
            for row in reader:
                values = {column: (row[column] or "").strip() for column in REQUIREMENT_COLUMNS}
                for column, value in values.items():
                    if not value:
                        raise RecordingConfigError(
                            f"{path}, line {reader.line_num}: field {column} is empty"
                        )
                requirements.append(Requirement(**values, line_number=reader.line_num))
    except FileNotFoundError as error:
        raise RecordingConfigError(f"Recording requirements seed {path} not found") from error
    return tuple(requirements)


def read_dbt_var(name: str, path: Path = DBT_PROJECT_FILE) -> Any:
    """Return the value of one var in dbt_project.yml, raising RecordingConfigError without it."""
    with path.open(encoding="utf-8") as project_file:
        project = yaml.safe_load(project_file) or {}
    project_vars = project.get("vars") or {}
    if name not in project_vars:
        raise RecordingConfigError(f"{path}: var {name} is missing")
    return project_vars[name]


def placeholder_values(path: Path = DBT_PROJECT_FILE) -> tuple[str, ...]:
    """Return the `recording_placeholder_values` var as a tuple of strings."""
    values = read_dbt_var(PLACEHOLDERS_VAR, path)
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise RecordingConfigError(
            f"{path}: var {PLACEHOLDERS_VAR} must be a list of strings, got {values!r}"
        )
    return tuple(values)


def target_completeness_rate(record_kind: str, path: Path = DBT_PROJECT_FILE) -> float:
    """Return the record kind's completeness target (0-1) from `recording_completeness_targets`."""
    targets = read_dbt_var(TARGETS_VAR, path)
    if not isinstance(targets, Mapping) or record_kind not in targets:
        raise RecordingConfigError(
            f"{path}: var {TARGETS_VAR} has no target for record kind {record_kind!r}"
        )
    target = targets[record_kind]
    if isinstance(target, bool) or not isinstance(target, int | float) or not 0 <= target <= 1:
        raise RecordingConfigError(
            f"{path}: var {TARGETS_VAR}.{record_kind} must be a rate between 0 and 1, "
            f"got {target!r}"
        )
    return float(target)


def missing_value_regex(placeholders: Sequence[str]) -> str:
    """Build a regex matching text that is empty, only whitespace, or a placeholder.

    Whitespace may sit anywhere in a placeholder (` n / A ` matches `n/a`), as dbt compares
    placeholders with every whitespace character removed. Matching ignores case.
    """
    whitespace = WHITESPACE_CLASS + "*"
    compact_placeholders = [
        "".join(character for character in value if character not in WHITESPACE_CHARACTERS)
        for value in placeholders
    ]
    alternatives = [
        whitespace.join(re.escape(character) for character in value)
        for value in compact_placeholders
        if value
    ]
    placeholder_group = f"(?:{'|'.join(alternatives)})?" if alternatives else ""
    return f"(?i)^{whitespace}{placeholder_group}{whitespace}$"


@dataclass(frozen=True)
class RecordingRule:
    """Rules that decide which fields of one record kind's rows are due.

    `when_columns` maps each `required_when` value the record kind allows to the boolean column
    of the suite's rows that contains it, or to None for a condition that is always true.
    """

    record_kind: str
    field_names: tuple[str, ...]
    when_columns: Mapping[str, str | None]
    channel_column: str = "channel"
    requirements_path: Path = REQUIREMENTS_SEED
    project_path: Path = DBT_PROJECT_FILE

    def requirements(self) -> tuple[Requirement, ...]:
        """Return the seed rows of this record kind, checked against its fields and conditions."""
        requirements = tuple(
            requirement
            for requirement in read_requirements(self.requirements_path)
            if requirement.record_kind == self.record_kind
        )
        for requirement in requirements:
            if requirement.field_name not in self.field_names:
                raise RecordingConfigError(
                    f"{self.requirements_path}, line {requirement.line_number}: field_name "
                    f"{requirement.field_name!r} is not a {self.record_kind} field. "
                    f"Expected one of {', '.join(self.field_names)}."
                )
            if requirement.required_when not in self.when_columns:
                raise RecordingConfigError(
                    f"{self.requirements_path}, line {requirement.line_number}: required_when "
                    f"{requirement.required_when!r} does not apply to {self.record_kind} records. "
                    f"Expected one of {', '.join(self.when_columns)}."
                )
        return requirements

    def target_rate(self) -> float:
        return target_completeness_rate(self.record_kind, self.project_path)

    def condition(self, requirement: Requirement) -> Condition | None:
        """Build the GX row condition under which the requirement's field is due."""
        from great_expectations.expectations.row_conditions import Column

        conditions = []
        if requirement.channel != ANY_CHANNEL:
            conditions.append(Column(self.channel_column) == requirement.channel)
        when_column = self.when_columns[requirement.required_when]
        if when_column is not None:
            conditions.append(Column(when_column) == True)  # noqa: E712 (builds a GX condition)
        if not conditions:
            return None
        combined = conditions[0]
        for condition in conditions[1:]:
            combined = combined & condition
        return combined

    def expectations(self) -> list[gx.expectations.Expectation]:
        """Build a not-null and a not-placeholder expectation per requirement, as warnings."""
        import great_expectations as gx
        from great_expectations.expectations.metadata_types import FailureSeverity

        regex = missing_value_regex(placeholder_values(self.project_path))
        expectations = []
        for requirement in self.requirements():
            row_condition = self.condition(requirement)
            expectations += [
                gx.expectations.ExpectColumnValuesToNotBeNull(
                    column=requirement.field_name,
                    row_condition=row_condition,
                    severity=FailureSeverity.WARNING,
                ),
                gx.expectations.ExpectColumnValuesToNotMatchRegex(
                    column=requirement.field_name,
                    regex=regex,
                    row_condition=row_condition,
                    severity=FailureSeverity.WARNING,
                ),
            ]
        return expectations

    def due_rows(self, frame: pd.DataFrame) -> pd.Series:
        """Return a boolean Series marking the rows with at least one field due."""
        import pandas as pd

        due = pd.Series(False, index=frame.index)
        for requirement in self.requirements():
            applies = pd.Series(True, index=frame.index)
            if requirement.channel != ANY_CHANNEL:
                applies &= frame[self.channel_column] == requirement.channel
            when_column = self.when_columns[requirement.required_when]
            if when_column is not None:
                applies &= frame[when_column].fillna(False).astype(bool)
            due |= applies
        return due
