{#
    Fails with every row of the model for which `expression` is not true, for example
    `contacts_handled >= 0` or `fcr_rate between 0 and 1`. A null result counts as a failure
    unless the test's `where` config excludes such rows.
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
