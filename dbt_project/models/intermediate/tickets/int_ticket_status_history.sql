{#
    One row per period a ticket spent in one status, built from the ticket versions of the
    incremental export. A period starts at the updated_at of the first version showing the status
    and ends where the next period starts (null for the current one).

    NOTE: the export holds the state of a ticket at each export, not every change. A ticket
    solved and reopened between two exports shows neither the solve nor the reopen, and a status
    change is dated by the updated_at of the version that first shows it, which can be later than
    the change. Zendesk's ticket audits would date every change exactly.
#}

with

versions as (

    select * from {{ ref('stg_zendesk__ticket_versions') }}

),

versions_with_previous as (

    select
        ticket_id,
        status,
        updated_at,
        lag(status) over (partition by ticket_id order by updated_at) as previous_status
    from versions

),

status_changes as (

    -- consecutive versions in the same status (an assignee or rating change) are one period
    select * from versions_with_previous
    where previous_status is null or previous_status <> status

),

final as (

    select
        ticket_id,
        row_number() over (partition by ticket_id order by updated_at) as status_period_number,
        status,
        previous_status,
        updated_at as started_at,
        lead(updated_at) over (partition by ticket_id order by updated_at) as ended_at,
        -- a solve starts a run of solved or closed periods; solved to closed is no new solve
        status in ('solved', 'closed')
            and (previous_status is null or previous_status not in ('solved', 'closed')) as is_solve,
        -- a reopen is a solved ticket becoming active again; `deleted` is no reopen
        coalesce(previous_status in ('solved', 'closed'), false)
            and status in ('new', 'open', 'pending', 'hold') as is_reopen
    from status_changes

)

select * from final
