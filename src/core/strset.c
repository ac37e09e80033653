#include "core/strset.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* A word's bits spread over the whole digest before they are added. */
static uint64_t scramble(uint64_t w)
{
    w *= 0x87c37b91114253d5ULL;
    w = rotl(w, 31);
    return w * 0x4cf5ad432745937fULL;
}

/* Eight bytes a step: ids and emails are hashed for every row. */
uint64_t strset_digest(const char *s)
{
    size_t n = strlen(s), i = 0;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    uint64_t w;

    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        h ^= scramble(w);
        h = rotl(h, 27) * 5 + 0x52dce729;
    }
    w = 0;
    memcpy(&w, s + i, n - i);
    h ^= scramble(w);

    /* Mix the bits so that nearby strings land in distant slots. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h ? h : 1;
}

#define HUGE_PAGE (2u << 20)

/* A big table is probed at random: in 2 MiB pages it costs the CPU far
 * fewer address translations. */
static uint64_t *slots_new(size_t cap)
{
    size_t size = cap * sizeof(uint64_t);
    void *p = NULL;

    if (size < HUGE_PAGE)
        return xcalloc(cap, sizeof(uint64_t));
    if (posix_memalign(&p, HUGE_PAGE, size))
        return xcalloc(cap, sizeof(uint64_t));
    madvise(p, size, MADV_HUGEPAGE);
    memset(p, 0, size);
    return p;
}

static void put(struct strset *set, uint64_t h)
{
    size_t mask = set->cap - 1;
    size_t i;

    for (i = h & mask; set->slot[i]; i = (i + 1) & mask)
        ;
    set->slot[i] = h;
    set->n++;
}

static void grow(struct strset *set)
{
    struct strset bigger = {.cap = set->cap ? set->cap * 2 : 1024};

    bigger.slot = slots_new(bigger.cap);
    for (size_t j = 0; j < set->cap; j++)
        if (set->slot[j])
            put(&bigger, set->slot[j]);
    free(set->slot);
    *set = bigger;
}

void strset_prefetch(const struct strset *set, uint64_t h)
{
    if (set->cap)
        __builtin_prefetch(&set->slot[h & (set->cap - 1)]);
}

int strset_add_digest(struct strset *set, uint64_t h)
{
    size_t mask;
    size_t i;

    if (2 * (set->n + 1) > set->cap)
        grow(set);
    mask = set->cap - 1;
    for (i = h & mask; set->slot[i]; i = (i + 1) & mask)
        if (set->slot[i] == h)
            return 1;
    put(set, h);
    return 0;
}

int strset_add(struct strset *set, const char *s)
{
    return strset_add_digest(set, strset_digest(s));
}

void strset_release(struct strset *set)
{
    if (!set)
        return;
    free(set->slot);
    set->slot = NULL;
    set->cap = set->n = 0;
}
