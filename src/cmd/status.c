/* status: where each phase stands, from the ledger alone. */
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "config/project.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "migrate/rollback.h"
#include "store/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const phases[] = {"schema", "companies", "contacts", "deals",
                                     "links"};
#define NPHASES (sizeof(phases) / sizeof(*phases))

static const struct cmd_spec status_spec = {
    "usage: hsmigrate status --dir PROJECT_DIR [--json] [-q] [-v...]\n",
    CMD_DIR | CMD_JSON, NULL, "status"};

static int gather(struct ledger *l, json_t *out, struct err *e)
{
    json_t *ph = json_object(), *objs = json_object(), *links = json_object();
    json_t *runs = NULL;
    char st[32];
    int rc = 0;

    json_object_set_new(out, "phases", ph);
    json_object_set_new(out, "objects", objs);
    json_object_set_new(out, "associations", links);
    for (size_t i = 0; i < NPHASES && !rc; i++) {
        rc = ledger_phase_get(l, phases[i], st, sizeof(st), e);
        json_object_set_new(ph, phases[i],
                            json_string(st[0] ? st
                                              : "not "
                                                "started"));
    }
    for (int k = 0; k < OBJ_COUNT && !rc; k++) {
        struct ledger_counts c;
        long problems = 0;
        const char *name = object_kind_name((enum object_kind)k);

        if ((rc = ledger_count_records(l, name, &c, e)) ||
            (rc = ledger_count_problems(l, name, "records", &problems, e)))
            break;
        json_object_set_new(
            objs, name,
            json_pack("{s:I, s:I, s:I, s:I, s:I}", "created",
                      (json_int_t)c.created, "existed", (json_int_t)c.existed,
                      "rejected", (json_int_t)c.rejected, "merged",
                      (json_int_t)c.merged, "pending", (json_int_t)c.pending));
    }
    if (!rc && !(rc = rollback_history(l, &runs, e)))
        json_object_set_new(out, "runs", runs);
    for (int lk = 0; lk < LINK_COUNT && !rc; lk++) {
        long created, existed;
        enum link_kind kind = (enum link_kind)lk;

        rc = ledger_count_assocs(l, object_kind_name(link_from(kind)),
                                 object_kind_name(link_to(kind)), &created,
                                 &existed, e);
        json_object_set_new(
            links, link_kind_name(kind),
            json_pack("{s:I}", "recorded", (json_int_t)(created + existed)));
    }
    return rc;
}

static const char *str(const json_t *o, const char *key, const char *dflt)
{
    const char *v = json_string_value(json_object_get(o, key));

    return v ? v : dflt;
}

static long long num(const json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* A run, and under it each rollback that undid some of it. */
static void print_run(const json_t *run)
{
    const json_t *rb = json_object_get(run, "rolled_back");
    size_t i;
    json_t *r;

    printf("  #%-4lld %-14s %-24s %s\n", num(run, "id"),
           str(run, "command", ""), str(run, "started_at", ""),
           str(run, "status", ""));
    if (json_is_null(rb) || !rb)
        return;
    printf("        rolled back: %s", str(rb, "state", ""));
    if (num(rb, "left"))
        printf(", %lld ledger rows left to undo", num(rb, "left"));
    printf("\n");
    json_array_foreach(json_object_get(rb, "rollbacks"), i, r)
    {
        printf("        by #%lld (%s) at %s, %s: %lld archived, %lld values "
               "restored, %lld unlinked, %lld left alone, %lld failed\n",
               num(r, "id"), str(r, "object", "all objects"),
               str(r, "started_at", ""), str(r, "status", ""),
               num(r, "archived"), num(r, "restored"), num(r, "unlinked"),
               num(r, "left_alone"), num(r, "failed"));
    }
}

static void print_human(const json_t *s)
{
    const char *k;
    json_t *v;
    size_t i;

    printf("phases (as the latest run left them):\n");
    json_object_foreach(json_object_get(s, "phases"), k, v)
        printf("  %-10s %s\n", k, json_string_value(v));
    printf("records:    %8s %8s %8s %8s %8s\n", "created", "existed",
           "rejected", "merged", "pending");
    json_object_foreach(json_object_get(s, "objects"), k, v)
        printf("  %-10s %8lld %8lld %8lld %8lld %8lld\n", k,
               json_integer_value(json_object_get(v, "created")),
               json_integer_value(json_object_get(v, "existed")),
               json_integer_value(json_object_get(v, "rejected")),
               json_integer_value(json_object_get(v, "merged")),
               json_integer_value(json_object_get(v, "pending")));
    printf("associations:\n");
    json_object_foreach(json_object_get(s, "associations"), k, v)
        printf("  %-16s %8lld\n", k,
               json_integer_value(json_object_get(v, "recorded")));
    printf("runs:\n");
    json_array_foreach(json_object_get(s, "runs"), i, v)
    {
        print_run(v);
    }
}

int cmd_status(int argc, char **argv)
{
    struct cmd_args a;
    struct ledger *l = NULL;
    struct err e = {0};
    json_t *s;
    char *path;
    int code = cmd_args_parse(&status_spec, argc, argv, &a);

    if (code != CMD_CONTINUE)
        return code;
    s = json_pack("{s:s}", "command", "status");
    path = xasprintf("%s/ledger.db", a.dir);
    if (access(path, F_OK) != 0)
        err_set(&e, ERR_USAGE, "no ledger in '%s': nothing has run yet", a.dir);
    else if (!ledger_open(path, &l, &e))
        gather(l, s, &e);
    code = cmd_exit_for_err(&e);
    json_object_set_new(s, "status", json_string(cmd_status_word(code)));
    json_object_set_new(s, "exit", json_integer(code));
    if (e.code) {
        fprintf(stderr, "hsmigrate: error: %s\n", e.msg);
        if (a.json)
            cmd_print_error_json("status", code, e.msg);
    } else if (a.json)
        cmd_print_json(s);
    else
        print_human(s);
    ledger_close(l);
    free(path);
    json_decref(s);
    return code;
}
