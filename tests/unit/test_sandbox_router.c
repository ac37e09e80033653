/* Unit tests for the sandbox's route matching over the real tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sandbox/sb.h"

/* Splits path in place and finds its route. */
static const struct sb_route *find(const char *method, const char *path,
                                   char names[][SB_NAME_MAX], char **segs,
                                   int *nsegs)
{
    static char buf[512];
    char *save = NULL, *tok;

    strcpy(buf, path);
    *nsegs = 0;
    for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save))
        segs[(*nsegs)++] = tok;
    return sb_route_find(method, segs, *nsegs, names);
}

static void test_literal_beats_parameter(void **state)
{
    char names[SB_MAX_SEGS][SB_NAME_MAX], *segs[SB_MAX_SEGS];
    const struct sb_route *r;
    int n;

    (void)state;
    r = find("GET", "/crm/v3/properties/contacts/groups", names, segs, &n);
    assert_non_null(r);
    assert_string_equal(r->pattern, "/crm/v3/properties/{objectType}/groups");
    r = find("GET", "/crm/v3/properties/contacts/email", names, segs, &n);
    assert_non_null(r);
    assert_string_equal(r->pattern,
                        "/crm/v3/properties/{objectType}/{propertyName}");
    assert_string_equal(names[3], "objectType");
    assert_string_equal(names[4], "propertyName");
    assert_string_equal(names[0], "");
}

static void test_method_and_shape_must_match(void **state)
{
    char names[SB_MAX_SEGS][SB_NAME_MAX], *segs[SB_MAX_SEGS];
    const struct sb_route *r;
    int n;

    (void)state;
    r = find("POST", "/crm/v3/objects/deals/batch/upsert", names, segs, &n);
    assert_non_null(r);
    assert_true(r->flags & SB_ROUTE_BATCH);
    assert_null(
        find("PUT", "/crm/v3/objects/deals/batch/upsert", names, segs, &n));
    assert_null(find("GET", "/crm/v3/objects/deals/1/extra", names, segs, &n));
    assert_null(find("GET", "/crm", names, segs, &n));
    r = find("GET", "/_sandbox/stats", names, segs, &n);
    assert_non_null(r);
    assert_true(r->flags & SB_ROUTE_NOAUTH);
    r = find("POST", "/crm/v3/objects/contacts/batch/read", names, segs, &n);
    assert_true(r->flags & SB_ROUTE_READ);
}

static void test_object_types(void **state)
{
    (void)state;
    assert_int_equal(sb_otype_parse("contacts"), SB_OT_CONTACTS);
    assert_int_equal(sb_otype_parse("0-2"), SB_OT_COMPANIES);
    assert_int_equal(sb_otype_parse("Deal"), SB_OT_DEALS);
    assert_int_equal(sb_otype_parse("tickets"), SB_OT_NONE);
    assert_int_equal(sb_otype_parse(NULL), SB_OT_NONE);
    assert_string_equal(sb_otype_upper(SB_OT_CONTACTS), "CONTACT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_beats_parameter),
        cmocka_unit_test(test_method_and_shape_must_match),
        cmocka_unit_test(test_object_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
