{#
    Median of a numeric expression as an aggregate, interpolating between the two middle values
    of an even count (the continuous percentile). dbt has no cross-database macro for it.
    PostgreSQL and DuckDB take the SQL standard ordered-set form. Spark gets `percentile`, which
    every Spark version has and which interpolates the same way.
#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'kinerja')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
