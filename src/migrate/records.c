/* records.c: the record phases (companies, contacts, deals).
 *
 * Rows stream from the export in batches of at most 100. Each batch goes
 * through three steps, all asynchronous on the HTTP pool:
 *   1. lookup: rows the ledger does not know yet are read from the portal
 *      by source id (and contacts by email), so the ledger learns which
 *      records existed before the run and keeps their current values
 *      (pre-images) before anything is written;
 *   2. write: records that existed are updated by HubSpot id, the others
 *      upserted on the unique source-id property, so a retried or
 *      replayed batch can never create a duplicate;
 *   3. outcome: results are matched to rows by key and committed to the
 *      ledger; a batch that HubSpot refuses as a whole is split in halves
 *      until the bad row stands alone.
 * A few batches are in flight at once; each completion reads the next.
 */
#include "core/log.h"
#include "core/strset.h"
#include "core/xalloc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "migrate/internal.h"
#include "source/salesforce.h"
#include "store/ledger.h"

#include <stdlib.h>
#include <string.h>

#define BATCH_MAX 100

struct rec_row {
    char sid[SF_ID_LEN + 1];
    const char *file; /* the source's file name, owned by the config */
    long line;
    json_t *props;
    char hash[17];
    char email[320];
    int known;   /* the ledger holds the existed-before answer */
    int existed; /* the record existed in the portal before the run */
    int written; /* an earlier run wrote the record: this run updates it */
    char hubspot_id[32];
};

struct rec_phase {
    struct mig *m;
    enum object_kind k;
    size_t src_i;
    const struct object_source *src;
    struct sf_reader *rd;
    struct map_plan *plan;
    int conv_col;
    int outstanding;
    int eof;
    long done;
    long unreadable;
    struct strset seen; /* source ids met in this phase */
};

struct rec_batch {
    struct rec_phase *ph;
    struct rec_row rows[BATCH_MAX];
    size_t n;
    int waiting;
};

/* One write request: a subset of a batch's rows. */
struct rec_write {
    struct rec_batch *b;
    size_t idx[BATCH_MAX];
    size_t n;
    int update;
};

static void fill(struct rec_phase *ph);

static const char *obj(const struct rec_phase *ph)
{
    return object_kind_name(ph->k);
}

/* Opens the next source file of the object; 0 when none is left. */
static int open_next_source(struct rec_phase *ph, struct err *e)
{
    const struct object_map *om = &ph->m->cfg->objects[ph->k];
    struct csv_reader *csv;
    const char **header;
    size_t ncols;
    int rc;

    while (ph->src_i < om->nsources) {
        ph->src = &om->sources[ph->src_i++];
        rc = sf_reader_open(ph->m->cfg->input_dir, ph->src->object, ph->m->enc,
                            &ph->rd, e);
        if (rc == ERR_NOTFOUND) {
            log_warn("%s: not in the export; nothing to migrate from it",
                     ph->src->file);
            continue;
        }
        if (rc)
            return rc;
        csv = sf_reader_csv(ph->rd);
        ncols = csv_reader_ncols(csv);
        header = xcalloc(ncols, sizeof(*header));
        for (size_t i = 0; i < ncols; i++)
            header[i] = csv_reader_colname(csv, i);
        rc = map_plan_new(ph->src, header, ncols, &ph->m->mctx[ph->k],
                          &ph->plan, e);
        free(header);
        if (rc || (rc = mig_learn_dates(ph->m, ph->src, ph->plan, e)))
            return rc;
        ph->conv_col = ph->src->skip_converted
                           ? sf_reader_column(ph->rd, "IsConverted")
                           : -1;
        return 1;
    }
    return 0;
}

static void close_source(struct rec_phase *ph)
{
    if (ph->rd)
        ph->m->sum->objects[ph->k].skipped += sf_reader_deleted(ph->rd);
    sf_reader_free(ph->rd);
    map_plan_free(ph->plan);
    ph->rd = NULL;
    ph->plan = NULL;
}

static void add_problem(struct mig *m, enum object_kind k, const char *file,
                        long line, const char *sid, const char *phase,
                        const char *field, const char *value,
                        const char *category, const char *message)
{
    struct ledger_problem p = {
        .object = object_kind_name(k),
        .file = file,
        .line = line,
        .source_id = sid,
        .phase = phase,
        .field = field,
        .value = value,
        .category = category,
        .message = message,
    };
    struct err e = {0};

    if (ledger_problem_add(m->ledger, m->run_id, &p, &e))
        mig_fail(m, &e);
}

static void put_state(struct mig *m, enum object_kind k, const char *sid,
                      const char *file, long line, int state,
                      const char *hubspot_id, int existed, const char *hash,
                      const char *merged_into)
{
    struct ledger_record rec = {0};
    struct err e = {0};

    snprintf(rec.object, sizeof(rec.object), "%s", object_kind_name(k));
    snprintf(rec.source_id, sizeof(rec.source_id), "%s", sid);
    snprintf(rec.hubspot_id, sizeof(rec.hubspot_id), "%s",
             hubspot_id ? hubspot_id : "");
    rec.state = state;
    rec.existed_before = existed;
    snprintf(rec.hash, sizeof(rec.hash), "%s", hash ? hash : "");
    snprintf(rec.merged_into, sizeof(rec.merged_into), "%s",
             merged_into ? merged_into : "");
    if (ledger_record_put(m->ledger, &rec, file, line, m->run_id, &e))
        mig_fail(m, &e);
}

static void reject_mapping(struct rec_phase *ph, const struct sf_row *row,
                           const char *sid, const struct map_result *res)
{
    for (size_t i = 0; i < res->nproblems; i++) {
        const struct map_problem *p = &res->problems[i];

        if (p->kind == MAP_ERROR)
            add_problem(ph->m, ph->k, ph->src->file, row->line, sid, "mapping",
                        p->column, p->value, "INVALID_VALUE", p->message);
    }
    put_state(ph->m, ph->k, sid, ph->src->file, row->line, LEDGER_REJECTED,
              NULL, 0, NULL, NULL);
    ph->m->sum->objects[ph->k].rejected++;
}

static void note_warnings(struct rec_phase *ph, const struct sf_row *row,
                          const char *sid, const struct map_result *res)
{
    int any = 0;

    for (size_t i = 0; i < res->nproblems; i++) {
        const struct map_problem *p = &res->problems[i];

        if (p->kind != MAP_WARNING)
            continue;
        add_problem(ph->m, ph->k, ph->src->file, row->line, sid, "mapping",
                    p->column, p->value, "WARNING", p->message);
        any = 1;
    }
    ph->m->sum->objects[ph->k].warnings += any;
}

/* Contacts that share an email become one: the first row seen keeps its
 * source id as the key, later ones are recorded as merged into it.
 * Returns 1 when the row was folded into another. */
static int fold_by_email(struct rec_phase *ph, const struct sf_row *row,
                         const char *sid, const char *email)
{
    char primary[64];
    struct err e = {0};
    int rc;

    if (ph->k != OBJ_CONTACTS || !email)
        return 0;
    rc = ledger_email_claim(ph->m->ledger, email, sid, primary, &e);
    if (rc < 0) {
        mig_fail(ph->m, &e);
        return 1;
    }
    if (rc == 0 || !strcmp(primary, sid))
        return 0;
    put_state(ph->m, ph->k, sid, ph->src->file, row->line, LEDGER_MERGED, NULL,
              0, NULL, primary);
    ph->m->sum->objects[ph->k].merged++;
    log_info("%s line %ld: contact %s shares the email %s with %s; merged",
             ph->src->file, row->line, sid, email, primary);
    return 1;
}

/* Fills the next slot of b from the ledger's knowledge of the row.
 * Returns 0 when the portal already holds exactly these values. */
static int prepare_row(struct rec_phase *ph, struct rec_batch *b,
                       const struct sf_row *row, const char *sid, json_t *props)
{
    struct rec_row *r = &b->rows[b->n];
    struct ledger_record prior;
    struct err e = {0};
    const char *email = json_string_value(json_object_get(props, "email"));
    int have;

    memset(r, 0, sizeof(*r));
    map_props_digest(props, r->hash);
    have = ledger_record_get(ph->m->ledger, obj(ph), sid, &prior, &e);
    if (have < 0) {
        mig_fail(ph->m, &e);
        return 0;
    }
    if (have &&
        (prior.state == LEDGER_CREATED || prior.state == LEDGER_EXISTED) &&
        !strcmp(prior.hash, r->hash)) {
        ph->m->sum->objects[ph->k].unchanged++;
        return 0;
    }
    snprintf(r->sid, sizeof(r->sid), "%s", sid);
    r->file = ph->src->file;
    r->line = row->line;
    r->props = json_incref(props);
    snprintf(r->email, sizeof(r->email), "%s", email ? email : "");
    if (have &&
        (prior.state == LEDGER_CREATED || prior.state == LEDGER_EXISTED ||
         prior.state == LEDGER_PENDING)) {
        r->known = 1;
        r->existed = prior.existed_before;
        r->written = prior.state != LEDGER_PENDING;
        snprintf(r->hubspot_id, sizeof(r->hubspot_id), "%s", prior.hubspot_id);
    }
    b->n++;
    return 1;
}

/* Maps one source row. Returns 1 when it joined the batch. */
static int take_row(struct rec_phase *ph, struct rec_batch *b,
                    const struct sf_row *row)
{
    struct mig *m = ph->m;
    const char *sid = sf_row_get(ph->rd, row, "Id");
    struct map_result res;
    struct err e = {0};
    int joined = 0;
    int conv = 0;

    m->sum->objects[ph->k].read++;
    ph->done++;
    if (ph->conv_col >= 0 &&
        sf_bool(row->rec->fields[ph->conv_col], &conv) == 0 && conv) {
        m->sum->objects[ph->k].read--;
        m->sum->objects[ph->k].skipped++;
        return 0;
    }
    if (ledger_problem_clear(m->ledger, obj(ph), sid, "mapping", &e))
        mig_fail(m, &e);
    /* The first row with an id wins; a later one would overwrite it. */
    if (strset_add(&ph->seen, sid)) {
        add_problem(m, ph->k, ph->src->file, row->line, sid, "mapping", "Id",
                    sid, "DUPLICATE_ID",
                    "the same source id appears on an earlier row of the "
                    "export; this row is not migrated");
        m->sum->objects[ph->k].rejected++;
        return 0;
    }
    map_row(ph->plan, &m->mctx[ph->k], sid, row->rec->fields, &res);
    if (!res.props) {
        reject_mapping(ph, row, sid, &res);
        map_result_release(&res);
        return 0;
    }
    note_warnings(ph, row, sid, &res);
    if (!fold_by_email(ph, row, sid,
                       json_string_value(json_object_get(res.props, "email"))))
        joined = prepare_row(ph, b, row, sid, res.props);
    map_result_release(&res);
    return joined;
}

/* Reads rows until the batch is full or the export is exhausted. */
static int read_batch(struct rec_phase *ph, struct rec_batch *b)
{
    struct sf_row row;
    struct err e = {0};
    int rc;

    while (b->n < BATCH_MAX && !ph->eof && !ph->m->failed) {
        if (!ph->rd) {
            rc = open_next_source(ph, &e);
            if (rc <= 0) {
                ph->eof = 1;
                if (rc < 0)
                    mig_fail(ph->m, &e);
                break;
            }
        }
        rc = sf_reader_next(ph->rd, &row, &e);
        if (rc == 0) {
            close_source(ph);
            continue;
        }
        if (rc == ERR_IO) {
            mig_fail(ph->m, &e);
            break;
        }
        if (rc < 0) {
            char key[32];

            /* The row has no usable id: key the problem by its order. */
            snprintf(key, sizeof(key), "unreadable-%ld", ++ph->unreadable);
            add_problem(ph->m, ph->k, ph->src->file, row.line, key, "mapping",
                        "", "", "UNREADABLE_ROW", e.msg);
            ph->m->sum->objects[ph->k].read++;
            ph->m->sum->objects[ph->k].rejected++;
            continue;
        }
        take_row(ph, b, &row);
    }
    return (int)b->n;
}

static void batch_free(struct rec_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        json_decref(b->rows[i].props);
    free(b);
}

/* A batch is finished: free it and let the next one in. */
static void batch_done(struct rec_batch *b)
{
    struct rec_phase *ph = b->ph;

    mig_progress(ph->m, obj(ph), ph->done, -1);
    batch_free(b);
    ph->outstanding--;
    fill(ph);
}

static int commit_or_fail(struct mig *m)
{
    struct err e = {0};

    if (ledger_commit(m->ledger, &e)) {
        mig_fail(m, &e);
        return -1;
    }
    return 0;
}

static int begin_or_fail(struct mig *m)
{
    struct err e = {0};

    if (ledger_begin(m->ledger, &e)) {
        mig_fail(m, &e);
        return -1;
    }
    return 0;
}

/* Keeps the values a write is about to replace on a record that existed
 * or that an earlier run wrote, so rollback of this run can restore
 * them. */
static void keep_preimage(struct rec_batch *b, struct rec_row *r,
                          const json_t *current)
{
    struct mig *m = b->ph->m;
    const char *name;
    json_t *v;
    struct err e = {0};

    json_object_foreach(r->props, name, v)
    {
        const json_t *old = json_object_get(current, name);
        const char *oldv = json_is_string(old) ? json_string_value(old) : "";

        if (!strcmp(oldv, json_string_value(v)))
            continue;
        if (ledger_preimage_put(m->ledger, m->run_id, obj(b->ph), r->hubspot_id,
                                name, oldv, json_string_value(v), &e))
            mig_fail(m, &e);
    }
}

static void write_stage(struct rec_batch *b);

/* Records what the lookups learned, before anything is written. */
static void record_lookups(struct rec_batch *b)
{
    struct mig *m = b->ph->m;

    if (begin_or_fail(m))
        return;
    for (size_t i = 0; i < b->n; i++) {
        struct rec_row *r = &b->rows[i];

        if (r->known)
            continue;
        r->known = 1;
        put_state(m, b->ph->k, r->sid, r->file, r->line, LEDGER_PENDING,
                  r->hubspot_id, r->existed, NULL, NULL);
    }
    commit_or_fail(m);
}

/* The property names a batch writes, for reading their current values. */
static json_t *batch_properties(const struct rec_batch *b)
{
    json_t *names = json_object();
    json_t *list = json_array();
    const char *name;
    json_t *v;

    for (size_t i = 0; i < b->n; i++)
        json_object_foreach(b->rows[i].props, name, v)
            json_object_set_new(names, name, json_true());
    json_object_foreach(names, name, v)
        json_array_append_new(list, json_string(name));
    json_decref(names);
    return list;
}

/* The reads before a batch is written: rows an earlier run already
 * wrote are read by their HubSpot id, for this run's pre-images; then
 * rows the ledger does not know are looked up by source id, contacts
 * also by email (only by email when this run created the source-id
 * property: no record can hold a value of it yet). */
enum lookup_by { LOOKUP_BY_ID, LOOKUP_BY_SID, LOOKUP_BY_EMAIL };

struct lookup {
    struct rec_batch *b;
    size_t idx[BATCH_MAX];
    size_t n;
    enum lookup_by by;
};

static void lookup_submit(struct lookup *lk);
static void lookup_stage(struct rec_batch *b, enum lookup_by by);

static struct lookup *lookup_new(struct rec_batch *b, enum lookup_by by)
{
    struct lookup *lk = xcalloc(1, sizeof(*lk));

    lk->b = b;
    lk->by = by;
    return lk;
}

/* A row the lookup by source id did not find. */
static void lookup_missed(struct lookup *lk, size_t i, struct lookup **next)
{
    struct rec_row *r = &lk->b->rows[lk->idx[i]];

    if (lk->by != LOOKUP_BY_SID || !r->email[0])
        return;
    if (!*next)
        *next = lookup_new(lk->b, LOOKUP_BY_EMAIL);
    (*next)->idx[(*next)->n++] = lk->idx[i];
}

static void on_lookup(struct hs_result *res, size_t n, void *ud)
{
    struct lookup *lk = ud;
    struct rec_batch *b = lk->b;
    struct lookup *next = NULL;
    enum lookup_by by = lk->by;

    if (begin_or_fail(b->ph->m))
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct rec_row *r = &b->rows[lk->idx[i]];

        if (res[i].outcome == HS_OK) {
            if (by != LOOKUP_BY_ID) {
                r->existed = 1;
                snprintf(r->hubspot_id, sizeof(r->hubspot_id), "%s",
                         res[i].hubspot_id);
            }
            keep_preimage(b, r, res[i].properties);
        } else if (res[i].outcome == HS_NOT_FOUND) {
            lookup_missed(lk, i, &next);
        } else {
            /* Unknown: leave the row unwritten so a rerun asks again. */
            r->known = -1;
        }
    }
    commit_or_fail(b->ph->m);
out:
    free(lk);
    if (next && !b->ph->m->failed) {
        lookup_submit(next);
        return;
    }
    free(next);
    if (by == LOOKUP_BY_ID && !b->ph->m->failed) {
        lookup_stage(b, LOOKUP_BY_SID);
        return;
    }
    record_lookups(b);
    write_stage(b);
}

static void lookup_submit(struct lookup *lk)
{
    static const char *const by_name[] = {NULL, NULL, "email"};
    struct rec_batch *b = lk->b;
    struct mig *m = b->ph->m;
    const char *keys[BATCH_MAX];
    json_t *props = batch_properties(b);
    size_t np = json_array_size(props);
    const char **names = xcalloc(np + 1, sizeof(*names));

    for (size_t i = 0; i < lk->n; i++) {
        struct rec_row *r = &b->rows[lk->idx[i]];

        keys[i] = lk->by == LOOKUP_BY_ID    ? r->hubspot_id
                  : lk->by == LOOKUP_BY_SID ? r->sid
                                            : r->email;
    }
    for (size_t i = 0; i < np; i++)
        names[i] = json_string_value(json_array_get(props, i));
    hs_batch_read(m->hs, obj(b->ph),
                  lk->by == LOOKUP_BY_SID ? m->cfg->id_property
                                          : by_name[lk->by],
                  keys, lk->n, names, on_lookup, lk);
    free(names);
    json_decref(props);
}

/* Starts the reads of one kind, or moves on when no row needs them. */
static void lookup_stage(struct rec_batch *b, enum lookup_by by)
{
    struct lookup *lk;

    /* A source-id property this run created holds no value yet: only a
     * contact's email can find a record that existed. */
    if (by == LOOKUP_BY_SID && b->ph->m->fresh_id[b->ph->k])
        by = LOOKUP_BY_EMAIL;
    lk = lookup_new(b, by);
    for (size_t i = 0; i < b->n; i++) {
        const struct rec_row *r = &b->rows[i];

        if (by == LOOKUP_BY_ID
                ? r->known > 0 && r->hubspot_id[0]
                : !r->known && (by != LOOKUP_BY_EMAIL || r->email[0]))
            lk->idx[lk->n++] = i;
    }
    if (lk->n) {
        lookup_submit(lk);
        return;
    }
    free(lk);
    if (by == LOOKUP_BY_ID) {
        lookup_stage(b, LOOKUP_BY_SID);
        return;
    }
    record_lookups(b);
    write_stage(b);
}

static void batch_start(struct rec_batch *b)
{
    lookup_stage(b, LOOKUP_BY_ID);
}

static void write_submit(struct rec_write *w);

/* Splits a refused write in halves, so one bad row cannot keep the
 * others out. */
static void split_write(struct rec_write *w)
{
    struct rec_write *a = xcalloc(1, sizeof(*a));
    struct rec_write *c = xcalloc(1, sizeof(*c));
    size_t half = w->n / 2;

    a->b = c->b = w->b;
    a->update = c->update = w->update;
    memcpy(a->idx, w->idx, half * sizeof(*w->idx));
    a->n = half;
    memcpy(c->idx, w->idx + half, (w->n - half) * sizeof(*w->idx));
    c->n = w->n - half;
    w->b->waiting += 2;
    write_submit(a);
    write_submit(c);
}

static void row_rejected(struct rec_batch *b, struct rec_row *r,
                         const struct hs_result *res)
{
    struct mig *m = b->ph->m;

    add_problem(m, b->ph->k, r->file, r->line, r->sid, "records",
                res->bad_property ? res->bad_property : "", "",
                res->category ? res->category : "ERROR",
                res->message ? res->message : "rejected by HubSpot");
    put_state(m, b->ph->k, r->sid, r->file, r->line, LEDGER_REJECTED,
              r->hubspot_id, r->existed, NULL, NULL);
    m->sum->objects[b->ph->k].rejected++;
}

static void row_landed(struct rec_batch *b, struct rec_row *r,
                       const struct hs_result *res)
{
    struct mig *m = b->ph->m;
    struct err e = {0};

    if (res->hubspot_id && res->hubspot_id[0])
        snprintf(r->hubspot_id, sizeof(r->hubspot_id), "%s", res->hubspot_id);
    put_state(m, b->ph->k, r->sid, r->file, r->line,
              r->existed ? LEDGER_EXISTED : LEDGER_CREATED, r->hubspot_id,
              r->existed, r->hash, NULL);
    if (ledger_problem_clear(m->ledger, obj(b->ph), r->sid, "records", &e))
        mig_fail(m, &e);
    if (r->existed || r->written)
        m->sum->objects[b->ph->k].updated++;
    else
        m->sum->objects[b->ph->k].created++;
}

/* The outcome of a row is unknown: it stays pending in the ledger and a
 * rerun settles it; until then the error report says so. */
static void no_answer(struct rec_batch *b, struct rec_row *r, const char *why)
{
    char msg[320];

    snprintf(msg, sizeof(msg),
             "no answer after every retry (%s); the row may or may not be "
             "in the portal: run again to settle it",
             why ? why : "no response");
    add_problem(b->ph->m, b->ph->k, r->file, r->line, r->sid, "records", "", "",
                "NO_ANSWER", msg);
    b->ph->m->incomplete++;
}

static void on_write(struct hs_result *res, size_t n, void *ud)
{
    struct rec_write *w = ud;
    struct rec_batch *b = w->b;
    int split = 0;

    if (begin_or_fail(b->ph->m))
        goto out;
    for (size_t i = 0; i < n; i++) {
        struct rec_row *r = &b->rows[w->idx[i]];

        switch (res[i].outcome) {
        case HS_OK:
            row_landed(b, r, &res[i]);
            break;
        case HS_BATCH_FAILED:
            if (w->n > 1)
                split = 1;
            else
                row_rejected(b, r, &res[i]);
            break;
        case HS_TRANSPORT:
            no_answer(b, r, res[i].message);
            break;
        default:
            row_rejected(b, r, &res[i]);
        }
    }
    commit_or_fail(b->ph->m);
out:
    if (split && !b->ph->m->failed)
        split_write(w);
    free(w);
    if (--b->waiting == 0)
        batch_done(b);
}

static void write_submit(struct rec_write *w)
{
    struct rec_batch *b = w->b;
    struct mig *m = b->ph->m;
    struct hs_input in[BATCH_MAX];

    for (size_t i = 0; i < w->n; i++) {
        struct rec_row *r = &b->rows[w->idx[i]];

        in[i].key = w->update ? r->hubspot_id : r->sid;
        in[i].id = w->update ? r->hubspot_id : r->sid;
        in[i].properties = r->props;
    }
    if (w->update)
        hs_batch_update(m->hs, obj(b->ph), in, w->n, on_write, w);
    else
        hs_batch_upsert(m->hs, obj(b->ph), m->cfg->id_property, in, w->n,
                        on_write, w);
}

/* Records that existed are updated by HubSpot id (a contact found by
 * email has no source id yet); the rest are upserted by source id. */
static void write_stage(struct rec_batch *b)
{
    struct rec_write *w[2];

    if (b->ph->m->failed) {
        batch_done(b);
        return;
    }
    for (int u = 0; u < 2; u++) {
        w[u] = xcalloc(1, sizeof(*w[u]));
        w[u]->b = b;
        w[u]->update = u;
    }
    for (size_t i = 0; i < b->n; i++) {
        struct rec_row *r = &b->rows[i];

        if (r->known < 0) {
            no_answer(b, r, "the lookup before the write got no answer");
            continue;
        }
        w[r->existed]->idx[w[r->existed]->n++] = i;
    }
    b->waiting = 1; /* held until both writes are submitted */
    for (int u = 0; u < 2; u++) {
        if (!w[u]->n) {
            free(w[u]);
            continue;
        }
        b->waiting++;
        write_submit(w[u]);
    }
    if (--b->waiting == 0)
        batch_done(b);
}

static void fill(struct rec_phase *ph)
{
    struct mig *m = ph->m;

    while (!ph->eof && !m->failed && ph->outstanding < m->cfg->concurrency &&
           !(m->opts->stop && *m->opts->stop) &&
           !http_pool_halted(hs_client_pool(m->hs))) {
        struct rec_batch *b = xcalloc(1, sizeof(*b));

        b->ph = ph;
        if (begin_or_fail(m)) {
            free(b);
            return;
        }
        read_batch(ph, b);
        commit_or_fail(m);
        if (!b->n) {
            free(b);
            continue;
        }
        ph->outstanding++;
        batch_start(b);
    }
}

int mig_records(struct mig *m, enum object_kind k, struct err *e)
{
    struct rec_phase ph = {.m = m, .k = k, .conv_col = -1};
    char status[16];
    int rc;

    if (!m->cfg->objects[k].nsources)
        return 0;
    if ((rc = ledger_phase_set(m->ledger, object_kind_name(k), "running", e)))
        return rc;
    if (k == OBJ_CONTACTS && (rc = ledger_email_reset(m->ledger, e)))
        return rc;
    fill(&ph);
    rc = hs_client_run(m->hs, e);
    close_source(&ph);
    strset_release(&ph.seen);
    if (m->failed) {
        *e = m->fail;
        return e->code;
    }
    if (rc)
        return rc;
    if (m->opts->stop && *m->opts->stop)
        return err_set(e, ERR_INTERRUPTED, "interrupted");
    snprintf(status, sizeof(status), "%s",
             m->incomplete ? "incomplete" : "done");
    mig_progress(m, object_kind_name(k), ph.done, ph.done);
    return ledger_phase_set(m->ledger, object_kind_name(k), status, e);
}
