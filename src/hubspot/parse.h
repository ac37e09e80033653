/* parse.h: HubSpot's response bodies turned into per-input results.
 *
 * Pure functions over a status and a body: no I/O, so the matching rules
 * are tested with JSON strings alone (tests/unit/test_hubspot_parse.c).
 */
#ifndef HSM_HUBSPOT_PARSE_H
#define HSM_HUBSPOT_PARSE_H

#include <jansson.h>
#include <stddef.h>

#include "hubspot/batch.h"

/* What one HubSpot error object says. Strings point into json that
 * hs_error_info_parse stores in keep (a JSON array the caller owns). */
struct hs_error_info {
    const char *category;
    const char *message;
    const char *code;
    const char *bad_property;
    const char *detail;
    const char *existing_id;
};

/* Reads a top-level Error or a StandardError from a 207's errors[]:
 * category, message, the "Property values were not valid: [...]"
 * envelope (code, property, detail of its first entry), an errors[]
 * ErrorDetail with context.propertyName, and the id in "Existing ID: N".
 * Missing fields stay NULL. */
void hs_error_info_parse(const json_t *err, json_t *keep,
                         struct hs_error_info *out);

/* How results find their inputs. */
struct hs_match_spec {
    const char *id_property;  /* match properties[id_property] to keys */
    int by_id;                /* match result "id" to inputs' id or key */
    int caseless;             /* keys compare case-insensitively (email) */
    int missing_is_not_found; /* reads: an unmentioned input is a miss */
    int missing_is_ok;        /* 2xx without errors covers every input */
    int trace_ids;            /* inputs carried objectWriteTraceId = index */
};

/* Owns what the results point into. */
struct hs_batch_outcome {
    struct hs_result *results;
    size_t n;
    json_t *root; /* the parsed body */
    json_t *keep; /* strings and envelopes the results point into */
};

/* Fills out with one result per input, in input order. keys[i] (and
 * ids[i], may be NULL) are what input i is matched on; they are stored
 * in results[i].key. transport_error, when non-NULL, means no HTTP answer
 * came. Release with hs_batch_outcome_release. */
void hs_batch_parse(long status, const char *body, const char *transport_error,
                    const char *const *keys, const char *const *ids, size_t n,
                    const struct hs_match_spec *spec,
                    struct hs_batch_outcome *out);

/* n results, each HS_TRANSPORT with status and key keys[i] (or ids[i]
 * when the key is NULL; ids may be NULL). */
void hs_batch_outcome_init(struct hs_batch_outcome *out, long status,
                           const char *const *keys, const char *const *ids,
                           size_t n);
void hs_batch_outcome_release(struct hs_batch_outcome *o);

/* Copies the error's fields into r and sets its outcome. */
void hs_result_set_error(struct hs_result *r, enum hs_outcome oc,
                         const struct hs_error_info *info);

/* One failure for every input of a non-2xx answer: HS_TRANSPORT for
 * 401, 403, 429 and 5xx, HS_REJECTED for a batch of one, else
 * HS_BATCH_FAILED. out->root must hold the parsed body (or NULL). */
void hs_batch_fail_all(struct hs_batch_outcome *out, long status);

/* Extracts N from "... Existing ID: N" into out (size >= 24); 0 when
 * found, -1 when not. */
int hs_parse_existing_id(const char *message, char *out, size_t size);

#endif
