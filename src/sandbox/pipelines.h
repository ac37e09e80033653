/* pipelines.h: deal pipelines and their stages (/crm/v3/pipelines/deals)
 * and the check the objects API applies to a deal's dealstage.
 */
#ifndef HSM_SANDBOX_PIPELINES_H
#define HSM_SANDBOX_PIPELINES_H

#include <sqlite3.h>
#include <stddef.h>

/* The pipeline a deal lands in when a write names none. */
#define PIPELINES_DEFAULT_ID "default"

/* Checks a deal's pipeline and stage ids as HubSpot does on a write:
 * pipeline NULL means the default pipeline, stage NULL means only the
 * pipeline is checked. Returns 0 when valid; otherwise -1 with msg set
 * to HubSpot's INVALID_OPTION message, e.g. "x is not a valid pipeline
 * stage ID. Valid options are: pipelineId=default : [a, b]". Call it
 * with the store locked. */
int pipelines_check_deal(sqlite3 *db, const char *pipeline, const char *stage,
                         char *msg, size_t size);

#endif
