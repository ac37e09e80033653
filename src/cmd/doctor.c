/* doctor: find (and with --fix repair) duplicates and missing links. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "migrate/doctor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doctor_args {
    struct cmd_args common;
    const char *id_property;
    const char *report;
    int object;
    int fix;
};

static const char doctor_usage[] =
    "usage: hsmigrate doctor [--dir PROJECT_DIR] [--fix]\n"
    "                        [--object contacts|companies|deals]\n"
    "                        [--id-property NAME] [--report FILE]\n"
    "                        [--api-base URL | --sandbox DIR]"
    " [--json] [-q] [-v...]\n";

/* Fills *a from the command line; returns CMD_CONTINUE or the exit
 * code to return at once. */
static int parse_doctor(int argc, char **argv, struct doctor_args *a)
{
    const struct cmd_opt own[] = {
        {"fix", CMD_FLAG, &a->fix, NULL, 0},
        {"object", CMD_VALUE, &a->object, cmd_parse_object, 0},
        {"id-property", CMD_TEXT, &a->id_property, NULL, 0},
        {"report", CMD_TEXT, &a->report, NULL, 0},
        {0}};
    const struct cmd_spec spec = {
        doctor_usage, CMD_DIR_OPTIONAL | CMD_TARGET | CMD_JSON, own, "doctor"};

    memset(a, 0, sizeof(*a));
    a->object = -1;
    return cmd_args_parse(&spec, argc, argv, &a->common);
}

static void print_results(const struct doctor_args *a,
                          const struct doctor_summary *s, const char *report,
                          int code, const char *error)
{
    json_t *objs = json_object();
    json_t *root;

    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct doctor_counts *c = &s->objects[k];

        json_object_set_new(
            objs, object_kind_name(k),
            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "records",
                      (json_int_t)c->records, "groups", (json_int_t)c->groups,
                      "duplicates", (json_int_t)c->duplicates, "merged",
                      (json_int_t)c->merged, "links_missing",
                      (json_int_t)c->links_missing, "links_created",
                      (json_int_t)c->links_created, "failed",
                      (json_int_t)c->failed));
        if (a->common.json || error || !log_enabled(LOG_WARN))
            continue;
        fprintf(stderr,
                "%-10s %7ld records: %5ld duplicate groups (%ld merged)",
                object_kind_name(k), c->records, c->groups, c->merged);
        /* Links are checked against a project's export only. */
        if (a->common.dir)
            fprintf(stderr, ", %5ld missing links (%ld created)",
                    c->links_missing, c->links_created);
        fputc('\n', stderr);
    }
    if (!a->common.dir && !a->common.json && !error && log_enabled(LOG_WARN))
        fprintf(stderr, "links: not checked (they need a project's export: "
                        "--dir)\n");
    if (!a->common.json && !error && log_enabled(LOG_WARN))
        fprintf(stderr, "report: %s\n", report);
    root =
        json_pack("{s:s, s:s, s:i, s:b, s:o, s:s, s:I, s:i, s:s?}", "command",
                  "doctor", "status", cmd_status_word(code), "exit", code,
                  "fix", a->fix, "objects", objs, "report", report, "api_calls",
                  (json_int_t)s->api_calls, "exit_code", code, "error", error);
    if (a->common.json)
        cmd_print_json(root);
    json_decref(root);
}

/* Findings left in the portal: 0 when none, 3 otherwise. */
static int exit_for(const struct doctor_args *a, const struct doctor_summary *s)
{
    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct doctor_counts *c = &s->objects[k];

        if (c->failed || (!a->fix && (c->groups || c->links_missing)))
            return EXIT_REJECTS;
    }
    return EXIT_OK;
}

static char *report_path(const struct doctor_args *a,
                         const struct project_config *cfg)
{
    if (a->report)
        return xstrdup(a->report);
    if (a->common.dir)
        return project_path(cfg, "reports/doctor.csv");
    return xstrdup("doctor.csv");
}

int cmd_doctor(int argc, char **argv)
{
    struct doctor_args a;
    struct project_config cfg = {0};
    struct target t = {0};
    struct doctor_summary s;
    struct doctor_opts o = {0};
    struct err e = {0};
    char *report = NULL;
    int rc;
    int code = parse_doctor(argc, argv, &a);

    if (code != CMD_CONTINUE)
        return code;
    memset(&s, 0, sizeof(s));
    if (target_setup(&a.common, 1, &cfg, &t, &e)) {
        code = cmd_setup_failed("doctor", &e, a.common.json);
        target_teardown(&cfg, &t);
        return code;
    }
    report = report_path(&a, &cfg);
    o.api_base = t.api_base;
    o.token = t.token;
    o.id_property = a.id_property  ? a.id_property
                    : a.common.dir ? cfg.id_property
                                   : "salesforce_id";
    o.cfg = a.common.dir ? &cfg : NULL;
    o.report_path = report;
    o.object = a.object;
    o.fix = a.fix;
    rc = doctor_run(&o, &s, &e);
    code = rc ? cmd_exit_for_err(&e) : exit_for(&a, &s);
    if (rc)
        log_error("%s", e.msg);
    print_results(&a, &s, report ? report : "", code, rc ? e.msg : NULL);
    free(report);
    target_teardown(&cfg, &t);
    return code;
}
