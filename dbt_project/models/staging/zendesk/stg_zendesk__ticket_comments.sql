with

source as (

    select * from {{ source('raw', 'zendesk_ticket_comments') }}

),

ranked as (

    -- A comment page fetched twice repeats its comments: one comment id is one comment.
    select
        source.*,
        row_number() over (
            partition by comment_id
            order by _source_file desc, _source_position desc
        ) as occurrence_number
    from source

),

final as (

    select
        -- ids
        comment_id,
        ticket_id,
        author_id,

        -- attributes
        {{ mask_pii('body') }} as body,
        lower(via_channel) as via_channel,

        -- booleans
        is_public,

        -- timestamps
        created_at,

        -- lineage
        _source_file as source_file,
        _source_position as source_position

    from ranked
    where occurrence_number = 1

)

select * from final
