{#- Rendered at run time: the queues and local days of voice contacts, as in voice_contacts. -#}
{%- set vanished_keys_hook -%}
{% raw %}{{ delete_vanished_keys(
    ['queue_name', 'activity_date'],
    'select queue_name, ' ~ default_zone_date('started_at') ~ ' as activity_date from '
    ~ ref('fct_contacts') ~ " where channel = 'voice' and queue_name is not null"
) }}{% endraw %}
{%- endset -%}

{{
    config(
        materialized='incremental',
        unique_key=['queue_name', 'activity_date'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=vanished_keys_hook
    )
}}

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

voice_contacts as (

    -- Queues live on the PBX, not at an agent's site: their day is the default time zone's.
    select
        contacts.*,
        {{ default_zone_date('started_at') }} as queue_date
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

computed as (

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

),

final as (

    {{ incremental_recent_or_changed_rows('computed', 'activity_date') }}

)

select * from final
