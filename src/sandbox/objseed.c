/* objseed.c: the seed file's "records" section: pre-existing contacts,
 * companies and deals, validated like API writes. */
#include <stdio.h>

#include "core/err.h"
#include "sandbox/objects.h"
#include "sandbox/props.h"
#include "sandbox/sb.h"

/* One {id?, properties, archived?} entry. */
static int seed_record(sqlite3 *db, int ot, const struct sb_propdefs *defs,
                       json_t *rec, const char *where, struct err *e)
{
    struct sb_op_error oe = {0};
    json_t *idv = json_object_get(rec, "id");
    int64_t id = 0;
    int rc = 0;

    if (!json_is_object(rec))
        return err_set(e, ERR_INPUT, "%s: expected an object", where);
    if (idv && !(id = sb_obj_parse_id(json_string_value(idv))))
        return err_set(e, ERR_INPUT, "%s.id: expected a string of digits",
                       where);
    if (id && sb_obj_resolve(db, ot, id, 0))
        return err_set(e, ERR_INPUT, "%s.id: id %lld is already used", where,
                       (long long)id);
    if (sb_obj_create(db, ot, defs, json_object_get(rec, "properties"), &id,
                      &oe) < 0)
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
