/* log.h: diagnostics on stderr, filtered by verbosity.
 *
 * Results go to stdout and are printed by cmd/ only. Everything else,
 * from any layer, goes through these functions, so -q and -v work the
 * same everywhere. Callers must never pass an access token or an
 * Authorization header value: nothing here can tell a secret apart.
 */
#ifndef HSM_CORE_LOG_H
#define HSM_CORE_LOG_H

enum log_level {
    LOG_ERROR = 0, /* shown even with -q */
    LOG_WARN = 1,  /* default */
    LOG_INFO = 2,  /* -v: progress detail */
    LOG_DEBUG = 3, /* -vv */
    LOG_TRACE = 4, /* -vvv: HTTP trace */
};

void log_set_level(int level);
int log_get_level(void);
int log_enabled(int level);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
