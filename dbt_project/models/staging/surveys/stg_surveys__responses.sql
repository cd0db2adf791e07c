with

source as (

    select * from {{ source('raw', 'surveys') }}

),

ranked as (

    -- A survey export delivered twice repeats its responses: one response id is one response.
    select
        source.*,
        row_number() over (
            partition by response_id
            order by _source_file, _source_position
        ) as occurrence_number
    from source

),

final as (

    select
        -- ids
        response_id,
        trim(contact_ref) as contact_ref,

        -- attributes
        lower(survey_type) as survey_type,
        score,

        -- timestamps
        submitted_at,
        cast({{ utc_to_local('submitted_at', "'" ~ var('default_timezone') ~ "'") }} as date) as submitted_date,

        -- lineage
        _source_file as source_file,
        _source_position as source_line

    from ranked
    where occurrence_number = 1

)

select * from final
