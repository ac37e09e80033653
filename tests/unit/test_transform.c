/* Unit tests for mapping/transform: one row per rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mapping/transform.h"

enum kind { EMAIL, DOMAIN, NUMBER, BOOL, DATE, DATETIME };

struct xcase {
    enum kind kind;
    const char *in;
    const char *want; /* NULL: must be rejected */
};

static const struct xcase cases[] = {
    {EMAIL, "  Jane.Doe@Example.COM ", "jane.doe@example.com"},
    {EMAIL, "a@b.co", "a@b.co"},
    {EMAIL, "no-at-sign.example.com", NULL},
    {EMAIL, "two@@example.com", NULL},
    {EMAIL, "x@nodot", NULL},
    {EMAIL, "sp ace@example.com", NULL},
    {EMAIL, "@example.com", NULL},
    {DOMAIN, "https://www.Example.com/about?x=1", "example.com"},
    {DOMAIN, "www.acme.io", "acme.io"},
    {DOMAIN, "acme.io:8080/x", "acme.io"},
    {DOMAIN, "not a domain", NULL},
    {NUMBER, "275000", "275000"},
    {NUMBER, "9225.225", "9225.225"},
    {NUMBER, "-12", "-12"},
    {NUMBER, "+7", "7"},
    {NUMBER, "1,200.50", NULL},
    {NUMBER, "12abc", NULL},
    {NUMBER, "1.2.3", NULL},
    {BOOL, "1", "true"},
    {BOOL, "0", "false"},
    {BOOL, "Yes", "true"},
    {BOOL, "unchecked", "false"},
    {BOOL, "maybe", NULL},
    {DATE, "2023-09-15 00:00:00", "2023-09-15"},
    {DATE, "2024-02-29", "2024-02-29"},
    {DATE, "2024-03-05T23:30:00-08:00", "2024-03-06"},
    {DATE, "2023-02-30", NULL},
    {DATE, "04/05/2024", NULL},
    {DATETIME, "2024-01-02 03:04:05", "2024-01-02T03:04:05.000Z"},
    {DATETIME, "2024-01-02T03:04:05.123Z", "2024-01-02T03:04:05.123Z"},
    {DATETIME, "2024-01-02T03:04:05+01:00", "2024-01-02T02:04:05.000Z"},
    {DATETIME, "2024-01-02", "2024-01-02T00:00:00.000Z"},
    {DATETIME, "2024-13-02 00:00:00", NULL},
};

static int run(const struct xcase *c, char *out, char *why)
{
    switch (c->kind) {
    case EMAIL:
        return xf_email(c->in, out, why);
    case DOMAIN:
        return xf_domain(c->in, out, why);
    case NUMBER:
        return xf_number(c->in, out, why);
    case BOOL:
        return xf_bool(c->in, out, why);
    case DATE:
        return xf_date(c->in, 0, out, why);
    default:
        return xf_date(c->in, 1, out, why);
    }
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char out[XF_OUT_MAX] = "";
        char why[XF_OUT_MAX] = "";
        int rc = run(&cases[i], out, why);

        if (cases[i].want) {
            if (rc != 0 || strcmp(out, cases[i].want))
                fail_msg("case %zu '%s': want '%s', got rc %d '%s' (%s)", i,
                         cases[i].in, cases[i].want, rc, out, why);
        } else if (rc == 0) {
            fail_msg("case %zu '%s': want rejection, got '%s'", i, cases[i].in,
                     out);
        } else {
            assert_true(why[0] != '\0');
        }
    }
}

static void test_trim(void **state)
{
    char s[] = "  \t a b \r\n";

    (void)state;
    assert_string_equal(xf_trim(s), "a b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_trim),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
