/* xalloc.h: allocation that never returns NULL.
 *
 * Running out of memory is not a recoverable condition for a CLI that
 * keeps its state in a ledger: these wrappers print one line and exit
 * with status 1, so the next run resumes from the ledger.
 */
#ifndef HSM_CORE_XALLOC_H
#define HSM_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
