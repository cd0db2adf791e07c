{#
    One row per outbound call in the Asterisk CDR (one linkedid): a call an agent's phone placed
    to an external number. `agent_identity` is the interface that placed it, the form the roster
    lists in telephony_ids.
#}

with

cdr_calls as (

    select * from {{ ref('int_cdr_calls') }}

),

final as (

    select
        call_id,
        source_interface as agent_identity,
        destination_number,
        started_at,
        answered_at,
        is_connected,
        talk_seconds
    from cdr_calls
    where call_direction = 'outbound'

)

select * from final
