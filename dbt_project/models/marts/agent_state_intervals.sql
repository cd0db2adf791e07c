{#
    Agent states cut at local midnight in the agent's site time zone, so that each interval
    belongs to one local day. An interval that crosses midnight is split into one piece per day
    it touches, up to `state_interval_max_days` days; the total_matches test on this model fails
    if a longer interval would lose time.
#}

with

states as (

    select * from {{ ref('int_asterisk_agent_states') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

day_offsets as (

    -- generated_number runs from 1; the first day of an interval has offset 0
    select generated_number - 1 as day_offset
    from ({{ dbt.generate_series(var('state_interval_max_days')) }}) as generated_numbers

),

localized as (

    select
        states.*,
        'asterisk' as source_system,
        agents.team,
        coalesce(agents.site_timezone, '{{ var("default_timezone") }}') as site_timezone
    from states
    left join agents
        on states.agent_id = agents.agent_id

),

local_days as (

    select
        localized.*,
        cast({{ utc_to_local('started_at', 'site_timezone') }} as date) as started_date,
        cast({{ utc_to_local('ended_at', 'site_timezone') }} as date) as ended_date
    from localized

),

day_pieces as (

    select
        local_days.*,
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'local_days.started_date') }} as date) as activity_date
    from local_days
    inner join day_offsets
        on day_offsets.day_offset <= {{ dbt.datediff('local_days.started_date', 'local_days.ended_date', 'day') }}

),

day_bounds as (

    select
        day_pieces.*,
        {{ local_to_utc('cast(activity_date as ' ~ dbt.type_timestamp() ~ ')', 'site_timezone') }} as day_started_at,
        {{ local_to_utc(
            'cast(' ~ dbt.dateadd('day', 1, 'activity_date') ~ ' as ' ~ dbt.type_timestamp() ~ ')',
            'site_timezone'
        ) }} as day_ended_at
    from day_pieces

),

cut as (

    select
        day_bounds.*,
        case when started_at > day_started_at then started_at else day_started_at end as piece_started_at,
        case when ended_at < day_ended_at then ended_at else day_ended_at end as piece_ended_at
    from day_bounds

),

final as (

    select
        -- ids
        agent_id,
        source_agent_identity,
        source_system,
        team,

        -- state
        agent_state,
        pause_reason,

        -- timestamps and local day
        piece_started_at as started_at,
        piece_ended_at as ended_at,
        site_timezone,
        activity_date,

        -- duration
        cast(
            {{ dbt.datediff('piece_started_at', 'piece_ended_at', 'second') }}
            as {{ dbt.type_bigint() }}
        ) as duration_seconds,

        -- only the piece that ends where the data ends carries the flag
        is_closed_at_data_end and piece_ended_at = ended_at as is_closed_at_data_end

    from cut
    where piece_ended_at > piece_started_at

)

select * from final
