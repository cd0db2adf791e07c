with

voice_contacts as (

    select * from {{ ref('int_voice_contacts') }}

),

voice_legs as (

    select * from {{ ref('int_voice_agent_legs') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

first_replies as (

    select * from {{ ref('int_ticket_first_replies') }}

),

ticket_resolution as (

    select * from {{ ref('int_ticket_resolution') }}

),

users as (

    select * from {{ ref('stg_zendesk__users') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}

),

survey_responses as (

    select * from {{ ref('stg_surveys__responses') }}

),

voice_leg_totals as (

    -- Talk, hold and after-call work add up over every agent's leg of the contact. They are
    -- unknown while a leg or its wrap-up is still open.
    select
        contact_id,
        source_system,
        cast(
            case when count(*) = count(talk_seconds) then sum(talk_seconds) end
            as {{ dbt.type_bigint() }}
        ) as talk_seconds,
        cast(
            case when count(*) = count(talk_seconds) then sum(hold_seconds) end
            as {{ dbt.type_bigint() }}
        ) as hold_seconds,
        cast(
            case when count(*) = count(after_call_work_seconds) then sum(after_call_work_seconds) end
            as {{ dbt.type_bigint() }}
        ) as after_call_work_seconds
    from voice_legs
    group by contact_id, source_system

),

last_voice_legs as (

    -- The agent of a voice contact is the agent of its last leg: the one who finished it.
    select
        contact_id,
        source_system,
        agent_identity,
        row_number() over (
            partition by contact_id, source_system
            order by leg_number desc
        ) as leg_number_from_last
    from voice_legs

),

voice_contact_rows as (

    select
        voice_contacts.contact_id,
        voice_contacts.source_system,
        'voice' as channel,
        voice_contacts.queue_name,
        last_voice_legs.agent_identity as source_agent_identity,
        agent_identities.agent_id,
        {{ customer_key(normalize_phone_number('voice_contacts.customer_number'), 'cast(null as ' ~ dbt.type_string() ~ ')') }} as customer_key,
        voice_contacts.started_at,
        voice_contacts.wait_seconds,
        voice_leg_totals.talk_seconds,
        voice_leg_totals.hold_seconds,
        voice_leg_totals.after_call_work_seconds,
        voice_contacts.transfer_count,
        voice_contacts.queue_outcome,
        cast(null as {{ dbt.type_string() }}) as satisfaction_score,
        cast(null as {{ dbt.type_bigint() }}) as first_response_seconds,
        cast(null as {{ dbt.type_bigint() }}) as tracked_handle_seconds,
        voice_contacts.is_answered,
        voice_contacts.is_answered as is_handled,
        voice_contacts.is_abandoned
    from voice_contacts
    left join voice_leg_totals
        on voice_contacts.contact_id = voice_leg_totals.contact_id
        and voice_contacts.source_system = voice_leg_totals.source_system
    left join last_voice_legs
        on voice_contacts.contact_id = last_voice_legs.contact_id
        and voice_contacts.source_system = last_voice_legs.source_system
        and last_voice_legs.leg_number_from_last = 1
    left join agent_identities
        on last_voice_legs.agent_identity = agent_identities.source_identity
        and agent_identities.identity_system = 'telephony'

),

ticket_contacts as (

    select
        {{ dbt.safe_cast('tickets.ticket_id', dbt.type_string()) }} as contact_id,
        'zendesk' as source_system,
        tickets.channel,
        cast(null as {{ dbt.type_string() }}) as queue_name,
        {{ dbt.safe_cast('tickets.assignee_id', dbt.type_string()) }} as source_agent_identity,
        agent_identities.agent_id,
        {{ customer_key('users.phone_number', 'users.email') }} as customer_key,
        tickets.created_at as started_at,
        cast(null as {{ dbt.type_bigint() }}) as wait_seconds,
        cast(null as {{ dbt.type_bigint() }}) as talk_seconds,
        cast(null as {{ dbt.type_bigint() }}) as hold_seconds,
        cast(null as {{ dbt.type_bigint() }}) as after_call_work_seconds,
        cast(null as {{ dbt.type_bigint() }}) as transfer_count,
        tickets.status as queue_outcome,
        tickets.satisfaction_score,
        -- dbt.datediff is a bigint on DuckDB but a double precision on PostgreSQL.
        cast(
            {{ dbt.datediff('tickets.created_at', 'first_replies.first_agent_reply_at', 'second') }}
            as {{ dbt.type_bigint() }}
        ) as first_response_seconds,
        tickets.tracked_handle_seconds,
        first_replies.first_agent_reply_at is not null as is_answered,
        tickets.assignee_id is not null as is_handled,
        false as is_abandoned
    from tickets
    left join first_replies
        on tickets.ticket_id = first_replies.ticket_id
    left join users
        on tickets.requester_id = users.user_id
    left join agent_identities
        on {{ dbt.safe_cast('tickets.assignee_id', dbt.type_string()) }} = agent_identities.source_identity
        and agent_identities.identity_system = 'zendesk'
    {% if not var('count_voice_tickets_as_contacts') %}
    where tickets.channel <> 'voice'
    {% endif %}

),

requester_tickets as (

    -- Tickets of the voice channel record calls that queue_log counts: such a call is a repeat
    -- through the customer's number, as any contact, not through its ticket.
    select
        {{ dbt.safe_cast('ticket_id', dbt.type_string()) }} as contact_id,
        ticket_id,
        requester_id,
        created_at
    from tickets
    {% if not var('count_voice_tickets_as_contacts') %}
    where channel <> 'voice'
    {% endif %}

),

repeat_tickets as (

    -- Another ticket of the same Zendesk requester within fcr_window_days is a repeat, even when
    -- the requester has no phone number or address to match as a customer.
    select distinct
        earlier.contact_id
    from requester_tickets as earlier
    inner join requester_tickets as later
        on earlier.requester_id = later.requester_id
        and earlier.ticket_id <> later.ticket_id
        and (
            later.created_at > earlier.created_at
            or (later.created_at = earlier.created_at and later.ticket_id > earlier.ticket_id)
        )
        and later.created_at <= {{ dbt.dateadd('day', var('fcr_window_days'), 'earlier.created_at') }}

),

ticket_outcomes as (

    select
        {{ dbt.safe_cast('ticket_resolution.ticket_id', dbt.type_string()) }} as contact_id,
        ticket_resolution.solved_at,
        ticket_resolution.is_reopened,
        ticket_resolution.reopen_count,
        ticket_resolution.is_one_touch,
        ticket_resolution.first_response_business_minutes,
        ticket_resolution.resolution_seconds,
        ticket_resolution.resolution_business_minutes,
        repeat_tickets.contact_id is not null as has_repeat_ticket
    from ticket_resolution
    left join repeat_tickets
        on {{ dbt.safe_cast('ticket_resolution.ticket_id', dbt.type_string()) }} = repeat_tickets.contact_id

),

unioned as (

    select * from voice_contact_rows
    union all
    select * from ticket_contacts

),

latest_survey_responses as (

    -- A customer who answers the same survey twice for one contact counts once: the latest answer.
    select
        contact_ref,
        survey_type,
        score,
        row_number() over (
            partition by contact_ref, survey_type
            order by submitted_at desc, response_id desc
        ) as response_number
    from survey_responses

),

survey_scores as (

    select
        contact_ref,
        max(case when survey_type = 'csat' then score end) as csat_score,
        max(case when survey_type = 'nps' then score end) as nps_score
    from latest_survey_responses
    where response_number = 1
    group by contact_ref

),

localized as (

    select
        unioned.*,
        agents.team,
        coalesce(agents.site_timezone, '{{ var("default_timezone") }}') as site_timezone,
        survey_scores.csat_score,
        survey_scores.nps_score
    from unioned
    left join agents
        on unioned.agent_id = agents.agent_id
    left join survey_scores
        on unioned.contact_id = survey_scores.contact_ref

),

measured as (

    select
        localized.*,
        cast({{ utc_to_local('started_at', 'site_timezone') }} as date) as started_date,
        case
            -- a call still in progress when the data ends (a leg or wrap-up open, or the caller
            -- back in a queue) has no handle time yet: AHT leaves it out
            when channel = 'voice' and source_system <> 'zendesk' and is_handled
                and queue_outcome <> 'answered_in_progress'
                then talk_seconds + hold_seconds + after_call_work_seconds
            when source_system = 'zendesk' and is_handled
                then tracked_handle_seconds
        end as handle_seconds,
        is_abandoned and coalesce(wait_seconds, 0) < {{ var('short_abandon_seconds') }} as is_short_abandon,
        -- A survey score wins over the Zendesk rating where a customer gave both.
        case
            when csat_score is not null then csat_score >= {{ var('csat_satisfied_min_score') }}
            when satisfaction_score = 'good' then true
            when satisfaction_score = 'bad' then false
        end as is_csat_satisfied
    from localized

),

repeat_contacts as (

    -- A handled contact is resolved at first contact when the same customer has no other contact,
    -- on any channel and short abandons aside, starting within fcr_window_days after it.
    select distinct
        earlier.contact_id
    from measured as earlier
    inner join measured as later
        on earlier.customer_key = later.customer_key
        and earlier.contact_id <> later.contact_id
        and not later.is_short_abandon
        and (
            later.started_at > earlier.started_at
            or (later.started_at = earlier.started_at and later.contact_id > earlier.contact_id)
        )
        and later.started_at <= {{ dbt.dateadd('day', var('fcr_window_days'), 'earlier.started_at') }}
    where earlier.is_handled

),

final as (

    select
        -- ids
        measured.contact_id,
        measured.source_system,
        measured.channel,
        measured.queue_name,
        measured.agent_id,
        measured.source_agent_identity,
        measured.team,
        measured.customer_key,
        measured.queue_outcome,

        -- timestamps and local day
        measured.started_at,
        measured.site_timezone,
        measured.started_date,

        -- durations
        measured.wait_seconds,
        measured.talk_seconds,
        measured.hold_seconds,
        measured.after_call_work_seconds,
        measured.handle_seconds,
        measured.first_response_seconds,
        ticket_outcomes.first_response_business_minutes,
        ticket_outcomes.resolution_seconds,
        ticket_outcomes.resolution_business_minutes,
        measured.transfer_count,

        -- outcomes
        measured.is_handled,
        measured.is_answered,
        measured.is_abandoned,
        measured.is_short_abandon,
        case
            -- A ticket is resolved at first contact when it was solved without a reopen and no
            -- repeat followed: neither a ticket of the same requester nor any contact of the
            -- same customer. An unsolved ticket without a repeat yet is unknown.
            when measured.source_system = 'zendesk' then
                case
                    when not measured.is_handled then null
                    when ticket_outcomes.is_reopened then false
                    when ticket_outcomes.has_repeat_ticket or repeat_contacts.contact_id is not null then false
                    when ticket_outcomes.solved_at is null then null
                    else true
                end
            when not measured.is_handled or measured.customer_key is null then null
            else repeat_contacts.contact_id is null
        end as is_first_contact_resolution,
        ticket_outcomes.reopen_count,
        ticket_outcomes.is_one_touch as is_one_touch_resolution,

        -- satisfaction
        measured.csat_score,
        measured.is_csat_satisfied,
        measured.nps_score

    from measured
    left join repeat_contacts
        on measured.contact_id = repeat_contacts.contact_id
    left join ticket_outcomes
        on measured.source_system = 'zendesk'
        and measured.contact_id = ticket_outcomes.contact_id

)

select * from final
