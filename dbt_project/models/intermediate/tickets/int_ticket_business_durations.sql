{#
    One row per ticket and duration metric, `first_response` and `resolution`: when its clock
    started and stopped, and how long it ran in calendar seconds and in business seconds of the
    ticket's business-hours schedule.

    Both clocks start at ticket creation. The first response clock stops at the first public
    agent reply; a ticket solved before any reply stops it at that solve instead. The resolution
    clock stops at the solve that started the current solved run. A clock that has not stopped
    runs to the end of the data, the latest ticket update in the export, so an open ticket's
    elapsed time does not depend on when dbt runs.

    Business seconds are the overlap of the clock with the schedule's opening intervals, so a
    ticket created on a non-working day or after hours counts from the next opening. They are
    null when the clock starts or stops on a day outside the calendar (the years
    raw.public_holidays covers), because holidays there are unknown.
#}

with

milestones as (

    select * from {{ ref('int_ticket_milestones') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}
    where identity_system = 'zendesk'

),

team_schedules as (

    select * from {{ ref('team_business_schedules') }}

),

schedules as (

    select * from {{ ref('business_schedules') }}

),

intervals as (

    select * from {{ ref('int_business_hours_intervals') }}

),

calendar_dates as (

    select * from {{ ref('int_calendar_dates') }}

),

schedule_time_zones as (

    select
        schedule_name,
        min(time_zone) as time_zone
    from schedules
    group by schedule_name

),

calendar_bounds as (

    select
        min(calendar_date) as first_calendar_date,
        max(calendar_date) as last_calendar_date
    from calendar_dates

),

data_end as (

    select max(last_updated_at) as data_end_at from milestones

),

ticket_schedules as (

    -- the schedule of the assignee's roster team, or the default for unassigned tickets and unlisted teams
    select
        tickets.ticket_id,
        coalesce(team_schedules.schedule_name, '{{ var("default_business_schedule") }}') as schedule_name
    from tickets
    left join agent_identities
        on {{ dbt.safe_cast('tickets.assignee_id', dbt.type_string()) }} = agent_identities.source_identity
    left join agents
        on agent_identities.agent_id = agents.agent_id
    left join team_schedules
        on agents.team = team_schedules.team

),

clock_stops as (

    select
        milestones.ticket_id,
        'first_response' as duration_metric,
        milestones.created_at as clock_started_at,
        coalesce(milestones.first_agent_reply_at, milestones.first_solved_at, data_end.data_end_at) as stop_event_at,
        case
            when milestones.first_agent_reply_at is not null then 'reply'
            when milestones.first_solved_at is not null then 'solve'
            else 'data_end'
        end as stop_reason
    from milestones
    cross join data_end

    union all

    select
        milestones.ticket_id,
        'resolution' as duration_metric,
        milestones.created_at as clock_started_at,
        coalesce(milestones.solved_at, data_end.data_end_at) as stop_event_at,
        case when milestones.solved_at is not null then 'solve' else 'data_end' end as stop_reason
    from milestones
    cross join data_end

),

clocks as (

    -- an event dated before creation (a comment imported with an older date) stops the clock at zero
    select
        clock_stops.ticket_id,
        clock_stops.duration_metric,
        ticket_schedules.schedule_name,
        schedule_time_zones.time_zone,
        clock_stops.clock_started_at,
        case
            when clock_stops.stop_event_at < clock_stops.clock_started_at then clock_stops.clock_started_at
            else clock_stops.stop_event_at
        end as clock_stopped_at,
        clock_stops.stop_reason
    from clock_stops
    inner join ticket_schedules
        on clock_stops.ticket_id = ticket_schedules.ticket_id
    left join schedule_time_zones
        on ticket_schedules.schedule_name = schedule_time_zones.schedule_name

),

open_overlaps as (

    select
        clocks.ticket_id,
        clocks.duration_metric,
        sum(
            {{ dbt.datediff(
                'case when intervals.opens_at > clocks.clock_started_at then intervals.opens_at else clocks.clock_started_at end',
                'case when intervals.closes_at < clocks.clock_stopped_at then intervals.closes_at else clocks.clock_stopped_at end',
                'second'
            ) }}
        ) as business_seconds
    from clocks
    inner join intervals
        on clocks.schedule_name = intervals.schedule_name
        and intervals.opens_at < clocks.clock_stopped_at
        and intervals.closes_at > clocks.clock_started_at
    group by clocks.ticket_id, clocks.duration_metric

),

covered as (

    select
        clocks.*,
        coalesce(
            cast({{ utc_to_local('clocks.clock_started_at', 'clocks.time_zone') }} as date)
                >= calendar_bounds.first_calendar_date
            and cast({{ utc_to_local('clocks.clock_stopped_at', 'clocks.time_zone') }} as date)
                <= calendar_bounds.last_calendar_date,
            false
        ) as is_calendar_covered
    from clocks
    cross join calendar_bounds

),

final as (

    select
        covered.ticket_id,
        covered.duration_metric,
        covered.schedule_name,
        covered.clock_started_at,
        covered.clock_stopped_at,
        covered.stop_reason,
        covered.is_calendar_covered,
        cast(
            {{ dbt.datediff('covered.clock_started_at', 'covered.clock_stopped_at', 'second') }}
            as {{ dbt.type_bigint() }}
        ) as calendar_seconds,
        case
            when covered.is_calendar_covered
                then cast(coalesce(open_overlaps.business_seconds, 0) as {{ dbt.type_bigint() }})
        end as business_seconds
    from covered
    left join open_overlaps
        on covered.ticket_id = open_overlaps.ticket_id
        and covered.duration_metric = open_overlaps.duration_metric

)

select * from final
