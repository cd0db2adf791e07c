{#
    numerator / denominator as a decimal, or null when the denominator is zero or null: a KPI with
    nothing to measure is unknown, not zero.
#}
{% macro safe_ratio(numerator, denominator) -%}
    (
        cast({{ numerator }} as {{ dbt.type_numeric() }})
        / nullif(cast({{ denominator }} as {{ dbt.type_numeric() }}), 0)
    )
{%- endmacro %}
