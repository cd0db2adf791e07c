{#
    One row per calendar day of every year that raw.public_holidays covers. Business hours exist
    only on these days, so a year without holidays loaded has no business hours at all rather
    than business hours that ignore its holidays.
#}

with

holidays as (

    select * from {{ ref('stg_calendar__public_holidays') }}

),

covered_years as (

    select distinct
        cast({{ dbt.date_trunc('year', 'holiday_date') }} as date) as year_start_date
    from holidays

),

day_numbers as (

    -- 1..366: enough days for a leap year; days that fall into the next year are dropped below
    {{ dbt.generate_series(366) }}

),

year_days as (

    select
        covered_years.year_start_date,
        cast(
            {{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'covered_years.year_start_date') }}
            as date
        ) as calendar_date
    from covered_years
    cross join day_numbers

),

final as (

    select calendar_date
    from year_days
    where cast({{ dbt.date_trunc('year', 'calendar_date') }} as date) = year_start_date

)

select * from final
