/* ledger.h: the SQLite ledger in a project directory.
 *
 * The ledger is hsmigrate's single source of truth: which source record
 * became which HubSpot record, whether that record was created by a run or
 * already existed (and what values the run replaced on it), every
 * association a run created, every rejected row with HubSpot's reason, and
 * where each phase stands. Resume, status, reports and rollback all read
 * it. Every write happens inside a transaction that the caller commits
 * after each batch, so a kill at any moment loses at most the batch in
 * flight, and that batch is redone safely because writes are upserts.
 *
 * Ownership: struct ledger is created by ledger_open and released by
 * ledger_close (NULL ok). Strings passed in are copied by SQLite.
 */
#ifndef HSM_STORE_LEDGER_H
#define HSM_STORE_LEDGER_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct ledger;

/* Where a source record stands. */
enum ledger_state {
    LEDGER_PENDING = 0,  /* looked up, write not yet confirmed */
    LEDGER_CREATED = 1,  /* the run created the HubSpot record */
    LEDGER_EXISTED = 2,  /* the record existed before; the run updated it */
    LEDGER_REJECTED = 3, /* HubSpot (or the mapping) refused the row */
    LEDGER_MERGED = 4,   /* folded into another source row (same email) */
};

struct ledger_record {
    char object[16];
    char source_id[64];
    char hubspot_id[32];
    int state;
    int existed_before; /* the pre-write lookup found the record */
    char hash[20];      /* hex digest of the values last written */
    char merged_into[64];
};

/* Opens (creating it owner-only) the ledger at path. A ledger of an
 * older layout is brought up to date, in place and in one transaction;
 * one of a newer layout than this build knows is refused (ERR_DB). */
int ledger_open(const char *path, struct ledger **out, struct err *e);
void ledger_close(struct ledger *l);

int ledger_begin(struct ledger *l, struct err *e);
int ledger_commit(struct ledger *l, struct err *e);
int ledger_rollback_tx(struct ledger *l);

/* Starts a run and returns its id; ledger_run_finish records the end. */
int ledger_run_start(struct ledger *l, const char *command, int64_t *run_id,
                     struct err *e);
int ledger_run_finish(struct ledger *l, int64_t run_id, const char *status,
                      struct err *e);

/* Phase bookkeeping: "schema", "companies", "contacts", "deals",
 * "links". */
int ledger_phase_set(struct ledger *l, const char *phase, const char *status,
                     struct err *e);
/* Fills status (at least 16 bytes); "" when the phase never started. */
int ledger_phase_get(struct ledger *l, const char *phase, char *status,
                     size_t size, struct err *e);
/* A run starts: every phase an earlier run reached is "pending" again. */
int ledger_phases_reset(struct ledger *l, struct err *e);
/* A run ends: a phase still "running" takes the run's status. */
int ledger_phases_settle(struct ledger *l, const char *status, struct err *e);

/* Returns 1 and fills rec when the record is known, 0 when not. */
int ledger_record_get(struct ledger *l, const char *object,
                      const char *source_id, struct ledger_record *rec,
                      struct err *e);
/* Inserts or replaces the record row (all fields of rec). file and line
 * locate the source row; run_id is the current run. A row keeps the run
 * it belongs to (the one that created or found its HubSpot record) when
 * a later run writes to the same record again: rollback of that later
 * run restores the values it replaced (its pre-images) and archives
 * nothing. */
int ledger_record_put(struct ledger *l, const struct ledger_record *rec,
                      const char *file, long line, int64_t run_id,
                      struct err *e);
/* HubSpot id for a source id, following a MERGED row to its primary.
 * Returns 1 and fills hubspot_id (32 bytes) when known and written. */
int ledger_resolve(struct ledger *l, const char *object, const char *source_id,
                   char *hubspot_id, struct err *e);
/* ledger_resolve, also telling whether the source id's own record is one
 * this project created (*created; not followed through a merge) and
 * whether the record it resolves to was in the portal before any run
 * (*existed, followed through a merge). Either may be NULL. */
int ledger_resolve_created(struct ledger *l, const char *object,
                           const char *source_id, char *hubspot_id,
                           int *created, int *existed, struct err *e);

/* Records the value a run is about to replace on a record (one that
 * existed before, or that an earlier run wrote). Pre-images are kept per
 * run, record and property, and only the first of a run is kept, so a
 * retried batch never records the run's own value as the original. */
int ledger_preimage_put(struct ledger *l, int64_t run_id, const char *object,
                        const char *hubspot_id, const char *property,
                        const char *old_value, const char *new_value,
                        struct err *e);

/* Associations: returns 1 when the pair is already recorded. */
int ledger_assoc_known(struct ledger *l, const char *from_object,
                       const char *from_id, const char *to_object,
                       const char *to_id, int type_id, struct err *e);
/* Returns 1 when from_id already has an association of type_id to a
 * record other than to_id (a record has one primary company). */
int ledger_assoc_other(struct ledger *l, const char *from_object,
                       const char *from_id, int type_id, const char *to_id,
                       struct err *e);
/* created: 1 when the run created it, 0 when it existed already. */
int ledger_assoc_put(struct ledger *l, int64_t run_id, const char *from_object,
                     const char *from_id, const char *to_object,
                     const char *to_id, int type_id, int created,
                     struct err *e);

/* A rejected row or an unresolvable link, with the reason. */
struct ledger_problem {
    const char *object;
    const char *file;
    long line;
    const char *source_id;
    const char *phase; /* "records", "links", "mapping" */
    const char *field;
    const char *value;
    const char *category;
    const char *message;
};
int ledger_problem_add(struct ledger *l, int64_t run_id,
                       const struct ledger_problem *p, struct err *e);
/* Forgets earlier problems of a source row once it lands. */
int ledger_problem_clear(struct ledger *l, const char *object,
                         const char *source_id, const char *phase,
                         struct err *e);

/* The same, for one field only (a row can feed several links). */
int ledger_problem_clear_field(struct ledger *l, const char *object,
                               const char *source_id, const char *phase,
                               const char *field, struct err *e);

/* The email index used to fold source rows that share an email. */
int ledger_email_reset(struct ledger *l, struct err *e);
/* Returns 1 and fills primary (64 bytes) with the first source id seen
 * for this email, or 0 after registering source_id as that first one. */
int ledger_email_claim(struct ledger *l, const char *email,
                       const char *source_id, char *primary, struct err *e);

/* Counts for status and summaries. */
struct ledger_counts {
    long created, existed, rejected, merged, pending;
};
int ledger_count_records(struct ledger *l, const char *object,
                         struct ledger_counts *c, struct err *e);
int ledger_count_assocs(struct ledger *l, const char *from_object,
                        const char *to_object, long *created, long *existed,
                        struct err *e);
int ledger_count_problems(struct ledger *l, const char *object,
                          const char *phase, long *n, struct err *e);

/* The raw handle, for report writers that run their own SELECTs. */
struct sqlite3 *ledger_db(struct ledger *l);

#endif
