{#
    Fails when `model` (filtered by `where` in the test config) and `compare_model` (filtered by
    `compare_where`) have different row counts: an integrity test that nothing was lost or
    counted twice between two layers.
#}
{% test row_count_matches(model, compare_model, compare_where='1 = 1') %}

with

model_rows as (

    select count(*) as row_count from {{ model }}

),

compare_rows as (

    select count(*) as row_count from {{ compare_model }} where {{ compare_where }}

)

select
    model_rows.row_count as model_row_count,
    compare_rows.row_count as compare_row_count
from model_rows
cross join compare_rows
where model_rows.row_count <> compare_rows.row_count

{% endtest %}
