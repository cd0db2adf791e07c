{# Seconds as decimal minutes (90 s is 1.5), null when the seconds are null. #}
{% macro seconds_to_minutes(seconds) -%}
    cast(cast({{ seconds }} as {{ dbt.type_numeric() }}) / 60 as {{ dbt.type_numeric() }})
{%- endmacro %}
