/* ratelimit.c: rolling windows and a daily budget; see ratelimit.h. */
#include "sandbox/ratelimit.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define DAY_MS 86400000LL

static void window_init(struct sb_window *w, long max, long ms)
{
    memset(w, 0, sizeof(*w));
    w->max = max > SB_LIMIT_WINDOW_CAP ? SB_LIMIT_WINDOW_CAP : max;
    w->ms = ms > 0 ? ms : 1;
    if (w->max > 0)
        w->stamps = xcalloc((size_t)w->max, sizeof(*w->stamps));
}

/* Drops the stamps that have left the window ending at now. */
static void window_expire(struct sb_window *w, int64_t now)
{
    while (w->count > 0 && w->stamps[w->head] <= now - w->ms) {
        w->head = (w->head + 1) % w->max;
        w->count--;
    }
}

/* 1 when a request at now fits in the window, and records it. */
static int window_take(struct sb_window *w, int64_t now, int64_t *wait)
{
    if (w->max < 0)
        return 1;
    window_expire(w, now);
    if (w->count >= w->max) {
        *wait = w->max > 0 ? w->stamps[w->head] + w->ms - now : w->ms;
        return 0;
    }
    w->stamps[(w->head + w->count) % w->max] = now;
    w->count++;
    return 1;
}

void sb_limits_init(struct sb_limits *l, long window_max, long window_ms,
                    long daily_max, long search_per_second)
{
    memset(l, 0, sizeof(*l));
    window_init(&l->burst, window_max, window_ms);
    window_init(&l->search, search_per_second, 1000);
    l->daily_max = daily_max;
}

void sb_limits_release(struct sb_limits *l)
{
    if (!l)
        return;
    free(l->burst.stamps);
    free(l->search.stamps);
    memset(l, 0, sizeof(*l));
}

void sb_limits_reset(struct sb_limits *l)
{
    l->burst.head = l->burst.count = 0;
    l->search.head = l->search.count = 0;
    l->daily_used = 0;
}

static void fill_info(const struct sb_limits *l, struct sb_limit_info *info)
{
    info->max = l->burst.max;
    info->remaining =
        l->burst.max < 0 ? l->burst.max : l->burst.max - l->burst.count;
    info->interval_ms = l->burst.ms;
    info->daily = l->daily_max;
    info->daily_remaining =
        l->daily_max < 0 ? l->daily_max : l->daily_max - l->daily_used;
}

int sb_limits_take(struct sb_limits *l, int64_t now_ms, int search,
                   struct sb_limit_info *info)
{
    struct sb_window *w = search ? &l->search : &l->burst;
    int64_t day = now_ms / DAY_MS;
    int64_t wait = 0;
    int verdict = SB_LIMIT_OK;

    if (day != l->day) {
        l->day = day;
        l->daily_used = 0;
    }
    if (l->daily_max >= 0 && l->daily_used >= l->daily_max) {
        verdict = SB_LIMIT_DAILY;
        wait = (day + 1) * DAY_MS - now_ms;
    } else if (!window_take(w, now_ms, &wait)) {
        verdict = search ? SB_LIMIT_SECONDLY : SB_LIMIT_BURST;
    } else {
        l->daily_used++;
    }
    if (!search)
        window_expire(&l->burst, now_ms);
    fill_info(l, info);
    info->retry_after_ms = verdict == SB_LIMIT_OK ? 0 : wait;
    return verdict;
}

const char *sb_limit_policy(int verdict)
{
    switch (verdict) {
    case SB_LIMIT_BURST:
        return "TEN_SECONDLY_ROLLING";
    case SB_LIMIT_DAILY:
        return "DAILY";
    case SB_LIMIT_SECONDLY:
        return "SECONDLY";
    default:
        return "";
    }
}

const char *sb_limit_message(int verdict)
{
    switch (verdict) {
    case SB_LIMIT_BURST:
        return "You have reached your ten_secondly_rolling limit.";
    case SB_LIMIT_DAILY:
        return "You have reached your daily limit.";
    case SB_LIMIT_SECONDLY:
        return "You have reached your secondly limit.";
    default:
        return "";
    }
}
