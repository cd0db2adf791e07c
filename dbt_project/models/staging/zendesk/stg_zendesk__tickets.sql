with

tickets as (

    select * from {{ source('raw', 'zendesk_tickets') }}

),

custom_field_values as (

    select * from {{ source('raw', 'zendesk_ticket_custom_fields') }}

),

custom_field_roles as (

    select * from {{ ref('zendesk_custom_fields') }}

),

channel_map as (

    select * from {{ ref('zendesk_channel_map') }}

),

ranked_versions as (

    -- The incremental export writes a ticket again on every update: the latest version is the
    -- ticket, and a page loaded twice does not make two tickets.
    select
        tickets.*,
        row_number() over (
            partition by ticket_id
            order by updated_at desc, _source_file desc, _source_position desc
        ) as version_number
    from tickets

),

current_tickets as (

    select * from ranked_versions where version_number = 1

),

latest_ratings as (

    -- A customer can change a rating (good to bad, or back) until the ticket closes, and each
    -- change is a new ticket version. The latest good or bad rating is the ticket's rating, once;
    -- a later version that shows the survey only as offered again does not erase it.
    select
        ticket_id,
        lower(satisfaction_score) as satisfaction_score,
        satisfaction_updated_at,
        row_number() over (
            partition by ticket_id
            order by
                coalesce(satisfaction_updated_at, updated_at) desc,
                updated_at desc,
                _source_file desc,
                _source_position desc
        ) as rating_number
    from tickets
    where lower(satisfaction_score) in ('good', 'bad')

),

current_ratings as (

    select * from latest_ratings where rating_number = 1

),

current_role_values as (

    select
        current_tickets.ticket_id,
        custom_field_roles.field_role,
        custom_field_values.field_value
    from current_tickets
    inner join custom_field_values
        on current_tickets.ticket_id = custom_field_values.ticket_id
        and current_tickets._source_file = custom_field_values._source_file
        and current_tickets._source_position = custom_field_values._source_position
    inner join custom_field_roles
        on custom_field_values.field_id = custom_field_roles.field_id

),

pivoted_roles as (

    select
        ticket_id,
        max(case when field_role = 'category' then field_value end) as category,
        max(case when field_role = 'disposition' then field_value end) as disposition,
        max(case when field_role = 'handle_time_seconds' then field_value end) as handle_time_value,
        max(case when field_role = 'call_id' then field_value end) as call_id
    from current_role_values
    group by ticket_id

),

final as (

    select
        -- ids
        current_tickets.ticket_id,
        current_tickets.requester_id,
        current_tickets.assignee_id,
        current_tickets.group_id,

        -- attributes
        lower(current_tickets.status) as status,
        lower(current_tickets.priority) as priority,
        lower(current_tickets.via_channel) as via_channel,
        coalesce(channel_map.channel, 'other') as channel,
        {{ mask_pii('current_tickets.subject') }} as subject,
        {{ mask_pii('current_tickets.tags') }} as tags,
        -- recorded by agents: kept as written, so blanks stay visible to the completeness checks
        pivoted_roles.category,
        pivoted_roles.disposition,
        -- the call's id on a voice-channel ticket, as text like every call id
        pivoted_roles.call_id,
        {{ dbt.safe_cast('pivoted_roles.handle_time_value', dbt.type_bigint()) }} as tracked_handle_seconds,
        coalesce(current_ratings.satisfaction_score, lower(current_tickets.satisfaction_score)) as satisfaction_score,

        -- booleans
        lower(current_tickets.status) in ('solved', 'closed') as is_solved,

        -- timestamps
        current_tickets.created_at,
        current_tickets.updated_at,
        case
            when current_ratings.ticket_id is not null then current_ratings.satisfaction_updated_at
            else current_tickets.satisfaction_updated_at
        end as satisfaction_updated_at,
        cast({{ utc_to_local('current_tickets.created_at', "'" ~ var('default_timezone') ~ "'") }} as date) as created_date,

        -- lineage
        current_tickets._source_file as source_file,
        current_tickets._source_position as source_position

    from current_tickets
    left join pivoted_roles
        on current_tickets.ticket_id = pivoted_roles.ticket_id
    left join channel_map
        on lower(current_tickets.via_channel) = channel_map.via_channel
    left join current_ratings
        on current_tickets.ticket_id = current_ratings.ticket_id

)

select * from final
