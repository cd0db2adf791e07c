{#
    One row per Amazon Connect voice contact record that belongs to a customer's voice contact:
    the latest copy of each record (staging), its customer contact (the InitialContactId chain),
    whether it was transferred on to another record, and how many offers to agents it missed.

    A record takes part when its InitiationMethod is in `amazon_connect_contact_initiation_methods`
    and the first record of its chain, when delivered, is too. So the transfer leg of an outbound
    call is left out with the outbound call, and a supervisor's MONITOR record never becomes a leg.
#}

{%- set contact_initiation_methods -%}
    (
        {%- for initiation_method in var('amazon_connect_contact_initiation_methods') -%}
        '{{ initiation_method }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    )
{%- endset %}

with

contact_records as (

    select * from {{ ref('stg_amazon_connect__contact_records') }}

),

voice_records as (

    select * from contact_records
    where channel = 'VOICE'

),

successors as (

    -- Connect writes NextContactId on the transferred record, but a copy delivered before the
    -- transfer lacks it. The next record's PreviousContactId shows the same transfer.
    select distinct previous_contact_id as contact_id
    from voice_records
    where previous_contact_id is not null

),

first_records as (

    select
        contact_id as customer_contact_id,
        initiation_method as first_initiation_method
    from voice_records
    where contact_id = customer_contact_id

),

joined as (

    select
        voice_records.*,
        first_records.first_initiation_method,
        voice_records.next_contact_id is not null
            or successors.contact_id is not null as is_transferred_out,
        -- Queue.Duration is the whole seconds from EnqueueTimestamp to DequeueTimestamp. A copy
        -- without it is measured from the timestamps, up to the disconnect when never dequeued.
        case
            when voice_records.queue_duration_seconds is not null
                then voice_records.queue_duration_seconds
            when voice_records.enqueued_at is not null
                then {{ dbt.datediff(
                    'voice_records.enqueued_at',
                    'coalesce(voice_records.dequeued_at, voice_records.disconnected_at)',
                    'second'
                ) }}
            else 0
        end as queue_wait_seconds,
        -- AgentConnectionAttempts counts every attempt to connect the record to an agent, the
        -- one that connected included, so an answered record missed one offer fewer. A record
        -- answered with 0 attempts would give -1, and counts 0 instead.
        case
            when voice_records.agent_connection_attempt_count is null then null
            when voice_records.agent_connected_at is null
                then voice_records.agent_connection_attempt_count
            when voice_records.agent_connection_attempt_count > 0
                then voice_records.agent_connection_attempt_count - 1
            else 0
        end as ring_no_answer_count
    from voice_records
    left join first_records
        on voice_records.customer_contact_id = first_records.customer_contact_id
    left join successors
        on voice_records.contact_id = successors.contact_id

),

final as (

    select
        contact_id,
        customer_contact_id,
        previous_contact_id,
        initiation_method,
        queue_name,
        agent_identity,
        customer_number,
        disconnect_reason,
        enqueued_at is not null as has_queue_entry,
        cast(queue_wait_seconds as {{ dbt.type_bigint() }}) as queue_wait_seconds,
        agent_interaction_seconds,
        customer_hold_seconds,
        hold_count,
        after_contact_work_seconds,
        agent_connection_attempt_count,
        cast(ring_no_answer_count as {{ dbt.type_bigint() }}) as ring_no_answer_count,
        initiated_at,
        disconnected_at,
        enqueued_at,
        dequeued_at,
        agent_connected_at,
        after_contact_work_started_at,
        is_transferred_out
    from joined
    where
        initiation_method in {{ contact_initiation_methods }}
        and (
            first_initiation_method is null
            or first_initiation_method in {{ contact_initiation_methods }}
        )

)

select * from final
