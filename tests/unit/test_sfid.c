/* Unit tests for Salesforce id canonicalisation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "source/salesforce.h"

static void expect_id(const char *in, const char *want)
{
    char out[19];
    int rc = sf_id_canonical(in, out);

    if (rc != 0)
        fail_msg("'%s': returned %d", in, rc);
    assert_string_equal(out, want);
}

/* Published vectors for the 15-to-18 conversion. */
static void test_known_vectors(void **state)
{
    (void)state;
    expect_id("a01M00000062mPg", "a01M00000062mPgIAI");
    expect_id("001M000000qfPyS", "001M000000qfPySIAU");
    expect_id("a0FE000000D6r3F", "a0FE000000D6r3FMAR");
    expect_id("0F9E000000092w2", "0F9E000000092w2KAA");
    expect_id("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaAAA");
    expect_id("a0RE000000IJmcN", "a0RE000000IJmcNMAT");
    expect_id("a0D30000001n7Pi", "a0D30000001n7PiEAI");
}

/* Worked by hand from the algorithm: "001A0" has an uppercase letter at
 * position 3 (bit 8, 'I'); "00000" none ('A'); "6Vm9r" one at position 1
 * (bit 2, 'C'). Five capitals give 31, the alphabet's last entry '5'.
 * "00Qz0": position 2 (4, 'E'); "AbCdE": 1 + 4 + 16 = 21 ('V'). */
static void test_hand_computed(void **state)
{
    (void)state;
    expect_id("001A0000006Vm9r", "001A0000006Vm9rIAC");
    expect_id("ABCDEABCDEABCDE", "ABCDEABCDEABCDE555");
    expect_id("00Qz000000AbCdE", "00Qz000000AbCdEEAV");
}

static void test_eighteen_char_variants(void **state)
{
    (void)state;
    expect_id("001M000000qfPySIAU", "001M000000qfPySIAU");
    expect_id("001M000000qfPySiau", "001M000000qfPySIAU");
    expect_id("001M000000qfPySIaU", "001M000000qfPySIAU");
}

static void test_case_matters_in_fifteen(void **state)
{
    char a[19], b[19];

    (void)state;
    assert_int_equal(sf_id_canonical("001M000000qfPyS", a), 0);
    assert_int_equal(sf_id_canonical("001M000000qfPys", b), 0);
    assert_string_not_equal(a, b);
}

static void test_null_ids(void **state)
{
    char out[19] = "junk";

    (void)state;
    assert_int_equal(sf_id_canonical("000000000000000AAA", out), 1);
    assert_string_equal(out, "");
    assert_int_equal(sf_id_canonical("000000000000000aaa", out), 1);
    assert_int_equal(sf_id_canonical("000000000000000", out), 1);
    assert_int_equal(sf_id_canonical("", out), 1);
}

static void test_invalid(void **state)
{
    char out[19];

    (void)state;
    assert_int_equal(sf_id_canonical("001M000000qfPy", out), ERR_INPUT);
    assert_int_equal(sf_id_canonical("001M000000qfPySI", out), ERR_INPUT);
    assert_int_equal(sf_id_canonical("001M000000qf-yS", out), ERR_INPUT);
    assert_int_equal(sf_id_canonical("001M000000qfPy\xc3\xa9", out), ERR_INPUT);
    /* A suffix that does not match the first 15 characters. */
    assert_int_equal(sf_id_canonical("001M000000qfPySAAA", out), ERR_INPUT);
    assert_int_equal(sf_id_canonical("000000000000000ABC", out), ERR_INPUT);
    assert_int_equal(sf_id_canonical("not an id at all", out), ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_hand_computed),
        cmocka_unit_test(test_eighteen_char_variants),
        cmocka_unit_test(test_case_matters_in_fifteen),
        cmocka_unit_test(test_null_ids),
        cmocka_unit_test(test_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
