{#
    Fails with every roster agent whose answered voice legs, from every telephony source, differ
    from the voice contacts_handled that agent_daily_kpis sums for them. An agent handles a
    contact on a local day when one of their own legs connected that day, so the expected count
    is the distinct (contact, day) pairs of the agent's legs: each answered leg counts once, for
    its own agent, on the way from the stitched legs to the agent mart.
    The `ref` in meta makes Dagster show the test as a check on agent_daily_kpis.
#}
{{ config(meta={'dagster': {'ref': {'name': 'agent_daily_kpis'}}}) }}

with

voice_legs as (

    select * from {{ ref('int_voice_agent_legs') }}

),

agent_legs as (

    select * from {{ ref('fct_agent_legs') }}

),

agent_daily_kpis as (

    select * from {{ ref('agent_daily_kpis') }}

),

leg_totals as (

    -- every stitched leg reaches the leg mart once, with or without a known agent
    select
        (select count(*) from voice_legs) as stitched_leg_count,
        (select count(*) from agent_legs) as mart_leg_count

),

handled_per_agent_from_legs as (

    select
        agent_id,
        count(distinct {{ dbt.concat(['contact_id', "'|'", dbt.safe_cast('connected_date', dbt.type_string())]) }})
            as contact_day_count
    from agent_legs
    where agent_id is not null
    group by agent_id

),

handled_per_agent_in_mart as (

    select
        agent_id,
        sum(contacts_handled) as contacts_handled_total
    from agent_daily_kpis
    where channel = 'voice'
    group by agent_id

),

agent_mismatches as (

    select
        coalesce(handled_per_agent_from_legs.agent_id, handled_per_agent_in_mart.agent_id) as agent_id,
        coalesce(handled_per_agent_from_legs.contact_day_count, 0) as expected_count,
        coalesce(handled_per_agent_in_mart.contacts_handled_total, 0) as actual_count
    from handled_per_agent_from_legs
    full outer join handled_per_agent_in_mart
        on handled_per_agent_from_legs.agent_id = handled_per_agent_in_mart.agent_id

),

final as (

    select agent_id, expected_count, actual_count
    from agent_mismatches
    where expected_count <> actual_count

    union all

    select
        'all legs' as agent_id,
        stitched_leg_count as expected_count,
        mart_leg_count as actual_count
    from leg_totals
    where stitched_leg_count <> mart_leg_count

)

select * from final
