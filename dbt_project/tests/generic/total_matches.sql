{#
    Fails when sum(`column_name`) of `model` differs from sum(`compare_expression`) of
    `compare_model` rows matching `compare_where`: checks that an aggregate mart neither lost nor
    double counted the rows it summarises.
#}
{% test total_matches(model, column_name, compare_model, compare_expression, compare_where='1 = 1') %}

with

model_total as (

    select coalesce(sum({{ column_name }}), 0) as total from {{ model }}

),

compare_total as (

    select coalesce(sum({{ compare_expression }}), 0) as total
    from {{ compare_model }}
    where {{ compare_where }}

)

select
    model_total.total as model_total,
    compare_total.total as compare_total
from model_total
cross join compare_total
where model_total.total <> compare_total.total

{% endtest %}
