/* assoc.h: v4 association batches, matched to inputs by id pair.
 *
 * Results reuse struct hs_result, in input order: key is the pair's
 * from_id and hubspot_id its to_id. Association writes are idempotent
 * (creating a link that exists is harmless), so the pool's retries are
 * safe here.
 */
#ifndef HSM_HUBSPOT_ASSOC_H
#define HSM_HUBSPOT_ASSOC_H

#include <stddef.h>

#include "hubspot/batch.h"

struct hs_client;

/* HubSpot-defined association type ids (HUBSPOT_DEFINED). */
#define HS_ASSOC_CONTACT_TO_COMPANY 279
#define HS_ASSOC_CONTACT_TO_COMPANY_PRIMARY 1
#define HS_ASSOC_COMPANY_TO_CONTACT 280
#define HS_ASSOC_COMPANY_TO_CONTACT_PRIMARY 2
#define HS_ASSOC_DEAL_TO_CONTACT 3
#define HS_ASSOC_CONTACT_TO_DEAL 4
#define HS_ASSOC_DEAL_TO_COMPANY 341
#define HS_ASSOC_DEAL_TO_COMPANY_PRIMARY 5
#define HS_ASSOC_COMPANY_TO_DEAL 342
#define HS_ASSOC_COMPANY_TO_DEAL_PRIMARY 6

#define HS_ASSOC_READ_MAX 1000

struct hs_assoc {
    const char *from_id;
    const char *to_id;
    int type_id;          /* e.g. HS_ASSOC_DEAL_TO_COMPANY_PRIMARY */
    const char *category; /* NULL means "HUBSPOT_DEFINED" */
};

/* POST /crm/v4/associations/{from}/{to}/batch/create, at most 2,000
 * pairs. HubSpot stores the unlabeled type along with a primary one. */
void hs_assoc_batch_create(struct hs_client *c, const char *from_object,
                           const char *to_object, const struct hs_assoc *pairs,
                           size_t n, hs_batch_done_fn done, void *ud);

/* POST .../batch/labels/archive: removes only the given type of each
 * pair (removing the unlabeled type removes every label). */
void hs_assoc_batch_labels_archive(struct hs_client *c, const char *from_object,
                                   const char *to_object,
                                   const struct hs_assoc *pairs, size_t n,
                                   hs_batch_done_fn done, void *ud);

/* POST .../batch/archive: removes every association between each pair. */
void hs_assoc_batch_archive(struct hs_client *c, const char *from_object,
                            const char *to_object, const struct hs_assoc *pairs,
                            size_t n, hs_batch_done_fn done, void *ud);

/* POST .../batch/read of from ids, at most 1,000. results[i].properties
 * is HubSpot's "to" array for from_ids[i]: [{toObjectId,
 * associationTypes:[{category, typeId, label}]}], or NULL when the record
 * has none (HubSpot's NO_ASSOCIATIONS_FOUND error is HS_OK with NULL
 * here). Only the first page of each record's links is read;
 * results[i].more says HubSpot has more. */
void hs_assoc_batch_read(struct hs_client *c, const char *from_object,
                         const char *to_object, const char *const *from_ids,
                         size_t n, hs_batch_done_fn done, void *ud);

/* Pure matching of an association batch answer, for tests: pairs are
 * (from_ids[i], to_ids[i]); to_ids NULL means a read keyed by from id. */
struct hs_batch_outcome;
void hs_assoc_parse(long status, const char *body, const char *transport_error,
                    const char *const *from_ids, const char *const *to_ids,
                    size_t n, struct hs_batch_outcome *out);

#endif
