/* batch.h: HubSpot's batch endpoints, with results matched to inputs.
 *
 * HubSpot returns batch results in no particular order, so every result
 * is matched back to its input by key (the idProperty value, the record
 * id, or the objectWriteTraceId this layer puts on each write input),
 * never by position. The callback receives one hs_result per input, in
 * INPUT order.
 *
 * Nothing here splits batches: the caller passes at most 100 inputs
 * (2,000 for association creates) and decides what to do with
 * HS_BATCH_FAILED (typically: split and send the halves again).
 *
 * Every write carries a unique objectWriteTraceId per input (its index in
 * the batch), which is what makes HubSpot answer 207 with per-input
 * errors instead of failing the whole batch on the first bad input.
 *
 * The pool retries writes whose response was lost. Upserts on a unique
 * key make that harmless; hs_batch_create does not, so prefer upsert.
 */
#ifndef HSM_HUBSPOT_BATCH_H
#define HSM_HUBSPOT_BATCH_H

#include <jansson.h>
#include <stddef.h>

struct hs_client;

#define HS_BATCH_MAX 100
#define HS_ASSOC_BATCH_MAX 2000

struct hs_input {
    const char *key;    /* value of id_property (upsert, create, read) */
    json_t *properties; /* borrowed; property name -> string value */
    const char *id;     /* HubSpot record id (update, archive) */
};

enum hs_outcome {
    HS_OK = 0,
    HS_REJECTED,     /* this input's own error: see category, message */
    HS_BATCH_FAILED, /* the whole batch failed; the caller may split it.
                        A batch of one never gets this: it is REJECTED */
    HS_NOT_FOUND,    /* read, update or archive of a record that is not
                        there */
    HS_TRANSPORT,    /* no usable answer (network, 5xx after retries,
                        401/403/429/477, stopped, or HubSpot's response did not
                        mention this input): outcome unknown, retry later */
};

/* Every pointer is valid only during the callback. */
struct hs_result {
    enum hs_outcome outcome;
    const char *key;          /* the input's key (or id when keyed by id) */
    const char *hubspot_id;   /* the record id, when known */
    int is_new;               /* upsert: HubSpot created it; create: 1 */
    long status;              /* HTTP status of the batch answer, 0 if none */
    const char *category;     /* HubSpot's error category, e.g.
                                 VALIDATION_ERROR, CONFLICT */
    const char *message;      /* HubSpot's message, or the transport error */
    const char *code;         /* a value error's code, e.g. INVALID_OPTION */
    const char *bad_property; /* the property a value error names */
    const char *detail;       /* that value error's own message */
    const char *existing_id;  /* "Contact already exists. Existing ID: N" */
    json_t *properties;       /* OK results: returned values (borrowed) */
    int more;                 /* association read: HubSpot has more links
                                 than this first page */
};

/* results has n entries, in input order. */
typedef void (*hs_batch_done_fn)(struct hs_result *results, size_t n, void *ud);

/* POST /crm/v3/objects/{object}/batch/upsert keyed on id_property (a
 * unique-value property, or "email" for contacts). inputs[i].key is the
 * key value; properties must not repeat a key within the batch. */
void hs_batch_upsert(struct hs_client *c, const char *object,
                     const char *id_property, const struct hs_input *inputs,
                     size_t n, hs_batch_done_fn done, void *ud);

/* POST .../batch/update by record id (inputs[i].id); results keyed by id.
 * A record that is gone comes back HS_NOT_FOUND. */
void hs_batch_update(struct hs_client *c, const char *object,
                     const struct hs_input *inputs, size_t n,
                     hs_batch_done_fn done, void *ud);

/* POST .../batch/create. Results are matched by trace id, or by
 * key_property's value in the returned properties (may be NULL). Not
 * idempotent: a retried create after a lost response can duplicate. */
void hs_batch_create(struct hs_client *c, const char *object,
                     const char *key_property, const struct hs_input *inputs,
                     size_t n, hs_batch_done_fn done, void *ud);

/* POST .../batch/archive of record ids. HubSpot answers 204 for the whole
 * batch, so every input is HS_OK or they all share the failure. */
void hs_batch_archive(struct hs_client *c, const char *object,
                      const char *const *ids, size_t n, hs_batch_done_fn done,
                      void *ud);

/* POST .../batch/read of keys: record ids when id_property is NULL, else
 * values of id_property (emails matched case-insensitively). properties
 * is a NULL-terminated list of names to return (id_property is added).
 * Misses are HS_NOT_FOUND; hits carry properties. */
void hs_batch_read(struct hs_client *c, const char *object,
                   const char *id_property, const char *const *keys, size_t n,
                   const char *const *properties, hs_batch_done_fn done,
                   void *ud);

#endif
