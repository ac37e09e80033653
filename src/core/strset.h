/* strset.h: a set of strings kept as 64-bit digests.
 *
 * For counting duplicates over hundreds of thousands of values in flat,
 * small memory. Two different strings share a digest with a chance near
 * n^2 / 2^65, far below anything a report could show, so a hit is
 * treated as "seen before". A zeroed struct strset is an empty set;
 * strset_release frees it.
 */
#ifndef HSM_CORE_STRSET_H
#define HSM_CORE_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct strset {
    uint64_t *slot;
    size_t cap;
    size_t n;
};

/* Adds s; returns 1 when it was already there, 0 when new. */
int strset_add(struct strset *set, const char *s);
void strset_release(struct strset *set);

#endif
