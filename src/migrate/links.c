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
    int created; /* either end was created by this run */
};

struct link_batch {
    struct mig *m;
    const struct link_map *lm;
    struct link_pair pairs[LINK_BATCH_MAX];
    struct hs_assoc assoc[LINK_BATCH_MAX];
    size_t n;
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
    free(b);
}

static void flush(struct link_batch **bp)
{
    struct link_batch *b = *bp;
    struct mig *m = b->m;

    *bp = NULL;
    if (!b->n) {
        free(b);
        return;
    }
    for (size_t i = 0; i < b->n; i++) {
        b->assoc[i].from_id = b->pairs[i].from_id;
        b->assoc[i].to_id = b->pairs[i].to_id;
        b->assoc[i].type_id = b->pairs[i].type_id;
        b->assoc[i].category = "HUBSPOT_DEFINED";
    }
    hs_assoc_batch_create(m->hs, object_kind_name(link_from(b->lm->kind)),
                          object_kind_name(link_to(b->lm->kind)), b->assoc,
                          b->n, on_links, b);
}

/* Resolves one end; reports it when it never reached the portal. */
static int resolve_end(struct mig *m, const struct link_map *lm,
                       const struct sf_row *row, const char *row_sid,
                       enum object_kind k, const char *sid, const char *col,
                       char *hubspot_id, int *created)
{
    struct ledger_record rec;
    struct err e = {0};
    int rc =
        ledger_resolve(m->ledger, object_kind_name(k), sid, hubspot_id, &e);
    char msg[256];

    if (rc < 0) {
        mig_fail(m, &e);
        return -1;
    }
    if (rc == 0) {
        snprintf(msg, sizeof(msg),
                 "the linked %s %s was not migrated (not in the export, "
                 "rejected, or not yet written); link not created",
                 object_kind_singular(k), sid);
        link_problem(m, lm, row->line, row_sid, col, sid, "MISSING_LINK_TARGET",
                     msg);
        m->sum->links[lm->kind].missing++;
        return 0;
    }
    if (ledger_record_get(m->ledger, object_kind_name(k), sid, &rec, &e) > 0 &&
        rec.state == LEDGER_CREATED)
        *created = 1;
    return 1;
}

static int in_batch(const struct link_batch *b, const char *from,
                    const char *to)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->pairs[i].from_id, from) &&
            !strcmp(b->pairs[i].to_id, to))
            return 1;
    return 0;
}

/* The contact-to-company link is primary unless the contact already has
 * a primary company (two source rows folded into one contact). */
static int choose_type(struct mig *m, const struct link_batch *b,
                       const char *from, const char *to)
{
    int type = primary_type(b->lm->kind);
    struct err e = {0};

    if (b->lm->kind == LINK_DEAL_CONTACT)
        return type;
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->pairs[i].from_id, from) && b->pairs[i].type_id == type)
            return b->lm->kind == LINK_CONTACT_COMPANY
                       ? HS_ASSOC_CONTACT_TO_COMPANY
                       : HS_ASSOC_DEAL_TO_COMPANY;
    if (ledger_assoc_other(m->ledger, object_kind_name(link_from(b->lm->kind)),
                           from, type, to, &e) > 0)
        return b->lm->kind == LINK_CONTACT_COMPANY ? HS_ASSOC_CONTACT_TO_COMPANY
                                                   : HS_ASSOC_DEAL_TO_COMPANY;
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

    if (!from[0] || !to[0])
        return; /* no link in the source */
    if (resolve_end(m, lm, row, row_sid, link_from(lm->kind), from,
                    lm->from_column, p->from_id, &created) <= 0 ||
        resolve_end(m, lm, row, row_sid, link_to(lm->kind), to, lm->to_column,
                    p->to_id, &created) <= 0)
        return;
    snprintf(p->row_sid, sizeof(p->row_sid), "%s", row_sid);
    snprintf(p->to_sid, sizeof(p->to_sid), "%s", to);
    p->line = row->line;
    if (in_batch(b, p->from_id, p->to_id))
        return;
    type = choose_type(m, b, p->from_id, p->to_id);
    if (ledger_assoc_known(m->ledger, object_kind_name(link_from(lm->kind)),
                           p->from_id, object_kind_name(link_to(lm->kind)),
                           p->to_id, primary_type(lm->kind), &e) > 0 ||
        ledger_assoc_known(m->ledger, object_kind_name(link_from(lm->kind)),
                           p->from_id, object_kind_name(link_to(lm->kind)),
                           p->to_id, type, &e) > 0) {
        m->sum->links[lm->kind].known++;
        return;
    }
    p->type_id = type;
    p->created = created;
    b->n++;
}

/* Sends the queued batches and waits for them, outside the reading
 * transaction, so memory stays bounded by the batches in flight. */
static int drain(struct mig *m, struct err *e)
{
    int rc;

    if ((rc = ledger_commit(m->ledger, e)))
        return rc;
    rc = hs_client_run(m->hs, e);
    if (!rc && m->failed) {
        *e = m->fail;
        rc = e->code;
    }
    return rc ? rc : ledger_begin(m->ledger, e);
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
                           const struct err *e)
{
    char key[64];

    if (is_record_source(m, lm->object))
        return;
    m->sum->links[lm->kind].rejected++;
    /* The row has no usable ids: key the report by its order. */
    snprintf(key, sizeof(key), "unreadable-%ld", nth);
    link_problem(m, lm, 0, key, "", "", "UNREADABLE_ROW", e->msg);
}

/* Reads the file's rows into batches, sending them as they fill. */
static int read_links(struct mig *m, const struct link_map *lm,
                      struct sf_reader *rd, struct err *e)
{
    struct link_batch *b = xcalloc(1, sizeof(*b));
    struct sf_row row;
    long done = 0, unreadable = 0;
    int queued = 0;
    int rc = 0;
    int got;

    b->m = m;
    b->lm = lm;
    while (!m->failed && !(m->opts->stop && *m->opts->stop)) {
        got = sf_reader_next(rd, &row, e);
        if (got == 0)
            break;
        if (got == ERR_IO) {
            rc = got;
            break;
        }
        if (got < 0) {
            unreadable_row(m, lm, ++unreadable, e);
            continue;
        }
        take_link(m, b, rd, &row);
        if (++done % 5000 == 0)
            mig_progress(m, "links", done, -1);
        if (b->n < LINK_BATCH_MAX)
            continue;
        flush(&b);
        b = xcalloc(1, sizeof(*b));
        b->m = m;
        b->lm = lm;
        /* Bounded memory: wait for the batches in flight now and then. */
        if (++queued % m->cfg->concurrency == 0 && (rc = drain(m, e)))
            break;
    }
    flush(&b);
    return rc;
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

/* One link's file read into batches. Unless settle, its last batches
 * may still be in flight when it returns: the next pass sends its own
 * alongside them. */
static int link_pass(struct mig *m, const struct link_map *lm, int settle,
                     struct err *e)
{
    struct sf_reader *rd = NULL;
    int rc = sf_reader_open(m->cfg->input_dir, lm->object, m->enc, &rd, e);

    if (rc == ERR_NOTFOUND) {
        log_warn("%s: not in the export; its links are skipped", lm->file);
        return 0;
    }
    if (rc || (rc = mig_link_columns(m, lm, rd, e)) ||
        (rc = ledger_begin(m->ledger, e)))
        goto out;
    rc = read_links(m, lm, rd, e);
    if (rc == ERR_IO) {
        ledger_commit(m->ledger, NULL);
        goto out;
    }
    if (!rc && settle)
        rc = drain(m, e);
    if (!rc)
        rc = ledger_commit(m->ledger, e);
    else
        ledger_rollback_tx(m->ledger);
out:
    sf_reader_free(rd);
    return rc;
}

/* Whether pass i must see its batches answered before the next starts:
 * a later pass of the same kind asks the ledger what was created. */
static int must_settle(const struct mig *m, size_t i)
{
    for (size_t j = i + 1; j < m->cfg->nlinks; j++)
        if (m->cfg->links[j].kind == m->cfg->links[i].kind)
            return 1;
    return i + 1 == m->cfg->nlinks;
}

int mig_links(struct mig *m, struct err *e)
{
    int rc = 0;

    if ((rc = ledger_phase_set(m->ledger, "links", "running", e)))
        return rc;
    for (size_t i = 0; i < m->cfg->nlinks && !rc; i++)
        rc = link_pass(m, &m->cfg->links[i], must_settle(m, i), e);
    if (!rc && !m->failed)
        rc = hs_client_run(m->hs, e); /* what a pass left in flight */
    if (m->failed) {
        *e = m->fail;
        return e->code;
    }
    if (rc)
        return rc;
    if (m->opts->stop && *m->opts->stop)
        return err_set(e, ERR_INTERRUPTED, "interrupted");
    return ledger_phase_set(m->ledger, "links",
                            m->incomplete ? "incomplete" : "done", e);
}
