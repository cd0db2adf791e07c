"""Suite `roster_complete`: every roster agent has all fields filled and a unique agent_id.

A blank team or site time zone drops the agent from team reports and local-day KPIs, which is
a completeness warning. A missing or repeated agent_id breaks every join through the roster
(a repeat doubles the agent's KPIs), so those failures are critical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations import SuiteSpec, expect_text_recorded

if TYPE_CHECKING:
    import great_expectations as gx

DESCRIPTIVE_TEXT_COLUMNS = ("full_name", "team", "site_timezone")


def build_suite() -> gx.ExpectationSuite:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    descriptive_text_expectations = [
        expectation
        for column in DESCRIPTIVE_TEXT_COLUMNS
        for expectation in expect_text_recorded(column)
    ]
    return gx.ExpectationSuite(
        name=SUITE.name,
        expectations=[
            *expect_text_recorded("agent_id", severity=FailureSeverity.CRITICAL),
            gx.expectations.ExpectColumnValuesToBeUnique(
                column="agent_id", severity=FailureSeverity.CRITICAL
            ),
            *descriptive_text_expectations,
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="hire_date", severity=FailureSeverity.WARNING
            ),
        ],
    )


SUITE = SuiteSpec(
    name="roster_complete",
    # raw, not staging: staging keeps the first line of a repeated agent_id, which would hide it.
    schema="raw",
    table="roster_agents",
    columns=("agent_id", *DESCRIPTIVE_TEXT_COLUMNS, "hire_date"),
    id_column="agent_id",
    # A row without an agent_id can only be found by its name.
    detail_columns=("full_name",),
    build_suite=build_suite,
    description=(
        "Every roster agent has agent_id, full_name, team, site_timezone and hire_date "
        "filled in, and agent_id is unique."
    ),
)
