{#
    Table expression that turns a delimited text column into one row per item, for use in a
    `from` clause, such as split_to_rows('agents', 'telephony_ids', ';', 'identity') where `agents`
    is a CTE. Returns every column of the relation plus `item_column`, trimmed; the caller drops
    blank items.
#}
{% macro split_to_rows(relation, text_column, delimiter, item_column) -%}
    {{ return(adapter.dispatch('split_to_rows', 'kinerja')(relation, text_column, delimiter, item_column)) }}
{%- endmacro %}

{% macro default__split_to_rows(relation, text_column, delimiter, item_column) -%}
    (
        select
            {{ relation }}.*,
            trim(unnest(string_to_array({{ text_column }}, '{{ delimiter }}'))) as {{ item_column }}
        from {{ relation }}
    ) as {{ relation }}_split
{%- endmacro %}

{% macro duckdb__split_to_rows(relation, text_column, delimiter, item_column) -%}
    (
        select
            {{ relation }}.*,
            trim(unnest(string_split({{ text_column }}, '{{ delimiter }}'))) as {{ item_column }}
        from {{ relation }}
    ) as {{ relation }}_split
{%- endmacro %}

{% macro spark__split_to_rows(relation, text_column, delimiter, item_column) -%}
    (
        select
            {{ relation }}.*,
            trim(split_item) as {{ item_column }}
        from {{ relation }}
        lateral view explode(split({{ text_column }}, '{{ delimiter }}')) split_items as split_item
    ) as {{ relation }}_split
{%- endmacro %}
