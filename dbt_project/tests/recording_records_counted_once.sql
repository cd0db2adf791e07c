{#
    Fails when the records due in agent_recording_quality or int_agent_daily_recording differ from
    the distinct records of known agents in int_recording_checks: a record lost, or counted twice
    because it has several required fields. A record is one ticket, or one lead on one local day
    its owner worked it, so a lead worked on two days is two records.
#}

with

checked_records as (

    select distinct
        record_kind,
        record_id,
        source_agent_identity,
        activity_date
    from {{ ref('int_recording_checks') }}
    where agent_id is not null

),

counts as (

    select
        (select count(*) from checked_records) as checked_record_count,
        (select coalesce(sum(records_due), 0) from {{ ref('agent_recording_quality') }}) as mart_records_due,
        (select coalesce(sum(records_due), 0) from {{ ref('int_agent_daily_recording') }}) as hook_records_due

)

select *
from counts
where
    checked_record_count <> mart_records_due
    or checked_record_count <> hook_records_due
