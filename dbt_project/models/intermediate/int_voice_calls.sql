{#
    One row per voice call, stitched from its queue_log events by call id. queue_log data fields
    are positional per event:
      ENTERQUEUE      url | callerid | position
      CONNECT         holdtime | bridged channel uniqueid | ringtime
      COMPLETEAGENT   holdtime | calltime | origposition   (COMPLETECALLER the same)
      ABANDON         position | origposition | waittime   (EXITWITHTIMEOUT, EXITEMPTY the same)
      EXITWITHKEY     key | position | origposition | waittime
    `holdtime` there is the caller's wait in the queue before an agent answered, not customer hold.
#}

with

events as (

    -- Agent session events (logins, pauses) can carry a call id too; only call events make a call.
    select * from {{ ref('stg_asterisk__queue_log_events') }}
    where
        call_id is not null
        and call_id <> 'NONE'
        and event_name in (
            'ENTERQUEUE', 'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'ABANDON',
            'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'RINGNOANSWER', 'RINGCANCELED',
            'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER', 'WITHDRAW'
        )

),

entries as (

    select
        call_id,
        queue_name,
        data2 as caller_number,
        event_at as entered_at,
        row_number() over (partition by call_id order by event_at, source_file, source_line) as entry_number
    from events
    where event_name = 'ENTERQUEUE'

),

first_entries as (

    select * from entries where entry_number = 1

),

connects as (

    select
        call_id,
        queue_name,
        agent_identity,
        event_at as answered_at,
        {{ dbt.safe_cast('data1', dbt.type_bigint()) }} as wait_seconds,
        row_number() over (partition by call_id order by event_at, source_file, source_line) as connect_number
    from events
    where event_name = 'CONNECT'

),

first_connects as (

    select * from connects where connect_number = 1

),

completions as (

    select
        call_id,
        queue_name,
        agent_identity,
        event_name as completion_event,
        event_at as completed_at,
        {{ dbt.safe_cast('data1', dbt.type_bigint()) }} as wait_seconds,
        {{ dbt.safe_cast('data2', dbt.type_bigint()) }} as talk_seconds,
        row_number() over (partition by call_id order by event_at desc, source_file desc, source_line desc) as completion_number
    from events
    where event_name in ('COMPLETEAGENT', 'COMPLETECALLER')

),

last_completions as (

    select * from completions where completion_number = 1

),

exits as (

    select
        call_id,
        queue_name,
        event_name as exit_event,
        event_at as exited_at,
        {{ dbt.safe_cast(
            "case when event_name = 'EXITWITHKEY' then data4 else data3 end",
            dbt.type_bigint()
        ) }} as wait_seconds,
        row_number() over (partition by call_id order by event_at desc, source_file desc, source_line desc) as exit_number
    from events
    where event_name in ('ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY')

),

last_exits as (

    select * from exits where exit_number = 1

),

ring_no_answers as (

    select
        call_id,
        count(*) as ring_no_answer_count
    from events
    where event_name = 'RINGNOANSWER'
    group by call_id

),

call_bounds as (

    select
        call_id,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at,
        min(queue_name) as any_queue_name
    from events
    group by call_id

),

joined as (

    select
        call_bounds.call_id,
        coalesce(
            first_entries.queue_name,
            first_connects.queue_name,
            last_exits.queue_name,
            call_bounds.any_queue_name
        ) as queue_name,
        first_entries.caller_number,
        coalesce(first_connects.agent_identity, last_completions.agent_identity) as agent_identity,
        coalesce(first_entries.entered_at, call_bounds.first_event_at) as entered_at,
        first_connects.answered_at,
        coalesce(last_completions.completed_at, last_exits.exited_at) as ended_at,
        last_completions.completion_event,
        last_exits.exit_event,
        coalesce(
            first_connects.wait_seconds,
            last_completions.wait_seconds,
            last_exits.wait_seconds
        ) as wait_seconds,
        last_completions.talk_seconds,
        coalesce(ring_no_answers.ring_no_answer_count, 0) as ring_no_answer_count,
        first_connects.call_id is not null or last_completions.call_id is not null as is_answered,
        first_entries.call_id is not null as has_queue_entry
    from call_bounds
    left join first_entries on call_bounds.call_id = first_entries.call_id
    left join first_connects on call_bounds.call_id = first_connects.call_id
    left join last_completions on call_bounds.call_id = last_completions.call_id
    left join last_exits on call_bounds.call_id = last_exits.call_id
    left join ring_no_answers on call_bounds.call_id = ring_no_answers.call_id

),

final as (

    select
        call_id,
        queue_name,
        caller_number,
        agent_identity,
        entered_at,
        answered_at,
        ended_at,
        wait_seconds,
        talk_seconds,
        ring_no_answer_count,
        is_answered,
        has_queue_entry,
        case
            when is_answered and completion_event is not null then 'answered'
            when is_answered then 'answered_in_progress'
            when exit_event is not null then lower(exit_event)
            else 'in_queue'
        end as queue_outcome,
        exit_event,
        not is_answered and exit_event in (
            {%- for event_name in var('abandoned_queue_events') %}
            '{{ event_name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_abandoned
    from joined

)

select * from final
