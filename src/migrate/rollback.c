/* rollback.c: plans a rollback, asks for confirmation, runs its steps. */
#include "migrate/rollback.h"
#include "core/log.h"
#include "hubspot/client.h"
#include "migrate/rollback_int.h"
#include "store/ledger.h"

#include <stdlib.h>
#include <string.h>

void rb_fail(struct rb *r, const struct err *e)
{
    if (!r->failed) {
        r->failed = 1;
        r->fail = *e;
        if (!r->fail.code)
            r->fail.code = ERR_GENERIC;
    }
    if (r->hs)
        http_pool_stop(hs_client_pool(r->hs));
}

size_t rb_wave(const struct rb *r)
{
    int c = r->cfg->concurrency > 0 ? r->cfg->concurrency : 1;

    return (size_t)c * RB_BATCH;
}

int rb_drain(struct rb *r, struct err *e)
{
    int rc = hs_client_run(r->hs, e);

    if (r->failed) {
        *e = r->fail;
        return e->code;
    }
    return rc;
}

static int open_client(struct rb *r, struct err *e)
{
    struct http_pool_opts po;

    http_pool_opts_init(&po);
    po.token = r->o->token;
    po.max_in_flight = r->cfg->concurrency;
    po.daily_floor = r->cfg->daily_floor;
    return hs_client_new(r->o->api_base, &po, &r->hs, e);
}

int rollback_plan_empty(const struct rollback_plan *p)
{
    for (int k = 0; k < OBJ_COUNT; k++)
        if (p->archive[k] || p->lookup[k] || p->restore[k] || p->assocs[k] ||
            p->forget[k])
            return 0;
    return 1;
}

/* --run ID must name a run the ledger holds: a mistyped id would
 * otherwise find nothing to undo and end as if it had succeeded. */
static int choose_named(struct rb *r, struct err *e)
{
    char cmd[32];
    int rc;

    if ((rc = rbl_run_command(r, r->o->run_id, cmd, sizeof(cmd), e)))
        return rc;
    if (!cmd[0])
        return err_set(e, ERR_USAGE,
                       "--run %lld: the ledger holds no run with that id; "
                       "'hsmigrate status' lists the runs",
                       (long long)r->o->run_id);
    if (!strcmp(cmd, "rollback"))
        return err_set(e, ERR_USAGE,
                       "--run %lld: that is a rollback, not a run; "
                       "'hsmigrate status' lists the runs",
                       (long long)r->o->run_id);
    r->run_sel = r->o->run_id;
    return 0;
}

/* Which run: the one asked for, every run, or the latest migration. */
static int choose_runs(struct rb *r, struct err *e)
{
    int rc;

    if (r->o->all)
        return 0;
    if (r->o->run_id)
        return choose_named(r, e);
    if ((rc = rbl_latest_run(r, &r->run_sel, e)))
        return rc;
    if (!r->run_sel)
        return err_set(e, ERR_USAGE,
                       "the ledger holds no migration run to roll back");
    return 0;
}

static const char *finish_status(int rc)
{
    if (rc == ERR_QUOTA)
        return "stopped-quota";
    if (rc == ERR_INTERRUPTED)
        return "interrupted";
    return rc ? "failed" : "done";
}

static int run_steps(struct rb *r, struct err *e)
{
    int rc = 0;

    for (int k = 0; k < OBJ_COUNT && !rc; k++)
        if (!r->object || !strcmp(r->object, object_kind_name(k)))
            rc = rb_values(r, k, e);
    if (!rc)
        rc = rb_unlink(r, e);
    for (int k = OBJ_COUNT - 1; k >= 0 && !rc; k--)
        if (!r->object || !strcmp(r->object, object_kind_name(k)))
            rc = rb_archive(r, k, e);
    if (!rc && r->s->unknown)
        rc = err_set(e, ERR_HTTP,
                     "%ld requests got no answer after every retry; run "
                     "rollback again to settle them",
                     r->s->unknown);
    if (!rc)
        rc = rbl_forget_rest(r, e);
    return rc;
}

static void collect_calls(struct rb *r)
{
    if (r->hs)
        r->s->api_calls = http_pool_stats(hs_client_pool(r->hs))->requests;
}

static int undo_run(struct rb *r, struct err *e)
{
    int rc;

    if ((rc = rbl_run_begin(r, e)))
        return rc;
    log_info("rolling back run %lld", (long long)r->run_sel);
    rc = run_steps(r, e);
    rbl_run_end(r, finish_status(rc));
    return rc;
}

/* Undoes the selected run, or with --all every run newest first, so that
 * each run's pre-images meet the values that run wrote. */
static int undo_runs(struct rb *r, struct err *e)
{
    int64_t *ids = NULL;
    size_t n = 0;
    int rc;

    if (!r->o->all)
        return undo_run(r, e);
    if ((rc = rbl_runs(r, &ids, &n, e)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        r->run_sel = ids[i];
        rc = undo_run(r, e);
    }
    r->run_sel = 0;
    free(ids);
    return rc;
}

/* Writes and reports; the plan and the confirmation come first. */
static int perform(struct rb *r, struct err *e)
{
    struct err e2 = {0};
    int rc;

    if ((rc = ledger_run_start(r->ledger, "rollback", &r->rb_id, e)))
        return rc;
    r->s->rollback_id = r->rb_id;
    if (!(rc = open_client(r, e)))
        rc = undo_runs(r, e);
    collect_calls(r);
    ledger_run_finish(r->ledger, r->rb_id, finish_status(rc), &e2);
    /* As run's: the ledger records how the rollback went; a report it
     * cannot write fails the command (exit 1) after that. */
    if (rbl_report(r, &e2))
        rc = err_late(rc, e, &e2,
                      "the rollback is complete in the portal and the "
                      "ledger");
    return rc;
}

int rollback_run(const struct project_config *cfg,
                 const struct rollback_opts *o, struct rollback_summary *s,
                 struct err *e)
{
    struct rb r = {.cfg = cfg, .o = o, .s = s};
    char *path = project_path(cfg, "ledger.db");
    int lock = -1;
    int rc;

    memset(s, 0, sizeof(*s));
    if (o->object >= 0)
        r.object = object_kind_name((enum object_kind)o->object);
    if ((rc = project_lock(cfg, &lock, e)) ||
        (rc = ledger_open(path, &r.ledger, e)))
        goto out;
    rbl_prepare(&r);
    if ((rc = choose_runs(&r, e)) || (rc = rbl_plan(&r, &s->plan, e)))
        goto out;
    s->plan.run_id = r.run_sel;
    if (o->dry_run || rollback_plan_empty(&s->plan))
        goto out;
    if (o->confirm && !o->confirm(&s->plan, o->confirm_ud)) {
        rc = err_set(e, ERR_USAGE, "rollback not confirmed; nothing changed");
        goto out;
    }
    rc = perform(&r, e);
out:
    hs_client_free(r.hs);
    ledger_close(r.ledger);
    project_unlock(lock);
    free(path);
    return rc;
}
