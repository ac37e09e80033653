/* props.h: property definitions in the store, for the properties API and
 * for every endpoint that writes or reads record values. */
#ifndef HSM_SANDBOX_PROPS_H
#define HSM_SANDBOX_PROPS_H

#include <jansson.h>
#include <sqlite3.h>

#include "sandbox/validate.h"

struct err;

#define SB_UNIQUE_MAX 10

/* Loads the definitions of an object type's live properties, with the
 * options of hubspot_owner_id (owners), pipeline and dealstage (deal
 * pipelines) taken from their tables. Caller holds the store lock and
 * releases defs with sb_propdefs_release. */
int sb_propdefs_load(sqlite3 *db, const char *object_type,
                     struct sb_propdefs *defs);

/* 1 when values of the property must be unique among live records of
 * the type: hasUniqueValue, or a contact's email. */
int sb_prop_is_unique(const char *object_type, const struct sb_propdef *d);

/* Validates a PropertyCreate body and inserts it. On failure returns the
 * HTTP status (400 or 409) and fills msg. */
int sb_prop_create(sqlite3 *db, const char *object_type, json_t *body,
                   char *msg, size_t msgsize);

/* The Property JSON of one stored property; NULL when absent. */
json_t *sb_prop_get(sqlite3 *db, const char *object_type, const char *name);

/* createdate: read-only, yet accepted when a record is created. */
int sb_prop_create_only(const char *name);

/* Seeders (see seed.h). */
int sb_properties_seed_defaults(sqlite3 *db, struct err *e);
int sb_properties_seed(sqlite3 *db, json_t *section, const char *file,
                       struct err *e);

#endif
