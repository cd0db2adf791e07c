{#
    One row per Amazon Connect customer voice contact (the records of one InitialContactId chain)
    that entered a queue or reached an agent. A call that ended in the IVR never reached a queue
    and is left out, as queue_log never sees such a call either.

    Each record that entered a queue is a queue hop. The wait runs until the first answer: the
    queue time of every hop that started before it. An unanswered contact waited through all of
    its hops, and its exit is the last record's: `abandon` when the customer hung up in a queue,
    otherwise the lower-case DisconnectReason (`contact_flow_disconnect` for a flow that ended
    the call, such as a queue timeout). Whether an exit counts as abandoned is
    `abandoned_queue_events`.

    ring_no_answer_count adds up the offers each record of the chain missed, so an offer missed
    before a transfer and one missed after it both count. It is null when any record of the
    chain lacks AgentConnectionAttempts, because the total would then be too low.
#}

with

voice_records as (

    select * from {{ ref('int_amazon_connect_voice_records') }}

),

legs as (

    select * from {{ ref('int_amazon_connect_agent_legs') }}

),

answers as (

    select
        contact_id,
        min(connected_at) as answered_at,
        count(*) as leg_count
    from legs
    group by contact_id

),

ordered_records as (

    select
        voice_records.*,
        row_number() over (
            partition by customer_contact_id
            order by initiated_at, contact_id
        ) as record_number,
        row_number() over (
            partition by customer_contact_id
            order by initiated_at desc, contact_id desc
        ) as reverse_record_number,
        row_number() over (
            partition by customer_contact_id
            order by case when has_queue_entry then 0 else 1 end, enqueued_at, contact_id
        ) as queue_entry_number
    from voice_records

),

first_records as (

    select * from ordered_records where record_number = 1

),

last_records as (

    select * from ordered_records where reverse_record_number = 1

),

first_queue_entries as (

    select * from ordered_records where queue_entry_number = 1 and has_queue_entry

),

contact_totals as (

    select
        ordered_records.customer_contact_id,
        min(ordered_records.initiated_at) as started_at,
        max(ordered_records.disconnected_at) as ended_at,
        sum(case when ordered_records.has_queue_entry then 1 else 0 end) as queue_hop_count,
        sum(case when ordered_records.is_transferred_out then 1 else 0 end) as transfer_count,
        case
            when count(*) = count(ordered_records.ring_no_answer_count)
                then sum(ordered_records.ring_no_answer_count)
        end as ring_no_answer_count,
        sum(
            case
                when answers.answered_at is null or ordered_records.enqueued_at < answers.answered_at
                    then ordered_records.queue_wait_seconds
                else 0
            end
        ) as wait_seconds
    from ordered_records
    left join answers
        on ordered_records.customer_contact_id = answers.contact_id
    group by ordered_records.customer_contact_id

),

joined as (

    select
        contact_totals.customer_contact_id as contact_id,
        first_queue_entries.queue_name as first_queue_name,
        first_records.queue_name as first_record_queue_name,
        contact_totals.queue_hop_count,
        first_records.customer_number,
        contact_totals.started_at,
        answers.answered_at,
        contact_totals.ended_at,
        contact_totals.wait_seconds,
        answers.contact_id is not null as is_answered,
        contact_totals.transfer_count,
        contact_totals.ring_no_answer_count,
        coalesce(answers.leg_count, 0) as leg_count,
        case
            when answers.contact_id is not null then null
            when last_records.disconnect_reason = 'CUSTOMER_DISCONNECT'
                and last_records.has_queue_entry then 'abandon'
            else coalesce(lower(last_records.disconnect_reason), 'disconnect')
        end as exit_event
    from contact_totals
    inner join first_records
        on contact_totals.customer_contact_id = first_records.customer_contact_id
    inner join last_records
        on contact_totals.customer_contact_id = last_records.customer_contact_id
    left join first_queue_entries
        on contact_totals.customer_contact_id = first_queue_entries.customer_contact_id
    left join answers
        on contact_totals.customer_contact_id = answers.contact_id
    where contact_totals.queue_hop_count > 0 or answers.contact_id is not null

),

final as (

    select
        contact_id,
        'amazon_connect' as source_system,
        coalesce(first_queue_name, first_record_queue_name) as queue_name,
        cast(queue_hop_count as {{ dbt.type_bigint() }}) as queue_hop_count,
        customer_number,
        started_at,
        answered_at,
        ended_at,
        cast(wait_seconds as {{ dbt.type_bigint() }}) as wait_seconds,
        is_answered,
        not is_answered and upper(exit_event) in (
            {%- for event_name in var('abandoned_queue_events') %}
            '{{ event_name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_abandoned,
        exit_event,
        case when is_answered then 'answered' else exit_event end as queue_outcome,
        cast(transfer_count as {{ dbt.type_bigint() }}) as transfer_count,
        cast(ring_no_answer_count as {{ dbt.type_bigint() }}) as ring_no_answer_count,
        cast(leg_count as {{ dbt.type_bigint() }}) as leg_count
    from joined

)

select * from final
