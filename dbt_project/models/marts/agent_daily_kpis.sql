{% set seconds_per_hour = 3600 %}

with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

agent_legs as (

    select * from {{ ref('fct_agent_legs') }}

),

state_intervals as (

    select * from {{ ref('agent_state_intervals') }}

),

agent_events as (

    select * from {{ ref('int_asterisk_agent_events') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

sla_results as (

    select * from {{ ref('int_agent_daily_sla') }}

),

recording_results as (

    select * from {{ ref('int_agent_daily_recording') }}

),

-- Handled work: one row per agent, local day, channel and contact. Identities the roster does
-- not know stay in fct_contacts and fct_agent_legs with a null agent_id; the agent_identities
-- check names them.

leg_work as (

    -- A voice contact counts for every agent who had a leg in it, with only that agent's own legs'
    -- handle time, on the local day the leg connected.
    select
        agent_id,
        connected_date as activity_date,
        'voice' as channel,
        source_system,
        contact_id,
        case when count(*) = count(handle_seconds) then sum(handle_seconds) end as handle_seconds
    from agent_legs
    where agent_id is not null
    group by agent_id, connected_date, source_system, contact_id

),

contacts_with_legs as (

    select distinct
        source_system,
        contact_id
    from agent_legs

),

contact_work as (

    -- Contacts without agent legs (tickets) count for their agent on the day they started.
    select
        contacts.agent_id,
        contacts.started_date as activity_date,
        contacts.channel,
        contacts.source_system,
        contacts.contact_id,
        contacts.handle_seconds
    from contacts
    left join contacts_with_legs
        on contacts.source_system = contacts_with_legs.source_system
        and contacts.contact_id = contacts_with_legs.contact_id
    where
        contacts.is_handled
        and contacts.agent_id is not null
        and contacts_with_legs.contact_id is null

),

handled_work as (

    select * from leg_work
    union all
    select * from contact_work

),

handling as (

    select
        agent_id,
        activity_date,
        channel,
        cast(count(*) as {{ dbt.type_bigint() }}) as contacts_handled,
        sum(handle_seconds) as handle_seconds_total,
        count(handle_seconds) as contacts_with_handle_time
    from handled_work
    group by agent_id, activity_date, channel

),

outcomes as (

    -- FCR, satisfaction and first response count for the contact's agent (for a voice contact,
    -- the agent of its last leg) on the day the contact started.
    select
        agent_id,
        started_date as activity_date,
        channel,
        cast(sum(case when is_first_contact_resolution then 1 else 0 end) as {{ dbt.type_bigint() }}) as first_contact_resolutions,
        count(is_first_contact_resolution) as fcr_eligible_contacts,
        cast(sum(case when is_csat_satisfied then 1 else 0 end) as {{ dbt.type_bigint() }}) as csat_satisfied_responses,
        count(is_csat_satisfied) as csat_responses,
        cast(sum(
            case when nps_score >= {{ var('nps_promoter_min_score') }} then 1 else 0 end
        ) as {{ dbt.type_bigint() }}) as nps_promoters,
        cast(sum(
            case when nps_score <= {{ var('nps_detractor_max_score') }} then 1 else 0 end
        ) as {{ dbt.type_bigint() }}) as nps_detractors,
        count(nps_score) as nps_responses,
        sum(first_response_seconds) as first_response_seconds_total,
        count(first_response_seconds) as contacts_with_first_response
    from contacts
    where is_handled and agent_id is not null
    group by agent_id, started_date, channel

),

ring_no_answer_days as (

    select
        agent_events.agent_id,
        cast({{ utc_to_local(
            'agent_events.event_at',
            "coalesce(agents.site_timezone, '" ~ var('default_timezone') ~ "')"
        ) }} as date) as activity_date
    from agent_events
    left join agents
        on agent_events.agent_id = agents.agent_id
    where agent_events.event_name = 'RINGNOANSWER' and agent_events.agent_id is not null

),

ring_no_answers as (

    -- Offers the agent let ring out, on the local day the ringing stopped.
    select
        agent_id,
        activity_date,
        'voice' as channel,
        cast(count(*) as {{ dbt.type_bigint() }}) as ring_no_answer_count
    from ring_no_answer_days
    group by agent_id, activity_date

),

states as (

    -- Logged-in time comes from the queue system, so it belongs to the voice channel.
    select
        agent_id,
        activity_date,
        'voice' as channel,
        cast(sum(duration_seconds) as {{ dbt.type_bigint() }}) as logged_in_seconds,
        cast(sum(case when agent_state = 'available' then duration_seconds else 0 end) as {{ dbt.type_bigint() }}) as available_seconds,
        cast(sum(case when agent_state = 'on_contact' then duration_seconds else 0 end) as {{ dbt.type_bigint() }}) as on_contact_seconds,
        cast(sum(case when agent_state = 'after_call_work' then duration_seconds else 0 end) as {{ dbt.type_bigint() }}) as after_call_work_seconds,
        cast(sum(case when agent_state = 'paused' then duration_seconds else 0 end) as {{ dbt.type_bigint() }}) as paused_seconds
    from state_intervals
    where agent_id is not null
    group by agent_id, activity_date

),

queue_log_agent_days as (

    -- Agent-days the queue_log covers: an Asterisk leg, a state interval or a ring-out. The
    -- queue_log logs every offer that rings out, so such a day without RINGNOANSWER had none.
    -- Amazon Connect records count a contact's missed offers without naming the agents, so a
    -- day with only Connect legs is not covered, and neither is one with only recording work.
    select
        agent_id,
        connected_date as activity_date,
        'voice' as channel
    from agent_legs
    where agent_id is not null and source_system = 'asterisk'
    union
    select agent_id, activity_date, channel from states
    union
    select agent_id, activity_date, channel from ring_no_answers

),

agent_days as (

    select agent_id, activity_date, channel from handling
    union
    select agent_id, activity_date, channel from outcomes
    union
    select agent_id, activity_date, channel from ring_no_answers
    union
    select agent_id, activity_date, channel from states
    union
    select agent_id, activity_date, channel from sla_results
    union
    select agent_id, activity_date, channel from recording_results

),

joined as (

    select
        agent_days.agent_id,
        agent_days.activity_date,
        agent_days.channel,
        agents.team,
        coalesce(handling.contacts_handled, 0) as contacts_handled,
        handling.handle_seconds_total,
        handling.contacts_with_handle_time,
        outcomes.first_contact_resolutions,
        coalesce(outcomes.fcr_eligible_contacts, 0) as fcr_eligible_contacts,
        outcomes.csat_satisfied_responses,
        coalesce(outcomes.csat_responses, 0) as csat_responses,
        outcomes.nps_promoters,
        outcomes.nps_detractors,
        coalesce(outcomes.nps_responses, 0) as nps_responses,
        outcomes.first_response_seconds_total,
        outcomes.contacts_with_first_response,
        ring_no_answers.ring_no_answer_count,
        queue_log_agent_days.agent_id is not null as is_covered_by_queue_log,
        states.logged_in_seconds,
        states.available_seconds,
        states.on_contact_seconds,
        states.after_call_work_seconds,
        states.paused_seconds,
        coalesce(sla_results.sla_metrics_due, 0) as sla_metrics_due,
        sla_results.sla_metrics_met,
        coalesce(recording_results.records_due, 0) as records_due,
        recording_results.records_complete
    from agent_days
    left join agents
        on agent_days.agent_id = agents.agent_id
    left join handling
        on agent_days.agent_id = handling.agent_id
        and agent_days.activity_date = handling.activity_date
        and agent_days.channel = handling.channel
    left join outcomes
        on agent_days.agent_id = outcomes.agent_id
        and agent_days.activity_date = outcomes.activity_date
        and agent_days.channel = outcomes.channel
    left join ring_no_answers
        on agent_days.agent_id = ring_no_answers.agent_id
        and agent_days.activity_date = ring_no_answers.activity_date
        and agent_days.channel = ring_no_answers.channel
    left join queue_log_agent_days
        on agent_days.agent_id = queue_log_agent_days.agent_id
        and agent_days.activity_date = queue_log_agent_days.activity_date
        and agent_days.channel = queue_log_agent_days.channel
    left join states
        on agent_days.agent_id = states.agent_id
        and agent_days.activity_date = states.activity_date
        and agent_days.channel = states.channel
    left join sla_results
        on agent_days.agent_id = sla_results.agent_id
        and agent_days.activity_date = sla_results.activity_date
        and agent_days.channel = sla_results.channel
    left join recording_results
        on agent_days.agent_id = recording_results.agent_id
        and agent_days.activity_date = recording_results.activity_date
        and agent_days.channel = recording_results.channel

),

final as (

    select
        -- ids
        agent_id,
        activity_date,
        channel,
        team,

        -- handling
        cast(contacts_handled as {{ dbt.type_bigint() }}) as contacts_handled,
        cast(
            {{ safe_ratio('handle_seconds_total', 'contacts_with_handle_time') }}
            as {{ dbt.type_numeric() }}
        ) as aht_seconds,

        -- outcomes
        cast(
            {{ safe_ratio('first_contact_resolutions', 'fcr_eligible_contacts') }}
            as {{ dbt.type_numeric() }}
        ) as fcr_rate,
        cast(fcr_eligible_contacts as {{ dbt.type_bigint() }}) as fcr_eligible_contacts,
        cast(
            {{ safe_ratio('csat_satisfied_responses', 'csat_responses') }}
            as {{ dbt.type_numeric() }}
        ) as csat_rate,
        cast(csat_responses as {{ dbt.type_bigint() }}) as csat_responses,
        cast(
            {{ safe_ratio('100 * (nps_promoters - nps_detractors)', 'nps_responses') }}
            as {{ dbt.type_numeric() }}
        ) as nps,
        cast(nps_responses as {{ dbt.type_bigint() }}) as nps_responses,
        cast(
            {{ safe_ratio('first_response_seconds_total', 'contacts_with_first_response') }}
            as {{ dbt.type_numeric() }}
        ) as first_response_seconds_avg,

        -- voice: offers and agent states
        case
            when is_covered_by_queue_log then coalesce(ring_no_answer_count, 0)
        end as ring_no_answer_count,
        logged_in_seconds,
        paused_seconds,
        available_seconds,
        on_contact_seconds,
        after_call_work_seconds,
        cast(
            {{ safe_ratio(
                'on_contact_seconds + after_call_work_seconds',
                'on_contact_seconds + after_call_work_seconds + available_seconds'
            ) }}
            as {{ dbt.type_numeric() }}
        ) as occupancy_rate,
        cast(
            {{ safe_ratio('contacts_handled * ' ~ seconds_per_hour, 'logged_in_seconds') }}
            as {{ dbt.type_numeric() }}
        ) as contacts_per_logged_in_hour,

        -- tickets: SLA compliance (marts.sla_compliance, by the ticket's creation day)
        cast(sla_metrics_due as {{ dbt.type_bigint() }}) as sla_metrics_due,
        cast({{ safe_ratio('sla_metrics_met', 'sla_metrics_due') }} as {{ dbt.type_numeric() }}) as sla_met_rate,

        -- recording completeness (marts.agent_recording_quality, by record and channel)
        cast(records_due as {{ dbt.type_bigint() }}) as records_due,
        cast(
            {{ safe_ratio('records_complete', 'records_due') }}
            as {{ dbt.type_numeric() }}
        ) as recording_completeness_rate

    from joined

)

select * from final
