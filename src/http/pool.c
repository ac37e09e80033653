#include "http/pool.h"

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"

#define DEFAULT_IN_FLIGHT 8
#define DEFAULT_ATTEMPTS 6
#define DEFAULT_TIMEOUT_MS 60000L
#define DEFAULT_BACKOFF_MS 500L
#define DEFAULT_MAX_BODY ((size_t)64 << 20)
#define MAX_BACKOFF_MS 30000L
#define MAX_RETRY_AFTER_MS 300000L
#define LOCKED_MIN_MS 2000L
#define POLL_MAX_MS 200
#define TRACE_BODY_MAX 300

struct req {
    struct req *next;
    struct http_pool *pool;
    char *method;
    char *url;
    char *body;
    int kind;
    int label;
    http_done_fn done;
    void *ud;
    int attempts;
    int64_t not_before; /* earliest retry time */
    int64_t sent_ms;
    int64_t first_ms; /* when the first attempt was sent */
    int64_t prev_ms;  /* when the attempt before this one was sent */
    int64_t ticket;   /* the limiter's number for this attempt */
    CURL *easy;
    struct curl_slist *hdrs;
    struct buf resp;
    struct http_headers_info info;
    int too_big;
    char errbuf[CURL_ERROR_SIZE];
};

struct http_pool {
    struct http_pool_opts o;
    char *token_header; /* "Authorization: Bearer ..."; never logged */
    char *user_agent;
    CURLM *multi;
    struct req *q_head; /* fresh requests, oldest first */
    struct req *q_tail;
    struct req *retry; /* waiting for their backoff, unordered */
    int in_flight;
    int running;
    int fatal;             /* sticky ERR_AUTH, ERR_QUOTA or ERR_HTTP */
    long moving_ms;        /* a 477's Retry-After; -1 when none came */
    int64_t answer_ms;     /* when the last HTTP answer came, of any status */
    char unreachable[400]; /* why ERR_HTTP: the portal is not answering */
    int64_t held_since;    /* when the limiter began holding a request */
    volatile sig_atomic_t stop;
    unsigned int seed;
    struct ratelimit rl;
    struct http_stats stats;
};

void http_pool_opts_init(struct http_pool_opts *o)
{
    memset(o, 0, sizeof(*o));
}

static void opts_fill_defaults(struct http_pool_opts *o)
{
    if (o->max_in_flight < 1)
        o->max_in_flight = DEFAULT_IN_FLIGHT;
    if (o->max_attempts < 1)
        o->max_attempts = DEFAULT_ATTEMPTS;
    if (o->timeout_ms < 1)
        o->timeout_ms = DEFAULT_TIMEOUT_MS;
    if (o->daily_floor < 0)
        o->daily_floor = 0;
    if (o->backoff_base_ms < 1)
        o->backoff_base_ms = DEFAULT_BACKOFF_MS;
    if (o->max_body == 0)
        o->max_body = DEFAULT_MAX_BODY;
}

int http_pool_new(const struct http_pool_opts *o, struct http_pool **out,
                  struct err *e)
{
    struct http_pool *p;
    struct ratelimit_opts ro;

    *out = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return err_set(e, ERR_HTTP, "cannot initialise libcurl");
    p = xcalloc(1, sizeof(*p));
    p->o = *o;
    opts_fill_defaults(&p->o);
    p->o.token = NULL;
    p->token_header = o->token && *o->token
                          ? xasprintf("Authorization: Bearer %s", o->token)
                          : NULL;
    p->user_agent = xstrdup(o->user_agent ? o->user_agent : "hsmigrate");
    p->o.user_agent = p->user_agent;
    p->multi = curl_multi_init();
    if (!p->multi) {
        http_pool_free(p);
        return err_set(e, ERR_HTTP, "cannot create a libcurl multi handle");
    }
    ratelimit_opts_default(&ro);
    if (o->window_default_max > 0)
        ro.window_default_max = o->window_default_max;
    ratelimit_init(&p->rl, &ro);
    p->seed = (unsigned int)clock_mono_ms() ^ (unsigned int)(uintptr_t)p;
    p->moving_ms = -1;
    *out = p;
    return 0;
}

int http_label_for(const char *method, const char *url)
{
    if (strstr(url, "/search"))
        return HTTP_LABEL_SEARCH;
    if (strstr(url, "/crm/v4/") || strstr(url, "/associations/"))
        return HTTP_LABEL_ASSOC;
    if (strstr(url, "/batch/upsert"))
        return HTTP_LABEL_BATCH_UPSERT;
    if (strstr(url, "/batch/create"))
        return HTTP_LABEL_BATCH_CREATE;
    if (strstr(url, "/batch/update"))
        return HTTP_LABEL_BATCH_UPDATE;
    if (strstr(url, "/batch/read"))
        return HTTP_LABEL_BATCH_READ;
    if (strstr(url, "/batch/archive"))
        return HTTP_LABEL_BATCH_ARCHIVE;
    if (strstr(url, "/properties/"))
        return HTTP_LABEL_PROPERTIES;
    (void)method;
    return HTTP_LABEL_OTHER;
}

void http_pool_submit(struct http_pool *p, const char *method, const char *url,
                      const char *body, int kind, http_done_fn done, void *ud)
{
    struct req *r = xcalloc(1, sizeof(*r));

    r->pool = p;
    r->method = xstrdup(method);
    r->url = xstrdup(url);
    r->body = body ? xstrdup(body) : NULL;
    r->kind = kind == HTTP_KIND_SEARCH ? HTTP_KIND_SEARCH : HTTP_KIND_NORMAL;
    r->label = http_label_for(method, url);
    r->done = done;
    r->ud = ud;
    http_headers_info_init(&r->info);
    if (p->q_tail)
        p->q_tail->next = r;
    else
        p->q_head = r;
    p->q_tail = r;
}

static void req_free(struct req *r)
{
    if (r->easy)
        curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->hdrs);
    buf_release(&r->resp);
    free(r->method);
    free(r->url);
    free(r->body);
    free(r);
}

/* Calls done with the final answer and frees the request. */
static void req_finish(struct http_pool *p, struct req *r, long status,
                       const char *error)
{
    struct http_response resp = {0};

    resp.status = status;
    resp.body = buf_str(&r->resp);
    resp.body_len = r->resp.len;
    resp.retry_after_ms = r->info.retry_after_ms;
    resp.transport_failed = error != NULL;
    resp.error = error;
    resp.attempts = r->attempts;
    resp.method = r->method;
    resp.url = r->url;
    resp.limits = &r->info;
    p->stats.completed++;
    if (r->done) {
        int64_t t0 = clock_mono_ms();

        r->done(&resp, r->ud);
        p->stats.callback_ms += clock_mono_ms() - t0;
    }
    req_free(r);
}

static void req_cancel(struct http_pool *p, struct req *r, const char *why)
{
    buf_reset(&r->resp);
    p->stats.cancelled++;
    req_finish(p, r, 0, why);
}

static const char *stop_reason(const struct http_pool *p)
{
    if (p->fatal == ERR_AUTH)
        return "stopped: authentication refused";
    if (p->fatal == ERR_QUOTA && p->moving_ms >= 0)
        return "stopped: account migration in progress";
    if (p->fatal == ERR_QUOTA)
        return "stopped: daily quota floor";
    if (p->fatal == ERR_HTTP)
        return "stopped: the portal is not answering";
    return "stopped: interrupted";
}

/* Done for everything queued or waiting to retry. Callbacks may submit
 * again; those are cancelled too, because the stop is sticky. */
static void cancel_queued(struct http_pool *p)
{
    while (p->q_head || p->retry) {
        struct req *r = p->q_head ? p->q_head : p->retry;

        if (r == p->q_head) {
            p->q_head = r->next;
            if (!p->q_head)
                p->q_tail = NULL;
        } else {
            p->retry = r->next;
        }
        r->next = NULL;
        req_cancel(p, r, stop_reason(p));
    }
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct req *r = ud;
    size_t n = size * nmemb;

    if (r->resp.len + n > r->pool->o.max_body) {
        r->too_big = 1;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    buf_add(&r->resp, data, n);
    return n;
}

/* Parses a decimal header value; -1 when it is not one. */
static long header_long(const char *v, size_t len)
{
    long n = 0;
    size_t i = 0;

    while (i < len && (v[i] == ' ' || v[i] == '\t'))
        i++;
    if (i == len || v[i] < '0' || v[i] > '9')
        return -1;
    for (; i < len && v[i] >= '0' && v[i] <= '9'; i++) {
        if (n > (long)(INT32_MAX / 10))
            return -1;
        n = n * 10 + (v[i] - '0');
    }
    return n;
}

static int header_is(const char *line, size_t len, const char *name,
                     const char **value, size_t *vlen)
{
    size_t n = strlen(name);

    if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
        return 0;
    *value = line + n + 1;
    *vlen = len - n - 1;
    while (*vlen > 0 &&
           ((*value)[*vlen - 1] == '\r' || (*value)[*vlen - 1] == '\n'))
        (*vlen)--;
    return 1;
}

static const struct {
    const char *name;
    size_t off;
} limit_headers[] = {
    {"X-HubSpot-RateLimit-Max", offsetof(struct http_headers_info, rl_max)},
    {"X-HubSpot-RateLimit-Remaining",
     offsetof(struct http_headers_info, rl_remaining)},
    {"X-HubSpot-RateLimit-Interval-Milliseconds",
     offsetof(struct http_headers_info, rl_interval_ms)},
    {"X-HubSpot-RateLimit-Daily", offsetof(struct http_headers_info, daily)},
    {"X-HubSpot-RateLimit-Daily-Remaining",
     offsetof(struct http_headers_info, daily_remaining)},
};

static size_t on_header(char *line, size_t size, size_t nmemb, void *ud)
{
    struct req *r = ud;
    size_t len = size * nmemb;
    const char *v;
    size_t vlen;
    long n;

    /* A new status line (after 100 Continue) starts a new header set. */
    if (len > 5 && strncmp(line, "HTTP/", 5) == 0) {
        http_headers_info_init(&r->info);
        return len;
    }
    for (size_t i = 0; i < sizeof(limit_headers) / sizeof(*limit_headers);
         i++) {
        if (header_is(line, len, limit_headers[i].name, &v, &vlen)) {
            *(long *)((char *)&r->info + limit_headers[i].off) =
                header_long(v, vlen);
            return len;
        }
    }
    if (header_is(line, len, "Retry-After", &v, &vlen)) {
        n = header_long(v, vlen);
        r->info.retry_after_ms = n >= 0 ? n * 1000 : -1;
    }
    return len;
}

static struct curl_slist *req_headers(const struct http_pool *p,
                                      const struct req *r)
{
    struct curl_slist *h = NULL;

    if (p->token_header)
        h = curl_slist_append(h, p->token_header);
    h = curl_slist_append(h, "Accept: application/json");
    if (r->body)
        h = curl_slist_append(h, "Content-Type: application/json");
    /* No 100-continue round trip for large batch bodies. */
    h = curl_slist_append(h, "Expect:");
    return h;
}

static void req_set_method(struct req *r)
{
    CURL *c = r->easy;

    if (strcmp(r->method, "GET") == 0 && !r->body) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        return;
    }
    if (strcmp(r->method, "POST") != 0)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
    if (r->body || strcmp(r->method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body ? r->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
                         (long)(r->body ? strlen(r->body) : 0));
    }
}

static int req_start(struct http_pool *p, struct req *r, int64_t now)
{
    CURL *c = curl_easy_init();

    if (!c)
        return -1;
    r->easy = c;
    r->hdrs = req_headers(p, r);
    buf_reset(&r->resp);
    r->too_big = 0;
    r->errbuf[0] = '\0';
    http_headers_info_init(&r->info);
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_PRIVATE, r);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, p->user_agent);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, p->o.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    req_set_method(r);
    if (curl_multi_add_handle(p->multi, c) != CURLM_OK)
        return -1;
    r->attempts++;
    r->prev_ms = r->attempts == 1 ? now : r->sent_ms;
    r->sent_ms = now;
    if (r->attempts == 1)
        r->first_ms = now;
    p->in_flight++;
    p->stats.requests++;
    p->stats.by_label[r->label]++;
    p->stats.by_kind[r->kind]++;
    if (r->attempts > 1)
        p->stats.retries++;
    r->ticket = ratelimit_on_send(&p->rl, r->kind, now);
    return 0;
}

static int policy_from_body(const char *body)
{
    json_t *j = json_loads(body, 0, NULL);
    const char *name = NULL;
    const char *msg = NULL;
    int policy;

    if (j) {
        name = json_string_value(json_object_get(j, "policyName"));
        msg = json_string_value(json_object_get(j, "message"));
    }
    policy = ratelimit_policy_parse(name);
    /* Search 429s have been seen with only the message to go by. */
    if (policy == RATELIMIT_POLICY_NONE && msg &&
        strstr(msg, "secondly limit") && !strstr(msg, "ten_secondly"))
        policy = RATELIMIT_POLICY_SECONDLY;
    json_decref(j);
    return policy;
}

static int status_retryable(long status)
{
    return status == 429 || status == 423 || status == 500 || status == 502 ||
           status == 503 || status == 504;
}

static int result_retryable(CURLcode rc)
{
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_WRITE_ERROR:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_PEER_FAILED_VERIFICATION:
        return 0;
    default:
        return 1;
    }
}

static int may_retry(const struct http_pool *p, const struct req *r)
{
    return r->attempts < p->o.max_attempts && !p->stop && !p->fatal;
}

static int64_t backoff_ms(struct http_pool *p, const struct req *r, long status)
{
    int64_t ms = p->o.backoff_base_ms;

    for (int i = 1; i < r->attempts && ms < MAX_BACKOFF_MS; i++)
        ms *= 2;
    if (ms > MAX_BACKOFF_MS)
        ms = MAX_BACKOFF_MS;
    /* Jitter, so requests that failed together do not retry together. */
    ms = ms * (75 + rand_r(&p->seed) % 51) / 100;
    if (status == 423 && ms < LOCKED_MIN_MS)
        ms = LOCKED_MIN_MS;
    return ms;
}

static void schedule_retry(struct http_pool *p, struct req *r, long status,
                           int64_t now)
{
    int64_t wait = backoff_ms(p, r, status);

    /* A server that says how long to wait (503, 423) is believed, up to
     * a bound: a longer outage is for the next run to ride out. */
    if (r->info.retry_after_ms > wait)
        wait = r->info.retry_after_ms < MAX_RETRY_AFTER_MS
                   ? r->info.retry_after_ms
                   : MAX_RETRY_AFTER_MS;
    /* After a 429 the limiter holds the kind back; nothing to add. */
    r->not_before = status == 429 ? now : now + wait;
    log_debug("retrying %s %s after %s%ld (attempt %d of %d)", r->method,
              r->url, status ? "status " : "transport error ", status,
              r->attempts, p->o.max_attempts);
    r->next = p->retry;
    p->retry = r;
}

static void set_fatal(struct http_pool *p, int code)
{
    if (p->fatal != ERR_AUTH)
        p->fatal = code;
}

/* Failures that mean nothing reached the portal. */
static int connect_failure(CURLcode rc)
{
    return rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
           rc == CURLE_COULDNT_RESOLVE_PROXY;
}

/* A request that could not connect on any of its attempts, with no answer
 * from anywhere through its last backoff (the longest): the portal is down
 * or the address is wrong, and every other request would spend its
 * attempts the same way. Stop them all; nothing they would have written
 * was sent. The last backoff, not the first attempt, is the window:
 * requests refused while a stopping server still answers its last few
 * are not evidence that it lives. */
static void give_up_unreachable(struct http_pool *p, const struct req *r,
                                const char *why, int64_t now)
{
    const char *host = strstr(r->url, "://");
    int len = host ? (int)strcspn(host + 3, "/?") + (int)(host + 3 - r->url)
                   : (int)strlen(r->url);

    if (p->fatal || p->stop || p->answer_ms >= r->prev_ms)
        return;
    p->fatal = ERR_HTTP;
    snprintf(p->unreachable, sizeof(p->unreachable),
             "the portal at %.*s is not answering (%s; %d attempt%s over "
             "%lld s); nothing more was sent: run again once it answers",
             len, r->url, why, r->attempts, r->attempts == 1 ? "" : "s",
             (long long)((now - r->first_ms + 500) / 1000));
}

static void on_transport_error(struct http_pool *p, struct req *r, CURLcode rc,
                               int64_t now)
{
    const char *why = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
    struct http_headers_info none;

    /* No answer: nothing learnt but which request left flight. */
    http_headers_info_init(&none);
    none.ticket = r->ticket;
    p->stats.transport_errors++;
    p->stats.by_status[0]++;
    ratelimit_on_response(&p->rl, r->kind, &none, 0, now);
    if (r->too_big) {
        snprintf(r->errbuf, sizeof(r->errbuf),
                 "response body larger than %zu bytes", p->o.max_body);
        req_finish(p, r, 0, r->errbuf);
        return;
    }
    if (result_retryable(rc) && may_retry(p, r)) {
        schedule_retry(p, r, 0, now);
        return;
    }
    if (why != r->errbuf)
        snprintf(r->errbuf, sizeof(r->errbuf), "%s", why);
    if (connect_failure(rc))
        give_up_unreachable(p, r, r->errbuf, now);
    buf_reset(&r->resp);
    req_finish(p, r, 0, r->errbuf);
}

static void on_answer(struct http_pool *p, struct req *r, long status,
                      int64_t now)
{
    p->answer_ms = now;
    p->stats.by_status[status > 0 && status < 600 ? status : 0]++;
    if (status == 429) {
        p->stats.n429++;
        r->info.policy = policy_from_body(buf_str(&r->resp));
    }
    ratelimit_on_response(&p->rl, r->kind, &r->info, status, now);
    if (ratelimit_daily_exhausted(&p->rl, p->o.daily_floor))
        set_fatal(p, ERR_QUOTA);
    if (status == 401) {
        p->fatal = ERR_AUTH;
    } else if (status == 429 && r->info.policy == RATELIMIT_POLICY_DAILY) {
        req_finish(p, r, status, "stopped: daily quota reached");
        return;
    } else if (status == 477) {
        /* The account is moving between data centres, for hours. */
        p->moving_ms = r->info.retry_after_ms > 0 ? r->info.retry_after_ms : 0;
        set_fatal(p, ERR_QUOTA);
        req_finish(p, r, status, "stopped: account migration in progress");
        return;
    } else if (status_retryable(status) && may_retry(p, r)) {
        schedule_retry(p, r, status, now);
        return;
    }
    req_finish(p, r, status, NULL);
}

static void trace_attempt(const struct req *r, CURLcode rc, long status,
                          int64_t now)
{
    int n;

    if (!log_enabled(LOG_TRACE))
        return;
    n = r->resp.len > TRACE_BODY_MAX ? TRACE_BODY_MAX : (int)r->resp.len;
    log_trace("%s %s -> %ld%s%s in %lld ms (attempt %d): %.*s", r->method,
              r->url, status, rc == CURLE_OK ? "" : " ",
              rc == CURLE_OK ? "" : curl_easy_strerror(rc),
              (long long)(now - r->sent_ms), r->attempts, n, buf_str(&r->resp));
}

static void on_transfer_done(struct http_pool *p, CURLMsg *m)
{
    struct req *r = NULL;
    long status = 0;
    CURLcode rc = m->data.result;
    int64_t now = clock_mono_ms();

    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
    if (rc == CURLE_OK)
        curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(p->multi, r->easy);
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    curl_slist_free_all(r->hdrs);
    r->hdrs = NULL;
    p->in_flight--;
    p->stats.busy_ms += now - r->sent_ms;
    r->info.ticket = r->ticket;
    trace_attempt(r, rc, status, now);
    if (rc != CURLE_OK)
        on_transport_error(p, r, rc, now);
    else
        on_answer(p, r, status, now);
}

static int drain_finished(struct http_pool *p)
{
    CURLMsg *m;
    int left;
    int n = 0;

    while ((m = curl_multi_info_read(p->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        on_transfer_done(p, m);
        n++;
    }
    return n;
}

/* The link to the next request allowed to go: a retry whose backoff is
 * over, else the oldest fresh one. Lowers *wake to the next backoff end. */
static struct req **peek_ready(struct http_pool *p, int64_t now, int64_t *wake)
{
    struct req **best = NULL;

    for (struct req **pp = &p->retry; *pp; pp = &(*pp)->next) {
        int64_t nb = (*pp)->not_before;

        if (nb > now) {
            if (nb - now < *wake)
                *wake = nb - now;
        } else if (!best || nb < (*best)->not_before) {
            best = pp;
        }
    }
    if (best)
        return best;
    return p->q_head ? &p->q_head : NULL;
}

static void unlink_req(struct http_pool *p, struct req **link)
{
    struct req *r = *link;

    *link = r->next;
    if (r == p->q_tail)
        p->q_tail = NULL;
    r->next = NULL;
}

/* Starts what the in-flight cap and the limiter allow; returns how long
 * the loop may sleep before something else could start. */
static int start_ready(struct http_pool *p, int64_t now)
{
    int64_t wake = POLL_MAX_MS;
    struct req **link;

    while (p->in_flight < p->o.max_in_flight &&
           (link = peek_ready(p, now, &wake))) {
        struct req *r = *link;
        int64_t wait = ratelimit_wait_ms(&p->rl, r->kind, now);

        /* One more request would take the day's remaining below the
         * floor: stop before sending it. */
        if (ratelimit_daily_exhausted(&p->rl, p->o.daily_floor)) {
            set_fatal(p, ERR_QUOTA);
            break;
        }

        if (wait > 0) {
            if (wait < wake)
                wake = wait;
            if (!p->held_since)
                p->held_since = now;
            break;
        }
        if (p->held_since) {
            p->stats.wait_ms += now - p->held_since;
            p->held_since = 0;
        }
        unlink_req(p, link);
        if (req_start(p, r, now) < 0)
            req_finish(p, r, 0, "cannot start an HTTP transfer");
    }
    return wake < 1 ? 1 : (int)wake;
}

static int pool_result(struct http_pool *p, struct err *e)
{
    if (p->fatal == ERR_AUTH)
        return err_set(e, ERR_AUTH,
                       "HubSpot refused the access token (401): check "
                       "HUBSPOT_ACCESS_TOKEN and the app's scopes");
    if (p->fatal == ERR_QUOTA && p->moving_ms >= 0)
        return err_set(e, ERR_QUOTA,
                       "HubSpot answered 477 Migration in Progress: the "
                       "account is moving between data centres; run again "
                       "in %ld minutes or later",
                       (p->moving_ms + 59999) / 60000);
    if (p->fatal == ERR_QUOTA && p->rl.daily_stopped)
        return err_set(e, ERR_QUOTA,
                       "HubSpot's daily API limit was reached (429 DAILY); "
                       "run again after the daily reset");
    if (p->fatal == ERR_QUOTA)
        return err_set(e, ERR_QUOTA,
                       "stopped before the daily API limit: remaining at or "
                       "below the floor of %ld; run again after the daily "
                       "reset",
                       p->o.daily_floor);
    if (p->fatal == ERR_HTTP)
        return err_set(e, ERR_HTTP, "%s", p->unreachable);
    if (p->stop)
        return err_set(e, ERR_INTERRUPTED, "interrupted");
    return 0;
}

int http_pool_run(struct http_pool *p, struct err *e)
{
    int still;

    if (p->running)
        return err_set(e, ERR_GENERIC,
                       "http_pool_run called from inside a callback");
    p->running = 1;
    for (;;) {
        int timeout;

        if (p->stop || p->fatal)
            cancel_queued(p);
        timeout = start_ready(p, clock_mono_ms());
        if (!p->in_flight && !p->q_head && !p->retry)
            break;
        curl_multi_perform(p->multi, &still);
        if (drain_finished(p) > 0)
            continue;
        curl_multi_poll(p->multi, NULL, 0, timeout, NULL);
    }
    p->running = 0;
    return pool_result(p, e);
}

void http_pool_stop(struct http_pool *p)
{
    p->stop = 1;
}

int http_pool_halted(const struct http_pool *p)
{
    return p->stop || p->fatal;
}

const struct http_stats *http_pool_stats(const struct http_pool *p)
{
    return &p->stats;
}

const struct ratelimit *http_pool_limiter(const struct http_pool *p)
{
    return &p->rl;
}

void http_pool_free(struct http_pool *p)
{
    if (!p)
        return;
    p->stop = 1;
    cancel_queued(p);
    if (p->multi)
        curl_multi_cleanup(p->multi);
    free(p->token_header);
    free(p->user_agent);
    free(p);
    curl_global_cleanup();
}
