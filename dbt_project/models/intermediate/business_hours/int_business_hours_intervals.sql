{#
    One row per schedule and opening interval on a day it is open, with the interval's bounds in
    UTC so that ticket timestamps (UTC) can be compared with it directly. A schedule is open on a
    calendar day when business_schedules has a row for that weekday, and the day is neither a
    public holiday, nor a collective leave day (unless `business_hours_close_on_collective_leave`
    is false), nor a company closure for that schedule. Holidays are local calendar days of each
    schedule's own time zone.
#}

with

calendar_dates as (

    select * from {{ ref('int_calendar_dates') }}

),

schedules as (

    select * from {{ ref('business_schedules') }}

),

holidays as (

    select * from {{ ref('stg_calendar__public_holidays') }}

),

company_closures as (

    select * from {{ ref('company_closures') }}

),

schedule_hours as (

    select
        schedule_name,
        time_zone,
        iso_weekday,
        cast({{ dbt.split_part('opens_local', "':'", 1) }} as {{ dbt.type_int() }}) * 60
            + cast({{ dbt.split_part('opens_local', "':'", 2) }} as {{ dbt.type_int() }}) as opens_minute,
        cast({{ dbt.split_part('closes_local', "':'", 1) }} as {{ dbt.type_int() }}) * 60
            + cast({{ dbt.split_part('closes_local', "':'", 2) }} as {{ dbt.type_int() }}) as closes_minute
    from schedules

),

calendar_weekdays as (

    -- 1900-01-01 was a Monday, so whole days since then modulo 7 give the ISO weekday (Monday 1)
    -- on every engine, where each engine's own weekday function numbers days differently.
    select
        calendar_date,
        ({{ dbt.datediff("cast('1900-01-01' as date)", 'calendar_date', 'day') }} % 7) + 1 as iso_weekday
    from calendar_dates

),

closed_holidays as (

    select holiday_date
    from holidays
    {% if not var('business_hours_close_on_collective_leave') %}
    where not is_collective_leave
    {% endif %}

),

scheduled_hours as (

    select
        schedule_hours.schedule_name,
        schedule_hours.time_zone,
        calendar_weekdays.calendar_date,
        schedule_hours.opens_minute,
        schedule_hours.closes_minute
    from schedule_hours
    inner join calendar_weekdays
        on schedule_hours.iso_weekday = calendar_weekdays.iso_weekday

),

closed_days as (

    select distinct
        scheduled_hours.schedule_name,
        scheduled_hours.calendar_date
    from scheduled_hours
    inner join closed_holidays
        on scheduled_hours.calendar_date = closed_holidays.holiday_date

    union

    select distinct
        scheduled_hours.schedule_name,
        scheduled_hours.calendar_date
    from scheduled_hours
    inner join company_closures
        on scheduled_hours.calendar_date = company_closures.closure_date
        and (
            company_closures.schedule_name is null
            or company_closures.schedule_name = scheduled_hours.schedule_name
        )

),

open_hours as (

    select scheduled_hours.*
    from scheduled_hours
    left join closed_days
        on scheduled_hours.schedule_name = closed_days.schedule_name
        and scheduled_hours.calendar_date = closed_days.calendar_date
    where closed_days.schedule_name is null

),

localized as (

    select
        schedule_name,
        time_zone,
        calendar_date,
        {{ dbt.dateadd('minute', 'opens_minute', 'cast(calendar_date as ' ~ dbt.type_timestamp() ~ ')') }} as opens_at_local,
        {{ dbt.dateadd('minute', 'closes_minute', 'cast(calendar_date as ' ~ dbt.type_timestamp() ~ ')') }} as closes_at_local
    from open_hours

),

final as (

    select
        schedule_name,
        time_zone,
        calendar_date,
        cast({{ local_to_utc('opens_at_local', 'time_zone') }} as {{ dbt.type_timestamp() }}) as opens_at,
        cast({{ local_to_utc('closes_at_local', 'time_zone') }} as {{ dbt.type_timestamp() }}) as closes_at
    from localized

)

select * from final
