/* admin.c: the /_sandbox/ endpoints tests and rehearsals use to look into
 * and steer the portal. They need no token and are neither rate limited
 * nor counted. */
#include <string.h>

#include "core/err.h"
#include "sandbox/sb.h"
#include "sandbox/seed.h"
#include "sandbox/store.h"

static void count_into(json_t *obj, const char *key, json_int_t n)
{
    json_t *v = json_object_get(obj, key);

    json_object_set_new(obj, key,
                        json_integer(n + (v ? json_integer_value(v) : 0)));
}

/* Adds one request_log group (endpoint, status, dropped, count). */
static void stats_add(json_t *stats, sqlite3_stmt *st)
{
    const char *endpoint = (const char *)sqlite3_column_text(st, 0);
    const char *status = (const char *)sqlite3_column_text(st, 1);
    json_int_t n = sqlite3_column_int64(st, 3);
    json_t *by_ep = json_object_get(stats, "byEndpoint");
    json_t *ep = json_object_get(by_ep, endpoint);

    if (!ep) {
        ep = json_pack("{s:i, s:{}}", "total", 0, "byStatus");
        json_object_set_new(by_ep, endpoint, ep);
    }
    count_into(ep, "total", n);
    count_into(json_object_get(ep, "byStatus"), status, n);
    count_into(stats, "total", n);
    count_into(json_object_get(stats, "byStatus"), status, n);
    if (sqlite3_column_int(st, 2))
        count_into(stats, "dropped", n);
    if (!strcmp(status, "429"))
        count_into(stats, "rateLimited", n);
}

static void admin_stats(struct sb_request *req, struct sb_response *resp)
{
    json_t *stats =
        json_pack("{s:i, s:i, s:i, s:{}, s:{}}", "total", 0, "rateLimited", 0,
                  "dropped", 0, "byStatus", "byEndpoint");
    sqlite3 *db = sb_db_lock(req->sb);
    sqlite3_stmt *st = NULL;

    if (sb_stmt_prepare(db,
                        "SELECT endpoint, CAST(status AS TEXT), dropped, "
                        "count(*) FROM request_log "
                        "GROUP BY endpoint, status, dropped",
                        &st) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            stats_add(stats, st);
    sb_stmt_release(st);
    sb_db_unlock(req->sb);
    pthread_mutex_lock(&req->sb->state_lock);
    json_object_set_new(stats, "inFlight", json_integer(req->sb->in_flight));
    pthread_mutex_unlock(&req->sb->state_lock);
    sb_resp_json(resp, 200, stats);
}

static void admin_reset(struct sb_request *req, struct sb_response *resp)
{
    struct err e = {0};
    sqlite3 *db = sb_db_lock(req->sb);
    int rc = sb_store_clear(db, &e);

    sb_db_unlock(req->sb);
    if (rc == 0)
        rc = sb_seed_store(req->sb, &e);
    pthread_mutex_lock(&req->sb->state_lock);
    sb_limits_reset(&req->sb->limits);
    req->sb->faults.error_rate = 0;
    req->sb->faults.drop_rate = 0;
    pthread_mutex_unlock(&req->sb->state_lock);
    if (rc < 0) {
        sb_resp_error(resp, 500, "INTERNAL_ERROR", NULL, "%s", e.msg);
        return;
    }
    sb_resp_json(resp, 204, NULL);
}

static json_t *faults_json(const struct sb_faults *f)
{
    json_t *statuses = json_array();

    for (int i = 0; i < f->nstatuses; i++)
        json_array_append_new(statuses, json_integer(f->statuses[i]));
    return json_pack("{s:f, s:o, s:f}", "errorRate", f->error_rate, "statuses",
                     statuses, "dropRate", f->drop_rate);
}

static int valid_share(json_t *v)
{
    return !v || (json_is_number(v) && json_number_value(v) >= 0 &&
                  json_number_value(v) <= 1);
}

/* Reads {seed, errorRate, statuses, dropRate} into f; -1 if malformed. */
static int faults_parse(json_t *body, struct sb_faults *f)
{
    json_t *statuses = json_object_get(body, "statuses");
    json_t *err_rate = json_object_get(body, "errorRate");
    json_t *drop_rate = json_object_get(body, "dropRate");
    json_t *seed = json_object_get(body, "seed");
    size_t i;
    json_t *v;

    if (!json_is_object(body) || !valid_share(err_rate) ||
        !valid_share(drop_rate) || (seed && !json_is_integer(seed)) ||
        (statuses &&
         (!json_is_array(statuses) || json_array_size(statuses) > 8)))
        return -1;
    memset(f, 0, sizeof(*f));
    f->error_rate = err_rate ? json_number_value(err_rate) : 0;
    f->drop_rate = drop_rate ? json_number_value(drop_rate) : 0;
    f->rng = seed ? (uint64_t)json_integer_value(seed) : 1;
    json_array_foreach(statuses, i, v)
    {
        json_int_t s = json_integer_value(v);
        if (s != 500 && s != 502 && s != 503 && s != 504 && s != 423)
            return -1;
        f->statuses[f->nstatuses++] = (int)s;
    }
    if (f->nstatuses == 0)
        f->statuses[f->nstatuses++] = 500;
    return 0;
}

static void admin_faults_set(struct sb_request *req, struct sb_response *resp)
{
    struct sb_faults f;

    if (faults_parse(req->body, &f) < 0) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "faults: expected {seed: integer, errorRate: 0..1, "
                      "statuses: [500|502|503|504|423], dropRate: 0..1}");
        return;
    }
    pthread_mutex_lock(&req->sb->state_lock);
    req->sb->faults = f;
    pthread_mutex_unlock(&req->sb->state_lock);
    sb_resp_json(resp, 200, faults_json(&f));
}

static void admin_faults_get(struct sb_request *req, struct sb_response *resp)
{
    struct sb_faults f;

    pthread_mutex_lock(&req->sb->state_lock);
    f = req->sb->faults;
    pthread_mutex_unlock(&req->sb->state_lock);
    sb_resp_json(resp, 200, faults_json(&f));
}

const struct sb_route sb_admin_routes[] = {
    {"GET", "/_sandbox/stats", admin_stats, SB_ROUTE_NOAUTH},
    {"POST", "/_sandbox/reset", admin_reset, SB_ROUTE_NOAUTH},
    {"GET", "/_sandbox/faults", admin_faults_get, SB_ROUTE_NOAUTH},
    {"POST", "/_sandbox/faults", admin_faults_set, SB_ROUTE_NOAUTH},
    {0},
};
