#include "hubspot/assoc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "hubspot/client.h"
#include "hubspot/client_int.h"
#include "hubspot/parse.h"

/* An id as text: HubSpot sends association ids as strings or numbers. */
static const char *id_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    return NULL;
}

static int str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

struct pairs {
    const char *const *from;
    const char *const *to; /* NULL for reads */
    size_t n;
    unsigned char *seen;
    struct hs_batch_outcome *out;
};

/* The unseen input a result or error names; -1 when none. */
static long pair_find(const struct pairs *p, const char *from, const char *to)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->seen[i] || !str_eq(p->from[i], from))
            continue;
        if (!p->to || str_eq(p->to[i], to))
            return (long)i;
    }
    return -1;
}

static void match_one(struct pairs *p, const json_t *r)
{
    char fb[32];
    char tb[32];
    const json_t *from = json_object_get(r, "from");
    const char *f;
    const char *t;
    long i;

    /* Create answers {fromObjectId, toObjectId}; read {from:{id}, to}. */
    f = id_text(from ? json_object_get(from, "id")
                     : json_object_get(r, "fromObjectId"),
                fb, sizeof(fb));
    t = id_text(json_object_get(r, "toObjectId"), tb, sizeof(tb));
    i = pair_find(p, f, t);
    if (i < 0)
        return;
    p->seen[i] = 1;
    p->out->results[i].outcome = HS_OK;
    p->out->results[i].hubspot_id = p->to ? p->to[i] : NULL;
    if (!p->to) {
        p->out->results[i].properties = json_object_get(r, "to");
        p->out->results[i].more = json_object_get(r, "paging") != NULL;
    }
}

/* Every id an error's context lists, whatever the key. */
static int context_has(const json_t *ctx, const char *id)
{
    const char *k;
    json_t *arr;
    size_t idx;
    json_t *v;
    char buf[32];

    json_object_foreach((json_t *)ctx, k, arr)
    {
        json_array_foreach(arr, idx, v)
        {
            if (str_eq(id_text(v, buf, sizeof(buf)), id))
                return 1;
        }
    }
    return 0;
}

static int apply_error(struct pairs *p, const json_t *err,
                       const struct hs_error_info *info)
{
    const json_t *ctx = json_object_get(err, "context");
    int not_found =
        info->category && strcmp(info->category, "OBJECT_NOT_FOUND") == 0;
    enum hs_outcome oc = not_found ? HS_NOT_FOUND : HS_REJECTED;
    int hits = 0;

    for (size_t i = 0; i < p->n; i++) {
        if (p->seen[i] || !context_has(ctx, p->from[i]) ||
            (p->to && !context_has(ctx, p->to[i])))
            continue;
        p->seen[i] = 1;
        hits++;
        /* A read's "not found" is HubSpot's NO_ASSOCIATIONS_FOUND: the
         * record has no links of that type, which is an answer. */
        if (!p->to && not_found)
            p->out->results[i].outcome = HS_OK;
        else
            hs_result_set_error(&p->out->results[i], oc, info);
    }
    /* A missing record is named alone, without its partner. */
    for (size_t i = 0; !hits && p->to && i < p->n; i++) {
        if (p->seen[i] ||
            (!context_has(ctx, p->from[i]) && !context_has(ctx, p->to[i])))
            continue;
        hs_result_set_error(&p->out->results[i], oc, info);
        p->seen[i] = 1;
        hits++;
    }
    return hits;
}

static void fill_rest(struct pairs *p, const struct hs_error_info *unattr,
                      size_t nerr)
{
    struct hs_error_info gone = {0};

    gone.message = "HubSpot's response did not mention this pair";
    for (size_t i = 0; i < p->n; i++) {
        if (p->seen[i])
            continue;
        if (unattr->message)
            hs_result_set_error(&p->out->results[i], HS_REJECTED, unattr);
        else if (nerr == 0 || !p->to)
            p->out->results[i].outcome = HS_OK; /* read: no links */
        else
            hs_result_set_error(&p->out->results[i], HS_TRANSPORT, &gone);
    }
}

void hs_assoc_parse(long status, const char *body, const char *transport_error,
                    const char *const *from_ids, const char *const *to_ids,
                    size_t n, struct hs_batch_outcome *out)
{
    struct pairs p = {from_ids, to_ids, n, NULL, out};
    struct hs_error_info unattr = {0};
    const json_t *errors;
    size_t idx;
    json_t *v;

    hs_batch_outcome_init(out, status, from_ids, NULL, n);
    for (size_t i = 0; to_ids && i < n; i++)
        out->results[i].hubspot_id = to_ids[i];
    if (transport_error) {
        for (size_t i = 0; i < n; i++)
            out->results[i].message = transport_error;
        return;
    }
    if (body && *body)
        out->root = json_loads(body, 0, NULL);
    if (status < 200 || status >= 300) {
        hs_batch_fail_all(out, status);
        return;
    }
    p.seen = xcalloc(n ? n : 1, 1);
    json_array_foreach(json_object_get(out->root, "results"), idx, v)
        match_one(&p, v);
    errors = json_object_get(out->root, "errors");
    json_array_foreach(errors, idx, v)
    {
        struct hs_error_info info;

        hs_error_info_parse(v, out->keep, &info);
        if (apply_error(&p, v, &info) == 0 && !unattr.message)
            unattr = info;
    }
    fill_rest(&p, &unattr, json_array_size(errors));
    free(p.seen);
}

/* What an association batch needs once its answer comes. */
struct assoc_ctx {
    char **from;
    char **to;
    size_t n;
    hs_batch_done_fn done;
    void *ud;
};

static char **copy_field(const struct hs_assoc *pairs, size_t n, int to)
{
    char **v = xcalloc(n ? n : 1, sizeof(*v));

    for (size_t i = 0; i < n; i++) {
        const char *s = to ? pairs[i].to_id : pairs[i].from_id;

        v[i] = xstrdup(s ? s : "");
    }
    return v;
}

static void assoc_ctx_free(struct assoc_ctx *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->from[i]);
        if (a->to)
            free(a->to[i]);
    }
    free(a->from);
    free(a->to);
    free(a);
}

static void assoc_answer(const struct http_response *r, void *ud)
{
    struct assoc_ctx *a = ud;
    struct hs_batch_outcome o;
    const char *terr = NULL;

    if (r->transport_failed)
        terr = r->error ? r->error : "no answer";
    hs_assoc_parse(r->status, r->body, terr, (const char *const *)a->from,
                   (const char *const *)a->to, a->n, &o);
    a->done(o.results, o.n, a->ud);
    hs_batch_outcome_release(&o);
    assoc_ctx_free(a);
}

static void assoc_submit(struct hs_client *c, const char *from_object,
                         const char *to_object, const char *op, json_t *body,
                         struct assoc_ctx *a)
{
    char *f = hs_url_escape(from_object);
    char *t = hs_url_escape(to_object);
    char *path = xasprintf("/crm/v4/associations/%s/%s/batch/%s", f, t, op);
    char *url = hs_client_url(c, path);
    char *text = json_dumps(body, JSON_COMPACT);

    http_pool_submit(hs_client_pool(c), "POST", url, text, HTTP_KIND_NORMAL,
                     assoc_answer, a);
    free(text);
    json_decref(body);
    free(url);
    free(path);
    free(t);
    free(f);
}

static struct assoc_ctx *pairs_ctx(const struct hs_assoc *pairs, size_t n,
                                   hs_batch_done_fn done, void *ud)
{
    struct assoc_ctx *a = xcalloc(1, sizeof(*a));

    a->from = copy_field(pairs, n, 0);
    a->to = copy_field(pairs, n, 1);
    a->n = n;
    a->done = done;
    a->ud = ud;
    return a;
}

static json_t *typed_inputs(const struct hs_assoc *pairs, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++) {
        const struct hs_assoc *p = &pairs[i];
        const char *cat = p->category ? p->category : "HUBSPOT_DEFINED";

        json_array_append_new(
            arr, json_pack("{s:{s:s}, s:{s:s}, s:[{s:s, s:i}]}", "from", "id",
                           p->from_id, "to", "id", p->to_id, "types",
                           "associationCategory", cat, "associationTypeId",
                           p->type_id));
    }
    return json_pack("{s:o}", "inputs", arr);
}

void hs_assoc_batch_create(struct hs_client *c, const char *from_object,
                           const char *to_object, const struct hs_assoc *pairs,
                           size_t n, hs_batch_done_fn done, void *ud)
{
    assoc_submit(c, from_object, to_object, "create", typed_inputs(pairs, n),
                 pairs_ctx(pairs, n, done, ud));
}

void hs_assoc_batch_labels_archive(struct hs_client *c, const char *from_object,
                                   const char *to_object,
                                   const struct hs_assoc *pairs, size_t n,
                                   hs_batch_done_fn done, void *ud)
{
    assoc_submit(c, from_object, to_object, "labels/archive",
                 typed_inputs(pairs, n), pairs_ctx(pairs, n, done, ud));
}

void hs_assoc_batch_archive(struct hs_client *c, const char *from_object,
                            const char *to_object, const struct hs_assoc *pairs,
                            size_t n, hs_batch_done_fn done, void *ud)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:{s:s}, s:[{s:s}]}", "from",
                                             "id", pairs[i].from_id, "to", "id",
                                             pairs[i].to_id));
    assoc_submit(c, from_object, to_object, "archive",
                 json_pack("{s:o}", "inputs", arr),
                 pairs_ctx(pairs, n, done, ud));
}

void hs_assoc_batch_read(struct hs_client *c, const char *from_object,
                         const char *to_object, const char *const *from_ids,
                         size_t n, hs_batch_done_fn done, void *ud)
{
    struct assoc_ctx *a = xcalloc(1, sizeof(*a));
    json_t *arr = json_array();

    a->from = xcalloc(n ? n : 1, sizeof(*a->from));
    for (size_t i = 0; i < n; i++) {
        a->from[i] = xstrdup(from_ids[i] ? from_ids[i] : "");
        json_array_append_new(arr, json_pack("{s:s}", "id", a->from[i]));
    }
    a->n = n;
    a->done = done;
    a->ud = ud;
    assoc_submit(c, from_object, to_object, "read",
                 json_pack("{s:o}", "inputs", arr), a);
}
