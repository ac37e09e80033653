/* assoc_record.c: the per-record v4 association endpoints under
 * /crm/v4/objects/{objectType}/{objectId}/associations/, and the labels
 * list under /crm/v4/associations/{from}/{to}/labels. */
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "sandbox/assoc.h"
#include "sandbox/assoc_store.h"
#include "sandbox/assoc_types.h"
#include "sandbox/assoc_util.h"

void assoc_get_labels(struct sb_request *req, struct sb_response *resp)
{
    const struct assoc_type *t;
    json_t *results;
    int from, to, pos = 0;

    if (assoc_path_types(req, resp, "fromObjectType", "toObjectType", &from,
                         &to))
        return;
    results = json_array();
    while ((t = assoc_type_next(from, to, &pos)))
        json_array_append_new(results, assoc_type_json(from, to, t->id));
    sb_resp_json(resp, 200, json_pack("{s:o}", "results", results));
}

/* Answers 400 with a StandardError item's category, message and context,
 * and frees the item. */
static void answer_item(struct sb_response *resp, json_t *item)
{
    json_t *ctx = json_object_get(item, "context");

    sb_resp_error(resp, 400,
                  json_string_value(json_object_get(item, "category")),
                  json_object_size(ctx) ? json_incref(ctx) : NULL, "%s",
                  json_string_value(json_object_get(item, "message")));
    json_decref(item);
}

/* Reads limit and after for the list endpoint; 400 when malformed. */
static int page_params(struct sb_request *req, struct sb_response *resp,
                       int *limit, int64_t *after)
{
    const char *l = sb_query(req, "limit"), *a = sb_query(req, "after");
    int64_t v = ASSOC_PAGE_MAX;

    *after = 0;
    if ((l && assoc_str_id(l, &v) < 0) || (a && assoc_str_id(a, after) < 0)) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "limit must be a positive integer and after a cursor"
                      " from a previous page");
        return -1;
    }
    /* Larger pages are cut to the documented maximum. */
    *limit = v > ASSOC_PAGE_MAX ? ASSOC_PAGE_MAX : (int)v;
    return 0;
}

static json_t *page_body(int from, int to, const struct assoc_link *links,
                         size_t n, bool more)
{
    json_t *results = json_array(), *o;

    for (size_t i = 0; i < n; i++)
        json_array_append_new(results, assoc_link_json(from, to, &links[i]));
    o = json_pack("{s:o}", "results", results);
    if (more) {
        char after[24];

        snprintf(after, sizeof(after), "%lld", (long long)links[n - 1].to_id);
        json_object_set_new(o, "paging",
                            json_pack("{s:{s:s}}", "next", "after", after));
    }
    return o;
}

void assoc_get_page(struct sb_request *req, struct sb_response *resp)
{
    struct assoc_link *links = NULL;
    int64_t id, live, after;
    struct err e = {0};
    int from, to, limit, rc = 0;
    bool more = false;
    size_t n = 0;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "objectType", "toObjectType", &from, &to) ||
        page_params(req, resp, &limit, &after))
        return;
    if (assoc_str_id(sb_param(req, "objectId"), &id) < 0) {
        sb_resp_json(resp, 200, json_pack("{s:[]}", "results"));
        return;
    }
    db = sb_db_lock(req->sb);
    if (assoc_record_find(db, from, id, &live) > 0)
        rc = assoc_store_list(db, from, live, to, after, limit, &links, &n,
                              &more, &e);
    sb_db_unlock(req->sb);
    if (rc)
        assoc_internal_error(resp, &e);
    else
        sb_resp_json(resp, 200, page_body(from, to, links, n, more));
    free(links);
}

/* Resolves both records of a per-record write; answers 400 if either is
 * missing. Called with the store locked. */
static int record_pair(struct sb_request *req, struct sb_response *resp,
                       sqlite3 *db, int from, int to, struct assoc_pair *p)
{
    json_t *f = json_string(sb_param(req, "objectId"));
    json_t *t = json_string(sb_param(req, "toObjectId"));
    json_t *err = assoc_check_ends(db, from, to, f, t, p);

    json_decref(f);
    json_decref(t);
    if (!err)
        return 0;
    answer_item(resp, err);
    return -1;
}

void assoc_put_default(struct sb_request *req, struct sb_response *resp)
{
    int64_t started = sb_now_ms();
    struct assoc_pair p = {0};
    struct err e = {0};
    int from, to, rc;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "objectType", "toObjectType", &from, &to) ||
        assoc_require_default(from, to, resp))
        return;
    p.types[0] = assoc_type_default(from, to)->id;
    p.ntypes = 1;
    db = sb_db_lock(req->sb);
    rc = record_pair(req, resp, db, from, to, &p);
    if (!rc && (rc = assoc_apply(db, from, to, &p, 1, ASSOC_OP_ADD, &e)))
        assoc_internal_error(resp, &e);
    sb_db_unlock(req->sb);
    if (!rc)
        sb_resp_json(
            resp, 200,
            assoc_batch_body(assoc_default_results(from, to, &p, json_array()),
                             json_array(), started));
}

void assoc_put_labels(struct sb_request *req, struct sb_response *resp)
{
    struct assoc_pair p = {0};
    struct err e = {0};
    int from, to, rc;
    json_t *err;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "objectType", "toObjectType", &from, &to))
        return;
    if ((err = assoc_check_specs(from, to, req->body, &p))) {
        answer_item(resp, err);
        return;
    }
    db = sb_db_lock(req->sb);
    rc = record_pair(req, resp, db, from, to, &p);
    if (!rc && (rc = assoc_apply(db, from, to, &p, 1, ASSOC_OP_REPLACE, &e)))
        assoc_internal_error(resp, &e);
    sb_db_unlock(req->sb);
    if (!rc)
        sb_resp_json(resp, 201, assoc_labels_pair(from, to, &p));
}

void assoc_delete_pair(struct sb_request *req, struct sb_response *resp)
{
    struct assoc_pair p = {0};
    struct err e = {0};
    int from, to, rc = 0;
    int64_t fid, tid;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "objectType", "toObjectType", &from, &to))
        return;
    if (assoc_str_id(sb_param(req, "objectId"), &fid) < 0 ||
        assoc_str_id(sb_param(req, "toObjectId"), &tid) < 0) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "record ids must be positive integers");
        return;
    }
    db = sb_db_lock(req->sb);
    if (assoc_record_find(db, from, fid, &p.from_id) <= 0)
        p.from_id = fid;
    if (assoc_record_find(db, to, tid, &p.to_id) <= 0)
        p.to_id = tid;
    rc = assoc_apply(db, from, to, &p, 1, ASSOC_OP_REMOVE_PAIR, &e);
    sb_db_unlock(req->sb);
    if (rc)
        assoc_internal_error(resp, &e);
    else
        sb_resp_json(resp, 204, NULL);
}
