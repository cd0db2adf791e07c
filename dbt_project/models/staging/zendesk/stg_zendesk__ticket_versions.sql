with

source as (

    select * from {{ source('raw', 'zendesk_tickets') }}

),

ranked as (

    -- The incremental export writes a ticket again on every update it went through: each
    -- updated_at is one version. A page loaded twice repeats versions, and one occurrence each is
    -- kept, the one from the last file.
    select
        source.*,
        row_number() over (
            partition by ticket_id, updated_at
            order by _source_file desc, _source_position desc
        ) as occurrence_number
    from source

),

final as (

    select
        -- ids
        ticket_id,
        assignee_id,

        -- attributes
        lower(status) as status,
        lower(satisfaction_score) as satisfaction_score,

        -- timestamps
        updated_at,
        satisfaction_updated_at,

        -- lineage
        _source_file as source_file,
        _source_position as source_position

    from ranked
    where occurrence_number = 1

)

select * from final
