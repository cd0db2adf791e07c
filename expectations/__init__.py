"""Great Expectations suites that check how completely contact-centre work was recorded.

Each module declares one `SuiteSpec`: the warehouse relation it reads, the rows in scope, the
column that identifies a row to a person, and a function that builds the `gx.ExpectationSuite`.
`orchestration.quality.gx_runner` reads the rows into a DataFrame and validates them.

Each expectation sets GX's `severity`: `critical` for a break of the warehouse's structure
(a duplicate key, an identity the roster lacks, a value outside its domain) and `warning` for a
completeness gap (a field left empty). The Dagster checks report them as ERROR and WARN.
A recording suite (one with a `RecordingRule`) fails on completeness gaps only when the share of
complete records falls below the record kind's target. Its critical failures always fail it.

The build functions import great_expectations themselves, because that import takes several
seconds and Dagster imports this package when it loads the code location.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    from expectations.recording import RecordingRule

# Matches text with at least one non-whitespace character, so empty and whitespace-only values
# fail. GX skips nulls in regex expectations, so a not-null expectation has to sit beside it.
NON_BLANK_REGEX = r"\S"


@dataclass(frozen=True)
class SuiteSpec:
    """One expectation suite and the warehouse rows it validates."""

    name: str
    schema: str
    table: str
    columns: tuple[str, ...]
    id_column: str
    build_suite: Callable[[], gx.ExpectationSuite]
    description: str
    # SQL condition that selects the rows in scope. None validates every row.
    scope_condition: str | None = None
    # Columns whose distinct values among the failing rows are reported next to the ids.
    detail_columns: tuple[str, ...] = ()
    # SQL that selects the rows, for a suite whose rows join several relations. It must return
    # `columns`; `relation` then only names the asset the check belongs to.
    source_query: str | None = None
    # Which fields are due on which rows, and the completeness target, for a recording suite.
    recording: RecordingRule | None = None

    @property
    def relation(self) -> str:
        return f"{self.schema}.{self.table}"


def expect_text_recorded(
    column: str, severity: FailureSeverity | None = None
) -> list[gx.expectations.Expectation]:
    """Build the expectations that fail a null, empty or whitespace-only text value.

    A missing text is a completeness gap, so the severity defaults to `warning`.
    """
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    severity = severity or FailureSeverity.WARNING
    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column=column, severity=severity),
        gx.expectations.ExpectColumnValuesToMatchRegex(
            column=column, regex=NON_BLANK_REGEX, severity=severity
        ),
    ]


def all_suites() -> tuple[SuiteSpec, ...]:
    """Return every suite, in the order reports list them."""
    # Imported here because each suite module imports SuiteSpec from this package.
    from expectations import (
        agent_identities,
        calls_recording,
        leads_recording,
        roster_complete,
        survey_scores,
        tickets_recording,
    )

    return (
        tickets_recording.SUITE,
        leads_recording.SUITE,
        calls_recording.SUITE,
        agent_identities.SUITE,
        survey_scores.SUITE,
        roster_complete.SUITE,
    )
