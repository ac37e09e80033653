/* objseed.c: the seed file's "records" section: pre-existing contacts,
 * companies and deals, validated like API writes, or, marked unchecked,
 * written as given (damage the API itself would refuse). */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "sandbox/objects.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

/* Refuses keys a record entry does not have, so that a misspelt
 * "unchecked" is not silently a checked record. */
static int check_keys(json_t *rec, const char *where, struct err *e)
{
    static const char *const known[] = {"id", "properties", "archived",
                                        "unchecked", NULL};
    const char *key;
    json_t *v;

    json_object_foreach(rec, key, v)
    {
        size_t i = 0;

        while (known[i] && strcmp(known[i], key))
            i++;
        if (!known[i])
            return err_set(e, ERR_INPUT, "%s: unknown key '%s'", where, key);
    }
    return 0;
}

/* One {id?, properties, archived?, unchecked?} entry. */
static int seed_record(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                       json_t *rec, const char *where, struct err *e)
{
    struct sb_op_error oe = {0};
    json_t *idv = json_object_get(rec, "id");
    json_t *props = json_object_get(rec, "properties");
    int64_t id = 0;
    int rc = 0, w;

    if (!json_is_object(rec))
        return err_set(e, ERR_INPUT, "%s: expected an object", where);
    if ((rc = check_keys(rec, where, e)) < 0)
        return rc;
    if (idv && !(id = sb_obj_parse_id(json_string_value(idv))))
        return err_set(e, ERR_INPUT, "%s.id: expected a string of digits",
                       where);
    if (id && sb_obj_resolve(db, ot, id, 0))
        return err_set(e, ERR_INPUT, "%s.id: id %lld is already used", where,
                       (long long)id);
    if (json_is_true(json_object_get(rec, "unchecked")))
        w = sb_obj_create_unchecked(db, ot, defs, props, &id, &oe);
    else
        w = sb_obj_create(db, ot, defs, props, &id, &oe);
    if (w < 0)
        rc = err_set(e, ERR_INPUT, "%s.properties: %s", where, oe.message);
    else if (json_is_true(json_object_get(rec, "archived")))
        sb_obj_archive(db, ot, id);
    sb_op_error_release(&oe);
    return rc;
}

int sb_records_seed(sqlite3 *db, json_t *section, const char *file,
                    struct err *e)
{
    const char *type;
    json_t *arr, *rec;
    char where[512];
    size_t i;

    if (!json_is_object(section))
        return err_set(e, ERR_INPUT,
                       "%s: records: expected an object of arrays by object "
                       "type",
                       file);
    json_object_foreach(section, type, arr)
    {
        int ot = sb_otype_parse(type);
        struct sb_propdefs defs;
        int rc = 0;
        if (ot == SB_OT_NONE || !json_is_array(arr))
            return err_set(e, ERR_INPUT,
                           "%s: records.%s: unknown object type or not an "
                           "array",
                           file, type);
        sb_propdefs_load(db, sb_otype_name(ot), &defs);
        json_array_foreach(arr, i, rec)
        {
            snprintf(where, sizeof(where), "%s: records.%s[%zu]", file, type,
                     i);
            if ((rc = seed_record(db, ot, &defs, rec, where, e)) < 0)
                break;
        }
        sb_propdefs_release(&defs);
        if (rc < 0)
            return rc;
    }
    return 0;
}
