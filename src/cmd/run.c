/* run: the migration, resumable; prints a summary. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/clock.h"
#include "core/log.h"
#include "migrate/migrate.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char run_usage[] =
    "usage: hsmigrate run --dir PROJECT_DIR [--api-base URL | --sandbox DIR "
    "[--sandbox-seed FILE]]\n"
    "                     [--allow-rejects] [--json] [-q] [-v...]\n";

/* Progress: a bar per phase on a terminal; elsewhere (a log file, a
 * pipe) plain lines, one when a phase starts or ends and one every
 * PLAIN_EVERY_MS between. */
#define PLAIN_EVERY_MS 10000

struct progress {
    int tty;
    char phase[16];
    int64_t last_ms;
};

static void plain_progress(const struct migrate_progress *p,
                           struct progress *pr)
{
    int64_t now = clock_mono_ms();
    int ended = p->total > 0 && p->done >= p->total;
    int fresh = strcmp(pr->phase, p->phase) != 0;

    if (!fresh && !ended && now - pr->last_ms < PLAIN_EVERY_MS)
        return;
    snprintf(pr->phase, sizeof(pr->phase), "%s", p->phase);
    pr->last_ms = now;
    if (p->total > 0)
        fprintf(stderr, "%s: %ld of %ld%s\n", p->phase, p->done, p->total,
                ended ? ", done" : "");
    else
        fprintf(stderr, "%s: %ld rows\n", p->phase, p->done);
}

static void on_progress(const struct migrate_progress *p, void *ud)
{
    struct progress *pr = ud;

    if (!log_enabled(LOG_WARN))
        return;
    if (!pr->tty) {
        plain_progress(p, pr);
        return;
    }
    if (p->total > 0) {
        int width = 30;
        int filled = (int)(p->done * width / p->total);

        fprintf(stderr, "\r%-10s [%-*.*s] %ld/%ld", p->phase, width, filled,
                "##############################", p->done, p->total);
        if (p->done >= p->total)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "\r%-10s %ld rows", p->phase, p->done);
    }
    fflush(stderr);
}

static int summary_exit(int rc, const struct migrate_summary *s,
                        const struct err *e)
{
    if (rc)
        return cmd_exit_for_err(e);
    for (int k = 0; k < OBJ_COUNT; k++)
        if (s->objects[k].rejected)
            return EXIT_REJECTS;
    for (int l = 0; l < LINK_COUNT; l++)
        if (s->links[l].rejected)
            return EXIT_REJECTS;
    return EXIT_OK;
}

/* The check before the run: a config that does not fit the portal
 * stops it (exit 2), rows that would be rejected stop it unless the
 * user allows them (exit 3); what check planned to create is kept for
 * the run. */
static int run_gate(const struct project_config *cfg,
                    const struct migrate_opts *mo, int allow_rejects,
                    struct check_summary *cs, struct err *e)
{
    int rc = migrate_check(cfg, mo, cs, e);
    json_t *top;
    const json_t *t;
    long rows = 0;
    char most[512] = "";

    if (rc)
        return rc;
    for (int k = 0; k < OBJ_COUNT; k++)
        rows += cs->objects[k].rejected;
    top = cmd_top_problems(cs->tally, 1);
    if ((t = json_array_get(top, 0)))
        snprintf(most, sizeof(most),
                 "; the most frequent, in %lld rows: %s %s: %s",
                 json_integer_value(json_object_get(t, "rows")),
                 json_string_value(json_object_get(t, "object")),
                 json_string_value(json_object_get(t, "field")),
                 json_string_value(json_object_get(t, "problem")));
    json_decref(top);
    if (cs->config_problems)
        return err_set(e, ERR_USAGE,
                       "check found %ld problems in the project config; "
                       "see %s/reports/check-errors.csv",
                       cs->config_problems, cfg->dir);
    if (cs->problems && !allow_rejects)
        return err_set(e, ERR_INPUT,
                       "check found %ld rows that would be rejected (%ld "
                       "problems%s); nothing was written. See "
                       "%s/reports/check-errors.csv, fix them, or run with "
                       "--allow-rejects to send the valid rows",
                       rows, cs->problems, most, cfg->dir);
    if (cs->problems)
        log_warn("%ld rows will be rejected (--allow-rejects; %ld problems%s); "
                 "see %s/reports/check-errors.csv",
                 rows, cs->problems, most, cfg->dir);
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct cmd_args a;
    int allow_rejects = 0;
    const struct cmd_opt own[] = {
        {"allow-rejects", CMD_FLAG, &allow_rejects, NULL, 0}, {0}};
    const struct cmd_spec spec = {
        run_usage, CMD_DIR | CMD_TARGET | CMD_SEED | CMD_JSON, own, "run"};
    struct project_config cfg = {0};
    struct target t = {0};
    struct migrate_summary s;
    struct migrate_opts mo = {0};
    struct check_summary cs = {0};
    struct err e = {0};
    volatile int *stop;
    int gated = 0;
    int lock = -1;
    struct progress pr = {.tty = isatty(STDERR_FILENO)};
    int rc;
    int code = cmd_args_parse(&spec, argc, argv, &a);

    if (code != CMD_CONTINUE)
        return code;
    memset(&s, 0, sizeof(s));
    /* The lock before the check: a project another command is working on
     * is refused before the check reads the whole export and the portal. */
    if (target_setup(&a, 1, &cfg, &t, &e) || project_dir_prepare(cfg.dir, &e) ||
        project_lock(&cfg, &lock, &e)) {
        code = cmd_setup_failed("run", &e, a.json);
        target_teardown(&cfg, &t);
        return code;
    }
    mo.locked = 1;
    stop = cmd_stop_on_signals();
    mo.api_base = t.api_base;
    mo.token = t.token;
    if ((rc = run_gate(&cfg, &mo, allow_rejects, &cs, &e))) {
        gated = rc == ERR_INPUT;
        goto out;
    }
    mo.create = cs.create;
    mo.portal = cs.portal;
    mo.progress = on_progress;
    mo.progress_ud = &pr;
    mo.stop = stop;
    rc = migrate_run(&cfg, &mo, &s, &e);
    /* The check's reads count among the run's requests. */
    s.api_calls += cs.api_calls;
    for (int i = 0; i < API_KIND_COUNT; i++)
        s.api_by_kind[i] += cs.api_by_kind[i];
    if (pr.tty && log_enabled(LOG_WARN))
        fputc('\n', stderr);
out:
    code = gated ? EXIT_REJECTS : summary_exit(rc, &s, &e);
    if (rc)
        log_error("%s", e.msg);
    /* A run check refused wrote nothing: the error says all of it. */
    if (!gated || a.json)
        cmd_print_summary("run", code, rc ? e.msg : NULL, &cfg, &s, a.json);
    check_summary_release(&cs);
    project_unlock(lock);
    target_teardown(&cfg, &t);
    return code;
}
