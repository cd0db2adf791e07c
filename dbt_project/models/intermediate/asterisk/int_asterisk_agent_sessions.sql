{#
    One row per logged-in session of an agent: the time the agent was a member of at least one
    queue (ADDMEMBER to REMOVEMEMBER, per queue) or logged in as an agent (AGENTLOGIN to
    AGENTLOGOFF). Memberships that overlap or touch make one session. A membership with no end in
    the data is closed at the data's last event and the session flagged, not dropped.

    NOTE: static members (listed in queues.conf) write no membership events, so they have no
    sessions; and a session that began before the first line of the data (its login is in an
    older, missing file) is not rebuilt from its logoff.
#}

with

agent_events as (

    select * from {{ ref('int_asterisk_agent_events') }}

),

data_bounds as (

    select max(data_end_at) as data_end_at
    from agent_events

),

membership_events as (

    -- Each queue is tracked on its own, and the agent login apart from every queue.
    select
        agent_key,
        agent_id,
        agent_identity,
        case
            when event_name in ('AGENTLOGIN', 'AGENTLOGOFF') then 'agent login'
            else {{ dbt.concat(["'queue '", 'queue_name']) }}
        end as membership,
        event_name in ('AGENTLOGIN', 'ADDMEMBER') as is_start,
        event_at,
        event_sequence
    from agent_events
    where event_name in ('AGENTLOGIN', 'AGENTLOGOFF', 'ADDMEMBER', 'REMOVEMEMBER')

),

sequenced as (

    select
        membership_events.*,
        lag(is_start) over (
            partition by agent_key, membership
            order by event_at, event_sequence
        ) as previous_is_start
    from membership_events

),

boundaries as (

    -- A repeated start (ADDMEMBER to a queue the agent is already in) or a repeated end changes
    -- nothing. What is left alternates: an opening start, then its closing end.
    select * from sequenced
    where
        (is_start and coalesce(previous_is_start, false) = false)
        or (not is_start and coalesce(previous_is_start, false))

),

paired as (

    select
        boundaries.*,
        lead(event_at) over (
            partition by agent_key, membership
            order by event_at, event_sequence
        ) as closing_event_at
    from boundaries

),

memberships as (

    select
        paired.agent_key,
        paired.agent_id,
        paired.agent_identity,
        paired.event_at as started_at,
        coalesce(paired.closing_event_at, data_bounds.data_end_at) as ended_at,
        paired.closing_event_at is null as is_closed_at_data_end,
        paired.event_sequence
    from paired
    cross join data_bounds
    where paired.is_start

),

islands as (

    -- A membership that starts after every earlier one of the agent has ended starts a session.
    select
        memberships.*,
        max(ended_at) over (
            partition by agent_key
            order by started_at, event_sequence
            rows between unbounded preceding and 1 preceding
        ) as earlier_memberships_ended_at
    from memberships

),

numbered as (

    select
        islands.*,
        sum(
            case
                when earlier_memberships_ended_at is null or started_at > earlier_memberships_ended_at
                    then 1
                else 0
            end
        ) over (
            partition by agent_key
            order by started_at, event_sequence
            rows between unbounded preceding and current row
        ) as session_number,
        row_number() over (
            partition by agent_key
            order by started_at, event_sequence
        ) as membership_number
    from islands

),

first_memberships as (

    -- The identity that opened the session names it.
    select
        agent_key,
        session_number,
        agent_identity,
        row_number() over (
            partition by agent_key, session_number
            order by membership_number
        ) as membership_in_session
    from numbered

),

final as (

    select
        numbered.agent_key,
        max(numbered.agent_id) as agent_id,
        max(first_memberships.agent_identity) as source_agent_identity,
        numbered.session_number,
        min(numbered.started_at) as started_at,
        max(numbered.ended_at) as ended_at,
        -- an open membership ends at the data's end, which is then the session's end too
        max(case when numbered.is_closed_at_data_end then 1 else 0 end) = 1 as is_closed_at_data_end
    from numbered
    left join first_memberships
        on numbered.agent_key = first_memberships.agent_key
        and numbered.session_number = first_memberships.session_number
        and first_memberships.membership_in_session = 1
    group by numbered.agent_key, numbered.session_number

)

select * from final
