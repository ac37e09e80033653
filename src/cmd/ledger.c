/* ledger: maintenance of the project's ledger; today `ledger rebuild`. */
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "migrate/rebuild.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

struct ledger_args {
    const char *dir;
    const char *api_base;
    const char *sandbox;
    int json;
};

static void ledger_usage(FILE *f)
{
    fprintf(f, "usage: hsmigrate ledger rebuild --dir PROJECT_DIR\n"
               "                 [--api-base URL | --sandbox DIR] [--json]"
               " [-q] [-v...]\n");
}

static int parse_ledger(int argc, char **argv, struct ledger_args *a)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"api-base", required_argument, NULL, 'a'},
        {"sandbox", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int quiet = 0, verbose = 0, c;

    memset(a, 0, sizeof(*a));
    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            a->dir = optarg;
            break;
        case 'a':
            a->api_base = optarg;
            break;
        case 's':
            a->sandbox = optarg;
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
            ledger_usage(stdout);
            return 1;
        default:
            ledger_usage(stderr);
            return -1;
        }
    }
    cmd_set_verbosity(quiet, verbose);
    if (!a->dir || optind != argc) {
        ledger_usage(stderr);
        return -1;
    }
    return 0;
}

static void print_rebuild(const struct ledger_args *a,
                          const struct rebuild_summary *s, int code,
                          const char *error)
{
    json_t *objs = json_object();
    json_t *root;

    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct rebuild_counts *c = &s->objects[k];

        json_object_set_new(
            objs, object_kind_name(k),
            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "portal",
                      (json_int_t)c->portal, "rows", (json_int_t)c->rows,
                      "mapped", (json_int_t)c->mapped, "folded",
                      (json_int_t)c->folded, "missing", (json_int_t)c->missing,
                      "kept", (json_int_t)c->kept, "skipped",
                      (json_int_t)c->skipped));
        if (!a->json && log_enabled(LOG_WARN) && !error)
            fprintf(stderr,
                    "%-10s %6ld source rows: %6ld mapped, %6ld folded by "
                    "email, %6ld kept, %6ld without a record\n",
                    object_kind_name(k), c->rows, c->mapped, c->folded, c->kept,
                    c->missing);
    }
    root = json_pack("{s:s, s:o, s:I, s:i, s:s?}", "command", "ledger rebuild",
                     "objects", objs, "api_calls", (json_int_t)s->api_calls,
                     "exit_code", code, "error", error);
    if (a->json)
        cmd_print_json(root);
    json_decref(root);
}

static int ledger_rebuild_cmd(int argc, char **argv)
{
    struct ledger_args a;
    struct project_config cfg = {0};
    struct target t = {0};
    struct rebuild_summary s;
    struct rebuild_opts ro = {0};
    struct err e = {0};
    int rc = parse_ledger(argc, argv, &a);
    int code;

    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    memset(&s, 0, sizeof(s));
    if ((rc = project_config_load(a.dir, &cfg, &e)) ||
        (rc = target_open(&t, a.api_base, a.sandbox, NULL, &e)))
        goto out;
    ro.api_base = t.api_base;
    ro.token = t.token;
    rc = rebuild_ledger(&cfg, &ro, &s, &e);
out:
    code = rc ? cmd_exit_for_err(&e) : EXIT_OK;
    for (int k = 0; !rc && k < OBJ_COUNT; k++)
        if (s.objects[k].missing)
            code = EXIT_REJECTS;
    if (rc)
        log_error("%s", e.msg);
    print_rebuild(&a, &s, code, rc ? e.msg : NULL);
    target_close(&t);
    project_config_release(&cfg);
    return code;
}

int cmd_ledger(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "rebuild"))
        return ledger_rebuild_cmd(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        ledger_usage(stdout);
        return EXIT_OK;
    }
    ledger_usage(stderr);
    return EXIT_USAGE;
}
