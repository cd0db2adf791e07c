{#
    Why a recorded text value counts as missing, or null when it is filled: `null` (no value),
    `blank` (empty or only whitespace) or `placeholder` (one of `recording_placeholder_values`
    once whitespace is removed and letters are lower-cased, so ` N/A ` and `n / a` match `n/a`).
#}
{% macro recording_missing_reason(text_column) -%}
    {%- set compact_text = remove_whitespace(text_column) -%}
    case
        when {{ text_column }} is null then 'null'
        when {{ compact_text }} = '' then 'blank'
        when lower({{ compact_text }}) in (
            {%- for placeholder in var('recording_placeholder_values') %}
            '{{ placeholder | lower | replace(" ", "") | replace("'", "''") }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) then 'placeholder'
    end
{%- endmacro %}

{#
    The text with every whitespace character removed: space, tab, line feed, vertical tab, form
    feed, carriage return and no-break space (U+00A0). Nested `replace` calls rather than a regex
    class, because `\s` needs different escaping on each engine. The Great Expectations suites
    treat the same characters as whitespace (expectations/recording.py).
#}
{% macro remove_whitespace(text_column) -%}
    {%- set expression = namespace(sql=text_column) -%}
    {%- for code_point in [9, 10, 11, 12, 13, 32, 160] -%}
        {%- set expression.sql = "replace(" ~ expression.sql ~ ", chr(" ~ code_point ~ "), '')" -%}
    {%- endfor -%}
    {{ expression.sql }}
{%- endmacro %}
