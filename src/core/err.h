/* err.h: the error currency below cmd/.
 *
 * A function that can fail returns 0 on success or a negative ERR_* code,
 * and fills the caller's struct err with the code and a message. The
 * struct holds no allocation, so it never needs releasing.
 */
#ifndef HSM_CORE_ERR_H
#define HSM_CORE_ERR_H

#include <stdarg.h>

enum err_code {
    ERR_OK = 0,
    ERR_GENERIC = -1, /* anything else */
    ERR_USAGE = -2,   /* bad arguments or configuration */
    ERR_IO = -3,      /* a file could not be read or written */
    ERR_INPUT = -4,   /* malformed input data */
    ERR_AUTH = -5,    /* the portal refused the credentials */
    ERR_QUOTA = -6,   /* stopped by a rate limit or the daily quota */
    ERR_HTTP = -7,    /* transport failure or unexpected response */
    ERR_DB = -8,      /* SQLite failure */
    ERR_NOTFOUND = -9,
    ERR_INTERRUPTED = -10, /* stopped by a signal; resumable */
};

#define ERR_MSG_MAX 512

struct err {
    int code;
    char msg[ERR_MSG_MAX];
};

/* Fills e (when non-NULL) and returns code, so callers can write
 * `return err_set(e, ERR_IO, "cannot open '%s'", path);`. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the existing message with more context. Returns e->code. */
int err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void err_clear(struct err *e);

/* A failure that comes after the work it follows is done (writing the
 * reports of a run): when rc already holds an error the late one is only
 * warned about and rc is returned; else e takes the late message,
 * followed by "; " and done, and its code is returned. */
int err_late(int rc, struct err *e, const struct err *late, const char *done);

#endif
