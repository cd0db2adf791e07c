with

source as (

    select * from {{ source('raw', 'roster_agents') }}

),

ranked as (

    -- A duplicated agent_id fails the source test on raw.roster_agents; here the first line wins
    -- so the marts stay one row per agent while the roster is fixed.
    select
        source.*,
        row_number() over (
            partition by agent_id
            order by _source_file, _source_position
        ) as occurrence_number
    from source

),

final as (

    select
        -- ids
        agent_id,

        -- attributes
        full_name,
        team,
        coalesce(nullif(trim(site_timezone), ''), '{{ var("default_timezone") }}') as site_timezone,
        telephony_ids,
        crm_user_ids,

        -- dates
        hire_date,

        -- lineage
        _source_file as source_file,
        _source_position as source_line

    from ranked
    where occurrence_number = 1

)

select * from final
