{#
    One row per agent leg of an Amazon Connect voice contact: each contact record an agent was
    connected to. A transfer ends one record and starts the next, so a contact transferred once
    has two legs, each with its own agent, queue, hold and after-contact work.

    Connect measures the leg itself: AgentInteractionDuration is the talk time without customer
    hold, CustomerHoldDuration and NumberOfHolds the hold, AfterContactWorkDuration the wrap-up.
#}

with

voice_records as (

    select * from {{ ref('int_amazon_connect_voice_records') }}

),

answered_records as (

    select * from voice_records
    where agent_connected_at is not null

),

final as (

    select
        customer_contact_id as contact_id,
        contact_id as leg_id,
        cast(
            row_number() over (
                partition by customer_contact_id
                order by agent_connected_at, contact_id
            ) as {{ dbt.type_int() }}
        ) as leg_number,
        'amazon_connect' as source_system,
        queue_name,
        agent_identity,
        agent_connected_at as connected_at,
        -- DisconnectTimestamp of a transferred record is when this agent's part ended.
        coalesce(disconnected_at, after_contact_work_started_at) as ended_at,
        queue_wait_seconds as wait_seconds,
        agent_interaction_seconds as talk_seconds,
        cast(coalesce(customer_hold_seconds, 0) as {{ dbt.type_bigint() }}) as hold_seconds,
        cast(coalesce(after_contact_work_seconds, 0) as {{ dbt.type_bigint() }}) as after_call_work_seconds,
        cast(coalesce(hold_count, 0) as {{ dbt.type_bigint() }}) as hold_count,
        case
            when is_transferred_out then 'transfer'
            when disconnect_reason = 'CUSTOMER_DISCONNECT' then 'completecaller'
            when disconnect_reason = 'AGENT_DISCONNECT' then 'completeagent'
            else coalesce(lower(disconnect_reason), 'disconnect')
        end as end_reason,
        is_transferred_out
    from answered_records

)

select * from final
