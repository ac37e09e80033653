#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

static int current_level = LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(int level)
{
    current_level = level;
}

int log_get_level(void)
{
    return current_level;
}

int log_enabled(int level)
{
    return level <= current_level;
}

static void log_v(int level, const char *tag, const char *fmt, va_list ap)
{
    if (!log_enabled(level))
        return;
    /* One lock so lines from the sandbox's threads never interleave. */
    pthread_mutex_lock(&log_lock);
    fprintf(stderr, "hsmigrate: %s", tag);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    pthread_mutex_unlock(&log_lock);
}

#define LOG_FN(name, level, tag)                                               \
    void name(const char *fmt, ...)                                            \
    {                                                                          \
        va_list ap;                                                            \
        va_start(ap, fmt);                                                     \
        log_v(level, tag, fmt, ap);                                            \
        va_end(ap);                                                            \
    }

LOG_FN(log_error, LOG_ERROR, "error: ")
LOG_FN(log_warn, LOG_WARN, "warning: ")
LOG_FN(log_info, LOG_INFO, "")
LOG_FN(log_debug, LOG_DEBUG, "debug: ")
LOG_FN(log_trace, LOG_TRACE, "trace: ")
