/* properties.c: the properties API v3 (definitions and groups) and the
 * loading of definitions for record writes. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/xalloc.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

#define PROP_COLS                                                              \
    "name, label, type, field_type, group_name, description, options,"         \
    " display_order, has_unique_value, hubspot_defined, calculated,"           \
    " read_only_value, read_only_definition, hidden, form_field, archived,"    \
    " created_at, updated_at"

static const char *col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

static json_t *iso_json(int64_t ms)
{
    char iso[32];

    sb_iso(ms, iso);
    return json_string(iso);
}

/* A Property from a row selected with PROP_COLS. */
static json_t *prop_json(sqlite3_stmt *st)
{
    json_t *opts = json_loads(col(st, 6), 0, NULL);
    int hs = sqlite3_column_int(st, 9);
    json_t *p = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:b, s:b, s:b, s:b, s:b,"
        " s:b}",
        "name", col(st, 0), "label", col(st, 1), "type", col(st, 2),
        "fieldType", col(st, 3), "groupName", col(st, 4), "description",
        col(st, 5), "options", opts ? opts : json_array(), "displayOrder",
        sqlite3_column_int(st, 7), "hasUniqueValue", sqlite3_column_int(st, 8),
        "calculated", sqlite3_column_int(st, 10), "hidden",
        sqlite3_column_int(st, 13), "formField", sqlite3_column_int(st, 14),
        "archived", sqlite3_column_int(st, 15), "externalOptions",
        !strcmp(col(st, 0), "hubspot_owner_id"));

    if (hs)
        json_object_set_new(p, "hubspotDefined", json_true());
    if (!strcmp(col(st, 0), "hubspot_owner_id"))
        json_object_set_new(p, "referencedObjectType", json_string("OWNER"));
    json_object_set_new(p, "modificationMetadata",
                        json_pack("{s:b, s:b, s:b}", "archivable", !hs,
                                  "readOnlyDefinition",
                                  sqlite3_column_int(st, 12), "readOnlyValue",
                                  sqlite3_column_int(st, 11)));
    if (!strcmp(col(st, 2), "enumeration"))
        json_object_set_new(json_object_get(p, "modificationMetadata"),
                            "readOnlyOptions",
                            json_boolean(sb_prop_options_read_only(
                                col(st, 0), hs, sqlite3_column_int(st, 11))));
    json_object_set_new(p, "createdAt", iso_json(sqlite3_column_int64(st, 16)));
    json_object_set_new(p, "updatedAt", iso_json(sqlite3_column_int64(st, 17)));
    /* Archiving is the last change an archived property sees. */
    if (sqlite3_column_int(st, 15))
        json_object_set_new(p, "archivedAt",
                            iso_json(sqlite3_column_int64(st, 17)));
    return p;
}

int sb_prop_options_read_only(const char *name, int hubspot_defined,
                              int read_only_value)
{
    return hubspot_defined &&
           (read_only_value || !strcmp(name, "hubspot_owner_id") ||
            !strcmp(name, "pipeline") || !strcmp(name, "dealstage"));
}

json_t *sb_prop_get(sqlite3 *db, const char *object_type, const char *name,
                    int archived)
{
    sqlite3_stmt *st = NULL;
    json_t *p = NULL;

    if (sb_stmt_prepare(db,
                        "SELECT " PROP_COLS " FROM properties"
                        " WHERE object_type = ? AND name = ? AND archived = ?",
                        &st) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, object_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, archived != 0);
    if (sqlite3_step(st) == SQLITE_ROW)
        p = prop_json(st);
    sb_stmt_release(st);
    return p;
}

/* Runs sql (binding object_type to ?1) and collects column 0 as options. */
static json_t *options_from(sqlite3 *db, const char *sql,
                            const char *object_type)
{
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array();

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, object_type, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(arr, json_pack("{s:s}", "value", col(st, 0)));
    }
    sb_stmt_release(st);
    return arr;
}

/* Options that live in other tables replace the stored ones. */
static void dynamic_options(sqlite3 *db, const char *object_type,
                            struct sb_propdef *d)
{
    json_t *o = NULL;

    if (!strcmp(d->name, "hubspot_owner_id"))
        o = options_from(db, "SELECT id FROM owners WHERE ?1 IS NOT NULL",
                         object_type);
    else if (!strcmp(d->name, "pipeline"))
        o = options_from(db,
                         "SELECT id FROM pipelines WHERE object_type = ?1"
                         " AND archived = 0",
                         object_type);
    else if (!strcmp(d->name, "dealstage"))
        o = options_from(db,
                         "SELECT DISTINCT id FROM pipeline_stages"
                         " WHERE object_type = ?1 AND archived = 0",
                         object_type);
    if (!o)
        return;
    /* Until pipelines exist in their tables, the stored options stand. */
    if (json_array_size(o) == 0 && strcmp(d->name, "hubspot_owner_id")) {
        json_decref(o);
        return;
    }
    json_decref(d->options);
    d->options = o;
}

int sb_propdefs_load(sqlite3 *db, const char *object_type,
                     struct sb_propdefs *defs)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;

    memset(defs, 0, sizeof(*defs));
    if (sb_stmt_prepare(db,
                        "SELECT name, type, field_type, options,"
                        " read_only_value, has_unique_value"
                        " FROM properties WHERE object_type = ?"
                        " AND archived = 0",
                        &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, object_type, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct sb_propdef *d;
        if (defs->n == cap) {
            cap = cap ? cap * 2 : 64;
            defs->v = xrealloc(defs->v, cap * sizeof(*defs->v));
        }
        d = &defs->v[defs->n++];
        d->name = xstrdup(col(st, 0));
        d->type = xstrdup(col(st, 1));
        d->field_type = xstrdup(col(st, 2));
        d->options = json_loads(col(st, 3), 0, NULL);
        d->read_only = sqlite3_column_int(st, 4);
        d->unique = sqlite3_column_int(st, 5);
        d->create_only = sb_prop_create_only(d->name);
        dynamic_options(db, object_type, d);
    }
    sb_stmt_release(st);
    return 0;
}

int sb_prop_is_unique(const char *object_type, const struct sb_propdef *d)
{
    return d->unique ||
           (!strcmp(object_type, "contacts") && !strcmp(d->name, "email"));
}

int sb_prop_count(sqlite3 *db, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st = NULL;
    int n = -1;

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sb_stmt_release(st);
    return n;
}

int sb_prop_refuse(char *msg, size_t size, int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return status;
}

static int valid_name(const char *s)
{
    if (!islower((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
            *s != '_')
            return 0;
    return 1;
}

/* One OptionInput as the store keeps it: the fields HubSpot's Option
 * has, hidden false when left out. NULL with msg when malformed. */
static json_t *clean_option(json_t *o, size_t i, char *msg, size_t size)
{
    json_t *label = json_object_get(o, "label");
    json_t *value = json_object_get(o, "value");
    json_t *order = json_object_get(o, "displayOrder");
    json_t *hidden = json_object_get(o, "hidden");
    json_t *desc = json_object_get(o, "description");
    json_t *c;

    if (!json_is_string(label) || !json_is_string(value)) {
        sb_prop_refuse(msg, size, 400, "options[%zu] needs a label and a value",
                       i);
        return NULL;
    }
    if ((order && !json_is_integer(order)) ||
        (hidden && !json_is_boolean(hidden)) ||
        (desc && !json_is_string(desc))) {
        sb_prop_refuse(msg, size, 400,
                       "options[%zu]: displayOrder must be an integer, "
                       "hidden a boolean and description a string",
                       i);
        return NULL;
    }
    c = json_pack("{s:O, s:O, s:b}", "label", label, "value", value, "hidden",
                  json_is_true(hidden));
    if (order)
        json_object_set(c, "displayOrder", order);
    if (desc)
        json_object_set(c, "description", desc);
    return c;
}

json_t *sb_prop_options_clean(json_t *opts, char *msg, size_t size)
{
    json_t *out, *o, *c;
    size_t i, j;

    if (!json_is_array(opts)) {
        sb_prop_refuse(msg, size, 400, "options must be an array");
        return NULL;
    }
    out = json_array();
    json_array_foreach(opts, i, o)
    {
        const char *v;

        if (!(c = clean_option(o, i, msg, size)))
            goto bad;
        v = json_string_value(json_object_get(c, "value"));
        json_array_append_new(out, c);
        for (j = 0; j < i; j++)
            if (!strcmp(v, json_string_value(json_object_get(
                               json_array_get(out, j), "value")))) {
                sb_prop_refuse(msg, size, 400,
                               "options[%zu]: duplicate value '%s'", i, v);
                goto bad;
            }
    }
    return out;
bad:
    json_decref(out);
    return NULL;
}

int sb_prop_pair_ok(const char *type, const char *field_type)
{
    return sb_validate_type_pair(type, field_type) &&
           strcmp(type, "phone_number");
}

int sb_prop_group_live(sqlite3 *db, const char *ot, const char *group)
{
    return sb_prop_count(db,
                         "SELECT count(*) FROM property_groups WHERE"
                         " object_type = ?1 AND name = ?2 AND archived = 0",
                         ot, group) > 0;
}

/* Checks a PropertyCreate body; 0, or 400 with msg. *opts gets its
 * options cleaned, or NULL when it has none. */
static int create_check(sqlite3 *db, const char *ot, json_t *body,
                        const char *name, json_t **opts, char *msg, size_t size)
{
    const char *type = json_string_value(json_object_get(body, "type"));
    const char *ft = json_string_value(json_object_get(body, "fieldType"));
    const char *group = json_string_value(json_object_get(body, "groupName"));
    json_t *given = json_object_get(body, "options");

    *opts = NULL;
    if (!name || !json_is_string(json_object_get(body, "label")) || !type ||
        !ft || !group)
        return sb_prop_refuse(msg, size, 400,
                              "name, label, type, fieldType and groupName are "
                              "required");
    if (!valid_name(name))
        return sb_prop_refuse(msg, size, 400,
                              "Property name '%s' must start with a letter and "
                              "hold only lowercase letters, digits and '_'",
                              name);
    if (!sb_prop_pair_ok(type, ft))
        return sb_prop_refuse(msg, size, 400,
                              "fieldType '%s' is not valid for type '%s'", ft,
                              type);
    if ((!strcmp(type, "enumeration") || given) &&
        !(*opts = sb_prop_options_clean(given, msg, size)))
        return 400;
    if (!sb_prop_group_live(db, ot, group))
        return sb_prop_refuse(msg, size, 400,
                              "Property group '%s' does not exist", group);
    return 0;
}

static int create_insert(sqlite3 *db, const char *ot, json_t *body,
                         const char *name, json_t *opts, int64_t created)
{
    sqlite3_stmt *st = NULL;
    char *text = opts ? json_dumps(opts, JSON_COMPACT) : NULL;
    int rc = -1;

    if (sb_stmt_prepare(
            db,
            "INSERT INTO properties(object_type, name, label, type,"
            " field_type, group_name, description, options, display_order,"
            " has_unique_value, hidden, form_field, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            &st) == SQLITE_OK) {
        const char *desc =
            json_string_value(json_object_get(body, "description"));
        json_t *order = json_object_get(body, "displayOrder");
        sqlite3_bind_text(st, 1, ot, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        for (int i = 0; i < 4; i++) {
            static const char *const keys[] = {"label", "type", "fieldType",
                                               "groupName"};
            sqlite3_bind_text(st, 3 + i,
                              json_string_value(json_object_get(body, keys[i])),
                              -1, SQLITE_STATIC);
        }
        sqlite3_bind_text(st, 7, desc ? desc : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, text ? text : "[]", -1, SQLITE_STATIC);
        sqlite3_bind_int64(
            st, 9, json_is_integer(order) ? json_integer_value(order) : -1);
        sqlite3_bind_int(st, 10,
                         json_is_true(json_object_get(body, "hasUniqueValue")));
        sqlite3_bind_int(st, 11, json_is_true(json_object_get(body, "hidden")));
        sqlite3_bind_int(st, 12,
                         json_is_true(json_object_get(body, "formField")));
        sqlite3_bind_int64(st, 13, created);
        sqlite3_bind_int64(st, 14, sb_now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    free(text);
    return rc;
}

/* Creating the name of an archived property restores it, as HubSpot
 * does: the old row goes, its createdAt stays. Returns that createdAt,
 * or now when nothing was archived under the name. */
static int64_t take_archived(sqlite3 *db, const char *ot, const char *name)
{
    sqlite3_stmt *st = NULL;
    int64_t created = sb_now_ms();

    if (sb_stmt_prepare(db,
                        "DELETE FROM properties WHERE object_type = ? AND"
                        " name = ? AND archived = 1 RETURNING created_at",
                        &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, ot, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            created = sqlite3_column_int64(st, 0);
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
    }
    sb_stmt_release(st);
    return created;
}

int sb_prop_create(sqlite3 *db, const char *ot, json_t *body, char *msg,
                   size_t size)
{
    const char *raw = json_string_value(json_object_get(body, "name"));
    char *name = raw ? xstrdup(raw) : NULL;
    json_t *opts = NULL;
    int rc;

    for (char *p = name; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (!json_is_object(body)) {
        rc = sb_prop_refuse(msg, size, 400, "expected a JSON object");
        goto out;
    }
    if ((rc = create_check(db, ot, body, name, &opts, msg, size)) != 0)
        goto out;
    if (sb_prop_count(db,
                      "SELECT count(*) FROM properties WHERE object_type = ?1"
                      " AND name = ?2 AND archived = 0",
                      ot, name) > 0) {
        rc = sb_prop_refuse(msg, size, 409,
                            "A property named '%s' already exists.", name);
        goto out;
    }
    if (json_is_true(json_object_get(body, "hasUniqueValue")) &&
        sb_prop_count(db,
                      "SELECT count(*) FROM properties WHERE object_type = ?1"
                      " AND has_unique_value = 1 AND hubspot_defined = 0"
                      " AND archived = 0 AND ?2 IS NOT NULL",
                      ot, name) >= SB_UNIQUE_MAX) {
        rc = sb_prop_refuse(msg, size, 400,
                            "An object can have at most %d properties with "
                            "unique values",
                            SB_UNIQUE_MAX);
        goto out;
    }
    rc = create_insert(db, ot, body, name, opts, take_archived(db, ot, name)) ==
                 0
             ? 0
             : 500;
    if (rc)
        snprintf(msg, size, "store: %s", sqlite3_errmsg(db));
out:
    json_decref(opts);
    free(name);
    return rc;
}
