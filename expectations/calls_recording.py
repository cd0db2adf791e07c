"""Suite `calls_recording`: every answered voice call is attributed to a roster agent.

An answered call without an agent is missing from every agent's handled-call count and talk
time, so the gap is a completeness warning. Whether the telephony identity itself is unknown
to the roster is checked separately by the `agent_identities` suite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations import SuiteSpec

if TYPE_CHECKING:
    import great_expectations as gx


def build_suite() -> gx.ExpectationSuite:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    return gx.ExpectationSuite(
        name=SUITE.name,
        expectations=[
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="agent_id", severity=FailureSeverity.WARNING
            ),
        ],
    )


SUITE = SuiteSpec(
    name="calls_recording",
    schema="marts",
    table="fct_contacts",
    columns=("contact_id", "agent_id", "source_agent_identity", "is_answered", "channel"),
    id_column="contact_id",
    scope_condition="channel = 'voice' and is_answered",
    detail_columns=("source_agent_identity",),
    build_suite=build_suite,
    description="Every answered voice call has an agent_id.",
)
