{#
    Masking of personal data in free text. mask_pii(text) replaces every e-mail address, NIK,
    phone number and payment card number with a labelled token ([EMAIL], [NIK], [PHONE], [CARD])
    and leaves the rest of the text, and a null, as it was.

    The kinds are replaced in this order, each by the pattern pii_patterns() gives:
      [EMAIL]  local@domain.tld
      [NIK]    16 digits in one run whose first two digits are a province code and whose 7th to
               10th digits are a birth day (01-31, or 41-71 for women) and month
      [PHONE]  Indonesian mobile numbers `08…`, `628…`, `62 8…`; any `+` number of 8 to 15
               digits (E.164, `+62 812-…` included); landlines with an area code, `(021) 555-1234`
      [CARD]   13 to 19 digits in one run, or grouped 4-4-4-4(-1..3) or 4-6-4/4-6-5
    Spaces and dashes may separate digit groups, and so may dots in numbers that start with `0`
    or `+`. Dots never do after a bare `62`, because `628.500.000.000` is more likely an amount in
    rupiah.

    A number counts only where no digit touches it, so a 16-digit NIK is never read as a phone
    number and a ticket number inside a longer id is left alone. Without lookaround (RE2, which
    DuckDB uses, has none) the pattern consumes the character on each side, so two numbers one
    character apart cannot both match in one pass: every kind is replaced twice.

    NOTE: card numbers are not Luhn-checked, because a checksum over each match cannot be written
    as a regular-expression replacement on every engine. Any other 13-19-digit number (an order
    or transaction reference) is masked as [CARD] too. A 16-digit card number written without
    spaces whose digits happen to fit the NIK layout is labelled [NIK], which still masks it.
    Names and street addresses are not masked, because no pattern tells them from other words.
#}

{% macro pii_patterns() -%}
    {%- set digit_boundary_start = '(^|[^0-9])' -%}
    {%- set digit_boundary_end = '([^0-9]|$)' -%}
    {%- set province_code = '(?:1[1-9]|21|3[1-6]|5[1-3]|6[1-5]|7[1-6]|8[1-2]|9[1-6])' -%}
    {%- set nik = province_code ~ '[0-9]{4}(?:0[1-9]|[12][0-9]|3[01]|4[1-9]|[56][0-9]|7[01])(?:0[1-9]|1[0-2])[0-9]{6}' -%}
    {%- set phone_numbers = [
        '[+][1-9](?:[ .-]?[0-9]){7,14}',
        '08(?:[ .-]?[0-9]){8,11}',
        '62[ -]?8(?:[ -]?[0-9]){8,11}',
        '[(]?0[2-79][0-9]{1,2}[)]?[ .-]?[0-9]{3,4}[ .-]?[0-9]{3,4}',
    ] -%}
    {%- set card_numbers = [
        '[0-9]{13,19}',
        '[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?',
        '[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}',
    ] -%}
    {{ return([
        {'label': 'EMAIL', 'pattern': '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:[.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}', 'is_bounded': false},
        {'label': 'NIK', 'pattern': digit_boundary_start ~ '(' ~ nik ~ ')' ~ digit_boundary_end, 'is_bounded': true},
        {'label': 'PHONE', 'pattern': '(^|[^0-9+])(' ~ phone_numbers | join('|') ~ ')' ~ digit_boundary_end, 'is_bounded': true},
        {'label': 'CARD', 'pattern': digit_boundary_start ~ '(' ~ card_numbers | join('|') ~ ')' ~ digit_boundary_end, 'is_bounded': true},
    ]) }}
{%- endmacro %}


{% macro mask_pii(text_column) -%}
    {%- set masked = namespace(expression=text_column) -%}
    {%- for kind in kinerja.pii_patterns() -%}
        {%- if kind.is_bounded -%}
            {#- Groups 1 and 3 are the characters on either side; the replacement keeps them. -#}
            {%- set token = kinerja.regexp_group_reference(1) ~ '[' ~ kind.label ~ ']' ~ kinerja.regexp_group_reference(3) -%}
            {%- for pass_number in range(2) -%}
                {%- set masked.expression = kinerja.regexp_replace_all(masked.expression, kind.pattern, token) -%}
            {%- endfor -%}
        {%- else -%}
            {%- set masked.expression = kinerja.regexp_replace_all(masked.expression, kind.pattern, '[' ~ kind.label ~ ']') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ masked.expression }}
{%- endmacro %}


{#
    A column that holds a number or an extension rather than free text (a CDR's `src` or `dst`, a
    queue_log caller id): normalize_phone_number's digits when the value contains personal data,
    and the value as written otherwise (an extension, `s`, `anonymous`). Digits are kept rather
    than masked so that a dialled number still has its length.
    NOTE: an outside-line prefix stays in front of the number (`9` + `0812…` becomes `908…`),
    because which prefix a PBX uses is not known here.
#}
{% macro normalize_number_or_extension(text_column) -%}
    case
        when {{ kinerja.mask_pii(text_column) }} = {{ text_column }} then {{ text_column }}
        else {{ kinerja.normalize_phone_number(text_column) }}
    end
{%- endmacro %}


{# Replace every match of `pattern`; `replacement` refers to groups through regexp_group_reference. #}
{% macro regexp_replace_all(text_expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'kinerja')(text_expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(text_expression, pattern, replacement) -%}
    regexp_replace({{ text_expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(text_expression, pattern, replacement) -%}
    regexp_replace({{ text_expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}


{# How a replacement string names a capture group: `\1` on DuckDB and PostgreSQL, `$1` on Spark (Java). #}
{% macro regexp_group_reference(group_number) -%}
    {{ return(adapter.dispatch('regexp_group_reference', 'kinerja')(group_number)) }}
{%- endmacro %}

{% macro default__regexp_group_reference(group_number) -%}
    {{ return('\\' ~ group_number) }}
{%- endmacro %}

{% macro spark__regexp_group_reference(group_number) -%}
    {{ return('$' ~ group_number) }}
{%- endmacro %}
