{#
    One row per voice contact, from every telephony source. Each source model writes the same
    columns in the same order, so the union is positional.
#}

with

asterisk_contacts as (

    select * from {{ ref('int_asterisk_voice_contacts') }}

),

amazon_connect_contacts as (

    select * from {{ ref('int_amazon_connect_voice_contacts') }}

),

final as (

    select * from asterisk_contacts
    union all
    select * from amazon_connect_contacts

)

select * from final
