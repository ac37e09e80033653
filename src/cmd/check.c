/* check: the dry run; reads the portal, writes nothing to it. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "migrate/migrate.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_spec check_spec = {
    "usage: hsmigrate check --dir PROJECT_DIR [--api-base URL | --sandbox DIR "
    "[--sandbox-seed FILE]]\n"
    "                       [--json] [-q] [-v...]\n",
    CMD_DIR | CMD_TARGET | CMD_SEED | CMD_JSON, NULL, "check"};

static const char *status_name(int code)
{
    return code == EXIT_OK ? "ok" : code == EXIT_REJECTS ? "rejects" : "config";
}

static json_t *check_json(const struct check_summary *s, int code)
{
    json_t *objs = json_object();
    json_t *links = json_object();
    long calls =
        s->calls_schema + s->calls_records + s->calls_reads + s->calls_links;
    long per10 = s->window_max > 0 ? s->window_max : 100;

    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct object_counts *c = &s->objects[k];

        json_object_set_new(objs, object_kind_name((enum object_kind)k),
                            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "read",
                                      (json_int_t)c->read, "valid",
                                      (json_int_t)(c->read - c->rejected),
                                      "rejected", (json_int_t)c->rejected,
                                      "merged", (json_int_t)c->merged,
                                      "skipped", (json_int_t)c->skipped,
                                      "warnings", (json_int_t)c->warnings));
    }
    for (int l = 0; l < LINK_COUNT; l++)
        json_object_set_new(links, link_kind_name((enum link_kind)l),
                            json_integer(s->links[l]));
    json_t *j = json_pack(
        "{s:s, s:s, s:i, s:o, s:{s:I, s:I}, s:I, s:o, s:I, s:I, s:I, s:{s:I, "
        "s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O}}",
        "command", "check", "status", status_name(code), "exit", code,
        "objects", objs, "contacts", "by_email",
        (json_int_t)s->contacts_by_email, "by_source_id",
        (json_int_t)s->contacts_by_source_id, "possible_duplicate_companies",
        (json_int_t)s->duplicate_companies, "links", links, "problems",
        (json_int_t)s->problems, "config_problems",
        (json_int_t)s->config_problems, "warnings", (json_int_t)s->warnings,
        "plan", "properties_to_create", (json_int_t)s->properties_to_create,
        "options_to_create", (json_int_t)s->options_to_create, "calls_schema",
        (json_int_t)s->calls_schema, "calls_record_writes",
        (json_int_t)s->calls_records, "calls_preimage_reads",
        (json_int_t)s->calls_reads, "calls_associations",
        (json_int_t)s->calls_links, "calls_total", (json_int_t)calls,
        "daily_remaining", (json_int_t)s->daily_remaining, "seconds_at_limit",
        (json_int_t)(calls * 10 / per10), "create", s->create);
    json_object_set_new(j, "top_problems", cmd_top_problems(s->tally, 5));
    json_object_set_new(j, "problem_kinds",
                        json_integer((json_int_t)json_object_size(s->tally)));
    return j;
}

static void print_creations(const json_t *create)
{
    const json_t *v, *x;
    size_t i, n;

    json_array_foreach(json_object_get(create, "id_properties"), i, v)
        printf("  create the %s property '%s' (string, unique values: the "
               "source id)\n",
               json_string_value(json_object_get(v, "object")),
               json_string_value(json_object_get(v, "name")));
    json_array_foreach(json_object_get(create, "properties"), i, v)
        printf("  create the %s property '%s' (%s, from '%s')\n",
               json_string_value(json_object_get(v, "object")),
               json_string_value(json_object_get(v, "name")),
               json_string_value(json_object_get(v, "type")),
               json_string_value(json_object_get(v, "label")));
    json_array_foreach(json_object_get(create, "options"), i, v)
    {
        printf("  add options to the %s property '%s':",
               json_string_value(json_object_get(v, "object")),
               json_string_value(json_object_get(v, "property")));
        json_array_foreach(json_object_get(v, "values"), n, x)
            printf("%s '%s'", n ? "," : "", json_string_value(x));
        putchar('\n');
    }
}

static void print_human(const json_t *j, const struct project_config *cfg)
{
    const json_t *plan = json_object_get(j, "plan");
    const char *k;
    json_t *v;
    size_t i;
    const char *shown = NULL;

    printf("check: %s\n", cfg->path);
    printf("  %-10s %8s %8s %8s %8s %8s\n", "object", "read", "valid",
           "rejected", "merged", "skipped");
    json_object_foreach(json_object_get(j, "objects"), k, v)
        printf("  %-10s %8lld %8lld %8lld %8lld %8lld\n", k,
               json_integer_value(json_object_get(v, "read")),
               json_integer_value(json_object_get(v, "valid")),
               json_integer_value(json_object_get(v, "rejected")),
               json_integer_value(json_object_get(v, "merged")),
               json_integer_value(json_object_get(v, "skipped")));
    printf(
        "  possible duplicate companies (same domain): %lld\n",
        json_integer_value(json_object_get(j, "possible_duplicate_companies")));
    printf("  contacts keyed by email %lld, by source id %lld\n",
           json_integer_value(
               json_object_get(json_object_get(j, "contacts"), "by_email")),
           json_integer_value(json_object_get(json_object_get(j, "contacts"),
                                              "by_source_id")));
    printf("plan: %lld properties to create; API calls: %lld record writes, "
           "%lld pre-image reads, %lld association batches, %lld in all\n",
           json_integer_value(json_object_get(plan, "properties_to_create")),
           json_integer_value(json_object_get(plan, "calls_record_writes")),
           json_integer_value(json_object_get(plan, "calls_preimage_reads")),
           json_integer_value(json_object_get(plan, "calls_associations")),
           json_integer_value(json_object_get(plan, "calls_total")));
    print_creations(json_object_get(plan, "create"));
    printf("  daily remaining %lld; about %lld s at the portal's rate "
           "limit\n",
           json_integer_value(json_object_get(plan, "daily_remaining")),
           json_integer_value(json_object_get(plan, "seconds_at_limit")));
    printf("%lld config problems, %lld rejected values, %lld warnings; see "
           "%s/reports/check-errors.csv\n",
           json_integer_value(json_object_get(j, "config_problems")),
           json_integer_value(json_object_get(j, "problems")),
           json_integer_value(json_object_get(j, "warnings")), cfg->dir);
    if (json_array_size(json_object_get(j, "top_problems")))
        printf("most frequent problems (rows):\n");
    json_array_foreach(json_object_get(j, "top_problems"), i, v)
    {
        const char *hint = json_string_value(json_object_get(v, "hint"));

        printf("  %6lld  %s %s: %s\n",
               json_integer_value(json_object_get(v, "rows")),
               json_string_value(json_object_get(v, "object")),
               json_string_value(json_object_get(v, "field")),
               json_string_value(json_object_get(v, "problem")));
        /* A hint is shown once for a run of problems that share it. */
        if (hint && *hint && (!shown || strcmp(shown, hint)))
            printf("          (%s)\n", hint);
        shown = hint;
    }
    if (json_integer_value(json_object_get(j, "problem_kinds")) > (long)i)
        printf("  and %lld other kinds of problem\n",
               json_integer_value(json_object_get(j, "problem_kinds")) -
                   (long long)i);
}

int cmd_check(int argc, char **argv)
{
    struct cmd_args a;
    struct project_config cfg = {0};
    struct target t = {0};
    struct check_summary s = {0};
    struct migrate_opts mo = {0};
    struct err e = {0};
    json_t *j;
    int rc;
    int code = cmd_args_parse(&check_spec, argc, argv, &a);

    if (code != CMD_CONTINUE)
        return code;
    if ((rc = target_setup(&a, 1, &cfg, &t, &e)))
        goto out;
    mo.api_base = t.api_base;
    mo.token = t.token;
    rc = migrate_check(&cfg, &mo, &s, &e);
out:
    if (rc) {
        log_error("%s", e.msg);
        code = cmd_exit_for_err(&e);
        if (a.json)
            cmd_print_error_json("check", code, e.msg);
    } else {
        code = s.config_problems ? EXIT_USAGE
               : s.problems      ? EXIT_REJECTS
                                 : EXIT_OK;
        j = check_json(&s, code);
        if (a.json)
            cmd_print_json(j);
        else
            print_human(j, &cfg);
        json_decref(j);
    }
    check_summary_release(&s);
    target_teardown(&cfg, &t);
    return code;
}
