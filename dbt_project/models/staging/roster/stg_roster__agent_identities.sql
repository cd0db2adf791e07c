with

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

telephony_identities as (

    select
        agent_id,
        'telephony' as identity_system,
        identity
    from {{ split_to_rows('agents', 'telephony_ids', ';', 'identity') }}

),

crm_identities as (

    select
        agent_id,
        'zendesk' as identity_system,
        identity
    from {{ split_to_rows('agents', 'crm_user_ids', ';', 'identity') }}

),

unioned as (

    select * from telephony_identities
    union all
    select * from crm_identities

),

final as (

    select
        agent_id,
        identity_system,
        identity as source_identity
    from unioned
    where identity is not null and identity <> ''

)

select * from final
