with

source as (

    select * from {{ source('raw', 'public_holidays') }}

),

final as (

    select
        -- dates
        holiday_date,

        -- attributes
        holiday_name,
        upper(country_code) as country_code,
        source_package,

        -- booleans
        is_collective_leave

    from source

)

select * from final
