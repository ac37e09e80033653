#include "hubspot/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "hubspot/client.h"
#include "hubspot/client_int.h"

/* What a batch needs once its answer comes; the caller's inputs may be
 * gone by then, so keys and ids are copied. */
struct batch_ctx {
    struct hs_match_spec spec;
    char *id_property;
    char **keys;
    char **ids;
    size_t n;
    hs_batch_done_fn done;
    void *ud;
};

static char **copy_strings(const char *const *v, size_t n)
{
    char **out;

    if (!v)
        return NULL;
    out = xcalloc(n ? n : 1, sizeof(*out));
    for (size_t i = 0; i < n; i++)
        out[i] = v[i] ? xstrdup(v[i]) : NULL;
    return out;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void batch_ctx_free(struct batch_ctx *b)
{
    free_strings(b->keys, b->n);
    free_strings(b->ids, b->n);
    free(b->id_property);
    free(b);
}

static void batch_answer(const struct http_response *r, void *ud)
{
    struct batch_ctx *b = ud;
    struct hs_batch_outcome o;
    const char *terr = NULL;

    if (r->transport_failed)
        terr = r->error ? r->error : "no answer";
    hs_batch_parse(r->status, r->body, terr, (const char *const *)b->keys,
                   (const char *const *)b->ids, b->n, &b->spec, &o);
    b->done(o.results, o.n, b->ud);
    hs_batch_outcome_release(&o);
    batch_ctx_free(b);
}

void hs_batch_submit(struct hs_client *c, const char *url, json_t *body,
                     const char *const *keys, const char *const *ids, size_t n,
                     const struct hs_match_spec *spec, hs_batch_done_fn done,
                     void *ud)
{
    struct batch_ctx *b = xcalloc(1, sizeof(*b));
    char *text = json_dumps(body, JSON_COMPACT);

    b->spec = *spec;
    if (spec->id_property) {
        b->id_property = xstrdup(spec->id_property);
        b->spec.id_property = b->id_property;
    }
    b->n = n;
    b->keys = copy_strings(keys, n);
    b->ids = copy_strings(ids, n);
    if (!b->keys)
        b->keys = xcalloc(n ? n : 1, sizeof(*b->keys));
    b->done = done;
    b->ud = ud;
    http_pool_submit(hs_client_pool(c), "POST", url, text, HTTP_KIND_NORMAL,
                     batch_answer, b);
    free(text);
    json_decref(body);
}

/* Emails and domains come back lowercased: compare those caselessly. */
static int prop_is_caseless(const char *p)
{
    return p && (strcmp(p, "email") == 0 || strcmp(p, "domain") == 0);
}

static char *batch_url(struct hs_client *c, const char *object, const char *op)
{
    char *obj = hs_url_escape(object);
    char *path = xasprintf("/crm/v3/objects/%s/batch/%s", obj, op);
    char *url = hs_client_url(c, path);

    free(path);
    free(obj);
    return url;
}

/* The input's properties, plus key_property = key so the answer echoes
 * the key and the result can be matched on it. */
static json_t *input_properties(const struct hs_input *in,
                                const char *key_property)
{
    json_t *p = in->properties ? json_deep_copy(in->properties) : json_object();

    if (key_property && in->key && !json_object_get(p, key_property))
        json_object_set_new(p, key_property, json_string(in->key));
    return p;
}

static json_t *trace_id(size_t i)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%zu", i);
    return json_string(buf);
}

/* Which of the three write shapes an input takes. */
enum write_kind { WRITE_UPSERT, WRITE_UPDATE, WRITE_CREATE };

static json_t *write_body(const struct hs_input *inputs, size_t n,
                          enum write_kind kind, const char *key_property)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++) {
        json_t *in = json_object();

        if (kind == WRITE_UPSERT) {
            json_object_set_new(in, "id", json_string(inputs[i].key));
            json_object_set_new(in, "idProperty", json_string(key_property));
        } else if (kind == WRITE_UPDATE) {
            json_object_set_new(in, "id", json_string(inputs[i].id));
        }
        json_object_set_new(in, "properties",
                            input_properties(&inputs[i], kind == WRITE_UPDATE
                                                             ? NULL
                                                             : key_property));
        json_object_set_new(in, "objectWriteTraceId", trace_id(i));
        json_array_append_new(arr, in);
    }
    return json_pack("{s:o}", "inputs", arr);
}

/* inputs[i].<field> as an array of strings, for matching. */
static const char **input_field(const struct hs_input *inputs, size_t n,
                                int ids)
{
    const char **v = xcalloc(n ? n : 1, sizeof(*v));

    for (size_t i = 0; i < n; i++)
        v[i] = ids ? inputs[i].id : inputs[i].key;
    return v;
}

static void submit_write(struct hs_client *c, const char *object,
                         const char *op, json_t *body,
                         const struct hs_input *inputs, size_t n,
                         const struct hs_match_spec *spec,
                         hs_batch_done_fn done, void *ud)
{
    char *url = batch_url(c, object, op);
    const char **keys = input_field(inputs, n, 0);
    const char **ids = input_field(inputs, n, 1);

    hs_batch_submit(c, url, body, keys, ids, n, spec, done, ud);
    free(ids);
    free(keys);
    free(url);
}

void hs_batch_upsert(struct hs_client *c, const char *object,
                     const char *id_property, const struct hs_input *inputs,
                     size_t n, hs_batch_done_fn done, void *ud)
{
    struct hs_match_spec spec = {0};

    spec.id_property = id_property;
    spec.caseless = prop_is_caseless(id_property);
    spec.trace_ids = 1;
    submit_write(c, object, "upsert",
                 write_body(inputs, n, WRITE_UPSERT, id_property), inputs, n,
                 &spec, done, ud);
}

void hs_batch_update(struct hs_client *c, const char *object,
                     const struct hs_input *inputs, size_t n,
                     hs_batch_done_fn done, void *ud)
{
    struct hs_match_spec spec = {0};
    char *url = batch_url(c, object, "update");
    const char **ids = input_field(inputs, n, 1);

    spec.by_id = 1;
    spec.trace_ids = 1;
    /* Keyed by record id: results[i].key is the id. */
    hs_batch_submit(c, url, write_body(inputs, n, WRITE_UPDATE, NULL), ids, ids,
                    n, &spec, done, ud);
    free(ids);
    free(url);
}

void hs_batch_create(struct hs_client *c, const char *object,
                     const char *key_property, const struct hs_input *inputs,
                     size_t n, hs_batch_done_fn done, void *ud)
{
    struct hs_match_spec spec = {0};

    spec.id_property = key_property;
    spec.caseless = prop_is_caseless(key_property);
    spec.trace_ids = 1;
    submit_write(c, object, "create",
                 write_body(inputs, n, WRITE_CREATE, key_property), inputs, n,
                 &spec, done, ud);
}

static json_t *id_inputs(const char *const *ids, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s?}", "id", ids[i]));
    return arr;
}

void hs_batch_archive(struct hs_client *c, const char *object,
                      const char *const *ids, size_t n, hs_batch_done_fn done,
                      void *ud)
{
    struct hs_match_spec spec = {0};
    char *url = batch_url(c, object, "archive");

    spec.by_id = 1;
    spec.missing_is_ok = 1;
    hs_batch_submit(c, url, json_pack("{s:o}", "inputs", id_inputs(ids, n)),
                    ids, ids, n, &spec, done, ud);
    free(url);
}

static json_t *read_properties(const char *id_property,
                               const char *const *properties)
{
    json_t *arr = json_array();
    int has_key = 0;

    for (size_t i = 0; properties && properties[i]; i++) {
        json_array_append_new(arr, json_string(properties[i]));
        if (id_property && strcmp(properties[i], id_property) == 0)
            has_key = 1;
    }
    if (id_property && !has_key)
        json_array_append_new(arr, json_string(id_property));
    return arr;
}

void hs_batch_read(struct hs_client *c, const char *object,
                   const char *id_property, const char *const *keys, size_t n,
                   const char *const *properties, hs_batch_done_fn done,
                   void *ud)
{
    struct hs_match_spec spec = {0};
    char *url = batch_url(c, object, "read");
    json_t *body =
        json_pack("{s:o, s:o}", "inputs", id_inputs(keys, n), "properties",
                  read_properties(id_property, properties));

    if (id_property)
        json_object_set_new(body, "idProperty", json_string(id_property));
    spec.id_property = id_property;
    spec.by_id = id_property == NULL;
    spec.caseless = prop_is_caseless(id_property);
    spec.missing_is_not_found = 1;
    hs_batch_submit(c, url, body, keys, NULL, n, &spec, done, ud);
    free(url);
}
