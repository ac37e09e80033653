/* buf.h: a growable byte buffer, always NUL-terminated.
 *
 * A zeroed struct buf is a valid empty buffer. buf_release frees the
 * storage and leaves the buffer empty and reusable. buf_detach hands the
 * storage to the caller, who frees it with free().
 */
#ifndef HSM_CORE_BUF_H
#define HSM_CORE_BUF_H

#include <stddef.h>

struct buf {
    char *data; /* NULL while empty and never grown */
    size_t len;
    size_t cap;
};

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* length 0, storage kept */
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The contents as a C string; "" for an empty buffer, never NULL. */
const char *buf_str(const struct buf *b);
char *buf_detach(struct buf *b);

#endif
