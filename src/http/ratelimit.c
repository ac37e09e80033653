#include "http/ratelimit.h"

#include <string.h>

#define SEARCH_WINDOW_MS 1000
/* How long a measurement of other clients' usage stays believable. */
#define FOREIGN_TTL_MS 10000
/* Poll step while requests in flight alone fill the window. */
#define RATELIMIT_IN_FLIGHT_WAIT_MS 50

void http_headers_info_init(struct http_headers_info *h)
{
    h->rl_max = -1;
    h->rl_remaining = -1;
    h->rl_interval_ms = -1;
    h->daily = -1;
    h->daily_remaining = -1;
    h->retry_after_ms = -1;
    h->policy = RATELIMIT_POLICY_NONE;
    h->ticket = 0;
}

int ratelimit_policy_parse(const char *policy_name)
{
    if (!policy_name)
        return RATELIMIT_POLICY_NONE;
    if (strcmp(policy_name, "TEN_SECONDLY_ROLLING") == 0)
        return RATELIMIT_POLICY_TEN_SECONDLY;
    if (strcmp(policy_name, "SECONDLY") == 0)
        return RATELIMIT_POLICY_SECONDLY;
    if (strcmp(policy_name, "DAILY") == 0)
        return RATELIMIT_POLICY_DAILY;
    return RATELIMIT_POLICY_NONE;
}

void ratelimit_opts_default(struct ratelimit_opts *o)
{
    o->window_default_max = 100;
    o->window_default_ms = 10000;
    o->fraction_pct = 98;
    o->pad_ms = 50;
    o->search_per_sec = 5;
}

void ratelimit_init(struct ratelimit *rl, const struct ratelimit_opts *o)
{
    memset(rl, 0, sizeof(*rl));
    if (o)
        rl->o = *o;
    else
        ratelimit_opts_default(&rl->o);
    if (rl->o.window_default_max < 1)
        rl->o.window_default_max = 100;
    if (rl->o.window_default_ms < 1)
        rl->o.window_default_ms = 10000;
    if (rl->o.fraction_pct < 1 || rl->o.fraction_pct > 100)
        rl->o.fraction_pct = 98;
    if (rl->o.pad_ms < 0)
        rl->o.pad_ms = 0;
    if (rl->o.search_per_sec < 1)
        rl->o.search_per_sec = 5;
    rl->max = rl->o.window_default_max;
    rl->interval_ms = rl->o.window_default_ms;
    rl->daily_remaining = -1;
}

static long window_ms(const struct ratelimit *rl, int kind)
{
    if (kind == HTTP_KIND_SEARCH)
        return SEARCH_WINDOW_MS + rl->o.pad_ms;
    return rl->interval_ms + rl->o.pad_ms;
}

static int64_t log_at(const struct ratelimit_log *l, int i)
{
    return l->t[(l->head + i) % RATELIMIT_LOG_MAX];
}

/* Forgets answers that left the window. */
static void log_prune(struct ratelimit_log *l, int64_t cutoff)
{
    while (l->count > 0 && log_at(l, 0) <= cutoff) {
        l->head = (l->head + 1) % RATELIMIT_LOG_MAX;
        l->count--;
    }
}

static void log_push(struct ratelimit_log *l, int64_t ticket, int64_t t)
{
    int i;

    if (l->count == RATELIMIT_LOG_MAX) {
        l->head = (l->head + 1) % RATELIMIT_LOG_MAX;
        l->count--;
    }
    i = (l->head + l->count) % RATELIMIT_LOG_MAX;
    l->t[i] = t;
    l->ticket[i] = ticket;
    l->count++;
}

/* Takes one request out of flight: the one holding ticket, else (when
 * its ticket was not remembered, or is unknown) the oldest while more
 * are remembered than are in flight. *out gets the one taken, zeroed
 * when none. */
static void fly_remove(struct ratelimit_log *l, int64_t ticket,
                       struct ratelimit_send *out)
{
    int pick = -1;

    memset(out, 0, sizeof(*out));
    if (l->in_flight > 0)
        l->in_flight--;
    for (int i = 0; ticket > 0 && i < l->nfly; i++)
        if (l->fly[i].ticket == ticket) {
            pick = i;
            break;
        }
    if (pick < 0 && l->nfly > l->in_flight)
        for (int i = 0; i < l->nfly; i++)
            if (pick < 0 || l->fly[i].ticket < l->fly[pick].ticket)
                pick = i;
    if (pick >= 0) {
        *out = l->fly[pick];
        l->fly[pick] = l->fly[--l->nfly];
    }
}

/* Our requests the server can have counted when it counted the one
 * sent as s: those sent before it (lower tickets) and itself, less
 * those answered a whole window before s was sent. */
static long ours_before(const struct ratelimit_log *l,
                        const struct ratelimit_send *s, int64_t win)
{
    long n = l->in_flight - l->nfly; /* in flight, ticket not kept */

    for (int i = 0; i < l->nfly; i++)
        n += l->fly[i].ticket < s->ticket;
    for (int i = 0; i < l->count; i++) {
        int j = (l->head + i) % RATELIMIT_LOG_MAX;

        n += l->ticket[j] <= s->ticket && l->t[j] > s->at - win;
    }
    return n;
}

long ratelimit_budget(const struct ratelimit *rl, int kind, int64_t now_ms)
{
    long b;

    if (kind == HTTP_KIND_SEARCH)
        return rl->o.search_per_sec;
    b = rl->max * rl->o.fraction_pct / 100;
    if (rl->foreign > 0 && now_ms - rl->foreign_at < FOREIGN_TTL_MS)
        b -= rl->foreign;
    if (b > RATELIMIT_LOG_MAX / 2)
        b = RATELIMIT_LOG_MAX / 2;
    return b < 1 ? 1 : b;
}

int64_t ratelimit_wait_ms(struct ratelimit *rl, int kind, int64_t now_ms)
{
    struct ratelimit_log *l = &rl->log[kind];
    int64_t win = window_ms(rl, kind);
    int64_t wait = 0;
    long budget = ratelimit_budget(rl, kind, now_ms);
    long n;

    if (rl->blocked_until[kind] > now_ms)
        wait = rl->blocked_until[kind] - now_ms;
    /* Until a first answer tells the limits, one request at a time: a
     * portal's window may be smaller than any default. */
    if (!rl->answered && l->in_flight > 0 && wait < RATELIMIT_IN_FLIGHT_WAIT_MS)
        wait = RATELIMIT_IN_FLIGHT_WAIT_MS;
    log_prune(l, now_ms - win);
    n = l->count + l->in_flight;
    if (n >= budget) {
        int64_t w = RATELIMIT_IN_FLIGHT_WAIT_MS;

        /* The answer that must leave the window before one more fits;
         * when requests in flight alone fill it, their answers will. */
        if (n - budget < l->count)
            w = log_at(l, (int)(n - budget)) + win - now_ms;
        if (w > wait)
            wait = w;
    }
    return wait;
}

int64_t ratelimit_on_send(struct ratelimit *rl, int kind, int64_t now_ms)
{
    struct ratelimit_log *l = &rl->log[kind];
    int64_t ticket = ++rl->tickets;

    l->in_flight++;
    if (l->nfly < RATELIMIT_FLY_MAX)
        l->fly[l->nfly++] = (struct ratelimit_send){ticket, now_ms};
    rl->sends_since_daily++;
    return ticket;
}

/* Other clients of the same app show up as usage ours does not explain:
 * when the server counted request s, it had max - remaining in its
 * window, of which ours were at most those we had sent by then. */
static void learn_window(struct ratelimit *rl,
                         const struct http_headers_info *h,
                         const struct ratelimit_send *s, int64_t now_ms)
{
    const struct ratelimit_log *l = &rl->log[HTTP_KIND_NORMAL];
    long used, ours;

    if (h->rl_interval_ms > 0)
        rl->interval_ms = h->rl_interval_ms;
    if (h->rl_max > 0)
        rl->max = h->rl_max;
    if (h->rl_max <= 0 || h->rl_remaining < 0)
        return;
    used = h->rl_max - h->rl_remaining;
    ours = s->ticket > 0 ? ours_before(l, s, window_ms(rl, HTTP_KIND_NORMAL))
                         : l->count + l->in_flight;
    rl->foreign = used > ours ? used - ours : 0;
    rl->foreign_at = now_ms;
}

static void learn_daily(struct ratelimit *rl, const struct http_headers_info *h)
{
    if (h->daily_remaining < 0)
        return;
    rl->daily_remaining = h->daily_remaining;
    /* Requests still in flight may not be in this count yet. */
    rl->sends_since_daily = rl->log[HTTP_KIND_NORMAL].in_flight +
                            rl->log[HTTP_KIND_SEARCH].in_flight;
}

static void block_after_429(struct ratelimit *rl, int kind,
                            const struct http_headers_info *h, int64_t now_ms)
{
    int64_t until;
    int policy = h ? h->policy : RATELIMIT_POLICY_NONE;

    if (policy == RATELIMIT_POLICY_DAILY) {
        rl->daily_stopped = true;
        return;
    }
    if (h && h->retry_after_ms >= 0)
        until = now_ms + h->retry_after_ms;
    else if (policy == RATELIMIT_POLICY_SECONDLY)
        until = now_ms + SEARCH_WINDOW_MS;
    else if (policy == RATELIMIT_POLICY_TEN_SECONDLY)
        until = now_ms + rl->interval_ms;
    else if (kind == HTTP_KIND_SEARCH)
        until = now_ms + SEARCH_WINDOW_MS;
    else
        until = now_ms + rl->interval_ms;
    if (until > rl->blocked_until[kind])
        rl->blocked_until[kind] = until;
}

void ratelimit_on_response(struct ratelimit *rl, int kind,
                           const struct http_headers_info *h, long status,
                           int64_t now_ms)
{
    struct ratelimit_log *l = &rl->log[kind];
    struct ratelimit_send s;

    fly_remove(l, h ? h->ticket : 0, &s);
    if (status > 0)
        rl->answered = true;
    /* Counted by the server at the latest now: in its window until
     * now + interval. */
    log_prune(l, now_ms - window_ms(rl, kind));
    log_push(l, s.ticket, now_ms);
    if (h && kind == HTTP_KIND_NORMAL)
        learn_window(rl, h, &s, now_ms);
    if (h)
        learn_daily(rl, h);
    if (status == 429)
        block_after_429(rl, kind, h, now_ms);
}

bool ratelimit_daily_exhausted(const struct ratelimit *rl, long floor)
{
    if (rl->daily_stopped)
        return true;
    if (rl->daily_remaining < 0)
        return false;
    return rl->daily_remaining - rl->sends_since_daily <= floor;
}
