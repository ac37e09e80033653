/* search_query.h: the CRM search request, parsed and checked the way
 * HubSpot checks it, and the evaluation of its filters against one
 * record. Pure: no store, no clock, so every rule has a unit test.
 *
 * The search endpoint (search.c) parses a query, resolves each filter's
 * property to a kind and a value slot, fills association filters' id
 * sets from the store, and then asks search_query_matches about each
 * record, whose values it hands over by slot.
 */
#ifndef HSM_SANDBOX_SEARCH_QUERY_H
#define HSM_SANDBOX_SEARCH_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEARCH_MAX_GROUPS 5
#define SEARCH_MAX_GROUP_FILTERS 6
#define SEARCH_MAX_FILTERS 18
#define SEARCH_MAX_LIMIT 200
#define SEARCH_DEFAULT_LIMIT 10
#define SEARCH_MAX_RESULTS 10000
#define SEARCH_MAX_QUERY 3000

enum search_op {
    SEARCH_EQ,
    SEARCH_NEQ,
    SEARCH_LT,
    SEARCH_LTE,
    SEARCH_GT,
    SEARCH_GTE,
    SEARCH_BETWEEN,
    SEARCH_IN,
    SEARCH_NOT_IN,
    SEARCH_HAS_PROPERTY,
    SEARCH_NOT_HAS_PROPERTY,
    SEARCH_CONTAINS_TOKEN,
    SEARCH_NOT_CONTAINS_TOKEN,
};

/* How values of a property compare. */
enum search_kind {
    SEARCH_KIND_STRING = 0, /* case-insensitive */
    SEARCH_KIND_ENUM,       /* exact; ';' separates multiple values */
    SEARCH_KIND_NUMBER,
    SEARCH_KIND_DATE, /* date or datetime: epoch ms, YYYY-MM-DD or ISO */
    SEARCH_KIND_BOOL,
};

struct search_filter {
    char *prop; /* property name; for an association filter, the type */
    bool assoc; /* "associations.{type}" pseudo-property */
    enum search_op op;
    enum search_kind kind; /* set by the caller; STRING by default */
    int slot;              /* index into a record's values; set by caller */
    char *value;
    char *high; /* BETWEEN */
    char **values;
    size_t nvalues;
    int64_t *ids; /* association filters: the linked record ids, sorted */
    size_t nids;
};

struct search_group {
    struct search_filter *filters;
    size_t n;
};

struct search_query {
    struct search_group *groups;
    size_t ngroups;
    char *sort_prop; /* NULL: by id */
    bool sort_desc;
    enum search_kind sort_kind;
    int sort_slot;
    char **props; /* requested properties; NULL when none were asked */
    size_t nprops;
    long limit;
    long after;
    char *text;      /* the free-text query, or NULL */
    int *text_slots; /* slots the text query looks in; set by caller */
    size_t ntext_slots;
};

/* One record as the evaluator sees it: values by slot, NULL when unset. */
struct search_record {
    int64_t id;
    const char *const *values;
};

/* Parses a search body (NULL counts as {}). On a request HubSpot refuses
 * returns -1 with HubSpot's message in msg; q is then released. */
int search_query_parse(const json_t *body, struct search_query *q, char *msg,
                       size_t size);
void search_query_release(struct search_query *q);

bool search_query_matches(const struct search_query *q,
                          const struct search_record *r);
bool search_filter_matches(const struct search_filter *f, int64_t id,
                           const char *value);

/* Orders two values of a kind; NULL (no value) sorts after any value. */
int search_value_compare(enum search_kind kind, const char *a, const char *b);

/* Parses epoch ms digits, YYYY-MM-DD or ISO 8601 into epoch ms. */
int search_parse_time(const char *s, int64_t *ms);

#endif
