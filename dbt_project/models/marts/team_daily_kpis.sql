{#
    One row per team, local day and channel, summed from the team's agents in agent_daily_kpis,
    with the team's AHT placed against the AHT band of the industry it serves (seeds
    `team_industries` and `industry_aht_bands`).
#}

{%- set seconds_per_minute = 60 %}

with

agent_days as (

    select * from {{ ref('agent_daily_kpis') }}

),

team_industries as (

    select * from {{ ref('team_industries') }}

),

industry_aht_bands as (

    select * from {{ ref('industry_aht_bands') }}

),

team_days as (

    select
        team,
        activity_date,
        channel,
        count(*) as agent_count,
        sum(contacts_handled) as contacts_handled,
        -- Each agent's AHT weighted by the contacts the agent handled that day.
        sum(case when aht_seconds is not null then aht_seconds * contacts_handled end) as weighted_aht_seconds_total,
        sum(case when aht_seconds is not null then contacts_handled end) as contacts_with_aht
    from agent_days
    group by team, activity_date, channel

),

banded as (

    select
        team_days.*,
        {{ safe_ratio('team_days.weighted_aht_seconds_total', 'team_days.contacts_with_aht') }} as aht_seconds,
        team_industries.industry,
        industry_aht_bands.aht_min_minutes,
        industry_aht_bands.aht_max_minutes
    from team_days
    left join team_industries
        on team_days.team = team_industries.team
    left join industry_aht_bands
        on team_industries.industry = industry_aht_bands.industry
        and team_days.channel = industry_aht_bands.channel

),

final as (

    select
        team,
        activity_date,
        channel,
        cast(agent_count as {{ dbt.type_bigint() }}) as agent_count,
        cast(contacts_handled as {{ dbt.type_bigint() }}) as contacts_handled,
        cast(aht_seconds as {{ dbt.type_numeric() }}) as aht_seconds,
        industry,
        aht_min_minutes as aht_band_min_minutes,
        aht_max_minutes as aht_band_max_minutes,
        case
            when aht_seconds is null or aht_min_minutes is null then null
            when aht_seconds < aht_min_minutes * {{ seconds_per_minute }} then 'below'
            when aht_seconds > aht_max_minutes * {{ seconds_per_minute }} then 'above'
            else 'within'
        end as aht_band_status
    from banded

)

select * from final
