{#
    One row per ticket that has comments: its opening comment and its first public reply by an
    agent. The opening comment is the ticket's description and never counts as a reply, even when
    an agent wrote it (a ticket opened on a customer's behalf). An author is an agent when Zendesk
    gives them the agent or admin role, or when the roster lists their user id. Private notes
    never count.
#}

with

comments as (

    select * from {{ ref('stg_zendesk__ticket_comments') }}

),

users as (

    select * from {{ ref('stg_zendesk__users') }}

),

roster_identities as (

    select * from {{ ref('stg_roster__agent_identities') }}
    where identity_system = 'zendesk'

),

comments_with_authors as (

    select
        comments.ticket_id,
        comments.comment_id,
        comments.created_at,
        comments.is_public,
        coalesce(users.is_staff, false) or roster_identities.agent_id is not null as is_agent_author,
        row_number() over (
            partition by comments.ticket_id
            order by comments.created_at, comments.comment_id
        ) as comment_number
    from comments
    left join users
        on comments.author_id = users.user_id
    left join roster_identities
        on {{ dbt.safe_cast('comments.author_id', dbt.type_string()) }} = roster_identities.source_identity

),

final as (

    select
        ticket_id,
        min(case when comment_number = 1 then created_at end) as opened_at,
        min(
            case when comment_number > 1 and is_public and is_agent_author then created_at end
        ) as first_agent_reply_at,
        sum(
            case when comment_number > 1 and is_public and is_agent_author then 1 else 0 end
        ) as public_agent_reply_count,
        count(*) as comment_count
    from comments_with_authors
    group by ticket_id

)

select * from final
