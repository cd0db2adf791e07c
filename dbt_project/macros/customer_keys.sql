{#
    Customer matching keys. Indonesian numbers reach the systems as `0812-3456-7890`,
    `6281234567890` or `+62 812 3456 7890`; all three become `6281234567890` (E.164 digits without
    the plus). A number that starts with 8 is a mobile number written without its trunk zero.
#}
{% macro normalize_phone_number(phone_column) -%}
    {%- set digits = kinerja.regexp_remove(phone_column, '[^0-9]') -%}
    case
        when {{ digits }} = '' then null
        when {{ digits }} like '62%' then {{ digits }}
        when {{ digits }} like '0%' then {{ dbt.concat(["'62'", dbt.right(digits, dbt.length(digits) ~ ' - 1')]) }}
        when {{ digits }} like '8%' then {{ dbt.concat(["'62'", digits]) }}
        else {{ digits }}
    end
{%- endmacro %}

{# Lower-case, trimmed e-mail address, or null when blank. #}
{% macro normalize_email(email_column) -%}
    nullif(lower(trim({{ email_column }})), '')
{%- endmacro %}

{#
    One opaque key per customer. The hash keeps phone numbers and addresses out of the marts while
    letting the same customer match across channels.
#}
{% macro customer_key(normalized_phone, normalized_email) -%}
    case
        when {{ normalized_phone }} is not null then {{ dbt.hash(dbt.concat(["'tel:'", normalized_phone])) }}
        when {{ normalized_email }} is not null then {{ dbt.hash(dbt.concat(["'email:'", normalized_email])) }}
    end
{%- endmacro %}


{# Remove every match of a regular expression (every engine here, not only the first match). #}
{% macro regexp_remove(text_column, pattern) -%}
    {{ return(adapter.dispatch('regexp_remove', 'kinerja')(text_column, pattern)) }}
{%- endmacro %}

{% macro default__regexp_remove(text_column, pattern) -%}
    regexp_replace(coalesce({{ text_column }}, ''), '{{ pattern }}', '', 'g')
{%- endmacro %}

{% macro spark__regexp_remove(text_column, pattern) -%}
    regexp_replace(coalesce({{ text_column }}, ''), '{{ pattern }}', '')
{%- endmacro %}
