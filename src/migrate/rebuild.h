/* rebuild.h: rebuilding a lost ledger from the portal.
 *
 * Every record a run writes carries its source id in the project's
 * source-id property. rebuild_ledger lists the portal's records (list
 * paging, 100 a page), keeps those that carry a source id, and walks the
 * project's export: each source row whose id is in the portal is recorded
 * in the ledger with that HubSpot id; a contact row whose id is not there
 * but whose email belongs to a record carrying another row's id is
 * recorded as folded into that row, as `run` does; every other row is
 * listed in PROJECT_DIR/reports/ledger-rebuild.csv.
 *
 * Rebuilt records are marked as having existed before any run, with no
 * digest of their values: a later `run` updates them in place (creating
 * nothing), and `rollback` never archives them. Rows the ledger already
 * holds are kept as they are.
 */
#ifndef HSM_MIGRATE_REBUILD_H
#define HSM_MIGRATE_REBUILD_H

#include "config/project.h"

struct err;

struct rebuild_counts {
    long portal;  /* portal records carrying a source id */
    long rows;    /* live source rows read */
    long mapped;  /* rows mapped to a record by source id */
    long folded;  /* contact rows folded into another row by email */
    long missing; /* rows with no record: see the report */
    long kept;    /* rows the ledger already held, their record live */
    long gone;    /* rows the ledger held whose record the portal lost */
    long skipped; /* converted leads */
};

struct rebuild_summary {
    struct rebuild_counts objects[OBJ_COUNT];
    long api_calls;
};

struct rebuild_opts {
    const char *api_base;
    const char *token; /* never logged or stored */
};

int rebuild_ledger(const struct project_config *cfg,
                   const struct rebuild_opts *o, struct rebuild_summary *s,
                   struct err *e);

#endif
