{#
    One row per pause of an agent, from PAUSE, PAUSEALL and ADDMEMBER with data `PAUSED` (a member
    added already paused) until the agent's next pause event (UNPAUSE, UNPAUSEALL, or a PAUSE that
    changes the reason), the end of the session or, failing both, the end of the data.

    app_queue logs one pause once per queue the agent is a member of, and with PAUSEALL besides
    when the pause applies to every queue; only the PAUSE lines carry the reason. The same action
    of the same agent in the same second is therefore one pause.

    NOTE: a pause or unpause in some queues only is read as the agent's pause or unpause in all.
#}

with

agent_events as (

    select * from {{ ref('int_asterisk_agent_events') }}

),

sessions as (

    select * from {{ ref('int_asterisk_agent_sessions') }}

),

data_bounds as (

    select max(data_end_at) as data_end_at
    from agent_events

),

pause_events as (

    select
        agent_key,
        agent_id,
        agent_identity,
        case
            when event_name in ('UNPAUSE', 'UNPAUSEALL') then 'unpause'
            else 'pause'
        end as pause_action,
        case when event_name = 'PAUSE' then nullif(trim(data1), '') end as pause_reason,
        event_at,
        event_sequence
    from agent_events
    where
        event_name in ('PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL')
        or (event_name = 'ADDMEMBER' and data1 = 'PAUSED')

),

deduplicated as (

    select
        agent_key,
        max(agent_id) as agent_id,
        min(agent_identity) as agent_identity,
        pause_action,
        max(pause_reason) as pause_reason,
        event_at,
        min(event_sequence) as event_sequence
    from pause_events
    group by agent_key, pause_action, event_at

),

sequenced as (

    select
        deduplicated.*,
        lead(event_at) over (
            partition by agent_key
            order by event_at, event_sequence
        ) as next_pause_event_at
    from deduplicated

),

pause_starts as (

    select
        sequenced.*,
        sessions.ended_at as session_ended_at,
        sessions.is_closed_at_data_end as is_session_closed_at_data_end
    from sequenced
    left join sessions
        on sequenced.agent_key = sessions.agent_key
        and sequenced.event_at >= sessions.started_at
        and sequenced.event_at < sessions.ended_at
    where sequenced.pause_action = 'pause'

),

bounded as (

    select
        pause_starts.*,
        case
            when next_pause_event_at is not null
                and (session_ended_at is null or next_pause_event_at <= session_ended_at)
                then 'next pause event'
            when session_ended_at is not null then 'session end'
            else 'data end'
        end as end_source,
        data_bounds.data_end_at
    from pause_starts
    cross join data_bounds

),

final as (

    select
        agent_key,
        agent_id,
        agent_identity,
        pause_reason,
        coalesce(
            lower(pause_reason) in (
                {%- for reason in var('wrapup_pause_reasons') %}
                '{{ reason | lower }}'{{ ',' if not loop.last }}
                {%- endfor %}
            ),
            false
        ) as is_wrapup_reason,
        event_at as started_at,
        case end_source
            when 'next pause event' then next_pause_event_at
            when 'session end' then session_ended_at
            else data_end_at
        end as ended_at,
        case end_source
            when 'next pause event' then false
            when 'session end' then is_session_closed_at_data_end
            else true
        end as is_closed_at_data_end
    from bounded

)

select * from final
