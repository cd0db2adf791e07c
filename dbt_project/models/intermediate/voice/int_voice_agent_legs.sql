{#
    One row per agent leg of a voice contact, from every telephony source. Each source model
    writes the same columns in the same order, so the union is positional.
#}

with

asterisk_legs as (

    select * from {{ ref('int_asterisk_agent_legs') }}

),

amazon_connect_legs as (

    select * from {{ ref('int_amazon_connect_agent_legs') }}

),

final as (

    select * from asterisk_legs
    union all
    select * from amazon_connect_legs

)

select * from final
