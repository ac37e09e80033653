#include "config/project.h"
#include "config/keys.h"
#include "config/yamljson.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "mapping/transform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const object_names[OBJ_COUNT] = {"companies", "contacts",
                                                    "deals"};
static const char *const object_singulars[OBJ_COUNT] = {"company", "contact",
                                                        "deal"};
static const char *const xform_names[XF_COUNT] = {
    "text",     "email", "domain",    "number", "bool",    "date",
    "datetime", "owner", "dealstage", "enum",   "pipeline"};
static const char *const policy_names[UNKNOWN_COUNT] = {"error", "default",
                                                        "create"};
static const char *const link_names[LINK_COUNT] = {
    "contact_company", "deal_company", "deal_contact"};
static const enum object_kind link_froms[LINK_COUNT] = {OBJ_CONTACTS, OBJ_DEALS,
                                                        OBJ_DEALS};
static const enum object_kind link_tos[LINK_COUNT] = {
    OBJ_COMPANIES, OBJ_COMPANIES, OBJ_CONTACTS};

const char *object_kind_name(enum object_kind k)
{
    return object_names[k];
}

const char *object_kind_singular(enum object_kind k)
{
    return object_singulars[k];
}

int object_kind_parse(const char *name, enum object_kind *out)
{
    for (int i = 0; i < OBJ_COUNT; i++)
        if (!strcmp(name, object_names[i]) ||
            !strcmp(name, object_singulars[i])) {
            *out = (enum object_kind)i;
            return 0;
        }
    return ERR_USAGE;
}

const char *xform_name(enum xform x)
{
    return xform_names[x];
}

const char *unknown_policy_name(enum unknown_policy p)
{
    return policy_names[p];
}

const char *link_kind_name(enum link_kind k)
{
    return link_names[k];
}

enum object_kind link_from(enum link_kind k)
{
    return link_froms[k];
}

enum object_kind link_to(enum link_kind k)
{
    return link_tos[k];
}

/* Reads an optional string member; NULL when absent. */
static const char *opt_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int req_str(const json_t *obj, const char *key, const char *where,
                   const char *path, char **out, struct err *e)
{
    const char *v = opt_str(obj, key);

    if (!v || !*v)
        return err_set(e, ERR_USAGE, "%s: %s: missing '%s'", path, where, key);
    *out = xstrdup(v);
    return 0;
}

/* An optional yes/no setting; absent is no. */
static int opt_bool(const json_t *obj, const char *key, const char *where,
                    const char *path, int *out, struct err *e)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0", ""};
    const char *v = opt_str(obj, key);

    *out = 0;
    if (!v)
        return 0;
    for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
        if (!strcasecmp(v, yes[i])) {
            *out = 1;
            return 0;
        }
    for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
        if (!strcasecmp(v, no[i]))
            return 0;
    return err_set(e, ERR_USAGE,
                   "%s: %s.%s: expected \"true\" or \"false\", "
                   "not '%s'",
                   path, where, key, v);
}

static char *object_of_file(const char *file)
{
    const char *dot = strrchr(file, '.');
    size_t n = dot ? (size_t)(dot - file) : strlen(file);

    return xstrndup(file, n);
}

static int parse_xform(const char *name, enum xform *out)
{
    for (int i = 0; i < XF_COUNT; i++)
        if (!strcmp(name, xform_names[i])) {
            *out = (enum xform)i;
            return 0;
        }
    return ERR_USAGE;
}

/* The enumeration options of a field: values, on_unknown, default. */
static int load_enum_options(const json_t *f, struct field_map *fm,
                             const char *where, const char *path, struct err *e)
{
    const json_t *values = json_object_get(f, "values");
    const char *v = opt_str(f, "on_unknown");
    int i;

    if (values && !json_is_object(values))
        return err_set(e, ERR_USAGE, "%s: %s.values: expected a mapping", path,
                       where);
    fm->values = values ? json_incref((json_t *)values) : NULL;
    for (i = 0; v && i < UNKNOWN_COUNT; i++)
        if (!strcmp(v, policy_names[i]))
            break;
    if (v && i == UNKNOWN_COUNT)
        return err_set(e, ERR_USAGE,
                       "%s: %s.on_unknown: '%s' is not one of error, "
                       "default, create",
                       path, where, v);
    fm->on_unknown = v ? (enum unknown_policy)i : UNKNOWN_ERROR;
    v = opt_str(f, "default");
    fm->default_value = v ? xstrdup(v) : NULL;
    if (fm->on_unknown == UNKNOWN_DEFAULT && !fm->default_value)
        return err_set(e, ERR_USAGE,
                       "%s: %s: on_unknown is 'default' but no 'default' "
                       "value is given",
                       path, where);
    v = opt_str(f, "separator");
    fm->separator = v && *v ? xstrdup(v) : NULL;
    return 0;
}

/* date_format and locale, each optional. */
static int load_formats(const json_t *f, struct field_map *fm,
                        const char *where, const char *path, struct err *e)
{
    const char *v = opt_str(f, "date_format");
    enum xf_date_format df;
    enum xf_locale loc;

    fm->date_format = -1;
    fm->locale = -1;
    if (v && xf_date_format_parse(v, &df))
        return err_set(e, ERR_USAGE,
                       "%s: %s.date_format: unknown format '%s' (known: "
                       "auto, iso, salesforce, M/D/YYYY, D/M/YYYY, "
                       "D.M.YYYY, excel, unix, unix_ms)",
                       path, where, v);
    /* "auto" written out is the default: the column's order is learnt. */
    if (v && df != XF_DATE_AUTO)
        fm->date_format = (int)df;
    v = opt_str(f, "locale");
    if (v && xf_locale_parse(v, &loc))
        return err_set(e, ERR_USAGE,
                       "%s: %s.locale: unknown locale '%s' (known: en for "
                       "1,234.50, eu for 1.234,50)",
                       path, where, v);
    if (v)
        fm->locale = (int)loc;
    return 0;
}

static int load_field(const json_t *f, struct field_map *fm, const char *where,
                      const char *path, struct err *e)
{
    const char *x;
    int rc;

    if (!json_is_object(f))
        return err_set(e, ERR_USAGE, "%s: %s: expected a mapping", path, where);
    if ((rc = req_str(f, "column", where, path, &fm->column, e)) ||
        (rc = req_str(f, "property", where, path, &fm->property, e)))
        return rc;
    x = opt_str(f, "transform");
    fm->xform = XF_TEXT;
    if (x && parse_xform(x, &fm->xform))
        return err_set(e, ERR_USAGE,
                       "%s: %s: unknown transform '%s' (known: text, email, "
                       "domain, number, bool, date, datetime, owner, "
                       "dealstage, enum, pipeline)",
                       path, where, x);
    if ((rc = load_formats(f, fm, where, path, e)))
        return rc;
    return load_enum_options(f, fm, where, path, e);
}

/* The property a source writes twice, or writes over the record's key:
 * one of the values would be lost without a word. */
static int check_properties(const struct object_source *src,
                            const char *id_property, const char *where,
                            const char *path, struct err *e)
{
    const char *k;
    json_t *v;

    json_object_foreach(src->set, k, v)
    {
        if (!strcasecmp(k, id_property))
            return err_set(e, ERR_USAGE,
                           "%s: %s.set: '%s' is target.id_property, which "
                           "every record gets from its Id",
                           path, where, k);
    }
    for (size_t i = 0; i < src->nfields; i++) {
        const char *p = src->fields[i].property;

        if (!strcasecmp(p, id_property))
            return err_set(e, ERR_USAGE,
                           "%s: %s.fields[%zu]: property '%s' is "
                           "target.id_property, which every record gets "
                           "from its Id",
                           path, where, i, p);
        for (size_t j = 0; j < i; j++)
            if (!strcasecmp(p, src->fields[j].property))
                return err_set(e, ERR_USAGE,
                               "%s: %s.fields[%zu]: property '%s' is "
                               "already mapped from column '%s' "
                               "(fields[%zu]); map each property once",
                               path, where, i, p, src->fields[j].column, j);
        json_object_foreach(src->set, k, v)
        {
            if (!strcasecmp(k, p))
                return err_set(e, ERR_USAGE,
                               "%s: %s.fields[%zu]: property '%s' is also "
                               "in set; keep one of them",
                               path, where, i, p);
        }
    }
    return 0;
}

static int load_source(const json_t *s, struct object_source *src,
                       const char *where, const char *id_property,
                       const char *path, struct err *e)
{
    const json_t *fields = json_object_get(s, "fields");
    const json_t *set = json_object_get(s, "set");
    char fwhere[160];
    int rc;

    if (!json_is_object(s))
        return err_set(e, ERR_USAGE, "%s: %s: expected a mapping", path, where);
    if ((rc = req_str(s, "file", where, path, &src->file, e)))
        return rc;
    src->object = object_of_file(src->file);
    src->set = json_is_object(set) ? json_incref((json_t *)set) : json_object();
    if ((rc = opt_bool(s, "skip_converted", where, path, &src->skip_converted,
                       e)))
        return rc;
    if (fields && !json_is_array(fields))
        return err_set(e, ERR_USAGE, "%s: %s.fields: expected a list", path,
                       where);
    src->nfields = json_array_size(fields);
    src->fields = xcalloc(src->nfields, sizeof(*src->fields));
    for (size_t i = 0; i < src->nfields; i++) {
        snprintf(fwhere, sizeof(fwhere), "%s.fields[%zu]", where, i);
        if ((rc = load_field(json_array_get(fields, i), &src->fields[i], fwhere,
                             path, e)))
            return rc;
    }
    return check_properties(src, id_property, where, path, e);
}

static int load_objects(const json_t *root, struct project_config *cfg,
                        struct err *e)
{
    const json_t *objs = json_object_get(root, "objects");
    char where[96];
    int rc;

    if (!json_is_object(objs))
        return err_set(e, ERR_USAGE, "%s: missing 'objects'", cfg->path);
    for (int k = 0; k < OBJ_COUNT; k++) {
        const json_t *list = json_object_get(objs, object_names[k]);
        struct object_map *om = &cfg->objects[k];

        if (!list)
            continue;
        if (!json_is_array(list))
            return err_set(e, ERR_USAGE, "%s: objects.%s: expected a list",
                           cfg->path, object_names[k]);
        om->nsources = json_array_size(list);
        om->sources = xcalloc(om->nsources, sizeof(*om->sources));
        for (size_t i = 0; i < om->nsources; i++) {
            snprintf(where, sizeof(where), "objects.%s[%zu]", object_names[k],
                     i);
            if ((rc = load_source(json_array_get(list, i), &om->sources[i],
                                  where, cfg->id_property, cfg->path, e)))
                return rc;
        }
    }
    return 0;
}

static int load_links(const json_t *root, struct project_config *cfg,
                      struct err *e)
{
    const json_t *links = json_object_get(root, "links");
    char where[64];
    int rc;

    if (!links || (json_is_string(links) && !*json_string_value(links)))
        return 0;
    if (!json_is_array(links))
        return err_set(e, ERR_USAGE, "%s: links: expected a list", cfg->path);
    cfg->nlinks = json_array_size(links);
    cfg->links = xcalloc(cfg->nlinks, sizeof(*cfg->links));
    for (size_t i = 0; i < cfg->nlinks; i++) {
        const json_t *l = json_array_get(links, i);
        struct link_map *lm = &cfg->links[i];
        const char *kind = opt_str(l, "kind");
        int k;

        snprintf(where, sizeof(where), "links[%zu]", i);
        for (k = 0; k < LINK_COUNT; k++)
            if (kind && !strcmp(kind, link_names[k]))
                break;
        if (k == LINK_COUNT)
            return err_set(e, ERR_USAGE,
                           "%s: %s: unknown kind '%s' (known: "
                           "contact_company, deal_company, deal_contact)",
                           cfg->path, where, kind ? kind : "");
        lm->kind = (enum link_kind)k;
        if ((rc = req_str(l, "file", where, cfg->path, &lm->file, e)) ||
            (rc = req_str(l, "from", where, cfg->path, &lm->from_column, e)) ||
            (rc = req_str(l, "to", where, cfg->path, &lm->to_column, e)))
            return rc;
        lm->object = object_of_file(lm->file);
    }
    return 0;
}

static long opt_long(const json_t *obj, const char *key, long dflt)
{
    const char *v = opt_str(obj, key);
    char *end;
    long n;

    if (!v)
        return dflt;
    n = strtol(v, &end, 10);
    return (*v && !*end) ? n : -1;
}

/* source.timezone and source.locale: defaults for every field. */
static int load_source_formats(const json_t *source, struct project_config *cfg,
                               struct err *e)
{
    const char *v = opt_str(source, "timezone");
    enum xf_locale loc = XF_LOCALE_EN;

    cfg->timezone = xstrdup(v && *v ? v : "UTC");
    if (!xf_tz_valid(cfg->timezone))
        return err_set(e, ERR_USAGE,
                       "%s: source.timezone: unknown time zone '%s' (use "
                       "UTC, an offset such as +05:30, or a name such as "
                       "Europe/Berlin)",
                       cfg->path, cfg->timezone);
    v = opt_str(source, "locale");
    if (v && xf_locale_parse(v, &loc))
        return err_set(e, ERR_USAGE,
                       "%s: source.locale: unknown locale '%s' (known: en "
                       "for 1,234.50, eu for 1.234,50)",
                       cfg->path, v);
    cfg->locale = (int)loc;
    return 0;
}

/* HubSpot keeps property names in lower case: a name in another form is
 * created under a name the run then never uses. */
static int internal_name(const char *name)
{
    if (!(*name >= 'a' && *name <= 'z'))
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    return 1;
}

static int load_settings(const json_t *root, struct project_config *cfg,
                         struct err *e)
{
    const json_t *source = json_object_get(root, "source");
    const json_t *target = json_object_get(root, "target");
    const json_t *run = json_object_get(root, "run");
    const json_t *deals = json_object_get(root, "deals");
    const char *v;
    int rc;

    if ((rc = req_str(source, "type", "source", cfg->path, &cfg->source_type,
                      e)) ||
        (rc =
             req_str(source, "input", "source", cfg->path, &cfg->input_dir, e)))
        return rc;
    if (strcmp(cfg->source_type, "salesforce"))
        return err_set(e, ERR_USAGE,
                       "%s: source.type: '%s' is not supported (supported: "
                       "salesforce)",
                       cfg->path, cfg->source_type);
    v = opt_str(source, "encoding");
    cfg->encoding = xstrdup(v ? v : "auto");
    v = opt_str(target, "id_property");
    cfg->id_property = xstrdup(v ? v : "salesforce_id");
    if (!internal_name(cfg->id_property))
        return err_set(e, ERR_USAGE,
                       "%s: target.id_property: '%s' is not a HubSpot "
                       "internal name: a lowercase letter, then lowercase "
                       "letters, digits and '_' (such as 'salesforce_id')",
                       cfg->path, cfg->id_property);
    cfg->concurrency = (int)opt_long(run, "concurrency", 16);
    cfg->daily_floor = opt_long(run, "daily_quota_floor", 5000);
    if (cfg->concurrency < 1 || cfg->concurrency > 64)
        return err_set(e, ERR_USAGE,
                       "%s: run.concurrency: expected a number from 1 to 64",
                       cfg->path);
    if (cfg->daily_floor < 0)
        return err_set(e, ERR_USAGE,
                       "%s: run.daily_quota_floor: expected a whole number",
                       cfg->path);
    v = opt_str(json_object_get(root, "owners"), "file");
    cfg->users_file = v && *v ? xstrdup(v) : NULL;
    v = opt_str(deals, "pipeline");
    cfg->pipeline = xstrdup(v ? v : "default");
    cfg->stages = json_object_get(deals, "stages");
    cfg->stages =
        json_is_object(cfg->stages) ? json_incref(cfg->stages) : json_object();
    v = opt_str(json_object_get(root, "owners"), "default");
    cfg->default_owner = v && *v ? xstrdup(v) : NULL;
    v = opt_str(json_object_get(root, "owners"), "unmatched");
    if (v && strcmp(v, "error") && strcmp(v, "none"))
        return err_set(e, ERR_USAGE,
                       "%s: owners.unmatched: '%s' is not one of error, none",
                       cfg->path, v);
    cfg->owner_optional = v && !strcmp(v, "none");
    cfg->owner_unmatched_written = v != NULL;
    if ((rc = opt_bool(target, "create_missing_properties", "target", cfg->path,
                       &cfg->create_missing_properties, e)))
        return rc;
    return load_source_formats(source, cfg, e);
}

static int check_version(const json_t *root, const char *path, struct err *e)
{
    const char *v = opt_str(root, "version");

    if (v && strcmp(v, "1"))
        return err_set(e, ERR_USAGE,
                       "%s: version: '%s' is not supported (this hsmigrate "
                       "reads version \"1\")",
                       path, v);
    return 0;
}

int project_config_load(const char *dir, struct project_config *cfg,
                        struct err *e)
{
    json_t *root = NULL;
    int rc;

    memset(cfg, 0, sizeof(*cfg));
    cfg->dir = xstrdup(dir);
    cfg->path = xasprintf("%s/hsmigrate.yaml", dir);
    if (access(cfg->path, F_OK) < 0) {
        rc = err_set(e, ERR_USAGE,
                     "no project in '%s': run 'hsmigrate init' first", dir);
        goto out;
    }
    if ((rc = yamljson_load(cfg->path, &root, e)))
        goto out;
    if (!json_is_object(root)) {
        rc = err_set(e, ERR_USAGE, "%s: expected a mapping at the top",
                     cfg->path);
        goto out;
    }
    if ((rc = project_keys_check(root, cfg->path, e)) ||
        (rc = check_version(root, cfg->path, e)) ||
        (rc = load_settings(root, cfg, e)) ||
        (rc = load_objects(root, cfg, e)) || (rc = load_links(root, cfg, e)))
        goto out;
out:
    json_decref(root);
    return rc;
}

void project_config_release(struct project_config *cfg)
{
    if (!cfg)
        return;
    for (int k = 0; k < OBJ_COUNT; k++) {
        for (size_t i = 0; i < cfg->objects[k].nsources; i++) {
            struct object_source *s = &cfg->objects[k].sources[i];

            for (size_t j = 0; j < s->nfields; j++) {
                free(s->fields[j].column);
                free(s->fields[j].property);
                free(s->fields[j].separator);
                free(s->fields[j].default_value);
                json_decref(s->fields[j].values);
            }
            free(s->fields);
            free(s->file);
            free(s->object);
            json_decref(s->set);
        }
        free(cfg->objects[k].sources);
    }
    for (size_t i = 0; i < cfg->nlinks; i++) {
        free(cfg->links[i].file);
        free(cfg->links[i].object);
        free(cfg->links[i].from_column);
        free(cfg->links[i].to_column);
    }
    free(cfg->links);
    json_decref(cfg->stages);
    free(cfg->dir);
    free(cfg->path);
    free(cfg->source_type);
    free(cfg->input_dir);
    free(cfg->encoding);
    free(cfg->id_property);
    free(cfg->users_file);
    free(cfg->pipeline);
    free(cfg->timezone);
    free(cfg->default_owner);
    memset(cfg, 0, sizeof(*cfg));
}

static int mkdir_private(const char *path, struct err *e)
{
    if (mkdir(path, 0700) < 0 && errno != EEXIST)
        return err_set(e, ERR_IO, "cannot create directory '%s': %s", path,
                       strerror(errno));
    return 0;
}

int project_dir_prepare(const char *dir, struct err *e)
{
    char *reports = xasprintf("%s/reports", dir);
    int rc = mkdir_private(dir, e);

    if (!rc)
        rc = mkdir_private(reports, e);
    free(reports);
    return rc;
}

char *project_path(const struct project_config *cfg, const char *name)
{
    return xasprintf("%s/%s", cfg->dir, name);
}

static void put_kv(FILE *f, int indent, const char *key, const char *value)
{
    fprintf(f, "%*s%s: ", indent, "", key);
    yamljson_put_string(f, value);
    fputc('\n', f);
}

static void put_map(FILE *f, int indent, const char *key, const json_t *m)
{
    const char *k;
    json_t *v;

    if (!json_object_size(m)) {
        fprintf(f, "%*s%s: {}\n", indent, "", key);
        return;
    }
    fprintf(f, "%*s%s:\n", indent, "", key);
    json_object_foreach((json_t *)m, k, v)
    {
        int explicit_key = yamljson_long_key(k);

        fprintf(f, "%*s%s", indent + 2, "", explicit_key ? "? " : "");
        yamljson_put_string(f, k);
        if (explicit_key)
            fprintf(f, "\n%*s", indent + 2, "");
        fputs(": ", f);
        yamljson_put_string(f, json_is_string(v) ? json_string_value(v) : "");
        fputc('\n', f);
    }
}

static void put_inline_map(FILE *f, const char *key, const json_t *m)
{
    const char *k;
    json_t *v;
    int first = 1;

    fprintf(f, ", %s: {", key);
    json_object_foreach((json_t *)m, k, v)
    {
        fputs(first ? "" : ", ", f);
        fputs(yamljson_long_key(k) ? "? " : "", f);
        yamljson_put_string(f, k);
        fputs(": ", f);
        yamljson_put_string(f, json_is_string(v) ? json_string_value(v) : "");
        first = 0;
    }
    fputc('}', f);
}

/* The optional parts of a field, only those set. */
static void put_field_options(FILE *f, const struct field_map *fm)
{
    if (fm->date_format >= 0) {
        fprintf(f, ", date_format: ");
        yamljson_put_string(f, xf_date_format_name(fm->date_format));
    }
    if (fm->locale >= 0) {
        fprintf(f, ", locale: ");
        yamljson_put_string(f, xf_locale_name(fm->locale));
    }
    if (fm->separator) {
        fprintf(f, ", separator: ");
        yamljson_put_string(f, fm->separator);
    }
    if (fm->on_unknown != UNKNOWN_ERROR)
        fprintf(f, ", on_unknown: \"%s\"", policy_names[fm->on_unknown]);
    if (fm->default_value) {
        fprintf(f, ", default: ");
        yamljson_put_string(f, fm->default_value);
    }
}

static void put_field(FILE *f, const struct field_map *fm)
{
    fprintf(f, "        - {column: ");
    yamljson_put_string(f, fm->column);
    fprintf(f, ", property: ");
    yamljson_put_string(f, fm->property);
    fprintf(f, ", transform: ");
    yamljson_put_string(f, xform_names[fm->xform]);
    put_field_options(f, fm);
    if (json_object_size(fm->values))
        put_inline_map(f, "values", fm->values);
    fprintf(f, "}\n");
}

static void put_source(FILE *f, const struct object_source *s)
{
    fprintf(f, "    - file: ");
    yamljson_put_string(f, s->file);
    fputc('\n', f);
    if (s->skip_converted)
        put_kv(f, 6, "skip_converted", "true");
    put_map(f, 6, "set", s->set);
    fprintf(f, "      fields:\n");
    for (size_t i = 0; i < s->nfields; i++)
        put_field(f, &s->fields[i]);
}

static void put_config(FILE *f, const struct project_config *cfg)
{
    char num[32];

    fprintf(f, "# hsmigrate project, written by 'hsmigrate init'. Edit "
               "freely:\n# every later command reads this file. The format "
               "is described in\n# docs/config.md.\nversion: \"1\"\n");
    fprintf(f, "source:\n");
    put_kv(f, 2, "type", cfg->source_type);
    put_kv(f, 2, "input", cfg->input_dir);
    put_kv(f, 2, "encoding", cfg->encoding);
    put_kv(f, 2, "timezone", cfg->timezone ? cfg->timezone : "UTC");
    put_kv(f, 2, "locale", xf_locale_name(cfg->locale));
    fprintf(f, "target:\n");
    put_kv(f, 2, "id_property", cfg->id_property);
    put_kv(f, 2, "create_missing_properties",
           cfg->create_missing_properties ? "true" : "false");
    fprintf(f, "run:\n");
    snprintf(num, sizeof(num), "%d", cfg->concurrency);
    put_kv(f, 2, "concurrency", num);
    snprintf(num, sizeof(num), "%ld", cfg->daily_floor);
    put_kv(f, 2, "daily_quota_floor", num);
    fprintf(f, "owners:\n");
    put_kv(f, 2, "file", cfg->users_file ? cfg->users_file : "");
    if (cfg->default_owner)
        put_kv(f, 2, "default", cfg->default_owner);
    if (cfg->owner_optional || cfg->owner_unmatched_written)
        put_kv(f, 2, "unmatched", cfg->owner_optional ? "none" : "error");
    fprintf(f, "deals:\n");
    put_kv(f, 2, "pipeline", cfg->pipeline);
    put_map(f, 2, "stages", cfg->stages);
    fprintf(f, "objects:\n");
    for (int k = 0; k < OBJ_COUNT; k++) {
        if (!cfg->objects[k].nsources)
            continue;
        fprintf(f, "  %s:\n", object_names[k]);
        for (size_t i = 0; i < cfg->objects[k].nsources; i++)
            put_source(f, &cfg->objects[k].sources[i]);
    }
    fprintf(f, cfg->nlinks ? "links:\n" : "links: []\n");
    for (size_t i = 0; i < cfg->nlinks; i++) {
        const struct link_map *l = &cfg->links[i];

        fprintf(f, "  - {kind: \"%s\", file: ", link_names[l->kind]);
        yamljson_put_string(f, l->file);
        fprintf(f, ", from: ");
        yamljson_put_string(f, l->from_column);
        fprintf(f, ", to: ");
        yamljson_put_string(f, l->to_column);
        fprintf(f, "}\n");
    }
}

int project_config_save(const struct project_config *cfg, struct err *e)
{
    int fd = open(cfg->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f;
    int rc = 0;

    if (fd < 0)
        return err_set(e, ERR_IO, "cannot write '%s': %s", cfg->path,
                       strerror(errno));
    f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return err_set(e, ERR_IO, "cannot write '%s'", cfg->path);
    }
    put_config(f, cfg);
    if (ferror(f))
        rc = err_set(e, ERR_IO, "cannot write '%s'", cfg->path);
    if (fclose(f) != 0 && !rc)
        rc = err_set(e, ERR_IO, "cannot write '%s': %s", cfg->path,
                     strerror(errno));
    return rc;
}

int project_input_check(const struct project_config *cfg, struct err *e)
{
    struct stat st;

    if (stat(cfg->input_dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
        access(cfg->input_dir, R_OK | X_OK) < 0)
        return err_set(e, ERR_USAGE,
                       "%s: source.input: '%s' is not a readable directory",
                       cfg->path, cfg->input_dir);
    return 0;
}

int project_lock(const struct project_config *cfg, int *fd, struct err *e)
{
    char *path = project_path(cfg, ".hsmigrate.lock");

    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    free(path);
    if (*fd < 0)
        return err_set(e, ERR_IO, "cannot lock the project '%s': %s", cfg->dir,
                       strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
        close(*fd);
        *fd = -1;
        return err_set(e, ERR_USAGE,
                       "another hsmigrate command is working on the project "
                       "'%s'; wait for it to finish",
                       cfg->dir);
    }
    return 0;
}

void project_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}
