/* objassoc.c: associations as the objects API sees them: written at
 * create time, read back with ?associations=. The rules for links
 * (labels imply the unlabeled type, one primary company) belong to the
 * associations family, whose store function does the writing. Also the
 * seed file's "associations" section. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "sandbox/assoc_store.h"
#include "sandbox/assoc_types.h"
#include "sandbox/objects.h"
#include "sandbox/sb.h"

#define ASSOC_TYPES_MAX 8

/* The type with id from ot to any object type. */
static const struct assoc_type *type_from(int ot, int id)
{
    for (int to = 0; to < SB_OT_COUNT; to++) {
        const struct assoc_type *t = assoc_type_find(ot, to, id);
        if (t)
            return t;
    }
    return NULL;
}

static int assoc_fail(struct sb_op_error *oe, size_t i, const char *why)
{
    oe->status = 400;
    oe->category = "VALIDATION_ERROR";
    oe->message = xasprintf("associations[%zu]: %s", i, why);
    return -1;
}

/* Reads one {to:{id}, types:[...]} entry into a target and type ids. */
static int assoc_parse(int ot, json_t *a, size_t i, int *to, int64_t *to_id,
                       int *ids, size_t *n, struct sb_op_error *oe)
{
    json_t *types = json_object_get(a, "types"), *t;
    size_t k;

    *to_id = sb_obj_parse_id(
        json_string_value(json_object_get(json_object_get(a, "to"), "id")));
    if (!*to_id || !json_is_array(types) || json_array_size(types) == 0 ||
        json_array_size(types) > ASSOC_TYPES_MAX)
        return assoc_fail(oe, i, "needs to.id and 1 to 8 types");
    *to = SB_OT_NONE;
    json_array_foreach(types, k, t)
    {
        const struct assoc_type *h = type_from(
            ot,
            (int)json_integer_value(json_object_get(t, "associationTypeId")));
        const char *cat =
            json_string_value(json_object_get(t, "associationCategory"));
        if (!h || !cat || strcmp(cat, "HUBSPOT_DEFINED"))
            return assoc_fail(oe, i,
                              "unknown association type for this object");
        if (*to != SB_OT_NONE && *to != h->to)
            return assoc_fail(oe, i, "types point at different object types");
        *to = h->to;
        ids[k] = h->id;
    }
    *n = json_array_size(types);
    return 0;
}

int sb_obj_associate(sqlite3 *db, int ot, int64_t id, json_t *assocs,
                     struct sb_op_error *oe)
{
    json_t *a;
    size_t i;

    if (!assocs)
        return 0;
    if (!json_is_array(assocs))
        return assoc_fail(oe, 0, "associations must be an array");
    json_array_foreach(assocs, i, a)
    {
        int to, ids[ASSOC_TYPES_MAX];
        int64_t to_id;
        size_t n;
        struct err e = {0};
        if (assoc_parse(ot, a, i, &to, &to_id, ids, &n, oe) < 0)
            return -1;
        if (!sb_obj_resolve(db, to, to_id, 0))
            return assoc_fail(oe, i, "the record to associate does not exist");
        if (assoc_store_set(db, ot, id, to, to_id, ids, n, false, &e) < 0)
            return assoc_fail(oe, i, e.msg);
    }
    return 0;
}

static const char *type_name(int from, int to, int id, char *buf, size_t n)
{
    const struct assoc_type *t = assoc_type_find(from, to, id);

    if (t && t->v3name)
        return t->v3name;
    snprintf(buf, n, "%d", id);
    return buf;
}

static json_t *assoc_results(sqlite3 *db, int ot, int64_t id, int to)
{
    sqlite3_stmt *st = NULL;
    json_t *results = json_array();
    char idbuf[24], namebuf[24];

    if (sb_stmt_prepare(db,
                        "SELECT a.to_id, a.type_id FROM associations a"
                        " JOIN objects o ON o.id = a.to_id AND"
                        " o.archived = 0 WHERE a.from_type = ? AND"
                        " a.from_id = ? AND a.to_type = ?"
                        " ORDER BY a.to_id, a.type_id",
                        &st) != SQLITE_OK)
        return results;
    sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_text(st, 3, sb_otype_name(to), -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(idbuf, sizeof(idbuf), "%lld",
                 (long long)sqlite3_column_int64(st, 0));
        json_array_append_new(
            results, json_pack("{s:s, s:s}", "id", idbuf, "type",
                               type_name(ot, to, sqlite3_column_int(st, 1),
                                         namebuf, sizeof(namebuf))));
    }
    sb_stmt_release(st);
    return results;
}

json_t *sb_obj_assoc_json(sqlite3 *db, int ot, int64_t id, json_t *types)
{
    json_t *out = json_object(), *t;
    size_t i;

    json_array_foreach(types, i, t)
    {
        int to = sb_otype_parse(json_string_value(t));
        json_t *results;
        if (to == SB_OT_NONE)
            continue;
        results = assoc_results(db, ot, id, to);
        if (json_array_size(results) > 0)
            json_object_set_new(out, sb_otype_name(to),
                                json_pack("{s:o}", "results", results));
        else
            json_decref(results);
    }
    return out;
}

/* One seed entry: {from:{type,id}, to:{type,id}, types:[typeId...]};
 * without types, the pair's unlabeled type. */
static int seed_link(sqlite3 *db, json_t *a, const char *where, struct err *e)
{
    json_t *from = json_object_get(a, "from"), *to = json_object_get(a, "to");
    json_t *types = json_object_get(a, "types"), *t;
    int fot = sb_otype_parse(json_string_value(json_object_get(from, "type")));
    int tot = sb_otype_parse(json_string_value(json_object_get(to, "type")));
    int64_t fid =
        sb_obj_parse_id(json_string_value(json_object_get(from, "id")));
    int64_t tid = sb_obj_parse_id(json_string_value(json_object_get(to, "id")));
    const struct assoc_type *def = assoc_type_default(fot, tot);
    int ids[ASSOC_TYPES_MAX];
    size_t n = 0, i;

    if (fot == SB_OT_NONE || tot == SB_OT_NONE || !fid || !tid || !def)
        return err_set(e, ERR_INPUT,
                       "%s: needs from and to as {type, id} of two linkable "
                       "object types",
                       where);
    if (!sb_obj_resolve(db, fot, fid, 0) || !sb_obj_resolve(db, tot, tid, 0))
        return err_set(e, ERR_INPUT, "%s: no such record", where);
    if (types &&
        (!json_is_array(types) || json_array_size(types) > ASSOC_TYPES_MAX))
        return err_set(e, ERR_INPUT, "%s.types: expected up to %d type ids",
                       where, ASSOC_TYPES_MAX);
    json_array_foreach(types, i, t)
    {
        ids[n] = (int)json_integer_value(t);
        if (!assoc_type_find(fot, tot, ids[n++]))
            return err_set(e, ERR_INPUT, "%s.types[%zu]: unknown type id",
                           where, i);
    }
    if (n == 0)
        ids[n++] = def->id;
    return assoc_store_set(db, fot, fid, tot, tid, ids, n, false, e);
}

int sb_associations_seed(sqlite3 *db, json_t *section, const char *file,
                         struct err *e)
{
    char where[512];
    json_t *a;
    size_t i;

    if (!json_is_array(section))
        return err_set(e, ERR_INPUT, "%s: associations: expected an array",
                       file);
    json_array_foreach(section, i, a)
    {
        snprintf(where, sizeof(where), "%s: associations[%zu]", file, i);
        if (seed_link(db, a, where, e) < 0)
            return e->code ? e->code : ERR_INPUT;
    }
    return 0;
}
