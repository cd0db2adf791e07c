{#
    One row per agent, local day and channel with SLA metrics decided that day: the counts
    agent_daily_kpis turns into sla_met_rate. The day and channel are the ticket's in
    fct_contacts (creation day in the agent's site time zone), through marts.sla_compliance, so
    the rate covers the same tickets as the agent's other ticket KPIs. A metric is due once it is
    met or breached; one still in progress within its target, or cancelled by a solve without a
    reply, is not due.
#}

with

sla_compliance as (

    select * from {{ ref('sla_compliance') }}

),

final as (

    select
        agent_id,
        started_date as activity_date,
        channel,
        cast(count(is_breached) as {{ dbt.type_bigint() }}) as sla_metrics_due,
        cast(sum(case when not is_breached then 1 else 0 end) as {{ dbt.type_bigint() }}) as sla_metrics_met
    from sla_compliance
    where agent_id is not null
    group by agent_id, started_date, channel
    having count(is_breached) > 0

)

select * from final
