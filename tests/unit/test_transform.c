/* Unit tests for mapping/transform: one row per rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mapping/transform.h"

enum kind { EMAIL, DOMAIN, NUMBER, NUMBER_EU, BOOL, DATE, DATETIME };

struct xcase {
    enum kind kind;
    const char *in;
    const char *want; /* NULL: must be rejected */
    enum xf_date_format format;
    const char *tz;
};

static const struct xcase cases[] = {
    {EMAIL, "  Jane.Doe@Example.COM ", "jane.doe@example.com", 0, 0},
    {EMAIL, "a@b.co", "a@b.co", 0, 0},
    {EMAIL, "no-at-sign.example.com", NULL, 0, 0},
    {EMAIL, "two@@example.com", NULL, 0, 0},
    {EMAIL, "x@nodot", NULL, 0, 0},
    {EMAIL, "sp ace@example.com", NULL, 0, 0},
    {EMAIL, "@example.com", NULL, 0, 0},
    {DOMAIN, "https://www.Example.com/about?x=1", "example.com", 0, 0},
    {DOMAIN, "www.acme.io", "acme.io", 0, 0},
    {DOMAIN, "acme.io:8080/x", "acme.io", 0, 0},
    {DOMAIN, "not a domain", NULL, 0, 0},
    {NUMBER, "275000", "275000", 0, 0},
    {NUMBER, "9225.225", "9225.225", 0, 0},
    {NUMBER, "-12", "-12", 0, 0},
    {NUMBER, "+7", "7", 0, 0},
    {NUMBER, "1,200.50", "1200.50", 0, 0},
    {NUMBER, "$1,234,567.89", "1234567.89", 0, 0},
    {NUMBER, "USD 1,200", "1200", 0, 0},
    {NUMBER, "-$ 3.50", "-3.50", 0, 0},
    {NUMBER, "1 200", "1200", 0, 0},
    {NUMBER, "1,20.5", NULL, 0, 0},
    {NUMBER, "1.234,50", NULL, 0, 0},
    {NUMBER, "12abc", NULL, 0, 0},
    {NUMBER, "1.2.3", NULL, 0, 0},
    {NUMBER, "1.", NULL, 0, 0},
    {NUMBER, "-", NULL, 0, 0},
    {NUMBER, "$", NULL, 0, 0},
    {NUMBER_EU, "1.234,50", "1234.50", 0, 0},
    {NUMBER_EU, "1.234.567,5 \xe2\x82\xac", "1234567.5", 0, 0},
    {NUMBER_EU,
     "1\xc2\xa0"
     "234,50",
     "1234.50", 0, 0},
    {NUMBER_EU, "12,5", "12.5", 0, 0},
    {NUMBER_EU, "1,234.50", NULL, 0, 0},
    {BOOL, "1", "true", 0, 0},
    {BOOL, "0", "false", 0, 0},
    {BOOL, "Yes", "true", 0, 0},
    {BOOL, "Y", "true", 0, 0},
    {BOOL, "n", "false", 0, 0},
    {BOOL, "TRUE", "true", 0, 0},
    {BOOL, "Checked", "true", 0, 0},
    {BOOL, "unchecked", "false", 0, 0},
    {BOOL, "maybe", NULL, 0, 0},
    {DATE, "2023-09-15 00:00:00", "2023-09-15", 0, 0},
    {DATE, "2024-02-29", "2024-02-29", 0, 0},
    {DATE, "2024-03-05T23:30:00-08:00", "2024-03-06", 0, 0},
    {DATE, "2024-03-05T23:30:00-08:00", "2024-03-05", 0, "America/Los_Angeles"},
    {DATE, "2024-03-05T23:30:00-08:00", "2024-03-05", 0, "-08:00"},
    {DATE, "2024-03-06 07:30:00", "2024-03-05", XF_DATE_ISO,
     "America/Los_Angeles"},
    {DATE, "2024-03-06", "2024-03-06", 0, "America/Los_Angeles"},
    {DATE, "2023-02-30", NULL, 0, 0},
    {DATE, "04/05/2024", NULL, 0, 0},
    {DATE, "04/05/2024", "2024-04-05", XF_DATE_MDY, 0},
    {DATE, "04/05/2024", "2024-05-04", XF_DATE_DMY, 0},
    {DATE, "13/05/2024", "2024-05-13", 0, 0},
    {DATE, "5/13/2024", "2024-05-13", 0, 0},
    {DATE, "05/05/2024", "2024-05-05", 0, 0},
    {DATE, "13/05/2024", NULL, XF_DATE_MDY, 0},
    {DATE, "31.12.2023", "2023-12-31", 0, 0},
    {DATE, "1.2.2024", "2024-02-01", XF_DATE_DMY_DOT, 0},
    {DATE, "45000", "2023-03-15", XF_DATE_EXCEL, 0},
    {DATE, "45000.75", "2023-03-15", XF_DATE_EXCEL, 0},
    {DATE, "45000", NULL, 0, 0},
    {DATE, "1709682600", "2024-03-05", XF_DATE_UNIX, 0},
    {DATE, "1709682600000", "2024-03-05", XF_DATE_UNIX_MS, 0},
    {DATE, "17096826x", NULL, XF_DATE_UNIX, 0},
    {DATETIME, "2024-01-02 03:04:05", "2024-01-02T03:04:05.000Z", 0, 0},
    {DATETIME, "2024-01-02T03:04:05.123Z", "2024-01-02T03:04:05.123Z", 0, 0},
    {DATETIME, "2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05.500Z", 0, 0},
    {DATETIME, "2024-01-02T03:04:05+01:00", "2024-01-02T02:04:05.000Z", 0, 0},
    {DATETIME, "2024-01-02", "2024-01-02T00:00:00.000Z", 0, 0},
    {DATETIME, "2024-13-02 00:00:00", NULL, 0, 0},
    {DATETIME, "2024-01-02T03:04:05+99:00", NULL, 0, 0},
    {DATETIME, "3/5/2024 2:30 PM", "2024-03-05T14:30:00.000Z", XF_DATE_MDY, 0},
    {DATETIME, "1709682600123", "2024-03-05T23:50:00.123Z", XF_DATE_UNIX_MS, 0},
    {DATETIME, "45000.5", "2023-03-15T12:00:00.000Z", XF_DATE_EXCEL, 0},
};

static int run(const struct xcase *c, char *out, char *why)
{
    struct xf_date_opts o = {c->format, c->kind == DATETIME, c->tz};

    switch (c->kind) {
    case EMAIL:
        return xf_email(c->in, out, why);
    case DOMAIN:
        return xf_domain(c->in, out, why);
    case NUMBER:
        return xf_number(c->in, XF_LOCALE_EN, out, why);
    case NUMBER_EU:
        return xf_number(c->in, XF_LOCALE_EU, out, why);
    case BOOL:
        return xf_bool(c->in, out, why);
    default:
        return xf_date(c->in, &o, out, why);
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

static void test_ambiguous_date_names_the_fix(void **state)
{
    char out[XF_OUT_MAX], why[XF_OUT_MAX];

    (void)state;
    assert_int_not_equal(xf_date("04/05/2024", NULL, out, why), 0);
    assert_non_null(strstr(why, "date_format"));
}

/* What a slash date shows by itself, and how a column's order reads it. */
static void test_date_column_order(void **state)
{
    struct xf_date_opts dmy = {XF_DATE_AUTO_DMY, 0, NULL};
    struct xf_date_opts mdy = {XF_DATE_AUTO_MDY, 0, NULL};
    char out[XF_OUT_MAX], why[XF_OUT_MAX];

    (void)state;
    assert_int_equal(xf_date_order_shown("13/05/2024"), XF_DATE_AUTO_DMY);
    assert_int_equal(xf_date_order_shown(" 5/13/2024 10:30 "),
                     XF_DATE_AUTO_MDY);
    assert_int_equal(xf_date_order_shown("04/05/2024"), XF_DATE_AUTO);
    assert_int_equal(xf_date_order_shown("14/13/2024"), XF_DATE_AUTO);
    assert_int_equal(xf_date_order_shown("2024-05-13"), XF_DATE_AUTO);
    assert_int_equal(xf_date_order_shown("13.05.2024"), XF_DATE_AUTO);
    assert_true(xf_date_ambiguous("04/05/2024"));
    assert_false(xf_date_ambiguous("04/04/2024"));
    assert_false(xf_date_ambiguous("13/05/2024"));
    assert_false(xf_date_ambiguous("not/a/date"));

    assert_int_equal(xf_date("04/05/2024", &dmy, out, why), 0);
    assert_string_equal(out, "2024-05-04");
    assert_int_equal(xf_date("04/05/2024", &mdy, out, why), 0);
    assert_string_equal(out, "2024-04-05");
    assert_int_equal(xf_date("2024-04-05", &dmy, out, why), 0);
    assert_string_equal(out, "2024-04-05");
    assert_int_not_equal(xf_date("05/13/2024", &dmy, out, why), 0);
    assert_non_null(strstr(why, "D/M/YYYY"));
    assert_int_not_equal(xf_date("13/05/2024", &mdy, out, why), 0);
    assert_non_null(strstr(why, "M/D/YYYY"));
    assert_string_equal(xf_date_format_name(XF_DATE_AUTO_DMY), "auto");
}

static void test_option_find(void **state)
{
    const char *values[] = {"email", "phone", "in_person"};
    const char *labels[] = {"Email", "Phone Call", "In Person"};

    (void)state;
    assert_int_equal(xf_option_find(" EMAIL ", values, labels, 3), 0);
    assert_int_equal(xf_option_find("phone call", values, labels, 3), 1);
    assert_int_equal(xf_option_find("In_Person", values, labels, 3), 2);
    assert_int_equal(xf_option_find("fax", values, labels, 3), -1);
}

static void test_names_round_trip(void **state)
{
    enum xf_date_format f;
    enum xf_locale l;

    (void)state;
    for (int i = 0; i < XF_DATE_FORMAT_COUNT; i++) {
        assert_int_equal(xf_date_format_parse(xf_date_format_name(i), &f), 0);
        assert_int_equal(f, i);
    }
    assert_int_equal(xf_date_format_parse("d/m/yyyy", &f), 0);
    assert_int_equal(f, XF_DATE_DMY);
    assert_int_equal(xf_date_format_parse("someday", &f), -1);
    assert_int_equal(xf_locale_parse("EU", &l), 0);
    assert_int_equal(l, XF_LOCALE_EU);
    assert_int_equal(xf_locale_parse("fr", &l), -1);
    assert_true(xf_tz_valid("America/Los_Angeles"));
    assert_true(xf_tz_valid("+05:30"));
    assert_false(xf_tz_valid("Mars/Olympus"));
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
        cmocka_unit_test(test_ambiguous_date_names_the_fix),
        cmocka_unit_test(test_date_column_order),
        cmocka_unit_test(test_option_find),
        cmocka_unit_test(test_names_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
