{#
    One row per agent leg of an Asterisk call, in the column layout every telephony source shares
    (see int_voice_agent_legs). queue_log records no customer hold, so hold is 0. After-call work
    is the wrap-up that followed the leg (int_asterisk_after_call_work); it is unknown (null) while
    the leg or its wrap-up is still open at the end of the data.
#}

with

legs as (

    select * from {{ ref('int_asterisk_connected_legs') }}

),

after_call_work as (

    select * from {{ ref('int_asterisk_after_call_work') }}

),

final as (

    select
        legs.contact_id,
        legs.leg_id,
        legs.leg_number,
        'asterisk' as source_system,
        legs.queue_name,
        legs.agent_identity,
        legs.connected_at,
        legs.ended_at,
        legs.wait_seconds,
        legs.talk_seconds,
        cast(0 as {{ dbt.type_bigint() }}) as hold_seconds,
        case
            when legs.ended_at is null or after_call_work.is_closed_at_data_end then null
            else coalesce(after_call_work.after_call_work_seconds, 0)
        end as after_call_work_seconds,
        cast(0 as {{ dbt.type_bigint() }}) as hold_count,
        legs.end_reason,
        legs.is_transferred_out
    from legs
    left join after_call_work
        on legs.leg_id = after_call_work.leg_id

)

select * from final
