/* doctor.c: duplicate groups, their survivors and merges; the run. */
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "csv/writer.h"
#include "hubspot/client.h"
#include "migrate/doctor_int.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct member {
    char id[32];
    char created[40];
    char keys[256]; /* the keys it shares with others, for the report */
    int has_sid;
    int filled;
};

struct group {
    struct member *m;
    size_t n;
};

int doc_in_scope(const struct doc *d, enum object_kind k)
{
    return d->o->object < 0 || d->o->object == (int)k;
}

int doc_report(struct doc *d, const char *const f[8], struct err *e)
{
    return csv_writer_row(d->report, 8, f, e);
}

void doc_change(struct doc *d, const char *object, const char *action,
                const char *id, const char *other, const char *detail)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    if (!d->ledger)
        return;
    db = ledger_db(d->ledger);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO doctor_changes(run_id, object,"
                           " action, hubspot_id, other_id, detail, at)"
                           " VALUES(?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        log_warn("ledger: %s", sqlite3_errmsg(db));
        return;
    }
    sqlite3_bind_int64(st, 1, d->run_id);
    sqlite3_bind_text(st, 2, object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, other, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, clock_wall_ms());
    if (sqlite3_step(st) != SQLITE_DONE)
        log_warn("ledger: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

/* Union-find over the object's record ids, joined by shared keys. */
struct uf {
    char (*ids)[32];
    size_t *parent;
    size_t n;
};

static size_t uf_find(struct uf *u, size_t i)
{
    while (u->parent[i] != i)
        i = u->parent[i] = u->parent[u->parent[i]];
    return i;
}

static long uf_index(const struct uf *u, const char *id)
{
    size_t lo = 0, hi = u->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(u->ids[mid], id);

        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int id_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Sorts the ids and drops repeats, so uf_index can search them. */
static void uf_unique(struct uf *u)
{
    size_t w = 0;

    if (u->n)
        qsort(u->ids, u->n, sizeof(*u->ids), id_cmp);
    for (size_t i = 0; i < u->n; i++)
        if (!w || strcmp(u->ids[w - 1], u->ids[i]))
            memmove(u->ids[w++], u->ids[i], sizeof(*u->ids));
    u->n = w;
    u->parent = xcalloc(u->n + 1, sizeof(*u->parent));
    for (size_t i = 0; i < u->n; i++)
        u->parent[i] = i;
}

/* Two passes over the pairs of records sharing a key: the first collects
 * the ids, the second joins them. */
static int uf_build(struct doc *d, enum object_kind k, struct uf *u)
{
    sqlite3_stmt *st;

    memset(u, 0, sizeof(*u));
    if (sqlite3_prepare_v2(d->db,
                           "SELECT DISTINCT a.id, b.id FROM keys a JOIN keys b"
                           " ON a.object = b.object AND a.kind = b.kind AND"
                           " a.key = b.key AND a.id < b.id WHERE"
                           " a.object = ? ORDER BY 1",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, object_kind_name(k), -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int c = 0; c < 2; c++) {
            u->ids = xrealloc(u->ids, (u->n + 1) * sizeof(*u->ids));
            snprintf(u->ids[u->n++], sizeof(*u->ids), "%s",
                     (const char *)sqlite3_column_text(st, c));
        }
    uf_unique(u);
    sqlite3_reset(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        long a = uf_index(u, (const char *)sqlite3_column_text(st, 0));
        long b = uf_index(u, (const char *)sqlite3_column_text(st, 1));

        if (a >= 0 && b >= 0)
            u->parent[uf_find(u, (size_t)a)] = uf_find(u, (size_t)b);
    }
    sqlite3_finalize(st);
    return 0;
}

/* Fills a member from the store: age, completeness, shared keys. */
static void member_load(struct doc *d, enum object_kind k, struct member *m)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(d->db,
                           "SELECT sid IS NOT NULL, coalesce(created, ''),"
                           " filled, (SELECT group_concat(kind || ' ' || key,"
                           " '; ') FROM keys a WHERE a.object = r.object AND"
                           " a.id = r.id AND EXISTS(SELECT 1 FROM keys b"
                           " WHERE b.object = a.object AND b.kind = a.kind"
                           " AND b.key = a.key AND b.id <> a.id)) FROM recs r"
                           " WHERE object = ? AND id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, object_kind_name(k), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *keys = sqlite3_column_text(st, 3);

        m->has_sid = sqlite3_column_int(st, 0);
        snprintf(m->created, sizeof(m->created), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        m->filled = sqlite3_column_int(st, 2);
        snprintf(m->keys, sizeof(m->keys), "%s",
                 keys ? (const char *)keys : "");
    }
    sqlite3_finalize(st);
}

/* The ledger follows a merge: rows of both records, and the ends of
 * their associations, point at the survivor's (possibly new) id. An
 * association both records had becomes one row. */
static void ledger_follow(struct doc *d, enum object_kind k, const char *a,
                          const char *b, const char *survivor)
{
    static const char *const sql[] = {
        "UPDATE records SET hubspot_id = ?1 WHERE"
        " object = ?2 AND hubspot_id IN (?3, ?4)",
        "UPDATE OR REPLACE associations SET from_id = ?1 WHERE"
        " from_object = ?2 AND from_id IN (?3, ?4)",
        "UPDATE OR REPLACE associations SET to_id = ?1 WHERE"
        " to_object = ?2 AND to_id IN (?3, ?4)",
    };
    sqlite3 *db;
    sqlite3_stmt *st;

    if (!d->ledger)
        return;
    db = ledger_db(d->ledger);
    for (size_t i = 0; i < sizeof(sql) / sizeof(*sql); i++) {
        if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) != SQLITE_OK) {
            log_warn("ledger: %s", sqlite3_errmsg(db));
            return;
        }
        sqlite3_bind_text(st, 1, survivor, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, object_kind_name(k), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, a, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, b, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            log_warn("ledger: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
}

/* Merges m into *survivor; *survivor takes the id HubSpot answers with.
 * Returns 0, or the error that must stop doctor; a refused merge is
 * reported in outcome. */
static int merge_one(struct doc *d, enum object_kind k, char *survivor,
                     const char *m, char *outcome, size_t size, struct err *e)
{
    json_t *out = NULL;
    const char *id;
    char before[32];
    int rc = hs_merge(d->hs, object_kind_name(k), survivor, m, &out, e);

    if (rc == ERR_AUTH || rc == ERR_QUOTA || rc == ERR_INTERRUPTED)
        return rc;
    if (rc) {
        snprintf(outcome, size, "failed: %s", e->msg);
        err_clear(e);
        d->s->objects[k].failed++;
        doc_change(d, object_kind_name(k), "merge-failed", m, survivor,
                   outcome);
        return 0;
    }
    id = json_string_value(json_object_get(out, "id"));
    snprintf(before, sizeof(before), "%s", survivor);
    if (id && *id)
        snprintf(survivor, 32, "%s", id);
    snprintf(outcome, size, "merged into %s", survivor);
    json_decref(out);
    d->s->objects[k].merged++;
    ledger_follow(d, k, before, m, survivor);
    doc_change(d, object_kind_name(k), "merge", m, survivor, before);
    return 0;
}

static int group_handle(struct doc *d, enum object_kind k, struct group *g,
                        struct err *e)
{
    struct doctor_cand *c = xcalloc(g->n, sizeof(*c));
    char(*outcome)[160] = xcalloc(g->n, sizeof(*outcome));
    char survivor[32], group[24], merge[64], because[96], kept[48];
    enum doctor_why why;
    size_t best;
    int rc = 0;

    for (size_t i = 0; i < g->n; i++) {
        member_load(d, k, &g->m[i]);
        c[i] = (struct doctor_cand){g->m[i].id, g->m[i].has_sid,
                                    g->m[i].created, g->m[i].filled};
    }
    best = doctor_survivor(c, g->n, &why);
    snprintf(survivor, sizeof(survivor), "%s", g->m[best].id);
    snprintf(group, sizeof(group), "%ld", ++d->group_no);
    d->s->objects[k].groups++;
    d->s->objects[k].duplicates += (long)g->n - 1;
    for (size_t i = 0; i < g->n && d->o->fix && !rc; i++)
        if (i != best)
            rc = merge_one(d, k, survivor, g->m[i].id, outcome[i],
                           sizeof(outcome[i]), e);
    snprintf(merge, sizeof(merge), "merge into %s", g->m[best].id);
    /* The survivor's id after the merges: HubSpot may give it a new one. */
    snprintf(kept, sizeof(kept), "kept as %s", survivor);
    snprintf(because, sizeof(because), "shares a key with %s, kept because %s",
             g->m[best].id, doctor_why_text(why));
    for (size_t i = 0; i < g->n && !rc; i++) {
        const char *f[8] = {object_kind_name(k),
                            group,
                            g->m[i].id,
                            i == best ? "survivor" : "duplicate",
                            g->m[i].keys,
                            i == best ? "keep" : merge,
                            i == best ? doctor_why_text(why) : because,
                            i == best && d->o->fix ? kept : outcome[i]};

        rc = doc_report(d, f, e);
    }
    free(c);
    free(outcome);
    return rc;
}

struct slot {
    size_t root;
    size_t i;
};

static int slot_cmp(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;

    if (x->root != y->root)
        return x->root < y->root ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int doc_groups(struct doc *d, enum object_kind k, struct err *e)
{
    struct uf u;
    struct slot *slots;
    int rc = 0;

    if (uf_build(d, k, &u))
        return err_set(e, ERR_DB, "doctor: %s", sqlite3_errmsg(d->db));
    slots = xcalloc(u.n + 1, sizeof(*slots));
    for (size_t i = 0; i < u.n; i++)
        slots[i] = (struct slot){uf_find(&u, i), i};
    if (u.n)
        qsort(slots, u.n, sizeof(*slots), slot_cmp);
    for (size_t a = 0, b; a < u.n && !rc; a = b) {
        struct group g = {0};

        for (b = a; b < u.n && slots[b].root == slots[a].root; b++)
            ;
        g.n = b - a;
        g.m = xcalloc(g.n, sizeof(*g.m));
        for (size_t j = 0; j < g.n; j++)
            snprintf(g.m[j].id, sizeof(g.m[j].id), "%s", u.ids[slots[a + j].i]);
        rc = group_handle(d, k, &g, e);
        free(g.m);
    }
    free(slots);
    free(u.ids);
    free(u.parent);
    return rc;
}

static int open_parts(struct doc *d, struct err *e)
{
    static const char *const head[] = {"object", "group",  "hubspot_id",
                                       "role",   "key",    "action",
                                       "why",    "outcome"};
    struct http_pool_opts po;
    int rc;

    http_pool_opts_init(&po);
    po.token = d->o->token;
    po.max_in_flight = d->o->cfg ? d->o->cfg->concurrency : 4;
    if ((rc = doc_store_open(d, e)) ||
        (rc = hs_client_new(d->o->api_base, &po, &d->hs, e)) ||
        (rc = csv_writer_open(d->o->report_path, 0600, NULL, &d->report, e)))
        return rc;
    return csv_writer_row(d->report, 8, head, e);
}

static int open_ledger(struct doc *d, struct err *e)
{
    char *path;
    int rc;

    if (!d->o->cfg)
        return 0;
    path = project_path(d->o->cfg, "ledger.db");
    rc = ledger_open(path, &d->ledger, e);
    free(path);
    if (rc ||
        (rc = ledger_run_start(d->ledger, d->o->fix ? "doctor --fix" : "doctor",
                               &d->run_id, e)))
        return rc;
    if (sqlite3_exec(ledger_db(d->ledger),
                     "CREATE TABLE IF NOT EXISTS doctor_changes(run_id"
                     " INTEGER, object TEXT, action TEXT, hubspot_id TEXT,"
                     " other_id TEXT, detail TEXT, at INTEGER)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return err_set(e, ERR_DB, "ledger: %s",
                       sqlite3_errmsg(ledger_db(d->ledger)));
    return 0;
}

static int run_passes(struct doc *d, struct err *e)
{
    long merged = 0;
    int rc;

    if ((rc = doc_store_load(d, e)))
        return rc;
    for (int k = 0; k < OBJ_COUNT && !rc; k++)
        if (doc_in_scope(d, k))
            rc = doc_groups(d, k, e);
    for (int k = 0; k < OBJ_COUNT; k++)
        merged += d->s->objects[k].merged;
    if (rc || !d->o->cfg)
        return rc;
    /* Merges moved records and links: read the portal again. */
    if (merged && (rc = doc_store_load(d, e)))
        return rc;
    return doc_links(d, e);
}

int doctor_run(const struct doctor_opts *o, struct doctor_summary *s,
               struct err *e)
{
    struct doc d = {.o = o, .s = s};
    struct err e2 = {0};
    int lock = -1;
    int rc = 0;

    memset(s, 0, sizeof(*s));
    /* Without a project there is no ledger to share, and nothing to lock. */
    if (o->cfg)
        rc = project_lock(o->cfg, &lock, e);
    if (!rc && !(rc = open_parts(&d, e)) && !(rc = open_ledger(&d, e)))
        rc = run_passes(&d, e);
    if (csv_writer_close(d.report, rc ? NULL : &e2) && !rc)
        rc = err_set(e, e2.code, "%s", e2.msg);
    if (d.hs)
        s->api_calls = http_pool_stats(hs_client_pool(d.hs))->requests;
    if (d.ledger)
        ledger_run_finish(d.ledger, d.run_id, rc ? "failed" : "done", &e2);
    ledger_close(d.ledger);
    hs_client_free(d.hs);
    doc_store_close(&d);
    project_unlock(lock);
    return rc;
}
