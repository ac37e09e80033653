/* links.c: the association passes, once both ends have HubSpot ids.
 *
 * Each link in the config names a file and two columns of source ids.
 * Both ends are resolved through the ledger (a contact folded into
 * another by email resolves to the one that was written). A link whose
 * other end never reached the portal is reported, never dropped. Links
 * are written with v4 batch create in batches of up to 1,000; the ledger
 * remembers each one, so a rerun sends only what is new.
 */
#include "core/log.h"
#include "core/strset.h"
#include "core/xalloc.h"
#include "hubspot/assoc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "migrate/internal.h"
#include "source/salesforce.h"
#include "store/ledger.h"

#include <stdlib.h>
#include <string.h>

#define LINK_BATCH_MAX 1000

struct link_pair {
    char row_sid[SF_ID_LEN + 1]; /* the source row's own id */
    char to_sid[SF_ID_LEN + 1];
    long line;
    char from_id[32];
    char to_id[32];
    int type_id;
    int created;      /* the run creates the association (removed by
                         rollback): an end is new, or the pair was read
                         and found unlinked */
    int from_existed; /* the "from" record was in the portal before */
    int check_pair;   /* both ends were: is the pair linked already? */
    int asked;        /* index of from_id in the batch read, or -1 */
};

struct link_batch;

/* The association passes as one stream of batches: up to
 * run.concurrency in flight, each answer reading the next, so reading
 * the export and resolving ids overlap the requests. A pass waits for
 * its batches before the next starts only when a later pass of the same
 * kind asks the ledger which links exist. */
struct link_run {
    struct mig *m;
    size_t li;            /* the link being read */
    struct sf_reader *rd; /* its file, or NULL between files */
    struct link_batch *b; /* the batch being filled */
    int outstanding;      /* batches sent, not answered */
    int settling;         /* waiting for them before the next pass */
    int done;             /* every pass read */
    long rows, unreadable;
    /* "kind from" of every record given a primary link this run, in the
     * order the files list them: the first row of a contact folded from
     * several keeps the primary whatever batch answers first. */
    struct strset primaries;
};

struct link_batch {
    struct mig *m;
    struct link_run *run;
    const struct link_map *lm;
    struct link_pair pairs[LINK_BATCH_MAX];
    struct hs_assoc assoc[LINK_BATCH_MAX];
    const char *asked[LINK_BATCH_MAX]; /* from ids whose links are read */
    size_t nasked;
    size_t n;
    struct strset ends; /* "from to" of every pair met */
};

static int primary_type(enum link_kind k)
{
    switch (k) {
    case LINK_CONTACT_COMPANY:
        return HS_ASSOC_CONTACT_TO_COMPANY_PRIMARY;
    case LINK_DEAL_COMPANY:
        return HS_ASSOC_DEAL_TO_COMPANY_PRIMARY;
    default:
        return HS_ASSOC_DEAL_TO_CONTACT;
    }
}

int mig_link_primary_type(enum link_kind k)
{
    return primary_type(k);
}

const char *mig_primary_company_name(enum object_kind k)
{
    return k == OBJ_CONTACTS ? "contact_to_company"
           : k == OBJ_DEALS  ? "deal_to_company"
                             : NULL;
}

/* The unlabeled type of a kind (deal to contact has no primary). */
int mig_link_unlabeled_type(enum link_kind k)
{
    switch (k) {
    case LINK_CONTACT_COMPANY:
        return HS_ASSOC_CONTACT_TO_COMPANY;
    case LINK_DEAL_COMPANY:
        return HS_ASSOC_DEAL_TO_COMPANY;
    default:
        return HS_ASSOC_DEAL_TO_CONTACT;
    }
}

static void link_problem(struct mig *m, const struct link_map *lm, long line,
                         const char *sid, const char *field, const char *value,
                         const char *category, const char *message)
{
    struct ledger_problem p = {
        .object = object_kind_name(link_from(lm->kind)),
        .file = lm->file,
        .line = line,
        .source_id = sid,
        .phase = "links",
        .field = field,
        .value = value,
        .category = category,
        .message = message,
    };
    struct err e = {0};

    if (ledger_problem_add(m->ledger, m->run_id, &p, &e))
        mig_fail(m, &e);
}

static void link_batch_done(struct link_batch *b);

static void batch_free(struct link_batch *b)
{
    if (!b)
        return;
    strset_release(&b->ends);
    free(b);
}

static void on_links(struct hs_result *res, size_t n, void *ud)
{
    struct link_batch *b = ud;
    struct mig *m = b->m;
    struct link_counts *lc = &m->sum->links[b->lm->kind];
    struct err e = {0};

    if (ledger_begin(m->ledger, &e)) {
        mig_fail(m, &e);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct link_pair *p = &b->pairs[i];

        if (res[i].outcome == HS_OK) {
            if (ledger_assoc_put(m->ledger, m->run_id,
                                 object_kind_name(link_from(b->lm->kind)),
                                 p->from_id,
                                 object_kind_name(link_to(b->lm->kind)),
                                 p->to_id, p->type_id, p->created, &e) ||
                ledger_problem_clear_field(
                    m->ledger, object_kind_name(link_from(b->lm->kind)),
                    p->row_sid, "links", b->lm->to_column, &e))
                mig_fail(m, &e);
            lc->created++;
        } else if (res[i].outcome == HS_TRANSPORT) {
            link_problem(m, b->lm, p->line, p->row_sid, b->lm->to_column,
                         p->to_sid, "NO_ANSWER",
                         "no answer after every retry; run again to settle "
                         "this link");
            m->incomplete++;
        } else {
            link_problem(m, b->lm, p->line, p->row_sid, b->lm->to_column,
                         p->to_sid, res[i].category ? res[i].category : "ERROR",
                         res[i].message ? res[i].message
                                        : "association refused");
            lc->rejected++;
        }
    }
    if (ledger_commit(m->ledger, &e))
        mig_fail(m, &e);
out:
    link_batch_done(b);
}

static void send_create(struct link_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        b->assoc[i].from_id = b->pairs[i].from_id;
        b->assoc[i].to_id = b->pairs[i].to_id;
        b->assoc[i].type_id = b->pairs[i].type_id;
        b->assoc[i].category = "HUBSPOT_DEFINED";
    }
    hs_assoc_batch_create(b->m->hs, object_kind_name(link_from(b->lm->kind)),
                          object_kind_name(link_to(b->lm->kind)), b->assoc,
                          b->n, on_links, b);
}

/* Fills id (32 bytes) with an entry's toObjectId, a number or a string. */
static void to_id_of(const json_t *entry, char *id)
{
    const json_t *v = json_object_get(entry, "toObjectId");

    if (json_is_integer(v))
        snprintf(id, 32, "%lld", (long long)json_integer_value(v));
    else
        snprintf(id, 32, "%s",
                 json_string_value(v) ? json_string_value(v) : "");
}

static int has_type(const json_t *entry, int type)
{
    const json_t *ty;
    size_t i;

    json_array_foreach(json_object_get(entry, "associationTypes"), i, ty)
    {
        if (json_integer_value(json_object_get(ty, "typeId")) == type)
            return 1;
    }
    return 0;
}

/* Fills id (32 bytes) with the record a link of the given type points
 * at in `to`, HubSpot's "to" array of one record; 0 when there is none. */
static int primary_in(const json_t *to, int type, char *id)
{
    const json_t *t;
    size_t i;

    json_array_foreach(to, i, t)
    {
        if (has_type(t, type)) {
            to_id_of(t, id);
            return 1;
        }
    }
    return 0;
}

/* The entry of `to`, HubSpot's "to" array of one record, that links it
 * to id; NULL when the pair is not linked. */
static const json_t *entry_for(const json_t *to, const char *id)
{
    const json_t *t;
    char buf[32];
    size_t i;

    json_array_foreach(to, i, t)
    {
        to_id_of(t, buf);
        if (!strcmp(buf, id))
            return t;
    }
    return NULL;
}

/* A pair that was linked in the portal before the run is left as it is
 * and recorded as not created, so rollback leaves it too. */
static void already_linked(struct link_batch *b, const struct link_pair *p,
                           const json_t *entry, struct err *e)
{
    struct mig *m = b->m;
    int type = has_type(entry, primary_type(b->lm->kind))
                   ? primary_type(b->lm->kind)
                   : mig_link_unlabeled_type(b->lm->kind);

    if (ledger_assoc_put(m->ledger, m->run_id,
                         object_kind_name(link_from(b->lm->kind)), p->from_id,
                         object_kind_name(link_to(b->lm->kind)), p->to_id, type,
                         0, e) ||
        ledger_problem_clear_field(m->ledger,
                                   object_kind_name(link_from(b->lm->kind)),
                                   p->row_sid, "links", b->lm->to_column, e))
        mig_fail(m, e);
    m->sum->links[b->lm->kind].existed++;
}

/* The links of the batch's records that were in the portal before:
 * - a pair already linked there is left alone (and not removed by
 *   rollback); a pair read and found unlinked is the run's to remove;
 *   when the read got no answer, or the record has more links than its
 *   first page, the pair counts as not created, so rollback errs on the
 *   side of leaving a link;
 * - such a record keeps the primary company it has: the export's company
 *   is linked to it unlabeled, so the run never moves a primary label
 *   that rollback could not put back; without an answer, unlabeled too. */
static void on_read(struct hs_result *res, size_t n, void *ud)
{
    struct link_batch *b = ud;
    int type = primary_type(b->lm->kind);
    int secondary = mig_link_unlabeled_type(b->lm->kind);
    struct err e = {0};
    size_t kept = 0;

    if (ledger_begin(b->m->ledger, &e))
        mig_fail(b->m, &e);
    for (size_t i = 0; i < b->n; i++) {
        struct link_pair *p = &b->pairs[i];
        const struct hs_result *r =
            p->asked >= 0 && (size_t)p->asked < n ? &res[p->asked] : NULL;
        int answered = r && r->outcome == HS_OK;
        const json_t *linked =
            answered ? entry_for(r->properties, p->to_id) : NULL;
        char held[32] = "";

        if (p->check_pair && linked) {
            already_linked(b, p, linked, &e);
            continue;
        }
        /* Unlinked on a first page that is not the last: unknown. */
        if (p->check_pair && answered && !r->more)
            p->created = 1;
        if (p->from_existed &&
            (!answered || primary_in(r->properties, type, held)) &&
            strcmp(held, p->to_id)) {
            p->type_id = secondary;
            b->m->sum->links[b->lm->kind].primary_kept++;
        }
        b->pairs[kept++] = *p;
    }
    if (ledger_commit(b->m->ledger, &e))
        mig_fail(b->m, &e);
    b->n = kept;
    if (!b->n) {
        link_batch_done(b);
        return;
    }
    send_create(b);
}

/* The index of id among the ids the batch reads, adding it if new. */
static int ask(struct link_batch *b, const char *id)
{
    for (size_t i = b->nasked; i-- > 0;)
        if (!strcmp(b->asked[i], id))
            return (int)i;
    b->asked[b->nasked] = id;
    return (int)b->nasked++;
}

static void flush(struct link_batch **bp)
{
    struct link_batch *b = *bp;

    *bp = NULL;
    if (!b->n) {
        batch_free(b);
        return;
    }
    b->nasked = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct link_pair *p = &b->pairs[i];

        p->asked = p->from_existed || p->check_pair ? ask(b, p->from_id) : -1;
    }
    if (!b->nasked) {
        send_create(b);
        return;
    }
    hs_assoc_batch_read(b->m->hs, object_kind_name(link_from(b->lm->kind)),
                        object_kind_name(link_to(b->lm->kind)), b->asked,
                        b->nasked, on_read, b);
}

/* Why the other end of a link is not in the portal, as far as the
 * ledger can tell. */
static void missing_why(struct mig *m, enum object_kind k, const char *sid,
                        char *msg, size_t size)
{
    struct ledger_record rec;
    struct err e = {0};
    int known =
        ledger_record_get(m->ledger, object_kind_name(k), sid, &rec, &e);
    const char *what = object_kind_singular(k);

    if (known > 0 && rec.state == LEDGER_REJECTED)
        snprintf(msg, size,
                 "the linked %s %s was rejected (see "
                 "reports/%s-errors.csv); link not created",
                 what, sid, object_kind_name(k));
    else if (known > 0)
        snprintf(msg, size,
                 "the linked %s %s has no confirmed write yet (run again); "
                 "link not created",
                 what, sid);
    else
        snprintf(msg, size,
                 "the linked %s %s is not among the export's live rows "
                 "(absent, or deleted in Salesforce: IsDeleted = 1); link "
                 "not created",
                 what, sid);
}

/* Resolves one end; reports it when it never reached the portal.
 * *existed (may be NULL): its record was in the portal before any run. */
static int resolve_end(struct mig *m, const struct link_map *lm,
                       const struct sf_row *row, const char *row_sid,
                       enum object_kind k, const char *sid, const char *col,
                       char *hubspot_id, int *created, int *existed)
{
    struct err e = {0};
    int own = 0;
    int rc = ledger_resolve_created(m->ledger, object_kind_name(k), sid,
                                    hubspot_id, &own, existed, &e);
    char msg[256];

    if (rc < 0) {
        mig_fail(m, &e);
        return -1;
    }
    if (rc == 0) {
        missing_why(m, k, sid, msg, sizeof(msg));
        link_problem(m, lm, row->line, row_sid, col, sid, "MISSING_LINK_TARGET",
                     msg);
        m->sum->links[lm->kind].missing++;
        return 0;
    }
    if (own)
        *created = 1;
    return 1;
}

/* Whether the pair was met before in this batch (it is then). */
static int in_batch(struct link_batch *b, const char *from, const char *to)
{
    char key[80];

    snprintf(key, sizeof(key), "%s %s", from, to);
    return strset_add(&b->ends, key);
}

/* The contact-to-company link is primary unless the contact already has
 * a primary company (two source rows folded into one contact). */
static int choose_type(struct mig *m, struct link_batch *b, const char *from,
                       const char *to)
{
    int type = primary_type(b->lm->kind);
    int secondary = mig_link_unlabeled_type(b->lm->kind);
    struct err e = {0};
    char key[48];

    if (b->lm->kind == LINK_DEAL_CONTACT)
        return type;
    snprintf(key, sizeof(key), "%d %s", (int)b->lm->kind, from);
    if (strset_add(&b->run->primaries, key))
        return secondary;
    if (ledger_assoc_other(m->ledger, object_kind_name(link_from(b->lm->kind)),
                           from, type, to, &e) > 0)
        return secondary;
    return type;
}

static void take_link(struct mig *m, struct link_batch *b, struct sf_reader *rd,
                      const struct sf_row *row)
{
    const struct link_map *lm = b->lm;
    const char *from = sf_row_get(rd, row, lm->from_column);
    const char *to = sf_row_get(rd, row, lm->to_column);
    struct link_pair *p = &b->pairs[b->n];
    int created = 0;
    struct err e = {0};
    int type;

    const char *row_sid = sf_row_get(rd, row, "Id");
    int existed = 0;

    if (!from[0] || !to[0])
        return; /* no link in the source */
    if (resolve_end(m, lm, row, row_sid, link_from(lm->kind), from,
                    lm->from_column, p->from_id, &created, &existed) <= 0 ||
        resolve_end(m, lm, row, row_sid, link_to(lm->kind), to, lm->to_column,
                    p->to_id, &created, NULL) <= 0)
        return;
    snprintf(p->row_sid, sizeof(p->row_sid), "%s", row_sid);
    snprintf(p->to_sid, sizeof(p->to_sid), "%s", to);
    p->line = row->line;
    if (in_batch(b, p->from_id, p->to_id))
        return;
    type = choose_type(m, b, p->from_id, p->to_id);
    /* Only a record that was in the portal before has a primary company
     * of its own to keep (deal to contact has no primary). */
    p->from_existed = existed && lm->kind != LINK_DEAL_CONTACT &&
                      type == primary_type(lm->kind);
    /* Known under either type: a link written unlabeled because its
     * record kept its primary company is not sent again. */
    if (ledger_assoc_known(m->ledger, object_kind_name(link_from(lm->kind)),
                           p->from_id, object_kind_name(link_to(lm->kind)),
                           p->to_id, primary_type(lm->kind), &e) > 0 ||
        ledger_assoc_known(m->ledger, object_kind_name(link_from(lm->kind)),
                           p->from_id, object_kind_name(link_to(lm->kind)),
                           p->to_id, mig_link_unlabeled_type(lm->kind),
                           &e) > 0) {
        m->sum->links[lm->kind].known++;
        return;
    }
    p->type_id = type;
    p->created = created;
    p->check_pair = !created;
    b->n++;
}

/* Whether the object's file is also read by a record phase, which
 * already reports its unreadable rows. */
static int is_record_source(const struct mig *m, const char *object)
{
    for (int k = 0; k < OBJ_COUNT; k++)
        for (size_t i = 0; i < m->cfg->objects[k].nsources; i++)
            if (!strcmp(m->cfg->objects[k].sources[i].object, object))
                return 1;
    return 0;
}

static void unreadable_row(struct mig *m, const struct link_map *lm, long nth,
                           long line, const struct err *e)
{
    char key[64];

    if (is_record_source(m, lm->object))
        return;
    m->sum->links[lm->kind].rejected++;
    /* The row has no usable ids: key the report by its order. */
    snprintf(key, sizeof(key), "unreadable-%ld", nth);
    link_problem(m, lm, line, key, "", "", "UNREADABLE_ROW", e->msg);
}

int mig_link_columns(const struct mig *m, const struct link_map *lm,
                     struct sf_reader *rd, struct err *e)
{
    const char *cols[2] = {lm->from_column, lm->to_column};

    for (int i = 0; i < 2; i++)
        if (sf_reader_column(rd, cols[i]) < 0)
            return err_set(e, ERR_USAGE,
                           "%s: links: %s has no column '%s' (a %s link "
                           "reads it)",
                           m->cfg->path, lm->file, cols[i],
                           link_kind_name(lm->kind));
    return 0;
}

static void run_fill(struct link_run *lr);

static void link_batch_done(struct link_batch *b)
{
    struct link_run *lr = b->run;

    batch_free(b);
    lr->outstanding--;
    if (lr->settling && lr->outstanding == 0)
        lr->settling = 0;
    run_fill(lr);
}

static struct link_batch *batch_new(struct link_run *lr)
{
    struct link_batch *b = xcalloc(1, sizeof(*b));

    b->m = lr->m;
    b->run = lr;
    b->lm = &lr->m->cfg->links[lr->li];
    return b;
}

static void send_batch(struct link_run *lr)
{
    if (!lr->b)
        return;
    if (lr->b->n)
        lr->outstanding++;
    flush(&lr->b);
}

/* Whether pass i must see its batches answered before the next starts:
 * a later pass of the same kind asks the ledger what was created. */
static int must_settle(const struct mig *m, size_t i)
{
    for (size_t j = i + 1; j < m->cfg->nlinks; j++)
        if (m->cfg->links[j].kind == m->cfg->links[i].kind)
            return 1;
    return 0;
}

/* Opens the current link's file; 0 when it is there, 1 to skip it. */
static int open_pass(struct link_run *lr)
{
    struct mig *m = lr->m;
    const struct link_map *lm = &m->cfg->links[lr->li];
    struct err e = {0};
    int rc = sf_reader_open(m->cfg->input_dir, lm->object, m->enc, &lr->rd, &e);

    if (rc == ERR_NOTFOUND) {
        log_warn("%s: not in the export; its links are skipped", lm->file);
        return 1;
    }
    if (rc || (rc = mig_link_columns(m, lm, lr->rd, &e))) {
        mig_fail(m, &e);
        return 1;
    }
    lr->b = batch_new(lr);
    return 0;
}

static void close_pass(struct link_run *lr)
{
    send_batch(lr);
    sf_reader_free(lr->rd);
    lr->rd = NULL;
    if (must_settle(lr->m, lr->li) && lr->outstanding > 0)
        lr->settling = 1;
    lr->li++;
}

/* Reads rows into the current batch until it is full; 1 when the pass's
 * file is exhausted. */
static int read_rows(struct link_run *lr)
{
    struct mig *m = lr->m;
    const struct link_map *lm = &m->cfg->links[lr->li];
    struct sf_row row;
    struct err e = {0};

    while (lr->b->n < LINK_BATCH_MAX && !m->failed) {
        int got = sf_reader_next(lr->rd, &row, &e);

        if (got == 0)
            return 1;
        if (got == ERR_IO) {
            mig_fail(m, &e);
            return 1;
        }
        if (got < 0) {
            unreadable_row(m, lm, ++lr->unreadable, row.line, &e);
            continue;
        }
        take_link(m, lr->b, lr->rd, &row);
        if (++lr->rows % 5000 == 0)
            mig_progress(m, "links", lr->rows, -1);
    }
    return 0;
}

static void run_fill(struct link_run *lr)
{
    struct mig *m = lr->m;
    struct err e = {0};

    while (!lr->done && !lr->settling && !m->failed &&
           lr->outstanding < m->cfg->concurrency &&
           !(m->opts->stop && *m->opts->stop) &&
           !http_pool_halted(hs_client_pool(m->hs))) {
        int end;

        if (!lr->rd) {
            if (lr->li >= m->cfg->nlinks) {
                lr->done = 1;
                break;
            }
            if (open_pass(lr)) {
                lr->li++;
                continue;
            }
        }
        if (ledger_begin(m->ledger, &e)) {
            mig_fail(m, &e);
            break;
        }
        end = read_rows(lr);
        if (ledger_commit(m->ledger, &e))
            mig_fail(m, &e);
        if (end)
            close_pass(lr);
        else
            send_batch(lr);
        if (lr->rd && !lr->b)
            lr->b = batch_new(lr);
    }
}

int mig_links(struct mig *m, struct err *e)
{
    struct link_run lr = {.m = m};
    int rc = 0;

    if ((rc = ledger_phase_set(m->ledger, "links", "running", e)))
        return rc;
    run_fill(&lr);
    rc = hs_client_run(m->hs, e);
    batch_free(lr.b);
    sf_reader_free(lr.rd);
    strset_release(&lr.primaries);
    if (m->failed) {
        *e = m->fail;
        return e->code;
    }
    if (rc)
        return rc;
    if (m->opts->stop && *m->opts->stop)
        return err_set(e, ERR_INTERRUPTED, "interrupted");
    if (!lr.done)
        return err_set(e, ERR_GENERIC, "the link passes stopped early");
    mig_progress(m, "links", lr.rows, lr.rows);
    return ledger_phase_set(m->ledger, "links",
                            m->incomplete ? "incomplete" : "done", e);
}
