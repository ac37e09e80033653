#include "sandbox/assoc_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "sandbox/assoc_store.h"
#include "sandbox/assoc_types.h"
#include "sandbox/sb.h"

int assoc_str_id(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int assoc_json_id(const json_t *v, int64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = json_integer_value(v);
        return 0;
    }
    return assoc_str_id(json_string_value(v), out);
}

/* The survivor of a merged-away id, or the id itself. */
static int64_t follow_merges(sqlite3 *db, int ot, int64_t id)
{
    sqlite3_stmt *st = NULL;

    /* Merges can chain (A into B, then B into C): follow a few hops. */
    for (int hop = 0; hop < 16; hop++) {
        int found = 0;

        if (sb_stmt_prepare(db,
                            "SELECT survivor_id FROM merges WHERE"
                            " object_type = ?1 AND merged_id = ?2",
                            &st) != SQLITE_OK)
            break;
        sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            found = 1;
        }
        sb_stmt_release(st);
        if (!found)
            break;
    }
    return id;
}

int assoc_record_find(sqlite3 *db, int ot, int64_t id, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc;

    id = follow_merges(db, ot, id);
    if (sb_stmt_prepare(db,
                        "SELECT 1 FROM objects WHERE id = ?1 AND"
                        " object_type = ?2 AND archived = 0",
                        &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, sb_otype_name(ot), -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sb_stmt_release(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    *out = id;
    return rc == SQLITE_ROW;
}

json_t *assoc_type_json(int from, int to, int id)
{
    const struct assoc_type *t = assoc_type_find(from, to, id);

    return json_pack("{s:s, s:i, s:o}", "category", "HUBSPOT_DEFINED", "typeId",
                     id, "label",
                     t && t->label ? json_string(t->label) : json_null());
}

json_t *assoc_types_json(int from, int to, const int *ids, int n)
{
    json_t *arr = json_array();

    for (int i = 0; i < n; i++)
        json_array_append_new(arr, assoc_type_json(from, to, ids[i]));
    return arr;
}

json_t *assoc_batch_body(json_t *results, json_t *errors, int64_t started_ms)
{
    char started[32], done[32];
    json_t *o;

    sb_iso(started_ms, started);
    sb_iso(sb_now_ms(), done);
    o = json_pack("{s:s, s:o, s:s, s:s}", "status", "COMPLETE", "results",
                  results, "startedAt", started, "completedAt", done);
    if (json_array_size(errors) > 0) {
        json_object_set_new(o, "numErrors",
                            json_integer((json_int_t)json_array_size(errors)));
        json_object_set_new(o, "errors", errors);
    } else {
        json_decref(errors);
    }
    return o;
}

json_t *assoc_link_json(int from, int to, const struct assoc_link *l)
{
    char id[24];

    /* toObjectId is a string in the client's model. */
    snprintf(id, sizeof(id), "%lld", (long long)l->to_id);
    return json_pack("{s:s, s:o}", "toObjectId", id, "associationTypes",
                     assoc_types_json(from, to, l->type_ids, l->ntypes));
}

void assoc_batch_respond(struct sb_response *resp, int ok_status,
                         json_t *results, json_t *errors, int64_t started_ms)
{
    int status = json_array_size(errors) ? 207 : ok_status;

    sb_resp_json(resp, status, assoc_batch_body(results, errors, started_ms));
}
