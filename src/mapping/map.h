/* map.h: one source row in, HubSpot property values (or a reason) out.
 *
 * A struct map_plan binds one object source of the project config to the
 * columns of its file once, so mapping a row is index lookups and
 * transforms with no name searches. Pure: no I/O; the context carries
 * what the portal and the other source files told us (owners, stages,
 * property types).
 *
 * Ownership: map_plan_new returns a plan freed by map_plan_free; it
 * borrows the config's object_source, which must outlive it.
 */
#ifndef HSM_MAPPING_MAP_H
#define HSM_MAPPING_MAP_H

#include <jansson.h>
#include <stddef.h>

#include "config/project.h"

struct err;

struct map_ctx {
    const json_t *owner_ids;  /* source user id -> HubSpot owner id */
    const json_t *stages;     /* source stage label -> HubSpot stage id */
    const char *pipeline;     /* deal pipeline id */
    const json_t *prop_types; /* property name -> "date", "datetime", ... */
    const char *id_property;  /* "salesforce_id" */
};

/* What is wrong with a row; a warning leaves the row valid. */
struct map_problem {
    int is_error;
    const char *column;
    const char *property;
    char value[160];
    char message[256];
};

#define MAP_MAX_PROBLEMS 8

struct map_result {
    json_t *props; /* new reference; NULL when the row is rejected */
    size_t nproblems;
    struct map_problem problems[MAP_MAX_PROBLEMS];
};

struct map_plan;

/* Binds src to a file's header. A mapped column missing from the header
 * is an error naming the file and column. */
int map_plan_new(const struct object_source *src, const char *const *header,
                 size_t ncols, struct map_plan **out, struct err *e);
void map_plan_free(struct map_plan *p);

/* Maps one row (values in header order) whose source id is source_id.
 * Always fills res; res->props is NULL when an error rejects the row. */
void map_row(const struct map_plan *p, const struct map_ctx *ctx,
             const char *source_id, const char *const *values,
             struct map_result *res);
void map_result_release(struct map_result *res);

/* A short stable digest (16 hex characters and a NUL) of a property set,
 * so a rerun can tell whether a record's values changed. */
void map_props_digest(const json_t *props, char out[17]);

#endif
