/* rollback_unlink.c: removes the associations runs created.
 *
 * Only associations the ledger marks as created by a run are touched,
 * and they are removed explicitly, before any record is archived, even
 * when an end is about to be archived: a record restored from HubSpot's
 * recycle bin must not bring the run's links back. v4 batch archive drops
 * every association type between the pair, which is right because a
 * created association is new as a whole (one of its ends did not exist
 * before the run).
 */
#include "core/xalloc.h"
#include "hubspot/assoc.h"
#include "hubspot/client.h"
#include "migrate/rollback_int.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct ru_pair {
    int64_t rowid;
    char from[32];
    char to[32];
    int type_id;
};

struct ru_wave {
    struct rb *r;
    char from_object[16];
    char to_object[16];
    struct ru_pair *pairs;
    size_t n;
};

struct ru_batch {
    struct ru_wave *w;
    size_t idx[RB_BATCH];
    size_t n;
};

static int db_err(struct rb *r, struct err *e)
{
    return err_set(e, ERR_DB, "ledger: %s", sqlite3_errmsg(r->db));
}

static void pair_done(struct ru_wave *w, struct ru_pair *p, const char *outcome,
                      const char *detail)
{
    char what[80];
    struct rb_item it = {.object = w->from_object,
                         .hubspot_id = p->from,
                         .action = "unlink",
                         .property = what,
                         .outcome = outcome,
                         .detail = detail};
    sqlite3_stmt *st;
    struct err e = {0};

    snprintf(what, sizeof(what), "%s %s type %d", w->to_object, p->to,
             p->type_id);
    rbl_item(w->r, &it);
    if (sqlite3_prepare_v2(w->r->db, "DELETE FROM associations WHERE rowid = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        db_err(w->r, &e);
        rb_fail(w->r, &e);
        return;
    }
    sqlite3_bind_int64(st, 1, p->rowid);
    if (sqlite3_step(st) != SQLITE_DONE) {
        db_err(w->r, &e);
        rb_fail(w->r, &e);
    }
    sqlite3_finalize(st);
}

static struct rollback_counts *counts(struct ru_wave *w)
{
    enum object_kind k = OBJ_CONTACTS;

    object_kind_parse(w->from_object, &k);
    return &w->r->s->objects[k];
}

static int wave_load(struct ru_wave *w, int64_t *cursor, size_t max,
                     struct err *e)
{
    sqlite3_stmt *st;
    struct rb *r = w->r;

    if (sqlite3_prepare_v2(r->db,
                           "SELECT rowid, from_id, to_id, type_id FROM"
                           " associations WHERE (?1 = 0 OR run_id = ?1) AND"
                           " (?2 IS NULL OR from_object = ?2 OR to_object ="
                           " ?2) AND created = 1 AND removed = 0 AND"
                           " from_object = ?3 AND to_object = ?4 AND"
                           " rowid > ?5 ORDER BY rowid LIMIT ?6",
                           -1, &st, NULL) != SQLITE_OK)
        return db_err(r, e);
    sqlite3_bind_int64(st, 1, r->run_sel);
    if (r->object)
        sqlite3_bind_text(st, 2, r->object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, w->from_object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, w->to_object, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, *cursor);
    sqlite3_bind_int64(st, 6, (int64_t)max);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct ru_pair *p = &w->pairs[w->n++];

        p->rowid = sqlite3_column_int64(st, 0);
        snprintf(p->from, sizeof(p->from), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        snprintf(p->to, sizeof(p->to), "%s",
                 (const char *)sqlite3_column_text(st, 2));
        p->type_id = sqlite3_column_int(st, 3);
        *cursor = p->rowid;
    }
    sqlite3_finalize(st);
    return 0;
}

static void on_unlink(struct hs_result *res, size_t n, void *ud)
{
    struct ru_batch *b = ud;
    struct ru_wave *w = b->w;

    if (rbl_begin(w->r))
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct ru_pair *p = &w->pairs[b->idx[i]];

        if (res[i].outcome == HS_OK) {
            counts(w)->unlinked++;
            pair_done(w, p, "unlinked", NULL);
        } else if (res[i].outcome == HS_TRANSPORT) {
            w->r->s->unknown++;
        } else {
            counts(w)->failed++;
            pair_done(w, p, "failed", res[i].message);
        }
    }
    rbl_commit(w->r);
out:
    free(b);
}

static void wave_submit(struct ru_wave *w)
{
    for (size_t first = 0; first < w->n; first += RB_BATCH) {
        struct ru_batch *b = xcalloc(1, sizeof(*b));
        struct hs_assoc in[RB_BATCH];

        b->w = w;
        b->n = w->n - first < RB_BATCH ? w->n - first : RB_BATCH;
        for (size_t i = 0; i < b->n; i++) {
            const struct ru_pair *p = &w->pairs[first + i];

            memset(&in[i], 0, sizeof(in[i]));
            in[i].from_id = p->from;
            in[i].to_id = p->to;
            in[i].type_id = p->type_id;
            b->idx[i] = first + i;
        }
        hs_assoc_batch_archive(w->r->hs, w->from_object, w->to_object, in, b->n,
                               on_unlink, b);
    }
}

static int unlink_kind(struct rb *r, const char *from, const char *to,
                       struct err *e)
{
    int64_t cursor = 0;
    size_t max = rb_wave(r);
    int rc = 0;

    for (;;) {
        struct ru_wave w = {.r = r};

        snprintf(w.from_object, sizeof(w.from_object), "%s", from);
        snprintf(w.to_object, sizeof(w.to_object), "%s", to);
        w.pairs = xcalloc(max, sizeof(*w.pairs));
        rc = wave_load(&w, &cursor, max, e);
        if (!rc && w.n) {
            wave_submit(&w);
            rc = rb_drain(r, e);
        }
        if (!rc && w.n && r->o->stop && *r->o->stop)
            rc = err_set(e, ERR_INTERRUPTED, "interrupted");
        free(w.pairs);
        if (rc || !w.n)
            return rc;
    }
}

int rb_unlink(struct rb *r, struct err *e)
{
    static const char *const kinds[][2] = {{"contacts", "companies"},
                                           {"deals", "companies"},
                                           {"deals", "contacts"}};
    int rc = 0;

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !rc; i++)
        rc = unlink_kind(r, kinds[i][0], kinds[i][1], e);
    return rc;
}
