{#
    One row per agent and local day with telesales activity: outbound calls the agent's phone
    placed, leads whose stage the agent changed, and leads closed (won or lost) that day.
    Calls belong to the agent whose interface placed them (roster telephony_ids); leads to their
    owner (roster crm_user_ids): the owner at the time of each stage change for leads worked,
    the current owner for closed leads. Days are local in the agent's site time zone.
#}

{%- set seconds_per_day = 86400 %}

with

outbound_calls as (

    select * from {{ ref('int_cdr_outbound_calls') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

lead_stage_changes as (

    select * from {{ ref('stg_crm__lead_stage_changes') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}

),

telephony_agents as (

    select
        agent_identities.source_identity,
        agents.agent_id,
        agents.site_timezone
    from agent_identities
    inner join agents
        on agent_identities.agent_id = agents.agent_id
    where agent_identities.identity_system = 'telephony'

),

crm_agents as (

    select
        agent_identities.source_identity,
        agents.agent_id,
        agents.site_timezone
    from agent_identities
    inner join agents
        on agent_identities.agent_id = agents.agent_id
    where agent_identities.identity_system = 'zendesk'

),

call_days as (

    select
        telephony_agents.agent_id,
        cast({{ utc_to_local('outbound_calls.started_at', 'telephony_agents.site_timezone') }} as date) as activity_date,
        outbound_calls.is_connected
    from outbound_calls
    inner join telephony_agents
        on outbound_calls.agent_identity = telephony_agents.source_identity

),

agent_calls as (

    select
        agent_id,
        activity_date,
        count(*) as calls_dialled,
        sum(case when is_connected then 1 else 0 end) as calls_connected
    from call_days
    group by agent_id, activity_date

),

stage_change_days as (

    select
        crm_agents.agent_id,
        cast({{ utc_to_local('lead_stage_changes.stage_changed_at', 'crm_agents.site_timezone') }} as date) as activity_date,
        lead_stage_changes.lead_id
    from lead_stage_changes
    inner join crm_agents
        on {{ dbt.safe_cast('lead_stage_changes.owner_id', dbt.type_string()) }} = crm_agents.source_identity

),

agent_leads_worked as (

    select
        agent_id,
        activity_date,
        count(distinct lead_id) as leads_worked
    from stage_change_days
    group by agent_id, activity_date

),

closed_lead_days as (

    select
        crm_agents.agent_id,
        cast(
            {{ utc_to_local(
                'case when leads.is_won then leads.won_at else leads.lost_at end',
                'crm_agents.site_timezone'
            ) }} as date
        ) as activity_date,
        leads.is_won,
        case
            when leads.is_won then
                cast({{ dbt.datediff('leads.created_at', 'leads.won_at', 'second') }} as {{ dbt.type_numeric() }})
                / {{ seconds_per_day }}
        end as sales_cycle_days
    from leads
    inner join crm_agents
        on {{ dbt.safe_cast('leads.owner_id', dbt.type_string()) }} = crm_agents.source_identity
    where leads.is_won or leads.is_lost

),

agent_closed_leads as (

    select
        agent_id,
        activity_date,
        count(*) as leads_closed,
        sum(case when is_won then 1 else 0 end) as leads_won,
        {{ median('sales_cycle_days') }} as sales_cycle_days_median
    from closed_lead_days
    group by agent_id, activity_date

),

agent_days as (

    select agent_id, activity_date from agent_calls
    union
    select agent_id, activity_date from agent_leads_worked
    union
    select agent_id, activity_date from agent_closed_leads

),

final as (

    select
        agent_days.agent_id,
        agent_days.activity_date,
        agents.team,
        cast(coalesce(agent_calls.calls_dialled, 0) as {{ dbt.type_bigint() }}) as calls_dialled,
        cast(coalesce(agent_calls.calls_connected, 0) as {{ dbt.type_bigint() }}) as calls_connected,
        cast(coalesce(agent_leads_worked.leads_worked, 0) as {{ dbt.type_bigint() }}) as leads_worked,
        cast(coalesce(agent_closed_leads.leads_won, 0) as {{ dbt.type_bigint() }}) as leads_won,
        cast(coalesce(agent_closed_leads.leads_closed, 0) as {{ dbt.type_bigint() }}) as leads_closed,
        cast(
            {{ safe_ratio('agent_closed_leads.leads_won', 'agent_closed_leads.leads_closed') }}
            as {{ dbt.type_numeric() }}
        ) as conversion_rate,
        cast(agent_closed_leads.sales_cycle_days_median as {{ dbt.type_numeric() }}) as sales_cycle_days_median
    from agent_days
    inner join agents
        on agent_days.agent_id = agents.agent_id
    left join agent_calls
        on agent_days.agent_id = agent_calls.agent_id
        and agent_days.activity_date = agent_calls.activity_date
    left join agent_leads_worked
        on agent_days.agent_id = agent_leads_worked.agent_id
        and agent_days.activity_date = agent_leads_worked.activity_date
    left join agent_closed_leads
        on agent_days.agent_id = agent_closed_leads.agent_id
        and agent_days.activity_date = agent_closed_leads.activity_date

)

select * from final
