#include "core/clock.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

static int64_t ts_ms(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ms(void)
{
    return ts_ms(CLOCK_MONOTONIC);
}

int64_t clock_wall_ms(void)
{
    return ts_ms(CLOCK_REALTIME);
}

void clock_sleep_ms(int64_t ms)
{
    struct timespec ts;

    if (ms <= 0)
        return;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

void clock_format_iso(int64_t epoch_ms, char *out, unsigned long size)
{
    time_t secs = (time_t)(epoch_ms / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (int)(epoch_ms % 1000));
}
