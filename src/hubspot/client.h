/* client.h: a typed HubSpot CRM client over the HTTP pool.
 *
 * The client owns its pool. Asynchronous helpers (batch.h, assoc.h)
 * queue requests and return; their callbacks run inside http_pool_run,
 * which the caller drives (hs_client_run). Synchronous helpers below
 * submit one request and run the pool until everything queued is done,
 * queued asynchronous work included, so they must not be called from
 * inside a callback.
 *
 * JSON returned through a json_t ** is owned by the caller
 * (json_decref). The sandbox portal speaks the same API at
 * http://127.0.0.1:PORT; the client knows nothing of it.
 */
#ifndef HSM_HUBSPOT_CLIENT_H
#define HSM_HUBSPOT_CLIENT_H

#include <jansson.h>

#include "http/pool.h"

struct err;
struct hs_client;

#define HS_DEFAULT_BASE_URL "https://api.hubapi.com"

/* base_url NULL means HS_DEFAULT_BASE_URL; a trailing slash is dropped.
 * opts->token is the access token (copied, never logged). */
int hs_client_new(const char *base_url, const struct http_pool_opts *opts,
                  struct hs_client **out, struct err *e);
void hs_client_free(struct hs_client *c);
struct http_pool *hs_client_pool(struct hs_client *c);
const char *hs_client_base_url(const struct hs_client *c);

/* Runs the pool until all queued work is done (http_pool_run). */
int hs_client_run(struct hs_client *c, struct err *e);

/* base + path, with path already escaped where needed. Caller frees. */
char *hs_client_url(const struct hs_client *c, const char *path);

/* Percent-encodes s for a path segment or a query value. Caller frees. */
char *hs_url_escape(const char *s);

/* One request, run to completion. *status gets the HTTP status; *out
 * (may be NULL) the parsed body, or NULL when empty or not JSON. Returns
 * 0 when an HTTP answer came (whatever its status), else the pool's error
 * or ERR_HTTP for a transport failure. body may be NULL. */
int hs_request(struct hs_client *c, const char *method, const char *path,
               const json_t *body, int kind, long *status, json_t **out,
               struct err *e);

/* Several GETs sent at once, run to completion: status[i] and bodies[i]
 * (parsed, or NULL; the caller's) for paths[i]. Returns 0 when every
 * one got an HTTP answer, whatever its status. */
int hs_get_many(struct hs_client *c, const char *const *paths, size_t n,
                long *status, json_t **bodies, struct err *e);

#define HS_PORTAL_OBJECTS_MAX 4

/* The reads a migration starts with, sent together rather than one
 * after another. Set what to read; the rest is filled in. */
struct hs_portal_reads {
    const char *objects[HS_PORTAL_OBJECTS_MAX]; /* properties of each */
    size_t nobjects;
    int want_pipelines; /* GET /crm/v3/pipelines/deals */
    int want_owners;    /* every owner, active and archived, every page */
    json_t *properties[HS_PORTAL_OBJECTS_MAX]; /* results arrays */
    long pipelines_status;
    json_t *pipelines; /* the results array, when 200 */
    json_t *owners;    /* as hs_owners_list_all gives them */
};

/* Reads what r asks for. A property list or the owners not answered
 * 200 is an error naming it; the pipelines' status is left to the
 * caller. */
int hs_portal_read(struct hs_client *c, struct hs_portal_reads *r,
                   struct err *e);

/* Frees what hs_portal_read filled in. */
void hs_portal_reads_release(struct hs_portal_reads *r);

/* GET /crm/v3/properties/{object}: *out = the results array. */
int hs_properties_list(struct hs_client *c, const char *object, json_t **out,
                       struct err *e);

/* POST /crm/v3/properties/{object}. A 409 (the name exists) is not an
 * error: *existed = 1. */
int hs_property_create(struct hs_client *c, const char *object,
                       const json_t *def, int *existed, struct err *e);

/* GET /crm/v3/properties/{object}/{name}: *out = the property. A 404
 * is ERR_NOTFOUND. */
int hs_property_get(struct hs_client *c, const char *object, const char *name,
                    json_t **out, struct err *e);

/* PATCH /crm/v3/properties/{object}/{name} with a PropertyUpdate body:
 * HubSpot overwrites the fields sent, and options sent replace the whole
 * list, so an update of options must carry every option to keep. *out =
 * the property as HubSpot now has it. */
int hs_property_update(struct hs_client *c, const char *object,
                       const char *name, const json_t *update, json_t **out,
                       struct err *e);

/* GET /crm/v3/owners, active then archived, 100 per page: *out = one
 * array of every owner (archived ones have "archived": true). */
int hs_owners_list_all(struct hs_client *c, json_t **out, struct err *e);

/* GET /crm/v3/pipelines/{object}: *out = the results array. */
int hs_pipelines_list(struct hs_client *c, const char *object, json_t **out,
                      struct err *e);

/* GET /crm/v3/objects/{object}/{id}[?idProperty=]: *out = the record.
 * properties is NULL-terminated or NULL. A 404 is ERR_NOTFOUND. */
int hs_get_object(struct hs_client *c, const char *object, const char *id,
                  const char *id_property, const char *const *properties,
                  json_t **out, struct err *e);

/* Called per page with the page's results array (borrowed). Return
 * nonzero to stop early. */
typedef int (*hs_page_fn)(const json_t *results, void *ud);

/* Pages through GET /crm/v3/objects/{object}?limit=100 with the given
 * properties and associations (NULL-terminated lists or NULL). */
int hs_list_objects_all(struct hs_client *c, const char *object,
                        const char *const *properties,
                        const char *const *associations, hs_page_fn fn,
                        void *ud, struct err *e);

/* POST /crm/v3/objects/{object}/search with request (filterGroups,
 * sorts, properties, limit, after): *out = the whole response. Paced by
 * the limiter's search bucket. */
int hs_search_page(struct hs_client *c, const char *object,
                   const json_t *request, json_t **out, struct err *e);

/* POST /crm/v3/objects/{object}/merge: *out = the surviving record
 * (its id may differ from primary_id). */
int hs_merge(struct hs_client *c, const char *object, const char *primary_id,
             const char *merge_id, json_t **out, struct err *e);

#endif
