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

int mig_needs_pipelines(const struct project_config *cfg)
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

    if (!m->portal->want_pipelines)
        return 0;
    if (m->portal->pipelines_status == 404) {
        /* A portal without the pipelines API: stages come from the
         * config's map alone. */
        log_warn("the portal does not list deal pipelines; deal stages are "
                 "taken from deals.stages only");
        return 0;
    }
    if (m->portal->pipelines_status != 200 ||
        !json_is_array(m->portal->pipelines))
        return err_set(e, ERR_HTTP, "cannot read the deal pipelines: HTTP %ld",
                       m->portal->pipelines_status);
    m->pipelines = json_incref(m->portal->pipelines);
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

/* An option as a PATCH sends it back (HubSpot's OptionInput): the
 * fields an Option has, hidden false when the portal left it out. */
static json_t *option_input(const json_t *o)
{
    static const char *const keys[] = {"label", "value", "displayOrder",
                                       "hidden", "description"};
    json_t *in = json_object();

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(o, keys[i]);
        if (v)
            json_object_set(in, keys[i], v);
    }
    if (!json_is_boolean(json_object_get(in, "hidden")))
        json_object_set_new(in, "hidden", json_false());
    return in;
}

/* 1 when an option's value or label is s, case aside, as the mapping
 * matches source values to options. */
static int has_option(const json_t *opts, const char *s)
{
    const json_t *o;
    size_t i;

    json_array_foreach(opts, i, o)
    {
        const char *v = json_string_value(json_object_get(o, "value"));
        const char *l = json_string_value(json_object_get(o, "label"));

        if ((v && !strcasecmp(v, s)) || (l && !strcasecmp(l, s)))
            return 1;
    }
    return 0;
}

/* The portal's options, every one kept, then each planned value it does
 * not hold yet, after the highest displayOrder. *added counts those. */
static json_t *merged_options(const json_t *current, const json_t *values,
                              long *added)
{
    json_t *opts = json_array();
    const json_t *o, *v;
    json_int_t next = 0;
    size_t i;

    json_array_foreach(current, i, o)
    {
        const json_t *order = json_object_get(o, "displayOrder");

        if (json_is_integer(order) && json_integer_value(order) >= next)
            next = json_integer_value(order) + 1;
        json_array_append_new(opts, option_input(o));
    }
    *added = 0;
    json_array_foreach(values, i, v)
    {
        if (!json_is_string(v) || has_option(opts, json_string_value(v)))
            continue;
        json_array_append_new(opts, json_pack("{s:O, s:O, s:I, s:b}", "label",
                                              v, "value", v, "displayOrder",
                                              next++, "hidden", 0));
        (*added)++;
    }
    return opts;
}

/* Adds options to an enumeration. HubSpot replaces the whole list with
 * what a PATCH sends, so the list is read again just before and sent
 * whole; values another writer added since the check are not sent
 * twice, and nothing is sent when none is missing. */
static int create_options(struct mig *m, const json_t *o, struct err *e)
{
    const char *obj = json_string_value(json_object_get(o, "object"));
    const char *name = json_string_value(json_object_get(o, "property"));
    json_t *def = NULL, *now = NULL, *update = NULL;
    enum object_kind k;
    long added = 0;
    int rc;

    if (!obj || !name || object_kind_parse(obj, &k) ||
        !json_object_get(m->schema[k], name))
        return 0;
    if ((rc = hs_property_get(m->hs, obj, name, &def, e)))
        goto out;
    update = json_pack("{s:o}", "options",
                       merged_options(json_object_get(def, "options"),
                                      json_object_get(o, "values"), &added));
    if (added &&
        (rc = hs_property_update(m->hs, obj, name, update, &now, e)) == 0)
        log_info("added %ld options to the %s property '%s'", added,
                 object_kind_singular(k), name);
    if (rc == 0) {
        m->sum->options_created += added;
        json_object_set(json_object_get(m->schema[k], name), "options",
                        json_object_get(now ? now : def, "options"));
    }
out:
    json_decref(update);
    json_decref(now);
    json_decref(def);
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
