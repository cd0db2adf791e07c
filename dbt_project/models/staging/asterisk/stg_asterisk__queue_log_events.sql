with

source as (

    select * from {{ source('raw', 'queue_log') }}

),

renamed as (

    select
        -- ids
        call_id,
        nullif(queue_name, 'NONE') as queue_name,
        nullif(nullif(agent_name, 'NONE'), '') as agent_identity,
        upper(event) as event_name,

        -- positional event data: what each position means depends on the event. ENTERQUEUE's
        -- second field is the caller's number, normalised for customer matching; every other
        -- field is masked, because a dialplan's QueueLog() can write any text into it.
        {{ mask_pii('data1') }} as data1,
        case
            when upper(event) = 'ENTERQUEUE' then {{ normalize_number_or_extension('data2') }}
            else {{ mask_pii('data2') }}
        end as data2,
        {{ mask_pii('data3') }} as data3,
        {{ mask_pii('data4') }} as data4,
        {{ mask_pii('data5') }} as data5,
        {{ mask_pii('data6') }} as data6,

        -- timestamps
        event_epoch,
        {{ epoch_to_timestamp('event_epoch') }} as event_at,

        -- lineage
        _source_file as source_file,
        _source_position as source_line

    from source

),

ranked as (

    -- Rotated queue_log files can overlap and one file can land under two names: an identical
    -- line is one event, kept once at its first position.
    select
        renamed.*,
        row_number() over (
            partition by
                event_epoch, call_id, queue_name, agent_identity, event_name,
                data1, data2, data3, data4, data5, data6
            order by source_file, source_line
        ) as occurrence_number
    from renamed

),

final as (

    select
        {{ dbt.concat(['source_file', "':'", dbt.safe_cast('source_line', dbt.type_string())]) }} as event_key,
        call_id,
        queue_name,
        agent_identity,
        event_name,
        data1,
        data2,
        data3,
        data4,
        data5,
        data6,
        event_epoch,
        event_at,
        source_file,
        source_line
    from ranked
    where occurrence_number = 1

)

select * from final
