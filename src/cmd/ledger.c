/* ledger: maintenance of the project's ledger; today `ledger rebuild`. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "migrate/rebuild.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_spec ledger_spec = {
    "usage: hsmigrate ledger rebuild --dir PROJECT_DIR\n"
    "                 [--api-base URL | --sandbox DIR] [--json] [-q] "
    "[-v...]\n",
    CMD_DIR | CMD_TARGET | CMD_JSON, NULL, "ledger rebuild"};

static void print_rebuild(const struct cmd_args *a,
                          const struct rebuild_summary *s, int code,
                          const char *error)
{
    json_t *objs = json_object();
    json_t *root;

    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct rebuild_counts *c = &s->objects[k];

        json_object_set_new(
            objs, object_kind_name(k),
            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "portal",
                      (json_int_t)c->portal, "rows", (json_int_t)c->rows,
                      "mapped", (json_int_t)c->mapped, "folded",
                      (json_int_t)c->folded, "missing", (json_int_t)c->missing,
                      "kept", (json_int_t)c->kept, "gone", (json_int_t)c->gone,
                      "skipped", (json_int_t)c->skipped));
        if (!a->json && log_enabled(LOG_WARN) && !error)
            fprintf(stderr,
                    "%-10s %6ld source rows: %6ld mapped, %6ld folded by "
                    "email, %6ld kept, %6ld whose record is gone, %6ld "
                    "without a record\n",
                    object_kind_name(k), c->rows, c->mapped, c->folded, c->kept,
                    c->gone, c->missing);
    }
    root =
        json_pack("{s:s, s:s, s:i, s:o, s:I, s:i, s:s?}", "command",
                  "ledger rebuild", "status", cmd_status_word(code), "exit",
                  code, "objects", objs, "api_calls", (json_int_t)s->api_calls,
                  "exit_code", code, "error", error);
    if (a->json)
        cmd_print_json(root);
    json_decref(root);
}

static int ledger_rebuild_cmd(int argc, char **argv)
{
    struct cmd_args a;
    struct project_config cfg = {0};
    struct target t = {0};
    struct rebuild_summary s;
    struct rebuild_opts ro = {0};
    struct err e = {0};
    int rc;
    int code = cmd_args_parse(&ledger_spec, argc, argv, &a);

    if (code != CMD_CONTINUE)
        return code;
    memset(&s, 0, sizeof(s));
    if (target_setup(&a, 1, &cfg, &t, &e)) {
        code = cmd_setup_failed("ledger rebuild", &e, a.json);
        target_teardown(&cfg, &t);
        return code;
    }
    ro.api_base = t.api_base;
    ro.token = t.token;
    rc = rebuild_ledger(&cfg, &ro, &s, &e);
    code = rc ? cmd_exit_for_err(&e) : EXIT_OK;
    for (int k = 0; !rc && k < OBJ_COUNT; k++)
        if (s.objects[k].missing)
            code = EXIT_REJECTS;
    if (rc)
        log_error("%s", e.msg);
    print_rebuild(&a, &s, code, rc ? e.msg : NULL);
    target_teardown(&cfg, &t);
    return code;
}

int cmd_ledger(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "rebuild"))
        return ledger_rebuild_cmd(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(ledger_spec.usage, stdout);
        return EXIT_OK;
    }
    if (argc < 2)
        return cmd_usage_fail(&ledger_spec, argc, argv,
                              "'ledger' needs a subcommand: rebuild");
    return cmd_usage_fail(&ledger_spec, argc, argv,
                          "unknown ledger subcommand '%s' (expected rebuild)",
                          argv[1]);
}
