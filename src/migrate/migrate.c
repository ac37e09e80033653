#include "migrate/migrate.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "migrate/internal.h"
#include "store/ledger.h"

#include <stdlib.h>
#include <string.h>

void mig_fail(struct mig *m, const struct err *e)
{
    if (!m->failed) {
        m->failed = 1;
        m->fail = *e;
        if (!m->fail.code)
            m->fail.code = ERR_GENERIC;
    }
    if (m->hs)
        http_pool_stop(hs_client_pool(m->hs));
}

void mig_progress(struct mig *m, const char *phase, long done, long total)
{
    struct migrate_progress p = {.phase = phase, .done = done, .total = total};

    if (m->opts->progress)
        m->opts->progress(&p, m->opts->progress_ud);
}

static int open_client(struct mig *m, struct err *e)
{
    struct http_pool_opts po;

    http_pool_opts_init(&po);
    po.token = m->opts->token;
    po.max_in_flight = m->cfg->concurrency;
    po.daily_floor = m->cfg->daily_floor;
    return hs_client_new(m->opts->api_base, &po, &m->hs, e);
}

void mig_setup_contexts(struct mig *m)
{
    for (int k = 0; k < OBJ_COUNT; k++) {
        struct map_ctx *c = &m->mctx[k];

        c->schema = m->schema[k];
        c->user_emails = m->user_emails;
        c->owner_emails = m->owner_emails;
        c->archived_owners = m->archived_owners;
        c->default_owner = m->default_owner_id;
        c->owner_optional = m->cfg->owner_optional;
        c->stages = m->cfg->stages;
        c->pipelines = m->pipelines;
        c->pipeline = m->pipeline_id ? m->pipeline_id : m->cfg->pipeline;
        c->id_property = m->cfg->id_property;
        c->tz = m->cfg->timezone;
        c->locale = m->cfg->locale;
        c->create_missing = m->cfg->create_missing_properties;
    }
}

static int run_phases(struct mig *m, struct err *e)
{
    static const enum object_kind order[OBJ_COUNT] = {OBJ_COMPANIES,
                                                      OBJ_CONTACTS, OBJ_DEALS};
    int rc;

    if ((rc = mig_schema(m, e)) || (rc = mig_create_planned(m, e)) ||
        (rc = mig_owners(m, e)) || (rc = mig_pipelines(m, e)))
        return rc;
    mig_setup_contexts(m);
    for (int i = 0; i < OBJ_COUNT; i++)
        if ((rc = mig_records(m, order[i], e)))
            return rc;
    return mig_links(m, e);
}

const char *api_kind_name(enum api_kind k)
{
    static const char *const names[API_KIND_COUNT] = {
        "batch_upsert", "batch_update", "batch_read",
        "associations", "schema",       "other"};

    return names[k];
}

static enum api_kind kind_of_label(int label)
{
    switch (label) {
    case HTTP_LABEL_BATCH_UPSERT:
        return API_UPSERT;
    case HTTP_LABEL_BATCH_UPDATE:
        return API_UPDATE;
    case HTTP_LABEL_BATCH_READ:
        return API_READ;
    case HTTP_LABEL_ASSOC:
        return API_ASSOC;
    case HTTP_LABEL_PROPERTIES:
        return API_SCHEMA;
    default:
        return API_OTHER;
    }
}

void mig_collect_stats(struct mig *m)
{
    const struct http_stats *st = http_pool_stats(hs_client_pool(m->hs));

    for (int l = 0; l < HTTP_LABEL_COUNT; l++)
        m->sum->api_by_kind[kind_of_label(l)] += st->by_label[l];
    m->sum->api_calls = st->requests;
    m->sum->api_retries = st->retries;
    m->sum->api_429 = st->n429;
}

static void release(struct mig *m)
{
    mig_release_schema(m);
    hs_client_free(m->hs);
    ledger_close(m->ledger);
}

static const char *run_status(int rc, const struct mig *m)
{
    if (rc == ERR_QUOTA)
        return "stopped-quota";
    if (rc == ERR_INTERRUPTED)
        return "interrupted";
    if (rc)
        return "failed";
    return m->incomplete ? "incomplete" : "done";
}

int migrate_run(const struct project_config *cfg, const struct migrate_opts *o,
                struct migrate_summary *s, struct err *e)
{
    struct mig m = {.cfg = cfg, .opts = o, .sum = s};
    int64_t start = clock_mono_ms();
    char *path = project_path(cfg, "ledger.db");
    struct err e2 = {0};
    int lock = -1;
    int rc;

    memset(s, 0, sizeof(*s));
    if ((rc = project_input_check(cfg, e)) ||
        (!o->locked && ((rc = project_dir_prepare(cfg->dir, e)) ||
                        (rc = project_lock(cfg, &lock, e)))))
        goto out;
    if ((rc = csv_encoding_parse(cfg->encoding, &m.enc))) {
        rc = err_set(e, ERR_USAGE,
                     "%s: source.encoding: unknown encoding "
                     "'%s'",
                     cfg->path, cfg->encoding);
        goto out;
    }
    if ((rc = ledger_open(path, &m.ledger, e)) ||
        (rc = ledger_run_start(m.ledger, "run", &m.run_id, e)) ||
        (rc = ledger_phases_reset(m.ledger, e)) || (rc = open_client(&m, e)))
        goto out;
    s->run_id = m.run_id;
    rc = run_phases(&m, e);
    if (!rc && m.incomplete)
        rc = err_set(e, ERR_HTTP,
                     "%ld writes got no answer after every retry; run "
                     "again to settle them",
                     m.incomplete);
    mig_collect_stats(&m);
    if (ledger_phases_settle(m.ledger, run_status(rc, &m), &e2))
        log_warn("%s", e2.msg);
    ledger_run_finish(m.ledger, m.run_id, run_status(rc, &m), &e2);
    /* Reports the run cannot write fail it (exit 1); the ledger holds
     * all the run did, and a rerun writes them again, changing nothing. */
    if (mig_reports(&m, &e2))
        rc = err_late(rc, e, &e2,
                      "the portal and the ledger are complete: run again "
                      "once the reports can be written");
out:
    s->wall_ms = clock_mono_ms() - start;
    if (m.hs || m.ledger)
        release(&m);
    project_unlock(lock);
    free(path);
    return rc;
}
