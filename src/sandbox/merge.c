/* merge.c: POST /crm/v3/objects/{objectType}/merge.
 *
 * The primary record survives with its own id (HubSpot may mint a new
 * one; the sandbox keeps the primary's). It keeps its values and takes
 * the merged record's values for properties it has no value for, gains
 * the merged record's associations, and lists the merged-away ids in
 * hs_merged_object_ids; a merged contact's emails go to
 * hs_additional_emails. The merged-away record is removed and its id
 * resolves to the survivor from then on (the merges table).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "sandbox/assoc_store.h"
#include "sandbox/assoc_util.h"
#include "sandbox/objects.h"
#include "sandbox/sb.h"

/* Values that describe the record itself and never move to the survivor. */
static const char *const own_values[] = {
    "hs_object_id",
    "createdate",
    "lastmodifieddate",
    "hs_lastmodifieddate",
    "hs_merged_object_ids",
    "hs_additional_emails",
    "email",
    NULL,
};

static int put_value(sqlite3 *db, int64_t id, const char *name,
                     const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sb_stmt_prepare(db,
                        "INSERT OR REPLACE INTO object_values"
                        " (object_id, name, value) VALUES (?1, ?2, ?3)",
                        &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    return rc;
}

static bool is_own(const char *name)
{
    for (int i = 0; own_values[i]; i++)
        if (!strcmp(name, own_values[i]))
            return true;
    return false;
}

/* An email as HubSpot keeps it: trimmed and lowercased, in place. A
 * record seeded unchecked may hold one in any case, with white space. */
static char *email_norm(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    for (char *p = s; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

/* Appends the ';'-separated items of s to list, skipping duplicates; with
 * emails, items are normalized and skip (the survivor's own email) is
 * left out. */
static void list_add(struct buf *list, const char *s, int emails,
                     const char *skip)
{
    char *copy = xstrdup(s ? s : ""), *save = NULL;

    for (char *t = strtok_r(copy, ";", &save); t;
         t = strtok_r(NULL, ";", &save)) {
        char *have, *needle;

        if (emails && (!*(t = email_norm(t)) || (skip && !strcmp(t, skip))))
            continue;
        have = xasprintf(";%s;", buf_str(list));
        needle = xasprintf(";%s;", t);
        if (!strstr(have, needle)) {
            if (list->len)
                buf_addc(list, ';');
            buf_adds(list, t);
        }
        free(have);
        free(needle);
    }
    free(copy);
}

/* Joins the survivor's and the merged record's lists of one property,
 * plus extra, and stores the result on the survivor. */
static int merge_list(sqlite3 *db, int64_t survivor, json_t *sv, json_t *mv,
                      const char *name, const char *extra)
{
    int emails = !strcmp(name, "hs_additional_emails");
    const char *email = json_string_value(json_object_get(sv, "email"));
    char *own = emails && email ? xstrdup(email) : NULL;
    const char *skip = own ? email_norm(own) : NULL;
    struct buf list = {0};
    int rc = 0;

    list_add(&list, json_string_value(json_object_get(sv, name)), emails, skip);
    list_add(&list, extra, emails, skip);
    list_add(&list, json_string_value(json_object_get(mv, name)), emails, skip);
    if (list.len)
        rc = put_value(db, survivor, name, buf_str(&list));
    buf_release(&list);
    free(own);
    return rc;
}

/* Moves what the survivor takes from the merged record's values. */
static int merge_values(sqlite3 *db, int ot, int64_t survivor, int64_t merged)
{
    json_t *sv = sb_obj_values(db, survivor), *mv = sb_obj_values(db, merged);
    const char *name;
    char ids[24];
    json_t *v;
    int rc = 0;

    json_object_foreach(mv, name, v)
    {
        if (rc == 0 && !is_own(name) &&
            !json_string_length(json_object_get(sv, name)))
            rc = put_value(db, survivor, name, json_string_value(v));
    }
    snprintf(ids, sizeof(ids), "%lld", (long long)merged);
    if (rc == 0)
        rc = merge_list(db, survivor, sv, mv, "hs_merged_object_ids", ids);
    if (rc == 0 && ot == SB_OT_CONTACTS)
        rc = merge_list(db, survivor, sv, mv, "hs_additional_emails",
                        json_string_value(json_object_get(mv, "email")));
    json_decref(sv);
    json_decref(mv);
    return rc;
}

/* Removes the merged record and makes its id (and ids merged into it
 * before) resolve to the survivor. */
static int retire(sqlite3 *db, int ot, int64_t survivor, int64_t merged)
{
    static const char *const sqls[] = {
        "DELETE FROM object_values WHERE object_id = ?2",
        "DELETE FROM objects WHERE id = ?2",
        "DELETE FROM unchecked_objects WHERE object_id = ?2",
        "UPDATE merges SET survivor_id = ?3 WHERE object_type = ?1"
        " AND survivor_id = ?2",
        "INSERT OR REPLACE INTO merges (object_type, merged_id,"
        " survivor_id, merged_at) VALUES (?1, ?2, ?3, ?4)",
        "UPDATE objects SET updated_at = ?4 WHERE id = ?3",
    };
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < sizeof(sqls) / sizeof(sqls[0]); i++) {
        sqlite3_stmt *st = NULL;

        rc = -1;
        if (sb_stmt_prepare(db, sqls[i], &st) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, merged);
            sqlite3_bind_int64(st, 3, survivor);
            sqlite3_bind_int64(st, 4, sb_now_ms());
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        }
        sb_stmt_release(st);
    }
    return rc;
}

static int touch(sqlite3 *db, int ot, int64_t id)
{
    char iso[32];
    int rc;

    sb_iso(sb_now_ms(), iso);
    rc = put_value(
        db, id,
        ot == SB_OT_CONTACTS ? "lastmodifieddate" : "hs_lastmodifieddate", iso);
    if (rc == 0 && ot == SB_OT_CONTACTS)
        rc = put_value(db, id, "hs_lastmodifieddate", iso);
    return rc;
}

/* All of a merge, in one savepoint. */
static int merge_records(sqlite3 *db, int ot, int64_t survivor, int64_t merged,
                         struct err *e)
{
    int rc;

    sb_db_exec(db, "SAVEPOINT merge_records");
    rc = merge_values(db, ot, survivor, merged);
    if (rc == 0)
        rc = assoc_store_move(db, ot, merged, survivor, e);
    if (rc == 0)
        rc = retire(db, ot, survivor, merged);
    if (rc == 0)
        rc = touch(db, ot, survivor);
    if (rc < 0 && !e->msg[0])
        err_set(e, ERR_DB, "merge: %s", sqlite3_errmsg(db));
    if (rc < 0)
        sb_db_exec(db, "ROLLBACK TO merge_records");
    sb_db_exec(db, "RELEASE merge_records");
    return rc;
}

/* The survivor as the merge answers it: the default properties plus
 * what the merge changed. */
static json_t *survivor_json(sqlite3 *db, int ot, int64_t id)
{
    json_t *o = sb_obj_json(db, ot, id, NULL);
    json_t *props = json_object_get(o, "properties");
    json_t *values = sb_obj_values(db, id);
    const char *keys[] = {"hs_merged_object_ids", "hs_additional_emails"};

    for (int i = 0; i < (ot == SB_OT_CONTACTS ? 2 : 1); i++) {
        json_t *v = json_object_get(values, keys[i]);
        json_object_set_new(props, keys[i], v ? json_incref(v) : json_null());
    }
    json_decref(values);
    return o;
}

/* Reads both ids and finds the live records; answers on failure. */
static int merge_ids(struct sb_request *req, struct sb_response *resp,
                     sqlite3 *db, int ot, int64_t *survivor, int64_t *merged)
{
    const json_t *p = json_object_get(req->body, "primaryObjectId");
    const json_t *m = json_object_get(req->body, "objectIdToMerge");
    int64_t pid, mid;

    if (assoc_json_id(p, &pid) < 0 || assoc_json_id(m, &mid) < 0) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "primaryObjectId and objectIdToMerge must be record"
                      " ids");
        return -1;
    }
    *survivor = sb_obj_resolve(db, ot, pid, 0);
    *merged = sb_obj_resolve(db, ot, mid, 0);
    if (!*survivor || !*merged) {
        sb_resp_error(resp, 404, "OBJECT_NOT_FOUND", NULL,
                      "Could not find %s %lld", sb_otype_singular(ot),
                      (long long)(*survivor ? mid : pid));
        return -1;
    }
    if (*survivor == *merged) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Cannot merge a %s with itself", sb_otype_singular(ot));
        return -1;
    }
    return 0;
}

static void merge_objects(struct sb_request *req, struct sb_response *resp)
{
    int ot = sb_otype_parse(sb_param(req, "objectType"));
    int64_t survivor, merged;
    struct err e = {0};
    json_t *body = NULL;
    sqlite3 *db;

    if (ot == SB_OT_NONE) {
        sb_resp_error(resp, 400, "VALIDATION_ERROR", NULL,
                      "Unable to infer object type from: %s",
                      sb_param(req, "objectType"));
        return;
    }
    db = sb_db_lock(req->sb);
    if (merge_ids(req, resp, db, ot, &survivor, &merged) == 0) {
        if (merge_records(db, ot, survivor, merged, &e) == 0)
            body = survivor_json(db, ot, survivor);
        else
            log_error("sandbox: %s", e.msg);
    }
    sb_db_unlock(req->sb);
    if (body)
        sb_resp_json(resp, 200, body);
    else if (e.msg[0])
        sb_resp_error(resp, 500, "INTERNAL_ERROR", NULL, "internal error");
}

const struct sb_route sb_merge_routes[] = {
    {"POST", "/crm/v3/objects/{objectType}/merge", merge_objects, 0},
    {0},
};
