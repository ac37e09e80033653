#include "mapping/map.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "mapping/transform.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct map_plan {
    const struct object_source *src;
    size_t *col; /* config field i -> column index in the file */
};

int map_plan_new(const struct object_source *src, const char *const *header,
                 size_t ncols, struct map_plan **out, struct err *e)
{
    struct map_plan *p = xcalloc(1, sizeof(*p));

    p->src = src;
    p->col = xcalloc(src->nfields, sizeof(*p->col));
    for (size_t i = 0; i < src->nfields; i++) {
        size_t c;

        for (c = 0; c < ncols; c++)
            if (!strcmp(header[c], src->fields[i].column))
                break;
        if (c == ncols) {
            map_plan_free(p);
            *out = NULL;
            return err_set(e, ERR_USAGE,
                           "'%s' line 1: column '%s' (mapped to '%s') is "
                           "not in the file",
                           src->file, src->fields[i].column,
                           src->fields[i].property);
        }
        p->col[i] = c;
    }
    *out = p;
    return 0;
}

void map_plan_free(struct map_plan *p)
{
    if (!p)
        return;
    free(p->col);
    free(p);
}

static void add_problem(struct map_result *res, int is_error,
                        const struct field_map *f, const char *value,
                        const char *msg)
{
    struct map_problem *pr;

    if (res->nproblems == MAP_MAX_PROBLEMS)
        return;
    pr = &res->problems[res->nproblems++];
    pr->is_error = is_error;
    pr->column = f->column;
    pr->property = f->property;
    snprintf(pr->value, sizeof(pr->value), "%s", value);
    snprintf(pr->message, sizeof(pr->message), "%s", msg);
}

static int prop_is(const struct map_ctx *ctx, const char *prop,
                   const char *type)
{
    const json_t *t = json_object_get(ctx->prop_types, prop);

    return json_is_string(t) && !strcmp(json_string_value(t), type);
}

/* Looks key up in a string-to-string map; NULL when absent. */
static const char *lookup(const json_t *map, const char *key)
{
    const json_t *v = json_object_get(map, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Applies one field's transform. Returns 1 with out set, 0 to leave the
 * property out (warning recorded), -1 when the row is rejected. */
static int apply(const struct field_map *f, const struct map_ctx *ctx,
                 const char *in, char *out, struct map_result *res)
{
    char why[XF_OUT_MAX];
    const char *hit;
    int rc = 0;

    switch (f->xform) {
    case XF_TEXT:
        snprintf(out, XF_OUT_MAX, "%s", in);
        return strlen(in) < XF_OUT_MAX ? 1 : 2;
    case XF_EMAIL:
        rc = xf_email(in, out, why);
        break;
    case XF_DOMAIN:
        rc = xf_domain(in, out, why);
        break;
    case XF_NUMBER:
        rc = xf_number(in, out, why);
        break;
    case XF_BOOL:
        rc = xf_bool(in, out, why);
        break;
    case XF_DATE:
    case XF_DATETIME:
        rc = xf_date(in,
                     f->xform == XF_DATETIME ||
                         prop_is(ctx, f->property, "datetime"),
                     out, why);
        break;
    case XF_OWNER:
        if (!(hit = lookup(ctx->owner_ids, in))) {
            add_problem(res, 0, f, in,
                        "no HubSpot owner has this user's email; the "
                        "record is written without an owner");
            return 0;
        }
        snprintf(out, XF_OUT_MAX, "%s", hit);
        return 1;
    case XF_DEALSTAGE:
        if (!(hit = lookup(ctx->stages, in))) {
            add_problem(res, 1, f, in,
                        "stage is not mapped to a HubSpot stage id under "
                        "deals.stages in the project config");
            return -1;
        }
        snprintf(out, XF_OUT_MAX, "%s", hit);
        return 1;
    default:
        return -1;
    }
    if (rc) {
        add_problem(res, 1, f, in, why);
        return -1;
    }
    return 1;
}

static int has_stage_field(const struct object_source *src)
{
    for (size_t i = 0; i < src->nfields; i++)
        if (src->fields[i].xform == XF_DEALSTAGE)
            return 1;
    return 0;
}

void map_row(const struct map_plan *p, const struct map_ctx *ctx,
             const char *source_id, const char *const *values,
             struct map_result *res)
{
    const struct object_source *src = p->src;
    char out[XF_OUT_MAX];
    int rejected = 0;

    memset(res, 0, sizeof(*res));
    res->props = json_deep_copy(src->set);
    json_object_set_new(res->props, ctx->id_property, json_string(source_id));
    for (size_t i = 0; i < src->nfields; i++) {
        const char *in = values[p->col[i]];
        int r;

        if (!in[0])
            continue;
        r = apply(&src->fields[i], ctx, in, out, res);
        if (r < 0)
            rejected = 1;
        else if (r == 2)
            /* Long text is kept whole rather than cut at XF_OUT_MAX. */
            json_object_set_new(res->props, src->fields[i].property,
                                json_string(in));
        else if (r == 1)
            json_object_set_new(res->props, src->fields[i].property,
                                json_string(out));
    }
    /* HubSpot needs both: a stage id only means something in its
     * pipeline. */
    if (has_stage_field(src) && !json_object_get(res->props, "pipeline"))
        json_object_set_new(res->props, "pipeline", json_string(ctx->pipeline));
    if (rejected) {
        json_decref(res->props);
        res->props = NULL;
    }
}

void map_result_release(struct map_result *res)
{
    if (!res)
        return;
    json_decref(res->props);
    res->props = NULL;
}

void map_props_digest(const json_t *props, char out[17])
{
    char *text = json_dumps(props, JSON_SORT_KEYS | JSON_COMPACT);
    uint64_t h = 1469598103934665603ULL;

    for (const char *c = text ? text : ""; *c; c++) {
        h ^= (unsigned char)*c;
        h *= 1099511628211ULL;
    }
    free(text);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
