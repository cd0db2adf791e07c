"""Suite `agent_identities`: every agent identity in the sources maps to a roster agent.

A contact whose source names an agent (a telephony interface such as `PJSIP/1001`, or a
Zendesk user) but has no `agent_id` means the roster lacks that identity. Its work is credited
to no agent, which breaks the agent dimension, so the failure is critical. The failing
identities are reported so that whoever maintains the roster can add them.
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
                column="agent_id", severity=FailureSeverity.CRITICAL
            ),
        ],
    )


SUITE = SuiteSpec(
    name="agent_identities",
    schema="marts",
    table="fct_contacts",
    columns=("contact_id", "agent_id", "source_agent_identity"),
    id_column="contact_id",
    scope_condition="source_agent_identity is not null",
    detail_columns=("source_agent_identity",),
    build_suite=build_suite,
    description=(
        "Every contact with a source agent identity has an agent_id, "
        "so an identity missing from the roster fails."
    ),
)
