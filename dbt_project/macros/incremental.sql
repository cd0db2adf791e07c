{#
    Rows of `computed_relation` (a CTE name) that an incremental run writes with delete+insert:
    every row whose `time_column` falls within `incremental_lookback_days` of the latest value
    already stored, and every other row that differs from its stored copy or is not stored yet.

    The first part is recent data, which the next files usually change (late lines, surveys and
    ratings, FCR windows still open). The second part is a comparison of the computed rows with
    `{{ this }}` (EXCEPT treats two nulls as equal), so a late change of any age is written too
    and the result equals a full refresh whatever the lateness. Keys that no longer exist upstream
    are removed by the model's post-hook (`delete_vanished_keys`). On a full refresh, or while the
    table does not exist yet, the macro selects every row.
#}
{% macro incremental_recent_or_changed_rows(computed_relation, time_column) %}
    {#- A unit test has no stored table (`this` is none) even when the model's table exists. -#}
    {%- if is_incremental() and this is not none -%}
        {%- set lookback_start = dbt.dateadd(
            'day', -1 * var('incremental_lookback_days'), 'max(' ~ time_column ~ ')'
        ) -%}
        select * from {{ computed_relation }}
        where {{ time_column }} >= (select {{ lookback_start }} from {{ this }})
        union
        select * from (
            select * from {{ computed_relation }}
            except
            select * from {{ this }}
        ) as changed_rows
    {%- else -%}
        select * from {{ computed_relation }}
    {%- endif -%}
{% endmacro %}


{#
    Post-hook statement of an incremental model: delete the stored rows whose key is no longer
    produced upstream, such as the legs of a landing file that was replaced. delete+insert alone
    only replaces keys that are still produced. `upstream_keys_sql` selects the current keys,
    with columns named as in `key_columns`.
#}
{% macro delete_vanished_keys(key_columns, upstream_keys_sql) %}
    delete from {{ this }} as stored_rows
    where not exists (
        select 1
        from ({{ upstream_keys_sql }}) as upstream_keys
        where
        {%- for key_column in key_columns %}
            {% if not loop.first %}and {% endif -%}
            upstream_keys.{{ key_column }} = stored_rows.{{ key_column }}
        {%- endfor %}
    )
{% endmacro %}
