/* doctor.h: finding and repairing duplicates and missing links in a
 * portal, whatever tool made them.
 *
 * doctor_run reads every record of the objects asked for (list paging,
 * 100 a page; it never needs search), groups records that share a key
 * (contacts: a normalized email, hs_additional_emails included;
 * companies: a normalized domain; every object: a source-id value), picks
 * a survivor per group, and, with a project, finds contacts and deals
 * that the export links to a company or contact but that have no such
 * association in the portal. Everything found goes to the report, one row
 * per record of each group and one per missing link, with the proposed
 * action and why. With fix, each group is merged into its survivor with
 * the merge API (the survivor's id is re-read from every answer), the
 * missing associations are created, the ledger (when there is one)
 * follows the merges, and every change is recorded.
 *
 * Nothing here prints: results go to struct doctor_summary and the
 * report.
 */
#ifndef HSM_MIGRATE_DOCTOR_H
#define HSM_MIGRATE_DOCTOR_H

#include <stddef.h>

#include "config/project.h"

struct err;

/* Pure helpers, exposed for tests. */

/* Trims and lowercases an email; out gets "" when in holds none. out
 * needs size bytes; returns 1 when out is a key. */
int doctor_norm_email(const char *in, char *out, size_t size);

/* A company domain as a key: scheme, "www.", port, path, query and a
 * trailing dot removed, lowercased. Returns 1 when out is a key. */
int doctor_norm_domain(const char *in, char *out, size_t size);

/* One record of a duplicate group, as the survivor choice sees it. */
struct doctor_cand {
    const char *id;
    int has_source_id;
    const char *created; /* ISO 8601, or "" when unknown */
    int filled;          /* properties with a value */
};

enum doctor_why {
    DOCTOR_WHY_SOURCE_ID, /* the only one holding the source id */
    DOCTOR_WHY_OLDEST,
    DOCTOR_WHY_COMPLETE, /* the most complete */
    DOCTOR_WHY_LOWEST_ID,
};

/* The survivor of a group of n >= 1 candidates: the one holding the
 * source id, else the oldest, else the most complete, else the lowest
 * id. Returns its index and sets *why. */
size_t doctor_survivor(const struct doctor_cand *c, size_t n,
                       enum doctor_why *why);
const char *doctor_why_text(enum doctor_why why);

struct doctor_counts {
    long records;       /* records read */
    long groups;        /* duplicate groups */
    long duplicates;    /* records that would be merged away */
    long merged;        /* records merged away by --fix */
    long links_missing; /* links the export has and the portal lacks */
    long links_created; /* created by --fix */
    long failed;        /* changes HubSpot refused */
};

struct doctor_summary {
    struct doctor_counts objects[OBJ_COUNT];
    long api_calls;
};

struct doctor_opts {
    const char *api_base;
    const char *token;                /* never logged or stored */
    const char *id_property;          /* the source-id property */
    const struct project_config *cfg; /* NULL: no project, no links */
    const char *report_path;
    int object; /* an enum object_kind, or -1 for all */
    int fix;
};

int doctor_run(const struct doctor_opts *o, struct doctor_summary *s,
               struct err *e);

#endif
