{#
    One row per agent leg with after-call work: the wrap-up that followed the leg, from one of
    - a pause whose reason is in `wrapup_pause_reasons`, from its start to its end (see
      int_asterisk_agent_pauses), or
    - a WRAPUPSTART event, which no stock Asterisk writes but some platforms built on it do, read
      as `epoch|callid|queue|agent|WRAPUPSTART|wrapup_seconds`: the agent's wrap-up began at the
      event and lasted `wrapup_seconds`.
    Either belongs to the agent's latest leg when that leg had ended, at most
    `wrapup_pause_max_gap_seconds` earlier. A wrap-up after a longer gap, or while another leg
    of the agent is still connected, belongs to no leg and stays an ordinary pause. When two
    wrap-ups follow one leg, the earlier counts.
#}

with

legs as (

    select * from {{ ref('int_asterisk_connected_legs') }}

),

pauses as (

    select * from {{ ref('int_asterisk_agent_pauses') }}

),

agent_events as (

    select * from {{ ref('int_asterisk_agent_events') }}

),

wrapups as (

    select
        agent_key,
        'wrapup_pause' as wrapup_source,
        started_at,
        ended_at,
        is_closed_at_data_end
    from pauses
    where is_wrapup_reason

    union all

    select
        agent_key,
        'wrapupstart' as wrapup_source,
        event_at as started_at,
        {{ dbt.dateadd('second', dbt.safe_cast('data1', dbt.type_bigint()), 'event_at') }} as ended_at,
        false as is_closed_at_data_end
    from agent_events
    where event_name = 'WRAPUPSTART'

),

numbered_legs as (

    select
        legs.*,
        row_number() over (
            partition by agent_key
            order by connected_at, leg_id
        ) as agent_leg_number
    from legs

),

timeline as (

    -- Legs at their connect time and wrap-ups at their start, so that each wrap-up can look back
    -- to the latest leg connected before it. A leg sorts before a wrap-up in the same second.
    select
        agent_key,
        connected_at as timeline_at,
        0 as timeline_order,
        agent_leg_number,
        cast(null as {{ dbt.type_string() }}) as wrapup_source,
        cast(null as {{ dbt.type_timestamp() }}) as wrapup_started_at,
        cast(null as {{ dbt.type_timestamp() }}) as wrapup_ended_at,
        cast(null as {{ dbt.type_boolean() }}) as is_closed_at_data_end
    from numbered_legs

    union all

    select
        agent_key,
        started_at as timeline_at,
        1 as timeline_order,
        cast(null as {{ dbt.type_bigint() }}) as agent_leg_number,
        wrapup_source,
        started_at as wrapup_started_at,
        ended_at as wrapup_ended_at,
        is_closed_at_data_end
    from wrapups

),

looked_back as (

    select
        timeline.*,
        max(agent_leg_number) over (
            partition by agent_key
            order by timeline_at, timeline_order
            rows between unbounded preceding and current row
        ) as latest_agent_leg_number
    from timeline

),

attached as (

    select
        numbered_legs.leg_id,
        numbered_legs.agent_key,
        looked_back.wrapup_source,
        looked_back.wrapup_started_at,
        looked_back.wrapup_ended_at,
        looked_back.is_closed_at_data_end,
        row_number() over (
            partition by numbered_legs.leg_id
            order by looked_back.wrapup_started_at, looked_back.wrapup_source
        ) as wrapup_number
    from looked_back
    inner join numbered_legs
        on looked_back.agent_key = numbered_legs.agent_key
        and looked_back.latest_agent_leg_number = numbered_legs.agent_leg_number
    where
        looked_back.timeline_order = 1
        and numbered_legs.ended_at <= looked_back.wrapup_started_at
        and {{ dbt.datediff('numbered_legs.ended_at', 'looked_back.wrapup_started_at', 'second') }}
            <= {{ var('wrapup_pause_max_gap_seconds') }}

),

final as (

    select
        leg_id,
        agent_key,
        wrapup_source,
        wrapup_started_at as started_at,
        wrapup_ended_at as ended_at,
        cast(
            {{ dbt.datediff('wrapup_started_at', 'wrapup_ended_at', 'second') }}
            as {{ dbt.type_bigint() }}
        ) as after_call_work_seconds,
        is_closed_at_data_end
    from attached
    where wrapup_number = 1

)

select * from final
