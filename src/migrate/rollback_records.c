/* rollback_records.c: archives the records runs created and removes the
 * associations they created.
 *
 * Associations go first, while the ledger still says which records will
 * be archived: a link with an archived end disappears with it and needs
 * no call; the others are removed with v4 batch archive. Then, in waves,
 * every created record is read first (by id; an unconfirmed write by its
 * source id) so that a record merged since the run is followed to its
 * survivor, and a record already gone costs nothing. A survivor the runs
 * did not create is never archived: that merge is reported instead.
 */
#include "core/log.h"
#include "core/xalloc.h"
#include "hubspot/assoc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "migrate/rollback_int.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define CREATED_R                                                              \
    "r.existed_before = 0 AND (r.state IN (0, 1) OR (r.state IN (3, 4) AND"    \
    " coalesce(r.hubspot_id, '') <> ''))"

enum ra_state { RA_QUEUED, RA_ARCHIVE, RA_FOLLOW, RA_DONE };

struct ra_rec {
    int64_t rowid;
    char sid[64];
    char id[32];     /* the id the ledger knows, "" when unconfirmed */
    char target[32]; /* the record to archive */
    const char *note;
    enum ra_state state;
};

struct ra_wave {
    struct rb *r;
    const char *object;
    struct ra_rec *recs;
    size_t n;
};

struct ra_batch {
    struct ra_wave *w;
    size_t idx[RB_BATCH];
    size_t n;
    int by_sid;
};

static struct rollback_counts *counts(struct rb *r, const char *object)
{
    enum object_kind k = OBJ_CONTACTS;

    object_kind_parse(object, &k);
    return &r->s->objects[k];
}

static int db_err(struct rb *r, struct err *e)
{
    return err_set(e, ERR_DB, "ledger: %s", sqlite3_errmsg(r->db));
}

static void exec_rowid(struct rb *r, const char *sql, int64_t rowid)
{
    sqlite3_stmt *st;
    struct err e = {0};

    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_err(r, &e);
        rb_fail(r, &e);
        return;
    }
    sqlite3_bind_int64(st, 1, rowid);
    if (sqlite3_step(st) != SQLITE_DONE) {
        db_err(r, &e);
        rb_fail(r, &e);
    }
    sqlite3_finalize(st);
}

/* The record row leaves the ledger, with a line saying why. */
static void rec_done(struct ra_wave *w, struct ra_rec *rec, const char *outcome,
                     const char *detail)
{
    struct rb_item it = {.object = w->object,
                         .hubspot_id = rec->target[0] ? rec->target : rec->id,
                         .source_id = rec->sid,
                         .action = "archive",
                         .outcome = outcome,
                         .detail = detail};

    rbl_item(w->r, &it);
    exec_rowid(w->r, "DELETE FROM records WHERE rowid = ?", rec->rowid);
    rec->state = RA_DONE;
}

static int wave_load(struct ra_wave *w, int64_t *cursor, size_t max,
                     struct err *e)
{
    sqlite3_stmt *st;
    struct rb *r = w->r;

    if (sqlite3_prepare_v2(
            r->db,
            "SELECT r.rowid, r.source_id,"
            " coalesce(r.hubspot_id, '') FROM records r WHERE"
            " (?1 = 0 OR r.run_id = ?1) AND r.object = ?2 AND " CREATED_R
            " AND r.rowid > ?3 ORDER BY r.rowid"
            " LIMIT ?4",
            -1, &st, NULL) != SQLITE_OK)
        return db_err(r, e);
    sqlite3_bind_int64(st, 1, r->run_sel);
    sqlite3_bind_text(st, 2, w->object, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, *cursor);
    sqlite3_bind_int64(st, 4, (int64_t)max);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct ra_rec *rec = &w->recs[w->n++];
        const unsigned char *sid = sqlite3_column_text(st, 1);

        rec->rowid = sqlite3_column_int64(st, 0);
        snprintf(rec->sid, sizeof(rec->sid), "%s",
                 sid ? (const char *)sid : "");
        snprintf(rec->id, sizeof(rec->id), "%s",
                 (const char *)sqlite3_column_text(st, 2));
        *cursor = rec->rowid;
    }
    sqlite3_finalize(st);
    return 0;
}

static void on_read(struct hs_result *res, size_t n, void *ud)
{
    struct ra_batch *b = ud;
    struct ra_wave *w = b->w;

    if (rbl_begin(w->r))
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct ra_rec *rec = &w->recs[b->idx[i]];

        if (res[i].outcome == HS_OK && res[i].hubspot_id) {
            snprintf(rec->target, sizeof(rec->target), "%s", res[i].hubspot_id);
            rec->state = RA_ARCHIVE;
        } else if (res[i].outcome == HS_NOT_FOUND && b->by_sid) {
            rec_done(w, rec, "not-created",
                     "the run's write never landed; nothing to archive");
        } else if (res[i].outcome == HS_NOT_FOUND) {
            rec->state = RA_FOLLOW;
        } else {
            w->r->s->unknown++;
        }
    }
    rbl_commit(w->r);
out:
    free(b);
}

static void submit_reads(struct ra_wave *w, int by_sid)
{
    struct ra_batch *b = NULL;
    const char *keys[RB_BATCH];
    const char *const props[] = {w->r->cfg->id_property, NULL};

    for (size_t x = 0; x <= w->n; x++) {
        if (x < w->n && (w->recs[x].id[0] == '\0') != by_sid)
            continue; /* read the other way */
        if (b && (x == w->n || b->n == RB_BATCH)) {
            hs_batch_read(w->r->hs, w->object,
                          by_sid ? w->r->cfg->id_property : NULL, keys, b->n,
                          props, on_read, b);
            b = NULL;
        }
        if (x == w->n)
            break;
        if (!b) {
            b = xcalloc(1, sizeof(*b));
            b->w = w;
            b->by_sid = by_sid;
        }
        keys[b->n] = by_sid ? w->recs[x].sid : w->recs[x].id;
        b->idx[b->n++] = x;
    }
}

/* Records its outcome in a transaction of its own. */
static void rec_done_tx(struct ra_wave *w, struct ra_rec *rec,
                        const char *outcome, const char *detail)
{
    if (rbl_begin(w->r))
        return;
    rec_done(w, rec, outcome, detail);
    rbl_commit(w->r);
}

/* What a GET of a record the read by id did not find says: 404, gone;
 * else the id it answers under, its survivor when it was merged. */
static int follow_answer(struct ra_wave *w, struct ra_rec *rec, long status,
                         const json_t *body, struct err *e)
{
    const char *id = json_string_value(json_object_get(body, "id"));
    char detail[160];

    if (status == 404) {
        counts(w->r, w->object)->gone++;
        rec_done_tx(w, rec, "gone", "already archived or deleted in HubSpot");
        return 0;
    }
    if (status != 200 || !id) {
        const char *msg = json_string_value(json_object_get(body, "message"));

        return err_set(
            e, ERR_HTTP, "reading %s record %s: HubSpot answered %ld%s%s",
            w->object, rec->id, status, msg ? ": " : "", msg ? msg : "");
    }
    snprintf(rec->target, sizeof(rec->target), "%s", id);
    if (!strcmp(rec->target, rec->id) ||
        rbl_is_created(w->r, w->object, rec->target)) {
        rec->state = RA_ARCHIVE;
        rec->note = strcmp(rec->target, rec->id) ? "followed" : NULL;
        return 0;
    }
    snprintf(detail, sizeof(detail),
             "merged into %s, a record the run did not create; left in place",
             rec->target);
    counts(w->r, w->object)->kept++;
    rec_done_tx(w, rec, "kept", detail);
    return 0;
}

/* The records the read by id did not find, each followed with a GET (a
 * merged record's old id answers with its survivor), RB_BATCH at a time
 * sent together. hs_get_many runs the pool, so no ledger transaction is
 * open around it. */
static int follow_all(struct ra_wave *w, struct err *e)
{
    char *obj = hs_url_escape(w->object);
    size_t x = 0;
    int rc = 0;

    while (!rc && !w->r->failed && x < w->n) {
        char *paths[RB_BATCH];
        size_t idx[RB_BATCH], n = 0;
        long status[RB_BATCH];
        json_t *bodies[RB_BATCH];

        for (; x < w->n && n < RB_BATCH; x++) {
            char *id;

            if (w->recs[x].state != RA_FOLLOW)
                continue;
            id = hs_url_escape(w->recs[x].id);
            paths[n] = xasprintf("/crm/v3/objects/%s/%s", obj, id);
            idx[n++] = x;
            free(id);
        }
        if (n)
            rc = hs_get_many(w->r->hs, (const char *const *)paths, n, status,
                             bodies, e);
        for (size_t i = 0; i < n; i++) {
            if (!rc)
                rc =
                    follow_answer(w, &w->recs[idx[i]], status[i], bodies[i], e);
            json_decref(bodies[i]);
            free(paths[i]);
        }
    }
    free(obj);
    if (!rc && w->r->failed) {
        *e = w->r->fail;
        rc = e->code;
    }
    return rc;
}

static void on_archive(struct hs_result *res, size_t n, void *ud)
{
    struct ra_batch *b = ud;
    struct ra_wave *w = b->w;
    char detail[96];

    if (rbl_begin(w->r))
        goto out;
    for (size_t i = 0; i < n; i++) {
        const char *target = w->recs[b->idx[i]].target;

        for (size_t x = 0; x < w->n; x++) {
            struct ra_rec *rec = &w->recs[x];

            if (rec->state != RA_ARCHIVE || strcmp(rec->target, target))
                continue;
            if (res[i].outcome == HS_TRANSPORT) {
                w->r->s->unknown++;
                continue;
            }
            if (res[i].outcome != HS_OK) {
                counts(w->r, w->object)->failed++;
                rec_done(w, rec, "failed", res[i].message);
                continue;
            }
            snprintf(detail, sizeof(detail), "merged from %s", rec->id);
            counts(w->r, w->object)->archived++;
            counts(w->r, w->object)->followed += rec->note != NULL;
            rec_done(w, rec, "archived", rec->note ? detail : NULL);
        }
    }
    rbl_commit(w->r);
out:
    free(b);
}

/* Archives each distinct target once. */
static void submit_archives(struct ra_wave *w)
{
    struct ra_batch *b = NULL;
    const char *ids[RB_BATCH];

    for (size_t x = 0; x <= w->n; x++) {
        int dup = 0;

        if (x < w->n && w->recs[x].state != RA_ARCHIVE)
            continue;
        for (size_t i = 0; x < w->n && b && i < b->n; i++)
            dup |= !strcmp(ids[i], w->recs[x].target);
        if (dup)
            continue;
        if (b && (x == w->n || b->n == RB_BATCH)) {
            hs_batch_archive(w->r->hs, w->object, ids, b->n, on_archive, b);
            b = NULL;
        }
        if (x == w->n)
            break;
        if (!b) {
            b = xcalloc(1, sizeof(*b));
            b->w = w;
        }
        ids[b->n] = w->recs[x].target;
        b->idx[b->n++] = x;
    }
}

int rb_archive(struct rb *r, int k, struct err *e)
{
    int64_t cursor = 0;
    size_t max = rb_wave(r);
    int rc = 0;

    for (;;) {
        struct ra_wave w = {.r = r, .object = object_kind_name(k)};

        w.recs = xcalloc(max, sizeof(*w.recs));
        rc = wave_load(&w, &cursor, max, e);
        if (!rc && w.n) {
            submit_reads(&w, 0);
            submit_reads(&w, 1);
            if (!(rc = rb_drain(r, e)) && !(rc = follow_all(&w, e))) {
                submit_archives(&w);
                rc = rb_drain(r, e);
            }
        }
        if (!rc && w.n && r->o->stop && *r->o->stop)
            rc = err_set(e, ERR_INTERRUPTED, "interrupted");
        free(w.recs);
        if (rc || !w.n)
            return rc;
    }
}
