/* sb.h: the sandbox's internal framework: routes, requests, responses,
 * shared state and HubSpot's error bodies. Every endpoint family includes
 * this and nothing from the HubSpot client side.
 *
 * Adding endpoints
 * ----------------
 * A family (say associations) lives in its own file and exports one table
 * ending with an all-zero entry:
 *
 *     const struct sb_route sb_assoc_routes[] = {
 *         {"POST", "/crm/v4/associations/{fromType}/{toType}/batch/create",
 *          assoc_batch_create, SB_ROUTE_BATCH},
 *         {0},
 *     };
 *
 * router.c lists every family's table (sb_route_tables); the tables of
 * families not yet written are weak references, so adding the file that
 * defines one is all it takes. A pattern segment in braces captures that
 * path segment, read with sb_param(req, "fromType"). When two patterns
 * match, the one with more literal segments wins, so ".../groups" beats
 * ".../{propertyName}".
 *
 * Before a handler runs, the router has checked the token, counted the
 * request against the rate limits, parsed the JSON body (400 if it does
 * not parse) and assigned a correlation id. A handler fills the response
 * with sb_resp_json or one of the error helpers. It takes the store with
 * sb_db_lock and releases it with sb_db_unlock before returning; nothing
 * slow (latency) happens under that lock.
 */
#ifndef HSM_SANDBOX_SB_H
#define HSM_SANDBOX_SB_H

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox/ratelimit.h"
#include "sandbox/sandbox.h"

#define SB_MAX_SEGS 16
#define SB_MAX_HEADERS 12
#define SB_NAME_MAX 48
#define SB_MAX_BODY (16 * 1024 * 1024)
#define SB_BATCH_MAX 100

struct sb_state;

struct sb_query_param {
    char *key;
    char *value;
};

struct sb_request {
    struct sb_state *sb;
    const char *method;
    const char *path;
    const struct sb_route *route;
    int nsegs;
    char *segs[SB_MAX_SEGS];               /* the path split at '/' */
    char pnames[SB_MAX_SEGS][SB_NAME_MAX]; /* pattern names, or "" */
    int nquery;
    struct sb_query_param *query;
    json_t *body; /* NULL when the request had no body */
    const char *correlation_id;
};

struct sb_header {
    char *name;
    char *value;
};

struct sb_response {
    int status;
    json_t *body; /* owned by the response; NULL sends no body */
    int nheaders;
    struct sb_header headers[SB_MAX_HEADERS];
    char correlation_id[40];
};

typedef void (*sb_handler)(struct sb_request *req, struct sb_response *resp);

enum sb_route_flags {
    SB_ROUTE_NOAUTH = 1, /* admin: no token, no rate limit, not counted */
    SB_ROUTE_SEARCH = 2, /* search bucket, no rate-limit headers */
    SB_ROUTE_READ = 4,   /* a POST that writes nothing (batch/read) */
    SB_ROUTE_BATCH = 8,  /* latency grows with body.inputs */
};

struct sb_route {
    const char *method;
    const char *pattern;
    sb_handler fn;
    unsigned flags;
};

/* Finds the route for method and the path split into segs; fills pnames
 * with the names its pattern gives to the segments. NULL when none. */
const struct sb_route *sb_route_find(const char *method, char **segs, int nsegs,
                                     char pnames[][SB_NAME_MAX]);

struct sb_faults {
    double error_rate; /* share answered with one of statuses */
    int statuses[8];
    int nstatuses;
    double drop_rate; /* share of writes committed, response dropped */
    uint64_t rng;
};

/* Shared state. Fields below the mutexes are guarded by them. */
struct sb_state {
    struct sandbox_config cfg;
    char *token;
    char *db_path; /* NULL: in memory */
    pthread_mutex_t db_lock;
    sqlite3 *db;
    int64_t db_locked_us;       /* when the lock was taken, at -vv; else 0 */
    pthread_mutex_t state_lock; /* limits, faults, rng */
    struct sb_limits limits;
    struct sb_faults faults;
    uint64_t shuffle_rng;
    uint64_t uuid_rng;
    int in_flight; /* requests past the gate, not yet answered */
};

/* Object types. The store keys objects by the plural name. */
enum sb_otype {
    SB_OT_NONE = -1,
    SB_OT_CONTACTS = 0,
    SB_OT_COMPANIES,
    SB_OT_DEALS,
    SB_OT_COUNT
};

/* Accepts "contacts", "contact", "0-1" and so on; SB_OT_NONE if not. */
int sb_otype_parse(const char *s);
const char *sb_otype_name(int ot);     /* "contacts" */
const char *sb_otype_id(int ot);       /* "0-1" */
const char *sb_otype_upper(int ot);    /* "CONTACT" */
const char *sb_otype_singular(int ot); /* "contact" */

/* Requests. */
/* The object type of the {objectType} segment; on an unknown type fills
 * resp with HubSpot's 400 and returns SB_OT_NONE. */
int sb_req_otype(const struct sb_request *req, struct sb_response *resp);
const char *sb_param(const struct sb_request *req, const char *name);
const char *sb_query(const struct sb_request *req, const char *key);
/* Values of key, repeated or comma-separated, as a new JSON array of
 * strings; NULL when the key is absent. */
json_t *sb_query_list(const struct sb_request *req, const char *key);
/* 1 for "true", 0 for "false" or absent, -1 for anything else. */
int sb_query_bool(const struct sb_request *req, const char *key);

/* Responses. Each takes ownership of body. */
void sb_resp_json(struct sb_response *resp, int status, json_t *body);
void sb_resp_header(struct sb_response *resp, const char *name,
                    const char *value);
/* HubSpot's top-level Error: {status, message, correlationId, category}
 * plus context when non-NULL (ownership taken). */
void sb_resp_error(struct sb_response *resp, int status, const char *category,
                   json_t *context, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A StandardError item for a batch's errors[] array. */
json_t *sb_error_item(const char *category, json_t *context, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));
void sb_resp_not_found(struct sb_response *resp);
/* A batch response: {status:"COMPLETE", results, startedAt, completedAt},
 * plus numErrors and errors when errors is a non-empty array. Takes a
 * reference to neither argument. */
json_t *sb_batch_body(json_t *results, json_t *errors);

/* The store. */
sqlite3 *sb_db_lock(struct sb_state *sb);
void sb_db_unlock(struct sb_state *sb);
/* Runs one statement with no results; returns 0 or -1. */
int sb_db_exec(sqlite3 *db, const char *sql);
/* Prepared statements come from a cache per connection (stmt.c): use
 * sb_stmt_prepare and sb_stmt_release in place of sqlite3_prepare_v2 and
 * sqlite3_finalize. Release resets the statement and clears its bindings
 * (unbound parameters are NULL again); a statement is never handed out
 * twice before it is released. Returns an SQLite result code. */
int sb_stmt_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out);
void sb_stmt_release(sqlite3_stmt *st);
/* Finalizes every cached statement of db; call before closing it. */
void sb_stmt_forget(sqlite3 *db);

/* Helpers. */
int64_t sb_now_ms(void);
/* Formats epoch ms as ISO 8601 into a 32-byte buffer. */
void sb_iso(int64_t ms, char out[32]);
void sb_uuid(struct sb_state *sb, char out[40]);
uint64_t sb_rng_next(uint64_t *state);
/* Permutes results in place; never leaves two or more in their order. */
void sb_shuffle(struct sb_state *sb, json_t *array);

#endif
