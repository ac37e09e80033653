/* ratelimit.h: how long to wait before the next request to HubSpot.
 *
 * Pure arithmetic over a clock value the caller passes in: nothing here
 * sleeps or reads the clock, so tests drive it with a fake one.
 *
 * HubSpot counts requests in a rolling window (X-HubSpot-RateLimit-Max per
 * -Interval-Milliseconds, e.g. 190 per 10 s), a daily budget
 * (-Daily / -Daily-Remaining) and, for search, 5 per second with no
 * headers at all.
 *
 * The server counts a request at some moment between our send and its
 * answer, and we cannot tell when: a busy server can count a request
 * long after it was sent. So the limiter assumes the latest: a request
 * occupies the window from the moment it is sent until one interval
 * after its answer came. That never lets the server's count exceed ours,
 * however latency varies, at the price of the latency (a few percent of
 * a 10-second window). It aims at a share of the window (98 % by
 * default, a margin for the estimate below). Other clients of the same
 * app (an earlier process, a
 * script sharing the token) show in a Remaining lower than our own
 * requests explain: the requests of ours the server can have counted
 * before a given one are those sent before it, so the rest of what the
 * server reports is theirs, and shrinks the budget. Every header is
 * optional.
 *
 * Every ratelimit_on_send must be followed by exactly one
 * ratelimit_on_response for the same kind (with h NULL when no answer
 * came), or the request occupies the window forever.
 */
#ifndef HSM_HTTP_RATELIMIT_H
#define HSM_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

enum http_kind {
    HTTP_KIND_NORMAL = 0, /* counted in the rolling window */
    HTTP_KIND_SEARCH = 1, /* its own per-second bucket, no headers */
};
#define HTTP_KIND_COUNT 2

enum ratelimit_policy {
    RATELIMIT_POLICY_NONE = 0, /* no 429 body, or an unknown policyName */
    RATELIMIT_POLICY_TEN_SECONDLY,
    RATELIMIT_POLICY_SECONDLY,
    RATELIMIT_POLICY_DAILY,
};

/* What one response said about the limits. -1 means "not reported". */
struct http_headers_info {
    long rl_max;          /* X-HubSpot-RateLimit-Max */
    long rl_remaining;    /* X-HubSpot-RateLimit-Remaining */
    long rl_interval_ms;  /* X-HubSpot-RateLimit-Interval-Milliseconds */
    long daily;           /* X-HubSpot-RateLimit-Daily */
    long daily_remaining; /* X-HubSpot-RateLimit-Daily-Remaining */
    long retry_after_ms;  /* Retry-After, converted from seconds */
    int policy;           /* enum ratelimit_policy, from a 429's body */
    int64_t ticket;       /* ratelimit_on_send's number for it; 0 = unknown */
};

/* Sets every field to "not reported". */
void http_headers_info_init(struct http_headers_info *h);

/* Maps a 429 body's policyName to enum ratelimit_policy. */
int ratelimit_policy_parse(const char *policy_name);

struct ratelimit_opts {
    int window_default_max; /* before any header: requests per window */
    long window_default_ms; /* before any header: the window */
    int fraction_pct;       /* share of the window to use, 1..100 */
    long pad_ms;            /* added to the window for clock slack */
    int search_per_sec;     /* search bucket */
};

/* Sends remembered per bucket; a window larger than this is capped. */
#define RATELIMIT_LOG_MAX 1024
/* Send times remembered for requests in flight; more are counted only. */
#define RATELIMIT_FLY_MAX 256

/* One send: its number (1, 2, ... in send order) and time. */
struct ratelimit_send {
    int64_t ticket;
    int64_t at;
};

/* Requests of one kind that may still be in the server's window: those
 * in flight, and the answered ones (answer times nondecreasing, each
 * with its ticket). */
struct ratelimit_log {
    int64_t t[RATELIMIT_LOG_MAX];      /* answer times, oldest at head */
    int64_t ticket[RATELIMIT_LOG_MAX]; /* their tickets */
    int head;
    int count;
    long in_flight;
    struct ratelimit_send fly[RATELIMIT_FLY_MAX]; /* in flight, unordered */
    int nfly; /* how many of those in flight are remembered */
};

struct ratelimit {
    struct ratelimit_opts o;
    long max;           /* window size in requests, as last reported */
    long interval_ms;   /* window length, as last reported */
    long foreign;       /* requests in the window that were not ours */
    int64_t foreign_at; /* when foreign was measured */
    struct ratelimit_log log[HTTP_KIND_COUNT];
    int64_t blocked_until[HTTP_KIND_COUNT]; /* after a 429 */
    long daily_remaining;                   /* -1 until reported */
    long sends_since_daily;                 /* our sends after that report */
    bool daily_stopped;                     /* a DAILY 429 came */
    int64_t tickets;                        /* sends so far */
    bool answered; /* an HTTP answer came: the limits are known */
};

/* Fills opts with the defaults: 100 per 10 s, 98 %, 5 searches/s. */
void ratelimit_opts_default(struct ratelimit_opts *o);
void ratelimit_init(struct ratelimit *rl, const struct ratelimit_opts *o);

/* Milliseconds to wait before the next send of this kind; 0 = go now. */
int64_t ratelimit_wait_ms(struct ratelimit *rl, int kind, int64_t now_ms);

/* Records that a request of this kind was sent at now_ms; returns its
 * ticket, for the http_headers_info of its answer. */
int64_t ratelimit_on_send(struct ratelimit *rl, int kind, int64_t now_ms);

/* Learns from a response: h may be NULL (no headers, transport failure);
 * h->ticket names the request (the oldest in flight when 0 or h is
 * NULL). A 429 blocks the kind per Retry-After or policy. */
void ratelimit_on_response(struct ratelimit *rl, int kind,
                           const struct http_headers_info *h, long status,
                           int64_t now_ms);

/* True once the daily remaining, as reported minus our sends since, is
 * at or below floor, or after a DAILY 429. */
bool ratelimit_daily_exhausted(const struct ratelimit *rl, long floor);

/* The requests per window the limiter currently allows itself. */
long ratelimit_budget(const struct ratelimit *rl, int kind, int64_t now_ms);

#endif
