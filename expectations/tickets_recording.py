"""Suite `tickets_recording`: agents record every ticket fully, and every ticket has a known agent.

Which fields are due comes from the `recording_requirements` seed (record kind `ticket`). The
defaults: a solved or closed ticket has a category, a disposition and an internal resolution note
(a private comment by an agent), and a voice-channel ticket carries the id of the call it
records. A field that is null, blank or a placeholder (`-`, `n/a`, `null` by default) is missing.
These gaps are warnings, and the check fails on them only when the share of complete tickets
among those due falls below the `ticket` target of `recording_completeness_targets`.

A repeated ticket id and an assignee the roster does not know are critical: the first double
counts the ticket, the second leaves its work without an agent.

The suite counts every due ticket, while marts.agent_recording_quality counts those of known
agents only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations import SuiteSpec
from expectations.recording import RecordingRule

if TYPE_CHECKING:
    import great_expectations as gx

RULE = RecordingRule(
    record_kind="ticket",
    field_names=("category", "disposition", "resolution_note", "call_id"),
    when_columns={"always": None, "finished": "is_finished"},
)


def build_suite() -> gx.ExpectationSuite:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity
    from great_expectations.expectations.row_conditions import Column

    critical = FailureSeverity.CRITICAL
    return gx.ExpectationSuite(
        name=SUITE.name,
        expectations=[
            gx.expectations.ExpectColumnValuesToNotBeNull(column="ticket_id", severity=critical),
            gx.expectations.ExpectColumnValuesToBeUnique(column="ticket_id", severity=critical),
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="agent_id",
                row_condition=Column("source_agent_identity").is_not_null(),
                severity=critical,
            ),
            *RULE.expectations(),
        ],
    )


SUITE = SuiteSpec(
    name="tickets_recording",
    schema="intermediate",
    table="int_ticket_recording_fields",
    columns=(
        "ticket_id",
        "channel",
        "status",
        "is_finished",
        "source_agent_identity",
        "agent_id",
        *RULE.field_names,
    ),
    id_column="ticket_id",
    # The Zendesk assignees whose tickets fail.
    detail_columns=("source_agent_identity",),
    recording=RULE,
    build_suite=build_suite,
    description=(
        "Tickets carry the fields the recording_requirements seed requires (by default a "
        "category, a disposition and an internal resolution note once solved or closed, and "
        "the call id on voice tickets), in at least the target share of due tickets. "
        "Null, blank and placeholder values count as missing. Ticket ids are unique and "
        "every assignee is on the roster."
    ),
)
