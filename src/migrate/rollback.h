/* rollback.h: undoing migration runs from the ledger.
 *
 * A rollback archives the records a run created, restores the property
 * values it replaced on records that already existed, and removes the
 * associations it created, and nothing else. A value someone changed in
 * the portal since the run is left alone and reported; a record merged
 * since the run is followed to its survivor, or reported where following
 * it would touch a record the run did not create.
 *
 * Everything it does is recorded in the ledger (rollback_items, keyed by
 * the rollback's own row in runs) as each batch completes, and the rows it
 * has undone leave the migration's tables, so a killed rollback resumes
 * where it stopped, a second one finds nothing to do, and a later `run`
 * migrates the undone records again.
 *
 * Nothing here prints: the plan goes to a confirm callback, results to
 * struct rollback_summary and PROJECT_DIR/reports/rollback.csv.
 */
#ifndef HSM_MIGRATE_ROLLBACK_H
#define HSM_MIGRATE_ROLLBACK_H

#include <jansson.h>
#include <stdint.h>

#include "config/project.h"

struct err;

/* What a rollback will do, counted before anything is written. */
struct rollback_plan {
    int64_t run_id;          /* the run undone; 0 for every run */
    long archive[OBJ_COUNT]; /* records the runs created */
    long lookup[OBJ_COUNT];  /* unconfirmed writes: looked up first */
    long restore[OBJ_COUNT]; /* records whose values are restored */
    long values[OBJ_COUNT];  /* property values to restore */
    long assocs[OBJ_COUNT];  /* created associations, by "from" object */
    long forget[OBJ_COUNT];  /* other ledger rows of the runs */
    long calls;              /* API calls needed, at most */
};

struct rollback_counts {
    long archived; /* records archived */
    long gone;     /* already archived or deleted in the portal */
    long restored; /* property values restored */
    long changed;  /* values changed since the run: left alone */
    long followed; /* merged records followed to their survivor */
    long kept;     /* merged into a record the run did not create */
    long unlinked; /* associations removed */
    long failed;   /* refused by HubSpot: see the report */
};

struct rollback_summary {
    struct rollback_plan plan;
    struct rollback_counts objects[OBJ_COUNT];
    long api_calls;
    long unknown; /* requests without a usable answer; rerun to settle */
    int64_t rollback_id;
};

/* 1 when the plan holds nothing to undo or forget. */
int rollback_plan_empty(const struct rollback_plan *p);

/* Called with the plan before the first write; return 1 to go on. */
typedef int (*rollback_confirm_fn)(const struct rollback_plan *p, void *ud);

struct rollback_opts {
    const char *api_base;
    const char *token; /* never logged or stored */
    int64_t run_id;    /* 0: the latest migration run */
    int all;           /* every run in the ledger */
    int object;        /* an enum object_kind, or -1 for all */
    int dry_run;       /* plan only */
    rollback_confirm_fn confirm;
    void *confirm_ud;
    volatile int *stop; /* set by a signal handler: stop cleanly */
};

/* Plans and, unless dry_run or refused, performs the rollback. Returns 0
 * (values may have been left alone: see the counts), ERR_USAGE when
 * nothing matches or the confirmation was refused, ERR_AUTH, ERR_QUOTA,
 * ERR_INTERRUPTED, ERR_HTTP when some requests got no answer, or another
 * error that stopped it. */
int rollback_run(const struct project_config *cfg,
                 const struct rollback_opts *o, struct rollback_summary *s,
                 struct err *e);

struct ledger;

/* Every run in the ledger, oldest first, for status: id, command,
 * started_at and finished_at (ISO 8601, null when unknown), status, and
 * rolled_back: null when no rollback undid any of it, else {state
 * ("complete" when the ledger holds nothing of the run left to undo,
 * else "partial"), left (those ledger rows), rollbacks: [{id, object
 * (null: every object), started_at, finished_at, status, archived,
 * restored, unlinked, gone, left_alone, failed}]}. *runs is new. */
int rollback_history(struct ledger *l, json_t **runs, struct err *e);

#endif
