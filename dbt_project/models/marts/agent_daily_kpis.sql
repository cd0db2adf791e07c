with

contacts as (

    select * from {{ ref('fct_contacts') }}

),

handled_contacts as (

    -- Contacts of identities the roster does not know stay in fct_contacts with a null agent_id;
    -- the agent_identities check names them.
    select * from contacts
    where is_handled and agent_id is not null

),

aggregated as (

    select
        agent_id,
        started_date as activity_date,
        channel,
        min(team) as team,
        cast(count(*) as {{ dbt.type_bigint() }}) as contacts_handled,
        sum(handle_seconds) as handle_seconds_total,
        count(handle_seconds) as contacts_with_handle_time,
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
    from handled_contacts
    group by agent_id, started_date, channel

),

final as (

    select
        agent_id,
        activity_date,
        channel,
        team,
        contacts_handled,
        cast(
            {{ safe_ratio('handle_seconds_total', 'contacts_with_handle_time') }}
            as {{ dbt.type_numeric() }}
        ) as aht_seconds,
        cast(
            {{ safe_ratio('first_contact_resolutions', 'fcr_eligible_contacts') }}
            as {{ dbt.type_numeric() }}
        ) as fcr_rate,
        fcr_eligible_contacts,
        cast(
            {{ safe_ratio('csat_satisfied_responses', 'csat_responses') }}
            as {{ dbt.type_numeric() }}
        ) as csat_rate,
        csat_responses,
        cast(
            {{ safe_ratio('100 * (nps_promoters - nps_detractors)', 'nps_responses') }}
            as {{ dbt.type_numeric() }}
        ) as nps,
        nps_responses,
        cast(
            {{ safe_ratio('first_response_seconds_total', 'contacts_with_first_response') }}
            as {{ dbt.type_numeric() }}
        ) as first_response_seconds_avg
    from aggregated

)

select * from final
