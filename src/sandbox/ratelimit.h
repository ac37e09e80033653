/* ratelimit.h: the sandbox's rate limits as pure arithmetic over a clock.
 *
 * Callers pass the time in; nothing here reads a clock or sleeps, so unit
 * tests drive it with a fake clock. Not thread-safe: the sandbox guards
 * one struct sb_limits with its state lock.
 *
 * A rolling window remembers the time of each accepted request (at most
 * max of them); a request is refused while max requests lie within the
 * last window ms. The daily budget resets at midnight UTC. Refused
 * requests use up nothing.
 */
#ifndef HSM_SANDBOX_RATELIMIT_H
#define HSM_SANDBOX_RATELIMIT_H

#include <stdint.h>

#define SB_LIMIT_WINDOW_CAP 1000000L

struct sb_window {
    long max; /* negative: unlimited */
    long ms;
    int64_t *stamps; /* ring of accepted request times */
    long head;
    long count;
};

struct sb_limits {
    struct sb_window burst;
    struct sb_window search;
    long daily_max; /* negative: unlimited */
    long daily_used;
    int64_t day; /* days since the epoch of daily_used */
};

enum sb_limit_verdict {
    SB_LIMIT_OK = 0,
    SB_LIMIT_BURST,    /* TEN_SECONDLY_ROLLING */
    SB_LIMIT_DAILY,    /* DAILY */
    SB_LIMIT_SECONDLY, /* SECONDLY: the search bucket */
};

/* What the rate-limit headers report after a request. */
struct sb_limit_info {
    long max;
    long remaining;
    long interval_ms;
    long daily;
    long daily_remaining;
    int64_t retry_after_ms; /* when refused: until a slot frees up */
};

void sb_limits_init(struct sb_limits *l, long window_max, long window_ms,
                    long daily_max, long search_per_second);
void sb_limits_release(struct sb_limits *l);
/* Counts one request at now_ms (epoch ms). Search requests use the search
 * bucket instead of the burst window; both use the daily budget. */
int sb_limits_take(struct sb_limits *l, int64_t now_ms, int search,
                   struct sb_limit_info *info);
/* Forgets every request (the admin reset). */
void sb_limits_reset(struct sb_limits *l);
const char *sb_limit_policy(int verdict);
const char *sb_limit_message(int verdict);

#endif
