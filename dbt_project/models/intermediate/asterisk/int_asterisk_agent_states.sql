{#
    One row per stretch of time an agent spent in one state while logged in, not yet cut at
    midnight. While a session is open the agent is, in this order of precedence:
      on_contact       connected to a caller (an agent leg)
      after_call_work  wrapping up a leg (int_asterisk_after_call_work)
      paused           in any other pause, with its reason
      available        none of these: waiting for the queue to offer a call
    Outside sessions there is no state. The intervals of each kind become edges (+1 where one
    starts, -1 where one ends); running sums of the edges give what is active between two
    consecutive edges, and consecutive stretches in the same state are merged.

    A leg without its completion event counts as on contact until the agent's next leg or the end
    of the data. A stretch that ends where a session left open was closed at the end of the data
    is flagged `is_closed_at_data_end`.
#}

with

sessions as (

    select * from {{ ref('int_asterisk_agent_sessions') }}

),

pauses as (

    select * from {{ ref('int_asterisk_agent_pauses') }}

),

legs as (

    select * from {{ ref('int_asterisk_connected_legs') }}

),

after_call_work as (

    select * from {{ ref('int_asterisk_after_call_work') }}

),

agent_events as (

    select * from {{ ref('int_asterisk_agent_events') }}

),

data_bounds as (

    select max(data_end_at) as data_end_at
    from agent_events

),

contact_intervals as (

    select
        legs.agent_key,
        legs.connected_at as started_at,
        coalesce(
            legs.ended_at,
            lead(legs.connected_at) over (
                partition by legs.agent_key
                order by legs.connected_at, legs.leg_id
            ),
            data_bounds.data_end_at
        ) as ended_at
    from legs
    cross join data_bounds

),

intervals as (

    select
        agent_key,
        'session' as interval_kind,
        started_at,
        ended_at,
        cast(null as {{ dbt.type_string() }}) as pause_reason,
        is_closed_at_data_end,
        agent_id,
        source_agent_identity
    from sessions

    union all

    select
        agent_key,
        'pause' as interval_kind,
        started_at,
        ended_at,
        pause_reason,
        false as is_closed_at_data_end,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_string() }}) as source_agent_identity
    from pauses

    union all

    select
        agent_key,
        'contact' as interval_kind,
        started_at,
        ended_at,
        cast(null as {{ dbt.type_string() }}) as pause_reason,
        false as is_closed_at_data_end,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_string() }}) as source_agent_identity
    from contact_intervals

    union all

    select
        agent_key,
        'after_call_work' as interval_kind,
        started_at,
        ended_at,
        cast(null as {{ dbt.type_string() }}) as pause_reason,
        false as is_closed_at_data_end,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_string() }}) as source_agent_identity
    from after_call_work

),

edges as (

    select
        agent_key,
        interval_kind,
        started_at as edge_at,
        1 as edge_delta,
        pause_reason,
        is_closed_at_data_end,
        agent_id,
        source_agent_identity
    from intervals
    where ended_at > started_at

    union all

    select
        agent_key,
        interval_kind,
        ended_at as edge_at,
        -1 as edge_delta,
        cast(null as {{ dbt.type_string() }}) as pause_reason,
        false as is_closed_at_data_end,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        cast(null as {{ dbt.type_string() }}) as source_agent_identity
    from intervals
    where ended_at > started_at

),

instants as (

    -- Everything that starts or ends at one instant, per agent.
    select
        agent_key,
        edge_at,
        sum(case when interval_kind = 'session' then edge_delta else 0 end) as session_delta,
        sum(case when interval_kind = 'contact' then edge_delta else 0 end) as contact_delta,
        sum(case when interval_kind = 'after_call_work' then edge_delta else 0 end) as after_call_work_delta,
        sum(case when interval_kind = 'pause' then edge_delta else 0 end) as pause_delta,
        max(case when interval_kind = 'session' and edge_delta = 1 then 1 else 0 end) as is_session_start,
        max(case when interval_kind = 'pause' and edge_delta = 1 then 1 else 0 end) as is_pause_start,
        max(case when interval_kind = 'pause' and edge_delta = 1 then pause_reason end) as started_pause_reason,
        max(
            case when interval_kind = 'session' and edge_delta = 1 and is_closed_at_data_end then 1 else 0 end
        ) as is_started_session_closed_at_data_end,
        max(case when interval_kind = 'session' and edge_delta = 1 then agent_id end) as started_session_agent_id,
        max(
            case when interval_kind = 'session' and edge_delta = 1 then source_agent_identity end
        ) as started_session_identity
    from edges
    group by agent_key, edge_at

),

running as (

    select
        agent_key,
        edge_at as started_at,
        lead(edge_at) over (partition by agent_key order by edge_at) as ended_at,
        sum(session_delta) over (
            partition by agent_key order by edge_at rows between unbounded preceding and current row
        ) as active_sessions,
        sum(contact_delta) over (
            partition by agent_key order by edge_at rows between unbounded preceding and current row
        ) as active_contacts,
        sum(after_call_work_delta) over (
            partition by agent_key order by edge_at rows between unbounded preceding and current row
        ) as active_after_call_work,
        sum(pause_delta) over (
            partition by agent_key order by edge_at rows between unbounded preceding and current row
        ) as active_pauses,
        -- a new number at each session or pause start: the stretches after it share its attributes
        sum(is_session_start) over (
            partition by agent_key order by edge_at rows between unbounded preceding and current row
        ) as session_number,
        sum(is_pause_start) over (
            partition by agent_key order by edge_at rows between unbounded preceding and current row
        ) as pause_number,
        started_pause_reason,
        is_started_session_closed_at_data_end,
        started_session_agent_id,
        started_session_identity
    from instants

),

attributed as (

    select
        running.*,
        max(started_pause_reason) over (partition by agent_key, pause_number) as pause_reason,
        max(is_started_session_closed_at_data_end) over (
            partition by agent_key, session_number
        ) as is_session_closed_at_data_end,
        max(started_session_agent_id) over (partition by agent_key, session_number) as agent_id,
        max(started_session_identity) over (
            partition by agent_key, session_number
        ) as source_agent_identity
    from running

),

stretches as (

    select
        attributed.agent_key,
        attributed.agent_id,
        attributed.source_agent_identity,
        attributed.session_number,
        case
            when attributed.active_contacts > 0 then 'on_contact'
            when attributed.active_after_call_work > 0 then 'after_call_work'
            when attributed.active_pauses > 0 then 'paused'
            else 'available'
        end as agent_state,
        case
            when attributed.active_contacts = 0
                and attributed.active_after_call_work = 0
                and attributed.active_pauses > 0
                then attributed.pause_reason
        end as pause_reason,
        attributed.started_at,
        attributed.ended_at,
        attributed.is_session_closed_at_data_end = 1
            and attributed.ended_at = data_bounds.data_end_at as is_closed_at_data_end
    from attributed
    cross join data_bounds
    where attributed.active_sessions > 0 and attributed.ended_at > attributed.started_at

),

previous as (

    select
        stretches.*,
        lag(ended_at) over (partition by agent_key order by started_at) as previous_ended_at,
        lag(session_number) over (partition by agent_key order by started_at) as previous_session_number,
        lag(agent_state) over (partition by agent_key order by started_at) as previous_agent_state,
        lag(pause_reason) over (partition by agent_key order by started_at) as previous_pause_reason
    from stretches

),

numbered as (

    -- A stretch continues the interval before it when it follows without a gap in the same
    -- session, state and pause reason.
    select
        previous.*,
        sum(
            case
                when previous_ended_at = started_at
                    and previous_session_number = session_number
                    and previous_agent_state = agent_state
                    and coalesce(previous_pause_reason, '') = coalesce(pause_reason, '')
                    then 0
                else 1
            end
        ) over (
            partition by agent_key
            order by started_at
            rows between unbounded preceding and current row
        ) as interval_number
    from previous

),

final as (

    select
        agent_key,
        max(agent_id) as agent_id,
        max(source_agent_identity) as source_agent_identity,
        agent_state,
        max(pause_reason) as pause_reason,
        min(started_at) as started_at,
        max(ended_at) as ended_at,
        max(case when is_closed_at_data_end then 1 else 0 end) = 1 as is_closed_at_data_end
    from numbered
    group by agent_key, interval_number, agent_state

)

select * from final
