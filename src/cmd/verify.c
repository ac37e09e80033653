/* verify: read the portal back; records, duplicates, associations. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/target.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "migrate/migrate.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_spec verify_spec = {
    "usage: hsmigrate verify --dir PROJECT_DIR [--api-base URL | --sandbox "
    "DIR [--sandbox-seed FILE]]\n"
    "                        [--json] [-q] [-v...]\n",
    CMD_DIR | CMD_TARGET | CMD_SEED | CMD_JSON, NULL, "verify"};

static int verify_code(const struct verify_summary *s)
{
    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct verify_object *o = &s->objects[k];

        if (o->dup_source_id || o->dup_email ||
            o->with_source_id < o->ledger_written)
            return EXIT_REJECTS;
    }
    for (int l = 0; l < LINK_COUNT; l++)
        if (s->links_missing[l] || s->primary_missing[l])
            return EXIT_REJECTS;
    return EXIT_OK;
}

static json_t *verify_json(const struct verify_summary *s, int code)
{
    json_t *objs = json_object(), *links = json_object();
    json_t *ledger = json_object(), *missing = json_object();
    json_t *primary = json_object();

    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct verify_object *o = &s->objects[k];

        json_object_set_new(
            objs, object_kind_name((enum object_kind)k),
            json_pack("{s:I, s:I, s:I, s:I, s:I}", "records",
                      (json_int_t)o->records, "with_source_id",
                      (json_int_t)o->with_source_id, "ledger_written",
                      (json_int_t)o->ledger_written, "duplicate_source_ids",
                      (json_int_t)o->dup_source_id, "duplicate_emails",
                      (json_int_t)o->dup_email));
    }
    for (int l = 0; l < LINK_COUNT; l++) {
        const char *name = link_kind_name((enum link_kind)l);

        json_object_set_new(links, name, json_integer(s->links[l]));
        json_object_set_new(ledger, name, json_integer(s->ledger_links[l]));
        json_object_set_new(missing, name, json_integer(s->links_missing[l]));
        json_object_set_new(primary, name, json_integer(s->primary_missing[l]));
    }
    return json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "command",
                     "verify", "status", code ? "mismatch" : "ok", "exit", code,
                     "objects", objs, "associations", links,
                     "associations_in_ledger", ledger, "associations_missing",
                     missing, "primary_labels_missing", primary);
}

static void print_human(const json_t *j)
{
    const char *k;
    json_t *v;

    printf("portal read back:\n  %-10s %8s %10s %8s %10s %10s\n", "object",
           "records", "source id", "ledger", "dup ids", "dup emails");
    json_object_foreach(json_object_get(j, "objects"), k, v)
        printf("  %-10s %8lld %10lld %8lld %10lld %10lld\n", k,
               json_integer_value(json_object_get(v, "records")),
               json_integer_value(json_object_get(v, "with_source_id")),
               json_integer_value(json_object_get(v, "ledger_written")),
               json_integer_value(json_object_get(v, "duplicate_source_ids")),
               json_integer_value(json_object_get(v, "duplicate_emails")));
    printf("associations of migrated records:\n  %-16s %8s %8s %8s %9s\n",
           "kind", "portal", "ledger", "missing", "unlabeled");
    json_object_foreach(json_object_get(j, "associations"), k, v) printf(
        "  %-16s %8lld %8lld %8lld %9lld\n", k, json_integer_value(v),
        json_integer_value(
            json_object_get(json_object_get(j, "associations_in_ledger"), k)),
        json_integer_value(
            json_object_get(json_object_get(j, "associations_missing"), k)),
        json_integer_value(
            json_object_get(json_object_get(j, "primary_labels_missing"), k)));
    printf("verify: %s\n", json_string_value(json_object_get(j, "status")));
}

int cmd_verify(int argc, char **argv)
{
    struct cmd_args a;
    struct project_config cfg = {0};
    struct target t = {0};
    struct verify_summary s;
    struct migrate_opts mo = {0};
    struct err e = {0};
    int rc;
    int code = cmd_args_parse(&verify_spec, argc, argv, &a);
    json_t *j;

    if (code != CMD_CONTINUE)
        return code;
    if ((rc = target_setup(&a, 1, &cfg, &t, &e)))
        goto out;
    mo.api_base = t.api_base;
    mo.token = t.token;
    rc = migrate_verify(&cfg, &mo, &s, &e);
out:
    if (rc) {
        log_error("%s", e.msg);
        code = cmd_exit_for_err(&e);
        if (a.json)
            cmd_print_error_json("verify", code, e.msg);
    } else {
        code = verify_code(&s);
        j = verify_json(&s, code);
        if (a.json)
            cmd_print_json(j);
        else
            print_human(j);
        json_decref(j);
    }
    target_teardown(&cfg, &t);
    return code;
}
