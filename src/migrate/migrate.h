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
    long created;   /* associations written this run */
    long known;     /* written by an earlier run */
    long missing;   /* an end was never migrated: reported */
    long rejected;
};

struct migrate_summary {
    struct object_counts objects[OBJ_COUNT];
    struct link_counts links[LINK_COUNT];
    long properties_created;
    long api_calls;
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

typedef void (*migrate_progress_fn)(const struct migrate_progress *p,
                                    void *ud);

struct migrate_opts {
    const char *api_base;  /* e.g. https://api.hubapi.com */
    const char *token;     /* never logged or stored */
    migrate_progress_fn progress;
    void *progress_ud;
    volatile int *stop;    /* set by a signal handler: stop cleanly */
};

/* Runs the migration. Returns 0 (rows may still have been rejected: see
 * the summary), ERR_AUTH, ERR_QUOTA (stopped by the daily floor; rerun
 * later), ERR_INTERRUPTED, or another error that stopped a phase. */
int migrate_run(const struct project_config *cfg,
                const struct migrate_opts *o, struct migrate_summary *s,
                struct err *e);

#endif
