/* search.c: POST /crm/v3/objects/{objectType}/search.
 *
 * Loads the live records of the type with just the values the query
 * needs, evaluates the filters in memory (search_query.c), sorts, and
 * renders one page. Archived records never match. The router applies the
 * search rate bucket (SB_ROUTE_SEARCH) and leaves out the rate-limit
 * headers, as HubSpot does for search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "sandbox/assoc_util.h"
#include "sandbox/objects.h"
#include "sandbox/sb.h"
#include "sandbox/search_query.h"

struct srec {
    int64_t id;
    int64_t created;
    int64_t updated;
    char **values; /* by slot */
};

struct search_run {
    sqlite3 *db;
    int ot;
    struct search_query q;
    char **slots; /* property name of each slot */
    size_t nslots;
    struct srec *recs;
    size_t nrecs;
};

/* Properties the free-text query looks in. */
static const char *const text_props[SB_OT_COUNT][7] = {
    {"firstname", "lastname", "email", "phone", "hs_additional_emails",
     "company", NULL},
    {"name", "domain", "website", "phone", NULL},
    {"dealname", "description", NULL},
};

static int slot_of(struct search_run *r, const char *name)
{
    for (size_t i = 0; i < r->nslots; i++)
        if (!strcmp(r->slots[i], name))
            return (int)i;
    r->slots = xrealloc(r->slots, (r->nslots + 1) * sizeof(*r->slots));
    r->slots[r->nslots] = xstrdup(name);
    return (int)r->nslots++;
}

/* The kind of a property, from its definition; -1 when it has none. */
static int prop_kind(sqlite3 *db, int ot, const char *name)
{
    sqlite3_stmt *st = NULL;
    int kind = -1;

    if (sb_stmt_prepare(db,
                        "SELECT type FROM properties WHERE"
                        " object_type = ?1 AND name = ?2 AND archived = 0",
                        &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            kind = !strcmp(t, "number") ? SEARCH_KIND_NUMBER
                   : !strcmp(t, "date") || !strcmp(t, "datetime")
                       ? SEARCH_KIND_DATE
                   : !strcmp(t, "bool")        ? SEARCH_KIND_BOOL
                   : !strcmp(t, "enumeration") ? SEARCH_KIND_ENUM
                                               : SEARCH_KIND_STRING;
        }
    }
    sb_stmt_release(st);
    return kind;
}

static enum search_kind kind_or_string(sqlite3 *db, int ot, const char *name)
{
    int k = prop_kind(db, ot, name);

    return k < 0 ? SEARCH_KIND_STRING : (enum search_kind)k;
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Appends the ids of records of the searched type linked to `to` (any
 * record of that type when to_id is 0). */
static int collect_linked(struct search_run *r, int to, int64_t to_id,
                          struct search_filter *f)
{
    sqlite3_stmt *st = NULL;
    int step;

    /* Links are stored from both ends: records linked to one record are
     * that record's rows, found by the primary key. */
    if (sb_stmt_prepare(r->db,
                        to_id ? "SELECT DISTINCT to_id FROM associations"
                                " WHERE from_type = ?2 AND from_id = ?3"
                                " AND to_type = ?1"
                              : "SELECT DISTINCT from_id FROM associations"
                                " WHERE from_type = ?1 AND to_type = ?2"
                                " AND ?3 = 0",
                        &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, sb_otype_name(r->ot), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sb_otype_name(to), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, to_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        f->ids = xrealloc(f->ids, (f->nids + 1) * sizeof(*f->ids));
        f->ids[f->nids++] = sqlite3_column_int64(st, 0);
    }
    sb_stmt_release(st);
    return step == SQLITE_DONE ? 0 : -1;
}

/* Fills an associations.{type} filter's id set. A value that is not a
 * record id links to nothing. */
static int resolve_assoc(struct search_run *r, struct search_filter *f,
                         char *msg, size_t size)
{
    int to = sb_otype_parse(f->prop), rc = 0;
    int64_t id;

    if (to == SB_OT_NONE) {
        snprintf(msg, size, "Unable to infer object type from: %s", f->prop);
        return 1;
    }
    if (f->op == SEARCH_HAS_PROPERTY || f->op == SEARCH_NOT_HAS_PROPERTY)
        rc = collect_linked(r, to, 0, f);
    else if (f->value && assoc_str_id(f->value, &id) == 0)
        rc = collect_linked(r, to, id, f);
    for (size_t i = 0; !rc && i < f->nvalues; i++)
        if (assoc_str_id(f->values[i], &id) == 0)
            rc = collect_linked(r, to, id, f);
    if (f->nids > 1)
        qsort(f->ids, f->nids, sizeof(*f->ids), id_cmp);
    return rc;
}

/* Gives every filter, the sort and the text query their slots and kinds.
 * Returns 1 (msg set) for a request to refuse, -1 on a store error. */
static int resolve_query(struct search_run *r, char *msg, size_t size)
{
    struct search_query *q = &r->q;
    int rc = 0;

    for (size_t g = 0; g < q->ngroups && !rc; g++)
        for (size_t i = 0; i < q->groups[g].n && !rc; i++) {
            struct search_filter *f = &q->groups[g].filters[i];

            if (f->assoc) {
                rc = resolve_assoc(r, f, msg, size);
                continue;
            }
            f->slot = slot_of(r, f->prop);
            f->kind = kind_or_string(r->db, r->ot, f->prop);
        }
    if (q->sort_prop) {
        q->sort_slot = slot_of(r, q->sort_prop);
        q->sort_kind = kind_or_string(r->db, r->ot, q->sort_prop);
    }
    for (int i = 0; q->text && text_props[r->ot][i]; i++) {
        q->text_slots =
            xrealloc(q->text_slots, (q->ntext_slots + 1) * sizeof(int));
        q->text_slots[q->ntext_slots++] = slot_of(r, text_props[r->ot][i]);
    }
    return rc;
}

static int load_records(struct search_run *r)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int step;

    if (sb_stmt_prepare(r->db,
                        "SELECT id, created_at, updated_at FROM objects"
                        " WHERE object_type = ?1 AND archived = 0"
                        " ORDER BY id",
                        &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, sb_otype_name(r->ot), -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct srec *rec;

        if (r->nrecs == cap) {
            cap = cap ? cap * 2 : 256;
            r->recs = xrealloc(r->recs, cap * sizeof(*r->recs));
        }
        rec = &r->recs[r->nrecs++];
        rec->id = sqlite3_column_int64(st, 0);
        rec->created = sqlite3_column_int64(st, 1);
        rec->updated = sqlite3_column_int64(st, 2);
        rec->values = xcalloc(r->nslots + 1, sizeof(*rec->values));
    }
    sb_stmt_release(st);
    return step == SQLITE_DONE ? 0 : -1;
}

static struct srec *find_rec(struct search_run *r, int64_t id)
{
    size_t lo = 0, hi = r->nrecs;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (r->recs[mid].id == id)
            return &r->recs[mid];
        if (r->recs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The values of one slot's property for every loaded record. */
static int load_slot(struct search_run *r, int slot)
{
    sqlite3_stmt *st = NULL;
    int step;

    /* No join: values of other types' or archived records find no
     * loaded record and are skipped, which is cheaper than a lookup per
     * value. */
    if (sb_stmt_prepare(r->db,
                        "SELECT object_id, value FROM object_values"
                        " WHERE name = ?1",
                        &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, r->slots[slot], -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct srec *rec = find_rec(r, sqlite3_column_int64(st, 0));

        if (rec && !rec->values[slot])
            rec->values[slot] =
                xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sb_stmt_release(st);
    return step == SQLITE_DONE ? 0 : -1;
}

static int load_values(struct search_run *r)
{
    for (size_t s = 0; s < r->nslots; s++)
        if (load_slot(r, (int)s) < 0)
            return -1;
    return 0;
}

static void run_release(struct search_run *r)
{
    for (size_t i = 0; i < r->nrecs; i++) {
        for (size_t s = 0; s < r->nslots; s++)
            free(r->recs[i].values[s]);
        free(r->recs[i].values);
    }
    free(r->recs);
    for (size_t s = 0; s < r->nslots; s++)
        free(r->slots[s]);
    free(r->slots);
    search_query_release(&r->q);
}

/* Sort order: the sort property (no value last in either direction),
 * then the id, so pages are stable. */
static int rec_cmp(const void *a, const void *b, void *ctx)
{
    const struct search_query *q = ctx;
    const struct srec *x = *(const struct srec *const *)a;
    const struct srec *y = *(const struct srec *const *)b;
    int c = 0;

    if (q->sort_prop) {
        const char *vx = x->values[q->sort_slot], *vy = y->values[q->sort_slot];

        c = search_value_compare(q->sort_kind, vx, vy);
        if (q->sort_desc && vx && vy)
            c = -c;
    }
    if (c == 0)
        c = x->id < y->id ? -1 : x->id > y->id;
    return c;
}

/* The matching records, sorted; the caller frees the array. */
static struct srec **match_all(struct search_run *r, size_t *n)
{
    struct srec **hits = xcalloc(r->nrecs + 1, sizeof(*hits));

    *n = 0;
    for (size_t i = 0; i < r->nrecs; i++) {
        struct search_record sr = {r->recs[i].id,
                                   (const char *const *)r->recs[i].values};

        if (search_query_matches(&r->q, &sr))
            hits[(*n)++] = &r->recs[i];
    }
    qsort_r(hits, *n, sizeof(*hits), rec_cmp, &r->q);
    return hits;
}

/* One result, rendered as the objects API renders a record: the
 * requested (or default) properties and the system ones. */
static json_t *render_rec(struct search_run *r, const struct srec *rec)
{
    json_t *props = NULL, *o;

    if (r->q.props) {
        props = json_array();
        for (size_t i = 0; i < r->q.nprops; i++)
            json_array_append_new(props, json_string(r->q.props[i]));
    }
    o = sb_obj_json(r->db, r->ot, rec->id, props);
    json_decref(props);
    return o ? o : json_object();
}

static json_t *render_page(struct search_run *r, struct srec **hits, size_t n)
{
    json_t *results = json_array(), *body;
    size_t end = (size_t)r->q.after + (size_t)r->q.limit;

    for (size_t i = (size_t)r->q.after; i < n && i < end; i++)
        json_array_append_new(results, render_rec(r, hits[i]));
    body = json_pack("{s:I, s:o}", "total", (json_int_t)n, "results", results);
    if (end < n) {
        char after[24];

        snprintf(after, sizeof(after), "%zu", end);
        json_object_set_new(body, "paging",
                            json_pack("{s:{s:s}}", "next", "after", after));
    }
    return body;
}

/* Runs a parsed query; 0 with *body set, 1 with msg for a 400, -1 on a
 * store error. Called with the store locked. */
static int run_query(struct search_run *r, json_t **body, char *msg,
                     size_t size)
{
    struct srec **hits;
    size_t n;
    int rc;

    if ((rc = resolve_query(r, msg, size)) != 0)
        return rc;
    if (load_records(r) < 0 || load_values(r) < 0)
        return -1;
    hits = match_all(r, &n);
    *body = render_page(r, hits, n);
    free(hits);
    return 0;
}

static void search_objects(struct sb_request *req, struct sb_response *resp)
{
    struct search_run r = {0};
    json_t *body = NULL;
    char msg[512] = "";
    int rc;

    r.ot = sb_otype_parse(sb_param(req, "objectType"));
    if (r.ot == SB_OT_NONE) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Unable to infer object type from: %s",
                      sb_param(req, "objectType"));
        return;
    }
    if (search_query_parse(req->body, &r.q, msg, sizeof(msg)) < 0) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL, "%s", msg);
        return;
    }
    r.db = sb_db_lock(req->sb);
    rc = run_query(&r, &body, msg, sizeof(msg));
    sb_db_unlock(req->sb);
    run_release(&r);
    if (rc == 0)
        sb_resp_json(resp, 200, body);
    else if (rc > 0)
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL, "%s", msg);
    else
        sb_resp_error(resp, 500, "INTERNAL_ERROR", NULL, "internal error");
}

const struct sb_route sb_search_routes[] = {
    {"POST", "/crm/v3/objects/{objectType}/search", search_objects,
     SB_ROUTE_SEARCH | SB_ROUTE_READ},
    {0},
};
