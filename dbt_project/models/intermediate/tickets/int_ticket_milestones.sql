{#
    One row per ticket: the moments its durations are measured between. Creation; the first
    public agent reply (int_ticket_first_replies); the first solve; the solve that started the
    ticket's current solved or closed run (null while the ticket is not solved, for example after
    a reopen); the number of reopens.
#}

with

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

status_history as (

    select * from {{ ref('int_ticket_status_history') }}

),

first_replies as (

    select * from {{ ref('int_ticket_first_replies') }}

),

status_summary as (

    select
        ticket_id,
        min(case when is_solve then started_at end) as first_solved_at,
        max(case when is_solve then started_at end) as last_solved_at,
        cast(sum(case when is_reopen then 1 else 0 end) as {{ dbt.type_bigint() }}) as reopen_count
    from status_history
    group by ticket_id

),

final as (

    select
        -- ids
        tickets.ticket_id,

        -- attributes
        tickets.status,

        -- counts
        coalesce(status_summary.reopen_count, 0) as reopen_count,
        cast(coalesce(first_replies.public_agent_reply_count, 0) as {{ dbt.type_bigint() }}) as public_agent_reply_count,

        -- timestamps
        tickets.created_at,
        first_replies.first_agent_reply_at,
        status_summary.first_solved_at,
        case when tickets.is_solved then status_summary.last_solved_at end as solved_at,
        tickets.updated_at as last_updated_at

    from tickets
    left join status_summary
        on tickets.ticket_id = status_summary.ticket_id
    left join first_replies
        on tickets.ticket_id = first_replies.ticket_id

)

select * from final
