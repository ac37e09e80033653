/* rollback: undo migration runs from the ledger, after showing the plan. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "migrate/rollback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rollback_args {
    struct cmd_args common;
    long long run;
    int all, dry_run, yes;
    int object;
};

static const char rollback_usage[] =
    "usage: hsmigrate rollback --dir PROJECT_DIR [--run ID | --all]\n"
    "                          [--object contacts|companies|deals]\n"
    "                          [--dry-run] [--yes] [--api-base URL |"
    " --sandbox DIR]\n"
    "                          [--json] [-q] [-v...]\n";

/* Fills *a from the command line; returns CMD_CONTINUE or the exit
 * code to return at once. */
static int parse_rollback(int argc, char **argv, struct rollback_args *a)
{
    const struct cmd_opt own[] = {
        {"run", CMD_VALUE, &a->run, cmd_parse_run_id, 0},
        {"all", CMD_FLAG, &a->all, NULL, 0},
        {"object", CMD_VALUE, &a->object, cmd_parse_object, 0},
        {"dry-run", CMD_FLAG, &a->dry_run, NULL, 0},
        {"yes", CMD_FLAG, &a->yes, NULL, 0},
        {0}};
    const struct cmd_spec spec = {
        rollback_usage, CMD_DIR | CMD_TARGET | CMD_JSON, own, "rollback"};
    int code;

    memset(a, 0, sizeof(*a));
    a->object = -1;
    code = cmd_args_parse(&spec, argc, argv, &a->common);
    if (code == CMD_CONTINUE && a->all && a->run)
        return cmd_usage_fail(&spec, argc, argv,
                              "--run and --all do not go together");
    return code;
}

static void print_plan(const struct rollback_plan *p)
{
    if (p->run_id)
        fprintf(stderr, "rollback of run %lld:\n", (long long)p->run_id);
    else
        fprintf(stderr, "rollback of every run in the ledger:\n");
    fprintf(stderr, "  %-10s %8s %8s %8s %8s %8s\n", "object", "archive",
            "lookup", "restore", "values", "links");
    for (int k = 0; k < OBJ_COUNT; k++)
        fprintf(stderr, "  %-10s %8ld %8ld %8ld %8ld %8ld\n",
                object_kind_name(k), p->archive[k], p->lookup[k], p->restore[k],
                p->values[k], p->assocs[k]);
    fprintf(stderr,
            "  API calls needed: %ld, and one more for each record merged "
            "or deleted in HubSpot since\n",
            p->calls);
}

/* Asks on stdin unless --yes; no answer (end of input) is a refusal. */
static int confirm(const struct rollback_plan *p, void *ud)
{
    const struct rollback_args *a = ud;
    char line[64];

    if (log_enabled(LOG_WARN) || !a->yes)
        print_plan(p);
    if (a->yes)
        return 1;
    fprintf(stderr, "archive, restore and unlink as above? [y/N] ");
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin)) {
        fprintf(stderr, "\n");
        log_error("no answer on standard input; pass --yes to roll back "
                  "without asking");
        return 0;
    }
    return line[0] == 'y' || line[0] == 'Y';
}

static json_t *plan_json(const struct rollback_plan *p)
{
    json_t *objs = json_object();

    for (int k = 0; k < OBJ_COUNT; k++)
        json_object_set_new(
            objs, object_kind_name(k),
            json_pack(
                "{s:I, s:I, s:I, s:I, s:I, s:I}", "archive",
                (json_int_t)p->archive[k], "lookup", (json_int_t)p->lookup[k],
                "restore_records", (json_int_t)p->restore[k], "restore_values",
                (json_int_t)p->values[k], "associations",
                (json_int_t)p->assocs[k], "forget", (json_int_t)p->forget[k]));
    return json_pack("{s:o, s:I}", "objects", objs, "calls",
                     (json_int_t)p->calls);
}

static json_t *counts_json(const struct rollback_counts *c)
{
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "archived",
        (json_int_t)c->archived, "gone", (json_int_t)c->gone, "restored",
        (json_int_t)c->restored, "changed", (json_int_t)c->changed, "followed",
        (json_int_t)c->followed, "kept", (json_int_t)c->kept, "unlinked",
        (json_int_t)c->unlinked, "failed", (json_int_t)c->failed);
}

static void print_json(const struct rollback_args *a,
                       const struct rollback_summary *s, int code,
                       const char *error)
{
    json_t *objs = json_object();
    json_t *root;

    for (int k = 0; k < OBJ_COUNT; k++)
        json_object_set_new(objs, object_kind_name(k),
                            counts_json(&s->objects[k]));
    root = json_pack("{s:s, s:s, s:i, s:I, s:b, s:o, s:o, s:I, s:I, s:i, s:s?}",
                     "command", "rollback", "status", cmd_status_word(code),
                     "exit", code, "run", (json_int_t)s->plan.run_id, "dry_run",
                     a->dry_run, "plan", plan_json(&s->plan), "objects", objs,
                     "api_calls", (json_int_t)s->api_calls, "rollback_id",
                     (json_int_t)s->rollback_id, "exit_code", code, "error",
                     error);
    cmd_print_json(root);
    json_decref(root);
}

static void print_summary(const struct rollback_summary *s)
{
    fprintf(stderr, "  %-10s %8s %8s %8s %8s %8s %8s %8s\n", "object",
            "archived", "gone", "restored", "changed", "unlinked", "kept",
            "failed");
    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct rollback_counts *c = &s->objects[k];

        fprintf(stderr, "  %-10s %8ld %8ld %8ld %8ld %8ld %8ld %8ld\n",
                object_kind_name(k), c->archived, c->gone, c->restored,
                c->changed, c->unlinked, c->kept, c->failed);
    }
    fprintf(stderr, "  API calls: %ld; details in reports/rollback.csv\n",
            s->api_calls);
}

static int exit_for(int rc, const struct rollback_summary *s,
                    const struct err *e)
{
    if (rc)
        return cmd_exit_for_err(e);
    for (int k = 0; k < OBJ_COUNT; k++)
        if (s->objects[k].changed || s->objects[k].kept || s->objects[k].failed)
            return EXIT_REJECTS;
    return EXIT_OK;
}

static void report(const struct rollback_args *a,
                   const struct rollback_summary *s, int code, int rc,
                   const struct err *e)
{
    if (rc)
        log_error("%s", e->msg);
    if (a->common.json)
        print_json(a, s, code, rc ? e->msg : NULL);
    else if (a->dry_run && !rc && !rollback_plan_empty(&s->plan))
        print_plan(&s->plan);
    else if (!rc && !s->rollback_id && s->plan.run_id)
        fprintf(stderr,
                "nothing to roll back in run %lld; 'hsmigrate status' lists "
                "the runs: --run ID names another, --all undoes every run\n",
                (long long)s->plan.run_id);
    else if (!rc && !s->rollback_id)
        fprintf(stderr, "nothing to roll back\n");
    else if (log_enabled(LOG_WARN) && s->rollback_id)
        print_summary(s);
}

int cmd_rollback(int argc, char **argv)
{
    struct rollback_args a;
    struct project_config cfg = {0};
    struct target t = {0};
    struct rollback_summary s;
    struct rollback_opts ro = {0};
    struct err e = {0};
    int rc;
    int code = parse_rollback(argc, argv, &a);

    if (code != CMD_CONTINUE)
        return code;
    memset(&s, 0, sizeof(s));
    if (target_setup(&a.common, !a.dry_run, &cfg, &t, &e)) {
        code = cmd_setup_failed("rollback", &e, a.common.json);
        target_teardown(&cfg, &t);
        return code;
    }
    ro.stop = cmd_stop_on_signals();
    ro.api_base = t.api_base;
    ro.token = t.token;
    ro.run_id = a.run;
    ro.all = a.all;
    ro.object = a.object;
    ro.dry_run = a.dry_run;
    ro.confirm = confirm;
    ro.confirm_ud = &a;
    rc = rollback_run(&cfg, &ro, &s, &e);
    code = exit_for(rc, &s, &e);
    report(&a, &s, code, rc, &e);
    target_teardown(&cfg, &t);
    return code;
}
