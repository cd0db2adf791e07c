{#
    One row per record and required field: whether the agent left the field missing and why.
    The `recording_requirements` seed says which fields each record kind and channel requires and
    when; a field is missing when it is null, blank, or a placeholder from
    `recording_placeholder_values` (macro `recording_missing_reason`). A field that two seed rows
    require (say `any` and `voice`) is still one row.
#}

{%- set ticket_fields = ['category', 'disposition', 'call_id', 'resolution_note'] %}

with

tickets as (

    select * from {{ ref('int_ticket_recording_fields') }}

),

requirements as (

    select * from {{ ref('recording_requirements') }}

),

ticket_field_values as (

    -- One row per ticket and recordable field. The seed's tests reject a ticket field not listed here.
    {%- for field_name in ticket_fields %}
    select
        'ticket' as record_kind,
        {{ dbt.safe_cast('ticket_id', dbt.type_string()) }} as record_id,
        channel,
        agent_id,
        source_agent_identity,
        activity_date,
        is_finished,
        '{{ field_name }}' as field_name,
        {{ field_name }} as field_value
    from tickets
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

-- TODO: lead records (record_kind `lead`, required_when `worked_by_call`) join here once
-- stg_crm__leads and int_cdr_outbound_calls are in this project. Until then only the
-- `leads_recording` Great Expectations suite checks leads.

required_ticket_fields as (

    select distinct
        ticket_field_values.record_kind,
        ticket_field_values.record_id,
        ticket_field_values.channel,
        ticket_field_values.agent_id,
        ticket_field_values.source_agent_identity,
        ticket_field_values.activity_date,
        ticket_field_values.field_name,
        ticket_field_values.field_value
    from ticket_field_values
    inner join requirements
        on ticket_field_values.record_kind = requirements.record_kind
        and ticket_field_values.field_name = requirements.field_name
        and requirements.channel in ('any', ticket_field_values.channel)
        and (
            requirements.required_when = 'always'
            or (requirements.required_when = 'finished' and ticket_field_values.is_finished)
        )

),

classified as (

    select
        required_ticket_fields.*,
        {{ recording_missing_reason('field_value') }} as missing_reason
    from required_ticket_fields

),

final as (

    select
        record_kind,
        record_id,
        channel,
        agent_id,
        source_agent_identity,
        activity_date,
        field_name,
        missing_reason is not null as is_missing,
        missing_reason
    from classified

)

select * from final
