with

source as (

    select * from {{ source('raw', 'cdr') }}

),

renamed as (

    select
        -- ids
        nullif(uniqueid, '') as call_id,
        nullif(linkedid, '') as linked_call_id,
        nullif(accountcode, '') as account_code,
        nullif(sequence, '') as cdr_sequence,

        -- parties and route: src and dst keep a customer's number as normalised digits, and the
        -- text fields have personal data masked
        {{ normalize_number_or_extension('src') }} as source_number,
        {{ normalize_number_or_extension('dst') }} as destination,
        dcontext as destination_context,
        {{ mask_pii('clid') }} as caller_id,
        -- the calling endpoint (`PJSIP/1001-…`), kept as written for matching to the roster
        channel,
        nullif({{ mask_pii('dstchannel') }}, '') as destination_channel,
        lastapp as last_application,
        {{ mask_pii('lastdata') }} as last_application_data,
        disposition,
        amaflags as ama_flags,
        nullif({{ mask_pii('userfield') }}, '') as user_field,
        nullif(peeraccount, '') as peer_account,

        -- numerics
        duration as duration_seconds,
        billsec as billable_seconds,

        -- timestamps: cdr_csv writes the PBX's local clock without a zone
        {{ local_to_utc('start_local', "'" ~ var('cdr_timezone') ~ "'") }} as started_at,
        {{ local_to_utc('answer_local', "'" ~ var('cdr_timezone') ~ "'") }} as answered_at,
        {{ local_to_utc('end_local', "'" ~ var('cdr_timezone') ~ "'") }} as ended_at,
        cast(start_local as date) as started_date,

        -- lineage
        _source_file as source_file,
        _source_position as source_line

    from source

),

ranked as (

    -- cdr_csv writes every record to Master.csv and, when the call has an account code, again to
    -- `<accountcode>.csv` beside it. Both files land in the same folder, so an identical line in
    -- two files (or twice in one) is one CDR row, kept at its first position.
    select
        renamed.*,
        row_number() over (
            partition by
                call_id, linked_call_id, account_code, cdr_sequence, source_number, destination,
                destination_context, caller_id, channel, destination_channel, last_application,
                last_application_data, disposition, ama_flags, user_field, peer_account,
                started_at, answered_at, ended_at, duration_seconds, billable_seconds
            order by source_file, source_line
        ) as occurrence_number
    from renamed

),

keyed as (

    select
        ranked.*,
        {{ dbt.concat(['source_file', "':'", dbt.safe_cast('source_line', dbt.type_string())]) }} as cdr_key
    from ranked
    where occurrence_number = 1

),

final as (

    select
        cdr_key,
        -- Since Asterisk 12 one call can write several CDR rows (one per ring attempt of a ring-all
        -- queue, one per transfer leg), all with the linkedid of the channel that started the call.
        -- Rows without a linkedid fall back to their uniqueid, and 16-column rows, which have
        -- neither, are a call each.
        coalesce(linked_call_id, call_id, cdr_key) as cdr_call_id,
        call_id,
        linked_call_id,
        account_code,
        cdr_sequence,
        source_number,
        destination,
        destination_context,
        caller_id,
        channel,
        destination_channel,
        last_application,
        last_application_data,
        disposition,
        ama_flags,
        user_field,
        peer_account,
        duration_seconds,
        billable_seconds,
        started_at,
        answered_at,
        ended_at,
        started_date,
        source_file,
        source_line
    from keyed

)

select * from final
