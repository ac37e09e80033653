/* rollback_int.h: state shared by the steps of one rollback.
 *
 * Runs are undone one at a time, newest first (--all), each through
 * these steps, each in waves of a few batches in flight: restore values
 * (rollback_values.c), remove associations (rollback_unlink.c) and
 * archive records (rollback_records.c), then forget the run's remaining
 * ledger rows. The SQL over the ledger lives in rollback_ledger.c.
 */
#ifndef HSM_MIGRATE_ROLLBACK_INT_H
#define HSM_MIGRATE_ROLLBACK_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "migrate/rollback.h"

struct hs_client;
struct ledger;
struct sqlite3;

/* Records per wave and batch: a wave is a few batches in flight. */
#define RB_BATCH 100

struct rb {
    const struct project_config *cfg;
    const struct rollback_opts *o;
    struct rollback_summary *s;
    struct ledger *ledger;
    struct sqlite3 *db;
    struct hs_client *hs;
    int64_t run_sel;    /* the run being undone (0: all, only to plan) */
    const char *object; /* the object undone, NULL for all */
    int64_t rb_id;      /* the rollback's own row in runs */
    int failed;
    struct err fail;
};

/* One line of what a rollback did, for the ledger and the report. */
struct rb_item {
    const char *object;
    const char *hubspot_id;
    const char *source_id;
    const char *action;   /* "restore", "archive", "unlink", "forget" */
    const char *property; /* restore: the property; unlink: the pair */
    const char *value;    /* restore: the value put back or left */
    const char *outcome;  /* "restored", "changed", "archived", ... */
    const char *detail;
};

/* Records the first error that must stop the rollback. */
void rb_fail(struct rb *r, const struct err *e);

/* The records per wave: concurrency batches. */
size_t rb_wave(const struct rb *r);

/* Ledger helpers (rollback_ledger.c). */
void rbl_prepare(struct rb *r);
int rbl_latest_run(struct rb *r, int64_t *run_id, struct err *e);
/* The command of ledger row id in runs, or "" when there is none. */
int rbl_run_command(struct rb *r, int64_t id, char *cmd, size_t size,
                    struct err *e);
/* The runs the selection still holds something of, newest first; *ids is
 * allocated. */
int rbl_runs(struct rb *r, int64_t **ids, size_t *n, struct err *e);
/* Bracket the undoing of run_sel: its row in run_rollbacks. */
int rbl_run_begin(struct rb *r, struct err *e);
void rbl_run_end(struct rb *r, const char *status);
int rbl_plan(struct rb *r, struct rollback_plan *p, struct err *e);
int rbl_item(struct rb *r, const struct rb_item *it);
int rbl_begin(struct rb *r);
int rbl_commit(struct rb *r);
/* Whether hubspot_id is a record the rollback archives. */
int rbl_is_created(struct rb *r, const char *object, const char *hubspot_id);
int rbl_forget_rest(struct rb *r, struct err *e);
int rbl_report(struct rb *r, struct err *e);

/* Steps. Each returns 0 or the error that stops the rollback. */
int rb_values(struct rb *r, int k, struct err *e);
int rb_unlink(struct rb *r, struct err *e);
int rb_archive(struct rb *r, int k, struct err *e);

/* Runs the pool until the wave is done; folds in callback failures. */
int rb_drain(struct rb *r, struct err *e);

#endif
