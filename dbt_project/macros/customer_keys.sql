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
    One opaque key per customer: a keyed hash, md5(key || ':tel:' || phone) or
    md5(key || ':email:' || address), with the secret key from KINERJA_PII_KEY. It keeps phone
    numbers and addresses out of the marts while letting the same customer match across channels.
    An unkeyed hash would not: there are few enough phone numbers to hash every one and look the
    keys up. This is a secret-prefix hash, not HMAC, because dbt has no cross-database HMAC and
    DuckDB 2.0 has no HMAC function. The weakness HMAC removes, length extension, lets someone
    forge the hash of a longer string. That string is no customer's identity, and the attack does
    not recover the number behind a key.

    The key is written into the compiled SQL, so the macro raises an error in a view, whose SQL the
    warehouse stores for anyone who can open it. dbt's target/ and logs/ folders keep the compiled
    SQL too.
#}
{% macro customer_key(normalized_phone, normalized_email) -%}
    {%- set key = kinerja.pii_key_literal() -%}
    case
        when {{ normalized_phone }} is not null then {{ dbt.hash(dbt.concat([key, "':tel:'", normalized_phone])) }}
        when {{ normalized_email }} is not null then {{ dbt.hash(dbt.concat([key, "':email:'", normalized_email])) }}
    end
{%- endmacro %}

{# The key of customer_key as a SQL string literal, checked before it reaches any SQL. #}
{% macro pii_key_literal() -%}
    {%- set key = env_var('KINERJA_PII_KEY', '') -%}
    {#- Parsing renders models without running them, so it needs no key. -#}
    {%- if not execute -%}
        {{ return("''") }}
    {%- endif -%}
    {%- if key | trim == '' -%}
        {{ exceptions.raise_compiler_error(
            "KINERJA_PII_KEY is not set. customer_key is a keyed hash and needs a secret key: set "
            ~ "KINERJA_PII_KEY to a long random value, for example the output of "
            ~ "`python -c 'import secrets; print(secrets.token_hex(32))'`, and keep it for every "
            ~ "later run. `make demo` uses a published demo key instead."
        ) }}
    {%- endif -%}
    {%- if "'" in key or "\\" in key -%}
        {{ exceptions.raise_compiler_error(
            "KINERJA_PII_KEY contains a quote or a backslash, which cannot be written into SQL "
            ~ "the same way on every engine. Use letters and digits, for example a hex string."
        ) }}
    {%- endif -%}
    {%- if config.get('materialized') == 'view' -%}
        {{ exceptions.raise_compiler_error(
            "customer_key is computed in " ~ model.name ~ ", a view. The warehouse stores a "
            ~ "view's SQL, and with it KINERJA_PII_KEY, for every reader: compute customer_key in "
            ~ "a table or incremental model."
        ) }}
    {%- endif -%}
    {{ return("'" ~ key ~ "'") }}
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
