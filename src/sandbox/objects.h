/* objects.h: records (contacts, companies, deals) in the store, for the
 * objects API and for the families that read or change records (search,
 * merge). Callers hold sb_db_lock and own any transaction.
 *
 * A record is a row of objects plus one object_values row per property
 * that has a value. The system properties (hs_object_id, createdate,
 * lastmodifieddate or hs_lastmodifieddate) are stored as values too, so
 * search can filter on them.
 */
#ifndef HSM_SANDBOX_OBJECTS_H
#define HSM_SANDBOX_OBJECTS_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "sandbox/validate.h"

struct sb_state;
struct sb_request;
struct sb_response;
struct err;

/* Why a write was refused; message is allocated. */
struct sb_op_error {
    int status;
    const char *category;
    char *message;
    json_t *context; /* owned; may be NULL */
};

void sb_op_error_release(struct sb_op_error *oe);
/* Answers with oe as HubSpot's top-level error. */
void sb_op_error_respond(const struct sb_op_error *oe,
                         struct sb_response *resp);
/* oe as an item of a batch's errors[] array. */
json_t *sb_op_error_item(const struct sb_op_error *oe);

/* Parses a record id ("123"); 0 when it is not one. */
int64_t sb_obj_parse_id(const char *s);
/* The live record that id names, following merges; 0 when none. With
 * archived, only an archived record matches. */
int64_t sb_obj_resolve(sqlite3 *db, int ot, int64_t id, int archived);
/* The live record whose property name holds value (an email compared
 * case-insensitively, also against hs_additional_emails); 0 when none. */
int64_t sb_obj_find(sqlite3 *db, int ot, const char *name, const char *value);
/* The stored values of a record, as an object of strings. */
json_t *sb_obj_values(sqlite3 *db, int64_t id);
/* SimplePublicObject (with archived fields when the record is archived).
 * props is an array of names, or NULL for the type's default set. */
json_t *sb_obj_json(sqlite3 *db, int ot, int64_t id, json_t *props);
/* The same with every property the record has a value for, as a write's
 * response shows it. */
json_t *sb_obj_json_all(sqlite3 *db, int ot, int64_t id);

/* Writing. defs are the type's property definitions (sb_propdefs_load).
 * Values are validated, unique values checked, and the record written;
 * on refusal oe is filled and nothing is written. */
int sb_obj_create(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                  json_t *props, int64_t *id, struct sb_op_error *oe);
/* A record as a seed file gives it with "unchecked": its values are
 * stored exactly as given, without validation, normalization or
 * uniqueness checks (read-only properties included), as a portal damaged
 * by other tools may hold them. Only unknown property names and values
 * that are not strings are refused. Email lookups (sb_obj_find) compare
 * such records' emails trimmed and case-insensitively. */
int sb_obj_create_unchecked(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                            json_t *props, int64_t *id, struct sb_op_error *oe);
int sb_obj_update(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                  int64_t id, json_t *props, struct sb_op_error *oe);
int sb_obj_archive(sqlite3 *db, int ot, int64_t id);

/* Links a new record as the create body's associations array asks:
 * [{to:{id}, types:[{associationCategory, associationTypeId}]}]. */
int sb_obj_associate(sqlite3 *db, int ot, int64_t id, json_t *assocs,
                     struct sb_op_error *oe);
/* The associations object of a record for the ?associations= types:
 * {companies:{results:[{id, type}]}}; types without links are left out. */
json_t *sb_obj_assoc_json(sqlite3 *db, int ot, int64_t id, json_t *types);

/* Every property name in values, as an array (a write's response shows
 * all the record's values). */
json_t *sb_obj_value_names(sqlite3 *db, int64_t id);

/* The batch endpoints (batch.c). */
void sb_batch_create(struct sb_request *req, struct sb_response *resp);
void sb_batch_read(struct sb_request *req, struct sb_response *resp);
void sb_batch_update(struct sb_request *req, struct sb_response *resp);
void sb_batch_upsert(struct sb_request *req, struct sb_response *resp);
void sb_batch_archive(struct sb_request *req, struct sb_response *resp);

/* The seed file's "records" and "associations" sections. */
int sb_records_seed(sqlite3 *db, json_t *section, const char *file,
                    struct err *e);
int sb_associations_seed(sqlite3 *db, json_t *section, const char *file,
                         struct err *e);

#endif
