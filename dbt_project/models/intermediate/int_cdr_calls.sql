{#
    One row per call in the Asterisk CDR: every cdr_csv row of one linkedid (`cdr_call_id`) is
    one call. A ring-all queue writes one ANSWERED row for the agent who answered and a NO ANSWER
    row for each phone that rang, and a transfer writes a row per leg; all of them are one call.

    The originating row (earliest start, then lowest CDR sequence) says who placed the call and
    what was dialled. A call placed from a context in `cdr_outbound_contexts` is `outbound` when
    the dialled number has at least `cdr_external_number_min_digits` digits, `internal`
    otherwise; every other call came in from a trunk and is `inbound`.
#}

{%- set outbound_contexts -%}
    (
        {%- for context_name in var('cdr_outbound_contexts') -%}
        '{{ context_name }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    )
{%- endset %}

with

cdr_rows as (

    select * from {{ ref('stg_asterisk__cdr') }}

),

ordered_rows as (

    select
        cdr_rows.*,
        row_number() over (
            partition by cdr_call_id
            order by
                started_at,
                {{ dbt.safe_cast('cdr_sequence', dbt.type_bigint()) }},
                call_id,
                source_file,
                source_line
        ) as row_number_in_call
    from cdr_rows

),

originating_rows as (

    select * from ordered_rows where row_number_in_call = 1

),

call_totals as (

    select
        cdr_call_id,
        count(*) as cdr_row_count,
        min(started_at) as started_at,
        min(case when disposition = 'ANSWERED' then answered_at end) as answered_at,
        max(case when disposition = 'ANSWERED' then ended_at end) as answered_ended_at,
        max(ended_at) as ended_at
    from cdr_rows
    group by cdr_call_id

),

joined as (

    select
        call_totals.cdr_call_id as call_id,
        -- `PJSIP/1001-0000000a` is channel 0000000a of interface PJSIP/1001; a Local channel
        -- also ends in `;1` or `;2`.
        {{ kinerja.regexp_remove('originating_rows.channel', '-[0-9a-fA-F]+(;[0-9]+)?$') }} as source_interface,
        originating_rows.source_number,
        originating_rows.destination as destination_number,
        originating_rows.destination_context,
        {{ dbt.length(kinerja.regexp_remove('originating_rows.destination', '[^0-9]')) }} as destination_digit_count,
        call_totals.started_at,
        call_totals.answered_at,
        call_totals.ended_at,
        call_totals.answered_ended_at,
        call_totals.cdr_row_count
    from call_totals
    inner join originating_rows
        on call_totals.cdr_call_id = originating_rows.cdr_call_id

),

final as (

    select
        call_id,
        case
            when destination_context in {{ outbound_contexts }}
                and destination_digit_count >= {{ var('cdr_external_number_min_digits') }}
                then 'outbound'
            when destination_context in {{ outbound_contexts }} then 'internal'
            else 'inbound'
        end as call_direction,
        source_interface,
        source_number,
        destination_number,
        destination_context,
        started_at,
        answered_at,
        ended_at,
        answered_at is not null as is_connected,
        -- From the first answer to the end of the last answered row (0 when no row was answered),
        -- so serial transfer legs add up and parallel ring attempts do not. For an inbound call
        -- the PBX answers before the IVR plays, so this includes IVR and queue time: queue_log
        -- measures those calls.
        cast(
            case
                when answered_at is null then 0
                else {{ dbt.datediff('answered_at', 'answered_ended_at', 'second') }}
            end
            as {{ dbt.type_bigint() }}
        ) as talk_seconds,
        cast(cdr_row_count as {{ dbt.type_bigint() }}) as cdr_row_count
    from joined

)

select * from final
