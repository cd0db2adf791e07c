{#
    One row per queue_log event about an agent rather than a call: logins, queue membership,
    pauses, wrap-up starts and rings the agent let go unanswered, with the agent resolved to the
    roster. queue_log names an agent by member name in most events but by interface in PAUSEALL,
    UNPAUSEALL and AGENTLOGIN, so both must be on the roster (`telephony_ids`) for the events to
    meet under one `agent_key`.
#}

with

events as (

    select * from {{ ref('stg_asterisk__queue_log_events') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}
    where identity_system = 'telephony'

),

data_bounds as (

    -- Sessions and pauses still open when the data ends are closed at its last event of any kind.
    select max(event_at) as data_end_at
    from events

),

agent_events as (

    select * from events
    where
        agent_identity is not null
        and event_name in (
            'AGENTLOGIN', 'AGENTLOGOFF', 'ADDMEMBER', 'REMOVEMEMBER',
            'PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL', 'WRAPUPSTART', 'RINGNOANSWER'
        )

),

final as (

    select
        -- ids
        agent_events.event_key,
        agent_events.call_id,
        agent_events.queue_name,
        agent_events.agent_identity,
        agent_identities.agent_id,
        -- one key per person: the roster agent, or the identity itself when the roster lacks it
        case
            when agent_identities.agent_id is not null
                then {{ dbt.concat(["'agent:'", 'agent_identities.agent_id']) }}
            else {{ dbt.concat(["'identity:'", 'agent_events.agent_identity']) }}
        end as agent_key,
        agent_events.event_name,

        -- positional event data
        agent_events.data1,
        agent_events.data2,

        -- timestamps and order
        agent_events.event_at,
        row_number() over (
            order by agent_events.event_at, agent_events.source_file, agent_events.source_line
        ) as event_sequence,
        data_bounds.data_end_at

    from agent_events
    cross join data_bounds
    left join agent_identities
        on agent_events.agent_identity = agent_identities.source_identity

)

select * from final
