with

source as (

    select * from {{ source('raw', 'crm_leads') }}

),

ranked as (

    -- A lead exported on several days shows each stage change in every file written after it.
    -- The first file that shows a change names the owner who made it, assuming file names sort
    -- by export date as dated exports (`leads-2026-10-01.csv`) do.
    select
        source.*,
        row_number() over (
            partition by lead_id, stage_changed_at
            order by _source_file, _source_position
        ) as occurrence_number
    from source

),

final as (

    select
        lead_id,
        owner_id,
        lower(trim(stage)) as stage,
        stage_changed_at,
        _source_file as source_file,
        _source_position as source_line
    from ranked
    where occurrence_number = 1

)

select * from final
