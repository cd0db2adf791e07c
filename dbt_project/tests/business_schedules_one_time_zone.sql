{# Fails with every schedule whose rows in business_schedules name more than one time zone. #}

with

schedules as (

    select * from {{ ref('business_schedules') }}

)

select
    schedule_name,
    count(distinct time_zone) as time_zone_count
from schedules
group by schedule_name
having count(distinct time_zone) > 1
