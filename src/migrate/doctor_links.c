/* doctor_links.c: links the export has and the portal lacks.
 *
 * Each link of the project's config names a file and two columns of
 * source ids. Both ends are found in the portal by their source id (or,
 * for a source row folded into another, through the ledger); a pair the
 * portal does not associate is reported and, with fix, created: with the
 * primary label when the ledger says a run made it primary and the record
 * has no primary company now, else with the unlabeled type, which never
 * displaces a record's primary company. A link whose end is not in the
 * portal is not doctor's to report: `run` reports it.
 */
#include "core/log.h"
#include "core/xalloc.h"
#include "hubspot/assoc.h"
#include "hubspot/client.h"
#include "migrate/doctor_int.h"
#include "migrate/internal.h"
#include "source/salesforce.h"
#include "store/ledger.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define LINK_BATCH 500

struct lk_pair {
    char from[32];
    char to[32];
    char why[160];
    int type_id;
};

struct lk_batch {
    struct doc *d;
    const struct link_map *lm;
    struct lk_pair pairs[LINK_BATCH];
    size_t n;
};

static int pair_report(struct doc *d, const struct link_map *lm,
                       const struct lk_pair *p, const char *outcome,
                       struct err *e)
{
    char action[80];
    const char *f[8] = {object_kind_name(link_from(lm->kind)),
                        "",
                        p->from,
                        "unlinked",
                        "",
                        action,
                        p->why,
                        outcome};

    snprintf(action, sizeof(action), "associate with %s %s%s",
             object_kind_singular(link_to(lm->kind)), p->to,
             p->type_id == mig_link_unlabeled_type(lm->kind) ? ""
                                                             : " as primary");
    return doc_report(d, f, e);
}

static void on_created(struct hs_result *res, size_t n, void *ud)
{
    struct lk_batch *b = ud;
    struct doc *d = b->d;
    enum object_kind from = link_from(b->lm->kind);
    struct err e = {0};

    for (size_t i = 0; i < n && !d->failed; i++) {
        const struct lk_pair *p = &b->pairs[i];
        const char *outcome = "created";

        if (res[i].outcome == HS_OK) {
            d->s->objects[from].links_created++;
            doc_change(d, object_kind_name(from), "associate", p->from, p->to,
                       object_kind_name(link_to(b->lm->kind)));
        } else {
            outcome = res[i].message ? res[i].message : "refused";
            d->s->objects[from].failed++;
        }
        if (pair_report(d, b->lm, p, outcome, &e)) {
            d->failed = 1;
            d->err = e;
        }
    }
    free(b);
}

/* Sends (with fix) or reports the batch's pairs, and waits. */
static int flush(struct doc *d, struct lk_batch **bp, struct err *e)
{
    struct lk_batch *b = *bp;
    struct hs_assoc *in;
    int rc = 0;

    *bp = NULL;
    if (!b || !b->n || !d->o->fix) {
        for (size_t i = 0; b && i < b->n && !rc; i++)
            rc = pair_report(d, b->lm, &b->pairs[i], "", e);
        free(b);
        return rc;
    }
    in = xcalloc(b->n, sizeof(*in));
    for (size_t i = 0; i < b->n; i++) {
        in[i].from_id = b->pairs[i].from;
        in[i].to_id = b->pairs[i].to;
        in[i].type_id = b->pairs[i].type_id;
    }
    hs_assoc_batch_create(d->hs, object_kind_name(link_from(b->lm->kind)),
                          object_kind_name(link_to(b->lm->kind)), in, b->n,
                          on_created, b);
    free(in);
    rc = hs_client_run(d->hs, e);
    if (!rc && d->failed) {
        *e = d->err;
        rc = e->code;
    }
    return rc;
}

/* The portal id of a source id: its own record, or (folded rows) the
 * record the ledger resolves it to, when that record is in the portal. */
static int resolve(struct doc *d, enum object_kind k, const char *sid, char *id)
{
    struct err e = {0};

    if (!sid[0])
        return 0;
    if (doc_store_by_sid(d, k, sid, id) > 0)
        return 1;
    if (!d->ledger ||
        ledger_resolve(d->ledger, object_kind_name(k), sid, id, &e) <= 0)
        return 0;
    /* A record deleted, archived or merged away since is no end to link:
     * creating the link could only fail. */
    return doc_store_has(d, k, id) > 0;
}

/* Remembers a pair as handled, so a repeated source row adds nothing. */
static void mark_linked(struct doc *d, const struct link_map *lm,
                        const char *from, const char *to)
{
    sqlite3_bind_text(d->ins_link, 1, object_kind_name(link_from(lm->kind)), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(d->ins_link, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(d->ins_link, 3, object_kind_name(link_to(lm->kind)), -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(d->ins_link, 4, to, -1, SQLITE_TRANSIENT);
    sqlite3_step(d->ins_link);
    sqlite3_reset(d->ins_link);
}

/* Whether a missing link goes back with its primary label: a run made
 * it primary (the ledger says so) and the record has no primary company
 * in the portal, nor one doctor gave it already. */
static int primary_again(struct doc *d, const struct link_map *lm,
                         const char *from, const char *to)
{
    int primary = mig_link_primary_type(lm->kind);
    struct err e = {0};

    if (!d->ledger || primary == mig_link_unlabeled_type(lm->kind) ||
        ledger_assoc_known(d->ledger, object_kind_name(link_from(lm->kind)),
                           from, object_kind_name(link_to(lm->kind)), to,
                           primary, &e) <= 0)
        return 0;
    return doc_store_claim_primary(d, link_from(lm->kind), from) == 1;
}

static int take_row(struct doc *d, const struct link_map *lm,
                    const struct sf_reader *rd, const struct sf_row *row,
                    struct lk_batch **bp, struct err *e)
{
    enum object_kind from = link_from(lm->kind), to = link_to(lm->kind);
    const char *fsid = sf_row_get(rd, row, lm->from_column);
    const char *tsid = sf_row_get(rd, row, lm->to_column);
    struct lk_pair *p;
    char fid[32], tid[32];

    if (!resolve(d, from, fsid, fid) || !resolve(d, to, tsid, tid) ||
        doc_store_linked(d, from, fid, to, tid))
        return 0;
    mark_linked(d, lm, fid, tid);
    d->s->objects[from].links_missing++;
    if (!*bp) {
        *bp = xcalloc(1, sizeof(**bp));
        (*bp)->d = d;
        (*bp)->lm = lm;
    }
    p = &(*bp)->pairs[(*bp)->n++];
    snprintf(p->from, sizeof(p->from), "%s", fid);
    snprintf(p->to, sizeof(p->to), "%s", tid);
    snprintf(p->why, sizeof(p->why), "%s line %ld links %s %s to %s %s",
             row->file, row->line, object_kind_singular(from), fsid,
             object_kind_singular(to), tsid);
    p->type_id = mig_link_unlabeled_type(lm->kind);
    if (primary_again(d, lm, fid, tid))
        p->type_id = mig_link_primary_type(lm->kind);
    return (*bp)->n == LINK_BATCH ? flush(d, bp, e) : 0;
}

static int link_pass(struct doc *d, const struct link_map *lm,
                     enum csv_encoding enc, struct err *e)
{
    struct sf_reader *rd = NULL;
    struct lk_batch *b = NULL;
    struct sf_row row;
    int rc = sf_reader_open(d->o->cfg->input_dir, lm->object, enc, &rd, e);

    if (rc == ERR_NOTFOUND) {
        log_warn("%s: not in the export; its links are not checked", lm->file);
        err_clear(e);
        return 0;
    }
    while (!rc && (rc = sf_reader_next(rd, &row, e)) != 0) {
        if (rc == ERR_IO)
            break;
        if (rc < 0) {
            err_clear(e);
            rc = 0;
            continue;
        }
        rc = take_row(d, lm, rd, &row, &b, e);
    }
    if (!rc)
        rc = flush(d, &b, e);
    free(b);
    sf_reader_free(rd);
    return rc;
}

int doc_links(struct doc *d, struct err *e)
{
    const struct project_config *cfg = d->o->cfg;
    enum csv_encoding enc;
    int rc = 0;

    if (csv_encoding_parse(cfg->encoding, &enc))
        return err_set(e, ERR_USAGE,
                       "%s: source.encoding: unknown encoding "
                       "'%s'",
                       cfg->path, cfg->encoding);
    for (size_t i = 0; i < cfg->nlinks && !rc; i++) {
        const struct link_map *lm = &cfg->links[i];

        if (doc_in_scope(d, link_from(lm->kind)))
            rc = link_pass(d, lm, enc, e);
    }
    return rc;
}
