/* schema.c: the phases before any record: the source-id property on
 * every object, the portal's property types, and the owner map. */
#include "core/log.h"
#include "core/xalloc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "migrate/internal.h"
#include "source/salesforce.h"
#include "store/ledger.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const group_names[OBJ_COUNT] = {
    "companyinformation", "contactinformation", "dealinformation"};

static void index_properties(struct mig *m, enum object_kind k,
                             const json_t *list)
{
    const json_t *p;
    size_t i;

    m->prop_types[k] = json_object();
    m->readonly[k] = json_object();
    json_array_foreach(list, i, p)
    {
        const char *name = json_string_value(json_object_get(p, "name"));
        const json_t *type = json_object_get(p, "type");
        const json_t *meta = json_object_get(p, "modificationMetadata");

        if (!name)
            continue;
        if (json_is_string(type))
            json_object_set(m->prop_types[k], name, (json_t *)type);
        if (json_is_true(json_object_get(meta, "readOnlyValue")))
            json_object_set_new(m->readonly[k], name, json_true());
    }
}

static const json_t *find_property(const json_t *list, const char *name)
{
    const json_t *p;
    size_t i;

    json_array_foreach(list, i, p)
    {
        const char *n = json_string_value(json_object_get(p, "name"));

        if (n && !strcmp(n, name))
            return p;
    }
    return NULL;
}

static json_t *id_property_def(struct mig *m, enum object_kind k)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "name",
                     m->cfg->id_property, "label", "Salesforce ID", "type",
                     "string", "fieldType", "text", "groupName", group_names[k],
                     "hasUniqueValue", 1, "description",
                     "The record's 18-character id in Salesforce, written "
                     "by hsmigrate.");
}

/* Makes sure the unique source-id property exists on object k. */
static int ensure_id_property(struct mig *m, enum object_kind k,
                              const json_t *list, struct err *e)
{
    const json_t *have = find_property(list, m->cfg->id_property);
    json_t *def;
    int existed = 0;
    int rc;

    if (have) {
        if (!json_is_true(json_object_get(have, "hasUniqueValue")))
            return err_set(e, ERR_USAGE,
                           "the %s property '%s' exists but does not have "
                           "unique values, so records cannot be upserted by "
                           "it; choose another target.id_property",
                           object_kind_singular(k), m->cfg->id_property);
        return 0;
    }
    if (m->dry_run) {
        m->planned_properties++;
        return 0;
    }
    def = id_property_def(m, k);
    rc = hs_property_create(m->hs, object_kind_name(k), def, &existed, e);
    json_decref(def);
    if (rc)
        return err_prefix(e, "cannot create the %s property '%s'",
                          object_kind_singular(k), m->cfg->id_property);
    if (!existed) {
        m->sum->properties_created++;
        log_info("created the %s property '%s'", object_kind_singular(k),
                 m->cfg->id_property);
    }
    json_object_set_new(m->prop_types[k], m->cfg->id_property,
                        json_string("string"));
    return 0;
}

int mig_schema(struct mig *m, struct err *e)
{
    int rc = 0;

    mig_progress(m, "schema", 0, OBJ_COUNT);
    for (int k = 0; k < OBJ_COUNT; k++) {
        json_t *list = NULL;

        if ((rc = hs_properties_list(m->hs, object_kind_name(k), &list, e)))
            return err_prefix(e, "cannot read the %s properties",
                              object_kind_singular(k));
        index_properties(m, (enum object_kind)k, list);
        rc = ensure_id_property(m, (enum object_kind)k, list, e);
        json_decref(list);
        if (rc)
            return rc;
        mig_progress(m, "schema", k + 1, OBJ_COUNT);
    }
    return m->dry_run ? 0 : ledger_phase_set(m->ledger, "schema", "done", e);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* HubSpot owners by lowercased email, archived ones included. */
static int owners_by_email(struct mig *m, json_t **out, struct err *e)
{
    json_t *owners = NULL;
    const json_t *o;
    size_t i;
    int rc;

    *out = NULL;
    if ((rc = hs_owners_list_all(m->hs, &owners, e)))
        return err_prefix(e, "cannot read the portal's owners");
    *out = json_object();
    json_array_foreach(owners, i, o)
    {
        const char *email = json_string_value(json_object_get(o, "email"));
        const char *id = json_string_value(json_object_get(o, "id"));
        char *key;

        if (!email || !id)
            continue;
        key = xstrdup(email);
        lower(key);
        /* An active owner wins over an archived one with the same email. */
        if (!json_object_get(*out, key) ||
            !json_is_true(json_object_get(o, "archived")))
            json_object_set_new(*out, key, json_string(id));
        free(key);
    }
    json_decref(owners);
    return 0;
}

int mig_owners(struct mig *m, struct err *e)
{
    struct sf_reader *rd = NULL;
    struct sf_row row;
    json_t *by_email = NULL;
    int rc;

    m->owner_ids = json_object();
    if (!m->cfg->users_file)
        return 0;
    if ((rc = owners_by_email(m, &by_email, e)))
        return rc;
    rc = sf_reader_open(m->cfg->input_dir, "User", m->enc, &rd, e);
    if (rc == ERR_NOTFOUND) {
        log_warn("no User.csv in the export: records keep no owner");
        rc = 0;
        goto out;
    }
    if (rc)
        goto out;
    while ((rc = sf_reader_next(rd, &row, e)) != 0) {
        char email[320];
        const char *id;

        if (rc < 0) {
            if (rc == ERR_IO)
                goto out;
            log_warn("%s", e->msg);
            continue;
        }
        snprintf(email, sizeof(email), "%s", sf_row_get(rd, &row, "Email"));
        lower(email);
        id = json_string_value(json_object_get(by_email, email));
        if (id)
            json_object_set_new(m->owner_ids, sf_row_get(rd, &row, "Id"),
                                json_string(id));
    }
out:
    sf_reader_free(rd);
    json_decref(by_email);
    return rc;
}
