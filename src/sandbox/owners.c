/* owners.c: the read-only owners API (/crm/v3/owners) and the seed
 * file's "owners" section.
 *
 * Owners live in the store's owners table. HubSpot shows a deactivated
 * user as an archived owner whose userId is null while
 * userIdIncludingInactive keeps the id; the table keeps the one user_id
 * and the JSON is derived from the archived flag.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "sandbox/assoc_util.h"
#include "sandbox/sb.h"

#define OWNERS_PAGE_DEFAULT 100
#define OWNERS_PAGE_MAX 500

/* Declared here: the seed loader finds them as weak symbols. */
int sb_owners_seed(sqlite3 *db, json_t *section, const char *file,
                   struct err *e);

static const char owner_cols[] =
    "SELECT id, email, first_name, last_name, user_id, type, teams,"
    " archived, created_at, updated_at FROM owners";

static json_t *col_str(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    return s ? json_string((const char *)s) : json_null();
}

/* The user id column as JSON, or null (queues have none). */
static json_t *col_uid(sqlite3_stmt *st)
{
    if (sqlite3_column_type(st, 4) == SQLITE_NULL)
        return json_null();
    return json_integer(sqlite3_column_int64(st, 4));
}

/* One owners row as a PublicOwner. */
static json_t *owner_json(sqlite3_stmt *st)
{
    int archived = sqlite3_column_int(st, 7);
    json_t *teams =
        json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL);
    json_t *o = json_object();
    char created[32], updated[32];

    sb_iso(sqlite3_column_int64(st, 8), created);
    sb_iso(sqlite3_column_int64(st, 9), updated);
    json_object_set_new(o, "id", col_str(st, 0));
    json_object_set_new(o, "email", col_str(st, 1));
    json_object_set_new(o, "type", col_str(st, 5));
    json_object_set_new(o, "firstName", col_str(st, 2));
    json_object_set_new(o, "lastName", col_str(st, 3));
    json_object_set_new(o, "userId", archived ? json_null() : col_uid(st));
    json_object_set_new(o, "userIdIncludingInactive", col_uid(st));
    json_object_set_new(o, "createdAt", json_string(created));
    json_object_set_new(o, "updatedAt", json_string(updated));
    json_object_set_new(o, "archived", json_boolean(archived));
    json_object_set_new(o, "teams", teams ? teams : json_array());
    return o;
}

/* Reads limit and after; 400 when malformed. */
static int list_params(struct sb_request *req, struct sb_response *resp,
                       int64_t *limit, int64_t *after)
{
    const char *l = sb_query(req, "limit"), *a = sb_query(req, "after");

    *limit = OWNERS_PAGE_DEFAULT;
    *after = 0;
    if ((l && assoc_str_id(l, limit) < 0) ||
        (a && assoc_str_id(a, after) < 0) ||
        sb_query_bool(req, "archived") < 0) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "limit must be a positive integer, after a cursor from"
                      " a previous page and archived true or false");
        return -1;
    }
    if (*limit > OWNERS_PAGE_MAX)
        *limit = OWNERS_PAGE_MAX;
    return 0;
}

/* Owner ids are numeric strings: pages follow their numeric order. */
static int list_query(sqlite3 *db, sqlite3_stmt **st, struct sb_request *req,
                      int64_t limit, int64_t after)
{
    char sql[512];

    snprintf(sql, sizeof(sql),
             "%s WHERE archived = ?1 AND CAST(id AS INTEGER) > ?2"
             " AND (?3 IS NULL OR email = lower(?3))"
             " ORDER BY CAST(id AS INTEGER) LIMIT ?4",
             owner_cols);
    if (sb_stmt_prepare(db, sql, st) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(*st, 1, sb_query_bool(req, "archived") == 1);
    sqlite3_bind_int64(*st, 2, after);
    if (sb_query(req, "email"))
        sqlite3_bind_text(*st, 3, sb_query(req, "email"), -1, SQLITE_STATIC);
    sqlite3_bind_int64(*st, 4, limit + 1);
    return 0;
}

static void owners_list(struct sb_request *req, struct sb_response *resp)
{
    json_t *results = json_array(), *body;
    sqlite3_stmt *st = NULL;
    int64_t limit, after;
    char next[32] = "";
    int rc = 0, step;
    sqlite3 *db;

    if (list_params(req, resp, &limit, &after)) {
        json_decref(results);
        return;
    }
    db = sb_db_lock(req->sb);
    rc = list_query(db, &st, req, limit, after);
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if ((int64_t)json_array_size(results) == limit) {
            /* One more row exists: the next page starts after the last. */
            const json_t *last = json_array_get(results, limit - 1);
            snprintf(next, sizeof(next), "%s",
                     json_string_value(json_object_get(last, "id")));
            break;
        }
        json_array_append_new(results, owner_json(st));
    }
    sb_stmt_release(st);
    sb_db_unlock(req->sb);
    body = json_pack("{s:o}", "results", results);
    if (*next)
        json_object_set_new(body, "paging",
                            json_pack("{s:{s:s}}", "next", "after", next));
    if (rc)
        json_decref(body);
    if (rc)
        sb_resp_error(resp, 500, "INTERNAL_ERROR", NULL, "internal error");
    else
        sb_resp_json(resp, 200, body);
}

static void owners_get(struct sb_request *req, struct sb_response *resp)
{
    const char *prop = sb_query(req, "idProperty");
    int by_user = prop && !strcmp(prop, "userId");
    sqlite3_stmt *st = NULL;
    json_t *owner = NULL;
    char sql[512];
    sqlite3 *db;

    if ((prop && !by_user && strcmp(prop, "id")) ||
        sb_query_bool(req, "archived") < 0) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "idProperty must be id or userId, and archived true"
                      " or false");
        return;
    }
    snprintf(sql, sizeof(sql), "%s WHERE %s = ?1 AND archived = ?2", owner_cols,
             by_user ? "CAST(user_id AS TEXT)" : "id");
    db = sb_db_lock(req->sb);
    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sb_param(req, "ownerId"), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, sb_query_bool(req, "archived") == 1);
        if (sqlite3_step(st) == SQLITE_ROW)
            owner = owner_json(st);
    }
    sb_stmt_release(st);
    sb_db_unlock(req->sb);
    if (owner)
        sb_resp_json(resp, 200, owner);
    else
        sb_resp_not_found(resp);
}

/* Reads an optional string member; -1 when present but not a string. */
static int opt_str(const json_t *o, const char *key, const char **out)
{
    const json_t *v = json_object_get(o, key);

    *out = json_string_value(v);
    return v && !json_is_string(v) && !json_is_null(v) ? -1 : 0;
}

/* Checks one seeded owner; on failure names the member at fault. */
static const char *seed_owner_check(const json_t *o, const char **id_out,
                                    char idbuf[24])
{
    const json_t *id = json_object_get(o, "id"), *uid;
    const char *s, *type;
    int64_t n;

    if (!json_is_object(o))
        return "";
    if (assoc_json_id(id, &n) < 0)
        return ".id";
    snprintf(idbuf, 24, "%lld", (long long)n);
    *id_out = idbuf;
    if (opt_str(o, "email", &s) || opt_str(o, "firstName", &s) ||
        opt_str(o, "lastName", &s))
        return ".email";
    if (opt_str(o, "type", &type) ||
        (type && strcmp(type, "PERSON") && strcmp(type, "QUEUE")))
        return ".type";
    uid = json_object_get(o, "userId");
    if (uid && !json_is_integer(uid) && !json_is_null(uid))
        return ".userId";
    if (json_object_get(o, "archived") &&
        !json_is_boolean(json_object_get(o, "archived")))
        return ".archived";
    if (json_object_get(o, "teams") &&
        !json_is_array(json_object_get(o, "teams")))
        return ".teams";
    return NULL;
}

static int seed_owner_insert(sqlite3 *db, const json_t *o, const char *id)
{
    static const char sql[] =
        "INSERT INTO owners (id, email, first_name, last_name, user_id,"
        " type, teams, archived, created_at, updated_at)"
        " VALUES (?1, lower(?2), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)";
    const json_t *uid = json_object_get(o, "userId");
    const char *type = json_string_value(json_object_get(o, "type"));
    const json_t *tv = json_object_get(o, "teams");
    char *teams = tv ? json_dumps(tv, JSON_COMPACT) : strdup("[]");
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sb_stmt_prepare(db, sql, &st) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    for (int i = 0; i < 3; i++) {
        static const char *keys[] = {"email", "firstName", "lastName"};
        const char *v = json_string_value(json_object_get(o, keys[i]));
        if (v)
            sqlite3_bind_text(st, i + 2, v, -1, SQLITE_STATIC);
    }
    if (json_is_integer(uid))
        sqlite3_bind_int64(st, 5, json_integer_value(uid));
    sqlite3_bind_text(st, 6, type ? type : "PERSON", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, teams, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, json_is_true(json_object_get(o, "archived")));
    sqlite3_bind_int64(st, 9, sb_now_ms());
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
    sb_stmt_release(st);
    free(teams);
    return rc;
}

/* "owners": [{id, email, firstName, lastName, userId, type, archived,
 * teams}], ids being numeric strings as HubSpot's are. */
int sb_owners_seed(sqlite3 *db, json_t *section, const char *file,
                   struct err *e)
{
    const char *id = NULL, *bad;
    char idbuf[24];
    size_t i;
    json_t *o;

    if (!json_is_array(section))
        return err_set(e, ERR_INPUT, "%s: owners: expected an array", file);
    json_array_foreach(section, i, o)
    {
        if ((bad = seed_owner_check(o, &id, idbuf)))
            return err_set(e, ERR_INPUT,
                           "%s: owners[%zu]%s: missing or of the wrong type",
                           file, i, bad);
        if (seed_owner_insert(db, o, id) < 0)
            return err_set(e, ERR_INPUT, "%s: owners[%zu].id: %s", file, i,
                           sqlite3_errmsg(db));
    }
    return 0;
}

const struct sb_route sb_owners_routes[] = {
    {"GET", "/crm/v3/owners", owners_list, 0},
    {"GET", "/crm/v3/owners/{ownerId}", owners_get, 0},
    {0},
};
