#include "sandbox/assoc_types.h"

#include <stddef.h>
#include "sandbox/sb.h"

#define C SB_OT_CONTACTS
#define O SB_OT_COMPANIES
#define D SB_OT_DEALS

/* HubSpot's own ids; the label of a primary type is "Primary". */
static const struct assoc_type types[] = {
    {C, O, 279, NULL, 280, 279, "contact_to_company_unlabeled"},
    {C, O, 1, "Primary", 2, 279, "contact_to_company"},
    {O, C, 280, NULL, 279, 280, "company_to_contact_unlabeled"},
    {O, C, 2, "Primary", 1, 280, "company_to_contact"},
    {D, O, 341, NULL, 342, 341, "deal_to_company_unlabeled"},
    {D, O, 5, "Primary", 6, 341, "deal_to_company"},
    {O, D, 342, NULL, 341, 342, "company_to_deal_unlabeled"},
    {O, D, 6, "Primary", 5, 342, "company_to_deal"},
    {D, C, 3, NULL, 4, 3, "deal_to_contact"},
    {C, D, 4, NULL, 3, 4, "contact_to_deal"},
};

#undef C
#undef O
#undef D

#define NTYPES (sizeof(types) / sizeof(types[0]))

const struct assoc_type *assoc_type_find(int from, int to, int id)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (types[i].from == from && types[i].to == to && types[i].id == id)
            return &types[i];
    return NULL;
}

const struct assoc_type *assoc_type_default(int from, int to)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (types[i].from == from && types[i].to == to && !types[i].label)
            return &types[i];
    return NULL;
}

const struct assoc_type *assoc_type_next(int from, int to, int *pos)
{
    while (*pos >= 0 && (size_t)*pos < NTYPES) {
        const struct assoc_type *t = &types[(*pos)++];

        if (t->from == from && t->to == to)
            return t;
    }
    return NULL;
}

bool assoc_type_is_primary(const struct assoc_type *t)
{
    return t && t->label && t->unlabeled_id != t->id;
}
