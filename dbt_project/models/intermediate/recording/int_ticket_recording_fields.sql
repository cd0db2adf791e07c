{#
    One row per Zendesk ticket: the fields agents must record on it, as written (blanks and
    placeholders stay visible), whether it is finished, and the agent and local day it counts for.

    The resolution note is the agent's internal note: a private comment by an agent after the
    opening comment. The opening comment is the ticket's description (for Zendesk Talk, the call
    details Zendesk writes), never the agent's note. Where an agent wrote several notes, the latest
    filled one counts; a ticket whose notes are all blank or placeholders keeps the latest of them,
    so the note counts as missing.
#}

with

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

comments as (

    select * from {{ ref('stg_zendesk__ticket_comments') }}

),

users as (

    select * from {{ ref('stg_zendesk__users') }}

),

agents as (

    select * from {{ ref('stg_roster__agents') }}

),

agent_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}
    where identity_system = 'zendesk'

),

numbered_comments as (

    select
        comments.*,
        row_number() over (
            partition by ticket_id
            order by created_at, comment_id
        ) as comment_number
    from comments

),

private_agent_notes as (

    -- An author is an agent when Zendesk gives them the agent or admin role, or the roster lists
    -- their user id, as for first replies.
    select
        numbered_comments.ticket_id,
        numbered_comments.comment_id,
        numbered_comments.body,
        numbered_comments.created_at,
        {{ recording_missing_reason('numbered_comments.body') }} is null as is_filled
    from numbered_comments
    left join users
        on numbered_comments.author_id = users.user_id
    left join agent_identities
        on {{ dbt.safe_cast('numbered_comments.author_id', dbt.type_string()) }} = agent_identities.source_identity
    where
        numbered_comments.comment_number > 1
        and not numbered_comments.is_public
        and (coalesce(users.is_staff, false) or agent_identities.agent_id is not null)

),

ranked_notes as (

    select
        private_agent_notes.*,
        row_number() over (
            partition by ticket_id
            order by
                case when is_filled then 0 else 1 end,
                created_at desc,
                comment_id desc
        ) as note_rank
    from private_agent_notes

),

resolution_notes as (

    select
        ticket_id,
        body as resolution_note
    from ranked_notes
    where note_rank = 1

),

final as (

    select
        -- ids
        tickets.ticket_id,
        {{ dbt.safe_cast('tickets.assignee_id', dbt.type_string()) }} as source_agent_identity,
        agent_identities.agent_id,

        -- attributes
        tickets.channel,
        tickets.status,
        agents.team,
        coalesce(agents.site_timezone, '{{ var("default_timezone") }}') as site_timezone,

        -- fields agents record
        tickets.category,
        tickets.disposition,
        tickets.call_id,
        resolution_notes.resolution_note,

        -- booleans
        tickets.is_solved as is_finished,

        -- timestamps and local day: the contact's day, as in fct_contacts
        tickets.created_at,
        cast({{ utc_to_local(
            'tickets.created_at',
            "coalesce(agents.site_timezone, '" ~ var('default_timezone') ~ "')"
        ) }} as date) as activity_date

    from tickets
    left join agent_identities
        on {{ dbt.safe_cast('tickets.assignee_id', dbt.type_string()) }} = agent_identities.source_identity
    left join agents
        on agent_identities.agent_id = agents.agent_id
    left join resolution_notes
        on tickets.ticket_id = resolution_notes.ticket_id

)

select * from final
