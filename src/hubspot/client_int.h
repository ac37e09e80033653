/* client_int.h: what the hubspot/ files share and nothing else sees. */
#ifndef HSM_HUBSPOT_CLIENT_INT_H
#define HSM_HUBSPOT_CLIENT_INT_H

#include <jansson.h>

#include "hubspot/batch.h"
#include "hubspot/parse.h"

struct err;
struct http_pool;

struct hs_client {
    struct http_pool *pool;
    char *base; /* no trailing slash */
};

/* Fills e for an unexpected status, with HubSpot's category and message
 * when the body has them. 404 gives ERR_NOTFOUND, the rest ERR_HTTP. */
int hs_status_error(struct err *e, const char *what, long status,
                    const json_t *body);

/* Appends "name=a,b,c" (escaped) to a query being built in b, with sep
 * ('?' or '&') before it; nothing when list is NULL or empty. Returns
 * the separator to use next. */
struct buf;
char hs_query_list(struct buf *b, char sep, const char *name,
                   const char *const *list);

/* Submits body (owned, freed here) to url and, when the answer comes,
 * parses it with spec against keys/ids (copied) and calls done. */
void hs_batch_submit(struct hs_client *c, const char *url, json_t *body,
                     const char *const *keys, const char *const *ids, size_t n,
                     const struct hs_match_spec *spec, hs_batch_done_fn done,
                     void *ud);

#endif
