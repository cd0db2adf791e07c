{#
    One row per customer contact on Asterisk: every queue_log call event under one call id. The
    call id stays the same when a call overflows from one queue to another (EXITWITHTIMEOUT, then
    a second ENTERQUEUE) or is transferred to another agent or queue, so each of those is one
    contact with several queue hops or agent legs. Exit data fields:

      ABANDON          position | origposition | waittime   (EXITWITHTIMEOUT, EXITEMPTY the same)
      EXITWITHKEY      key | position | origposition | waittime
      WITHDRAW         the caller was taken out of the queue through the AMI action
                       QueueWithdrawCaller (Asterisk 16.25, 18.11, 19.3 and newer); its wait
                       is taken from the timestamps

    The wait runs from the first ENTERQUEUE to the first answer, or to the final exit of a call
    never answered, across every queue the caller passed through. A call without ENTERQUEUE (its
    start is before the data) falls back on the waits its events carry.
#}

with

events as (

    select * from {{ ref('stg_asterisk__queue_log_events') }}

),

legs as (

    select * from {{ ref('int_asterisk_agent_legs') }}

),

call_events as (

    -- Agent session events (logins, pauses) can carry a call id too; only call events make a call.
    select * from events
    where
        call_id is not null
        and call_id <> 'NONE'
        and event_name in (
            'ENTERQUEUE', 'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'ABANDON',
            'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'WITHDRAW', 'RINGNOANSWER',
            'RINGCANCELED', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'
        )

),

entries as (

    select
        call_id,
        queue_name,
        data2 as customer_number,
        event_at as entered_at,
        row_number() over (
            partition by call_id
            order by event_at, source_file, source_line
        ) as entry_number
    from call_events
    where event_name = 'ENTERQUEUE'

),

queue_hops as (

    select
        call_id,
        count(*) as queue_hop_count,
        max(entered_at) as last_entered_at
    from entries
    group by call_id

),

exits as (

    select
        call_id,
        queue_name,
        event_name as exit_event,
        event_at as exited_at,
        {{ dbt.safe_cast(
            "case when event_name = 'EXITWITHKEY' then data4 when event_name <> 'WITHDRAW' then data3 end",
            dbt.type_bigint()
        ) }} as logged_wait_seconds,
        row_number() over (
            partition by call_id
            order by event_at desc, source_file desc, source_line desc
        ) as exit_number
    from call_events
    where event_name in ('ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'WITHDRAW')

),

last_exits as (

    select * from exits where exit_number = 1

),

ring_no_answers as (

    select
        call_id,
        count(*) as ring_no_answer_count
    from call_events
    where event_name = 'RINGNOANSWER'
    group by call_id

),

leg_summaries as (

    select
        contact_id,
        min(connected_at) as answered_at,
        max(connected_at) as last_leg_connected_at,
        max(ended_at) as last_leg_ended_at,
        count(*) as leg_count,
        count(ended_at) as ended_leg_count,
        sum(case when is_transferred_out then 1 else 0 end) as transfer_count
    from legs
    group by contact_id

),

first_legs as (

    select
        contact_id,
        queue_name,
        wait_seconds
    from legs
    where leg_number = 1

),

call_bounds as (

    select
        call_id,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at,
        min(queue_name) as any_queue_name
    from call_events
    group by call_id

),

joined as (

    select
        call_bounds.call_id,
        coalesce(
            entries.queue_name,
            first_legs.queue_name,
            last_exits.queue_name,
            call_bounds.any_queue_name
        ) as queue_name,
        coalesce(queue_hops.queue_hop_count, 0) as queue_hop_count,
        queue_hops.last_entered_at,
        entries.customer_number,
        entries.entered_at,
        case
            when entries.entered_at is not null then entries.entered_at
            when leg_summaries.answered_at < call_bounds.first_event_at then leg_summaries.answered_at
            else call_bounds.first_event_at
        end as started_at,
        leg_summaries.answered_at,
        leg_summaries.last_leg_connected_at,
        leg_summaries.last_leg_ended_at,
        leg_summaries.leg_count,
        leg_summaries.ended_leg_count,
        leg_summaries.transfer_count,
        first_legs.wait_seconds as first_leg_wait_seconds,
        last_exits.exit_event,
        last_exits.exited_at,
        last_exits.logged_wait_seconds as exit_wait_seconds,
        coalesce(ring_no_answers.ring_no_answer_count, 0) as ring_no_answer_count,
        leg_summaries.contact_id is not null as is_answered
    from call_bounds
    left join entries
        on call_bounds.call_id = entries.call_id
        and entries.entry_number = 1
    left join queue_hops on call_bounds.call_id = queue_hops.call_id
    left join leg_summaries on call_bounds.call_id = leg_summaries.contact_id
    left join first_legs on call_bounds.call_id = first_legs.contact_id
    left join last_exits on call_bounds.call_id = last_exits.call_id
    left join ring_no_answers on call_bounds.call_id = ring_no_answers.call_id

),

outcomes as (

    select
        joined.*,
        -- the contact's final event is an exit: a caller never answered, or one transferred to a
        -- queue who then left it
        case
            when exited_at is not null and (last_leg_ended_at is null or exited_at >= last_leg_ended_at)
                then exit_event
        end as final_exit_event,
        -- transferred to a queue and still waiting there when the data ends
        coalesce(
            is_answered
            and last_entered_at > last_leg_connected_at
            and last_entered_at >= last_leg_ended_at
            and (exited_at is null or exited_at < last_entered_at),
            false
        ) as is_back_in_queue
    from joined

),

final as (

    select
        call_id as contact_id,
        'asterisk' as source_system,
        queue_name,
        cast(queue_hop_count as {{ dbt.type_bigint() }}) as queue_hop_count,
        customer_number,
        started_at,
        answered_at,
        case
            when final_exit_event is not null then exited_at
            when is_answered and ended_leg_count = leg_count and not is_back_in_queue
                then last_leg_ended_at
        end as ended_at,
        cast(
            case
                when is_answered and entered_at is not null
                    then {{ dbt.datediff('entered_at', 'answered_at', 'second') }}
                when is_answered then first_leg_wait_seconds
                when exited_at is not null and entered_at is not null
                    then {{ dbt.datediff('entered_at', 'exited_at', 'second') }}
                else exit_wait_seconds
            end
            as {{ dbt.type_bigint() }}
        ) as wait_seconds,
        is_answered,
        not is_answered and coalesce(exit_event in (
            {%- for event_name in var('abandoned_queue_events') %}
            '{{ event_name | upper }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ), false) as is_abandoned,
        lower(final_exit_event) as exit_event,
        case
            when is_answered and ended_leg_count = leg_count and not is_back_in_queue then 'answered'
            when is_answered then 'answered_in_progress'
            when exit_event is not null then lower(exit_event)
            else 'in_queue'
        end as queue_outcome,
        cast(coalesce(transfer_count, 0) as {{ dbt.type_bigint() }}) as transfer_count,
        cast(ring_no_answer_count as {{ dbt.type_bigint() }}) as ring_no_answer_count,
        cast(coalesce(leg_count, 0) as {{ dbt.type_bigint() }}) as leg_count
    from outcomes

)

select * from final
