/* objects.c: the single-record and list endpoints of the objects API v3
 * for contacts, companies and deals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "sandbox/objects.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

#define LIST_LIMIT_DEFAULT 10
#define LIST_LIMIT_MAX 100

void sb_op_error_respond(const struct sb_op_error *oe, struct sb_response *resp)
{
    sb_resp_error(resp, oe->status, oe->category,
                  oe->context ? json_incref(oe->context) : NULL, "%s",
                  oe->message ? oe->message : "");
}

json_t *sb_op_error_item(const struct sb_op_error *oe)
{
    return sb_error_item(oe->category,
                         oe->context ? json_deep_copy(oe->context) : NULL, "%s",
                         oe->message ? oe->message : "");
}

json_t *sb_obj_value_names(sqlite3 *db, int64_t id)
{
    json_t *values = sb_obj_values(db, id), *names = json_array(), *v;
    const char *name;

    json_object_foreach(values, name, v)
    {
        json_array_append_new(names, json_string(name));
    }
    json_decref(values);
    return names;
}

/* The record a path names, by id or by ?idProperty=; 0 after answering
 * 404 or 400. */
static int64_t path_record(sqlite3 *db, int ot, struct sb_request *req,
                           struct sb_response *resp, int archived)
{
    const char *key = sb_query(req, "idProperty");
    const char *value = sb_param(req, "objectId");
    int64_t id = 0;

    if (key && strcmp(key, "hs_object_id")) {
        struct sb_propdefs defs;
        const struct sb_propdef *d;
        sb_propdefs_load(db, sb_otype_name(ot), &defs);
        d = sb_propdefs_find(&defs, key);
        if (!d || !(sb_prop_is_unique(sb_otype_name(ot), d) ||
                    (ot == SB_OT_COMPANIES && !strcmp(key, "domain")))) {
            sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                          "Unable to perform lookup by non-unique %s "
                          "property %s",
                          sb_otype_id(ot), key);
            sb_propdefs_release(&defs);
            return 0;
        }
        sb_propdefs_release(&defs);
        id = archived ? 0 : sb_obj_find(db, ot, key, value);
    } else {
        id = sb_obj_resolve(db, ot, sb_obj_parse_id(value), archived);
    }
    if (!id)
        sb_resp_not_found(resp);
    return id;
}

static void obj_create(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp);
    struct sb_op_error oe = {0};
    struct sb_propdefs defs;
    json_t *names;
    int64_t id = 0;
    sqlite3 *db;

    if (ot == SB_OT_NONE)
        return;
    if (!json_is_object(req->body)) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "expected {properties, associations}");
        return;
    }
    db = sb_db_lock(req->sb);
    sb_db_exec(db, "BEGIN IMMEDIATE");
    sb_propdefs_load(db, sb_otype_name(ot), &defs);
    if (sb_obj_create(db, ot, &defs, json_object_get(req->body, "properties"),
                      &id, &oe) < 0 ||
        sb_obj_associate(db, ot, id, json_object_get(req->body, "associations"),
                         &oe) < 0) {
        sb_db_exec(db, "ROLLBACK");
        sb_op_error_respond(&oe, resp);
    } else {
        sb_db_exec(db, "COMMIT");
        names = sb_obj_value_names(db, id);
        sb_resp_json(resp, 201, sb_obj_json(db, ot, id, names));
        json_decref(names);
    }
    sb_db_unlock(req->sb);
    sb_propdefs_release(&defs);
    sb_op_error_release(&oe);
}

static void obj_read(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), archived;
    json_t *props, *assocs, *o;
    sqlite3 *db;
    int64_t id;

    if (ot == SB_OT_NONE)
        return;
    archived = sb_query_bool(req, "archived") == 1;
    props = sb_query_list(req, "properties");
    assocs = sb_query_list(req, "associations");
    db = sb_db_lock(req->sb);
    if ((id = path_record(db, ot, req, resp, archived))) {
        o = sb_obj_json(db, ot, id, props);
        if (assocs)
            json_object_set_new(o, "associations",
                                sb_obj_assoc_json(db, ot, id, assocs));
        sb_resp_json(resp, 200, o);
    }
    sb_db_unlock(req->sb);
    json_decref(props);
    json_decref(assocs);
}

static void obj_update(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp);
    struct sb_op_error oe = {0};
    struct sb_propdefs defs = {0};
    json_t *names;
    sqlite3 *db;
    int64_t id;

    if (ot == SB_OT_NONE)
        return;
    db = sb_db_lock(req->sb);
    if (!(id = path_record(db, ot, req, resp, 0)))
        goto out;
    sb_db_exec(db, "BEGIN IMMEDIATE");
    sb_propdefs_load(db, sb_otype_name(ot), &defs);
    if (sb_obj_update(db, ot, &defs, id,
                      json_object_get(req->body, "properties"), &oe) < 0) {
        sb_db_exec(db, "ROLLBACK");
        sb_op_error_respond(&oe, resp);
        goto out;
    }
    sb_db_exec(db, "COMMIT");
    names = sb_obj_value_names(db, id);
    sb_resp_json(resp, 200, sb_obj_json(db, ot, id, names));
    json_decref(names);
out:
    sb_db_unlock(req->sb);
    sb_propdefs_release(&defs);
    sb_op_error_release(&oe);
}

static void obj_archive(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp);
    sqlite3 *db;
    int64_t id;

    if (ot == SB_OT_NONE)
        return;
    db = sb_db_lock(req->sb);
    id = sb_obj_resolve(db, ot, sb_obj_parse_id(sb_param(req, "objectId")), 0);
    if (id)
        sb_obj_archive(db, ot, id);
    sb_db_unlock(req->sb);
    sb_resp_json(resp, 204, NULL);
}

/* Ids of one list page: id >= after, in id order, one extra to tell
 * whether another page follows. */
static json_t *list_ids(sqlite3 *db, int ot, int64_t after, int limit,
                        int archived)
{
    sqlite3_stmt *st = NULL;
    json_t *ids = json_array();

    if (sb_stmt_prepare(db,
                        "SELECT id FROM objects WHERE object_type = ? AND"
                        " archived = ? AND id >= ? ORDER BY id LIMIT ?",
                        &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, archived);
        sqlite3_bind_int64(st, 3, after);
        sqlite3_bind_int(st, 4, limit + 1);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(ids,
                                  json_integer(sqlite3_column_int64(st, 0)));
    }
    sb_stmt_release(st);
    return ids;
}

static int list_limit(struct sb_request *req)
{
    const char *s = sb_query(req, "limit");
    long v = s ? strtol(s, NULL, 10) : LIST_LIMIT_DEFAULT;

    if (v < 1)
        return -1;
    return v > LIST_LIMIT_MAX ? LIST_LIMIT_MAX : (int)v;
}

static json_t *paging_next(int ot, json_int_t next)
{
    char after[24], link[128];

    snprintf(after, sizeof(after), "%lld", (long long)next);
    snprintf(link, sizeof(link), "/crm/v3/objects/%s?after=%s",
             sb_otype_name(ot), after);
    return json_pack("{s:{s:s, s:s}}", "next", "after", after, "link", link);
}

/* The records of one page, each with its associations when asked. */
static json_t *list_page(sqlite3 *db, int ot, json_t *ids, int limit,
                         json_t *props, json_t *assocs)
{
    json_t *results = json_array(), *idv;
    size_t i;

    json_array_foreach(ids, i, idv)
    {
        json_int_t id = json_integer_value(idv);
        json_t *o;
        if ((int)i == limit)
            break;
        o = sb_obj_json(db, ot, id, props);
        if (assocs)
            json_object_set_new(o, "associations",
                                sb_obj_assoc_json(db, ot, id, assocs));
        json_array_append_new(results, o);
    }
    return results;
}

static void obj_list(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), limit = list_limit(req);
    const char *after = sb_query(req, "after");
    json_t *props, *assocs, *ids, *body;
    sqlite3 *db;

    if (ot == SB_OT_NONE)
        return;
    if (limit < 0 || (after && !sb_obj_parse_id(after))) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "limit must be a positive number and after a cursor "
                      "from paging.next.after");
        return;
    }
    props = sb_query_list(req, "properties");
    assocs = sb_query_list(req, "associations");
    db = sb_db_lock(req->sb);
    ids = list_ids(db, ot, after ? sb_obj_parse_id(after) : 0, limit,
                   sb_query_bool(req, "archived") == 1);
    body = json_pack("{s:o}", "results",
                     list_page(db, ot, ids, limit, props, assocs));
    sb_db_unlock(req->sb);
    if ((int)json_array_size(ids) > limit)
        json_object_set_new(
            body, "paging",
            paging_next(ot, json_integer_value(json_array_get(ids, limit))));
    sb_resp_json(resp, 200, body);
    json_decref(ids);
    json_decref(props);
    json_decref(assocs);
}

const struct sb_route sb_objects_routes[] = {
    {"GET", "/crm/v3/objects/{objectType}", obj_list, 0},
    {"POST", "/crm/v3/objects/{objectType}", obj_create, 0},
    {"GET", "/crm/v3/objects/{objectType}/{objectId}", obj_read, 0},
    {"PATCH", "/crm/v3/objects/{objectType}/{objectId}", obj_update, 0},
    {"DELETE", "/crm/v3/objects/{objectType}/{objectId}", obj_archive, 0},
    {"POST", "/crm/v3/objects/{objectType}/batch/create", sb_batch_create,
     SB_ROUTE_BATCH},
    {"POST", "/crm/v3/objects/{objectType}/batch/read", sb_batch_read,
     SB_ROUTE_BATCH | SB_ROUTE_READ},
    {"POST", "/crm/v3/objects/{objectType}/batch/update", sb_batch_update,
     SB_ROUTE_BATCH},
    {"POST", "/crm/v3/objects/{objectType}/batch/upsert", sb_batch_upsert,
     SB_ROUTE_BATCH},
    {"POST", "/crm/v3/objects/{objectType}/batch/archive", sb_batch_archive,
     SB_ROUTE_BATCH},
    {0},
};
