{#
    One row per voice contact, from every telephony source. Each source model writes the same
    columns in the same order, so the union is positional.
#}

with

asterisk_contacts as (

    select * from {{ ref('int_asterisk_voice_contacts') }}

),

-- Further telephony sources (Amazon Connect) join here with their own import CTE and union.

final as (

    select * from asterisk_contacts

)

select * from final
