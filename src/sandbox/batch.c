/* batch.c: the objects API's batch endpoints and the rules HubSpot
 * applies to them: at most 100 inputs; results in an order that is not
 * the input order; per-input errors (207) only when every input carries
 * an objectWriteTraceId, otherwise the first bad input fails the whole
 * batch and nothing of it is written. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "sandbox/objects.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

#define HISTORY_BATCH_MAX 50

struct batch {
    struct sb_request *req;
    struct sb_response *resp;
    int ot;
    sqlite3 *db; /* set while the store is locked */
    struct sb_propdefs defs;
    json_t *inputs;
    int traced;
    json_t *results;
    json_t *errors;
};

typedef int (*batch_op)(struct batch *b, json_t *input, struct sb_op_error *oe);

static int all_traced(json_t *inputs)
{
    json_t *in;
    size_t i;

    json_array_foreach(inputs, i, in)
    {
        if (!json_string_length(json_object_get(in, "objectWriteTraceId")))
            return 0;
    }
    return json_array_size(inputs) > 0;
}

/* Checks the body's shape; 0, or -1 after answering 400. */
static int batch_open(struct batch *b, struct sb_request *req,
                      struct sb_response *resp)
{
    size_t max = SB_BATCH_MAX;

    memset(b, 0, sizeof(*b));
    b->req = req;
    b->resp = resp;
    if ((b->ot = sb_req_otype(req, resp)) == SB_OT_NONE)
        return -1;
    b->inputs = json_object_get(req->body, "inputs");
    if (!json_is_array(b->inputs)) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "inputs must be an array");
        return -1;
    }
    if (json_array_size(json_object_get(req->body, "propertiesWithHistory")))
        max = HISTORY_BATCH_MAX;
    if (json_array_size(b->inputs) > max) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      max == SB_BATCH_MAX
                          ? "The maximum number of inputs supported in a "
                            "batch is 100. Please reduce the number of items "
                            "and try again"
                          : "The maximum number of inputs supported in a "
                            "batch request for property histories is 50. "
                            "Please reduce the number of items and try "
                            "again");
        return -1;
    }
    b->traced = all_traced(b->inputs);
    b->results = json_array();
    b->errors = json_array();
    return 0;
}

static void batch_close(struct batch *b)
{
    if (b->db)
        sb_db_unlock(b->req->sb);
    sb_propdefs_release(&b->defs);
    json_decref(b->results);
    json_decref(b->errors);
}

static void batch_lock(struct batch *b)
{
    b->db = sb_db_lock(b->req->sb);
    sb_propdefs_load(b->db, sb_otype_name(b->ot), &b->defs);
}

/* One input in traced mode: its own savepoint, its own error item. */
static void run_traced(struct batch *b, batch_op op, json_t *in)
{
    struct sb_op_error oe = {0};
    json_t *trace = json_object_get(in, "objectWriteTraceId");

    sb_db_exec(b->db, "SAVEPOINT input");
    if (op(b, in, &oe) < 0) {
        json_t *item;
        sb_db_exec(b->db, "ROLLBACK TO input");
        item = sb_op_error_item(&oe);
        json_object_set_new(json_object_get(item, "context"),
                            "objectWriteTraceId", json_pack("[O]", trace));
        json_array_append_new(b->errors, item);
    }
    sb_db_exec(b->db, "RELEASE input");
    sb_op_error_release(&oe);
}

/* Runs op over every input in one transaction. Returns 0, or -1 after
 * answering with the first failure (nothing written). */
static int batch_run(struct batch *b, batch_op op)
{
    struct sb_op_error oe = {0};
    json_t *in;
    size_t i;

    sb_db_exec(b->db, "BEGIN IMMEDIATE");
    json_array_foreach(b->inputs, i, in)
    {
        if (b->traced) {
            run_traced(b, op, in);
        } else if (op(b, in, &oe) < 0) {
            sb_db_exec(b->db, "ROLLBACK");
            sb_op_error_respond(&oe, b->resp);
            sb_op_error_release(&oe);
            return -1;
        }
    }
    sb_db_exec(b->db, "COMMIT");
    return 0;
}

static void batch_answer(struct batch *b, int ok_status)
{
    sb_shuffle(b->req->sb, b->results);
    sb_resp_json(b->resp, json_array_size(b->errors) > 0 ? 207 : ok_status,
                 sb_batch_body(b->results, b->errors));
}

/* Appends the record as a result, echoing the input's trace id. */
static void add_result(struct batch *b, int64_t id, json_t *in, int is_new)
{
    json_t *o = sb_obj_json_all(b->db, b->ot, id);
    json_t *trace = json_object_get(in, "objectWriteTraceId");

    if (trace)
        json_object_set(o, "objectWriteTraceId", trace);
    if (is_new >= 0)
        json_object_set_new(o, "new", json_boolean(is_new));
    json_array_append_new(b->results, o);
}

static int bad_input(struct sb_op_error *oe, const char *what)
{
    oe->status = 400;
    oe->category = "VALIDATION_ERROR";
    oe->message = xstrdup(what);
    return -1;
}

static int op_create(struct batch *b, json_t *in, struct sb_op_error *oe)
{
    int64_t id = 0;

    if (!json_is_object(in))
        return bad_input(oe, "each input must be an object");
    if (sb_obj_create(b->db, b->ot, &b->defs, json_object_get(in, "properties"),
                      &id, oe) < 0 ||
        sb_obj_associate(b->db, b->ot, id, json_object_get(in, "associations"),
                         oe) < 0)
        return -1;
    add_result(b, id, in, -1);
    return 0;
}

void sb_batch_create(struct sb_request *req, struct sb_response *resp)
{
    struct batch b;

    if (batch_open(&b, req, resp) == 0) {
        batch_lock(&b);
        if (batch_run(&b, op_create) == 0)
            batch_answer(&b, 201);
    }
    batch_close(&b);
}

/* The id property an update or upsert input names, checked: email only
 * for upserts of contacts, else a property with unique values. */
static int key_check(struct batch *b, const char *key, int upsert)
{
    const struct sb_propdef *d = key ? sb_propdefs_find(&b->defs, key) : NULL;

    if (!key)
        return upsert ? -1 : 0;
    if (!d || !strcmp(key, "hs_object_id"))
        return -1;
    if (b->ot == SB_OT_CONTACTS && !strcmp(key, "email"))
        return upsert ? 0 : -1;
    return d->unique ? 0 : -1;
}

/* The ids that more than one input names (emails in any case). */
static json_t *duplicate_ids(json_t *inputs)
{
    json_t *seen = json_object(), *dups = json_array(), *in;
    size_t i;

    json_array_foreach(inputs, i, in)
    {
        const char *key = json_string_value(json_object_get(in, "idProperty"));
        const char *id = json_string_value(json_object_get(in, "id"));
        char *norm;
        if (!id)
            continue;
        norm = xstrdup(id);
        if (key && !strcmp(key, "email"))
            for (char *p = norm; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        if (json_object_get(seen, norm))
            json_array_append_new(dups, json_string(id));
        json_object_set_new(seen, norm, json_true());
        free(norm);
    }
    json_decref(seen);
    return dups;
}

/* Refuses the whole batch when an input names a bad idProperty or two
 * inputs name the same record. */
static int keys_check(struct batch *b, int upsert)
{
    json_t *dups, *in;
    struct buf list = {0};
    size_t i;

    json_array_foreach(b->inputs, i, in)
    {
        const char *key = json_string_value(json_object_get(in, "idProperty"));
        if (key_check(b, key, upsert) < 0) {
            sb_resp_error(b->resp, 400, "VALIDATION_ERROR", NULL,
                          "Unable to perform update/upsert by non-unique %s "
                          "property %s in portal ID 0",
                          sb_otype_id(b->ot), key ? key : "(none)");
            return -1;
        }
    }
    dups = duplicate_ids(b->inputs);
    if (json_array_size(dups) == 0) {
        json_decref(dups);
        return 0;
    }
    json_array_foreach(dups, i, in)
    {
        buf_addf(&list, "%s%s", i ? ", " : "", json_string_value(in));
    }
    sb_resp_error(b->resp, 400, "VALIDATION_ERROR",
                  json_pack("{s:o}", "ids", dups),
                  "Duplicate IDs found in batch input: [%s]. IDs must be "
                  "unique",
                  buf_str(&list));
    buf_release(&list);
    return -1;
}

static int not_found(struct batch *b, const char *id, struct sb_op_error *oe)
{
    oe->status = 404;
    oe->category = "OBJECT_NOT_FOUND";
    oe->message = xasprintf("Could not find %s %s", sb_otype_upper(b->ot),
                            id ? id : "(no id)");
    oe->context = json_pack("{s:[s]}", "ids", id ? id : "");
    return -1;
}

static int64_t input_record(struct batch *b, json_t *in)
{
    const char *key = json_string_value(json_object_get(in, "idProperty"));
    const char *id = json_string_value(json_object_get(in, "id"));

    if (!id)
        return 0;
    if (key)
        return sb_obj_find(b->db, b->ot, key, id);
    return sb_obj_resolve(b->db, b->ot, sb_obj_parse_id(id), 0);
}

static int op_update(struct batch *b, json_t *in, struct sb_op_error *oe)
{
    int64_t id = input_record(b, in);

    if (!id)
        return not_found(b, json_string_value(json_object_get(in, "id")), oe);
    if (sb_obj_update(b->db, b->ot, &b->defs, id,
                      json_object_get(in, "properties"), oe) < 0)
        return -1;
    add_result(b, id, in, -1);
    return 0;
}

void sb_batch_update(struct sb_request *req, struct sb_response *resp)
{
    struct batch b;

    if (batch_open(&b, req, resp) == 0) {
        batch_lock(&b);
        if (keys_check(&b, 0) == 0 && batch_run(&b, op_update) == 0)
            batch_answer(&b, 200);
    }
    batch_close(&b);
}

static int op_upsert(struct batch *b, json_t *in, struct sb_op_error *oe)
{
    const char *key = json_string_value(json_object_get(in, "idProperty"));
    const char *idv = json_string_value(json_object_get(in, "id"));
    json_t *props = json_object_get(in, "properties");
    int64_t id = input_record(b, in);
    int rc;

    if (!idv || !*idv)
        return bad_input(oe, "each upsert input needs an id");
    if (id) {
        if (sb_obj_update(b->db, b->ot, &b->defs, id, props, oe) < 0)
            return -1;
        add_result(b, id, in, 0);
        return 0;
    }
    props = props ? json_deep_copy(props) : json_object();
    json_object_set_new(props, key, json_string(idv));
    rc = sb_obj_create(b->db, b->ot, &b->defs, props, &id, oe);
    json_decref(props);
    if (rc < 0)
        return -1;
    add_result(b, id, in, 1);
    return 0;
}

void sb_batch_upsert(struct sb_request *req, struct sb_response *resp)
{
    struct batch b;
    const char *key;

    if (batch_open(&b, req, resp) == 0) {
        batch_lock(&b);
        key = json_string_value(
            json_object_get(json_array_get(b.inputs, 0), "idProperty"));
        /* HubSpot does no partial upserts keyed by email. */
        if (b.ot == SB_OT_CONTACTS && key && !strcmp(key, "email"))
            b.traced = 0;
        if (keys_check(&b, 1) == 0 && batch_run(&b, op_upsert) == 0)
            batch_answer(&b, 200);
    }
    batch_close(&b);
}

/* The record of a read input, by id or by the body's idProperty. */
static int64_t read_record(struct batch *b, const char *key, const char *id,
                           int archived)
{
    if (key && strcmp(key, "hs_object_id"))
        return archived ? 0 : sb_obj_find(b->db, b->ot, key, id);
    return sb_obj_resolve(b->db, b->ot, sb_obj_parse_id(id), archived);
}

void sb_batch_read(struct sb_request *req, struct sb_response *resp)
{
    const char *key =
        json_string_value(json_object_get(req->body, "idProperty"));
    json_t *props, *missing = json_array(), *in;
    int archived = sb_query_bool(req, "archived") == 1;
    struct batch b;
    size_t i;

    if (batch_open(&b, req, resp) < 0)
        goto out;
    props = json_object_get(req->body, "properties");
    batch_lock(&b);
    json_array_foreach(b.inputs, i, in)
    {
        const char *id = json_string_value(json_object_get(in, "id"));
        int64_t rid = id ? read_record(&b, key, id, archived) : 0;
        if (rid)
            json_array_append_new(
                b.results, sb_obj_json(b.db, b.ot, rid,
                                       json_array_size(props) ? props : NULL));
        else
            json_array_append_new(missing, json_string(id ? id : ""));
    }
    if (json_array_size(missing))
        json_array_append_new(
            b.errors,
            sb_error_item("OBJECT_NOT_FOUND",
                          json_pack("{s:O}", "ids", missing),
                          "Could not get some %s objects, they may be "
                          "deleted or not exist. Check that ids are valid.",
                          sb_otype_upper(b.ot)));
    batch_answer(&b, 200);
out:
    batch_close(&b);
    json_decref(missing);
}

void sb_batch_archive(struct sb_request *req, struct sb_response *resp)
{
    struct batch b;
    json_t *in;
    size_t i;

    if (batch_open(&b, req, resp) == 0) {
        batch_lock(&b);
        sb_db_exec(b.db, "BEGIN IMMEDIATE");
        json_array_foreach(b.inputs, i, in)
        {
            int64_t id = sb_obj_resolve(
                b.db, b.ot,
                sb_obj_parse_id(json_string_value(json_object_get(in, "id"))),
                0);
            if (id)
                sb_obj_archive(b.db, b.ot, id);
        }
        sb_db_exec(b.db, "COMMIT");
        sb_resp_json(resp, 204, NULL);
    }
    batch_close(&b);
}
