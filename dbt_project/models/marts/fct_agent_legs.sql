{{
    config(
        materialized='incremental',
        unique_key='leg_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ delete_vanished_keys(['leg_id'], 'select leg_id from ' ~ ref('int_voice_agent_legs')) }}"
    )
}}

with

legs as (

    select * from {{ ref('int_voice_agent_legs') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}
    where identity_system = 'telephony'

),

localized as (

    select
        legs.*,
        agent_identities.agent_id,
        agents.team,
        coalesce(agents.site_timezone, '{{ var("default_timezone") }}') as site_timezone
    from legs
    left join agent_identities
        on legs.agent_identity = agent_identities.source_identity
    left join agents
        on agent_identities.agent_id = agents.agent_id

),

computed as (

    select
        -- ids
        leg_id,
        contact_id,
        leg_number,
        source_system,
        queue_name,
        agent_id,
        agent_identity as source_agent_identity,
        team,

        -- timestamps and local day
        connected_at,
        ended_at,
        site_timezone,
        cast({{ utc_to_local('connected_at', 'site_timezone') }} as date) as connected_date,

        -- durations
        wait_seconds,
        talk_seconds,
        hold_seconds,
        after_call_work_seconds,
        -- unknown until the leg and its wrap-up have ended
        talk_seconds + hold_seconds + after_call_work_seconds as handle_seconds,
        hold_count,

        -- outcome
        end_reason,
        is_transferred_out

    from localized

),

final as (

    {{ incremental_recent_or_changed_rows('computed', 'connected_at') }}

)

select * from final
