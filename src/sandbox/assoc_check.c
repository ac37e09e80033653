#include "sandbox/assoc_check.h"

#include <stdio.h>
#include <string.h>

#include "sandbox/assoc_types.h"
#include "sandbox/assoc_util.h"
#include "sandbox/sb.h"

/* One end of a pair: parsed, then looked up. */
static json_t *check_end(sqlite3 *db, int ot, const json_t *v, const char *key,
                         int64_t *out)
{
    char idstr[24];
    int64_t id;
    int found;

    if (assoc_json_id(v, &id) < 0)
        return sb_error_item("VALIDATION_ERROR", NULL,
                             "Invalid input: %s must be a record id", key);
    found = assoc_record_find(db, ot, id, out);
    if (found < 0)
        return sb_error_item("INTERNAL_ERROR", NULL, "internal error");
    snprintf(idstr, sizeof(idstr), "%lld", (long long)id);
    if (!found)
        return sb_error_item(
            "VALIDATION_ERROR", json_pack("{s:[s]}", key, idstr),
            "No %s with id %s exists", sb_otype_singular(ot), idstr);
    return NULL;
}

json_t *assoc_check_ends(sqlite3 *db, int from, int to, const json_t *from_id,
                         const json_t *to_id, struct assoc_pair *p)
{
    json_t *err = check_end(db, from, from_id, "fromObjectId", &p->from_id);

    if (!err)
        err = check_end(db, to, to_id, "toObjectId", &p->to_id);
    return err;
}

static void add_type(struct assoc_pair *p, int id)
{
    for (int i = 0; i < p->ntypes; i++)
        if (p->types[i] == id)
            return;
    if (p->ntypes < ASSOC_LINK_MAX_TYPES)
        p->types[p->ntypes++] = id;
}

/* One {associationCategory, associationTypeId} spec. */
static json_t *check_spec(int from, int to, const json_t *spec,
                          struct assoc_pair *p)
{
    const char *cat =
        json_string_value(json_object_get(spec, "associationCategory"));
    const json_t *id = json_object_get(spec, "associationTypeId");

    if (!cat || !json_is_integer(id))
        return sb_error_item("VALIDATION_ERROR", NULL,
                             "Invalid input: each association type needs"
                             " associationCategory and associationTypeId");
    if (strcmp(cat, "HUBSPOT_DEFINED") ||
        !assoc_type_find(from, to, (int)json_integer_value(id)))
        return sb_error_item(
            "VALIDATION_ERROR",
            json_pack("{s:[I]}", "associationTypeId", json_integer_value(id)),
            "%s association type %lld is not valid from %s to %s", cat,
            (long long)json_integer_value(id), sb_otype_singular(from),
            sb_otype_singular(to));
    add_type(p, (int)json_integer_value(id));
    return NULL;
}

json_t *assoc_check_specs(int from, int to, const json_t *specs,
                          struct assoc_pair *p)
{
    size_t i;
    json_t *spec, *err;

    p->ntypes = 0;
    if (!json_is_array(specs) || json_array_size(specs) == 0)
        return sb_error_item("VALIDATION_ERROR", NULL,
                             "Invalid input: at least one association type"
                             " is required");
    json_array_foreach(specs, i, spec)
    {
        if ((err = check_spec(from, to, spec, p)))
            return err;
    }
    return NULL;
}
