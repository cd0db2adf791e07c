{#
    One row per agent, local day and channel with records due: the hook `agent_daily_kpis` joins
    on (agent_id, activity_date, channel) for `recording_completeness_rate`. Records of an
    assignee the roster does not know have no agent and are left out, as in agent_daily_kpis.
#}

with

checks as (

    select * from {{ ref('int_recording_checks') }}
    where agent_id is not null

),

records as (

    select
        record_kind,
        record_id,
        agent_id,
        activity_date,
        channel,
        max(case when is_missing then 1 else 0 end) = 0 as is_complete
    from checks
    group by record_kind, record_id, agent_id, activity_date, channel

),

final as (

    select
        agent_id,
        activity_date,
        channel,
        cast(count(*) as {{ dbt.type_bigint() }}) as records_due,
        cast(sum(case when is_complete then 1 else 0 end) as {{ dbt.type_bigint() }}) as records_complete
    from records
    group by agent_id, activity_date, channel

)

select * from final
