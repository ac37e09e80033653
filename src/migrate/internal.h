/* internal.h: state shared by the phases of one migration run. */
#ifndef HSM_MIGRATE_INTERNAL_H
#define HSM_MIGRATE_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "csv/reader.h"
#include "mapping/map.h"
#include "migrate/migrate.h"

struct ledger;
struct hs_client;

struct mig {
    const struct project_config *cfg;
    const struct migrate_opts *opts;
    struct migrate_summary *sum;
    struct ledger *ledger;
    struct hs_client *hs;
    int64_t run_id;
    enum csv_encoding enc;
    json_t *prop_types[OBJ_COUNT];  /* property name -> HubSpot type */
    json_t *readonly[OBJ_COUNT];    /* property name -> true */
    json_t *owner_ids;              /* source user id -> owner id */
    json_t *schema[OBJ_COUNT];      /* property name -> definition */
    json_t *user_emails;            /* source user id -> lowercased email */
    json_t *owner_emails;           /* lowercased email -> owner id */
    json_t *archived_owners;        /* owner id -> true */
    json_t *pipelines;              /* deal pipelines, or NULL if unknown */
    struct hs_portal_reads *portal; /* what the portal said at the start */
    int portal_owned;               /* read here, not handed over */
    char *pipeline_id;              /* deals.pipeline resolved to an id */
    char *default_owner_id;         /* owners.default resolved to an id */
    struct map_ctx mctx[OBJ_COUNT];
    /* The first error that must stop the run, raised inside a callback
     * where it cannot be returned. */
    int failed;
    struct err fail;
    /* Rows whose outcome is unknown (no answer after every retry); a
     * rerun settles them. */
    long incomplete;
    /* check: read the portal, write nothing; planned changes are
     * counted instead. */
    int dry_run;
    long planned_properties;
    /* The source-id property did not exist before this run (check: is
     * missing), so no record holds a value of it yet. */
    int fresh_id[OBJ_COUNT];
};

/* Records a fatal error (the first one wins) and asks the pool to stop. */
void mig_fail(struct mig *m, const struct err *e);

/* Reports progress when the caller asked for it. */
void mig_progress(struct mig *m, const char *phase, long done, long total);

/* Copies the HTTP pool's request counts into m->sum. */
void mig_collect_stats(struct mig *m);

/* Releases what the schema and owner phases loaded. */
void mig_release_schema(struct mig *m);

/* Reads the deal pipelines when the mapping needs them and resolves
 * deals.pipeline; a pipeline the portal lacks is a config error. */
int mig_pipelines(struct mig *m, struct err *e);

/* Creates the properties and options that check planned (o->create). */
int mig_create_planned(struct mig *m, struct err *e);

/* Points each object's mapping context at the run's owners, stages and
 * property types. */
void mig_setup_contexts(struct mig *m);

/* Whether the mapping needs the deal pipelines. */
int mig_needs_pipelines(const struct project_config *cfg);

/* Reads the portal's properties, owners and pipelines in one go (or
 * takes what check read: o->portal). */
int mig_read_portal(struct mig *m, struct err *e);

/* Phases, in order. Each returns 0 or the error that stops the run. */
int mig_schema(struct mig *m, struct err *e);
int mig_owners(struct mig *m, struct err *e);
int mig_records(struct mig *m, enum object_kind k, struct err *e);
int mig_links(struct mig *m, struct err *e);
struct link_map;
struct sf_reader;
/* HubSpot's unlabeled association type of a link kind. */
int mig_link_unlabeled_type(enum link_kind k);
/* The primary type of a kind (deal to contact has none: its only type). */
int mig_link_primary_type(enum link_kind k);
/* The v3 embedded association type ("contact_to_company") of a primary
 * company link from object k, or NULL when k has none. */
const char *mig_primary_company_name(enum object_kind k);
/* A config error when the link's columns are not in its file. */
int mig_link_columns(const struct mig *m, const struct link_map *lm,
                     struct sf_reader *rd, struct err *e);

/* Reads src's file once for the slash dates whose order plan learns
 * (map_plan_learn); nothing when it learns none. */
int mig_learn_dates(const struct mig *m, const struct object_source *src,
                    struct map_plan *plan, struct err *e);

/* Writes reports/<object>-success.csv and -errors.csv from the ledger. */
int mig_reports(struct mig *m, struct err *e);

#endif
