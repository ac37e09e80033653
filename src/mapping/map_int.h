/* map_int.h: what map.c and map_values.c share. */
#ifndef HSM_MAPPING_MAP_INT_H
#define HSM_MAPPING_MAP_INT_H

#include "mapping/map.h"
#include "mapping/transform.h"

/* One configured field bound to its column and its property. */
struct plan_field {
    const struct field_map *f;
    size_t col;
    const char *property; /* resolved internal name */
    enum map_bind bind;
    int by_label;
    enum xform xform; /* the configured one, or the property type's */
    int multi;        /* a multi-select property: split, map, join */
    int as_datetime;  /* the property stores a datetime */
    size_t nopts;
    const char **opt_values; /* enumeration options, borrowed from ctx */
    const char **opt_labels;
    struct owner_memo *owners; /* XF_OWNER: answers given so far */
    /* A date field without date_format: the order its column's slash
     * dates show, learned before rows are mapped. */
    int learns;
    long shown_dmy, shown_mdy;
    enum xf_date_format slash; /* XF_DATE_AUTO, _AUTO_DMY or _AUTO_MDY */
};

struct map_plan {
    const struct object_source *src;
    struct plan_field *fields;
    size_t nfields;
    int has_stage;
};

/* snprintf(dst, size, "%s%s%s", a, b, c) without the format machinery:
 * values and notes are written for many rows. b and c may be NULL. What
 * does not fit is cut at a UTF-8 character's start. */
void map_copy(char *dst, size_t size, const char *a, const char *b,
              const char *c);

void map_note_add(struct map_result *res, enum map_note kind,
                  const struct plan_field *pf, const char *value,
                  const char *msg, const char *hint);

/* Each returns 1 with out set, 0 to leave the property out, -1 when
 * the row is rejected (the reason is in res). */
int map_enum_value(const struct plan_field *pf, const char *in, char *out,
                   struct map_result *res);
int map_owner_value(const struct plan_field *pf, const struct map_ctx *ctx,
                    const char *in, char *out, struct map_result *res);
/* The owner answers a plan remembers: an export names few users, each on
 * many rows, and ctx does not change while a plan lives. */
struct owner_memo *map_owner_memo_new(void);
void map_owner_memo_free(struct owner_memo *m);
int map_pipeline_value(const struct plan_field *pf, const struct map_ctx *ctx,
                       const char *in, char *out, struct map_result *res);
int map_stage_value(const struct plan_field *pf, const struct map_ctx *ctx,
                    const char *pipeline, const char *in, char *out,
                    struct map_result *res);

#endif
