{#
    One row per agent leg of a voice contact, from every telephony source. Each source model
    writes the same columns in the same order, so the union is positional.
#}

with

asterisk_legs as (

    select * from {{ ref('int_asterisk_agent_legs') }}

),

-- Further telephony sources (Amazon Connect) join here with their own import CTE and union.

final as (

    select * from asterisk_legs

)

select * from final
