{#
    Fails with every pair of opening intervals of one schedule that overlap. Overlapping rows in
    business_schedules would count the shared minutes twice in every business duration.
#}

with

intervals as (

    select * from {{ ref('int_business_hours_intervals') }}

)

select
    earlier.schedule_name,
    earlier.opens_at as earlier_opens_at,
    earlier.closes_at as earlier_closes_at,
    later.opens_at as later_opens_at,
    later.closes_at as later_closes_at
from intervals as earlier
inner join intervals as later
    on earlier.schedule_name = later.schedule_name
    and earlier.opens_at < later.opens_at
    and later.opens_at < earlier.closes_at
