/* rollback_values.c: puts back the values a run replaced.
 *
 * Records that existed before a run, or that an earlier run wrote, have
 * pre-images of the run in the ledger: for each property, the value the
 * run found and the value it wrote. Each
 * wave reads those records' current values (batch read by id), then
 * restores, with batch update, only the properties that still hold what
 * the run wrote. A property holding anything else was changed in the
 * portal since: it is left alone and reported. A record the read does
 * not find is looked up singly, which follows a merge to its survivor.
 */
#include "core/log.h"
#include "core/xalloc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "migrate/rollback_int.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct rv_val {
    int64_t run_id;
    char *prop;
    char *old;
    char *new_;
};

struct rv_rec {
    char id[32];     /* the id the run wrote to */
    char target[32]; /* where the values live now (a survivor) */
    struct rv_val *vals;
    size_t nvals;
    int follow; /* not found by id: look it up singly */
    json_t *update;
};

struct rv_wave {
    struct rb *r;
    const char *object;
    struct rv_rec *recs;
    size_t n;
};

struct rv_batch {
    struct rv_wave *w;
    size_t first;
    size_t n;
};

static void rec_add_val(struct rv_rec *rec, int64_t run_id,
                        const unsigned char *prop, const unsigned char *old,
                        const unsigned char *new_)
{
    struct rv_val *v;

    rec->vals = xrealloc(rec->vals, (rec->nvals + 1) * sizeof(*rec->vals));
    v = &rec->vals[rec->nvals++];
    v->run_id = run_id;
    v->prop = xstrdup(prop ? (const char *)prop : "");
    v->old = xstrdup(old ? (const char *)old : "");
    v->new_ = xstrdup(new_ ? (const char *)new_ : "");
}

/* Loads the next records' pre-images, after the cursor id. */
static int wave_load(struct rv_wave *w, char *cursor, size_t max, struct err *e)
{
    sqlite3_stmt *st;
    struct rb *r = w->r;

    if (sqlite3_prepare_v2(r->db,
                           "SELECT hubspot_id, property, old_value,"
                           " new_value, run_id"
                           " FROM preimages WHERE (?1 = 0 OR run_id = ?1)"
                           " AND object = ?2 AND restored = 0 AND"
                           " hubspot_id > ?3 ORDER BY hubspot_id, property",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, ERR_DB, "ledger: %s", sqlite3_errmsg(r->db));
    sqlite3_bind_int64(st, 1, r->run_sel);
    sqlite3_bind_text(st, 2, w->object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, cursor, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        struct rv_rec *rec = w->n ? &w->recs[w->n - 1] : NULL;

        if (!id)
            continue;
        if (!rec || strcmp(rec->id, id)) {
            if (w->n == max)
                break;
            rec = &w->recs[w->n++];
            snprintf(rec->id, sizeof(rec->id), "%s", id);
        }
        rec_add_val(rec, sqlite3_column_int64(st, 4),
                    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                    sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    if (w->n)
        snprintf(cursor, 32, "%s", w->recs[w->n - 1].id);
    return 0;
}

static void wave_free(struct rv_wave *w)
{
    for (size_t i = 0; i < w->n; i++) {
        for (size_t j = 0; j < w->recs[i].nvals; j++) {
            free(w->recs[i].vals[j].prop);
            free(w->recs[i].vals[j].old);
            free(w->recs[i].vals[j].new_);
        }
        free(w->recs[i].vals);
        json_decref(w->recs[i].update);
    }
    free(w->recs);
}

/* restored: 1 the value is back (row leaves), 2 left alone (kept). */
static void val_done(struct rb *r, const char *object, const char *id,
                     const struct rv_val *v, int restored)
{
    sqlite3_stmt *st;
    struct err e = {0};
    const char *sql = restored == 1
                          ? "DELETE FROM preimages WHERE object = ? AND"
                            " hubspot_id = ? AND property = ? AND run_id = ?"
                          : "UPDATE preimages SET restored = 2 WHERE"
                            " object = ? AND hubspot_id = ? AND property = ?"
                            " AND run_id = ?";

    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        err_set(&e, ERR_DB, "ledger: %s", sqlite3_errmsg(r->db));
        rb_fail(r, &e);
        return;
    }
    sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, v->prop, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, v->run_id);
    if (sqlite3_step(st) != SQLITE_DONE) {
        err_set(&e, ERR_DB, "ledger: %s", sqlite3_errmsg(r->db));
        rb_fail(r, &e);
    }
    sqlite3_finalize(st);
}

static void item(struct rb *r, const char *object, const struct rv_rec *rec,
                 const struct rv_val *v, const char *outcome,
                 const char *detail)
{
    struct rb_item it = {.object = object,
                         .hubspot_id = rec->id,
                         .action = "restore",
                         .property = v ? v->prop : NULL,
                         .value = v ? v->old : NULL,
                         .outcome = outcome,
                         .detail = detail};

    rbl_item(r, &it);
}

static struct rollback_counts *counts(struct rb *r, const char *object)
{
    enum object_kind k = OBJ_CONTACTS;

    object_kind_parse(object, &k);
    return &r->s->objects[k];
}

static const char *prop_value(const json_t *props, const char *name)
{
    const char *s = json_string_value(json_object_get(props, name));

    return s ? s : "";
}

/* Compares each pre-image with the current value: still the run's value
 * means restore; the original means nothing to do; anything else was
 * changed since and stays. */
static void rec_decide(struct rb *r, const char *object, struct rv_rec *rec,
                       const json_t *props)
{
    char detail[512];

    for (size_t j = 0; j < rec->nvals; j++) {
        const struct rv_val *v = &rec->vals[j];
        const char *cur = prop_value(props, v->prop);

        if (!strcmp(cur, v->old)) {
            val_done(r, object, rec->id, v, 1);
        } else if (!strcmp(cur, v->new_)) {
            if (!rec->update)
                rec->update = json_object();
            json_object_set_new(rec->update, v->prop, json_string(v->old));
        } else {
            snprintf(detail, sizeof(detail),
                     "changed in HubSpot since the run (now '%.200s'); "
                     "left alone",
                     cur);
            item(r, object, rec, v, "changed", detail);
            val_done(r, object, rec->id, v, 2);
            counts(r, object)->changed++;
        }
    }
}

static void on_update(struct hs_result *res, size_t n, void *ud)
{
    struct rv_batch *b = ud;
    struct rv_wave *w = b->w;
    size_t i = 0;

    if (rbl_begin(w->r))
        goto out;
    for (size_t x = b->first; x < b->first + b->n && !w->r->failed; x++) {
        struct rv_rec *rec = &w->recs[x];

        if (!rec->update)
            continue;
        for (size_t j = 0; j < rec->nvals && i < n; j++) {
            const struct rv_val *v = &rec->vals[j];

            if (!json_object_get(rec->update, v->prop))
                continue;
            if (res[i].outcome == HS_OK) {
                char on[80];

                /* The detail names the survivor when the values were put
                 * back on the record this one was merged into. */
                snprintf(on, sizeof(on), "on %s, which it was merged into",
                         rec->target);
                item(w->r, w->object, rec, v, "restored",
                     strcmp(rec->target, rec->id) ? on : NULL);
                val_done(w->r, w->object, rec->id, v, 1);
                counts(w->r, w->object)->restored++;
            } else if (res[i].outcome == HS_TRANSPORT) {
                w->r->s->unknown++;
            } else {
                item(w->r, w->object, rec, v, "failed", res[i].message);
                counts(w->r, w->object)->failed++;
            }
        }
        i++;
    }
    rbl_commit(w->r);
out:
    free(b);
}

/* Sends the updates of recs[first..first+n), one input per record. */
static void submit_updates(struct rv_wave *w, size_t first, size_t n)
{
    struct hs_input in[RB_BATCH];
    struct rv_batch *b = xcalloc(1, sizeof(*b));
    size_t m = 0;

    b->w = w;
    b->first = first;
    b->n = n;
    for (size_t x = first; x < first + n; x++) {
        if (!w->recs[x].update)
            continue;
        in[m].key = w->recs[x].target;
        in[m].id = w->recs[x].target;
        in[m].properties = w->recs[x].update;
        m++;
    }
    if (!m) {
        free(b);
        return;
    }
    hs_batch_update(w->r->hs, w->object, in, m, on_update, b);
}

static void on_read(struct hs_result *res, size_t n, void *ud)
{
    struct rv_batch *b = ud;
    struct rv_wave *w = b->w;

    if (rbl_begin(w->r))
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct rv_rec *rec = &w->recs[b->first + i];

        if (res[i].outcome == HS_OK) {
            snprintf(rec->target, sizeof(rec->target), "%s", rec->id);
            rec_decide(w->r, w->object, rec, res[i].properties);
        } else if (res[i].outcome == HS_NOT_FOUND) {
            rec->follow = 1;
        } else {
            w->r->s->unknown++;
        }
    }
    rbl_commit(w->r);
    if (!w->r->failed)
        submit_updates(w, b->first, b->n);
out:
    free(b);
}

/* The union of the batch's property names; names borrowed from recs. */
static const char **wave_props(const struct rv_wave *w, size_t first, size_t n)
{
    json_t *seen = json_object();
    size_t total = 0, k = 0;
    const char **names;

    for (size_t x = first; x < first + n; x++)
        total += w->recs[x].nvals;
    names = xcalloc(total + 1, sizeof(*names));
    for (size_t x = first; x < first + n; x++)
        for (size_t j = 0; j < w->recs[x].nvals; j++) {
            const char *p = w->recs[x].vals[j].prop;

            if (json_object_get(seen, p))
                continue;
            json_object_set_new(seen, p, json_true());
            names[k++] = p;
        }
    json_decref(seen);
    return names;
}

static void submit_reads(struct rv_wave *w)
{
    for (size_t first = 0; first < w->n; first += RB_BATCH) {
        struct rv_batch *b = xcalloc(1, sizeof(*b));
        const char *ids[RB_BATCH];
        const char **props;

        b->w = w;
        b->first = first;
        b->n = w->n - first < RB_BATCH ? w->n - first : RB_BATCH;
        for (size_t i = 0; i < b->n; i++)
            ids[i] = w->recs[first + i].id;
        props = wave_props(w, first, b->n);
        hs_batch_read(w->r->hs, w->object, NULL, ids, b->n, props, on_read, b);
        free(props);
    }
}

/* Records the read did not find: a single GET follows a merge to its
 * survivor; a 404 means the record is gone and nothing can be restored. */
static void follow_gone(struct rv_wave *w, struct rv_rec *rec)
{
    counts(w->r, w->object)->gone++;
    for (size_t j = 0; j < rec->nvals; j++) {
        item(w->r, w->object, rec, &rec->vals[j], "gone",
             "the record is no longer in HubSpot; nothing to restore");
        val_done(w->r, w->object, rec->id, &rec->vals[j], 2);
    }
}

/* The GET runs the pool, so it happens outside any ledger transaction
 * and before any update of the wave is queued. */
static int follow_one(struct rv_wave *w, struct rv_rec *rec, struct err *e)
{
    const char **props = wave_props(w, (size_t)(rec - w->recs), 1);
    json_t *out = NULL;
    const char *id;
    int rc = hs_get_object(w->r->hs, w->object, rec->id, NULL, props, &out, e);

    free(props);
    if (rc && rc != ERR_NOTFOUND)
        return rc;
    if (rbl_begin(w->r))
        return 0;
    if (rc == ERR_NOTFOUND) {
        err_clear(e);
        follow_gone(w, rec);
    } else {
        id = json_string_value(json_object_get(out, "id"));
        snprintf(rec->target, sizeof(rec->target), "%s", id ? id : rec->id);
        if (strcmp(rec->target, rec->id)) {
            counts(w->r, w->object)->followed++;
            log_info("%s %s was merged into %s; restoring there", w->object,
                     rec->id, rec->target);
        }
        rec_decide(w->r, w->object, rec, json_object_get(out, "properties"));
    }
    json_decref(out);
    rbl_commit(w->r);
    return 0;
}

static int follow_all(struct rv_wave *w, struct err *e)
{
    int rc = 0;

    for (size_t x = 0; x < w->n && !rc && !w->r->failed; x++)
        if (w->recs[x].follow)
            rc = follow_one(w, &w->recs[x], e);
    for (size_t x = 0; x < w->n && !rc && !w->r->failed; x++)
        if (w->recs[x].follow)
            submit_updates(w, x, 1);
    if (!rc && w->r->failed) {
        *e = w->r->fail;
        rc = e->code;
    }
    return rc ? rc : rb_drain(w->r, e);
}

int rb_values(struct rb *r, int k, struct err *e)
{
    char cursor[32] = "";
    size_t max = rb_wave(r);
    int rc = 0;

    for (;;) {
        struct rv_wave w = {.r = r, .object = object_kind_name(k)};

        w.recs = xcalloc(max, sizeof(*w.recs));
        rc = wave_load(&w, cursor, max, e);
        if (!rc && w.n) {
            submit_reads(&w);
            rc = rb_drain(r, e);
            if (!rc)
                rc = follow_all(&w, e);
        }
        if (!rc && w.n && r->o->stop && *r->o->stop)
            rc = err_set(e, ERR_INTERRUPTED, "interrupted");
        if (rc || !w.n) {
            wave_free(&w);
            return rc;
        }
        wave_free(&w);
    }
}
