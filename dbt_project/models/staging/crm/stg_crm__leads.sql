with

source as (

    select * from {{ source('raw', 'crm_leads') }}

),

ranked as (

    -- Each export file contains every lead as it was that day. The version with the latest
    -- stage change is the lead's current state, and the later file wins a tie.
    select
        source.*,
        row_number() over (
            partition by lead_id
            order by stage_changed_at desc, _source_file desc, _source_position desc
        ) as version_rank
    from source

),

outcomes as (

    select
        ranked.*,
        -- A lead lost and later won again (or the reverse) has both times: the later one is
        -- its outcome.
        won_at is not null and (lost_at is null or won_at >= lost_at) as is_won
    from ranked
    where version_rank = 1

),

final as (

    select
        -- ids
        lead_id,
        owner_id,

        -- attributes
        lower(trim(stage)) as stage,
        lead_score,
        {{ mask_pii('interest') }} as interest,

        -- timestamps (UTC)
        created_at,
        stage_changed_at,
        won_at,
        lost_at,

        -- outcome
        is_won,
        lost_at is not null and not is_won as is_lost

    from outcomes

)

select * from final
