"""Suite `tickets_recording`: every finished ticket has a category and a disposition.

Agents set both fields when they solve a ticket. A solved or closed ticket without them cannot be
counted in the contact-reason and resolution reports, so the gap is a completeness warning.
Tickets that are still open are out of scope because their fields may still be filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations import SuiteSpec, expect_text_recorded

if TYPE_CHECKING:
    import great_expectations as gx

# Zendesk statuses after which agents no longer edit a ticket's fields.
FINISHED_STATUSES = ("solved", "closed")


def build_suite() -> gx.ExpectationSuite:
    import great_expectations as gx

    return gx.ExpectationSuite(
        name=SUITE.name,
        expectations=[
            *expect_text_recorded("category"),
            *expect_text_recorded("disposition"),
        ],
    )


def _finished_status_condition() -> str:
    quoted_statuses = ", ".join(f"'{status}'" for status in FINISHED_STATUSES)
    return f"status in ({quoted_statuses})"


SUITE = SuiteSpec(
    name="tickets_recording",
    schema="staging",
    table="stg_zendesk__tickets",
    columns=("ticket_id", "status", "channel", "category", "disposition", "assignee_id"),
    id_column="ticket_id",
    # The Zendesk users who left the fields empty.
    detail_columns=("assignee_id",),
    scope_condition=_finished_status_condition(),
    build_suite=build_suite,
    description=(
        "Every solved or closed ticket has a category and a disposition. "
        "Null, empty and whitespace-only values count as missing."
    ),
)
