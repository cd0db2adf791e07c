with

source as (

    select * from {{ source('raw', 'zendesk_users') }}

),

ranked as (

    -- Users pages repeat a user after each update: the latest version is the user.
    select
        source.*,
        row_number() over (
            partition by user_id
            order by updated_at desc, _source_file desc, _source_position desc
        ) as version_number
    from source

),

final as (

    select
        -- ids
        user_id,

        -- attributes
        -- Zendesk Talk names the user it creates for an unknown caller after the phone number
        {{ mask_pii('name') }} as user_name,
        lower(role) as role,
        {{ normalize_phone_number('phone') }} as phone_number,
        {{ normalize_email('email') }} as email,

        -- booleans
        lower(role) in ('agent', 'admin') as is_staff,

        -- timestamps
        updated_at

    from ranked
    where version_number = 1

)

select * from final
