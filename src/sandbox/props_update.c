/* props_update.c: changing and archiving property definitions and
 * property groups, the store side of PATCH and DELETE under
 * /crm/v3/properties.
 *
 * A PATCH overwrites the fields it carries and keeps the others; options,
 * when sent, replace the whole list. HubSpot's own properties keep their
 * definition (readOnlyDefinition): only their options may change, and not
 * even those where HubSpot feeds them (readOnlyOptions). Archiving keeps
 * the row, and the values records hold, for a later create to restore. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/props.h"
#include "sandbox/sb.h"

/* The body's value for key, else the stored property's. */
static json_t *pick(json_t *body, json_t *cur, const char *key)
{
    json_t *v = json_object_get(body, key);

    return v ? v : json_object_get(cur, key);
}

/* Fields no PATCH may change, and what HubSpot's own properties keep. */
static int check_fixed(json_t *cur, json_t *body, char *msg, size_t size)
{
    const char *name = json_string_value(json_object_get(cur, "name"));
    json_t *meta = json_object_get(cur, "modificationMetadata");
    json_t *given = json_object_get(body, "name");
    json_t *uniq = json_object_get(body, "hasUniqueValue");
    const char *key;
    json_t *v;

    if (given &&
        (!json_is_string(given) || strcasecmp(json_string_value(given), name)))
        return sb_prop_refuse(msg, size, 400,
                              "The name of property '%s' cannot be changed",
                              name);
    if (uniq && !json_equal(uniq, json_object_get(cur, "hasUniqueValue")))
        return sb_prop_refuse(msg, size, 400,
                              "hasUniqueValue of property '%s' cannot be "
                              "changed once the property exists",
                              name);
    if (json_is_true(json_object_get(meta, "readOnlyDefinition")))
        json_object_foreach(body, key, v)
        {
            if (strcmp(key, "options") && strcmp(key, "name") &&
                strcmp(key, "hasUniqueValue"))
                return sb_prop_refuse(msg, size, 400,
                                      "The definition of HubSpot-defined "
                                      "property '%s' is read-only: %s cannot "
                                      "be changed, only options",
                                      name, key);
        }
    if (json_object_get(body, "options") &&
        json_is_true(json_object_get(meta, "readOnlyOptions")))
        return sb_prop_refuse(
            msg, size, 400, "The options of property '%s' are read-only", name);
    return 0;
}

/* The JSON type of each field a PropertyUpdate may carry. */
static int check_types(json_t *body, char *msg, size_t size)
{
    static const char *const strings[] = {"label", "description", "groupName",
                                          "type", "fieldType"};
    static const char *const bools[] = {"hidden", "formField"};
    json_t *order = json_object_get(body, "displayOrder");
    json_t *label = json_object_get(body, "label");

    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        json_t *v = json_object_get(body, strings[i]);
        if (v && !json_is_string(v))
            return sb_prop_refuse(msg, size, 400, "%s must be a string",
                                  strings[i]);
    }
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
        json_t *v = json_object_get(body, bools[i]);
        if (v && !json_is_boolean(v))
            return sb_prop_refuse(msg, size, 400, "%s must be a boolean",
                                  bools[i]);
    }
    if (order && !json_is_integer(order))
        return sb_prop_refuse(msg, size, 400,
                              "displayOrder must be an integer");
    if (label && !*json_string_value(label))
        return sb_prop_refuse(msg, size, 400, "label must not be empty");
    return 0;
}

/* The definition after the change: type pair, group and options as a
 * create checks them. *opts gets the options to store. */
static int check_result(sqlite3 *db, const char *ot, json_t *cur, json_t *body,
                        json_t **opts, char *msg, size_t size)
{
    const char *type = json_string_value(pick(body, cur, "type"));
    const char *ft = json_string_value(pick(body, cur, "fieldType"));
    const char *group = json_string_value(pick(body, cur, "groupName"));
    const char *was = json_string_value(json_object_get(cur, "type"));
    json_t *given = json_object_get(body, "options");

    *opts = NULL;
    if (!sb_prop_pair_ok(type, ft))
        return sb_prop_refuse(msg, size, 400,
                              "fieldType '%s' is not valid for type '%s'", ft,
                              type);
    if (json_object_get(body, "groupName") &&
        !sb_prop_group_live(db, ot, group))
        return sb_prop_refuse(msg, size, 400,
                              "Property group '%s' does not exist", group);
    if (!given && !strcmp(type, "enumeration") && strcmp(was, "enumeration"))
        return sb_prop_refuse(msg, size, 400,
                              "options are required to make '%s' an "
                              "enumeration",
                              json_string_value(json_object_get(cur, "name")));
    if (given)
        *opts = sb_prop_options_clean(given, msg, size);
    else
        *opts = json_incref(json_object_get(cur, "options"));
    return *opts ? 0 : 400;
}

static int write_update(sqlite3 *db, const char *ot, json_t *cur, json_t *body,
                        json_t *opts)
{
    static const char *const texts[] = {"label", "type", "fieldType",
                                        "groupName", "description"};
    char *text = json_dumps(opts, JSON_COMPACT);
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sb_stmt_prepare(db,
                        "UPDATE properties SET label = ?1, type = ?2,"
                        " field_type = ?3, group_name = ?4, description = ?5,"
                        " options = ?6, display_order = ?7, hidden = ?8,"
                        " form_field = ?9, updated_at = ?10"
                        " WHERE object_type = ?11 AND name = ?12"
                        " AND archived = 0",
                        &st) == SQLITE_OK) {
        for (int i = 0; i < 5; i++)
            sqlite3_bind_text(st, i + 1,
                              json_string_value(pick(body, cur, texts[i])), -1,
                              SQLITE_STATIC);
        sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7,
                           json_integer_value(pick(body, cur, "displayOrder")));
        sqlite3_bind_int(st, 8, json_is_true(pick(body, cur, "hidden")));
        sqlite3_bind_int(st, 9, json_is_true(pick(body, cur, "formField")));
        sqlite3_bind_int64(st, 10, sb_now_ms());
        sqlite3_bind_text(st, 11, ot, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12,
                          json_string_value(json_object_get(cur, "name")), -1,
                          SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    free(text);
    return rc;
}

int sb_prop_update(sqlite3 *db, const char *ot, const char *name, json_t *body,
                   char *msg, size_t size)
{
    json_t *cur = sb_prop_get(db, ot, name, 0), *opts = NULL;
    int rc;

    if (!cur)
        return sb_prop_refuse(msg, size, 404, "no property %s", name);
    if (!json_is_object(body))
        rc = sb_prop_refuse(msg, size, 400, "expected a JSON object");
    else if (!(rc = check_fixed(cur, body, msg, size)) &&
             !(rc = check_types(body, msg, size)) &&
             !(rc = check_result(db, ot, cur, body, &opts, msg, size)) &&
             write_update(db, ot, cur, body, opts) < 0)
        rc = sb_prop_refuse(msg, size, 500, "store: %s", sqlite3_errmsg(db));
    json_decref(opts);
    json_decref(cur);
    return rc;
}

/* Runs a change binding object_type and name to ?1 and ?2; returns the
 * rows it changed, or -1. */
static int change(sqlite3 *db, const char *sql, const char *ot,
                  const char *name)
{
    sqlite3_stmt *st = NULL;
    int n = -1;

    if (sb_stmt_prepare(db, sql, &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, ot, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, sb_now_ms());
        if (sqlite3_step(st) == SQLITE_DONE)
            n = sqlite3_changes(db);
    }
    sb_stmt_release(st);
    return n;
}

int sb_prop_archive(sqlite3 *db, const char *ot, const char *name, char *msg,
                    size_t size)
{
    json_t *cur = sb_prop_get(db, ot, name, 0);
    int rc = 0;

    if (!cur)
        return sb_prop_refuse(msg, size, 404, "no property %s", name);
    if (json_is_true(json_object_get(cur, "hubspotDefined")))
        rc = sb_prop_refuse(msg, size, 400,
                            "'%s' is a HubSpot-defined property and cannot "
                            "be archived",
                            name);
    else if (change(db,
                    "UPDATE properties SET archived = 1, updated_at = ?3"
                    " WHERE object_type = ?1 AND name = ?2",
                    ot, name) < 0)
        rc = sb_prop_refuse(msg, size, 500, "store: %s", sqlite3_errmsg(db));
    json_decref(cur);
    return rc;
}

int sb_group_update(sqlite3 *db, const char *ot, const char *name, json_t *body,
                    char *msg, size_t size)
{
    json_t *label = json_object_get(body, "label");
    json_t *order = json_object_get(body, "displayOrder");
    json_t *given = json_object_get(body, "name");
    sqlite3_stmt *st = NULL;
    int rc = 0;

    if (!sb_prop_group_live(db, ot, name))
        return sb_prop_refuse(msg, size, 404, "no group %s", name);
    if (!json_is_object(body))
        return sb_prop_refuse(msg, size, 400, "expected a JSON object");
    if (given &&
        (!json_is_string(given) || strcmp(json_string_value(given), name)))
        return sb_prop_refuse(msg, size, 400,
                              "The name of property group '%s' cannot be "
                              "changed",
                              name);
    if ((label && (!json_is_string(label) || !*json_string_value(label))) ||
        (order && !json_is_integer(order)))
        return sb_prop_refuse(msg, size, 400,
                              "label must be a non-empty string and "
                              "displayOrder an integer");
    if (sb_stmt_prepare(db,
                        "UPDATE property_groups SET label = coalesce(?3,"
                        " label), display_order = coalesce(?4, display_order)"
                        " WHERE object_type = ?1 AND name = ?2",
                        &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, ot, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, json_string_value(label), -1, SQLITE_STATIC);
        if (order)
            sqlite3_bind_int64(st, 4, json_integer_value(order));
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sb_stmt_release(st);
    if (rc)
        rc = sb_prop_refuse(msg, size, 500, "store: %s", sqlite3_errmsg(db));
    return rc;
}

int sb_group_archive(sqlite3 *db, const char *ot, const char *name, char *msg,
                     size_t size)
{
    if (!sb_prop_group_live(db, ot, name))
        return sb_prop_refuse(msg, size, 404, "no group %s", name);
    if (sb_prop_count(db,
                      "SELECT count(*) FROM properties WHERE object_type = ?1"
                      " AND group_name = ?2 AND archived = 0",
                      ot, name) != 0)
        return sb_prop_refuse(msg, size, 400,
                              "Can't delete or purge a group with active "
                              "properties");
    if (change(db,
               "UPDATE property_groups SET archived = 1"
               " WHERE object_type = ?1 AND name = ?2 AND ?3 IS NOT NULL",
               ot, name) < 0)
        return sb_prop_refuse(msg, size, 500, "store: %s", sqlite3_errmsg(db));
    return 0;
}
