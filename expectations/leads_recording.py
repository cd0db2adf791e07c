"""Suite `leads_recording`: telesales agents record the leads they work by phone.

Which fields are due comes from the `recording_requirements` seed (record kind `lead`); by
default a lead worked by call has an `interest` and a `lead_score`. A lead counts as worked by
call on a local day when its stage changed that day and its owner at that change had at least
one connected outbound call that day, in the owner's site time zone.

The rows are those of the dbt model int_lead_recording_fields, one per lead, owner and local day
of a stage change, so this suite and marts.agent_recording_quality apply one rule to the same
records.

NOTE: the CRM export carries no call id and the CDR no lead id, so "worked by call" pairs a
lead with its owner's calling day rather than with one call. A dialler that writes the lead id
into the CDR would allow a direct link.

Missing fields are warnings, failing the check only when the share of complete leads among
those due falls below the `lead` target of `recording_completeness_targets`. A repeated record
(lead, owner and day) and an owner the roster does not know are critical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations import SuiteSpec
from expectations.recording import RecordingRule

if TYPE_CHECKING:
    import great_expectations as gx

RULE = RecordingRule(
    record_kind="lead",
    field_names=("interest", "lead_score"),
    when_columns={"always": None, "worked_by_call": "is_worked_by_call"},
)

# The columns that identify one lead record: the model's grain.
RECORD_KEY_COLUMNS = ["lead_id", "source_agent_identity", "activity_date"]


def build_suite() -> gx.ExpectationSuite:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity
    from great_expectations.expectations.row_conditions import Column

    critical = FailureSeverity.CRITICAL
    return gx.ExpectationSuite(
        name=SUITE.name,
        expectations=[
            gx.expectations.ExpectColumnValuesToNotBeNull(column="lead_id", severity=critical),
            gx.expectations.ExpectCompoundColumnsToBeUnique(
                column_list=RECORD_KEY_COLUMNS, severity=critical
            ),
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="agent_id",
                row_condition=Column("source_agent_identity").is_not_null(),
                severity=critical,
            ),
            *RULE.expectations(),
        ],
    )


SUITE = SuiteSpec(
    name="leads_recording",
    schema="intermediate",
    table="int_lead_recording_fields",
    columns=(
        "lead_id",
        "source_agent_identity",
        "agent_id",
        "channel",
        "activity_date",
        "is_worked_by_call",
        *RULE.field_names,
    ),
    id_column="lead_id",
    # The CRM owners whose leads fail.
    detail_columns=("source_agent_identity",),
    recording=RULE,
    build_suite=build_suite,
    description=(
        "Leads worked by call (stage changed on a day the owner had a connected outbound "
        "call) carry the fields the recording_requirements seed requires (by default interest "
        "and lead_score), in at least the target share of due leads. Null, blank and "
        "placeholder values count as missing. Each lead, owner and day is one record, and "
        "every owner is on the roster."
    ),
)
