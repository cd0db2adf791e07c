with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

voice_contacts as (

    -- Queues live on the PBX, not at an agent's site: their day is the default time zone's.
    select
        contacts.*,
        cast({{ utc_to_local('started_at', "'" ~ var('default_timezone') ~ "'") }} as date) as queue_date
    from contacts
    where channel = 'voice' and queue_name is not null

),

aggregated as (

    select
        queue_name,
        queue_date as activity_date,
        cast(count(*) as {{ dbt.type_bigint() }}) as calls_offered,
        cast(sum(case when is_answered then 1 else 0 end) as {{ dbt.type_bigint() }}) as calls_answered,
        cast(
            sum(case when is_abandoned and not is_short_abandon then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as calls_abandoned,
        cast(sum(case when is_short_abandon then 1 else 0 end) as {{ dbt.type_bigint() }}) as calls_short_abandoned,
        cast(
            sum(case when is_answered and wait_seconds <= {{ var('service_level_seconds') }} then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as calls_answered_within_service_level,
        sum(case when is_answered then wait_seconds end) as answered_wait_seconds_total,
        cast(
            sum(case when is_answered and wait_seconds is not null then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as answered_calls_with_wait
    from voice_contacts
    group by queue_name, queue_date

),

final as (

    select
        queue_name,
        activity_date,
        calls_offered,
        calls_answered,
        calls_abandoned,
        calls_short_abandoned,
        calls_answered_within_service_level,
        cast(
            {{ safe_ratio('calls_abandoned', 'calls_offered - calls_short_abandoned') }}
            as {{ dbt.type_numeric() }}
        ) as abandonment_rate,
        cast(
            {{ safe_ratio('calls_answered_within_service_level', 'calls_answered + calls_abandoned') }}
            as {{ dbt.type_numeric() }}
        ) as service_level_rate,
        cast(
            {{ safe_ratio('answered_wait_seconds_total', 'answered_calls_with_wait') }}
            as {{ dbt.type_numeric() }}
        ) as average_speed_of_answer_seconds
    from aggregated

)

select * from final
