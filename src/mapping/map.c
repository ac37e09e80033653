#include "mapping/map.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "mapping/map_int.h"
#include "mapping/transform.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The schema's definition of name: by internal name, then by the label
 * a user may have written instead (case aside). */
static const json_t *find_def(const json_t *schema, const char *name,
                              const char **resolved, int *by_label)
{
    const char *key;
    json_t *def;

    *by_label = 0;
    if ((def = json_object_get(schema, name))) {
        *resolved = name;
        return def;
    }
    json_object_foreach((json_t *)schema, key, def)
    {
        const char *label = json_string_value(json_object_get(def, "label"));

        if (!strcasecmp(key, name) || (label && !strcasecmp(label, name))) {
            *resolved = key;
            *by_label = 1;
            return def;
        }
    }
    *resolved = name;
    return NULL;
}

/* A text field takes the transform its property's type needs. */
static enum xform xform_for_type(enum xform configured, const char *type)
{
    if (configured != XF_TEXT || !type)
        return configured;
    if (!strcmp(type, "number"))
        return XF_NUMBER;
    if (!strcmp(type, "bool"))
        return XF_BOOL;
    if (!strcmp(type, "date"))
        return XF_DATE;
    if (!strcmp(type, "datetime"))
        return XF_DATETIME;
    if (!strcmp(type, "enumeration"))
        return XF_ENUM;
    return XF_TEXT;
}

static void bind_options(struct plan_field *pf, const json_t *def)
{
    const json_t *opts = json_object_get(def, "options");
    const json_t *o;
    size_t i;

    pf->nopts = json_array_size(opts);
    pf->opt_values = xcalloc(pf->nopts + 1, sizeof(*pf->opt_values));
    pf->opt_labels = xcalloc(pf->nopts + 1, sizeof(*pf->opt_labels));
    json_array_foreach(opts, i, o)
    {
        pf->opt_values[i] = json_string_value(json_object_get(o, "value"));
        pf->opt_labels[i] = json_string_value(json_object_get(o, "label"));
    }
}

static void bind_field(struct plan_field *pf, const struct field_map *f,
                       const struct map_ctx *ctx)
{
    const json_t *def =
        find_def(ctx->schema, f->property, &pf->property, &pf->by_label);
    const json_t *meta = json_object_get(def, "modificationMetadata");
    const char *type = json_string_value(json_object_get(def, "type"));
    const char *ft = json_string_value(json_object_get(def, "fieldType"));

    pf->f = f;
    pf->bind = !def ? MAP_MISSING
               : json_is_true(json_object_get(meta, "readOnlyValue"))
                   ? MAP_READONLY
                   : MAP_BOUND;
    pf->xform = xform_for_type(f->xform, type);
    pf->as_datetime =
        type ? !strcmp(type, "datetime") : f->xform == XF_DATETIME;
    pf->multi =
        type && !strcmp(type, "enumeration") && ft && !strcmp(ft, "checkbox");
    bind_options(pf, def);
    if (pf->xform == XF_OWNER)
        pf->owners = map_owner_memo_new();
    pf->learns = (pf->xform == XF_DATE || pf->xform == XF_DATETIME) &&
                 f->date_format < 0 &&
                 (pf->bind == MAP_BOUND ||
                  (pf->bind == MAP_MISSING && ctx->create_missing));
}

int map_plan_new(const struct object_source *src, const char *const *header,
                 size_t ncols, const struct map_ctx *ctx, struct map_plan **out,
                 struct err *e)
{
    struct map_plan *p = xcalloc(1, sizeof(*p));

    p->src = src;
    p->nfields = src->nfields;
    p->fields = xcalloc(src->nfields + 1, sizeof(*p->fields));
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
        p->fields[i].col = c;
        bind_field(&p->fields[i], &src->fields[i], ctx);
        p->has_stage |= p->fields[i].xform == XF_DEALSTAGE;
    }
    *out = p;
    return 0;
}

void map_plan_free(struct map_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfields; i++) {
        free(p->fields[i].opt_values);
        free(p->fields[i].opt_labels);
        map_owner_memo_free(p->fields[i].owners);
    }
    free(p->fields);
    free(p);
}

size_t map_plan_nfields(const struct map_plan *p)
{
    return p->nfields;
}

void map_plan_field(const struct map_plan *p, size_t i,
                    struct map_field_info *out)
{
    const struct plan_field *pf = &p->fields[i];

    out->field = pf->f;
    out->property = pf->property;
    out->bind = pf->bind;
    out->by_label = pf->by_label;
    out->column = pf->col;
    out->learns = pf->learns;
    out->date_order = pf->slash == XF_DATE_AUTO_DMY   ? "D/M/YYYY"
                      : pf->slash == XF_DATE_AUTO_MDY ? "M/D/YYYY"
                                                      : NULL;
    out->shown_dmy = pf->shown_dmy;
    out->shown_mdy = pf->shown_mdy;
}

int map_plan_learns(const struct map_plan *p)
{
    for (size_t i = 0; i < p->nfields; i++)
        if (p->fields[i].learns)
            return 1;
    return 0;
}

void map_plan_learn(struct map_plan *p, const char *const *values)
{
    for (size_t i = 0; i < p->nfields; i++) {
        struct plan_field *pf = &p->fields[i];
        enum xf_date_format shown;

        if (!pf->learns || !values[pf->col][0])
            continue;
        shown = xf_date_order_shown(values[pf->col]);
        pf->shown_dmy += shown == XF_DATE_AUTO_DMY;
        pf->shown_mdy += shown == XF_DATE_AUTO_MDY;
    }
}

/* The order shown by more values wins; the values showing the other are
 * refused when rows are mapped. A tie tells nothing. */
void map_plan_learned(struct map_plan *p)
{
    for (size_t i = 0; i < p->nfields; i++) {
        struct plan_field *pf = &p->fields[i];

        pf->slash = pf->shown_dmy > pf->shown_mdy   ? XF_DATE_AUTO_DMY
                    : pf->shown_mdy > pf->shown_dmy ? XF_DATE_AUTO_MDY
                                                    : XF_DATE_AUTO;
    }
}

void map_copy(char *dst, size_t size, const char *a, const char *b,
              const char *c)
{
    const char *part[3] = {a, b, c};
    size_t len = 0;

    for (int i = 0; i < 3 && part[i]; i++) {
        size_t n = strlen(part[i]);
        int cut = len + n >= size;

        if (cut) {
            n = size - 1 - len;
            /* Before a character, never inside one. */
            while (n > 0 && ((unsigned char)part[i][n] & 0xc0) == 0x80)
                n--;
        }
        memcpy(dst + len, part[i], n);
        len += n;
        if (cut)
            break;
    }
    dst[len] = '\0';
}

static struct map_problem *problem_slot(struct map_result *res)
{
    if (!res->problems || !res->problems_cap) {
        res->problems = res->inline_problems;
        res->problems_cap = MAP_INLINE_PROBLEMS;
    }
    if (res->nproblems == res->problems_cap) {
        size_t cap = 2 * res->problems_cap;
        struct map_problem *more = xcalloc(cap, sizeof(*more));

        memcpy(more, res->problems, res->nproblems * sizeof(*more));
        if (res->problems != res->inline_problems)
            free(res->problems);
        res->problems = more;
        res->problems_cap = cap;
    }
    return &res->problems[res->nproblems++];
}

void map_note_add(struct map_result *res, enum map_note kind,
                  const struct plan_field *pf, const char *value,
                  const char *msg, const char *hint)
{
    struct map_problem *pr = problem_slot(res);

    pr->kind = kind;
    pr->column = pf->f->column;
    pr->property = pf->property;
    map_copy(pr->value, sizeof(pr->value), value, NULL, NULL);
    map_copy(pr->message, sizeof(pr->message), msg, NULL, NULL);
    map_copy(pr->hint, sizeof(pr->hint), hint ? hint : "", NULL, NULL);
}

static int plain(const struct plan_field *pf, const struct map_ctx *ctx,
                 const char *in, char *out, char *why)
{
    struct xf_date_opts o = {XF_DATE_AUTO, pf->as_datetime, ctx->tz};
    int loc = pf->f->locale >= 0 ? pf->f->locale : ctx->locale;

    o.format = pf->f->date_format >= 0 ? (enum xf_date_format)pf->f->date_format
                                       : pf->slash;
    switch (pf->xform) {
    case XF_EMAIL:
        return xf_email(in, out, why);
    case XF_DOMAIN:
        return xf_domain(in, out, why);
    case XF_NUMBER:
        return xf_number(in, (enum xf_locale)loc, out, why);
    case XF_BOOL:
        return xf_bool(in, out, why);
    default:
        return xf_date(in, &o, out, why);
    }
}

/* What to do about a slash date its column cannot read. */
static const char *date_hint(const struct plan_field *pf, const char *in)
{
    enum xf_date_format shown;

    if (!pf->learns)
        return NULL;
    if (pf->slash == XF_DATE_AUTO && xf_date_ambiguous(in))
        return "date_format: \"D/M/YYYY\" or \"M/D/YYYY\" for this column "
               "in the project config";
    shown = xf_date_order_shown(in);
    if (pf->slash != XF_DATE_AUTO && shown != XF_DATE_AUTO &&
        shown != pf->slash)
        return "correct the value, or set date_format for this column in "
               "the project config";
    return NULL;
}

/* HubSpot's longest string value, in characters as JavaScript counts
 * them (UTF-16 code units: a character beyond U+FFFF counts two). */
#define TEXT_MAX 65536

static size_t utf16_length(const char *s)
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xc0) != 0x80)
            n += *p >= 0xf0 ? 2 : 1;
    return n;
}

/* Text longer than HubSpot takes: rejected here, as run would be. A
 * value of at most TEXT_MAX bytes cannot be too long, so only long
 * values are counted. */
static int text_too_long(const struct plan_field *pf, const char *in,
                         struct map_result *res)
{
    char why[160];
    size_t n;

    if (strnlen(in, TEXT_MAX + 1) <= TEXT_MAX ||
        (n = utf16_length(in)) <= TEXT_MAX)
        return 0;
    snprintf(why, sizeof(why),
             "value is %zu characters long; HubSpot takes at most %d", n,
             TEXT_MAX);
    map_note_add(res, MAP_ERROR, pf, in, why,
                 "shorten the value in the export, or leave the column "
                 "unmapped");
    return 1;
}

/* Applies one field's transform. Returns 1 with out set, 2 to write the
 * input whole (text is never cut at XF_OUT_MAX), 0 to leave the property
 * out, -1 when the row is rejected. */
static int apply(const struct plan_field *pf, const struct map_ctx *ctx,
                 const char *in, char *out, struct map_result *res)
{
    char why[XF_OUT_MAX];

    switch (pf->xform) {
    case XF_TEXT:
        return text_too_long(pf, in, res) ? -1 : 2; /* the input whole */
    case XF_ENUM:
        return map_enum_value(pf, in, out, res);
    case XF_OWNER:
        return map_owner_value(pf, ctx, in, out, res);
    case XF_PIPELINE:
        return map_pipeline_value(pf, ctx, in, out, res);
    case XF_DEALSTAGE:
        return 0; /* after the pipeline is known */
    default:
        if (!plain(pf, ctx, in, out, why))
            return 1;
        map_note_add(res, MAP_ERROR, pf, in, why, date_hint(pf, in));
        return -1;
    }
}

static int writable(const struct plan_field *pf, const struct map_ctx *ctx)
{
    return pf->bind == MAP_BOUND ||
           (pf->bind == MAP_MISSING && ctx->create_missing);
}

/* Records that the row writes property: input itself, or out (copied). */
static void value_put(struct map_result *res, const char *property,
                      const char *input, const char *out)
{
    struct map_value *v;

    if (res->nvalues == res->values_cap) {
        res->values_cap = res->values_cap ? 2 * res->values_cap : 32;
        res->values =
            xrealloc(res->values, res->values_cap * sizeof(*res->values));
    }
    v = &res->values[res->nvalues++];
    v->property = property;
    v->input = input;
    v->off = res->text.len;
    if (!input)
        buf_add(&res->text, out, strlen(out) + 1);
}

static const char *value_text(const struct map_result *res, size_t i)
{
    const struct map_value *v = &res->values[i];

    return v->input ? v->input : res->text.data + v->off;
}

const char *map_result_get(const struct map_plan *p, const struct map_ctx *ctx,
                           const char *source_id, const struct map_result *res,
                           const char *property)
{
    /* The last value written wins, as in a JSON object. */
    for (size_t i = res->nvalues; i-- > 0;) {
        const char *name = res->values[i].property;

        if (name[0] == property[0] && !strcmp(name, property))
            return value_text(res, i);
    }
    if (ctx->id_property && !strcmp(ctx->id_property, property))
        return source_id;
    return json_string_value(json_object_get(p->src->set, property));
}

/* Deal stages last: a stage id only means something in its pipeline,
 * and HubSpot needs both. */
static int map_stages(const struct map_plan *p, const struct map_ctx *ctx,
                      const char *source_id, const char *const *values,
                      struct map_result *res)
{
    const char *pipeline = map_result_get(p, ctx, source_id, res, "pipeline");
    char out[XF_OUT_MAX], kept[XF_OUT_MAX];
    int rejected = 0;

    /* A transformed value moves when the result's text grows. */
    if (pipeline && res->text.data && pipeline >= res->text.data &&
        pipeline < res->text.data + res->text.len) {
        map_copy(kept, sizeof(kept), pipeline, NULL, NULL);
        pipeline = kept;
    }
    if (!pipeline && ctx->pipeline) {
        value_put(res, "pipeline", ctx->pipeline, NULL);
        pipeline = ctx->pipeline;
    }
    for (size_t i = 0; i < p->nfields; i++) {
        const struct plan_field *pf = &p->fields[i];
        const char *in = values[pf->col];
        int r;

        if (pf->xform != XF_DEALSTAGE || !in[0] || !writable(pf, ctx))
            continue;
        r = map_stage_value(pf, ctx, pipeline, in, out, res);
        if (r < 0)
            rejected = 1;
        else if (r > 0)
            value_put(res, pf->property, NULL, out);
    }
    return rejected;
}

void map_row_values(const struct map_plan *p, const struct map_ctx *ctx,
                    const char *source_id, const char *const *values,
                    struct map_result *res)
{
    char out[XF_OUT_MAX];
    int rejected = 0;

    res->rejected = 0;
    res->nproblems = 0;
    res->nvalues = 0;
    buf_reset(&res->text);
    if (!res->problems_cap) {
        res->problems = res->inline_problems;
        res->problems_cap = MAP_INLINE_PROBLEMS;
    }
    for (size_t i = 0; i < p->nfields; i++) {
        const struct plan_field *pf = &p->fields[i];
        const char *in = values[pf->col];
        int r;

        if (!in[0] || !writable(pf, ctx))
            continue;
        r = apply(pf, ctx, in, out, res);
        if (r < 0)
            rejected = 1;
        else if (r == 2)
            value_put(res, pf->property, in, NULL);
        else if (r == 1)
            value_put(res, pf->property, NULL, out);
    }
    if (p->has_stage)
        rejected |= map_stages(p, ctx, source_id, values, res);
    res->rejected = rejected;
}

/* The property set of a mapped row, built in the order the values were
 * written so that a later value for a property replaces an earlier one. */
static json_t *result_props(const struct map_plan *p, const struct map_ctx *ctx,
                            const char *source_id, const struct map_result *res)
{
    json_t *props = json_deep_copy(p->src->set);

    json_object_set_new(props, ctx->id_property, json_string(source_id));
    for (size_t i = 0; i < res->nvalues; i++)
        json_object_set_new(props, res->values[i].property,
                            json_string(value_text(res, i)));
    return props;
}

void map_row(const struct map_plan *p, const struct map_ctx *ctx,
             const char *source_id, const char *const *values,
             struct map_result *res)
{
    memset(res, 0, sizeof(*res));
    map_row_values(p, ctx, source_id, values, res);
    if (!res->rejected)
        res->props = result_props(p, ctx, source_id, res);

    /* Only the problems outlive the call: a caller that reads them and
     * drops a rejected result keeps nothing allocated (unless the row
     * had more problems than the inline array holds). */
    free(res->values);
    res->values = NULL;
    res->nvalues = res->values_cap = 0;
    buf_release(&res->text);
}

void map_result_release(struct map_result *res)
{
    if (!res)
        return;
    json_decref(res->props);
    res->props = NULL;
    /* Problems in the inline array stay readable. */
    if (res->problems != res->inline_problems) {
        free(res->problems);
        res->nproblems = 0;
    }
    res->problems = res->inline_problems;
    res->problems_cap = MAP_INLINE_PROBLEMS;
    free(res->values);
    res->values = NULL;
    res->nvalues = res->values_cap = 0;
    buf_release(&res->text);
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
