/* assoc_check.h: validation of association inputs shared by the batch
 * and per-record association endpoints. Each check returns NULL when the
 * input is valid, else a StandardError item (sb_error_item) the caller
 * owns, so batch endpoints can collect them and single ones answer 400.
 */
#ifndef HSM_SANDBOX_ASSOC_CHECK_H
#define HSM_SANDBOX_ASSOC_CHECK_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "sandbox/assoc_store.h"

/* One pair of records and the types to write or remove between them. */
struct assoc_pair {
    int64_t from_id;
    int64_t to_id;
    int types[ASSOC_LINK_MAX_TYPES];
    int ntypes;
};

/* Checks that both ids name live records (merged ids resolve to their
 * survivors, which p then holds). */
json_t *assoc_check_ends(sqlite3 *db, int from, int to, const json_t *from_id,
                         const json_t *to_id, struct assoc_pair *p);

/* Checks a [{associationCategory, associationTypeId}] array against the
 * HubSpot-defined types between from and to, and fills p->types. */
json_t *assoc_check_specs(int from, int to, const json_t *specs,
                          struct assoc_pair *p);

#endif
