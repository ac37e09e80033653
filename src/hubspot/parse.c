#include "hubspot/parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/xalloc.h"

#define ENVELOPE "Property values were not valid: "
#define EXISTING "Existing ID:"

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A copy of s that lives as long as keep. */
static const char *keep_string(json_t *keep, const char *s)
{
    json_t *j = json_string(s);

    if (!j)
        return NULL;
    json_array_append_new(keep, j);
    return json_string_value(j);
}

int hs_parse_existing_id(const char *message, char *out, size_t size)
{
    const char *p;
    size_t n = 0;

    if (!message || size < 2 || !(p = strstr(message, EXISTING)))
        return -1;
    p += strlen(EXISTING);
    while (*p == ' ')
        p++;
    while (p[n] >= '0' && p[n] <= '9' && n + 1 < size)
        n++;
    if (n == 0)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* "Property values were not valid: [{...,"error":CODE,"name":PROP}]":
 * the array is JSON inside the message string. */
static void parse_envelope(const char *message, json_t *keep,
                           struct hs_error_info *out)
{
    const char *p = message ? strstr(message, ENVELOPE) : NULL;
    json_t *arr;
    json_t *first;

    if (!p)
        return;
    arr = json_loads(p + strlen(ENVELOPE), JSON_DISABLE_EOF_CHECK, NULL);
    if (!arr)
        return;
    json_array_append_new(keep, arr);
    first = json_array_get(arr, 0);
    if (!json_is_object(first))
        return;
    out->code = jstr(first, "error");
    out->bad_property = jstr(first, "name");
    out->detail = jstr(first, "message");
}

/* ErrorDetail items: {message, code, context:{propertyName:[...]}}. */
static void parse_details(const json_t *err, struct hs_error_info *out)
{
    const json_t *d = json_array_get(json_object_get(err, "errors"), 0);
    const json_t *ctx;

    if (!json_is_object(d))
        return;
    if (!out->code)
        out->code = jstr(d, "code");
    if (!out->detail)
        out->detail = jstr(d, "message");
    ctx = json_object_get(d, "context");
    if (!out->bad_property)
        out->bad_property = json_string_value(
            json_array_get(json_object_get(ctx, "propertyName"), 0));
}

void hs_error_info_parse(const json_t *err, json_t *keep,
                         struct hs_error_info *out)
{
    char id[24];

    memset(out, 0, sizeof(*out));
    if (!json_is_object(err))
        return;
    out->category = jstr(err, "category");
    out->message = jstr(err, "message");
    parse_envelope(out->message, keep, out);
    parse_details(err, out);
    if (!out->code)
        out->code = jstr(err, "error");
    if (hs_parse_existing_id(out->message, id, sizeof(id)) == 0)
        out->existing_id = keep_string(keep, id);
}

void hs_result_set_error(struct hs_result *r, enum hs_outcome oc,
                         const struct hs_error_info *info)
{
    r->outcome = oc;
    r->category = info->category;
    r->message = info->message;
    r->code = info->code;
    r->bad_property = info->bad_property;
    r->detail = info->detail;
    r->existing_id = info->existing_id;
    if (info->existing_id && !r->hubspot_id)
        r->hubspot_id = info->existing_id;
}

static int key_eq(const struct hs_match_spec *spec, const char *a,
                  const char *b)
{
    if (!a || !b)
        return 0;
    return spec->caseless ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

struct matcher {
    const struct hs_match_spec *spec;
    const char *const *keys;
    const char *const *ids;
    size_t n;
    unsigned char *seen;
    struct hs_batch_outcome *out;
};

/* What input i sent as its "id": the record id, else the key. */
static const char *sent_id(const struct matcher *m, size_t i)
{
    return m->ids && m->ids[i] ? m->ids[i] : m->keys[i];
}

static long trace_index(const struct matcher *m, const char *trace)
{
    char *end;
    long i;

    if (!m->spec->trace_ids || !trace || !*trace)
        return -1;
    i = strtol(trace, &end, 10);
    if (*end || i < 0 || (size_t)i >= m->n)
        return -1;
    return i;
}

static long find_by_value(const struct matcher *m, const char *v, int by_id)
{
    for (size_t i = 0; v && i < m->n; i++) {
        const char *mine = by_id ? sent_id(m, i) : m->keys[i];

        if (key_eq(m->spec, mine, v))
            return (long)i;
    }
    return -1;
}

static long find_input(const struct matcher *m, const json_t *r)
{
    const struct hs_match_spec *s = m->spec;
    long i = trace_index(m, jstr(r, "objectWriteTraceId"));

    if (i < 0 && s->by_id)
        i = find_by_value(m, jstr(r, "id"), 1);
    if (i < 0 && s->id_property)
        i = find_by_value(
            m, jstr(json_object_get(r, "properties"), s->id_property), 0);
    return i;
}

static void match_results(struct matcher *m, long status)
{
    const json_t *arr = json_object_get(m->out->root, "results");
    size_t idx;
    json_t *r;

    json_array_foreach(arr, idx, r)
    {
        long i = find_input(m, r);
        struct hs_result *res;

        if (i < 0 || m->seen[i]) {
            log_debug("a batch result matched no input: id %s",
                      jstr(r, "id") ? jstr(r, "id") : "(none)");
            continue;
        }
        res = &m->out->results[i];
        res->outcome = HS_OK;
        res->hubspot_id = jstr(r, "id");
        res->is_new = json_object_get(r, "new")
                          ? json_is_true(json_object_get(r, "new"))
                          : status == 201;
        res->properties = json_object_get(r, "properties");
        m->seen[i] = 1;
    }
}

/* Marks the inputs one error names; returns how many. */
static int apply_error(struct matcher *m, const json_t *err,
                       const struct hs_error_info *info)
{
    const json_t *ctx = json_object_get(err, "context");
    enum hs_outcome oc =
        info->category && strcmp(info->category, "OBJECT_NOT_FOUND") == 0
            ? HS_NOT_FOUND
            : HS_REJECTED;
    int hits = 0;
    size_t idx;
    json_t *v;

    json_array_foreach(json_object_get(ctx, "objectWriteTraceId"), idx, v)
    {
        long i = trace_index(m, json_string_value(v));

        if (i >= 0 && !m->seen[i]) {
            hs_result_set_error(&m->out->results[i], oc, info);
            m->seen[i] = 1;
            hits++;
        }
    }
    if (hits)
        return hits;
    json_array_foreach(json_object_get(ctx, "ids"), idx, v)
    {
        for (size_t i = 0; i < m->n; i++) {
            if (m->seen[i] ||
                !key_eq(m->spec, sent_id(m, i), json_string_value(v)))
                continue;
            hs_result_set_error(&m->out->results[i], oc, info);
            m->seen[i] = 1;
            hits++;
        }
    }
    return hits;
}

static void match_errors(struct matcher *m, struct hs_error_info *unattributed)
{
    const json_t *arr = json_object_get(m->out->root, "errors");
    size_t idx;
    json_t *err;

    json_array_foreach(arr, idx, err)
    {
        struct hs_error_info info;

        hs_error_info_parse(err, m->out->keep, &info);
        if (apply_error(m, err, &info) == 0 && !unattributed->message)
            *unattributed = info;
    }
}

static void fill_unmatched(struct matcher *m,
                           const struct hs_error_info *unattributed)
{
    size_t nerr = json_array_size(json_object_get(m->out->root, "errors"));
    struct hs_error_info gone = {0};

    gone.message = "HubSpot's response did not mention this input";
    for (size_t i = 0; i < m->n; i++) {
        struct hs_result *r = &m->out->results[i];

        if (m->seen[i])
            continue;
        if (m->spec->missing_is_not_found) {
            r->outcome = HS_NOT_FOUND;
            r->message = "not found";
        } else if (unattributed->message) {
            hs_result_set_error(r, HS_REJECTED, unattributed);
        } else if (m->spec->missing_is_ok && nerr == 0) {
            r->outcome = HS_OK;
        } else {
            hs_result_set_error(r, HS_TRANSPORT, &gone);
        }
    }
}

/* A non-2xx answer: one error for every input. */
void hs_batch_fail_all(struct hs_batch_outcome *out, long status)
{
    struct hs_error_info info;
    enum hs_outcome oc;
    char msg[64];

    hs_error_info_parse(out->root, out->keep, &info);
    if (!info.message) {
        snprintf(msg, sizeof(msg), "HTTP status %ld", status);
        info.message = keep_string(out->keep, msg);
    }
    if (status >= 500 || status == 401 || status == 403 || status == 429 ||
        status == 477 || status < 100)
        oc = HS_TRANSPORT;
    else if (out->n == 1)
        oc = HS_REJECTED;
    else
        oc = HS_BATCH_FAILED;
    for (size_t i = 0; i < out->n; i++)
        hs_result_set_error(&out->results[i], oc, &info);
}

void hs_batch_outcome_init(struct hs_batch_outcome *out, long status,
                           const char *const *keys, const char *const *ids,
                           size_t n)
{
    memset(out, 0, sizeof(*out));
    out->results = xcalloc(n ? n : 1, sizeof(*out->results));
    out->n = n;
    out->keep = json_array();
    for (size_t i = 0; i < n; i++) {
        out->results[i].key = keys[i] ? keys[i] : (ids ? ids[i] : NULL);
        out->results[i].status = status;
        out->results[i].outcome = HS_TRANSPORT;
    }
}

void hs_batch_parse(long status, const char *body, const char *transport_error,
                    const char *const *keys, const char *const *ids, size_t n,
                    const struct hs_match_spec *spec,
                    struct hs_batch_outcome *out)
{
    struct hs_error_info unattributed = {0};
    struct matcher m = {spec, keys, ids, n, NULL, out};

    hs_batch_outcome_init(out, status, keys, ids, n);
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
    m.seen = xcalloc(n ? n : 1, 1);
    match_results(&m, status);
    match_errors(&m, &unattributed);
    fill_unmatched(&m, &unattributed);
    free(m.seen);
}

void hs_batch_outcome_release(struct hs_batch_outcome *o)
{
    if (!o)
        return;
    free(o->results);
    json_decref(o->root);
    json_decref(o->keep);
    memset(o, 0, sizeof(*o));
}
