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

/* Validates a PropertyCreate body and inserts it; the name of an
 * archived property restores that property with the new definition. On
 * failure returns the HTTP status (400 or 409) and fills msg. */
int sb_prop_create(sqlite3 *db, const char *object_type, json_t *body,
                   char *msg, size_t msgsize);

/* Applies a PropertyUpdate body to a live property (props_update.c).
 * Returns 0, or 404 (no such live property) or 400 with msg. */
int sb_prop_update(sqlite3 *db, const char *object_type, const char *name,
                   json_t *body, char *msg, size_t msgsize);

/* Archives a live custom property. Returns 0, 404 or 400 with msg. */
int sb_prop_archive(sqlite3 *db, const char *object_type, const char *name,
                    char *msg, size_t msgsize);

/* Updates a live group's label and displayOrder from a
 * PropertyGroupUpdate body; archives a live group that holds no live
 * property. Return 0, 404 or 400 with msg. */
int sb_group_update(sqlite3 *db, const char *object_type, const char *name,
                    json_t *body, char *msg, size_t msgsize);
int sb_group_archive(sqlite3 *db, const char *object_type, const char *name,
                     char *msg, size_t msgsize);

/* The Property JSON of one stored property, live (archived 0) or
 * archived (1); NULL when there is none in that state. */
json_t *sb_prop_get(sqlite3 *db, const char *object_type, const char *name,
                    int archived);

/* Helpers shared by create and update. */
/* Fills msg and returns status, so checks read as one statement. */
int sb_prop_refuse(char *msg, size_t size, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Runs a count(*) query binding a and b to ?1 and ?2; -1 on failure. */
int sb_prop_count(sqlite3 *db, const char *sql, const char *a, const char *b);
/* Checks an OptionInput array and returns a new array of the fields an
 * Option has (hidden false when left out); NULL with msg when bad. */
json_t *sb_prop_options_clean(json_t *opts, char *msg, size_t size);
/* 1 when a property may have this type/fieldType pair. */
int sb_prop_pair_ok(const char *type, const char *field_type);
/* 1 when the group exists and is not archived. */
int sb_prop_group_live(sqlite3 *db, const char *object_type, const char *group);
/* 1 when an enumeration's options are HubSpot's to keep: read-only or
 * calculated defaults, and those fed from owners and pipelines. */
int sb_prop_options_read_only(const char *name, int hubspot_defined,
                              int read_only_value);

/* createdate: read-only, yet accepted when a record is created. */
int sb_prop_create_only(const char *name);

/* Seeders (see seed.h). */
int sb_properties_seed_defaults(sqlite3 *db, struct err *e);
int sb_properties_seed(sqlite3 *db, json_t *section, const char *file,
                       struct err *e);

#endif
