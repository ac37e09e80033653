/* assoc_types.h: the HubSpot-defined association types between the
 * sandbox's object types (SB_OT_* from sb.h).
 *
 * Static data and pure lookups: no allocation, no state.
 */
#ifndef HSM_SANDBOX_ASSOC_TYPES_H
#define HSM_SANDBOX_ASSOC_TYPES_H

#include <stdbool.h>

struct assoc_type {
    int from;           /* SB_OT_* */
    int to;             /* SB_OT_* */
    int id;             /* associationTypeId */
    const char *label;  /* NULL for the unlabeled type */
    int reverse_id;     /* the same link seen from the other end */
    int unlabeled_id;   /* the unlabeled type a label implies (or own id) */
    const char *v3name; /* "contact_to_company" style name */
};

/* The type with that id between from and to, or NULL. */
const struct assoc_type *assoc_type_find(int from, int to, int id);
/* The unlabeled (default) type between from and to, or NULL when the
 * pair has no HubSpot-defined association. */
const struct assoc_type *assoc_type_default(int from, int to);
/* Iterates the types between from and to: call with *pos = 0 first. */
const struct assoc_type *assoc_type_next(int from, int to, int *pos);
bool assoc_type_is_primary(const struct assoc_type *t);

#endif
