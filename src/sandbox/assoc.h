/* assoc.h: the v4 association endpoints (route table sb_assoc_routes)
 * and what their two files share.
 */
#ifndef HSM_SANDBOX_ASSOC_H
#define HSM_SANDBOX_ASSOC_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "sandbox/assoc_check.h"
#include "sandbox/sb.h"

struct err;

/* The per-record list page size: default and maximum. */
#define ASSOC_PAGE_MAX 500

enum assoc_op {
    ASSOC_OP_REPLACE,      /* the listed types become the pair's set */
    ASSOC_OP_ADD,          /* the listed types join what is there */
    ASSOC_OP_REMOVE_TYPES, /* the listed labels go (unlabeled: all) */
    ASSOC_OP_REMOVE_PAIR,  /* every type between the pair goes */
};

extern const struct sb_route sb_assoc_routes[];

/* Reads the object types named by two path parameters; on an unknown one
 * answers 400 and returns -1. */
int assoc_path_types(struct sb_request *req, struct sb_response *resp,
                     const char *from_key, const char *to_key, int *from,
                     int *to);
/* Answers 400 and returns -1 when from -> to has no default type. */
int assoc_require_default(int from, int to, struct sb_response *resp);

/* Applies op to n pairs in one savepoint; all or nothing. */
int assoc_apply(sqlite3 *db, int from, int to, const struct assoc_pair *p,
                size_t n, enum assoc_op op, struct err *e);

/* A LabelsBetweenObjectPair for the types in p. */
json_t *assoc_labels_pair(int from, int to, const struct assoc_pair *p);
/* Appends the two PublicDefaultAssociation items (both directions) of a
 * default link to results, and returns results. */
json_t *assoc_default_results(int from, int to, const struct assoc_pair *p,
                              json_t *results);
void assoc_internal_error(struct sb_response *resp, const struct err *e);

/* Per-record handlers (assoc_record.c). */
void assoc_get_labels(struct sb_request *req, struct sb_response *resp);
void assoc_get_page(struct sb_request *req, struct sb_response *resp);
void assoc_put_default(struct sb_request *req, struct sb_response *resp);
void assoc_put_labels(struct sb_request *req, struct sb_response *resp);
void assoc_delete_pair(struct sb_request *req, struct sb_response *resp);

#endif
