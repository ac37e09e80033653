/* Unit tests for the sandbox's value validation (pure functions). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/validate.h"

static struct sb_propdef def(const char *name, const char *type,
                             const char *field_type, const char *options)
{
    struct sb_propdef d = {0};

    d.name = (char *)name;
    d.type = (char *)type;
    d.field_type = (char *)field_type;
    d.options = options ? json_loads(options, 0, NULL) : NULL;
    return d;
}

/* Validates a string value; returns the normalized value or the error
 * code, as a string the caller frees. */
static char *check(struct sb_propdef *d, const char *value, const char *current)
{
    struct sb_value_error ve;
    json_t *v = json_string(value);
    char *out = NULL;
    int rc = sb_validate_value(d, v, current, &out, &ve);

    json_decref(v);
    if (rc < 0)
        return strdup(ve.code);
    return out;
}

#define assert_checks(d, value, want)                                          \
    do {                                                                       \
        char *got_ = check(d, value, NULL);                                    \
        assert_string_equal(got_, want);                                       \
        free(got_);                                                            \
    } while (0)

static void test_dates(void **state)
{
    struct sb_propdef d = def("birthday", "date", "date", NULL);
    struct sb_value_error ve;
    char *out = NULL;
    json_t *v;

    (void)state;
    assert_checks(&d, "2015-05-01", "2015-05-01");
    assert_checks(&d, "1430438400000", "2015-05-01");
    assert_checks(&d, "2024-02-29", "2024-02-29");
    assert_checks(&d, "2023-02-29", "INVALID_DATE");
    assert_checks(&d, "2015-13-01", "INVALID_DATE");
    assert_checks(&d, "05/01/2015", "INVALID_DATE");
    assert_checks(&d, "1635535865", "INVALID_DATE");
    v = json_string("1635535865");
    assert_int_equal(sb_validate_value(&d, v, NULL, &out, &ve), -1);
    assert_string_equal(ve.message,
                        "1635535865 is at 22:18:55.865 UTC, not midnight!");
    json_decref(v);
    assert_checks(&d, "", "");
}

static void test_datetimes(void **state)
{
    struct sb_propdef d = def("closedate", "datetime", "date", NULL);

    (void)state;
    assert_checks(&d, "2020-02-29T03:30:17.000Z", "2020-02-29T03:30:17.000Z");
    assert_checks(&d, "2020-02-29T03:30:17Z", "2020-02-29T03:30:17.000Z");
    assert_checks(&d, "2024-01-17T19:55:04.281+0100",
                  "2024-01-17T18:55:04.281Z");
    assert_checks(&d, "2024-01-17T19:55:04-05:00", "2024-01-18T00:55:04.000Z");
    assert_checks(&d, "1705521304281", "2024-01-17T19:55:04.281Z");
    assert_checks(&d, "2024-01-17", "INVALID_LONG");
    assert_checks(&d, "yesterday", "INVALID_LONG");
    assert_checks(&d, "2024-01-17T25:00:00Z", "INVALID_LONG");
}

static void test_numbers(void **state)
{
    struct sb_propdef d = def("amount", "number", "number", NULL);

    (void)state;
    assert_checks(&d, "1000", "1000");
    assert_checks(&d, "-12.5", "-12.5");
    assert_checks(&d, "+3", "+3");
    assert_checks(&d, ".5", ".5");
    assert_checks(&d, "1,000", "INVALID_INTEGER");
    assert_checks(&d, "1 000", "INVALID_INTEGER");
    assert_checks(&d, "1.2.3", "INVALID_INTEGER");
    assert_checks(&d, "--1", "INVALID_INTEGER");
    assert_checks(&d, "1e5", "INVALID_INTEGER");
    assert_checks(&d, "-", "INVALID_INTEGER");
}

static void test_bools(void **state)
{
    struct sb_propdef d = def("flag", "bool", "booleancheckbox", NULL);
    struct sb_value_error ve;
    char *out = NULL;

    (void)state;
    assert_checks(&d, "true", "true");
    assert_checks(&d, "FALSE", "false");
    assert_checks(&d, "yes", "INVALID_BOOLEAN");
    assert_int_equal(sb_validate_value(&d, json_true(), NULL, &out, &ve), 0);
    assert_string_equal(out, "true");
    free(out);
}

static void test_enumerations(void **state)
{
    const char *opts =
        "[{\"value\":\"A\"},{\"value\":\"B\"},{\"value\":\"C\"}]";
    struct sb_propdef one = def("pick", "enumeration", "select", opts);
    struct sb_propdef many = def("tags", "enumeration", "checkbox", opts);
    char *out;

    (void)state;
    assert_checks(&one, "A", "A");
    assert_checks(&one, "a", "INVALID_OPTION");
    assert_checks(&one, "A;B", "INVALID_OPTION");
    assert_checks(&many, "A;B", "A;B");
    assert_checks(&many, "A;b", "INVALID_OPTION");
    assert_checks(&many, "A;A;C", "A;C");
    /* A leading ';' appends to the stored values. */
    out = check(&many, ";C", "A;B");
    assert_string_equal(out, "A;B;C");
    free(out);
    out = check(&many, "C", "A;B");
    assert_string_equal(out, "C");
    free(out);
    json_decref(one.options);
    json_decref(many.options);
}

static void test_emails_and_strings(void **state)
{
    struct sb_propdef email = def("email", "string", "text", NULL);
    struct sb_propdef name = def("firstname", "string", "text", NULL);
    char *big = malloc(70000);

    (void)state;
    assert_checks(&email, "Ann.Lee@Example.COM", "ann.lee@example.com");
    assert_checks(&email, "not-an-email", "INVALID_EMAIL");
    assert_checks(&email, "a@b", "INVALID_EMAIL");
    assert_checks(&name, "Ann", "Ann");
    memset(big, 'x', 69999);
    big[69999] = '\0';
    assert_checks(&name, big, "INVALID_LENGTH");
    free(big);
}

/* HubSpot's limit counts characters (UTF-16 units, as Java strings do),
 * not bytes: 40,000 "é" are 80,000 bytes and within it. */
static void test_string_length_in_characters(void **state)
{
    struct sb_propdef name = def("firstname", "string", "text", NULL);
    char *v = malloc(4 * 65537 + 1);
    char *got;
    size_t n = 0;

    (void)state;
    for (int i = 0; i < 40000; i++)
        n += (size_t)sprintf(v + n, "\xc3\xa9");
    got = check(&name, v, NULL);
    assert_string_equal(got, v);
    free(got);

    /* 65,536 characters pass, one more does not. */
    n = 0;
    for (int i = 0; i < 65536; i++)
        n += (size_t)sprintf(v + n, "\xc3\xa9");
    got = check(&name, v, NULL);
    assert_string_equal(got, v);
    free(got);
    sprintf(v + n, "x");
    assert_checks(&name, v, "INVALID_LENGTH");

    /* A character outside the BMP is two UTF-16 units. */
    n = 0;
    for (int i = 0; i < 32768; i++)
        n += (size_t)sprintf(v + n, "\xf0\x9f\x98\x80");
    got = check(&name, v, NULL);
    assert_string_equal(got, v);
    free(got);
    sprintf(v + n, "x");
    assert_checks(&name, v, "INVALID_LENGTH");
    free(v);
}

static void test_properties_envelope(void **state)
{
    struct sb_propdef v[3];
    struct sb_propdefs defs = {v, 3};
    json_t *props, *out, *errors = NULL, *e;
    char *msg;

    (void)state;
    v[0] = def("email", "string", "text", NULL);
    v[1] = def("hs_object_id", "number", "number", NULL);
    v[1].read_only = 1;
    v[2] = def("createdate", "datetime", "date", NULL);
    v[2].read_only = v[2].create_only = 1;

    props = json_pack("{s:s, s:s}", "email", "A@B.CO", "createdate",
                      "1705521304281");
    out = sb_validate_properties(&defs, props, NULL, 1, &errors);
    assert_non_null(out);
    assert_string_equal(json_string_value(json_object_get(out, "email")),
                        "a@b.co");
    json_decref(out);
    out = sb_validate_properties(&defs, props, NULL, 0, &errors);
    assert_null(out);
    assert_int_equal(json_array_size(errors), 1);
    json_decref(errors);
    json_decref(props);

    props = json_pack("{s:s, s:s}", "nope", "1", "hs_object_id", "5");
    assert_null(sb_validate_properties(&defs, props, NULL, 1, &errors));
    assert_int_equal(json_array_size(errors), 2);
    e = json_array_get(errors, 0);
    assert_string_equal(json_string_value(json_object_get(e, "error")),
                        "PROPERTY_DOESNT_EXIST");
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "Property \"nope\" does not exist");
    e = json_array_get(errors, 1);
    assert_string_equal(json_string_value(json_object_get(e, "error")),
                        "READ_ONLY_VALUE");
    msg = sb_validate_envelope(errors);
    assert_true(!strncmp(msg, "Property values were not valid: [{", 34));
    free(msg);
    json_decref(errors);
    json_decref(props);
}

static void test_type_pairs(void **state)
{
    (void)state;
    assert_true(sb_validate_type_pair("string", "text"));
    assert_true(sb_validate_type_pair("enumeration", "checkbox"));
    assert_true(sb_validate_type_pair("datetime", "date"));
    assert_false(sb_validate_type_pair("string", "select"));
    assert_false(sb_validate_type_pair("number", "text"));
    assert_false(sb_validate_type_pair("date", "text"));
    assert_false(sb_validate_type_pair("bool", "checkbox"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_datetimes),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_bools),
        cmocka_unit_test(test_enumerations),
        cmocka_unit_test(test_emails_and_strings),
        cmocka_unit_test(test_string_length_in_characters),
        cmocka_unit_test(test_properties_envelope),
        cmocka_unit_test(test_type_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
