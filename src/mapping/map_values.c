/* map_values.c: values that must name something in the portal: options
 * of an enumeration, owners, deal pipelines and their stages. */
#include "core/xalloc.h"
#include "mapping/map_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

/* Lists names into hint as "allowed: a, b, c", cut to fit. */
static void allowed_list(const char *const *names, size_t n, char *hint,
                         size_t size)
{
    size_t len = (size_t)snprintf(hint, size, "allowed: ");

    for (size_t i = 0; i < n && len < size; i++) {
        if (!names[i])
            continue;
        if (len + strlen(names[i]) + 8 >= size) {
            snprintf(hint + len, size - len, "...");
            return;
        }
        len += (size_t)snprintf(hint + len, size - len, "%s%s", i ? ", " : "",
                                names[i]);
    }
}

/* The config's value map: exact first, then regardless of case. */
static const char *value_map(const json_t *values, const char *in)
{
    const char *key;
    json_t *v;

    if (!values)
        return NULL;
    if ((v = json_object_get(values, in)))
        return json_string_value(v);
    json_object_foreach(
        (json_t *)values, key,
        v) if (!strcasecmp(key, in)) return json_string_value(v);
    return NULL;
}

/* Maps one option value; the unknown-value policy decides a miss. */
static int enum_one(const struct plan_field *pf, const char *in, char *out,
                    struct map_result *res)
{
    const char *mapped = value_map(pf->f->values, in);
    const char *want = mapped ? mapped : in;
    char hint[256];
    long i;

    /* Nothing to check against: a property still to be created, or one
     * whose options the portal does not list. */
    if (!pf->nopts) {
        snprintf(out, XF_OUT_MAX, "%s", want);
        return 1;
    }
    if ((i = xf_option_find(want, pf->opt_values, pf->opt_labels, pf->nopts)) >=
        0) {
        snprintf(out, XF_OUT_MAX, "%s", pf->opt_values[i]);
        return 1;
    }
    allowed_list(pf->opt_values, pf->nopts, hint, sizeof(hint));
    switch (pf->f->on_unknown) {
    case UNKNOWN_DEFAULT:
        i = xf_option_find(pf->f->default_value, pf->opt_values, pf->opt_labels,
                           pf->nopts);
        snprintf(out, XF_OUT_MAX, "%s",
                 i >= 0 ? pf->opt_values[i] : pf->f->default_value);
        map_note_add(res, MAP_WARNING, pf, in,
                     "not one of the property's options; the configured "
                     "default is written",
                     hint);
        return 1;
    case UNKNOWN_CREATE:
        snprintf(out, XF_OUT_MAX, "%s", want);
        xf_trim(out);
        map_note_add(res, MAP_NEW_OPTION, pf, out,
                     "option to create before the run", NULL);
        return 1;
    default:
        map_note_add(res, MAP_ERROR, pf, in,
                     "not one of the property's options", hint);
        return -1;
    }
}

/* Multi-select: each part on its own, joined with ';'. */
static int enum_multi(const struct plan_field *pf, const char *in, char *out,
                      struct map_result *res)
{
    const char *sep = pf->f->separator ? pf->f->separator : ";";
    size_t seplen = strlen(sep), len = 0;
    char part[XF_OUT_MAX], one[XF_OUT_MAX];
    int bad = 0;

    out[0] = '\0';
    for (const char *p = in; p;) {
        const char *end = strstr(p, sep);
        size_t n = end ? (size_t)(end - p) : strlen(p);

        snprintf(part, sizeof(part), "%.*s", (int)n, p);
        p = end ? end + seplen : NULL;
        if (!*xf_trim(part))
            continue;
        if (enum_one(pf, part, one, res) < 0) {
            bad = 1;
            continue;
        }
        if (len + strlen(one) + 2 >= XF_OUT_MAX) {
            map_note_add(res, MAP_ERROR, pf, in,
                         "too many values for one multi-select", NULL);
            return -1;
        }
        len += (size_t)snprintf(out + len, XF_OUT_MAX - len, "%s%s",
                                len ? ";" : "", one);
    }
    return bad ? -1 : len ? 1 : 0;
}

int map_enum_value(const struct plan_field *pf, const char *in, char *out,
                   struct map_result *res)
{
    char v[XF_OUT_MAX];

    if (pf->multi)
        return enum_multi(pf, in, out, res);
    snprintf(v, sizeof(v), "%s", in);
    return enum_one(pf, xf_trim(v), out, res);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

int map_owner_value(const struct plan_field *pf, const struct map_ctx *ctx,
                    const char *in, char *out, struct map_result *res)
{
    const char *email =
        json_string_value(json_object_get(ctx->user_emails, in));
    const char *id;
    char key[XF_OUT_MAX], msg[400];

    snprintf(key, sizeof(key), "%s", strchr(in, '@') || !email ? in : email);
    lower(xf_trim(key));
    id = json_string_value(json_object_get(ctx->owner_emails, key));
    if (!id && ctx->default_owner) {
        snprintf(msg, sizeof(msg),
                 "no HubSpot owner has the email '%s'; the default owner "
                 "is written",
                 key);
        map_note_add(res, MAP_WARNING, pf, in, msg, NULL);
        id = ctx->default_owner;
    } else if (!id && ctx->owner_optional) {
        snprintf(msg, sizeof(msg),
                 "no HubSpot owner has the email '%s'; the record is "
                 "written without an owner",
                 key);
        map_note_add(res, MAP_WARNING, pf, in, msg, NULL);
        return 0;
    } else if (!id) {
        snprintf(msg, sizeof(msg), "no HubSpot owner has the email '%s'", key);
        map_note_add(res, MAP_ERROR, pf, in, msg,
                     strchr(key, '@') ? "add the user in HubSpot, or set "
                                        "owners.default in the project config"
                                      : "the user is not in User.csv or has "
                                        "no email");
        return -1;
    } else if (json_object_get(ctx->archived_owners, id)) {
        snprintf(msg, sizeof(msg),
                 "the HubSpot owner with the email '%s' is archived "
                 "(deactivated)",
                 key);
        map_note_add(res, MAP_WARNING, pf, in, msg, NULL);
    }
    snprintf(out, XF_OUT_MAX, "%s", id);
    return 1;
}

static const char *label_of(const json_t *o)
{
    const char *l = json_string_value(json_object_get(o, "label"));

    return l ? l : "";
}

static const char *id_of(const json_t *o)
{
    const char *id = json_string_value(json_object_get(o, "id"));

    return id ? id : "";
}

/* The element of list whose id or label is name (case aside). */
static const json_t *find_named(const json_t *list, const char *name)
{
    const json_t *o;
    size_t i;

    json_array_foreach(list, i, o) if (!strcmp(id_of(o), name)) return o;
    json_array_foreach(list, i, o) if (!strcasecmp(id_of(o), name) ||
                                       !strcasecmp(label_of(o), name)) return o;
    return NULL;
}

/* "allowed: a, b" over the labels of list. */
static void allowed_labels(const json_t *list, char *hint, size_t size)
{
    size_t n = json_array_size(list);
    const char **names = xcalloc(n + 1, sizeof(*names));

    for (size_t i = 0; i < n; i++)
        names[i] = label_of(json_array_get(list, i));
    allowed_list(names, n, hint, size);
    free(names);
}

int map_pipeline_value(const struct plan_field *pf, const struct map_ctx *ctx,
                       const char *in, char *out, struct map_result *res)
{
    const char *mapped = value_map(pf->f->values, in);
    const char *want = mapped ? mapped : in;
    const json_t *p;
    char hint[256];

    if (!ctx->pipelines) {
        snprintf(out, XF_OUT_MAX, "%s", want);
        return 1;
    }
    if ((p = find_named(ctx->pipelines, want))) {
        snprintf(out, XF_OUT_MAX, "%s", id_of(p));
        return 1;
    }
    allowed_labels(ctx->pipelines, hint, sizeof(hint));
    map_note_add(res, MAP_ERROR, pf, in, "no deal pipeline has this name",
                 hint);
    return -1;
}

/* A stage the row's pipeline does not have: say where it is, if
 * anywhere. */
static int stage_elsewhere(const struct plan_field *pf,
                           const struct map_ctx *ctx, const json_t *pipe,
                           const char *want, const char *in,
                           struct map_result *res)
{
    const json_t *p;
    char msg[400], hint[256];
    size_t i;

    allowed_labels(json_object_get(pipe, "stages"), hint, sizeof(hint));
    json_array_foreach(ctx->pipelines, i, p)
    {
        if (p == pipe || !find_named(json_object_get(p, "stages"), want))
            continue;
        snprintf(msg, sizeof(msg),
                 "the stage belongs to the pipeline '%s', not to '%s' "
                 "where the deal goes",
                 label_of(p), label_of(pipe));
        map_note_add(res, MAP_ERROR, pf, in, msg, hint);
        return -1;
    }
    snprintf(msg, sizeof(msg), "no stage of the pipeline '%s' has this name",
             label_of(pipe));
    map_note_add(res, MAP_ERROR, pf, in, msg, hint);
    return -1;
}

int map_stage_value(const struct plan_field *pf, const struct map_ctx *ctx,
                    const char *pipeline, const char *in, char *out,
                    struct map_result *res)
{
    const char *mapped = json_string_value(json_object_get(ctx->stages, in));
    const char *want = mapped ? mapped : value_map(pf->f->values, in);
    const json_t *pipe, *stage;

    want = want ? want : in;
    if (!ctx->pipelines) {
        if (!mapped) {
            map_note_add(res, MAP_ERROR, pf, in,
                         "stage is not mapped to a HubSpot stage id",
                         "map it under deals.stages in the project config");
            return -1;
        }
        snprintf(out, XF_OUT_MAX, "%s", mapped);
        return 1;
    }
    if (!(pipe = find_named(ctx->pipelines, pipeline))) {
        map_note_add(res, MAP_ERROR, pf, pipeline,
                     "the deal pipeline does not exist in the portal",
                     "set deals.pipeline to a pipeline id or label");
        return -1;
    }
    if (!(stage = find_named(json_object_get(pipe, "stages"), want)))
        return stage_elsewhere(pf, ctx, pipe, want, in, res);
    snprintf(out, XF_OUT_MAX, "%s", id_of(stage));
    return 1;
}
