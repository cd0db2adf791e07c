{#
    One row per lead, owner and local day on which the lead's stage changed: the fields telesales
    agents must record on it, whether the owner worked it by call that day, and the roster agent
    the record counts for.

    The owner is the owner at that stage change and the day is local in the owner's site time
    zone, as for `leads_worked` in telesales_daily_kpis. The fields are the lead's current values
    (its latest export), as a ticket's are, so a record completed later stops being listed as one
    to fix. Neither export links a lead to a call, so a lead is worked by call on a day when its
    owner had at least one connected outbound call that local day.
#}

with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

lead_stage_changes as (

    select * from {{ ref('stg_crm__lead_stage_changes') }}
    where stage_changed_at is not null

),

outbound_calls as (

    select * from {{ ref('int_cdr_outbound_calls') }}
    where is_connected

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}

),

crm_agents as (

    -- CRM user ids sit in the roster's crm_user_ids, listed under the `zendesk` identity system.
    select * from agent_identities
    where identity_system = 'zendesk'

),

telephony_agents as (

    select * from agent_identities
    where identity_system = 'telephony'

),

calling_days as (

    select distinct
        agents.agent_id,
        cast({{ utc_to_local(
            'outbound_calls.started_at',
            "coalesce(agents.site_timezone, '" ~ var('default_timezone') ~ "')"
        ) }} as date) as call_date
    from outbound_calls
    inner join telephony_agents
        on outbound_calls.agent_identity = telephony_agents.source_identity
    inner join agents
        on telephony_agents.agent_id = agents.agent_id

),

owner_stage_changes as (

    select
        lead_stage_changes.lead_id,
        {{ dbt.safe_cast('lead_stage_changes.owner_id', dbt.type_string()) }} as source_agent_identity,
        crm_agents.agent_id,
        agents.team,
        coalesce(agents.site_timezone, '{{ var("default_timezone") }}') as site_timezone,
        lead_stage_changes.stage_changed_at
    from lead_stage_changes
    left join crm_agents
        on {{ dbt.safe_cast('lead_stage_changes.owner_id', dbt.type_string()) }} = crm_agents.source_identity
    left join agents
        on crm_agents.agent_id = agents.agent_id

),

worked_days as (

    select
        lead_id,
        source_agent_identity,
        agent_id,
        team,
        site_timezone,
        cast({{ utc_to_local('stage_changed_at', 'site_timezone') }} as date) as activity_date,
        cast(count(*) as {{ dbt.type_bigint() }}) as stage_change_count
    from owner_stage_changes
    group by
        lead_id,
        source_agent_identity,
        agent_id,
        team,
        site_timezone,
        cast({{ utc_to_local('stage_changed_at', 'site_timezone') }} as date)

),

final as (

    select
        -- ids
        worked_days.lead_id,
        worked_days.source_agent_identity,
        worked_days.agent_id,

        -- attributes: telesales work leads on outbound calls, so their records are voice work
        'voice' as channel,
        worked_days.team,
        worked_days.site_timezone,
        worked_days.stage_change_count,

        -- fields agents record, as text so one missing-value rule fits every field
        leads.interest,
        {{ dbt.safe_cast('leads.lead_score', dbt.type_string()) }} as lead_score,

        -- booleans
        calling_days.agent_id is not null as is_worked_by_call,

        -- local day
        worked_days.activity_date

    from worked_days
    inner join leads
        on worked_days.lead_id = leads.lead_id
    left join calling_days
        on worked_days.agent_id = calling_days.agent_id
        and worked_days.activity_date = calling_days.call_date

)

select * from final
