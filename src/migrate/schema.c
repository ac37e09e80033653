/* schema.c: the phases before any record: the source-id property on
 * every object, the portal's property types, and the owner map. */
#include "core/log.h"
#include "core/xalloc.h"
#include "hubspot/batch.h"
#include "hubspot/client.h"
#include "mapping/transform.h"
#include "migrate/internal.h"
#include "source/salesforce.h"
#include "store/ledger.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int needs_owners(const struct project_config *cfg);

static const char *const group_names[OBJ_COUNT] = {
    "companyinformation", "contactinformation", "dealinformation"};

static void index_properties(struct mig *m, enum object_kind k,
                             const json_t *list)
{
    const json_t *p;
    size_t i;

    m->prop_types[k] = json_object();
    m->readonly[k] = json_object();
    m->schema[k] = json_object();
    json_array_foreach(list, i, p)
    {
        const char *name = json_string_value(json_object_get(p, "name"));
        const json_t *type = json_object_get(p, "type");
        const json_t *meta = json_object_get(p, "modificationMetadata");

        if (!name)
            continue;
        json_object_set(m->schema[k], name, (json_t *)p);
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
        m->fresh_id[k] = 1;
        return 0;
    }
    def = id_property_def(m, k);
    rc = hs_property_create(m->hs, object_kind_name(k), def, &existed, e);
    if (rc)
        json_decref(def);
    if (rc)
        return err_prefix(e, "cannot create the %s property '%s'",
                          object_kind_singular(k), m->cfg->id_property);
    if (!existed) {
        m->fresh_id[k] = 1;
        m->sum->properties_created++;
        log_info("created the %s property '%s'", object_kind_singular(k),
                 m->cfg->id_property);
    }
    json_object_set_new(m->prop_types[k], m->cfg->id_property,
                        json_string("string"));
    json_object_set_new(m->schema[k], m->cfg->id_property, def);
    return 0;
}

int mig_read_portal(struct mig *m, struct err *e)
{
    struct hs_portal_reads *r;
    int rc;

    if (m->opts && m->opts->portal) {
        m->portal = (struct hs_portal_reads *)m->opts->portal;
        return 0;
    }
    r = xcalloc(1, sizeof(*r));
    for (int k = 0; k < OBJ_COUNT; k++)
        r->objects[r->nobjects++] = object_kind_name((enum object_kind)k);
    r->want_owners = needs_owners(m->cfg);
    r->want_pipelines = mig_needs_pipelines(m->cfg);
    if ((rc = hs_portal_read(m->hs, r, e))) {
        hs_portal_reads_release(r);
        free(r);
        return err_prefix(e, "cannot read the portal's schema");
    }
    m->portal = r;
    m->portal_owned = 1;
    return 0;
}

int mig_schema(struct mig *m, struct err *e)
{
    int rc = 0;

    mig_progress(m, "schema", 0, OBJ_COUNT);
    if (!m->portal && (rc = mig_read_portal(m, e)))
        return rc;
    for (int k = 0; k < OBJ_COUNT; k++) {
        const json_t *list = m->portal->properties[k];

        index_properties(m, (enum object_kind)k, list);
        if ((rc = ensure_id_property(m, (enum object_kind)k, list, e)))
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

static int needs_owners(const struct project_config *cfg)
{
    if (cfg->default_owner)
        return 1;
    for (int k = 0; k < OBJ_COUNT; k++)
        for (size_t i = 0; i < cfg->objects[k].nsources; i++)
            for (size_t j = 0; j < cfg->objects[k].sources[i].nfields; j++)
                if (cfg->objects[k].sources[i].fields[j].xform == XF_OWNER)
                    return 1;
    return 0;
}

/* HubSpot owners by lowercased email, archived ones included (and
 * remembered as archived). */
static int index_owners(struct mig *m, struct err *e)
{
    const json_t *owners = m->portal->owners;
    const json_t *o;
    size_t i;

    json_array_foreach(owners, i, o)
    {
        const char *email = json_string_value(json_object_get(o, "email"));
        const char *id = json_string_value(json_object_get(o, "id"));
        int archived = json_is_true(json_object_get(o, "archived"));
        char *key;

        if (!email || !id)
            continue;
        key = xstrdup(email);
        lower(key);
        if (archived)
            json_object_set_new(m->archived_owners, id, json_true());
        /* An active owner wins over an archived one with the same email. */
        if (!json_object_get(m->owner_emails, key) || !archived)
            json_object_set_new(m->owner_emails, key, json_string(id));
        free(key);
    }
    return 0;
}

/* owners.default names an owner by email or by id. */
static int resolve_default_owner(struct mig *m, struct err *e)
{
    const char *d = m->cfg->default_owner;
    const char *id;
    char *key;
    const char *k;
    json_t *v;

    if (!d)
        return 0;
    key = xstrdup(d);
    lower(key);
    id = json_string_value(json_object_get(m->owner_emails, key));
    free(key);
    json_object_foreach(m->owner_emails, k,
                        v) if (!id && !strcmp(json_string_value(v), d)) id = d;
    if (!id)
        return err_set(e, ERR_USAGE,
                       "%s: owners.default: no HubSpot owner has the email "
                       "or id '%s'",
                       m->cfg->path, d);
    if (json_object_get(m->archived_owners, id))
        log_warn("%s: owners.default: the HubSpot owner '%s' is archived "
                 "(deactivated); records given to it land with an inactive "
                 "owner",
                 m->cfg->path, d);
    m->default_owner_id = xstrdup(id);
    return 0;
}

/* Source user ids and their emails, from User.csv. */
static int read_users(struct mig *m, struct err *e)
{
    struct sf_reader *rd = NULL;
    struct sf_row row;
    char *object =
        xstrndup(m->cfg->users_file, strcspn(m->cfg->users_file, "."));
    int rc = sf_reader_open(m->cfg->input_dir, object, m->enc, &rd, e);

    free(object);
    if (rc == ERR_NOTFOUND) {
        log_warn("no %s in the export: owners are matched only where the "
                 "owner column holds an email",
                 m->cfg->users_file);
        return 0;
    }
    while (!rc && (rc = sf_reader_next(rd, &row, e)) != 0 && rc != ERR_IO) {
        char email[320];
        const char *id;

        if (rc < 0) {
            log_warn("%s", e->msg);
            rc = 0;
            continue;
        }
        rc = 0;
        snprintf(email, sizeof(email), "%s", sf_row_get(rd, &row, "Email"));
        lower(xf_trim(email));
        json_object_set_new(m->user_emails, sf_row_get(rd, &row, "Id"),
                            json_string(email));
        id = json_string_value(json_object_get(m->owner_emails, email));
        if (id)
            json_object_set_new(m->owner_ids, sf_row_get(rd, &row, "Id"),
                                json_string(id));
    }
    sf_reader_free(rd);
    return rc;
}

int mig_owners(struct mig *m, struct err *e)
{
    int rc;

    m->owner_ids = json_object();
    m->user_emails = json_object();
    m->owner_emails = json_object();
    m->archived_owners = json_object();
    if (!needs_owners(m->cfg))
        return 0;
    if ((rc = index_owners(m, e)) || (rc = resolve_default_owner(m, e)))
        return rc;
    return m->cfg->users_file ? read_users(m, e) : 0;
}

void mig_release_schema(struct mig *m)
{
    for (int k = 0; k < OBJ_COUNT; k++) {
        json_decref(m->prop_types[k]);
        json_decref(m->readonly[k]);
        json_decref(m->schema[k]);
        m->prop_types[k] = m->readonly[k] = m->schema[k] = NULL;
    }
    json_decref(m->owner_ids);
    json_decref(m->user_emails);
    json_decref(m->owner_emails);
    json_decref(m->archived_owners);
    json_decref(m->pipelines);
    free(m->pipeline_id);
    free(m->default_owner_id);
    m->owner_ids = m->user_emails = m->owner_emails = NULL;
    m->archived_owners = m->pipelines = NULL;
    m->pipeline_id = m->default_owner_id = NULL;
    if (m->portal_owned) {
        hs_portal_reads_release(m->portal);
        free(m->portal);
    }
    m->portal = NULL;
    m->portal_owned = 0;
}
