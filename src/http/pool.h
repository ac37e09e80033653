/* pool.h: concurrent HTTP requests to HubSpot, with retries and the
 * rate limiter, over one libcurl multi handle.
 *
 * Single-threaded and asynchronous: http_pool_submit queues a request and
 * returns at once; http_pool_run drives every transfer until nothing is
 * queued or in flight, calling each request's done function exactly once
 * with its final response. Callbacks may submit more requests.
 *
 * Retries live here and nowhere else:
 * - 429: waits as the limiter says (Retry-After, else by policyName:
 *   TEN_SECONDLY_ROLLING waits out the window, SECONDLY one second);
 *   a DAILY 429 stops the run (ERR_QUOTA).
 * - 500, 502, 503, 504, 423, timeouts, resets and empty replies:
 *   exponential backoff with jitter (423 at least 2 s), or the answer's
 *   Retry-After when longer (at most 5 minutes).
 * - At most max_attempts attempts in all; then done gets the last answer.
 * A write whose response was lost (a reset or timeout after HubSpot
 * committed it) is sent again. That is safe only because callers write
 * with upserts on unique keys, or reads: a plain batch create retried
 * after a lost response can create a duplicate, so callers must not send
 * non-idempotent writes through a pool with max_attempts > 1 unless they
 * reconcile afterwards.
 *
 * The access token is sent as "Authorization: Bearer ..." and never
 * logged. At -vvv (log_trace) each attempt logs method, URL, status,
 * milliseconds and the first bytes of the response body.
 */
#ifndef HSM_HTTP_POOL_H
#define HSM_HTTP_POOL_H

#include <stddef.h>

#include "http/ratelimit.h"

struct err;
struct http_pool;

struct http_pool_opts {
    const char *token;      /* Bearer token; copied; never logged */
    int max_in_flight;      /* default 8 */
    int max_attempts;       /* default 6; 1 = no retry */
    long timeout_ms;        /* per attempt; default 60000 */
    long daily_floor;       /* stop when daily remaining <= this; def. 0 */
    int window_default_max; /* per 10 s before any header; default 100 */
    const char *user_agent; /* default "hsmigrate" */
    long backoff_base_ms;   /* first 5xx backoff; default 500 */
    size_t max_body;        /* response size guard; default 64 MiB */
};

/* Sets every field to 0 / NULL, which means "the default". */
void http_pool_opts_init(struct http_pool_opts *o);

/* The final answer to one request. Pointers are valid only during the
 * done callback. */
struct http_response {
    long status;      /* 0 when no HTTP answer came */
    const char *body; /* NUL-terminated, "" when empty */
    size_t body_len;
    long retry_after_ms;  /* -1 when absent */
    int transport_failed; /* no usable answer: see error */
    const char *error;    /* NULL, or why transport_failed */
    int attempts;         /* how many times it was sent */
    const char *method;
    const char *url;
    const struct http_headers_info *limits; /* as the answer reported */
};

typedef void (*http_done_fn)(const struct http_response *resp, void *ud);

int http_pool_new(const struct http_pool_opts *o, struct http_pool **out,
                  struct err *e);

/* Queues a request. method is "GET", "POST", "PUT", "PATCH" or
 * "DELETE"; url and body (JSON text, NULL for none) are copied. kind is
 * HTTP_KIND_NORMAL or HTTP_KIND_SEARCH. done is called exactly once,
 * from inside http_pool_run. */
void http_pool_submit(struct http_pool *p, const char *method, const char *url,
                      const char *body, int kind, http_done_fn done, void *ud);

/* Runs until nothing is queued or in flight. Returns 0, or:
 * ERR_AUTH: a 401 came; queued requests are cancelled.
 * ERR_QUOTA: the daily remaining fell to the floor, a DAILY 429, or a
 *   477 (the account is moving between data centres, for hours).
 * ERR_HTTP: the portal is not answering: a request failed to connect
 *   (refused, or its host not found) on every attempt, and no answer of
 *   any kind came during its last backoff.
 * ERR_INTERRUPTED: http_pool_stop was called.
 * When stopping, in-flight requests finish; queued ones get done with
 * transport_failed and an error starting "stopped: ". The pool stays
 * usable after ERR_INTERRUPTED and ERR_AUTH is sticky (every later
 * submit is cancelled), as are ERR_QUOTA and ERR_HTTP. */
int http_pool_run(struct http_pool *p, struct err *e);

/* Asks a running http_pool_run to stop; async-signal-safe (sets a flag
 * that the loop checks at least every 200 ms). */
void http_pool_stop(struct http_pool *p);

/* True once the pool cancels what is queued (stopped, a 401, the daily
 * floor): callers should queue no more work. */
int http_pool_halted(const struct http_pool *p);

enum http_label {
    HTTP_LABEL_OTHER = 0,
    HTTP_LABEL_BATCH_UPSERT,
    HTTP_LABEL_BATCH_CREATE,
    HTTP_LABEL_BATCH_UPDATE,
    HTTP_LABEL_BATCH_READ,
    HTTP_LABEL_BATCH_ARCHIVE,
    HTTP_LABEL_ASSOC,
    HTTP_LABEL_SEARCH,
    HTTP_LABEL_PROPERTIES,
    HTTP_LABEL_COUNT
};

struct http_stats {
    long requests;       /* attempts sent */
    long completed;      /* done callbacks made */
    long by_status[600]; /* per attempt; [0] = no HTTP status */
    long retries;
    long n429;
    long transport_errors; /* attempts without an HTTP answer */
    long cancelled;        /* queued requests stopped before sending */
    long by_label[HTTP_LABEL_COUNT]; /* attempts, by endpoint family */
    long by_kind[HTTP_KIND_COUNT];
    long long wait_ms; /* time spent held back by the limiter */
    /* Sum of attempt durations: over the wall time, the mean in flight. */
    long long busy_ms;
    long long callback_ms; /* time spent inside done callbacks */
};

const struct http_stats *http_pool_stats(const struct http_pool *p);

/* The label a URL is counted under in http_stats.by_label. */
int http_label_for(const char *method, const char *url);

/* The limiter, for progress reports and tests; never NULL. */
const struct ratelimit *http_pool_limiter(const struct http_pool *p);

/* Cancels anything still queued (done is called) and frees. NULL is ok. */
void http_pool_free(struct http_pool *p);

#endif
