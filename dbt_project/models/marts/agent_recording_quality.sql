with

checks as (

    select * from {{ ref('int_recording_checks') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

targets as (

    -- One row per record kind from the `recording_completeness_targets` var.
    {%- for record_kind, target_rate in var('recording_completeness_targets').items() %}
    select
        '{{ record_kind }}' as record_kind,
        cast({{ target_rate }} as {{ dbt.type_numeric() }}) as target_completeness_rate
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

agent_checks as (

    -- The grain is a known agent; identities the roster lacks fail the tickets_recording check.
    select * from checks
    where agent_id is not null

),

records as (

    select
        agent_id,
        activity_date,
        record_kind,
        record_id,
        max(case when is_missing then 1 else 0 end) = 0 as is_complete
    from agent_checks
    group by agent_id, activity_date, record_kind, record_id

),

missing_fields as (

    select distinct
        agent_id,
        activity_date,
        record_kind,
        field_name
    from agent_checks
    where is_missing

),

missing_field_lists as (

    select
        agent_id,
        activity_date,
        record_kind,
        {{ dbt.listagg('field_name', "', '", 'order by field_name') }} as missing_field_names
    from missing_fields
    group by agent_id, activity_date, record_kind

),

aggregated as (

    select
        agent_id,
        activity_date,
        record_kind,
        cast(count(*) as {{ dbt.type_bigint() }}) as records_due,
        cast(sum(case when is_complete then 1 else 0 end) as {{ dbt.type_bigint() }}) as records_complete,
        {{ dbt.listagg(
            'case when not is_complete then record_id end',
            "', '",
            'order by record_id'
        ) }} as incomplete_record_ids
    from records
    group by agent_id, activity_date, record_kind

),

final as (

    select
        aggregated.agent_id,
        agents.full_name as agent_name,
        agents.team,
        aggregated.activity_date,
        aggregated.record_kind,
        aggregated.records_due,
        aggregated.records_complete,
        aggregated.records_due - aggregated.records_complete as records_incomplete,
        cast(
            {{ safe_ratio('aggregated.records_complete', 'aggregated.records_due') }}
            as {{ dbt.type_numeric() }}
        ) as completeness_rate,
        targets.target_completeness_rate,
        {{ safe_ratio('aggregated.records_complete', 'aggregated.records_due') }}
            < targets.target_completeness_rate as is_below_target,
        aggregated.incomplete_record_ids,
        missing_field_lists.missing_field_names
    from aggregated
    left join agents
        on aggregated.agent_id = agents.agent_id
    left join targets
        on aggregated.record_kind = targets.record_kind
    left join missing_field_lists
        on aggregated.agent_id = missing_field_lists.agent_id
        and aggregated.activity_date = missing_field_lists.activity_date
        and aggregated.record_kind = missing_field_lists.record_kind

)

select * from final
