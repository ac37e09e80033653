/* objstore.c: records in the store; see objects.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "sandbox/objects.h"
#include "sandbox/pipelines.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

#define MERGE_CHAIN_MAX 16

static const char *const default_props[SB_OT_COUNT][9] = {
    {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate",
     "lastname", NULL},
    {"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name",
     NULL},
    {"amount", "closedate", "createdate", "dealname", "dealstage",
     "hs_lastmodifieddate", "hs_object_id", "pipeline", NULL},
};

void sb_op_error_release(struct sb_op_error *oe)
{
    if (!oe)
        return;
    free(oe->message);
    json_decref(oe->context);
    memset(oe, 0, sizeof(*oe));
}

static int op_fail(struct sb_op_error *oe, int status, const char *category,
                   char *message)
{
    oe->status = status;
    oe->category = category;
    oe->message = message;
    return -1;
}

int64_t sb_obj_parse_id(const char *s)
{
    int64_t v = 0;

    if (!s || !*s || strlen(s) > 18)
        return 0;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static int64_t query_id(sqlite3 *db, const char *sql, const char *type,
                        int64_t id, int flag)
{
    sqlite3_stmt *st = NULL;
    int64_t out = 0;

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        sqlite3_bind_int(st, 3, flag);
        if (sqlite3_step(st) == SQLITE_ROW)
            out = sqlite3_column_int64(st, 0);
    }
    sb_stmt_release(st);
    return out;
}

int64_t sb_obj_resolve(sqlite3 *db, int ot, int64_t id, int archived)
{
    const char *type = sb_otype_name(ot);

    for (int i = 0; i < MERGE_CHAIN_MAX; i++) {
        int64_t next = query_id(db,
                                "SELECT survivor_id FROM merges WHERE"
                                " object_type = ?1 AND merged_id = ?2"
                                " AND ?3 IS NOT NULL",
                                type, id, 0);
        if (!next)
            break;
        id = next;
    }
    return query_id(db,
                    "SELECT id FROM objects WHERE object_type = ?1 AND"
                    " id = ?2 AND archived = ?3",
                    type, id, archived != 0);
}

/* The queries below use CROSS JOIN so that object_values, searched
 * through its (name, value) index, stays the outer loop: otherwise the
 * planner walks every object in id order for the ORDER BY, and one lookup
 * costs the size of the portal. */
static int64_t find_value(sqlite3 *db, int ot, const char *sql,
                          const char *name, const char *value)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
    }
    sb_stmt_release(st);
    return id;
}

int64_t sb_obj_find(sqlite3 *db, int ot, const char *name, const char *value)
{
    int is_email = ot == SB_OT_CONTACTS && !strcmp(name, "email");
    char *v = xstrdup(value);
    int64_t id;

    if (is_email)
        for (char *p = v; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    id = find_value(db, ot,
                    "SELECT o.id FROM object_values v CROSS JOIN objects o"
                    " ON o.id = v.object_id WHERE o.object_type = ?1 AND"
                    " o.archived = 0 AND v.name = ?2 AND v.value = ?3"
                    " ORDER BY o.id LIMIT 1",
                    name, v);
    /* Records seeded unchecked may hold an email in any case or with
     * white space around it, there or among their additional emails.
     * Only they are compared normalized, so every other lookup stays on
     * the index. */
    if (!id && is_email)
        id = find_value(db, ot,
                        "SELECT o.id FROM unchecked_objects u CROSS JOIN"
                        " objects o ON o.id = u.object_id CROSS JOIN"
                        " object_values v ON v.object_id = o.id WHERE"
                        " o.object_type = ?1 AND o.archived = 0 AND"
                        " ((v.name = ?2 AND lower(trim(v.value)) = ?3) OR"
                        " (v.name = 'hs_additional_emails' AND"
                        " instr(';' || replace(lower(v.value), ' ', '') ||"
                        " ';', ';' || ?3 || ';') > 0))"
                        " ORDER BY v.name <> ?2, o.id LIMIT 1",
                        name, v);
    /* A merged-away contact's email lives on in hs_additional_emails. */
    if (!id && is_email)
        id = find_value(db, ot,
                        "SELECT o.id FROM object_values v CROSS JOIN objects o"
                        " ON o.id = v.object_id WHERE o.object_type = ?1 AND"
                        " o.archived = 0 AND v.name = ?2 AND"
                        " instr(';' || v.value || ';', ';' || ?3 || ';') > 0"
                        " ORDER BY o.id LIMIT 1",
                        "hs_additional_emails", v);
    free(v);
    return id;
}

json_t *sb_obj_values(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    json_t *o = json_object();

    if (sb_stmt_prepare(db,
                        "SELECT name, value FROM object_values"
                        " WHERE object_id = ?",
                        &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(
                o, (const char *)sqlite3_column_text(st, 0),
                json_string((const char *)sqlite3_column_text(st, 1)));
    }
    sb_stmt_release(st);
    return o;
}

static int prop_exists(sqlite3 *db, int ot, const char *name)
{
    sqlite3_stmt *st = NULL;
    int found = 0;

    if (sb_stmt_prepare(db,
                        "SELECT 1 FROM properties WHERE object_type = ?"
                        " AND name = ? AND archived = 0",
                        &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, sb_otype_name(ot), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sb_stmt_release(st);
    return found;
}

static const char *modified_prop(int ot)
{
    return ot == SB_OT_CONTACTS ? "lastmodifieddate" : "hs_lastmodifieddate";
}

/* The properties object: requested (or default) names, null when unset;
 * the id and the two dates always. */
static json_t *props_json(sqlite3 *db, int ot, json_t *values, json_t *props)
{
    const char *always[] = {"hs_object_id", "createdate", modified_prop(ot)};
    json_t *out = json_object(), *name;
    size_t i;

    for (i = 0; i < 3; i++)
        json_object_set(out, always[i], json_object_get(values, always[i]));
    if (!props) {
        for (i = 0; default_props[ot][i]; i++) {
            json_t *v = json_object_get(values, default_props[ot][i]);
            json_object_set_new(out, default_props[ot][i],
                                v ? json_incref(v) : json_null());
        }
        return out;
    }
    json_array_foreach(props, i, name)
    {
        const char *n = json_string_value(name);
        json_t *v = json_object_get(values, n);
        if (n && (v || prop_exists(db, ot, n)))
            json_object_set_new(out, n, v ? json_incref(v) : json_null());
    }
    return out;
}

static json_t *iso_json(int64_t ms)
{
    char iso[32];

    sb_iso(ms, iso);
    return json_string(iso);
}

/* Every value the record has, the id and the two dates first, as the
 * props_json of the names in values would give it, with one read less. */
static json_t *set_json(int ot, json_t *values)
{
    const char *always[] = {"hs_object_id", "createdate", modified_prop(ot)};
    json_t *out = json_object();

    for (size_t i = 0; i < 3; i++)
        json_object_set(out, always[i], json_object_get(values, always[i]));
    json_object_update(out, values);
    return out;
}

static json_t *record_json(sqlite3 *db, int ot, int64_t id, json_t *props,
                           int all)
{
    sqlite3_stmt *st = NULL;
    json_t *o = NULL, *values;
    char ids[24];

    if (sb_stmt_prepare(db,
                        "SELECT created_at, updated_at, archived,"
                        " archived_at FROM objects WHERE id = ?",
                        &st) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(ids, sizeof(ids), "%lld", (long long)id);
        values = sb_obj_values(db, id);
        o = json_pack("{s:s, s:o, s:o, s:o, s:b}", "id", ids, "properties",
                      all ? set_json(ot, values)
                          : props_json(db, ot, values, props),
                      "createdAt", iso_json(sqlite3_column_int64(st, 0)),
                      "updatedAt", iso_json(sqlite3_column_int64(st, 1)),
                      "archived", sqlite3_column_int(st, 2));
        if (sqlite3_column_int(st, 2))
            json_object_set_new(o, "archivedAt",
                                iso_json(sqlite3_column_int64(st, 3)));
        json_decref(values);
    }
    sb_stmt_release(st);
    return o;
}

json_t *sb_obj_json(sqlite3 *db, int ot, int64_t id, json_t *props)
{
    return record_json(db, ot, id, props, 0);
}

json_t *sb_obj_json_all(sqlite3 *db, int ot, int64_t id)
{
    return record_json(db, ot, id, NULL, 1);
}

/* Refuses a value a unique property already holds on another record. */
static int check_unique(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                        json_t *values, int64_t self, struct sb_op_error *oe)
{
    const char *name;
    json_t *v;

    json_object_foreach(values, name, v)
    {
        const struct sb_propdef *d = sb_propdefs_find(defs, name);
        const char *s = json_string_value(v);
        int64_t other;
        if (!d || !*s || !sb_prop_is_unique(sb_otype_name(ot), d))
            continue;
        other = sb_obj_find(db, ot, name, s);
        if (!other || other == self)
            continue;
        if (ot == SB_OT_CONTACTS && !strcmp(name, "email"))
            return op_fail(oe, 409, "CONFLICT",
                           xasprintf("Contact already exists. Existing ID: "
                                     "%lld",
                                     (long long)other));
        return op_fail(oe, 409, "CONFLICT",
                       xasprintf("A %s with %s '%s' already exists. "
                                 "Existing ID: %lld",
                                 sb_otype_singular(ot), name, s,
                                 (long long)other));
    }
    return 0;
}

static int put_value(sqlite3 *db, int64_t id, const char *name,
                     const char *value)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    const char *sql = *value ? "INSERT OR REPLACE INTO object_values(object_id,"
                               " name, value) VALUES(?,?,?)"
                             : "DELETE FROM object_values WHERE object_id = ?"
                               " AND name = ? AND ?3 IS NOT NULL";

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    return rc;
}

static int put_values(sqlite3 *db, int64_t id, json_t *values)
{
    const char *name;
    json_t *v;

    json_object_foreach(values, name, v)
    {
        if (put_value(db, id, name, json_string_value(v)) < 0)
            return -1;
    }
    return 0;
}

/* Stamps the modification time on the row and in the values. */
static int touch(sqlite3 *db, int ot, int64_t id, int64_t now)
{
    char iso[32];
    sqlite3_stmt *st = NULL;
    int rc = -1;

    sb_iso(now, iso);
    if (sb_stmt_prepare(db, "UPDATE objects SET updated_at = ? WHERE id = ?",
                        &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, id);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    if (rc == 0)
        rc = put_value(db, id, modified_prop(ot), iso);
    if (rc == 0 && ot == SB_OT_CONTACTS)
        rc = put_value(db, id, "hs_lastmodifieddate", iso);
    return rc;
}

/* A createdate given on create is when the record was created, as
 * createdAt shows it. */
static int64_t created_at(json_t *values, int64_t now)
{
    const char *s = json_string_value(json_object_get(values, "createdate"));
    long long ms;

    return s && *s && sb_parse_datetime(s, &ms) == 0 ? (int64_t)ms : now;
}

static int64_t insert_row(sqlite3 *db, int ot, int64_t want_id, int64_t created,
                          int64_t now)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;

    if (sb_stmt_prepare(db,
                        "INSERT INTO objects(id, object_type, created_at,"
                        " updated_at) VALUES(?, ?, ?3, ?4)",
                        &st) == SQLITE_OK) {
        if (want_id > 0)
            sqlite3_bind_int64(st, 1, want_id);
        sqlite3_bind_text(st, 2, sb_otype_name(ot), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, created);
        sqlite3_bind_int64(st, 4, now);
        if (sqlite3_step(st) == SQLITE_DONE)
            id = sqlite3_last_insert_rowid(db);
    }
    sb_stmt_release(st);
    return id;
}

/* System values a new record gets unless the caller gave them. */
static void add_system_values(int ot, int64_t id, int64_t now, json_t *values)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%lld", (long long)id);
    json_object_set_new(values, "hs_object_id", json_string(buf));
    sb_iso(now, buf);
    if (!json_string_length(json_object_get(values, "createdate")))
        json_object_set_new(values, "createdate", json_string(buf));
    if (ot == SB_OT_DEALS &&
        json_string_length(json_object_get(values, "dealstage")) &&
        !json_string_length(json_object_get(values, "pipeline")))
        json_object_set_new(values, "pipeline", json_string("default"));
}

static int db_fail(sqlite3 *db, struct sb_op_error *oe)
{
    return op_fail(oe, 500, "INTERNAL_ERROR",
                   xasprintf("store: %s", sqlite3_errmsg(db)));
}

static json_t *validated(const struct sb_propdefs *defs, json_t *props,
                         json_t *current, int creating, struct sb_op_error *oe)
{
    json_t *errors = NULL, *out;

    if (props && !json_is_object(props)) {
        op_fail(oe, 400, "VALIDATION_ERROR",
                xstrdup("properties must be an object"));
        return NULL;
    }
    out = sb_validate_properties(defs, props, current, creating, &errors);
    if (!out) {
        op_fail(oe, 400, "VALIDATION_ERROR", sb_validate_envelope(errors));
        json_decref(errors);
    }
    return out;
}

/* Writes a new record holding values (which gain the system values). */
static int insert_record(sqlite3 *db, int ot, json_t *values, int64_t *id,
                         struct sb_op_error *oe)
{
    int64_t now = sb_now_ms();

    if (!(*id = insert_row(db, ot, *id, created_at(values, now), now)))
        return db_fail(db, oe);
    add_system_values(ot, *id, now, values);
    if (put_values(db, *id, values) < 0 || touch(db, ot, *id, now) < 0)
        return db_fail(db, oe);
    return 0;
}

int sb_obj_create(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                  json_t *props, int64_t *id, struct sb_op_error *oe)
{
    char *bad_stage = pipelines_check_write(db, ot, props, NULL);
    json_t *values = bad_stage ? NULL : validated(defs, props, NULL, 1, oe);
    int rc = -1;

    if (bad_stage)
        return op_fail(oe, 400, "VALIDATION_ERROR", bad_stage);
    if (!values)
        return -1;
    if (check_unique(db, ot, defs, values, 0, oe) == 0)
        rc = insert_record(db, ot, values, id, oe);
    json_decref(values);
    return rc;
}

/* The values of an unchecked record: known property names, strings kept
 * exactly as given. */
static json_t *raw_values(const struct sb_propdefs *defs, json_t *props,
                          struct sb_op_error *oe)
{
    json_t *out, *v;
    const char *name;

    if (!json_is_object(props)) {
        op_fail(oe, 400, "VALIDATION_ERROR",
                xstrdup("properties must be an object"));
        return NULL;
    }
    out = json_object();
    json_object_foreach(props, name, v)
    {
        if (!sb_propdefs_find(defs, name)) {
            op_fail(oe, 400, "VALIDATION_ERROR",
                    xasprintf("Property \"%s\" does not exist", name));
            break;
        }
        if (!json_is_string(v)) {
            op_fail(oe, 400, "VALIDATION_ERROR",
                    xasprintf("%s: expected a string", name));
            break;
        }
        json_object_set(out, name, v);
    }
    if (oe->message) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int sb_obj_create_unchecked(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                            json_t *props, int64_t *id, struct sb_op_error *oe)
{
    sqlite3_stmt *st = NULL;
    json_t *values = raw_values(defs, props, oe);
    int rc = -1;

    if (!values || insert_record(db, ot, values, id, oe) < 0)
        goto out;
    if (sb_stmt_prepare(db,
                        "INSERT INTO unchecked_objects(object_id) VALUES(?)",
                        &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, *id);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, oe);
    } else {
        db_fail(db, oe);
    }
    sb_stmt_release(st);
out:
    json_decref(values);
    return rc;
}

int sb_obj_update(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                  int64_t id, json_t *props, struct sb_op_error *oe)
{
    json_t *current = sb_obj_values(db, id);
    char *bad_stage = pipelines_check_write(db, ot, props, current);
    json_t *values = bad_stage ? NULL : validated(defs, props, current, 0, oe);
    int rc = -1;

    if (bad_stage)
        op_fail(oe, 400, "VALIDATION_ERROR", bad_stage);
    if (!values)
        goto out;
    if (check_unique(db, ot, defs, values, id, oe) < 0)
        goto out;
    if (put_values(db, id, values) < 0 || touch(db, ot, id, sb_now_ms()) < 0) {
        db_fail(db, oe);
        goto out;
    }
    rc = 0;
out:
    json_decref(values);
    json_decref(current);
    return rc;
}

int sb_obj_archive(sqlite3 *db, int ot, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sb_stmt_prepare(db,
                        "UPDATE objects SET archived = 1, archived_at = ?"
                        " WHERE id = ? AND object_type = ? AND"
                        " archived = 0",
                        &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, sb_now_ms());
        sqlite3_bind_int64(st, 2, id);
        sqlite3_bind_text(st, 3, sb_otype_name(ot), -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    return rc;
}
