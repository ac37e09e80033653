/* strset.h: a set of strings kept as 64-bit digests.
 *
 * For counting duplicates over hundreds of thousands of values in flat,
 * small memory. Two different strings share a digest with a chance near
 * n^2 / 2^65, far below anything a report could show, so a hit is
 * treated as "seen before". A zeroed struct strset is an empty set;
 * strset_release frees it.
 *
 * A big set lives outside the CPU caches, so each add waits for memory.
 * A caller with other work to do can take the digest first, prefetch its
 * slot, do the work, then add the digest.
 */
#ifndef HSM_CORE_STRSET_H
#define HSM_CORE_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct strset {
    uint64_t *slot;
    size_t cap; /* a power of two */
    size_t n;
};

/* Adds s; returns 1 when it was already there, 0 when new. */
int strset_add(struct strset *set, const char *s);

uint64_t strset_digest(const char *s);
/* Asks the CPU to fetch the slot where digest h starts its search. */
void strset_prefetch(const struct strset *set, uint64_t h);
/* strset_add for a digest from strset_digest. */
int strset_add_digest(struct strset *set, uint64_t h);

void strset_release(struct strset *set);

#endif
