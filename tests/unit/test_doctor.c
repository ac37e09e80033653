/* Unit tests for doctor's pure logic: key normalisation, survivor choice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "migrate/doctor.h"

static void test_email_keys(void **state)
{
    char out[64];

    (void)state;
    assert_int_equal(doctor_norm_email("  Ann@Example.COM \t", out, 64), 1);
    assert_string_equal(out, "ann@example.com");
    assert_int_equal(doctor_norm_email("ann@example.com", out, 64), 1);
    assert_string_equal(out, "ann@example.com");
    assert_int_equal(doctor_norm_email("   ", out, 64), 0);
    assert_string_equal(out, "");
    assert_int_equal(doctor_norm_email("no-at-sign", out, 64), 0);
    assert_int_equal(doctor_norm_email(NULL, out, 64), 0);
    /* Too long for the buffer: no key rather than a truncated one. */
    assert_int_equal(doctor_norm_email("abcdefgh@example.com", out, 8), 0);
}

static void test_domain_keys(void **state)
{
    static const char *const same[] = {
        "acme.example",
        "https://www.acme.example",
        "http://acme.example/",
        "  WWW.Acme.Example.  ",
        "https://www.acme.example:443/about?x=1",
        "HTTPS://WWW.ACME.EXAMPLE#top",
    };
    char out[64];

    (void)state;
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        assert_int_equal(doctor_norm_domain(same[i], out, sizeof(out)), 1);
        assert_string_equal(out, "acme.example");
    }
    assert_int_equal(doctor_norm_domain("https://www.", out, sizeof(out)), 0);
    assert_int_equal(doctor_norm_domain("", out, sizeof(out)), 0);
    assert_int_equal(doctor_norm_domain(NULL, out, sizeof(out)), 0);
    /* Only a leading www. goes: other subdomains are other companies. */
    assert_int_equal(doctor_norm_domain("shop.acme.example", out, 64), 1);
    assert_string_equal(out, "shop.acme.example");
}

static void test_survivor_source_id_first(void **state)
{
    struct doctor_cand c[] = {
        {"10", 0, "2020-01-01T00:00:00.000Z", 9},
        {"11", 1, "2024-01-01T00:00:00.000Z", 1},
        {"12", 0, "2019-01-01T00:00:00.000Z", 3},
    };
    enum doctor_why why;

    (void)state;
    assert_int_equal(doctor_survivor(c, 3, &why), 1);
    assert_int_equal(why, DOCTOR_WHY_SOURCE_ID);
}

static void test_survivor_oldest_then_complete(void **state)
{
    struct doctor_cand c[] = {
        {"10", 1, "2021-05-01T00:00:00.000Z", 2},
        {"11", 1, "2020-05-01T00:00:00.000Z", 1},
        {"12", 0, "2019-01-01T00:00:00.000Z", 9},
    };
    struct doctor_cand d[] = {
        {"20", 0, "2021-05-01T00:00:00.000Z", 2},
        {"21", 0, "2021-05-01T00:00:00.000Z", 5},
        {"22", 0, "", 9},
    };
    enum doctor_why why;

    (void)state;
    /* Two hold the source id: the older of them wins. */
    assert_int_equal(doctor_survivor(c, 3, &why), 1);
    assert_int_equal(why, DOCTOR_WHY_OLDEST);
    /* Same age: the most complete; an unknown age never wins on age. */
    assert_int_equal(doctor_survivor(d, 3, &why), 1);
    assert_int_equal(why, DOCTOR_WHY_COMPLETE);
}

static void test_survivor_lowest_id(void **state)
{
    struct doctor_cand c[] = {
        {"100", 0, "", 2},
        {"99", 0, "", 2},
    };
    enum doctor_why why;

    (void)state;
    assert_int_equal(doctor_survivor(c, 2, &why), 1);
    assert_int_equal(why, DOCTOR_WHY_LOWEST_ID);
    assert_int_equal(doctor_survivor(c, 1, &why), 0);
    assert_string_equal(doctor_why_text(DOCTOR_WHY_SOURCE_ID),
                        "it holds the source id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_keys),
        cmocka_unit_test(test_domain_keys),
        cmocka_unit_test(test_survivor_source_id_first),
        cmocka_unit_test(test_survivor_oldest_then_complete),
        cmocka_unit_test(test_survivor_lowest_id),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
