/* doctor: find (and with --fix repair) duplicates and missing links. */
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "migrate/doctor.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doctor_args {
    const char *dir;
    const char *api_base;
    const char *sandbox;
    const char *id_property;
    const char *report;
    int object;
    int fix, json;
};

static void doctor_usage(FILE *f)
{
    fprintf(f, "usage: hsmigrate doctor [--dir PROJECT_DIR] [--fix]\n"
               "                        [--object contacts|companies|deals]\n"
               "                        [--id-property NAME] [--report FILE]\n"
               "                        [--api-base URL | --sandbox DIR]"
               " [--json] [-q] [-v...]\n");
}

static int take_opt(int c, struct doctor_args *a)
{
    enum object_kind k;

    switch (c) {
    case 'd':
        a->dir = optarg;
        return 0;
    case 'a':
        a->api_base = optarg;
        return 0;
    case 's':
        a->sandbox = optarg;
        return 0;
    case 'i':
        a->id_property = optarg;
        return 0;
    case 'r':
        a->report = optarg;
        return 0;
    case 'f':
        a->fix = 1;
        return 0;
    case 'j':
        a->json = 1;
        return 0;
    case 'o':
        if (!object_kind_parse(optarg, &k)) {
            a->object = (int)k;
            return 0;
        }
        log_error("--object: expected contacts, companies or deals, got '%s'",
                  optarg);
        return -1;
    default:
        return -1;
    }
}

static int parse_doctor(int argc, char **argv, struct doctor_args *a)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"fix", no_argument, NULL, 'f'},
        {"object", required_argument, NULL, 'o'},
        {"id-property", required_argument, NULL, 'i'},
        {"report", required_argument, NULL, 'r'},
        {"api-base", required_argument, NULL, 'a'},
        {"sandbox", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int quiet = 0, verbose = 0, c;

    memset(a, 0, sizeof(*a));
    a->object = -1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        if (c == 'q')
            quiet = 1;
        else if (c == 'v')
            verbose++;
        else if (c == 'h') {
            doctor_usage(stdout);
            return 1;
        } else if (take_opt(c, a)) {
            doctor_usage(stderr);
            return -1;
        }
    }
    cmd_set_verbosity(quiet, verbose);
    if (optind != argc) {
        doctor_usage(stderr);
        return -1;
    }
    return 0;
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
        if (!a->json && !error && log_enabled(LOG_WARN))
            fprintf(stderr,
                    "%-10s %7ld records: %5ld duplicate groups (%ld "
                    "merged), %5ld missing links (%ld created)\n",
                    object_kind_name(k), c->records, c->groups, c->merged,
                    c->links_missing, c->links_created);
    }
    if (!a->json && !error && log_enabled(LOG_WARN))
        fprintf(stderr, "report: %s\n", report);
    root =
        json_pack("{s:s, s:b, s:o, s:s, s:I, s:i, s:s?}", "command", "doctor",
                  "fix", a->fix, "objects", objs, "report", report, "api_calls",
                  (json_int_t)s->api_calls, "exit_code", code, "error", error);
    if (a->json)
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
    if (a->dir)
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
    int rc = parse_doctor(argc, argv, &a);
    int code;

    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    memset(&s, 0, sizeof(s));
    if ((a.dir && (rc = project_config_load(a.dir, &cfg, &e))) ||
        (rc = target_open(&t, a.api_base, a.sandbox, NULL, &e)))
        goto out;
    report = report_path(&a, &cfg);
    o.api_base = t.api_base;
    o.token = t.token;
    o.id_property = a.id_property ? a.id_property
                    : a.dir       ? cfg.id_property
                                  : "salesforce_id";
    o.cfg = a.dir ? &cfg : NULL;
    o.report_path = report;
    o.object = a.object;
    o.fix = a.fix;
    rc = doctor_run(&o, &s, &e);
out:
    code = rc ? cmd_exit_for_err(&e) : exit_for(&a, &s);
    if (rc)
        log_error("%s", e.msg);
    print_results(&a, &s, report ? report : "", code, rc ? e.msg : NULL);
    free(report);
    target_close(&t);
    project_config_release(&cfg);
    return code;
}
