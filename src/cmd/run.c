/* run: the migration, resumable; prints a summary. */
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "migrate/migrate.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile int stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    /* A second Ctrl-C kills at once; the ledger makes that safe too. */
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

struct run_args {
    const char *dir;
    const char *api_base;
    const char *sandbox;
    const char *sandbox_seed;
    int json;
    int allow_rejects;
};

static void run_usage(FILE *f)
{
    fprintf(f, "usage: hsmigrate run --dir PROJECT_DIR [--api-base URL | "
               "--sandbox DIR [--sandbox-seed FILE]]\n"
               "                     [--allow-rejects] [--json] [-q] "
               "[-v...]\n");
}

static int parse_run(int argc, char **argv, struct run_args *a)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"api-base", required_argument, NULL, 'a'},
        {"sandbox", required_argument, NULL, 's'},
        {"sandbox-seed", required_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'j'},
        {"allow-rejects", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int quiet = 0, verbose = 0, c;

    memset(a, 0, sizeof(*a));
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            a->allow_rejects = 1;
            break;
        case 'd':
            a->dir = optarg;
            break;
        case 'a':
            a->api_base = optarg;
            break;
        case 's':
            a->sandbox = optarg;
            break;
        case 'S':
            a->sandbox_seed = optarg;
            break;
        case 'j':
            a->json = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'v':
            verbose++;
            break;
        case 'h':
            run_usage(stdout);
            return 1;
        default:
            run_usage(stderr);
            return -1;
        }
    }
    cmd_set_verbosity(quiet, verbose);
    if (!a->dir || optind != argc) {
        run_usage(stderr);
        return -1;
    }
    return 0;
}

static void on_progress(const struct migrate_progress *p, void *ud)
{
    int tty = *(int *)ud;

    if (!tty || !log_enabled(LOG_WARN))
        return;
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

    if (rc)
        return rc;
    if (cs->config_problems)
        return err_set(e, ERR_USAGE,
                       "check found %ld problems in the project config; "
                       "see %s/reports/check-errors.csv",
                       cs->config_problems, cfg->dir);
    if (cs->problems && !allow_rejects)
        return err_set(e, ERR_INPUT,
                       "check found %ld values that would be rejected; "
                       "see %s/reports/check-errors.csv, fix them, or run "
                       "with --allow-rejects to send the valid rows",
                       cs->problems, cfg->dir);
    if (cs->problems)
        log_warn("%ld values will be rejected (--allow-rejects); see "
                 "%s/reports/check-errors.csv",
                 cs->problems, cfg->dir);
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_args a;
    struct project_config cfg = {0};
    struct target t = {0};
    struct migrate_summary s;
    struct migrate_opts mo = {0};
    struct check_summary cs = {0};
    struct err e = {0};
    int gated = 0;
    int tty = isatty(STDERR_FILENO);
    int rc = parse_run(argc, argv, &a);
    int code;

    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    memset(&s, 0, sizeof(s));
    if ((rc = project_config_load(a.dir, &cfg, &e)) ||
        (rc = target_open(&t, a.api_base, a.sandbox, a.sandbox_seed, &e)))
        goto out;
    install_signals();
    mo.api_base = t.api_base;
    mo.token = t.token;
    if ((rc = run_gate(&cfg, &mo, a.allow_rejects, &cs, &e))) {
        gated = rc == ERR_INPUT;
        goto out;
    }
    mo.create = cs.create;
    mo.progress = on_progress;
    mo.progress_ud = &tty;
    mo.stop = &stop_requested;
    rc = migrate_run(&cfg, &mo, &s, &e);
    /* The check's reads count among the run's requests. */
    s.api_calls += cs.api_calls;
    for (int i = 0; i < API_KIND_COUNT; i++)
        s.api_by_kind[i] += cs.api_by_kind[i];
    if (tty && log_enabled(LOG_WARN))
        fputc('\n', stderr);
out:
    code = gated ? EXIT_REJECTS : summary_exit(rc, &s, &e);
    if (rc)
        log_error("%s", e.msg);
    cmd_print_summary("run", code, rc ? e.msg : NULL, &cfg, &s, a.json);
    check_summary_release(&cs);
    target_close(&t);
    project_config_release(&cfg);
    return code;
}
