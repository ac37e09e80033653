#include "config/keys.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>

enum shape {
    SHAPE_VALUE,  /* one value */
    SHAPE_VALUES, /* a mapping of any names to one value each */
    SHAPE_MAP,    /* a mapping with the keys in sub */
    SHAPE_LIST,   /* a list of mappings with the keys in sub */
};

struct key_rule {
    const char *name;
    enum shape shape;
    const struct key_rule *sub;
};

static const struct key_rule field_keys[] = {
    {"column", SHAPE_VALUE, NULL},    {"property", SHAPE_VALUE, NULL},
    {"transform", SHAPE_VALUE, NULL}, {"date_format", SHAPE_VALUE, NULL},
    {"locale", SHAPE_VALUE, NULL},    {"separator", SHAPE_VALUE, NULL},
    {"values", SHAPE_VALUES, NULL},   {"on_unknown", SHAPE_VALUE, NULL},
    {"default", SHAPE_VALUE, NULL},   {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule source_keys[] = {
    {"file", SHAPE_VALUE, NULL}, {"skip_converted", SHAPE_VALUE, NULL},
    {"set", SHAPE_VALUES, NULL}, {"fields", SHAPE_LIST, field_keys},
    {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule object_keys[] = {
    {"companies", SHAPE_LIST, source_keys},
    {"contacts", SHAPE_LIST, source_keys},
    {"deals", SHAPE_LIST, source_keys},
    {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule link_keys[] = {
    {"kind", SHAPE_VALUE, NULL}, {"file", SHAPE_VALUE, NULL},
    {"from", SHAPE_VALUE, NULL}, {"to", SHAPE_VALUE, NULL},
    {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule source_section[] = {
    {"type", SHAPE_VALUE, NULL},     {"input", SHAPE_VALUE, NULL},
    {"encoding", SHAPE_VALUE, NULL}, {"timezone", SHAPE_VALUE, NULL},
    {"locale", SHAPE_VALUE, NULL},   {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule target_section[] = {
    {"id_property", SHAPE_VALUE, NULL},
    {"create_missing_properties", SHAPE_VALUE, NULL},
    {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule run_section[] = {
    {"concurrency", SHAPE_VALUE, NULL},
    {"daily_quota_floor", SHAPE_VALUE, NULL},
    {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule owners_section[] = {
    {"file", SHAPE_VALUE, NULL},
    {"default", SHAPE_VALUE, NULL},
    {"unmatched", SHAPE_VALUE, NULL},
    {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule deals_section[] = {
    {"pipeline", SHAPE_VALUE, NULL},
    {"stages", SHAPE_VALUES, NULL},
    {NULL, SHAPE_VALUE, NULL},
};

static const struct key_rule top_keys[] = {
    {"version", SHAPE_VALUE, NULL},
    {"source", SHAPE_MAP, source_section},
    {"target", SHAPE_MAP, target_section},
    {"run", SHAPE_MAP, run_section},
    {"owners", SHAPE_MAP, owners_section},
    {"deals", SHAPE_MAP, deals_section},
    {"objects", SHAPE_MAP, object_keys},
    {"links", SHAPE_LIST, link_keys},
    {NULL, SHAPE_VALUE, NULL},
};

static const char *shape_name(const json_t *v)
{
    if (json_is_object(v))
        return "a mapping";
    if (json_is_array(v))
        return "a list";
    return "a single value";
}

static int wrong_shape(const json_t *v, const char *want, const char *where,
                       const char *path, struct err *e)
{
    return err_set(e, ERR_USAGE, "%s: %s: expected %s, not %s", path, where,
                   want, shape_name(v));
}

static int unknown_key(const struct key_rule *rules, const char *key,
                       const char *where, const char *path, struct err *e)
{
    char known[256] = "";
    size_t n = 0;

    for (const struct key_rule *r = rules; r->name; r++)
        n += (size_t)snprintf(known + n,
                              n < sizeof(known) ? sizeof(known) - n : 0, "%s%s",
                              r == rules ? "" : ", ", r->name);
    return err_set(e, ERR_USAGE, "%s: %s%sunknown key '%s' (known: %s)", path,
                   where, *where ? ": " : "", key, known);
}

static int check_map(const json_t *m, const struct key_rule *rules,
                     const char *where, const char *path, struct err *e);

/* YAML's empty value (`set:` with nothing after it) reads as "": it
 * stands for an empty mapping or list. */
static int is_empty(const json_t *v)
{
    return json_is_string(v) && !*json_string_value(v);
}

static int check_values(const json_t *m, const char *where, const char *path,
                        struct err *e)
{
    char sub[256];
    const char *k;
    json_t *v;

    if (!json_is_object(m))
        return wrong_shape(m, "a mapping", where, path, e);
    json_object_foreach((json_t *)m, k, v)
    {
        snprintf(sub, sizeof(sub), "%s.%s", where, k);
        if (!json_is_string(v))
            return wrong_shape(v, "a single value", sub, path, e);
    }
    return 0;
}

static int check_list(const json_t *l, const struct key_rule *rules,
                      const char *where, const char *path, struct err *e)
{
    char sub[256];
    int rc;

    if (!json_is_array(l))
        return wrong_shape(l, "a list", where, path, e);
    for (size_t i = 0; i < json_array_size(l); i++) {
        snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
        if ((rc = check_map(json_array_get(l, i), rules, sub, path, e)))
            return rc;
    }
    return 0;
}

static int check_value(const json_t *v, const struct key_rule *r,
                       const char *where, const char *path, struct err *e)
{
    if (r->shape == SHAPE_VALUE)
        return json_is_string(v)
                   ? 0
                   : wrong_shape(v, "a single value", where, path, e);
    if (is_empty(v))
        return 0;
    if (r->shape == SHAPE_VALUES)
        return check_values(v, where, path, e);
    if (r->shape == SHAPE_LIST)
        return check_list(v, r->sub, where, path, e);
    return check_map(v, r->sub, where, path, e);
}

static int check_map(const json_t *m, const struct key_rule *rules,
                     const char *where, const char *path, struct err *e)
{
    const struct key_rule *r;
    char sub[256];
    const char *k;
    json_t *v;
    int rc;

    if (!json_is_object(m))
        return wrong_shape(m, "a mapping", *where ? where : "the top", path, e);
    json_object_foreach((json_t *)m, k, v)
    {
        for (r = rules; r->name && strcmp(r->name, k); r++)
            ;
        if (!r->name)
            return unknown_key(rules, k, where, path, e);
        snprintf(sub, sizeof(sub), "%s%s%s", where, *where ? "." : "", k);
        if ((rc = check_value(v, r, sub, path, e)))
            return rc;
    }
    return 0;
}

int project_keys_check(const json_t *root, const char *path, struct err *e)
{
    return check_map(root, top_keys, "", path, e);
}
