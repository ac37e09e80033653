/* util.c: the small helpers every sandbox endpoint shares: object types,
 * request parameters, responses and HubSpot's error bodies. */
#include "sandbox/sb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"

struct otype_names {
    const char *plural;
    const char *singular;
    const char *type_id;
    const char *upper;
};

static const struct otype_names otypes[SB_OT_COUNT] = {
    {"contacts", "contact", "0-1", "CONTACT"},
    {"companies", "company", "0-2", "COMPANY"},
    {"deals", "deal", "0-3", "DEAL"},
};

int sb_otype_parse(const char *s)
{
    if (!s)
        return SB_OT_NONE;
    for (int i = 0; i < SB_OT_COUNT; i++)
        if (!strcasecmp(s, otypes[i].plural) ||
            !strcasecmp(s, otypes[i].singular) || !strcmp(s, otypes[i].type_id))
            return i;
    return SB_OT_NONE;
}

const char *sb_otype_name(int ot)
{
    return ot >= 0 && ot < SB_OT_COUNT ? otypes[ot].plural : "";
}

const char *sb_otype_id(int ot)
{
    return ot >= 0 && ot < SB_OT_COUNT ? otypes[ot].type_id : "";
}

const char *sb_otype_upper(int ot)
{
    return ot >= 0 && ot < SB_OT_COUNT ? otypes[ot].upper : "";
}

const char *sb_otype_singular(int ot)
{
    return ot >= 0 && ot < SB_OT_COUNT ? otypes[ot].singular : "";
}

int sb_req_otype(const struct sb_request *req, struct sb_response *resp)
{
    const char *s = sb_param(req, "objectType");
    int ot = sb_otype_parse(s);

    if (ot == SB_OT_NONE)
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Unable to infer object type from: %s", s ? s : "");
    return ot;
}

const char *sb_param(const struct sb_request *req, const char *name)
{
    for (int i = 0; i < req->nsegs; i++)
        if (!strcmp(req->pnames[i], name))
            return req->segs[i];
    return NULL;
}

const char *sb_query(const struct sb_request *req, const char *key)
{
    for (int i = 0; i < req->nquery; i++)
        if (!strcmp(req->query[i].key, key))
            return req->query[i].value;
    return NULL;
}

static void add_csv(json_t *arr, const char *s)
{
    const char *p = s;

    while (*p) {
        size_t n = strcspn(p, ",");
        if (n > 0)
            json_array_append_new(arr, json_stringn(p, n));
        p += n;
        if (*p == ',')
            p++;
    }
}

json_t *sb_query_list(const struct sb_request *req, const char *key)
{
    json_t *arr = NULL;

    for (int i = 0; i < req->nquery; i++) {
        if (strcmp(req->query[i].key, key))
            continue;
        if (!arr)
            arr = json_array();
        add_csv(arr, req->query[i].value);
    }
    return arr;
}

int sb_query_bool(const struct sb_request *req, const char *key)
{
    const char *v = sb_query(req, key);

    if (!v || !strcasecmp(v, "false"))
        return 0;
    if (!strcasecmp(v, "true"))
        return 1;
    return -1;
}

void sb_resp_json(struct sb_response *resp, int status, json_t *body)
{
    json_decref(resp->body);
    resp->status = status;
    resp->body = body;
}

void sb_resp_header(struct sb_response *resp, const char *name,
                    const char *value)
{
    struct sb_header *h;

    if (resp->nheaders >= SB_MAX_HEADERS)
        return;
    h = &resp->headers[resp->nheaders++];
    h->name = xstrdup(name);
    h->value = xstrdup(value);
}

static json_t *error_body(const char *category, json_t *context,
                          const char *fmt, va_list ap)
{
    char msg[2048];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    json_t *o = json_pack("{s:s, s:s, s:s}", "status", "error", "message", msg,
                          "category", category);
    if (context)
        json_object_set_new(o, "context", context);
    return o;
}

void sb_resp_error(struct sb_response *resp, int status, const char *category,
                   json_t *context, const char *fmt, ...)
{
    va_list ap;
    json_t *o;

    va_start(ap, fmt);
    o = error_body(category, context, fmt, ap);
    va_end(ap);
    json_object_set_new(o, "correlationId", json_string(resp->correlation_id));
    sb_resp_json(resp, status, o);
}

json_t *sb_error_item(const char *category, json_t *context, const char *fmt,
                      ...)
{
    va_list ap;
    json_t *o;

    va_start(ap, fmt);
    o = error_body(category, context ? context : json_object(), fmt, ap);
    va_end(ap);
    json_object_set_new(o, "errors", json_array());
    json_object_set_new(o, "links", json_object());
    return o;
}

void sb_resp_not_found(struct sb_response *resp)
{
    sb_resp_error(resp, 404, "OBJECT_NOT_FOUND", NULL, "resource not found");
}

json_t *sb_batch_body(json_t *results, json_t *errors)
{
    char now[32];
    json_t *o;

    sb_iso(sb_now_ms(), now);
    o = json_pack("{s:s, s:O, s:s, s:s}", "status", "COMPLETE", "results",
                  results, "startedAt", now, "completedAt", now);
    if (json_array_size(errors) > 0) {
        json_object_set_new(o, "numErrors",
                            json_integer((json_int_t)json_array_size(errors)));
        json_object_set(o, "errors", errors);
    }
    return o;
}

static int64_t mono_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

sqlite3 *sb_db_lock(struct sb_state *sb)
{
    pthread_mutex_lock(&sb->db_lock);
    sb->db_locked_us = log_enabled(LOG_DEBUG) ? mono_us() : 0;
    return sb->db;
}

/* At -vv every hold of the store is logged: the lock serialises all
 * requests, so its hold time caps the sandbox's throughput. */
void sb_db_unlock(struct sb_state *sb)
{
    int64_t held = sb->db_locked_us ? mono_us() - sb->db_locked_us : -1;

    pthread_mutex_unlock(&sb->db_lock);
    if (held >= 0)
        log_debug("sandbox: store held %.2f ms", (double)held / 1000.0);
}

int sb_db_exec(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, step;

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK && st) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW)
            continue;
        rc = step == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    return rc;
}

int64_t sb_now_ms(void)
{
    return clock_wall_ms();
}

void sb_iso(int64_t ms, char out[32])
{
    clock_format_iso(ms, out, 32);
}

/* splitmix64: small, fast and good enough for ids and shuffles. */
uint64_t sb_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void sb_uuid(struct sb_state *sb, char out[40])
{
    uint64_t a, b;

    pthread_mutex_lock(&sb->state_lock);
    a = sb_rng_next(&sb->uuid_rng);
    b = sb_rng_next(&sb->uuid_rng);
    pthread_mutex_unlock(&sb->state_lock);
    snprintf(out, 40, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffULL));
}

void sb_shuffle(struct sb_state *sb, json_t *array)
{
    size_t n = json_array_size(array);
    json_t **items;

    if (n < 2)
        return;
    items = xcalloc(n, sizeof(*items));
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(array, i));
    pthread_mutex_lock(&sb->state_lock);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = sb_rng_next(&sb->shuffle_rng) % (i + 1);
        json_t *t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
    pthread_mutex_unlock(&sb->state_lock);
    /* A permutation that happens to be the identity would let a client
     * that relies on input order pass; rotate it instead. */
    int same = 1;
    for (size_t i = 0; i < n && same; i++)
        same = items[i] == json_array_get(array, i);
    json_array_clear(array);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(array, items[(i + same) % n]);
    free(items);
}
