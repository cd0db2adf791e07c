{#
    Fails with every combination of `columns` that occurs more than once: the grain test of a model
    whose key spans several columns, such as (agent_id, activity_date, channel).
#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
