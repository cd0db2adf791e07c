{#
    One row per record and required field: whether the agent left the field missing and why. A
    ticket is one record; a lead is one record per owner and local day it was worked.
    The `recording_requirements` seed says which fields each record kind and channel requires and
    when; a field is missing when it is null, blank, or a placeholder from
    `recording_placeholder_values` (macro `recording_missing_reason`). A field that two seed rows
    require (say `any` and `voice`) is still one row.
#}

{%- set ticket_fields = ['category', 'disposition', 'call_id', 'resolution_note'] %}
{%- set lead_fields = ['interest', 'lead_score'] %}

with

tickets as (

    select * from {{ ref('int_ticket_recording_fields') }}

),

leads as (

    select * from {{ ref('int_lead_recording_fields') }}

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
        false as is_worked_by_call,
        '{{ field_name }}' as field_name,
        {{ field_name }} as field_value
    from tickets
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

lead_field_values as (

    -- One row per lead, owner, worked day and recordable field. A lead is never `finished`: its
    -- fields are due on the days it was worked by call.
    {%- for field_name in lead_fields %}
    select
        'lead' as record_kind,
        lead_id as record_id,
        channel,
        agent_id,
        source_agent_identity,
        activity_date,
        false as is_finished,
        is_worked_by_call,
        '{{ field_name }}' as field_name,
        {{ field_name }} as field_value
    from leads
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

field_values as (

    select * from ticket_field_values
    union all
    select * from lead_field_values

),

required_fields as (

    select distinct
        field_values.record_kind,
        field_values.record_id,
        field_values.channel,
        field_values.agent_id,
        field_values.source_agent_identity,
        field_values.activity_date,
        field_values.field_name,
        field_values.field_value
    from field_values
    inner join requirements
        on field_values.record_kind = requirements.record_kind
        and field_values.field_name = requirements.field_name
        and requirements.channel in ('any', field_values.channel)
        and (
            requirements.required_when = 'always'
            or (requirements.required_when = 'finished' and field_values.is_finished)
            or (requirements.required_when = 'worked_by_call' and field_values.is_worked_by_call)
        )

),

classified as (

    select
        required_fields.*,
        {{ recording_missing_reason('field_value') }} as missing_reason
    from required_fields

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
