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
        map_copy(out, XF_OUT_MAX, want, NULL, NULL);
        return 1;
    }
    if ((i = xf_option_find(want, pf->opt_values, pf->opt_labels, pf->nopts)) >=
        0) {
        map_copy(out, XF_OUT_MAX, pf->opt_values[i], NULL, NULL);
        return 1;
    }
    allowed_list(pf->opt_values, pf->nopts, hint, sizeof(hint));
    switch (pf->f->on_unknown) {
    case UNKNOWN_DEFAULT:
        i = xf_option_find(pf->f->default_value, pf->opt_values, pf->opt_labels,
                           pf->nopts);
        map_copy(out, XF_OUT_MAX,
                 i >= 0 ? pf->opt_values[i] : pf->f->default_value, NULL, NULL);
        map_note_add(res, MAP_WARNING, pf, in,
                     "not one of the property's options; the configured "
                     "default is written",
                     hint);
        return 1;
    case UNKNOWN_CREATE:
        map_copy(out, XF_OUT_MAX, want, NULL, NULL);
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
    map_copy(v, sizeof(v), in, NULL, NULL);
    return enum_one(pf, xf_trim(v), out, res);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

#define OWNER_MEMO_MAX 64

/* One answer of map_owner_value: its result, its value and the note it
 * added, if any. Inputs and owner ids longer than the slots are not
 * remembered. */
struct owner_answer {
    char in[64];
    int rc;
    char out[64];
    int noted;
    enum map_note kind;
    char message[sizeof(((struct map_problem *)0)->message)];
    const char *hint; /* a constant string, or NULL */
};

struct owner_memo {
    struct owner_answer answers[OWNER_MEMO_MAX];
    size_t n;
};

struct owner_memo *map_owner_memo_new(void)
{
    return xcalloc(1, sizeof(struct owner_memo));
}

void map_owner_memo_free(struct owner_memo *m)
{
    free(m);
}

static const struct owner_answer *owner_recall(const struct owner_memo *m,
                                               const char *in)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (m->answers[i].in[0] == in[0] && !strcmp(m->answers[i].in, in))
            return &m->answers[i];
    return NULL;
}

static void owner_keep(struct owner_memo *m, const char *in,
                       const struct owner_answer *a, const char *out)
{
    struct owner_answer *k;

    if (!m || m->n == OWNER_MEMO_MAX || strlen(in) >= sizeof(k->in) ||
        (a->rc > 0 && strlen(out) >= sizeof(k->out)))
        return;
    k = &m->answers[m->n++];
    *k = *a;
    strcpy(k->in, in);
    if (a->rc > 0)
        strcpy(k->out, out);
}

static void owner_note(struct owner_answer *a, enum map_note kind,
                       const char *before, const char *key, const char *after,
                       const char *hint)
{
    a->noted = 1;
    a->kind = kind;
    a->hint = hint;
    map_copy(a->message, sizeof(a->message), before, key, after);
}

/* Finds the owner of the user named by in (a source user id, or an
 * email): a->rc is 1 with out set, 0 for no owner, -1 for an error. */
static void owner_find(const struct map_ctx *ctx, const char *in, char *out,
                       struct owner_answer *a)
{
    const char *email =
        json_string_value(json_object_get(ctx->user_emails, in));
    const char *id;
    char key[XF_OUT_MAX];

    a->rc = 1;
    a->noted = 0;
    map_copy(key, sizeof(key), strchr(in, '@') || !email ? in : email, NULL,
             NULL);
    lower(xf_trim(key));
    id = json_string_value(json_object_get(ctx->owner_emails, key));
    if (!id && ctx->default_owner) {
        owner_note(a, MAP_WARNING, "no HubSpot owner has the email '", key,
                   "'; the default owner is written", NULL);
        id = ctx->default_owner;
    } else if (!id && ctx->owner_optional) {
        owner_note(a, MAP_WARNING, "no HubSpot owner has the email '", key,
                   "'; the record is written without an owner", NULL);
        a->rc = 0;
        return;
    } else if (!id) {
        owner_note(a, MAP_ERROR, "no HubSpot owner has the email '", key, "'",
                   strchr(key, '@') ? "add the user in HubSpot, or set "
                                      "owners.default (or owners.unmatched: "
                                      "none) in the project config"
                                    : "the user is not in User.csv or has "
                                      "no email");
        a->rc = -1;
        return;
    } else if (json_object_get(ctx->archived_owners, id)) {
        owner_note(a, MAP_WARNING, "the HubSpot owner with the email '", key,
                   "' is archived (deactivated)", NULL);
    }
    map_copy(out, XF_OUT_MAX, id, NULL, NULL);
}

int map_owner_value(const struct plan_field *pf, const struct map_ctx *ctx,
                    const char *in, char *out, struct map_result *res)
{
    const struct owner_answer *a = owner_recall(pf->owners, in);
    struct owner_answer fresh;

    if (a && a->rc > 0) {
        strcpy(out, a->out);
    } else if (!a) {
        owner_find(ctx, in, out, &fresh);
        owner_keep(pf->owners, in, &fresh, out);
        a = &fresh;
    }
    if (a->noted)
        map_note_add(res, a->kind, pf, in, a->message, a->hint);
    return a->rc;
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
        map_copy(out, XF_OUT_MAX, want, NULL, NULL);
        return 1;
    }
    if ((p = find_named(ctx->pipelines, want))) {
        map_copy(out, XF_OUT_MAX, id_of(p), NULL, NULL);
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
                           const char *want, const char *in, const char *via,
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
    if (via)
        snprintf(msg, sizeof(msg),
                 "%s maps it to '%s', which is no stage of the pipeline '%s'",
                 via, want, label_of(pipe));
    else
        snprintf(msg, sizeof(msg),
                 "no stage of the pipeline '%s' has this name", label_of(pipe));
    map_note_add(res, MAP_ERROR, pf, in, msg, hint);
    return -1;
}

int map_stage_value(const struct plan_field *pf, const struct map_ctx *ctx,
                    const char *pipeline, const char *in, char *out,
                    struct map_result *res)
{
    const char *mapped = json_string_value(json_object_get(ctx->stages, in));
    const char *want = mapped ? mapped : value_map(pf->f->values, in);
    /* Where the stage came from, for a message about a mapping's typo. */
    const char *via = mapped ? "deals.stages"
                      : want ? "the field's values"
                             : NULL;
    const json_t *pipe, *stage;

    want = want ? want : in;
    if (!ctx->pipelines) {
        if (!mapped) {
            map_note_add(res, MAP_ERROR, pf, in,
                         "stage is not mapped to a HubSpot stage id",
                         "map it under deals.stages in the project config");
            return -1;
        }
        map_copy(out, XF_OUT_MAX, mapped, NULL, NULL);
        return 1;
    }
    if (!(pipe = find_named(ctx->pipelines, pipeline))) {
        map_note_add(res, MAP_ERROR, pf, pipeline,
                     "the deal pipeline does not exist in the portal",
                     "set deals.pipeline to a pipeline id or label");
        return -1;
    }
    if (!(stage = find_named(json_object_get(pipe, "stages"), want)))
        return stage_elsewhere(pf, ctx, pipe, want, in, via, res);
    map_copy(out, XF_OUT_MAX, id_of(stage), NULL, NULL);
    return 1;
}
