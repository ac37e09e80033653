/* assoc_batch.c: the v4 association batch endpoints under
 * /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/. */
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "sandbox/assoc.h"
#include "sandbox/assoc_check.h"
#include "sandbox/assoc_store.h"
#include "sandbox/assoc_types.h"
#include "sandbox/assoc_util.h"
#include "sandbox/sb.h"

#define ASSOC_CREATE_MAX 2000
#define ASSOC_READ_MAX 1000
#define ASSOC_ARCHIVE_MAX 2000

/* The types from the path; answers 400 when either is unknown. */
int assoc_path_types(struct sb_request *req, struct sb_response *resp,
                     const char *from_key, const char *to_key, int *from,
                     int *to)
{
    const char *f = sb_param(req, from_key), *t = sb_param(req, to_key);

    *from = sb_otype_parse(f);
    *to = sb_otype_parse(t);
    if (*from != SB_OT_NONE && *to != SB_OT_NONE)
        return 0;
    sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                  "Unable to infer object type from: %s",
                  *from == SB_OT_NONE ? f : t);
    return -1;
}

/* body.inputs with at most max entries; answers 400 otherwise. */
static json_t *batch_inputs(struct sb_request *req, struct sb_response *resp,
                            size_t max)
{
    json_t *in = json_object_get(req->body, "inputs");

    if (!json_is_array(in)) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Invalid input JSON: a body with an inputs array is"
                      " required");
        return NULL;
    }
    if (json_array_size(in) > max) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "The maximum number of inputs supported in a batch is"
                      " %zu. Please reduce the number of items and try again",
                      max);
        return NULL;
    }
    return in;
}

/* Applies writes atomically: a savepoint nests in any outer transaction.
 * remove selects assoc_store_remove_types instead of a replacing set. */
int assoc_apply(sqlite3 *db, int from, int to, const struct assoc_pair *p,
                size_t n, enum assoc_op op, struct err *e)
{
    int rc = 0;

    sb_db_exec(db, "SAVEPOINT assoc_apply");
    for (size_t i = 0; !rc && i < n; i++) {
        const struct assoc_pair *q = &p[i];

        if (op == ASSOC_OP_REPLACE || op == ASSOC_OP_ADD)
            rc = assoc_store_set(db, from, q->from_id, to, q->to_id, q->types,
                                 (size_t)q->ntypes, op == ASSOC_OP_REPLACE, e);
        else if (op == ASSOC_OP_REMOVE_TYPES)
            rc = assoc_store_remove_types(db, from, q->from_id, to, q->to_id,
                                          q->types, (size_t)q->ntypes, e);
        else
            rc = assoc_store_remove_pair(db, from, q->from_id, to, q->to_id, e);
    }
    if (rc)
        sb_db_exec(db, "ROLLBACK TO assoc_apply");
    sb_db_exec(db, "RELEASE assoc_apply");
    return rc;
}

json_t *assoc_labels_pair(int from, int to, const struct assoc_pair *p)
{
    json_t *labels = json_array();

    for (int i = 0; i < p->ntypes; i++) {
        const struct assoc_type *t = assoc_type_find(from, to, p->types[i]);

        if (t && t->label)
            json_array_append_new(labels, json_string(t->label));
    }
    char fid[24], tid[24];

    /* The client's model types both ids as strings. */
    snprintf(fid, sizeof(fid), "%lld", (long long)p->from_id);
    snprintf(tid, sizeof(tid), "%lld", (long long)p->to_id);
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "fromObjectTypeId",
                     sb_otype_id(from), "fromObjectId", fid, "toObjectTypeId",
                     sb_otype_id(to), "toObjectId", tid, "labels", labels);
}

void assoc_internal_error(struct sb_response *resp, const struct err *e)
{
    log_error("sandbox: %s", e->msg);
    sb_resp_error(resp, 500, "INTERNAL_ERROR", NULL, "internal error");
}

/* Checks every input; the valid ones land in pairs, the others in errors. */
static size_t create_check_all(sqlite3 *db, int from, int to, json_t *inputs,
                               struct assoc_pair *pairs, json_t *errors)
{
    size_t i, n = 0;
    json_t *in, *err;

    json_array_foreach(inputs, i, in)
    {
        struct assoc_pair *p = &pairs[n];

        err = assoc_check_ends(
            db, from, to, json_object_get(json_object_get(in, "from"), "id"),
            json_object_get(json_object_get(in, "to"), "id"), p);
        if (!err)
            err = assoc_check_specs(from, to, json_object_get(in, "types"), p);
        if (err)
            json_array_append_new(errors, err);
        else
            n++;
    }
    return n;
}

static void batch_create(struct sb_request *req, struct sb_response *resp)
{
    int64_t started = sb_now_ms();
    json_t *inputs, *results, *errors;
    struct assoc_pair *pairs;
    struct err e = {0};
    int from, to, rc;
    size_t n;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "fromObjectType", "toObjectType", &from,
                         &to) ||
        !(inputs = batch_inputs(req, resp, ASSOC_CREATE_MAX)))
        return;
    pairs = xcalloc(json_array_size(inputs) + 1, sizeof(*pairs));
    errors = json_array();
    db = sb_db_lock(req->sb);
    n = create_check_all(db, from, to, inputs, pairs, errors);
    rc = assoc_apply(db, from, to, pairs, n, ASSOC_OP_REPLACE, &e);
    sb_db_unlock(req->sb);
    if (rc) {
        assoc_internal_error(resp, &e);
        json_decref(errors);
        goto out;
    }
    results = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(results, assoc_labels_pair(from, to, &pairs[i]));
    assoc_batch_respond(resp, 201, results, errors, started);
out:
    free(pairs);
}

/* The v4 batch/read result for one record's links. */
static json_t *read_result(int from, int to, const char *id,
                           const struct assoc_link *links, size_t n, bool more)
{
    json_t *arr = json_array(), *o;

    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, assoc_link_json(from, to, &links[i]));
    o = json_pack("{s:{s:s}, s:o}", "from", "id", id, "to", arr);
    if (more) {
        char after[24];

        snprintf(after, sizeof(after), "%lld", (long long)links[n - 1].to_id);
        json_object_set_new(o, "paging",
                            json_pack("{s:{s:s}}", "next", "after", after));
    }
    return o;
}

static json_t *no_links_error(int from, int to, const char *id)
{
    json_t *err =
        sb_error_item("OBJECT_NOT_FOUND",
                      json_pack("{s:[s], s:[s]}", "fromObjectId", id,
                                "toObjectType", sb_otype_singular(to)),
                      "No %s is associated with %s %s.", sb_otype_singular(to),
                      sb_otype_singular(from), id);

    json_object_set_new(err, "subCategory",
                        json_string("crm.associations.NO_ASSOCIATIONS_FOUND"));
    return err;
}

/* One batch/read input: appends to results or errors; -1 on store error. */
static int read_one(sqlite3 *db, int from, int to, json_t *in, json_t *results,
                    json_t *errors, struct err *e)
{
    const json_t *idv = json_object_get(in, "id");
    int64_t id, live = 0, after = 0;
    struct assoc_link *links = NULL;
    char idstr[24];
    size_t n = 0;
    bool more = false;

    if (assoc_json_id(idv, &id) < 0 ||
        (json_object_get(in, "after") &&
         assoc_str_id(json_string_value(json_object_get(in, "after")), &after) <
             0)) {
        json_array_append_new(errors,
                              sb_error_item("VALIDATION_ERROR", NULL,
                                            "Invalid input: id must be a"
                                            " record id and after a cursor"));
        return 0;
    }
    snprintf(idstr, sizeof(idstr), "%lld", (long long)id);
    if (assoc_record_find(db, from, id, &live) > 0 &&
        assoc_store_list(db, from, live, to, after, ASSOC_PAGE_MAX, &links, &n,
                         &more, e) < 0)
        return -1;
    if (n == 0)
        json_array_append_new(errors, no_links_error(from, to, idstr));
    else
        json_array_append_new(results,
                              read_result(from, to, idstr, links, n, more));
    free(links);
    return 0;
}

static void batch_read(struct sb_request *req, struct sb_response *resp)
{
    int64_t started = sb_now_ms();
    json_t *inputs, *in, *results, *errors;
    struct err e = {0};
    int from, to, rc = 0;
    size_t i;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "fromObjectType", "toObjectType", &from,
                         &to) ||
        !(inputs = batch_inputs(req, resp, ASSOC_READ_MAX)))
        return;
    results = json_array();
    errors = json_array();
    db = sb_db_lock(req->sb);
    json_array_foreach(inputs, i, in)
    {
        if ((rc = read_one(db, from, to, in, results, errors, &e)) < 0)
            break;
    }
    sb_db_unlock(req->sb);
    if (rc < 0) {
        json_decref(results);
        json_decref(errors);
        assoc_internal_error(resp, &e);
        return;
    }
    assoc_batch_respond(resp, 200, results, errors, started);
}

/* The live id for a path or body id: merged ids follow their survivor,
 * and ids of missing records stay as they are (nothing links to them). */
static int64_t live_id(sqlite3 *db, int ot, int64_t id)
{
    int64_t live;

    return assoc_record_find(db, ot, id, &live) > 0 ? live : id;
}

/* Parses batch/archive inputs into pairs; NULL (and a 400) when bad. */
static struct assoc_pair *archive_pairs(sqlite3 *db, int from, int to,
                                        json_t *inputs, size_t *n)
{
    struct assoc_pair *pairs = NULL;
    size_t i, j, cap = 0;
    json_t *in, *dest;
    int64_t fid, tid;

    *n = 0;
    json_array_foreach(inputs, i, in)
    {
        json_t *tos = json_object_get(in, "to");

        if (assoc_json_id(json_object_get(json_object_get(in, "from"), "id"),
                          &fid) < 0 ||
            !json_is_array(tos))
            goto bad;
        json_array_foreach(tos, j, dest)
        {
            if (assoc_json_id(json_object_get(dest, "id"), &tid) < 0)
                goto bad;
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                pairs = xrealloc(pairs, cap * sizeof(*pairs));
            }
            pairs[*n].from_id = live_id(db, from, fid);
            pairs[*n].to_id = live_id(db, to, tid);
            pairs[(*n)++].ntypes = 0;
        }
    }
    return pairs ? pairs : xcalloc(1, sizeof(*pairs));
bad:
    free(pairs);
    return NULL;
}

static void batch_archive(struct sb_request *req, struct sb_response *resp)
{
    struct assoc_pair *pairs;
    struct err e = {0};
    json_t *inputs;
    int from, to, rc = 0;
    size_t n;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "fromObjectType", "toObjectType", &from,
                         &to) ||
        !(inputs = batch_inputs(req, resp, ASSOC_ARCHIVE_MAX)))
        return;
    db = sb_db_lock(req->sb);
    pairs = archive_pairs(db, from, to, inputs, &n);
    if (pairs)
        rc = assoc_apply(db, from, to, pairs, n, ASSOC_OP_REMOVE_PAIR, &e);
    sb_db_unlock(req->sb);
    if (!pairs)
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Invalid input: each input needs from.id and a to"
                      " array of {id}");
    else if (rc)
        assoc_internal_error(resp, &e);
    else
        sb_resp_json(resp, 204, NULL);
    free(pairs);
}

/* Parses batch/labels/archive inputs; on a bad one, *err says why. */
static struct assoc_pair *label_pairs(sqlite3 *db, int from, int to,
                                      json_t *inputs, json_t **err)
{
    struct assoc_pair *pairs;
    size_t i;
    json_t *in;
    int64_t fid, tid;

    pairs = xcalloc(json_array_size(inputs) + 1, sizeof(*pairs));
    json_array_foreach(inputs, i, in)
    {
        if (assoc_json_id(json_object_get(json_object_get(in, "from"), "id"),
                          &fid) < 0 ||
            assoc_json_id(json_object_get(json_object_get(in, "to"), "id"),
                          &tid) < 0)
            *err = sb_error_item("VALIDATION_ERROR", NULL,
                                 "Invalid input: from.id and to.id must be"
                                 " record ids");
        else
            *err = assoc_check_specs(from, to, json_object_get(in, "types"),
                                     &pairs[i]);
        if (*err) {
            free(pairs);
            return NULL;
        }
        pairs[i].from_id = live_id(db, from, fid);
        pairs[i].to_id = live_id(db, to, tid);
    }
    return pairs;
}

static void batch_labels_archive(struct sb_request *req,
                                 struct sb_response *resp)
{
    struct assoc_pair *pairs;
    json_t *inputs, *err = NULL;
    struct err e = {0};
    int from, to, rc = 0;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "fromObjectType", "toObjectType", &from,
                         &to) ||
        !(inputs = batch_inputs(req, resp, ASSOC_ARCHIVE_MAX)))
        return;
    db = sb_db_lock(req->sb);
    pairs = label_pairs(db, from, to, inputs, &err);
    if (pairs)
        rc = assoc_apply(db, from, to, pairs, json_array_size(inputs),
                         ASSOC_OP_REMOVE_TYPES, &e);
    sb_db_unlock(req->sb);
    if (err) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL, "%s",
                      json_string_value(json_object_get(err, "message")));
        json_decref(err);
    } else if (rc) {
        assoc_internal_error(resp, &e);
    } else {
        sb_resp_json(resp, 204, NULL);
    }
    free(pairs);
}

json_t *assoc_default_results(int from, int to, const struct assoc_pair *p,
                              json_t *results)
{
    const struct assoc_type *t = assoc_type_default(from, to);
    char fid[24], tid[24];

    snprintf(fid, sizeof(fid), "%lld", (long long)p->from_id);
    snprintf(tid, sizeof(tid), "%lld", (long long)p->to_id);
    json_array_append_new(
        results,
        json_pack("{s:{s:s}, s:{s:s}, s:{s:s, s:i}}", "from", "id", fid, "to",
                  "id", tid, "associationSpec", "associationCategory",
                  "HUBSPOT_DEFINED", "associationTypeId", t->id));
    json_array_append_new(
        results,
        json_pack("{s:{s:s}, s:{s:s}, s:{s:s, s:i}}", "from", "id", tid, "to",
                  "id", fid, "associationSpec", "associationCategory",
                  "HUBSPOT_DEFINED", "associationTypeId", t->reverse_id));
    return results;
}

/* Checks default-association inputs; valid ones get the unlabeled type. */
static size_t default_check_all(sqlite3 *db, int from, int to, json_t *inputs,
                                struct assoc_pair *pairs, json_t *errors)
{
    int type_id = assoc_type_default(from, to)->id;
    size_t i, n = 0;
    json_t *in, *err;

    json_array_foreach(inputs, i, in)
    {
        err = assoc_check_ends(
            db, from, to, json_object_get(json_object_get(in, "from"), "id"),
            json_object_get(json_object_get(in, "to"), "id"), &pairs[n]);
        if (err) {
            json_array_append_new(errors, err);
            continue;
        }
        pairs[n].types[0] = type_id;
        pairs[n++].ntypes = 1;
    }
    return n;
}

int assoc_require_default(int from, int to, struct sb_response *resp)
{
    if (assoc_type_default(from, to))
        return 0;
    sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                  "There is no default association type from %s to %s",
                  sb_otype_singular(from), sb_otype_singular(to));
    return -1;
}

static void batch_default(struct sb_request *req, struct sb_response *resp)
{
    int64_t started = sb_now_ms();
    json_t *inputs, *results, *errors;
    struct assoc_pair *pairs;
    struct err e = {0};
    int from, to, rc;
    size_t n;
    sqlite3 *db;

    if (assoc_path_types(req, resp, "fromObjectType", "toObjectType", &from,
                         &to) ||
        assoc_require_default(from, to, resp) ||
        !(inputs = batch_inputs(req, resp, ASSOC_CREATE_MAX)))
        return;
    pairs = xcalloc(json_array_size(inputs) + 1, sizeof(*pairs));
    errors = json_array();
    db = sb_db_lock(req->sb);
    n = default_check_all(db, from, to, inputs, pairs, errors);
    rc = assoc_apply(db, from, to, pairs, n, ASSOC_OP_ADD, &e);
    sb_db_unlock(req->sb);
    if (rc) {
        json_decref(errors);
        assoc_internal_error(resp, &e);
        goto out;
    }
    results = json_array();
    for (size_t i = 0; i < n; i++)
        assoc_default_results(from, to, &pairs[i], results);
    assoc_batch_respond(resp, 200, results, errors, started);
out:
    free(pairs);
}

#define BATCH_PATH "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch"

const struct sb_route sb_assoc_routes[] = {
    {"POST", BATCH_PATH "/create", batch_create, SB_ROUTE_BATCH},
    {"POST", BATCH_PATH "/read", batch_read, SB_ROUTE_BATCH | SB_ROUTE_READ},
    {"POST", BATCH_PATH "/archive", batch_archive, SB_ROUTE_BATCH},
    {"POST", BATCH_PATH "/labels/archive", batch_labels_archive,
     SB_ROUTE_BATCH},
    {"POST", BATCH_PATH "/associate/default", batch_default, SB_ROUTE_BATCH},
    {"GET", "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels",
     assoc_get_labels, 0},
    {"GET",
     "/crm/v4/objects/{objectType}/{objectId}/associations/"
     "{toObjectType}",
     assoc_get_page, 0},
    {"PUT",
     "/crm/v4/objects/{objectType}/{objectId}/associations/default/"
     "{toObjectType}/{toObjectId}",
     assoc_put_default, 0},
    {"PUT",
     "/crm/v4/objects/{objectType}/{objectId}/associations/"
     "{toObjectType}/{toObjectId}",
     assoc_put_labels, 0},
    {"DELETE",
     "/crm/v4/objects/{objectType}/{objectId}/associations/"
     "{toObjectType}/{toObjectId}",
     assoc_delete_pair, 0},
    {0},
};
