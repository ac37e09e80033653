/* pipelines.h: deal pipelines and their stages (/crm/v3/pipelines/deals)
 * and the check the objects API applies to a deal's dealstage.
 */
#ifndef HSM_SANDBOX_PIPELINES_H
#define HSM_SANDBOX_PIPELINES_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

/* The pipeline a deal lands in when a write names none. */
#define PIPELINES_DEFAULT_ID "default"

enum pipelines_check {
    PIPELINES_BAD_PIPELINE = -1,
    PIPELINES_BAD_STAGE = -2,
};

/* Checks a deal's pipeline and stage ids as HubSpot does on a write:
 * pipeline NULL means the default pipeline, stage NULL means only the
 * pipeline is checked. Returns 0 when valid; otherwise a PIPELINES_BAD_*
 * code with msg set to HubSpot's INVALID_OPTION message, e.g. "x is not
 * a valid pipeline stage ID. Valid options are: pipelineId=default :
 * [a, b]". Call it with the store locked. */
int pipelines_check_deal(sqlite3 *db, const char *pipeline, const char *stage,
                         char *msg, size_t size);

/* The check for a record write, before its values are validated: for a
 * deal whose props (the request's properties object) set pipeline or
 * dealstage, the stage must belong to the pipeline the deal ends up in
 * (current holds the stored values on an update, NULL on a create).
 * Returns NULL when the write may go on, else a newly allocated
 * "Property values were not valid: [...]" message with INVALID_OPTION. */
char *pipelines_check_write(sqlite3 *db, int ot, const json_t *props,
                            const json_t *current);

#endif
