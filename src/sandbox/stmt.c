/* stmt.c: the prepared-statement cache of the sandbox's store.
 *
 * Parsing SQL costs more than running it on this store's small indexed
 * lookups, and every request runs the same few dozen statements under the
 * one store lock. A statement is therefore prepared once per connection
 * (SQLITE_PREPARE_PERSISTENT), and handed out again after a reset. The key
 * is the full SQL text, so SQL built at run time can never pick up another
 * statement; a statement still held (an outer loop stepping it) is never
 * handed out twice: a second copy is prepared instead.
 */
#include "sandbox/sb.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define STMT_CACHE_MAX 192

struct stmt_slot {
    sqlite3 *db;
    sqlite3_stmt *st; /* NULL: a free slot */
    uint64_t hash;
    uint64_t used; /* the cache's clock at the last hand-out */
    int busy;      /* handed out, not yet released */
};

/* Several portals may share a process (the unit tests start many), so the
 * slots carry their connection; the mutex is never contended in practice
 * because every caller already holds its portal's store lock. */
static struct stmt_slot slots[STMT_CACHE_MAX];
static uint64_t clock_tick;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t sql_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct stmt_slot *slot_find(sqlite3 *db, const char *sql, uint64_t h)
{
    for (int i = 0; i < STMT_CACHE_MAX; i++) {
        struct stmt_slot *s = &slots[i];
        if (s->st && !s->busy && s->db == db && s->hash == h &&
            !strcmp(sqlite3_sql(s->st), sql))
            return s;
    }
    return NULL;
}

/* A free slot, else the least recently used idle one (its statement
 * finalized); NULL when every slot is busy. */
static struct stmt_slot *slot_claim(void)
{
    struct stmt_slot *victim = NULL;

    for (int i = 0; i < STMT_CACHE_MAX; i++) {
        struct stmt_slot *s = &slots[i];
        if (!s->st)
            return s;
        if (!s->busy && (!victim || s->used < victim->used))
            victim = s;
    }
    if (victim) {
        sqlite3_finalize(victim->st);
        memset(victim, 0, sizeof(*victim));
    }
    return victim;
}

int sb_stmt_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
    uint64_t h = sql_hash(sql);
    struct stmt_slot *s;
    int rc = SQLITE_OK;

    *out = NULL;
    pthread_mutex_lock(&cache_lock);
    s = slot_find(db, sql, h);
    if (!s && (s = slot_claim()) != NULL) {
        rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st,
                                NULL);
        if (rc != SQLITE_OK || !s->st) {
            sqlite3_finalize(s->st);
            memset(s, 0, sizeof(*s));
            s = NULL;
        } else {
            s->db = db;
            s->hash = h;
        }
    }
    if (s) {
        s->busy = 1;
        s->used = ++clock_tick;
        *out = s->st;
    }
    pthread_mutex_unlock(&cache_lock);
    /* Every slot busy: an uncached statement, finalized on release. */
    if (!s && rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, sql, -1, out, NULL);
    return rc;
}

void sb_stmt_release(sqlite3_stmt *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < STMT_CACHE_MAX; i++) {
        if (slots[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            slots[i].busy = 0;
            st = NULL;
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    sqlite3_finalize(st);
}

void sb_stmt_forget(sqlite3 *db)
{
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < STMT_CACHE_MAX; i++) {
        if (slots[i].st && slots[i].db == db) {
            sqlite3_finalize(slots[i].st);
            memset(&slots[i], 0, sizeof(slots[i]));
        }
    }
    pthread_mutex_unlock(&cache_lock);
}
