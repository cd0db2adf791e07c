{#
    Time-zone conversion between UTC and a named IANA zone. Timestamps in this project are stored
    without a zone and are UTC unless their name ends in `_local`. `time_zone` may be a column or
    a quoted literal. dbt has no cross-database macro for this, so each adapter gets its own form.
#}

{% macro utc_to_local(utc_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'kinerja')(utc_timestamp, time_zone)) }}
{%- endmacro %}

{% macro default__utc_to_local(utc_timestamp, time_zone) -%}
    (({{ utc_timestamp }} at time zone 'UTC') at time zone {{ time_zone }})
{%- endmacro %}

{% macro duckdb__utc_to_local(utc_timestamp, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro spark__utc_to_local(utc_timestamp, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ time_zone }})
{%- endmacro %}


{% macro local_to_utc(local_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'kinerja')(local_timestamp, time_zone)) }}
{%- endmacro %}

{% macro default__local_to_utc(local_timestamp, time_zone) -%}
    (({{ local_timestamp }} at time zone {{ time_zone }}) at time zone 'UTC')
{%- endmacro %}

{% macro duckdb__local_to_utc(local_timestamp, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ local_timestamp }}))
{%- endmacro %}

{% macro spark__local_to_utc(local_timestamp, time_zone) -%}
    to_utc_timestamp({{ local_timestamp }}, {{ time_zone }})
{%- endmacro %}


{# Turn Unix epoch seconds into a UTC timestamp without zone. #}
{% macro epoch_to_timestamp(epoch_seconds) -%}
    {{ dbt.dateadd('second', epoch_seconds, "cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{# Local calendar day of a UTC timestamp in the var `default_timezone`, the zone of queues. #}
{% macro default_zone_date(utc_timestamp) -%}
    cast({{ utc_to_local(utc_timestamp, "'" ~ var('default_timezone') ~ "'") }} as date)
{%- endmacro %}
