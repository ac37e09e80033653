#include "sandbox/search_query.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/xalloc.h"

static const char *const op_names[] = {
    [SEARCH_EQ] = "EQ",
    [SEARCH_NEQ] = "NEQ",
    [SEARCH_LT] = "LT",
    [SEARCH_LTE] = "LTE",
    [SEARCH_GT] = "GT",
    [SEARCH_GTE] = "GTE",
    [SEARCH_BETWEEN] = "BETWEEN",
    [SEARCH_IN] = "IN",
    [SEARCH_NOT_IN] = "NOT_IN",
    [SEARCH_HAS_PROPERTY] = "HAS_PROPERTY",
    [SEARCH_NOT_HAS_PROPERTY] = "NOT_HAS_PROPERTY",
    [SEARCH_CONTAINS_TOKEN] = "CONTAINS_TOKEN",
    [SEARCH_NOT_CONTAINS_TOKEN] = "NOT_CONTAINS_TOKEN",
};

#define NOPS (sizeof(op_names) / sizeof(op_names[0]))
#define ASSOC_PREFIX "associations."

/* A filter value as text: HubSpot takes strings, numbers and booleans. */
static char *value_text(const json_t *v)
{
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v))
        return xasprintf("%lld", (long long)json_integer_value(v));
    if (json_is_real(v))
        return xasprintf("%.17g", json_real_value(v));
    if (json_is_boolean(v))
        return xstrdup(json_is_true(v) ? "true" : "false");
    return NULL;
}

static int parse_op(const char *s, enum search_op *op)
{
    for (size_t i = 0; s && i < NOPS; i++)
        if (!strcmp(s, op_names[i])) {
            *op = (enum search_op)i;
            return 0;
        }
    return -1;
}

/* The operands an operator needs: value, values[] or value+highValue. */
static int parse_operands(const json_t *j, struct search_filter *f, char *msg,
                          size_t size)
{
    const json_t *vals = json_object_get(j, "values");
    size_t i;
    json_t *v;

    if (f->op == SEARCH_HAS_PROPERTY || f->op == SEARCH_NOT_HAS_PROPERTY)
        return 0;
    if (f->op == SEARCH_IN || f->op == SEARCH_NOT_IN) {
        if (!json_is_array(vals) || json_array_size(vals) == 0)
            goto bad;
        f->values = xcalloc(json_array_size(vals), sizeof(*f->values));
        json_array_foreach(vals, i, v)
        {
            if (!(f->values[f->nvalues] = value_text(v)))
                goto bad;
            f->nvalues++;
        }
        return 0;
    }
    f->value = value_text(json_object_get(j, "value"));
    if (f->op == SEARCH_BETWEEN)
        f->high = value_text(json_object_get(j, "highValue"));
    if (f->value && (f->op != SEARCH_BETWEEN || f->high))
        return 0;
bad:
    snprintf(msg, size, "Invalid filter on %s: operator %s needs %s", f->prop,
             op_names[f->op],
             f->op == SEARCH_IN || f->op == SEARCH_NOT_IN ? "a values array"
             : f->op == SEARCH_BETWEEN ? "value and highValue"
                                       : "a value");
    return -1;
}

static int parse_filter(const json_t *j, struct search_filter *f, char *msg,
                        size_t size)
{
    const char *prop = json_string_value(json_object_get(j, "propertyName"));
    const char *op = json_string_value(json_object_get(j, "operator"));

    if (!prop || !*prop) {
        snprintf(msg, size, "Invalid filter: propertyName is required");
        return -1;
    }
    f->assoc = !strncmp(prop, ASSOC_PREFIX, strlen(ASSOC_PREFIX));
    f->prop = xstrdup(f->assoc ? prop + strlen(ASSOC_PREFIX) : prop);
    if (parse_op(op, &f->op) < 0) {
        snprintf(msg, size, "Invalid filter on %s: unknown operator %s", prop,
                 op ? op : "(none)");
        return -1;
    }
    if (f->assoc && f->op != SEARCH_EQ && f->op != SEARCH_NEQ &&
        f->op != SEARCH_IN && f->op != SEARCH_NOT_IN &&
        f->op != SEARCH_HAS_PROPERTY && f->op != SEARCH_NOT_HAS_PROPERTY) {
        snprintf(msg, size,
                 "Invalid filter on %s: operator %s is not"
                 " supported for associations",
                 prop, op);
        return -1;
    }
    return parse_operands(j, f, msg, size);
}

/* Counts filters first, so the limits are checked before any parsing. */
static int check_limits(const json_t *groups, char *msg, size_t size)
{
    size_t i, total = 0;
    json_t *g;

    if (json_array_size(groups) > SEARCH_MAX_GROUPS) {
        snprintf(msg, size, "Too many filter groups (%zu). The maximum is %d",
                 json_array_size(groups), SEARCH_MAX_GROUPS);
        return -1;
    }
    json_array_foreach(groups, i, g)
    {
        size_t n = json_array_size(json_object_get(g, "filters"));

        if (!json_is_array(json_object_get(g, "filters"))) {
            snprintf(msg, size,
                     "Invalid filter group: filters must be an"
                     " array");
            return -1;
        }
        if (n > SEARCH_MAX_GROUP_FILTERS) {
            snprintf(msg, size,
                     "Too many filters in a filter group (%zu)."
                     " The maximum is %d",
                     n, SEARCH_MAX_GROUP_FILTERS);
            return -1;
        }
        total += n;
    }
    if (total > SEARCH_MAX_FILTERS) {
        snprintf(msg, size,
                 "Too many filters (%zu). The maximum across all"
                 " filter groups is %d",
                 total, SEARCH_MAX_FILTERS);
        return -1;
    }
    return 0;
}

static int parse_groups(const json_t *groups, struct search_query *q, char *msg,
                        size_t size)
{
    size_t i, k;
    json_t *g, *f;

    if (!groups || json_is_null(groups))
        return 0;
    if (!json_is_array(groups)) {
        snprintf(msg, size,
                 "Invalid input JSON: filterGroups must be an"
                 " array");
        return -1;
    }
    if (check_limits(groups, msg, size) < 0)
        return -1;
    q->groups = xcalloc(json_array_size(groups) + 1, sizeof(*q->groups));
    json_array_foreach(groups, i, g)
    {
        const json_t *fs = json_object_get(g, "filters");
        struct search_group *sg = &q->groups[q->ngroups++];

        sg->filters = xcalloc(json_array_size(fs) + 1, sizeof(*sg->filters));
        json_array_foreach(fs, k, f)
        {
            if (parse_filter(f, &sg->filters[sg->n++], msg, size) < 0)
                return -1;
        }
    }
    return 0;
}

/* sorts: ["prop"], ["-prop"] or [{propertyName, direction}]; HubSpot
 * applies one sort rule, so only the first counts. */
static int parse_sorts(const json_t *sorts, struct search_query *q, char *msg,
                       size_t size)
{
    const json_t *s = json_array_get(sorts, 0);
    const char *name, *dir;

    if (!sorts || json_is_null(sorts) || json_array_size(sorts) == 0)
        return 0;
    if (json_is_string(s)) {
        name = json_string_value(s);
        q->sort_desc = name[0] == '-';
        q->sort_prop = xstrdup(name + (q->sort_desc ? 1 : 0));
        return 0;
    }
    name = json_string_value(json_object_get(s, "propertyName"));
    dir = json_string_value(json_object_get(s, "direction"));
    if (!name ||
        (dir && strcmp(dir, "ASCENDING") && strcmp(dir, "DESCENDING"))) {
        snprintf(msg, size,
                 "Invalid sort: propertyName is required and"
                 " direction is ASCENDING or DESCENDING");
        return -1;
    }
    q->sort_prop = xstrdup(name);
    q->sort_desc = dir && !strcmp(dir, "DESCENDING");
    return 0;
}

static int parse_props(const json_t *props, struct search_query *q, char *msg,
                       size_t size)
{
    size_t i;
    json_t *p;

    if (!props || json_is_null(props))
        return 0;
    if (!json_is_array(props)) {
        snprintf(msg, size, "Invalid input JSON: properties must be an array");
        return -1;
    }
    q->props = xcalloc(json_array_size(props) + 1, sizeof(*q->props));
    json_array_foreach(props, i, p)
    {
        if (!json_is_string(p)) {
            snprintf(msg, size,
                     "Invalid input JSON: properties must be"
                     " strings");
            return -1;
        }
        q->props[q->nprops++] = xstrdup(json_string_value(p));
    }
    return 0;
}

/* A non-negative integer given as a JSON integer or a string of digits. */
static int json_count(const json_t *v, long *out)
{
    const char *s = json_string_value(v);
    char *end;

    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (long)json_integer_value(v);
        return 0;
    }
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    *out = strtol(s, &end, 10);
    return errno || *end ? -1 : 0;
}

static int parse_paging(const json_t *body, struct search_query *q, char *msg,
                        size_t size)
{
    const json_t *limit = json_object_get(body, "limit");
    const json_t *after = json_object_get(body, "after");

    q->limit = SEARCH_DEFAULT_LIMIT;
    if (limit && !json_is_null(limit) &&
        (json_count(limit, &q->limit) < 0 || q->limit > SEARCH_MAX_LIMIT)) {
        snprintf(msg, size, "limit must be between 0 and %d", SEARCH_MAX_LIMIT);
        return -1;
    }
    if (after && !json_is_null(after) && json_count(after, &q->after) < 0) {
        snprintf(msg, size, "after must be a non-negative integer");
        return -1;
    }
    if (q->after >= SEARCH_MAX_RESULTS) {
        snprintf(msg, size,
                 "Paging past %d results is not supported; the"
                 " search API returns at most %d results per query",
                 SEARCH_MAX_RESULTS, SEARCH_MAX_RESULTS);
        return -1;
    }
    return 0;
}

static int parse_text(const json_t *text, struct search_query *q, char *msg,
                      size_t size)
{
    if (!text || json_is_null(text))
        return 0;
    if (!json_is_string(text) || json_string_length(text) > SEARCH_MAX_QUERY) {
        snprintf(msg, size, "query must be a string of at most %d characters",
                 SEARCH_MAX_QUERY);
        return -1;
    }
    if (json_string_length(text) > 0)
        q->text = xstrdup(json_string_value(text));
    return 0;
}

int search_query_parse(const json_t *body, struct search_query *q, char *msg,
                       size_t size)
{
    memset(q, 0, sizeof(*q));
    q->sort_slot = -1;
    if (body && !json_is_object(body)) {
        snprintf(msg, size, "Invalid input JSON: expected an object");
        return -1;
    }
    if (parse_groups(json_object_get(body, "filterGroups"), q, msg, size) < 0 ||
        parse_sorts(json_object_get(body, "sorts"), q, msg, size) < 0 ||
        parse_props(json_object_get(body, "properties"), q, msg, size) < 0 ||
        parse_paging(body, q, msg, size) < 0 ||
        parse_text(json_object_get(body, "query"), q, msg, size) < 0) {
        search_query_release(q);
        return -1;
    }
    return 0;
}

static void filter_release(struct search_filter *f)
{
    free(f->prop);
    free(f->value);
    free(f->high);
    for (size_t i = 0; i < f->nvalues; i++)
        free(f->values[i]);
    free(f->values);
    free(f->ids);
}

void search_query_release(struct search_query *q)
{
    if (!q)
        return;
    for (size_t g = 0; g < q->ngroups; g++) {
        for (size_t i = 0; i < q->groups[g].n; i++)
            filter_release(&q->groups[g].filters[i]);
        free(q->groups[g].filters);
    }
    free(q->groups);
    for (size_t i = 0; i < q->nprops; i++)
        free(q->props[i]);
    free(q->props);
    free(q->sort_prop);
    free(q->text);
    free(q->text_slots);
    memset(q, 0, sizeof(*q));
}

static int parse_iso(const char *s, int64_t *ms)
{
    struct tm tm = {0};
    int frac = 0, n = 0, oh = 0, om = 0;
    char sign = '+';

    if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) !=
            3 ||
        n != 10)
        return -1;
    s += n;
    if (*s == 'T' && sscanf(s, "T%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min,
                            &tm.tm_sec, &n) == 3) {
        s += n;
        if (*s == '.') {
            for (int d = 0; d < 3; d++)
                frac =
                    frac * 10 + (isdigit((unsigned char)s[1]) ? *++s - '0' : 0);
            while (isdigit((unsigned char)s[1]))
                s++;
            s++;
        }
        if ((*s == '+' || *s == '-') &&
            sscanf(s, "%c%2d:%2d%n", &sign, &oh, &om, &n) == 3 && n == 6)
            s += 6;
        else if (*s == 'Z')
            s++;
    }
    if (*s)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *ms = (int64_t)timegm(&tm) * 1000 + frac -
          (sign == '-' ? -1 : 1) * (int64_t)(oh * 60 + om) * 60000;
    return 0;
}

int search_parse_time(const char *s, int64_t *ms)
{
    char *end;

    if (!s || !*s)
        return -1;
    if (isdigit((unsigned char)*s) ||
        (*s == '-' && isdigit((unsigned char)s[1]))) {
        errno = 0;
        *ms = strtoll(s, &end, 10);
        if (!errno && !*end)
            return 0;
    }
    return parse_iso(s, ms);
}

static int cmp_num(double a, double b)
{
    return a < b ? -1 : a > b;
}

int search_value_compare(enum search_kind kind, const char *a, const char *b)
{
    char *ea, *eb;
    int64_t ta, tb;
    double da, db;

    if (!a || !b)
        return !a && !b ? 0 : !a ? 1 : -1;
    if (kind == SEARCH_KIND_NUMBER) {
        da = strtod(a, &ea);
        db = strtod(b, &eb);
        if (ea != a && !*ea && eb != b && !*eb)
            return cmp_num(da, db);
    }
    if (kind == SEARCH_KIND_DATE && search_parse_time(a, &ta) == 0 &&
        search_parse_time(b, &tb) == 0)
        return ta < tb ? -1 : ta > tb;
    if (kind == SEARCH_KIND_ENUM)
        return strcmp(a, b);
    return strcasecmp(a, b);
}

/* EQ: a multi-value enumeration matches when one of its values does. */
static bool value_eq(enum search_kind kind, const char *rec, const char *v)
{
    size_t len = strlen(v);

    if (kind != SEARCH_KIND_ENUM)
        return search_value_compare(kind, rec, v) == 0;
    for (const char *p = rec; p; p = strchr(p, ';')) {
        if (*p == ';')
            p++;
        if (!strncmp(p, v, len) && (p[len] == ';' || !p[len]))
            return true;
    }
    return false;
}

/* IN compares string values lowercased against the values as given,
 * which is why HubSpot asks for lowercase values there. */
static bool value_in(const struct search_filter *f, const char *rec)
{
    char *low = NULL;
    bool hit = false;

    if (f->kind == SEARCH_KIND_STRING) {
        low = xstrdup(rec);
        for (char *p = low; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    for (size_t i = 0; i < f->nvalues && !hit; i++)
        hit = low ? !strcmp(low, f->values[i])
                  : value_eq(f->kind, rec, f->values[i]);
    free(low);
    return hit;
}

/* CONTAINS_TOKEN: a word of the value matches the token; '*' is a
 * wildcard, and case does not matter. */
static bool token_match(const char *rec, const char *token)
{
    char *copy = xstrdup(rec), *save = NULL;
    bool hit = false;

    for (char *w = strtok_r(copy, " \t\n,;", &save); w && !hit;
         w = strtok_r(NULL, " \t\n,;", &save))
        hit = fnmatch(token, w, FNM_CASEFOLD) == 0;
    free(copy);
    return hit;
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

static bool assoc_matches(const struct search_filter *f, int64_t id)
{
    bool member =
        f->nids > 0 && bsearch(&id, f->ids, f->nids, sizeof(*f->ids), id_cmp);

    switch (f->op) {
    case SEARCH_NEQ:
    case SEARCH_NOT_IN:
    case SEARCH_NOT_HAS_PROPERTY:
        return !member;
    default:
        return member;
    }
}

bool search_filter_matches(const struct search_filter *f, int64_t id,
                           const char *value)
{
    bool has = value && *value;

    if (f->assoc)
        return assoc_matches(f, id);
    switch (f->op) {
    case SEARCH_EQ:
        return has && value_eq(f->kind, value, f->value);
    case SEARCH_NEQ:
        return !(has && value_eq(f->kind, value, f->value));
    case SEARCH_LT:
        return has && search_value_compare(f->kind, value, f->value) < 0;
    case SEARCH_LTE:
        return has && search_value_compare(f->kind, value, f->value) <= 0;
    case SEARCH_GT:
        return has && search_value_compare(f->kind, value, f->value) > 0;
    case SEARCH_GTE:
        return has && search_value_compare(f->kind, value, f->value) >= 0;
    case SEARCH_BETWEEN:
        return has && search_value_compare(f->kind, value, f->value) >= 0 &&
               search_value_compare(f->kind, value, f->high) <= 0;
    case SEARCH_IN:
        return has && value_in(f, value);
    case SEARCH_NOT_IN:
        return !(has && value_in(f, value));
    case SEARCH_HAS_PROPERTY:
        return has;
    case SEARCH_NOT_HAS_PROPERTY:
        return !has;
    case SEARCH_CONTAINS_TOKEN:
        return has && token_match(value, f->value);
    case SEARCH_NOT_CONTAINS_TOKEN:
        return !(has && token_match(value, f->value));
    }
    return false;
}

/* Every word of the text query appears in one of the searched values. */
static bool text_matches(const struct search_query *q,
                         const struct search_record *r)
{
    char *copy = xstrdup(q->text), *save = NULL;
    bool all = true;

    for (char *w = strtok_r(copy, " \t\n", &save); w && all;
         w = strtok_r(NULL, " \t\n", &save)) {
        bool any = false;

        for (size_t i = 0; i < q->ntext_slots && !any; i++) {
            const char *v = r->values[q->text_slots[i]];
            any = v && strcasestr(v, w);
        }
        all = any;
    }
    free(copy);
    return all;
}

bool search_query_matches(const struct search_query *q,
                          const struct search_record *r)
{
    if (q->text && !text_matches(q, r))
        return false;
    if (q->ngroups == 0)
        return true;
    for (size_t g = 0; g < q->ngroups; g++) {
        const struct search_group *sg = &q->groups[g];
        size_t i;

        for (i = 0; i < sg->n; i++) {
            const struct search_filter *f = &sg->filters[i];
            if (!search_filter_matches(f, r->id,
                                       f->assoc ? NULL : r->values[f->slot]))
                break;
        }
        if (i == sg->n)
            return true;
    }
    return false;
}
