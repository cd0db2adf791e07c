{#
    Use a model's configured schema as it is (`marts`, not `main_marts`), so BI tools and the
    Great Expectations suites read stable names whatever the target's default schema is.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
