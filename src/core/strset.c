#include "core/strset.h"
#include "core/xalloc.h"

#include <stdlib.h>

static uint64_t digest(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    /* Mix the bits so that nearby strings land in distant slots. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

static void put(struct strset *set, uint64_t h)
{
    size_t i;

    for (i = h % set->cap; set->slot[i]; i = (i + 1) % set->cap)
        ;
    set->slot[i] = h;
    set->n++;
}

static void grow(struct strset *set)
{
    struct strset bigger = {.cap = set->cap ? set->cap * 2 : 1024};

    bigger.slot = xcalloc(bigger.cap, sizeof(*bigger.slot));
    for (size_t j = 0; j < set->cap; j++)
        if (set->slot[j])
            put(&bigger, set->slot[j]);
    free(set->slot);
    *set = bigger;
}

int strset_add(struct strset *set, const char *s)
{
    uint64_t h = digest(s);
    size_t i;

    if (2 * (set->n + 1) > set->cap)
        grow(set);
    for (i = h % set->cap; set->slot[i]; i = (i + 1) % set->cap)
        if (set->slot[i] == h)
            return 1;
    put(set, h);
    return 0;
}

void strset_release(struct strset *set)
{
    if (!set)
        return;
    free(set->slot);
    set->slot = NULL;
    set->cap = set->n = 0;
}
