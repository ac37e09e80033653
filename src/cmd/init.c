/* init: inspect an export and write the project config. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "config/project.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "mapping/sf_defaults.h"
#include "migrate/inspect.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct init_args {
    struct cmd_args common;
    const char *source;
    const char *input;
    const char *encoding;
    int keep_converted;
    int force;
};

static const char init_usage[] =
    "usage: hsmigrate init --source salesforce --input EXPORT_DIR "
    "--dir PROJECT_DIR\n"
    "                      [--encoding auto|utf-8|latin1|cp1252] "
    "[--keep-converted-leads]\n"
    "                      [--force] [--json] [-q] [-v]\n";

/* Fills *a from the command line; returns CMD_CONTINUE or the exit
 * code to return at once. */
static int parse_init(int argc, char **argv, struct init_args *a)
{
    const struct cmd_opt own[] = {
        {"source", CMD_TEXT, &a->source, NULL, 1},
        {"input", CMD_TEXT, &a->input, NULL, 1},
        {"encoding", CMD_TEXT, &a->encoding, NULL, 0},
        {"keep-converted-leads", CMD_FLAG, &a->keep_converted, NULL, 0},
        {"force", CMD_FLAG, &a->force, NULL, 0},
        {0}};
    const struct cmd_spec spec = {init_usage, CMD_DIR | CMD_JSON, own, "init"};

    memset(a, 0, sizeof(*a));
    a->encoding = "auto";
    return cmd_args_parse(&spec, argc, argv, &a->common);
}

static json_t *file_report(const struct project_config *cfg,
                           const struct export_file *f)
{
    json_t *unmapped = json_array();

    for (size_t i = 0; i < f->ncols; i++)
        if (!sf_defaults_column_used(cfg, f->object, f->cols[i]))
            json_array_append_new(unmapped, json_string(f->cols[i]));
    return json_pack("{s:s+, s:I, s:I, s:I, s:I, s:o}", "file", f->object,
                     ".csv", "rows", (json_int_t)f->rows, "deleted",
                     (json_int_t)f->deleted, "unreadable",
                     (json_int_t)f->unreadable, "columns", (json_int_t)f->ncols,
                     "unmapped", unmapped);
}

/* The stage map init wrote, each marked when it is not one of
 * Salesforce's standard stages and its HubSpot stage is only a guess. */
static json_t *stages_report(const struct project_config *cfg)
{
    json_t *out = json_array(), *stage;
    const char *label;
    int guessed;

    json_object_foreach(cfg->stages, label, stage)
    {
        sf_defaults_stage(label, &guessed);
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "label", label,
                                             "stage", json_string_value(stage),
                                             "guessed", guessed));
    }
    return out;
}

static void print_human(const json_t *report, const struct project_config *cfg)
{
    const json_t *f, *stage;
    size_t i, j, nguessed = 0;

    printf("export %s:\n", cfg->input_dir);
    json_array_foreach(json_object_get(report, "files"), i, f)
    {
        const json_t *un = json_object_get(f, "unmapped");
        const json_t *col;

        long long del = json_integer_value(json_object_get(f, "deleted"));
        long long bad = json_integer_value(json_object_get(f, "unreadable"));

        printf("  %-28s %8lld rows, %lld columns",
               json_string_value(json_object_get(f, "file")),
               json_integer_value(json_object_get(f, "rows")),
               json_integer_value(json_object_get(f, "columns")));
        if (del)
            printf("; %lld more deleted (IsDeleted = 1), skipped", del);
        if (bad)
            printf("; %lld unreadable, reported by check", bad);
        printf("\n");
        if (!json_array_size(un))
            continue;
        printf("    not mapped:");
        json_array_foreach(un, j, col) printf(" %s", json_string_value(col));
        printf("\n");
    }
    if (json_array_size(json_object_get(report, "stages")))
        printf("deal stages (pipeline '%s'):\n", cfg->pipeline);
    json_array_foreach(json_object_get(report, "stages"), i, stage)
    {
        int guessed = json_is_true(json_object_get(stage, "guessed"));

        printf("  %-30s -> %s%s\n",
               json_string_value(json_object_get(stage, "label")),
               json_string_value(json_object_get(stage, "stage")),
               guessed ? "  (guessed: not a standard stage; check it)" : "");
        nguessed += guessed;
    }
    if (nguessed)
        printf("guessed deal stages: %zu (marked above); check them in "
               "deals.stages before running\n",
               nguessed);
    printf("wrote %s: review it, then run 'hsmigrate check --dir %s'\n",
           cfg->path, cfg->dir);
}

static int build_config(const struct init_args *a, struct project_config *cfg,
                        json_t **report, struct err *e)
{
    struct export_file files[SF_NOBJECTS];
    enum csv_encoding enc;
    char abs[PATH_MAX];
    int rc;

    if (csv_encoding_parse(a->encoding, &enc))
        return err_set(e, ERR_USAGE, "unknown encoding '%s'", a->encoding);
    if (!realpath(a->input, abs))
        return err_set(e, ERR_USAGE, "cannot read the export directory '%s'",
                       a->input);
    cfg->input_dir = xstrdup(abs);
    cfg->source_type = xstrdup(a->source);
    cfg->encoding = xstrdup(a->encoding);
    cfg->id_property = xstrdup("salesforce_id");
    cfg->concurrency = 16;
    cfg->daily_floor = 5000;
    cfg->pipeline = xstrdup("default");
    cfg->stages = json_object();
    if ((rc = inspect_export(abs, enc, files, e)))
        return rc;
    sf_defaults_apply(cfg, files, !a->keep_converted);
    *report = json_pack("{s:s, s:s, s:[], s:o}", "command", "init", "project",
                        cfg->path, "files", "stages", stages_report(cfg));
    for (int i = 0; i < SF_NOBJECTS; i++)
        if (files[i].present)
            json_array_append_new(json_object_get(*report, "files"),
                                  file_report(cfg, &files[i]));
    if (!json_array_size(json_object_get(*report, "files")))
        rc = err_set(e, ERR_USAGE,
                     "'%s' holds none of Account.csv, Contact.csv, Lead.csv, "
                     "Opportunity.csv, OpportunityContactRole.csv, User.csv",
                     a->input);
    inspect_release(files);
    return rc;
}

int cmd_init(int argc, char **argv)
{
    struct init_args a;
    struct project_config cfg = {0};
    struct err e = {0};
    json_t *report = NULL;
    int rc = parse_init(argc, argv, &a);

    if (rc != CMD_CONTINUE)
        return rc;
    if (strcmp(a.source, "salesforce")) {
        err_set(&e, ERR_USAGE,
                "--source '%.100s' is not supported yet (supported: "
                "salesforce)",
                a.source);
        return cmd_setup_failed("init", &e, a.common.json);
    }
    cfg.dir = xstrdup(a.common.dir);
    cfg.path = xasprintf("%s/hsmigrate.yaml", a.common.dir);
    if (!a.force && access(cfg.path, F_OK) == 0) {
        err_set(&e, ERR_USAGE, "'%s' exists; use --force to replace it",
                cfg.path);
        goto out;
    }
    if ((rc = project_dir_prepare(a.common.dir, &e)) ||
        (rc = build_config(&a, &cfg, &report, &e)) ||
        (rc = project_config_save(&cfg, &e)))
        goto out;
    json_object_set_new(report, "status", json_string("ok"));
    json_object_set_new(report, "exit", json_integer(0));
    if (a.common.json)
        cmd_print_json(report);
    else
        print_human(report, &cfg);
out:
    json_decref(report);
    project_config_release(&cfg);
    if (e.code) {
        fprintf(stderr, "hsmigrate: error: %s\n", e.msg);
        if (a.common.json)
            cmd_print_error_json("init", cmd_exit_for_err(&e), e.msg);
    }
    return cmd_exit_for_err(&e);
}
