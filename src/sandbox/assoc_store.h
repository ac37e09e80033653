/* assoc_store.h: associations between sandbox records, in the store's
 * associations table (object types by plural name, category
 * HUBSPOT_DEFINED).
 *
 * Every link is stored from both ends (with the reverse type id), so a
 * lookup from either record, including the objects API's
 * ?associations=, reads rows whose from side is that record. The rules HubSpot
 * applies live here, so every endpoint that writes links obeys them: a label
 * implies the unlabeled type, and a contact or deal has at most one
 * primary company (a new primary replaces the old one).
 *
 * Callers hold sb_db_lock; these functions run
 * plain statements and leave transactions to the caller.
 */
#ifndef HSM_SANDBOX_ASSOC_STORE_H
#define HSM_SANDBOX_ASSOC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct err;

#define ASSOC_LINK_MAX_TYPES 8

/* All types from one record to one other record. */
struct assoc_link {
    int64_t to_id;
    int type_ids[ASSOC_LINK_MAX_TYPES];
    int ntypes;
};

/* Writes the given types between the pair (they must be valid for it).
 * With replace, types not listed are removed first, which is how HubSpot
 * treats a label write: the request is the full set of labels. */
int assoc_store_set(sqlite3 *db, int from, int64_t from_id, int to,
                    int64_t to_id, const int *type_ids, size_t n, bool replace,
                    struct err *e);

/* Removes every type between the pair, from both ends. */
int assoc_store_remove_pair(sqlite3 *db, int from, int64_t from_id, int to,
                            int64_t to_id, struct err *e);

/* Removes the listed types; removing the unlabeled one removes all. */
int assoc_store_remove_types(sqlite3 *db, int from, int64_t from_id, int to,
                             int64_t to_id, const int *type_ids, size_t n,
                             struct err *e);

/* Links from a record to live (not archived) records of type `to`
 * whose id is greater than after, in id order, at most limit of them. *more
 * tells whether another link follows. The caller frees *links. */
int assoc_store_list(sqlite3 *db, int from, int64_t from_id, int to,
                     int64_t after, int limit, struct assoc_link **links,
                     size_t *n, bool *more, struct err *e);

/* Moves every link of old_id to new_id (a merge): links the survivor
 * already has are kept, and the survivor keeps its own primary company
 * when both records had one. */
int assoc_store_move(sqlite3 *db, int obj, int64_t old_id, int64_t new_id,
                     struct err *e);

/* Removes every link of a record (when the record is deleted). */
int assoc_store_remove_record(sqlite3 *db, int obj, int64_t id, struct err *e);

#endif
