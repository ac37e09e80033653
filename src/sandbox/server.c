/* server.c: one HTTP request's way through the sandbox: body upload,
 * routing, token, rate limits, injected faults, latency, the handler, the
 * request log and the response. libmicrohttpd runs each connection on a
 * thread of its own, so a sleeping request holds up no other. */
#include "sandbox/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/xalloc.h"

#define MAX_QUERY 256

/* What one connection has uploaded so far. */
struct upload {
    struct buf body;
    int too_big;
};

static int split_path(const char *url, struct sb_request *req)
{
    const char *p = url;

    while (*p) {
        size_t n;
        while (*p == '/')
            p++;
        n = strcspn(p, "/");
        if (n == 0)
            break;
        if (req->nsegs >= SB_MAX_SEGS)
            return -1;
        req->segs[req->nsegs++] = xstrndup(p, n);
        p += n;
    }
    return 0;
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
    struct sb_request *req = cls;
    struct sb_query_param *q;

    (void)kind;
    if (req->nquery >= MAX_QUERY)
        return MHD_NO;
    q = &req->query[req->nquery++];
    q->key = xstrdup(key);
    q->value = xstrdup(value ? value : "");
    return MHD_YES;
}

static int auth_ok(const struct sb_state *sb, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_AUTHORIZATION);

    if (!h || strncasecmp(h, "Bearer ", 7))
        return 0;
    h += 7;
    if (!*h)
        return 0;
    return !sb->token || !strcmp(h, sb->token);
}

static void add_limit_headers(struct sb_response *resp,
                              const struct sb_limit_info *li)
{
    char v[32];

    if (li->max < 0)
        goto daily;
    snprintf(v, sizeof(v), "%ld", li->max);
    sb_resp_header(resp, "X-HubSpot-RateLimit-Max", v);
    snprintf(v, sizeof(v), "%ld", li->remaining);
    sb_resp_header(resp, "X-HubSpot-RateLimit-Remaining", v);
    snprintf(v, sizeof(v), "%ld", li->interval_ms);
    sb_resp_header(resp, "X-HubSpot-RateLimit-Interval-Milliseconds", v);
daily:
    if (li->daily < 0)
        return;
    snprintf(v, sizeof(v), "%ld", li->daily);
    sb_resp_header(resp, "X-HubSpot-RateLimit-Daily", v);
    snprintf(v, sizeof(v), "%ld", li->daily_remaining);
    sb_resp_header(resp, "X-HubSpot-RateLimit-Daily-Remaining", v);
}

/* Counts the request; 1 when it was refused and resp holds the 429. */
static int limit_refused(struct sb_state *sb, const struct sb_request *req,
                         struct sb_response *resp)
{
    int search = (req->route->flags & SB_ROUTE_SEARCH) != 0;
    struct sb_limit_info li;
    char request_id[40];
    int verdict;

    pthread_mutex_lock(&sb->state_lock);
    verdict = sb_limits_take(&sb->limits, sb_now_ms(), search, &li);
    pthread_mutex_unlock(&sb->state_lock);
    if (!search)
        add_limit_headers(resp, &li);
    if (verdict == SB_LIMIT_OK)
        return 0;
    sb_uuid(sb, request_id);
    sb_resp_json(resp, 429,
                 json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "status", "error",
                           "message", sb_limit_message(verdict), "errorType",
                           "RATE_LIMIT", "correlationId", resp->correlation_id,
                           "policyName", sb_limit_policy(verdict), "requestId",
                           request_id));
    if (sb->cfg.retry_after) {
        char v[32];
        snprintf(v, sizeof(v), "%lld",
                 (long long)((li.retry_after_ms + 999) / 1000));
        sb_resp_header(resp, "Retry-After", v);
    }
    return 1;
}

/* One draw from the fault generator, state_lock held: 1 with the given
 * share; with pick, a status from the list too. No share, no draw. */
static int fault_draw(struct sb_faults *f, double share, int *pick)
{
    uint64_t r;

    if (share <= 0)
        return 0;
    r = sb_rng_next(&f->rng);
    if (pick && f->nstatuses > 0)
        *pick = f->statuses[sb_rng_next(&f->rng) % (uint64_t)f->nstatuses];
    return (double)(r >> 11) / 9007199254740992.0 < share;
}

/* A request's faults are drawn together as it passes the gate, so a seed
 * gives the same faults in the same arrival order however long handlers
 * take. *drop says whether a successful write's response is dropped. */
static int fault_injected(struct sb_state *sb, struct sb_response *resp,
                          int *drop)
{
    int status = 500, fail;

    pthread_mutex_lock(&sb->state_lock);
    fail = fault_draw(&sb->faults, sb->faults.error_rate, &status);
    *drop = fault_draw(&sb->faults, sb->faults.drop_rate, NULL);
    pthread_mutex_unlock(&sb->state_lock);
    if (!fail)
        return 0;
    if (status == 423)
        sb_resp_error(resp, 423, "LOCKED", NULL,
                      "Too many writes to the same data; locked for 2 "
                      "seconds");
    else
        sb_resp_error(resp, status, "INTERNAL_ERROR", NULL,
                      "injected fault: HTTP %d", status);
    return 1;
}

static int parse_body(const struct upload *up, struct sb_request *req,
                      struct sb_response *resp)
{
    json_error_t je;

    if (up->too_big) {
        sb_resp_error(resp, 413, "VALIDATION_ERROR", NULL,
                      "request body is larger than %d bytes", SB_MAX_BODY);
        return -1;
    }
    if (up->body.len == 0)
        return 0;
    req->body = json_loadb(up->body.data, up->body.len, JSON_DECODE_ANY, &je);
    if (!req->body) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Invalid input JSON on line %d, column %d: %s", je.line,
                      je.column, je.text);
        return -1;
    }
    return 0;
}

static void sleep_latency(const struct sb_state *sb,
                          const struct sb_request *req)
{
    int64_t ms = sb->cfg.latency_ms;
    json_t *inputs;

    if ((req->route->flags & SB_ROUTE_BATCH) && json_is_object(req->body)) {
        inputs = json_object_get(req->body, "inputs");
        ms += (int64_t)json_array_size(inputs) * sb->cfg.latency_per_input_us /
              1000;
    }
    if (ms > 0)
        clock_sleep_ms(ms);
}

static void in_flight_add(struct sb_state *sb, int n)
{
    pthread_mutex_lock(&sb->state_lock);
    sb->in_flight += n;
    pthread_mutex_unlock(&sb->state_lock);
}

static void log_request(struct sb_state *sb, const struct sb_request *req,
                        const struct sb_response *resp, int dropped)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *db = sb_db_lock(sb);
    char endpoint[512];

    snprintf(endpoint, sizeof(endpoint), "%s %s", req->method,
             req->route ? req->route->pattern : "(unknown)");
    if (sb_stmt_prepare(db,
                        "INSERT INTO request_log(at, method, path, "
                        "endpoint, status, dropped) VALUES(?,?,?,?,?,?)",
                        &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, sb_now_ms());
        sqlite3_bind_text(st, 2, req->method, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, req->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, endpoint, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, resp->status);
        sqlite3_bind_int(st, 6, dropped);
        sqlite3_step(st);
    }
    sb_stmt_release(st);
    sb_db_unlock(sb);
}

static enum MHD_Result send_response(struct MHD_Connection *c,
                                     struct sb_response *resp)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    char *text = NULL;
    size_t len = 0;

    if (resp->body && resp->status != 204) {
        text = json_dumps(resp->body, JSON_COMPACT);
        len = text ? strlen(text) : 0;
    }
    r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    if (text)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json;charset=utf-8");
    MHD_add_response_header(r, "X-HubSpot-Correlation-Id",
                            resp->correlation_id);
    for (int i = 0; i < resp->nheaders; i++)
        MHD_add_response_header(r, resp->headers[i].name,
                                resp->headers[i].value);
    ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static void request_release(struct sb_request *req, struct sb_response *resp)
{
    for (int i = 0; i < req->nsegs; i++)
        free(req->segs[i]);
    for (int i = 0; i < req->nquery; i++) {
        free(req->query[i].key);
        free(req->query[i].value);
    }
    free(req->query);
    json_decref(req->body);
    json_decref(resp->body);
    for (int i = 0; i < resp->nheaders; i++) {
        free(resp->headers[i].name);
        free(resp->headers[i].value);
    }
}

static int is_write(const struct sb_request *req)
{
    return strcmp(req->method, "GET") &&
           !(req->route->flags & (SB_ROUTE_READ | SB_ROUTE_SEARCH));
}

/* Auth, limits and faults; 1 when one of them answered already. */
static int gatekeep(struct sb_state *sb, struct MHD_Connection *c,
                    struct sb_request *req, struct sb_response *resp, int *drop)
{
    if (!auth_ok(sb, c)) {
        sb_resp_error(resp, 401, "INVALID_AUTHENTICATION", NULL,
                      "Authentication credentials not found. This API "
                      "supports both API Key and OAuth 2.0 "
                      "authentication and you can find more details at "
                      "https://developers.hubspot.com/docs/methods/auth/"
                      "oauth-overview");
        return 1;
    }
    if (!req->route)
        return 0;
    return limit_refused(sb, req, resp) || fault_injected(sb, resp, drop);
}

static enum MHD_Result serve(struct sb_state *sb, struct MHD_Connection *c,
                             const char *method, const char *url,
                             const struct upload *up)
{
    struct sb_request req = {.sb = sb, .method = method, .path = url};
    struct sb_response resp = {.status = 200};
    int admin = 0, dropped = 0, drop = 0;
    enum MHD_Result ret;

    sb_uuid(sb, resp.correlation_id);
    req.correlation_id = resp.correlation_id;
    req.query = xcalloc(MAX_QUERY, sizeof(*req.query));
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query, &req);
    if (split_path(url, &req) == 0)
        req.route = sb_route_find(method, req.segs, req.nsegs, req.pnames);
    admin = req.route && (req.route->flags & SB_ROUTE_NOAUTH);
    if (!admin && gatekeep(sb, c, &req, &resp, &drop))
        goto log;
    if (!req.route) {
        sb_resp_not_found(&resp);
        goto log;
    }
    if (parse_body(up, &req, &resp) < 0)
        goto log;
    if (!admin) {
        in_flight_add(sb, 1);
        sleep_latency(sb, &req);
    }
    req.route->fn(&req, &resp);
    if (!admin)
        in_flight_add(sb, -1);
    if (!admin && is_write(&req) && resp.status < 300)
        dropped = drop;
log:
    if (!admin)
        log_request(sb, &req, &resp, dropped);
    ret = dropped ? MHD_NO : send_response(c, &resp);
    request_release(&req, &resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    struct upload *up = *con_cls;

    (void)version;
    if (!up) {
        *con_cls = xcalloc(1, sizeof(*up));
        return MHD_YES;
    }
    if (*data_size > 0) {
        if (up->body.len + *data_size > SB_MAX_BODY)
            up->too_big = 1;
        else
            buf_add(&up->body, data, *data_size);
        *data_size = 0;
        return MHD_YES;
    }
    return serve(cls, c, method, url, up);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct upload *up = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (up) {
        buf_release(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

struct MHD_Daemon *sb_server_start(struct sb_state *sb, int port)
{
    struct sockaddr_in addr;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
        (uint16_t)port, NULL, NULL, on_request, sb, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
}

int sb_server_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);

    return info ? (int)info->port : -1;
}
