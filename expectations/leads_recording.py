"""Suite `leads_recording`: telesales agents record the leads they work by phone.

Which fields are due comes from the `recording_requirements` seed (record kind `lead`); by
default a lead worked by call has an `interest` and a `lead_score`. A lead counts as worked by
call on a local day when its stage changed that day and its owner had at least one connected
outbound call that day, in the owner's site time zone.

NOTE: the CRM export carries no call id and the CDR no lead id, so "worked by call" pairs a
lead with its owner's calling day rather than with one call. A dialler that writes the lead id
into the CDR would allow a direct link.

Missing fields are warnings, failing the check only when the share of complete leads among
those due falls below the `lead` target of `recording_completeness_targets`. A repeated lead id
and an owner the roster does not know are critical.

The rows come from stg_crm__leads (`lead_id`, `owner_id` a CRM user id, `stage`, `lead_score`
integer, `interest`, `stage_changed_at` UTC) and int_cdr_outbound_calls (`agent_identity`,
`started_at` UTC, `is_connected`), matched through the roster's identities.
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

# Telesales work leads on outbound calls, so their records belong to the voice channel.
LEAD_CHANNEL = "voice"

# DuckDB SQL. `timezone(zone, timezone('UTC', ts))` turns a UTC timestamp into local time.
LEADS_QUERY = f"""
with

leads as (

    select * from staging.stg_crm__leads

),

agents as (

    select * from staging.stg_roster__agents

),

identities as (

    select * from staging.stg_roster__agent_identities

),

owners as (

    -- CRM user ids are listed in the roster's crm_user_ids, as Zendesk user ids are.
    select
        identities.source_identity,
        agents.agent_id,
        agents.site_timezone
    from identities
    inner join agents
        on identities.agent_id = agents.agent_id
    where identities.identity_system = 'zendesk'

),

calling_days as (

    select distinct
        agents.agent_id,
        cast(timezone(agents.site_timezone, timezone('UTC', calls.started_at)) as date)
            as call_date
    from intermediate.int_cdr_outbound_calls as calls
    inner join identities
        on calls.agent_identity = identities.source_identity
        and identities.identity_system = 'telephony'
    inner join agents
        on identities.agent_id = agents.agent_id
    where calls.is_connected

),

worked_leads as (

    select
        leads.lead_id,
        leads.owner_id,
        owners.agent_id,
        cast(timezone(owners.site_timezone, timezone('UTC', leads.stage_changed_at)) as date)
            as worked_date,
        leads.interest,
        leads.lead_score
    from leads
    left join owners
        on cast(leads.owner_id as varchar) = owners.source_identity

)

select
    worked_leads.lead_id,
    worked_leads.owner_id,
    worked_leads.agent_id,
    '{LEAD_CHANNEL}' as channel,
    worked_leads.worked_date,
    calling_days.agent_id is not null as is_worked_by_call,
    worked_leads.interest,
    -- as text, so the same missing-value expectations apply to every field
    cast(worked_leads.lead_score as varchar) as lead_score
from worked_leads
left join calling_days
    on worked_leads.agent_id = calling_days.agent_id
    and worked_leads.worked_date = calling_days.call_date
"""


def build_suite() -> gx.ExpectationSuite:
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity
    from great_expectations.expectations.row_conditions import Column

    critical = FailureSeverity.CRITICAL
    return gx.ExpectationSuite(
        name=SUITE.name,
        expectations=[
            gx.expectations.ExpectColumnValuesToNotBeNull(column="lead_id", severity=critical),
            gx.expectations.ExpectColumnValuesToBeUnique(column="lead_id", severity=critical),
            gx.expectations.ExpectColumnValuesToNotBeNull(
                column="agent_id",
                row_condition=Column("owner_id").is_not_null(),
                severity=critical,
            ),
            *RULE.expectations(),
        ],
    )


SUITE = SuiteSpec(
    name="leads_recording",
    schema="staging",
    table="stg_crm__leads",
    columns=(
        "lead_id",
        "owner_id",
        "agent_id",
        "channel",
        "worked_date",
        "is_worked_by_call",
        *RULE.field_names,
    ),
    id_column="lead_id",
    # The CRM owners whose leads fail.
    detail_columns=("owner_id",),
    source_query=LEADS_QUERY,
    recording=RULE,
    build_suite=build_suite,
    description=(
        "Leads worked by call (stage changed on a day the owner had a connected outbound "
        "call) carry the fields the recording_requirements seed requires (by default interest "
        "and lead_score), in at least the target share of due leads. Null, blank and "
        "placeholder values count as missing. Lead ids are unique and every owner is on the "
        "roster."
    ),
)
