{#
    One row per agent leg of a call: the time one agent was connected to the caller, from the
    agent's CONNECT to the completion event that ended it. A leg ends with COMPLETEAGENT or
    COMPLETECALLER (the call ended), or with a transfer (the call went on with another agent or
    queue under the same call id). Data fields are positional per event:

      CONNECT           holdtime | bridged channel uniqueid | ringtime
      COMPLETEAGENT     holdtime | calltime | origposition             (COMPLETECALLER the same)
      TRANSFER          extension | context | holdtime | calltime | origposition  (Asterisk 11 and older)
      BLINDTRANSFER     extension | context | holdtime | calltime | origposition  (Asterisk 12 and newer)
      ATTENDEDTRANSFER  BRIDGE | bridge uniqueid | holdtime | calltime | origposition
                        APP | application | holdtime | calltime | origposition
                        LINK | channel 1 | channel 2 | holdtime | calltime | origposition

    `holdtime` is the caller's wait in the queue before this agent answered, `calltime` the
    seconds connected. A completion without a CONNECT of the same agent before it (an attended
    transfer can log none) is a leg of its own that started `calltime` seconds before it.
    A CONNECT without a completion after it is a leg still in progress: it has no end yet.
#}

with

events as (

    select * from {{ ref('stg_asterisk__queue_log_events') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}
    where identity_system = 'telephony'

),

leg_events as (

    select
        events.*,
        case
            when event_name in ('COMPLETEAGENT', 'COMPLETECALLER') then data1
            when event_name = 'ATTENDEDTRANSFER' and data1 = 'LINK' then data4
            when event_name <> 'CONNECT' then data3
        end as completion_holdtime,
        case
            when event_name in ('COMPLETEAGENT', 'COMPLETECALLER') then data2
            when event_name = 'ATTENDEDTRANSFER' and data1 = 'LINK' then data5
            when event_name <> 'CONNECT' then data4
        end as completion_calltime
    from events
    where
        call_id is not null
        and call_id <> 'NONE'
        and agent_identity is not null
        and event_name in (
            'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER',
            'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'
        )

),

sequenced as (

    -- Each agent's events within one call, in order: a completion pairs with the CONNECT just
    -- before it.
    select
        leg_events.*,
        lag(event_name) over (
            partition by call_id, agent_identity
            order by event_at, source_file, source_line
        ) as previous_event_name,
        lag(event_at) over (
            partition by call_id, agent_identity
            order by event_at, source_file, source_line
        ) as previous_event_at,
        lag(data1) over (
            partition by call_id, agent_identity
            order by event_at, source_file, source_line
        ) as previous_data1,
        lag(queue_name) over (
            partition by call_id, agent_identity
            order by event_at, source_file, source_line
        ) as previous_queue_name,
        lead(event_name) over (
            partition by call_id, agent_identity
            order by event_at, source_file, source_line
        ) as next_event_name
    from leg_events

),

completed_legs as (

    select
        call_id,
        agent_identity,
        case
            when previous_event_name = 'CONNECT' then coalesce(previous_queue_name, queue_name)
            else queue_name
        end as queue_name,
        case
            when previous_event_name = 'CONNECT' then previous_event_at
            else {{ dbt.dateadd(
                'second',
                '-1 * ' ~ dbt.safe_cast('completion_calltime', dbt.type_bigint()),
                'event_at'
            ) }}
        end as connected_at,
        event_at as ended_at,
        {{ dbt.safe_cast(
            "case when previous_event_name = 'CONNECT' then previous_data1 else completion_holdtime end",
            dbt.type_bigint()
        ) }} as wait_seconds,
        {{ dbt.safe_cast('completion_calltime', dbt.type_bigint()) }} as talk_seconds,
        lower(event_name) as end_reason,
        event_name in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER') as is_transferred_out,
        source_file,
        source_line
    from sequenced
    where event_name <> 'CONNECT'

),

open_legs as (

    select
        call_id,
        agent_identity,
        queue_name,
        event_at as connected_at,
        cast(null as {{ dbt.type_timestamp() }}) as ended_at,
        {{ dbt.safe_cast('data1', dbt.type_bigint()) }} as wait_seconds,
        cast(null as {{ dbt.type_bigint() }}) as talk_seconds,
        cast(null as {{ dbt.type_string() }}) as end_reason,
        false as is_transferred_out,
        source_file,
        source_line
    from sequenced
    where event_name = 'CONNECT' and coalesce(next_event_name, 'CONNECT') = 'CONNECT'

),

legs as (

    select * from completed_legs
    union all
    select * from open_legs

),

numbered as (

    select
        legs.*,
        row_number() over (
            partition by call_id
            order by connected_at, ended_at, source_file, source_line
        ) as leg_number
    from legs

),

final as (

    select
        -- ids
        numbered.call_id as contact_id,
        {{ dbt.concat([
            'numbered.call_id',
            "'#'",
            dbt.safe_cast('numbered.leg_number', dbt.type_string())
        ]) }} as leg_id,
        cast(numbered.leg_number as {{ dbt.type_int() }}) as leg_number,
        numbered.queue_name,
        numbered.agent_identity,
        agent_identities.agent_id,
        case
            when agent_identities.agent_id is not null
                then {{ dbt.concat(["'agent:'", 'agent_identities.agent_id']) }}
            else {{ dbt.concat(["'identity:'", 'numbered.agent_identity']) }}
        end as agent_key,

        -- timestamps
        numbered.connected_at,
        numbered.ended_at,

        -- durations
        numbered.wait_seconds,
        numbered.talk_seconds,

        -- outcome
        numbered.end_reason,
        numbered.is_transferred_out

    from numbered
    left join agent_identities
        on numbered.agent_identity = agent_identities.source_identity

)

select * from final
