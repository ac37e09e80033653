/* summary.c: the end-of-run summary, for people and for --json. */
#include "cmd/cmd.h"
#include "config/project.h"
#include "core/log.h"
#include "migrate/migrate.h"

#include <stdio.h>
#include <string.h>

static json_t *objects_json(const struct migrate_summary *s)
{
    json_t *o = json_object();

    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct object_counts *c = &s->objects[k];

        json_object_set_new(
            o, object_kind_name((enum object_kind)k),
            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "read",
                      (json_int_t)c->read, "created", (json_int_t)c->created,
                      "updated", (json_int_t)c->updated, "unchanged",
                      (json_int_t)c->unchanged, "rejected",
                      (json_int_t)c->rejected, "merged", (json_int_t)c->merged,
                      "skipped", (json_int_t)c->skipped, "warnings",
                      (json_int_t)c->warnings));
    }
    return o;
}

static json_t *links_json(const struct migrate_summary *s)
{
    json_t *o = json_object();

    for (int l = 0; l < LINK_COUNT; l++) {
        const struct link_counts *c = &s->links[l];

        json_object_set_new(o, link_kind_name((enum link_kind)l),
                            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
                                      "created", (json_int_t)c->created,
                                      "known", (json_int_t)c->known, "existed",
                                      (json_int_t)c->existed, "missing",
                                      (json_int_t)c->missing, "rejected",
                                      (json_int_t)c->rejected, "primary_kept",
                                      (json_int_t)c->primary_kept));
    }
    return o;
}

static void print_human(const char *command, int code, const char *error,
                        const struct project_config *cfg,
                        const struct migrate_summary *s)
{
    long warned = 0;

    if (!log_enabled(LOG_WARN))
        return;
    fprintf(stderr, "%s summary:\n", command);
    fprintf(stderr, "  %-10s %8s %8s %9s %8s %8s %8s\n", "object", "created",
            "updated", "unchanged", "rejected", "merged", "skipped");
    for (int k = 0; k < OBJ_COUNT; k++) {
        const struct object_counts *c = &s->objects[k];

        fprintf(stderr, "  %-10s %8ld %8ld %9ld %8ld %8ld %8ld\n",
                object_kind_name((enum object_kind)k), c->created, c->updated,
                c->unchanged, c->rejected, c->merged, c->skipped);
    }
    fprintf(stderr, "  %-16s %8s %8s %8s %8s\n", "association", "created",
            "known", "missing", "rejected");
    for (int l = 0; l < LINK_COUNT; l++) {
        const struct link_counts *c = &s->links[l];

        fprintf(stderr, "  %-16s %8ld %8ld %8ld %8ld\n",
                link_kind_name((enum link_kind)l), c->created, c->known,
                c->missing, c->rejected);
    }
    for (int k = 0; k < OBJ_COUNT; k++)
        warned += s->objects[k].warnings;
    for (int l = 0; l < LINK_COUNT; l++)
        if (s->links[l].existed)
            fprintf(stderr,
                    "  %s: %ld pairs were linked in HubSpot before the run; "
                    "left as they were\n",
                    link_kind_name((enum link_kind)l), s->links[l].existed);
    for (int l = 0; l < LINK_COUNT; l++)
        if (s->links[l].primary_kept)
            fprintf(stderr,
                    "  %s: %ld records already in HubSpot kept their primary "
                    "company; the export's was linked unlabeled\n",
                    link_kind_name((enum link_kind)l),
                    s->links[l].primary_kept);
    if (warned)
        fprintf(stderr,
                "  %ld rows landed with a warning (an owner archived, "
                "defaulted or not found, say): see the <object>-errors.csv "
                "reports\n",
                warned);
    if (s->properties_created || s->options_created)
        fprintf(stderr, "  created %ld properties and %ld options\n",
                s->properties_created, s->options_created);
    fprintf(stderr, "  api calls %ld (retries %ld, 429s %ld), %.1f s\n",
            s->api_calls, s->api_retries, s->api_429, s->wall_ms / 1000.0);
    if (cfg && cfg->dir)
        fprintf(stderr, "  reports in %s/reports/\n", cfg->dir);
    if (error)
        fprintf(stderr, "  stopped: %s\n", error);
    if (code == EXIT_QUOTA || (error && !strcmp(error, "interrupted")))
        fprintf(stderr, "  the ledger holds what landed: run the same command "
                        "again to go on from there\n");
}

void cmd_print_summary(const char *command, int code, const char *error,
                       const struct project_config *cfg,
                       const struct migrate_summary *s, int json)
{
    json_t *j;

    if (!json) {
        print_human(command, code, error, cfg, s);
        return;
    }
    j = json_pack("{s:s, s:s, s:i, s:I, s:o, s:o, s:{s:I, s:I}, s:{s:I, s:I, "
                  "s:I}, s:I}",
                  "command", command, "status", cmd_status_word(code), "exit",
                  code, "run_id", (json_int_t)s->run_id, "objects",
                  objects_json(s), "associations", links_json(s), "schema",
                  "properties_created", (json_int_t)s->properties_created,
                  "options_created", (json_int_t)s->options_created, "api",
                  "calls", (json_int_t)s->api_calls, "retries",
                  (json_int_t)s->api_retries, "429", (json_int_t)s->api_429,
                  "wall_ms", (json_int_t)s->wall_ms);
    for (int k = 0; k < API_KIND_COUNT; k++)
        json_object_set_new(json_object_get(j, "api"),
                            api_kind_name((enum api_kind)k),
                            json_integer(s->api_by_kind[k]));
    if (error)
        json_object_set_new(j, "error", json_string(error));
    cmd_print_json(j);
    json_decref(j);
}
