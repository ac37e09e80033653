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
#include "core/buf.h"

struct err;

/* What the portal and the other source files told us. All borrowed. */
struct map_ctx {
    const json_t *schema;          /* property name -> definition */
    const json_t *user_emails;     /* source user id -> lowercased email */
    const json_t *owner_emails;    /* lowercased email -> owner id */
    const json_t *archived_owners; /* owner id -> true */
    const char *default_owner;     /* owner id for unmatched users, or NULL */
    int owner_optional;            /* unmatched users: no owner, a warning */
    const json_t *stages;          /* config: source stage -> stage id */
    const json_t *pipelines;       /* the portal's deal pipelines, or NULL */
    const char *pipeline;          /* the deal pipeline id by default */
    const char *id_property;       /* "salesforce_id" */
    const char *tz;                /* the source's time zone */
    int locale;                    /* enum xf_locale by default */
    int create_missing;            /* missing properties will be created */
};

enum map_note {
    MAP_ERROR,      /* the row is rejected */
    MAP_WARNING,    /* the row lands; the user should know */
    MAP_NEW_OPTION, /* the value needs an option created before the run */
};

/* What is wrong with a row, or what it needs. */
struct map_problem {
    enum map_note kind;
    const char *column;
    const char *property;
    char value[160];
    char message[256];
    char hint[256]; /* the allowed values, or what to do */
};

/* A property value a row writes: the input itself (text) or a
 * transformed value kept in the result. */
struct map_value {
    const char *property;
    const char *input; /* NULL: the value is at off in the result's text */
    size_t off;
};

#define MAP_INLINE_PROBLEMS 8

/* What one row maps to. problems points at the inline array until a row
 * has more problems than it holds. */
struct map_result {
    json_t *props; /* map_row: new reference; NULL when the row is rejected */
    int rejected;
    size_t nproblems;
    struct map_problem *problems;
    /* Working storage, kept from row to row by map_row_values. */
    struct map_problem inline_problems[MAP_INLINE_PROBLEMS];
    size_t problems_cap;
    struct map_value *values;
    size_t nvalues, values_cap;
    struct buf text;
};

struct map_plan;

/* How a configured field met the portal's schema. */
enum map_bind {
    MAP_BOUND,    /* the property exists and is writable */
    MAP_MISSING,  /* no such property (written only when it is created) */
    MAP_READONLY, /* the portal does not let us write it: never written */
};

struct map_field_info {
    const struct field_map *field;
    const char *property; /* the internal name, resolved from a label */
    enum map_bind bind;
    int by_label; /* the config named the property by its label */
    size_t column;
    /* A date field without date_format: the plan learns the order of its
     * column's slash dates (see map_plan_learn). After map_plan_learned,
     * date_order is "D/M/YYYY", "M/D/YYYY" or NULL (none, or a tie), from
     * the values that showed each. */
    int learns;
    const char *date_order;
    long shown_dmy, shown_mdy;
};

/* Binds src to a file's header and to the portal's schema in ctx. A
 * mapped column missing from the header is an error naming the file and
 * column; a property the portal lacks is not (see map_plan_field). */
int map_plan_new(const struct object_source *src, const char *const *header,
                 size_t ncols, const struct map_ctx *ctx, struct map_plan **out,
                 struct err *e);
void map_plan_free(struct map_plan *p);
size_t map_plan_nfields(const struct map_plan *p);
void map_plan_field(const struct map_plan *p, size_t i,
                    struct map_field_info *out);

/* Slash dates (04/05/2024) in a date field without date_format are read
 * in the order the column's own values show (13/05/2024 shows day first).
 * A plan with such a field learns it before mapping: every row the caller
 * will map goes through map_plan_learn once, then map_plan_learned.
 * map_plan_learns is 0 for a plan with no such field, which needs no
 * learning at all. */
int map_plan_learns(const struct map_plan *p);
void map_plan_learn(struct map_plan *p, const char *const *values);
void map_plan_learned(struct map_plan *p);

/* Maps one row (values in header order) whose source id is source_id.
 * Always fills res (which need not be initialised) and reports every
 * problem of the row; res->props is NULL when an error rejects the row.
 * map_result_release frees what it holds. */
void map_row(const struct map_plan *p, const struct map_ctx *ctx,
             const char *source_id, const char *const *values,
             struct map_result *res);
/* The same mapping without building res->props, for callers that only
 * judge rows (check): res must start zeroed and is reused row after row
 * without allocating; release it once at the end. */
void map_row_values(const struct map_plan *p, const struct map_ctx *ctx,
                    const char *source_id, const char *const *values,
                    struct map_result *res);
/* The value the mapped row writes to property (as it would be in
 * res->props), or NULL. Valid while the row's values and res are. */
const char *map_result_get(const struct map_plan *p, const struct map_ctx *ctx,
                           const char *source_id, const struct map_result *res,
                           const char *property);
void map_result_release(struct map_result *res);

/* A short stable digest (16 hex characters and a NUL) of a property set,
 * so a rerun can tell whether a record's values changed. */
void map_props_digest(const json_t *props, char out[17]);

#endif
