/* sf_defaults.h: the default mapping of a Salesforce export to HubSpot.
 *
 * `init` starts every project from this table, keeping only the columns
 * the export really has. Standard HubSpot properties only: anything else
 * is listed as unmapped so the user decides.
 */
#ifndef HSM_MAPPING_SF_DEFAULTS_H
#define HSM_MAPPING_SF_DEFAULTS_H

#include <jansson.h>
#include <stddef.h>

#include "config/project.h"

/* What init learned about one file of the export. */
struct export_file {
    const char *object; /* "Contact" */
    int present;
    long rows; /* live rows (IsDeleted = 0) */
    long deleted;
    long unreadable; /* rows the reader could not parse (warned) */
    size_t ncols;
    char **cols;
    json_t *distinct_stages; /* Opportunity: StageName -> count */
};

/* The Salesforce objects init looks for, in migration order. */
#define SF_NOBJECTS 6
extern const char *const sf_objects[SF_NOBJECTS];

/* Fills cfg's objects, links, owners and stage map from the export.
 * cfg->source_type, input_dir and encoding are the caller's. */
void sf_defaults_apply(struct project_config *cfg,
                       const struct export_file files[SF_NOBJECTS],
                       int skip_converted_leads);

/* Returns 1 when column of object is used by the mapping or as an id or
 * link, so init can list the columns it leaves out. */
int sf_defaults_column_used(const struct project_config *cfg,
                            const char *object, const char *column);

/* HubSpot's default stage id for a Salesforce stage label. *guessed is
 * set when the label is not one of Salesforce's standard stages. */
const char *sf_defaults_stage(const char *label, int *guessed);

#endif
