{#
    One row per ticket: how and when it was resolved. Reopens and solves come from the ticket
    versions (int_ticket_status_history), replies from the comments, durations from
    int_ticket_business_durations. A duration exists only once its event happened: a ticket
    without a public agent reply has no first response time, an unsolved ticket no resolution
    time. Neither is zero.
#}

with

milestones as (

    select * from {{ ref('int_ticket_milestones') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}

),

pivoted_durations as (

    select
        ticket_id,
        max(schedule_name) as schedule_name,
        max(case when duration_metric = 'first_response' and stop_reason = 'reply' then calendar_seconds end)
            as first_response_seconds,
        max(case when duration_metric = 'first_response' and stop_reason = 'reply' then business_seconds end)
            as first_response_business_seconds,
        max(case when duration_metric = 'resolution' and stop_reason = 'solve' then calendar_seconds end)
            as resolution_seconds,
        max(case when duration_metric = 'resolution' and stop_reason = 'solve' then business_seconds end)
            as resolution_business_seconds
    from durations
    group by ticket_id

),

final as (

    select
        milestones.ticket_id,
        milestones.solved_at,
        milestones.first_solved_at,
        milestones.reopen_count,
        milestones.reopen_count > 0 as is_reopened,
        -- solved, never reopened, with exactly one public agent reply
        milestones.solved_at is not null
            and milestones.reopen_count = 0
            and milestones.public_agent_reply_count = 1 as is_one_touch,
        milestones.public_agent_reply_count,
        milestones.first_agent_reply_at,
        pivoted_durations.schedule_name,

        -- durations
        pivoted_durations.first_response_seconds,
        {{ seconds_to_minutes('pivoted_durations.first_response_business_seconds') }} as first_response_business_minutes,
        pivoted_durations.resolution_seconds,
        {{ seconds_to_minutes('pivoted_durations.resolution_business_seconds') }} as resolution_business_minutes

    from milestones
    left join pivoted_durations
        on milestones.ticket_id = pivoted_durations.ticket_id

)

select * from final
