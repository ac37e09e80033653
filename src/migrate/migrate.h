/* migrate.h: the migration, phase by phase, as `run` and `check` use it.
 *
 * migrate_run moves the export described by a project config into the
 * portal: schema, companies, contacts, deals, then associations. Every
 * outcome lands in the project's ledger before the next batch of a phase
 * counts as done, so a run that stops for any reason (a kill, SIGINT, the
 * daily quota floor) resumes where it stopped when started again, and a
 * run over unchanged data writes nothing.
 *
 * Nothing here prints: progress goes to an optional callback, results to
 * struct migrate_summary.
 */
#ifndef HSM_MIGRATE_MIGRATE_H
#define HSM_MIGRATE_MIGRATE_H

#include <jansson.h>

#include "config/project.h"

struct err;

struct object_counts {
    long read;      /* live source rows */
    long created;   /* records the run created */
    long updated;   /* records that existed and were updated */
    long unchanged; /* already in the portal with these values */
    long rejected;  /* rows refused by the mapping or by HubSpot */
    long merged;    /* rows folded into another (same email) */
    long skipped;   /* deleted rows, converted leads */
    long warnings;  /* rows written with a warning (e.g. no owner) */
};

struct link_counts {
    long created; /* associations written this run */
    long known;   /* written by an earlier run */
    long missing; /* an end was never migrated: reported */
    long rejected;
    long primary_kept; /* written unlabeled: the record kept its primary */
    long existed;      /* linked in the portal before: left as it was */
};

/* Endpoint families, for the call counts in summaries and the bench. */
enum api_kind {
    API_UPSERT,
    API_UPDATE,
    API_READ,
    API_ASSOC,
    API_SCHEMA,
    API_OTHER,
    API_KIND_COUNT
};
const char *api_kind_name(enum api_kind k);

struct migrate_summary {
    struct object_counts objects[OBJ_COUNT];
    struct link_counts links[LINK_COUNT];
    long properties_created;
    long options_created; /* enumeration options added by the run */
    long api_calls;
    long api_by_kind[API_KIND_COUNT]; /* attempts, by endpoint family */
    long api_retries;
    long api_429;
    long long wall_ms;
    int64_t run_id;
};

struct migrate_progress {
    const char *phase; /* "schema", "companies", ..., "links" */
    long done;         /* rows handled in this phase so far */
    long total;        /* rows in this phase, or -1 when unknown */
};

typedef void (*migrate_progress_fn)(const struct migrate_progress *p, void *ud);

struct hs_portal_reads;

struct migrate_opts {
    const char *api_base; /* e.g. https://api.hubapi.com */
    const char *token;    /* never logged or stored */
    migrate_progress_fn progress;
    void *progress_ud;
    volatile int *stop; /* set by a signal handler: stop cleanly */
    /* What to create before the first record, as check planned it:
     * {"properties": [{"object", "name", "label", "type", "fieldType"}],
     *  "options": [{"object", "property", "values": [...]}]}; or NULL. */
    const json_t *create;
    /* The portal's properties, owners and pipelines as check read them
     * just before, or NULL: the run reads them itself. */
    const struct hs_portal_reads *portal;
    int locked; /* the caller prepared the project dir and holds its lock */
};

/* Runs the migration. Returns 0 (rows may still have been rejected: see
 * the summary), ERR_AUTH, ERR_QUOTA (stopped by the daily floor; rerun
 * later), ERR_INTERRUPTED, or another error that stopped a phase. */
int migrate_run(const struct project_config *cfg, const struct migrate_opts *o,
                struct migrate_summary *s, struct err *e);

struct check_summary {
    struct object_counts objects[OBJ_COUNT];
    long contacts_by_email;     /* contacts keyed by their email */
    long contacts_by_source_id; /* contacts without email */
    long properties_to_create;
    long options_to_create;
    long config_problems;     /* the config does not fit the portal: exit 2 */
    long duplicate_companies; /* companies sharing a normalized domain */
    json_t *create;           /* the plan's creations, as migrate_opts.create */
    struct hs_portal_reads *portal; /* what check read, for the run */
    long api_calls; /* requests check itself sent (reads only) */
    long api_by_kind[API_KIND_COUNT];
    long links[LINK_COUNT]; /* links found in the export */
    long problems;          /* blocking problems in reports/check-errors.csv */
    long warnings;          /* rows that will land with a warning */
    json_t *tally;          /* "object\tfield\tproblem" -> {object, field,
                             problem, hint, rows} */
    /* The plan: API calls each phase will need, at most. */
    long calls_schema, calls_records, calls_reads, calls_links;
    long daily_remaining; /* as the portal reports it; -1 unknown */
    long window_max;      /* requests per 10 s the portal allows */
};

/* The dry run: reads the portal's schema and owners, maps every source
 * row, writes reports/check-errors.csv and fills s. Writes nothing to the
 * portal and nothing to the ledger. Returns 0 whether or not rows would
 * be rejected (see s), or the error that stopped it. */
int migrate_check(const struct project_config *cfg,
                  const struct migrate_opts *o, struct check_summary *s,
                  struct err *e);
/* Frees s->create; a zeroed summary is fine. */
void check_summary_release(struct check_summary *s);

struct verify_object {
    long records;        /* records of this object in the portal */
    long with_source_id; /* of which carry the source-id property */
    long dup_source_id;  /* records repeating another's source id */
    long dup_email;      /* records repeating another's email */
    long ledger_written; /* records the ledger says were written */
};

struct verify_summary {
    struct verify_object objects[OBJ_COUNT];
    long links[LINK_COUNT];         /* associations of migrated records */
    long ledger_links[LINK_COUNT];  /* associations the ledger holds */
    long links_missing[LINK_COUNT]; /* of which the portal does not */
    /* Primary links in the ledger whose pair the portal holds without
     * the primary label (contact and deal to company). */
    long primary_missing[LINK_COUNT];
};

/* Reads every record back from the portal (list paging, 100 a page) and
 * counts records, duplicates and associations next to the ledger. */
int migrate_verify(const struct project_config *cfg,
                   const struct migrate_opts *o, struct verify_summary *s,
                   struct err *e);

#endif
