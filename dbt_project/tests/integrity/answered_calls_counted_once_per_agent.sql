{#
    Fails with every roster agent whose answered calls in int_voice_calls, attributed through the
    roster's telephony identities, differ in number from the voice contacts_handled that
    agent_daily_kpis sums for them: each answered call must be counted once, for its own agent,
    on the way from the stitched calls through fct_contacts to the agent mart.
    The `ref` in meta makes Dagster show the test as a check on agent_daily_kpis.
#}
{{ config(meta={'dagster': {'ref': {'name': 'agent_daily_kpis'}}}) }}

with

voice_calls as (

    select * from {{ ref('int_voice_calls') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}

),

agent_daily_kpis as (

    select * from {{ ref('agent_daily_kpis') }}

),

answered_calls_per_agent as (

    select
        agent_identities.agent_id,
        count(*) as answered_call_count
    from voice_calls
    inner join agent_identities
        on voice_calls.agent_identity = agent_identities.source_identity
        and agent_identities.identity_system = 'telephony'
    where voice_calls.is_answered
    group by agent_identities.agent_id

),

handled_calls_per_agent as (

    select
        agent_id,
        sum(contacts_handled) as contacts_handled_total
    from agent_daily_kpis
    where channel = 'voice'
    group by agent_id

),

final as (

    select
        coalesce(answered_calls_per_agent.agent_id, handled_calls_per_agent.agent_id) as agent_id,
        coalesce(answered_calls_per_agent.answered_call_count, 0) as answered_call_count,
        coalesce(handled_calls_per_agent.contacts_handled_total, 0) as contacts_handled_total
    from answered_calls_per_agent
    full outer join handled_calls_per_agent
        on answered_calls_per_agent.agent_id = handled_calls_per_agent.agent_id

)

select * from final
where answered_call_count <> contacts_handled_total
