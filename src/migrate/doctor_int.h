/* doctor_int.h: state shared by doctor's passes.
 *
 * The portal's records, their keys and their associations are read into
 * an in-memory SQLite database (doctor_store.c), so grouping is a join
 * and memory holds no more than the portal's ids and keys.
 */
#ifndef HSM_MIGRATE_DOCTOR_INT_H
#define HSM_MIGRATE_DOCTOR_INT_H

#include <stdint.h>

#include "core/err.h"
#include "migrate/doctor.h"

struct csv_writer;
struct hs_client;
struct ledger;
struct sqlite3;
struct sqlite3_stmt;

struct doc {
    const struct doctor_opts *o;
    struct doctor_summary *s;
    struct sqlite3 *db; /* in memory: recs, keys, links */
    struct hs_client *hs;
    struct csv_writer *report;
    struct ledger *ledger; /* the project's, or NULL */
    int64_t run_id;        /* doctor's row in the ledger's runs */
    enum object_kind k;    /* the object being read */
    struct sqlite3_stmt *ins_rec, *ins_key, *ins_link, *ins_primary;
    long group_no;
    int failed;
    struct err err;
};

int doc_in_scope(const struct doc *d, enum object_kind k);

/* doctor_store.c */
int doc_store_open(struct doc *d, struct err *e);
void doc_store_close(struct doc *d);
/* Forgets what was read and reads every object in scope again. */
int doc_store_load(struct doc *d, struct err *e);
/* The live record carrying a source id (the lowest id when several). */
int doc_store_by_sid(struct doc *d, enum object_kind k, const char *sid,
                     char *id);
int doc_store_linked(struct doc *d, enum object_kind from, const char *from_id,
                     enum object_kind to, const char *to_id);
/* 1 when the portal listed a live record with this id. */
int doc_store_has(struct doc *d, enum object_kind k, const char *id);
/* 1 when the record had no primary company (in the portal, or given by
 * doctor already) and now has it claimed; 0 when it has one. */
int doc_store_claim_primary(struct doc *d, enum object_kind k, const char *id);

/* One report row: object, group, hubspot_id, role, key, action, why,
 * outcome. */
int doc_report(struct doc *d, const char *const f[8], struct err *e);
/* Records a change in the ledger, when there is one. */
void doc_change(struct doc *d, const char *object, const char *action,
                const char *id, const char *other, const char *detail);

/* doctor.c: duplicate groups; doctor_links.c: missing links. */
int doc_groups(struct doc *d, enum object_kind k, struct err *e);
int doc_links(struct doc *d, struct err *e);

#endif
