/* props_api.c: the /crm/v3/properties endpoints and the seed file's
 * "properties" section. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

static json_t *list_names(sqlite3 *db, const char *sql, const char *ot,
                          int archived)
{
    sqlite3_stmt *st = NULL;
    json_t *names = json_array();

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, ot, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, archived);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(
                names, json_string((const char *)sqlite3_column_text(st, 0)));
    }
    sb_stmt_release(st);
    return names;
}

static void props_list(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), archived = sb_query_bool(req, "archived");
    json_t *names, *results = json_array(), *name;
    sqlite3 *db;
    size_t i;

    if (ot == SB_OT_NONE)
        goto out;
    db = sb_db_lock(req->sb);
    names = list_names(db,
                       "SELECT name FROM properties WHERE object_type = ?"
                       " AND archived = ? ORDER BY display_order, name",
                       sb_otype_name(ot), archived == 1);
    json_array_foreach(names, i, name)
    {
        json_array_append_new(results, sb_prop_get(db, sb_otype_name(ot),
                                                   json_string_value(name),
                                                   archived == 1));
    }
    sb_db_unlock(req->sb);
    json_decref(names);
    sb_resp_json(resp, 200, json_pack("{s:O}", "results", results));
out:
    json_decref(results);
}

static void prop_not_found(struct sb_response *resp, int ot, const char *name)
{
    sb_resp_error(resp, 404, "OBJECT_NOT_FOUND", NULL,
                  "Unable to find property %s on object type %s", name,
                  sb_otype_id(ot));
}

/* ?archived=true reads the property from the archive only, as HubSpot's
 * list does. */
static void props_read(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp);
    const char *name = sb_param(req, "propertyName");
    json_t *p;

    if (ot == SB_OT_NONE)
        return;
    p = sb_prop_get(sb_db_lock(req->sb), sb_otype_name(ot), name,
                    sb_query_bool(req, "archived") == 1);
    sb_db_unlock(req->sb);
    if (!p)
        prop_not_found(resp, ot, name);
    else
        sb_resp_json(resp, 200, p);
}

/* The answer to a change the store made (200 with what now_json gives,
 * or 204 when it is NULL) or refused with status. */
static void change_answer(struct sb_response *resp, int status, json_t *now,
                          const char *msg)
{
    if (status == 0)
        sb_resp_json(resp, now ? 200 : 204, now);
    else
        sb_resp_error(resp, status, "VALIDATION_ERROR", NULL, "%s", msg);
}

static void props_update(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), status;
    const char *name = sb_param(req, "propertyName");
    json_t *p = NULL;
    char msg[512];
    sqlite3 *db;

    if (ot == SB_OT_NONE)
        return;
    db = sb_db_lock(req->sb);
    status = sb_prop_update(db, sb_otype_name(ot), name, req->body, msg,
                            sizeof(msg));
    if (status == 0)
        p = sb_prop_get(db, sb_otype_name(ot), name, 0);
    sb_db_unlock(req->sb);
    if (status == 404)
        prop_not_found(resp, ot, name);
    else
        change_answer(resp, status, p, msg);
}

static void props_archive(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), status;
    const char *name = sb_param(req, "propertyName");
    char msg[512];

    if (ot == SB_OT_NONE)
        return;
    status = sb_prop_archive(sb_db_lock(req->sb), sb_otype_name(ot), name, msg,
                             sizeof(msg));
    sb_db_unlock(req->sb);
    if (status == 404)
        prop_not_found(resp, ot, name);
    else
        change_answer(resp, status, NULL, msg);
}

static void props_create(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), status;
    const char *name = json_string_value(json_object_get(req->body, "name"));
    char msg[512], location[300];
    sqlite3 *db;

    if (ot == SB_OT_NONE)
        return;
    db = sb_db_lock(req->sb);
    status = sb_prop_create(db, sb_otype_name(ot), req->body, msg, sizeof(msg));
    if (status == 0) {
        char lower[256];
        json_t *p;
        snprintf(lower, sizeof(lower), "%s", name);
        for (char *c = lower; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        p = sb_prop_get(db, sb_otype_name(ot), lower, 0);
        name = json_string_value(json_object_get(p, "name"));
        snprintf(location, sizeof(location), "/crm/v3/properties/%s/%s",
                 sb_otype_name(ot), name);
        sb_resp_header(resp, "Location", location);
        sb_resp_json(resp, 201, p);
    }
    sb_db_unlock(req->sb);
    if (status != 0)
        sb_resp_error(resp, status,
                      status == 409 ? "CONFLICT" : "VALIDATION_ERROR", NULL,
                      "%s", msg);
}

static void props_batch_read(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp);
    json_t *inputs = json_object_get(req->body, "inputs"), *in;
    json_t *results = json_array();
    int archived = json_is_true(json_object_get(req->body, "archived"));
    sqlite3 *db;
    size_t i;

    if (ot == SB_OT_NONE)
        goto out;
    if (!json_is_array(inputs)) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "inputs must be an array of {name}");
        goto out;
    }
    db = sb_db_lock(req->sb);
    json_array_foreach(inputs, i, in)
    {
        const char *name = json_string_value(json_object_get(in, "name"));
        json_t *p =
            name ? sb_prop_get(db, sb_otype_name(ot), name, archived) : NULL;
        if (p)
            json_array_append_new(results, p);
    }
    sb_db_unlock(req->sb);
    sb_resp_json(resp, 200, sb_batch_body(results, NULL));
out:
    json_decref(results);
}

static json_t *group_json(sqlite3_stmt *st)
{
    return json_pack("{s:s, s:s, s:i, s:b}", "name",
                     (const char *)sqlite3_column_text(st, 0), "label",
                     (const char *)sqlite3_column_text(st, 1), "displayOrder",
                     sqlite3_column_int(st, 2), "archived",
                     sqlite3_column_int(st, 3));
}

static void group_not_found(struct sb_response *resp, const char *name)
{
    sb_resp_error(resp, 404, "OBJECT_NOT_FOUND", NULL,
                  "Unable to find property group %s", name);
}

/* Live groups of a type, or the one named name when non-NULL. */
static json_t *groups_get(sqlite3 *db, const char *ot, const char *name)
{
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array();

    if (sb_stmt_prepare(db,
                        "SELECT name, label, display_order, archived FROM"
                        " property_groups WHERE object_type = ?1 AND"
                        " archived = 0 AND (?2 IS NULL OR name = ?2) ORDER BY"
                        " display_order, name",
                        &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, ot, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(arr, group_json(st));
    }
    sb_stmt_release(st);
    return arr;
}

static void groups_list(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp);
    json_t *arr;

    if (ot == SB_OT_NONE)
        return;
    arr = groups_get(sb_db_lock(req->sb), sb_otype_name(ot), NULL);
    sb_db_unlock(req->sb);
    sb_resp_json(resp, 200, json_pack("{s:o}", "results", arr));
}

static void group_read(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp);
    const char *name = sb_param(req, "groupName");
    json_t *arr;

    if (ot == SB_OT_NONE)
        return;
    arr = groups_get(sb_db_lock(req->sb), sb_otype_name(ot), name);
    sb_db_unlock(req->sb);
    if (json_array_size(arr) == 0)
        group_not_found(resp, name);
    else
        sb_resp_json(resp, 200, json_incref(json_array_get(arr, 0)));
    json_decref(arr);
}

/* Inserts a group, or restores an archived one of that name (as
 * HubSpot restores archived properties); 0, 409 when it exists, or 400. */
static int group_insert(sqlite3 *db, const char *ot, json_t *body)
{
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *label = json_string_value(json_object_get(body, "label"));
    json_t *order = json_object_get(body, "displayOrder");
    sqlite3_stmt *st = NULL;
    int rc = 400;

    if (!name || !*name || !label)
        return 400;
    if (sb_stmt_prepare(db,
                        "INSERT INTO property_groups(object_type, name,"
                        " label, display_order) VALUES(?,?,?,?)"
                        " ON CONFLICT(object_type, name) DO UPDATE SET"
                        " label = excluded.label, display_order ="
                        " excluded.display_order, archived = 0"
                        " WHERE archived = 1",
                        &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, ot, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
        sqlite3_bind_int64(
            st, 4, json_is_integer(order) ? json_integer_value(order) : -1);
        rc = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) ? 0 : 409;
    }
    sb_stmt_release(st);
    return rc;
}

static void group_create(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), rc;
    const char *name = json_string_value(json_object_get(req->body, "name"));
    sqlite3 *db;
    json_t *arr = NULL;

    if (ot == SB_OT_NONE)
        return;
    db = sb_db_lock(req->sb);
    rc = group_insert(db, sb_otype_name(ot), req->body);
    if (rc == 0)
        arr = groups_get(db, sb_otype_name(ot), name);
    sb_db_unlock(req->sb);
    if (rc == 400)
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "name and label are required");
    else if (rc == 409)
        sb_resp_error(resp, 409, "CONFLICT", NULL,
                      "A property group named '%s' already exists.", name);
    else
        sb_resp_json(resp, 201, json_incref(json_array_get(arr, 0)));
    json_decref(arr);
}

static void group_update(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), status;
    const char *name = sb_param(req, "groupName");
    json_t *arr = NULL;
    char msg[512];
    sqlite3 *db;

    if (ot == SB_OT_NONE)
        return;
    db = sb_db_lock(req->sb);
    status = sb_group_update(db, sb_otype_name(ot), name, req->body, msg,
                             sizeof(msg));
    if (status == 0)
        arr = groups_get(db, sb_otype_name(ot), name);
    sb_db_unlock(req->sb);
    if (status == 404)
        group_not_found(resp, name);
    else
        change_answer(resp, status, json_incref(json_array_get(arr, 0)), msg);
    json_decref(arr);
}

static void group_archive(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_req_otype(req, resp), status;
    const char *name = sb_param(req, "groupName");
    char msg[512];

    if (ot == SB_OT_NONE)
        return;
    status = sb_group_archive(sb_db_lock(req->sb), sb_otype_name(ot), name, msg,
                              sizeof(msg));
    sb_db_unlock(req->sb);
    if (status == 404)
        group_not_found(resp, name);
    else
        change_answer(resp, status, NULL, msg);
    if (status == 400)
        json_object_set_new(
            resp->body, "subCategory",
            json_string("PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES"));
}

const struct sb_route sb_properties_routes[] = {
    {"GET", "/crm/v3/properties/{objectType}", props_list, 0},
    {"POST", "/crm/v3/properties/{objectType}", props_create, 0},
    {"GET", "/crm/v3/properties/{objectType}/{propertyName}", props_read, 0},
    {"PATCH", "/crm/v3/properties/{objectType}/{propertyName}", props_update,
     0},
    {"DELETE", "/crm/v3/properties/{objectType}/{propertyName}", props_archive,
     0},
    {"POST", "/crm/v3/properties/{objectType}/batch/read", props_batch_read,
     SB_ROUTE_READ | SB_ROUTE_BATCH},
    {"GET", "/crm/v3/properties/{objectType}/groups", groups_list, 0},
    {"POST", "/crm/v3/properties/{objectType}/groups", group_create, 0},
    {"GET", "/crm/v3/properties/{objectType}/groups/{groupName}", group_read,
     0},
    {"PATCH", "/crm/v3/properties/{objectType}/groups/{groupName}",
     group_update, 0},
    {"DELETE", "/crm/v3/properties/{objectType}/groups/{groupName}",
     group_archive, 0},
    {0},
};

/* One entry of the seed file's properties.TYPE array. Its group is
 * created when missing, so a seed file need not list groups. */
static int seed_one(sqlite3 *db, int ot, json_t *p, const char *where,
                    struct err *e)
{
    const char *group = json_string_value(json_object_get(p, "groupName"));
    char msg[512];
    int status;

    if (group) {
        json_t *g = json_pack("{s:s, s:s}", "name", group, "label", group);
        group_insert(db, sb_otype_name(ot), g);
        json_decref(g);
    }
    status = sb_prop_create(db, sb_otype_name(ot), p, msg, sizeof(msg));
    if (status != 0)
        return err_set(e, ERR_INPUT, "%s: %s", where, msg);
    return 0;
}

int sb_properties_seed(sqlite3 *db, json_t *section, const char *file,
                       struct err *e)
{
    const char *type;
    json_t *arr, *p;
    char where[512];
    size_t i;

    if (!json_is_object(section))
        return err_set(e, ERR_INPUT,
                       "%s: properties: expected an object of arrays by "
                       "object type",
                       file);
    json_object_foreach(section, type, arr)
    {
        int ot = sb_otype_parse(type);
        if (ot == SB_OT_NONE || !json_is_array(arr))
            return err_set(e, ERR_INPUT,
                           "%s: properties.%s: unknown object type or not "
                           "an array",
                           file, type);
        json_array_foreach(arr, i, p)
        {
            snprintf(where, sizeof(where), "%s: properties.%s[%zu]", file, type,
                     i);
            if (seed_one(db, ot, p, where, e) < 0)
                return e->code;
        }
    }
    return 0;
}
