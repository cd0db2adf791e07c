{#
    One row per ticket and SLA metric (first_response, resolution) that has a target in the
    sla_targets seed for the ticket's channel and priority. Targets and elapsed time are in
    business minutes of the ticket's schedule (int_ticket_business_durations).
#}

with

durations as (

    select * from {{ ref('int_ticket_business_durations') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

sla_targets as (

    select * from {{ ref('sla_targets') }}

),

contacts as (

    select * from {{ ref('fct_contacts') }}
    where source_system = 'zendesk'

),

metric_targets as (

    select
        channel,
        priority,
        'first_response' as sla_metric,
        first_response_target_business_minutes as target_business_minutes
    from sla_targets

    union all

    select
        channel,
        priority,
        'resolution' as sla_metric,
        resolution_target_business_minutes as target_business_minutes
    from sla_targets

),

ticket_targets as (

    select
        tickets.ticket_id,
        tickets.channel,
        metric_targets.priority,
        metric_targets.sla_metric,
        metric_targets.target_business_minutes
    from tickets
    inner join metric_targets
        on tickets.channel = metric_targets.channel
        and coalesce(tickets.priority, '{{ var("sla_default_priority") }}') = metric_targets.priority

),

evaluated as (

    select
        ticket_targets.*,
        durations.schedule_name,
        durations.clock_started_at,
        durations.clock_stopped_at,
        durations.stop_reason,
        durations.calendar_seconds,
        durations.business_seconds,
        -- the event this metric measures the time to
        (ticket_targets.sla_metric = 'first_response' and durations.stop_reason = 'reply')
            or (ticket_targets.sla_metric = 'resolution' and durations.stop_reason = 'solve') as has_target_event,
        case
            when durations.business_seconds is null then 'calendar_not_covered'
            -- a clock past its target is breached, whether it has stopped or is still running
            when durations.business_seconds > ticket_targets.target_business_minutes * 60 then 'breached'
            when durations.stop_reason = 'data_end' then 'in_progress'
            when ticket_targets.sla_metric = 'first_response' and durations.stop_reason = 'solve'
                then 'solved_without_reply'
            else 'met'
        end as sla_status
    from ticket_targets
    inner join durations
        on ticket_targets.ticket_id = durations.ticket_id
        and ticket_targets.sla_metric = durations.duration_metric

),

final as (

    select
        -- ids
        evaluated.ticket_id,
        evaluated.sla_metric,
        contacts.agent_id,

        -- attributes
        evaluated.channel,
        evaluated.priority,
        contacts.team,
        evaluated.schedule_name,
        evaluated.stop_reason,
        evaluated.sla_status,

        -- timestamps and local day
        evaluated.clock_started_at,
        evaluated.clock_stopped_at,
        contacts.started_date,

        -- durations
        evaluated.target_business_minutes,
        -- The case goes inside the cast: PostgreSQL drops the scale of a case with a null branch.
        {{ seconds_to_minutes(
            'case when evaluated.has_target_event then evaluated.business_seconds end'
        ) }} as actual_business_minutes,
        {{ seconds_to_minutes(
            'case when evaluated.has_target_event then evaluated.calendar_seconds end'
        ) }} as actual_calendar_minutes,
        {{ seconds_to_minutes('evaluated.business_seconds') }} as elapsed_business_minutes,

        -- outcome
        case
            when evaluated.sla_status = 'breached' then true
            when evaluated.sla_status = 'met' then false
        end as is_breached

    from evaluated
    left join contacts
        on {{ dbt.safe_cast('evaluated.ticket_id', dbt.type_string()) }} = contacts.contact_id

)

select * from final
