/* plan.c: what the run needs from the portal beyond properties: deal
 * pipelines, and the properties and options that check planned to
 * create. */
#include "core/log.h"
#include "core/xalloc.h"
#include "hubspot/client.h"
#include "migrate/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int needs_pipelines(const struct project_config *cfg)
{
    const struct object_map *om = &cfg->objects[OBJ_DEALS];

    for (size_t i = 0; i < om->nsources; i++)
        for (size_t j = 0; j < om->sources[i].nfields; j++)
            if (om->sources[i].fields[j].xform == XF_DEALSTAGE ||
                om->sources[i].fields[j].xform == XF_PIPELINE)
                return 1;
    return 0;
}

/* deals.pipeline by id, then by label regardless of case. */
static const char *find_pipeline(const json_t *list, const char *name)
{
    const json_t *p;
    size_t i;

    json_array_foreach(list, i, p)
    {
        const char *id = json_string_value(json_object_get(p, "id"));
        const char *label = json_string_value(json_object_get(p, "label"));

        if (id && (!strcmp(id, name) || (label && !strcasecmp(label, name))))
            return id;
    }
    return NULL;
}

int mig_pipelines(struct mig *m, struct err *e)
{
    const char *id;
    long status = 0;
    json_t *body = NULL;
    int rc;

    if (!needs_pipelines(m->cfg))
        return 0;
    rc = hs_request(m->hs, "GET", "/crm/v3/pipelines/deals", NULL, 0, &status,
                    &body, e);
    if (rc)
        return err_prefix(e, "cannot read the deal pipelines");
    if (status == 404) {
        /* A portal without the pipelines API: stages come from the
         * config's map alone. */
        log_warn("the portal does not list deal pipelines; deal stages are "
                 "taken from deals.stages only");
        json_decref(body);
        return 0;
    }
    m->pipelines = json_incref(json_object_get(body, "results"));
    json_decref(body);
    if (status != 200 || !json_is_array(m->pipelines))
        return err_set(e, ERR_HTTP, "cannot read the deal pipelines: HTTP %ld",
                       status);
    if (!(id = find_pipeline(m->pipelines, m->cfg->pipeline)))
        return err_set(e, ERR_USAGE,
                       "%s: deals.pipeline: the portal has no deal pipeline "
                       "'%s'",
                       m->cfg->path, m->cfg->pipeline);
    m->pipeline_id = xstrdup(id);
    return 0;
}

static int create_property(struct mig *m, const json_t *p, struct err *e)
{
    enum object_kind k;
    const char *obj = json_string_value(json_object_get(p, "object"));
    json_t *def;
    int existed = 0;
    int rc;

    if (!obj || object_kind_parse(obj, &k))
        return 0;
    def = json_deep_copy(p);
    json_object_del(def, "object");
    json_object_set_new(def, "groupName",
                        json_string(k == OBJ_COMPANIES  ? "companyinformation"
                                    : k == OBJ_CONTACTS ? "contactinformation"
                                                        : "dealinformation"));
    rc = hs_property_create(m->hs, obj, def, &existed, e);
    if (rc) {
        json_decref(def);
        return err_prefix(e, "cannot create the %s property '%s'",
                          object_kind_singular(k),
                          json_string_value(json_object_get(p, "name")));
    }
    if (!existed)
        m->sum->properties_created++;
    log_info("created the %s property '%s'", object_kind_singular(k),
             json_string_value(json_object_get(def, "name")));
    json_object_set_new(m->schema[k],
                        json_string_value(json_object_get(def, "name")), def);
    return 0;
}

/* Adds options to an enumeration: HubSpot replaces the whole list, so
 * the request carries the existing options too. */
static int create_options(struct mig *m, const json_t *o, struct err *e)
{
    const char *obj = json_string_value(json_object_get(o, "object"));
    const char *name = json_string_value(json_object_get(o, "property"));
    enum object_kind k;
    json_t *def, *opts, *body, *v;
    char *path, *esc;
    long status = 0;
    size_t i;
    int rc;

    if (!obj || !name || object_kind_parse(obj, &k) ||
        !(def = json_object_get(m->schema[k], name)))
        return 0;
    opts = json_deep_copy(json_object_get(def, "options"));
    if (!json_is_array(opts))
        opts = json_array();
    json_array_foreach(json_object_get(o, "values"), i, v)
        json_array_append_new(opts, json_pack("{s:O, s:O, s:I, s:b}", "label",
                                              v, "value", v, "displayOrder",
                                              (json_int_t)json_array_size(opts),
                                              "hidden", 0));
    body = json_pack("{s:o}", "options", opts);
    esc = hs_url_escape(name);
    path = xasprintf("/crm/v3/properties/%s/%s", obj, esc);
    rc = hs_request(m->hs, "PATCH", path, body, 0, &status, NULL, e);
    if (!rc && status != 200)
        rc = err_set(e, ERR_HTTP, "HTTP %ld", status);
    if (!rc)
        json_object_set(def, "options", json_object_get(body, "options"));
    free(path);
    free(esc);
    json_decref(body);
    return rc ? err_prefix(e, "cannot add options to the %s property '%s'",
                           object_kind_singular(k), name)
              : 0;
}

int mig_create_planned(struct mig *m, struct err *e)
{
    const json_t *plan = m->opts->create;
    const json_t *v;
    size_t i;
    int rc;

    if (!plan)
        return 0;
    json_array_foreach(json_object_get(plan, "properties"), i,
                       v) if ((rc = create_property(m, v, e))) return rc;
    json_array_foreach(json_object_get(plan, "options"), i,
                       v) if ((rc = create_options(m, v, e))) return rc;
    return 0;
}
