/* assoc_util.h: helpers shared by the association, search and merge
 * endpoints: record ids in JSON, record lookup through merges, and the
 * JSON shapes HubSpot's v4 association responses use.
 */
#ifndef HSM_SANDBOX_ASSOC_UTIL_H
#define HSM_SANDBOX_ASSOC_UTIL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

/* Reads a record id given as a JSON string of digits or an integer;
 * 0 on success, -1 when v is anything else. */
int assoc_json_id(const json_t *v, int64_t *out);
/* The same for a path or query string. */
int assoc_str_id(const char *s, int64_t *out);

/* Looks up a live (not archived) record of type ot; a merged-away id
 * resolves to its survivor. 1 when found (*out is its id), 0 when not,
 * -1 on a store error. */
int assoc_record_find(sqlite3 *db, int ot, int64_t id, int64_t *out);

/* {category, typeId, label} for one type id from -> to. */
json_t *assoc_type_json(int from, int to, int id);
/* [{category, typeId, label}] for the given type ids from -> to. */
json_t *assoc_types_json(int from, int to, const int *ids, int n);

struct assoc_link;
/* {toObjectId, associationTypes} for one linked record. */
json_t *assoc_link_json(int from, int to, const struct assoc_link *l);

/* {status:"COMPLETE", results, startedAt, completedAt} plus numErrors and
 * errors when errors is non-empty. Takes ownership of both arrays. */
json_t *assoc_batch_body(json_t *results, json_t *errors, int64_t started_ms);

struct sb_response;
/* Answers ok_status, or 207 when errors is non-empty, with that body.
 * The status is decided before the body takes ownership of errors. */
void assoc_batch_respond(struct sb_response *resp, int ok_status,
                         json_t *results, json_t *errors, int64_t started_ms);

#endif
