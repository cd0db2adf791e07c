with

source as (

    select * from {{ source('raw', 'amazon_connect_contacts') }}

),

renamed as (

    select
        -- ids
        contact_id,
        -- A transfer starts a new record whose InitialContactId names the customer's first
        -- record; that first record has no InitialContactId of its own.
        coalesce(nullif(initial_contact_id, ''), contact_id) as customer_contact_id,
        nullif(initial_contact_id, '') as initial_contact_id,
        nullif(previous_contact_id, '') as previous_contact_id,
        nullif(next_contact_id, '') as next_contact_id,

        -- attributes
        upper(channel) as channel,
        upper(initiation_method) as initiation_method,
        queue_name,
        nullif(agent_username, '') as agent_identity,
        {{ normalize_number_or_extension('customer_number') }} as customer_number,
        upper(disconnect_reason) as disconnect_reason,

        -- durations and counts
        queue_duration_seconds,
        agent_interaction_seconds,
        customer_hold_seconds,
        hold_count,
        after_contact_work_seconds,
        agent_connection_attempt_count,

        -- timestamps (UTC)
        initiation_at as initiated_at,
        disconnect_at as disconnected_at,
        last_updated_at,
        enqueued_at,
        dequeued_at,
        agent_connected_at,
        after_contact_work_started_at,
        after_contact_work_ended_at,

        -- lineage
        _source_file as source_file,
        _source_position as source_line

    from source

),

ranked as (

    -- Connect delivers a record at least once and delivers it again when it changes, so the
    -- copy with the latest LastUpdateTimestamp is the record. A tie goes to the file that sorts
    -- last, which is the latest delivery while files keep Firehose's timestamped names.
    select
        renamed.*,
        count(*) over (partition by contact_id) as delivery_count,
        row_number() over (
            partition by contact_id
            order by last_updated_at desc, source_file desc, source_line desc
        ) as delivery_rank
    from renamed

),

final as (

    select
        contact_id,
        customer_contact_id,
        initial_contact_id,
        previous_contact_id,
        next_contact_id,
        channel,
        initiation_method,
        queue_name,
        agent_identity,
        customer_number,
        disconnect_reason,
        queue_duration_seconds,
        agent_interaction_seconds,
        customer_hold_seconds,
        hold_count,
        after_contact_work_seconds,
        agent_connection_attempt_count,
        initiated_at,
        disconnected_at,
        last_updated_at,
        enqueued_at,
        dequeued_at,
        agent_connected_at,
        after_contact_work_started_at,
        after_contact_work_ended_at,
        cast(delivery_count as {{ dbt.type_bigint() }}) as delivery_count,
        source_file,
        source_line
    from ranked
    where delivery_rank = 1

)

select * from final
