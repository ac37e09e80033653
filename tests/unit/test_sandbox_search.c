/* Unit tests for the sandbox's search request parsing and filter
 * evaluation (sandbox/search_query.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sandbox/search_query.h"

/* Parses a JSON text; fails the test when it is refused. */
static void parse_ok(const char *text, struct search_query *q)
{
    char msg[256] = "";
    json_t *body = json_loads(text, 0, NULL);

    assert_non_null(body);
    if (search_query_parse(body, q, msg, sizeof(msg)) < 0)
        fail_msg("refused: %s", msg);
    json_decref(body);
}

/* Parses a JSON text that must be refused; returns the message. */
static const char *parse_bad(const char *text)
{
    static char msg[256];
    struct search_query q;
    json_t *body = json_loads(text, 0, NULL);

    assert_non_null(body);
    msg[0] = '\0';
    assert_int_equal(search_query_parse(body, &q, msg, sizeof(msg)), -1);
    json_decref(body);
    assert_true(msg[0] != '\0');
    return msg;
}

/* One filter built by hand. */
static bool match1(enum search_op op, enum search_kind kind, const char *v,
                   const char *rec)
{
    struct search_filter f = {.op = op, .kind = kind, .value = (char *)v};

    return search_filter_matches(&f, 1, rec);
}

static void test_eq_string_is_case_insensitive(void **state)
{
    (void)state;
    assert_true(
        match1(SEARCH_EQ, SEARCH_KIND_STRING, "ANN@x.com", "ann@x.com"));
    assert_false(match1(SEARCH_EQ, SEARCH_KIND_STRING, "ann", "anne"));
    assert_false(match1(SEARCH_EQ, SEARCH_KIND_STRING, "ann", NULL));
}

static void test_eq_enum_is_case_sensitive(void **state)
{
    (void)state;
    assert_true(match1(SEARCH_EQ, SEARCH_KIND_ENUM, "lead", "lead"));
    assert_false(match1(SEARCH_EQ, SEARCH_KIND_ENUM, "Lead", "lead"));
    /* A multi-checkbox value matches on any of its values. */
    assert_true(match1(SEARCH_EQ, SEARCH_KIND_ENUM, "b", "a;b;c"));
    assert_false(match1(SEARCH_EQ, SEARCH_KIND_ENUM, "b", "a;bb"));
}

static void test_neq_matches_missing_values(void **state)
{
    (void)state;
    assert_true(match1(SEARCH_NEQ, SEARCH_KIND_STRING, "x", NULL));
    assert_true(match1(SEARCH_NEQ, SEARCH_KIND_STRING, "x", "y"));
    assert_false(match1(SEARCH_NEQ, SEARCH_KIND_STRING, "x", "X"));
}

static void test_numbers_compare_numerically(void **state)
{
    (void)state;
    assert_true(match1(SEARCH_GT, SEARCH_KIND_NUMBER, "9", "10"));
    assert_false(match1(SEARCH_GT, SEARCH_KIND_STRING, "9", "10"));
    assert_true(match1(SEARCH_EQ, SEARCH_KIND_NUMBER, "1.50", "1.5"));
    assert_true(match1(SEARCH_LTE, SEARCH_KIND_NUMBER, "-2", "-2"));
    assert_false(match1(SEARCH_LT, SEARCH_KIND_NUMBER, "5", NULL));
}

static void test_dates_accept_ms_and_iso(void **state)
{
    int64_t ms = 0;

    (void)state;
    assert_int_equal(search_parse_time("2015-05-01", &ms), 0);
    assert_true(ms == 1430438400000LL);
    assert_int_equal(search_parse_time("2024-01-17T19:55:04.281Z", &ms), 0);
    assert_true(ms == 1705521304281LL);
    assert_int_equal(search_parse_time("2024-01-17T20:55:04.281+01:00", &ms),
                     0);
    assert_true(ms == 1705521304281LL);
    assert_int_equal(search_parse_time("yesterday", &ms), -1);
    assert_true(
        match1(SEARCH_EQ, SEARCH_KIND_DATE, "1430438400000", "2015-05-01"));
    assert_true(match1(SEARCH_GTE, SEARCH_KIND_DATE, "2024-01-17",
                       "2024-01-17T00:00:00.000Z"));
    assert_false(match1(SEARCH_LT, SEARCH_KIND_DATE, "2024-01-17",
                        "2024-01-17T10:00:00.000Z"));
}

static void test_between_is_inclusive(void **state)
{
    struct search_filter f = {.op = SEARCH_BETWEEN,
                              .kind = SEARCH_KIND_NUMBER,
                              .value = "10",
                              .high = "20"};

    (void)state;
    assert_true(search_filter_matches(&f, 1, "10"));
    assert_true(search_filter_matches(&f, 1, "20"));
    assert_false(search_filter_matches(&f, 1, "20.5"));
    assert_false(search_filter_matches(&f, 1, NULL));
}

static void test_in_wants_lowercase_string_values(void **state)
{
    char *vals[] = {"ann@x.com", "BOB@x.com"};
    struct search_filter f = {.op = SEARCH_IN,
                              .kind = SEARCH_KIND_STRING,
                              .values = vals,
                              .nvalues = 2};

    (void)state;
    assert_true(search_filter_matches(&f, 1, "Ann@X.com"));
    /* An upper-case value in the filter never matches a string. */
    assert_false(search_filter_matches(&f, 1, "bob@x.com"));
    f.op = SEARCH_NOT_IN;
    assert_true(search_filter_matches(&f, 1, "bob@x.com"));
    assert_true(search_filter_matches(&f, 1, NULL));
    assert_false(search_filter_matches(&f, 1, "ann@x.com"));
}

static void test_has_property(void **state)
{
    (void)state;
    assert_true(match1(SEARCH_HAS_PROPERTY, SEARCH_KIND_STRING, NULL, "x"));
    assert_false(match1(SEARCH_HAS_PROPERTY, SEARCH_KIND_STRING, NULL, ""));
    assert_false(match1(SEARCH_HAS_PROPERTY, SEARCH_KIND_STRING, NULL, NULL));
    assert_true(
        match1(SEARCH_NOT_HAS_PROPERTY, SEARCH_KIND_STRING, NULL, NULL));
}

static void test_contains_token(void **state)
{
    (void)state;
    assert_true(match1(SEARCH_CONTAINS_TOKEN, SEARCH_KIND_STRING, "acme*",
                       "The ACMEcorp Inc"));
    assert_false(
        match1(SEARCH_CONTAINS_TOKEN, SEARCH_KIND_STRING, "acme", "acmecorp"));
    assert_true(
        match1(SEARCH_NOT_CONTAINS_TOKEN, SEARCH_KIND_STRING, "x", NULL));
}

static void test_association_filter_uses_id_set(void **state)
{
    int64_t ids[] = {3, 7, 42};
    struct search_filter f = {
        .assoc = true, .op = SEARCH_EQ, .ids = ids, .nids = 3};

    (void)state;
    assert_true(search_filter_matches(&f, 7, NULL));
    assert_false(search_filter_matches(&f, 8, NULL));
    f.op = SEARCH_NEQ;
    assert_true(search_filter_matches(&f, 8, NULL));
    f.op = SEARCH_NOT_HAS_PROPERTY;
    assert_false(search_filter_matches(&f, 42, NULL));
}

static void test_groups_or_filters_and(void **state)
{
    struct search_query q;
    const char *a[] = {"ann", "lee"}, *b[] = {"bob", "lee"},
               *c[] = {"cy", "ray"};
    struct search_record ra = {1, a}, rb = {2, b}, rc = {3, c};

    (void)state;
    parse_ok("{\"filterGroups\":["
             "{\"filters\":[{\"propertyName\":\"firstname\",\"operator\":"
             "\"EQ\",\"value\":\"ANN\"},{\"propertyName\":\"lastname\","
             "\"operator\":\"EQ\",\"value\":\"lee\"}]},"
             "{\"filters\":[{\"propertyName\":\"lastname\",\"operator\":"
             "\"EQ\",\"value\":\"ray\"}]}]}",
             &q);
    q.groups[0].filters[0].slot = 0;
    q.groups[0].filters[1].slot = 1;
    q.groups[1].filters[0].slot = 1;
    assert_true(search_query_matches(&q, &ra));
    assert_false(search_query_matches(&q, &rb));
    assert_true(search_query_matches(&q, &rc));
    search_query_release(&q);
}

static void test_text_query(void **state)
{
    struct search_query q;
    int slots[] = {0, 1};
    const char *a[] = {"Ann", "ann@acme.com"}, *b[] = {"Bob", NULL};
    struct search_record ra = {1, a}, rb = {2, b};

    (void)state;
    parse_ok("{\"query\":\"ann ACME\"}", &q);
    q.ntext_slots = 2;
    q.text_slots = malloc(sizeof(slots));
    memcpy(q.text_slots, slots, sizeof(slots));
    assert_true(search_query_matches(&q, &ra));
    assert_false(search_query_matches(&q, &rb));
    search_query_release(&q);
}

static void test_parse_defaults_and_paging(void **state)
{
    struct search_query q;

    (void)state;
    parse_ok("{}", &q);
    assert_int_equal(q.limit, 10);
    assert_int_equal(q.after, 0);
    assert_null(q.sort_prop);
    assert_null(q.props);
    search_query_release(&q);
    parse_ok("{\"limit\":200,\"after\":\"9990\",\"properties\":[\"email\"],"
             "\"sorts\":[{\"propertyName\":\"createdate\",\"direction\":"
             "\"DESCENDING\"}]}",
             &q);
    assert_int_equal(q.limit, 200);
    assert_int_equal(q.after, 9990);
    assert_string_equal(q.sort_prop, "createdate");
    assert_true(q.sort_desc);
    assert_string_equal(q.props[0], "email");
    search_query_release(&q);
    parse_ok("{\"sorts\":[\"-amount\"]}", &q);
    assert_string_equal(q.sort_prop, "amount");
    assert_true(q.sort_desc);
    search_query_release(&q);
}

static void test_parse_refusals(void **state)
{
    (void)state;
    assert_non_null(strstr(parse_bad("{\"limit\":201}"), "limit"));
    assert_non_null(strstr(parse_bad("{\"after\":\"10000\"}"), "10000"));
    assert_non_null(strstr(parse_bad("{\"filterGroups\":[{\"filters\":[]},"
                                     "{\"filters\":[]},{\"filters\":[]},"
                                     "{\"filters\":[]},{\"filters\":[]},"
                                     "{\"filters\":[]}]}"),
                           "filter groups"));
    parse_bad("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"a\","
              "\"operator\":\"LIKE\",\"value\":\"x\"}]}]}");
    parse_bad("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"a\","
              "\"operator\":\"IN\",\"value\":\"x\"}]}]}");
    parse_bad("{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"a\","
              "\"operator\":\"BETWEEN\",\"value\":\"1\"}]}]}");
    parse_bad("{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
              "\"associations.contact\",\"operator\":\"GT\",\"value\":\"1\""
              "}]}]}");
}

/* 19 filters over 4 groups: every group is within 6, the total is not. */
static void test_parse_refuses_19_filters(void **state)
{
    const char *f = "{\"propertyName\":\"a\",\"operator\":\"HAS_PROPERTY\"}";
    char body[4096] = "{\"filterGroups\":[";
    int counts[] = {6, 6, 6, 1};

    (void)state;
    for (int g = 0; g < 4; g++) {
        strcat(body, g ? ",{\"filters\":[" : "{\"filters\":[");
        for (int i = 0; i < counts[g]; i++) {
            if (i)
                strcat(body, ",");
            strcat(body, f);
        }
        strcat(body, "]}");
    }
    strcat(body, "]}");
    assert_non_null(strstr(parse_bad(body), "18"));
}

static void test_sort_compare(void **state)
{
    (void)state;
    assert_true(search_value_compare(SEARCH_KIND_NUMBER, "2", "10") < 0);
    assert_true(search_value_compare(SEARCH_KIND_STRING, "b", "A") > 0);
    assert_true(search_value_compare(SEARCH_KIND_STRING, NULL, "a") > 0);
    assert_true(search_value_compare(SEARCH_KIND_STRING, "a", NULL) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eq_string_is_case_insensitive),
        cmocka_unit_test(test_eq_enum_is_case_sensitive),
        cmocka_unit_test(test_neq_matches_missing_values),
        cmocka_unit_test(test_numbers_compare_numerically),
        cmocka_unit_test(test_dates_accept_ms_and_iso),
        cmocka_unit_test(test_between_is_inclusive),
        cmocka_unit_test(test_in_wants_lowercase_string_values),
        cmocka_unit_test(test_has_property),
        cmocka_unit_test(test_contains_token),
        cmocka_unit_test(test_association_filter_uses_id_set),
        cmocka_unit_test(test_groups_or_filters_and),
        cmocka_unit_test(test_text_query),
        cmocka_unit_test(test_parse_defaults_and_paging),
        cmocka_unit_test(test_parse_refusals),
        cmocka_unit_test(test_parse_refuses_19_filters),
        cmocka_unit_test(test_sort_compare),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
