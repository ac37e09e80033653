/* Unit tests for the Salesforce export adapter and its value helpers,
 * over the small export in tests/data/salesforce/basic. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "source/salesforce.h"

#define EXPORT_DIR "tests/data/salesforce/basic"

static struct sf_reader *open_ok(const char *object)
{
    struct sf_reader *r = NULL;
    struct err e = {0};

    if (sf_reader_open(EXPORT_DIR, object, CSV_ENC_AUTO, &r, &e) != 0)
        fail_msg("open %s: %s", object, e.msg);
    return r;
}

static void next_ok(struct sf_reader *r, struct sf_row *row)
{
    struct err e = {0};
    int rc = sf_reader_next(r, row, &e);

    if (rc != 1)
        fail_msg("next returned %d: %s", rc, e.msg);
}

static void test_accounts(void **state)
{
    struct sf_reader *r = open_ok("Account");
    struct sf_row row;

    (void)state;
    next_ok(r, &row);
    assert_string_equal(row.file, "Account.csv");
    assert_int_equal(row.line, 2);
    assert_string_equal(sf_row_get(r, &row, "Id"), "001M000000qfPySIAU");
    /* A 15-character RecordTypeId comes out in 18-character form. */
    assert_string_equal(sf_row_get(r, &row, "RecordTypeId"),
                        "012M0000000AbCdIAK");
    assert_string_equal(sf_row_get(r, &row, "ParentId"), "");
    assert_string_equal(sf_row_get(r, &row, "Industry"),
                        "Food; drink; tobacco");
    /* Jigsaw keys are not Salesforce ids, even when 15 characters. */
    assert_string_equal(sf_row_get(r, &row, "JigsawCompanyId"),
                        "123456789012345");
    assert_string_equal(sf_row_get(r, &row, "NoSuchColumn"), "");

    next_ok(r, &row);
    assert_string_equal(sf_row_get(r, &row, "Id"), "001M000000qfPysIAE");
    assert_string_equal(sf_row_get(r, &row, "ParentId"), "001M000000qfPySIAU");
    assert_int_equal(sf_reader_next(r, &row, NULL), 0);
    assert_int_equal(sf_reader_deleted(r), 0);
    sf_reader_free(r);
}

static void test_contacts(void **state)
{
    struct sf_reader *r = open_ok("Contact");
    struct sf_row row;
    struct err e = {0};

    (void)state;
    assert_int_equal(csv_reader_encoding(sf_reader_csv(r)), CSV_ENC_LATIN1);

    next_ok(r, &row);
    assert_int_equal(row.line, 2);
    assert_string_equal(sf_row_get(r, &row, "Id"), "003M000000Ab1CdIAJ");
    assert_string_equal(sf_row_get(r, &row, "AccountId"), "001M000000qfPySIAU");
    assert_string_equal(sf_row_get(r, &row, "FirstName"), "Jos\xc3\xa9");
    assert_string_equal(sf_row_get(r, &row, "Email"), "Jose@Example.com ");

    /* Line 3 is deleted; line 4 has a null AccountId and 15-char ids. */
    next_ok(r, &row);
    assert_int_equal(row.line, 4);
    assert_string_equal(sf_row_get(r, &row, "AccountId"), "");
    assert_string_equal(sf_row_get(r, &row, "OwnerId"), "005M0000001XyZaIAK");
    assert_string_equal(sf_row_get(r, &row, "ReportsToId"),
                        "003M000000Ab1CdIAJ");

    assert_int_equal(sf_reader_next(r, &row, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "Contact.csv' line 5, field Id"));
    assert_non_null(strstr(e.msg, "not-an-id"));

    /* Line 6 is deleted ("true"); line 7 has no Id at all. */
    assert_int_equal(sf_reader_next(r, &row, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "line 7, field Id"));

    next_ok(r, &row);
    assert_int_equal(row.line, 8);
    assert_string_equal(sf_row_get(r, &row, "AccountId"), "001M000000qfPysIAE");
    assert_string_equal(sf_row_get(r, &row, "ReportsToId"),
                        "003M000000Ab1CdIAJ");
    assert_int_equal(sf_reader_next(r, &row, NULL), 0);
    assert_int_equal(sf_reader_deleted(r), 2);
    sf_reader_free(r);
}

static void test_missing_object(void **state)
{
    struct sf_reader *r = NULL;
    struct err e = {0};

    (void)state;
    assert_int_equal(
        sf_reader_open(EXPORT_DIR, "Opportunity", CSV_ENC_AUTO, &r, &e),
        ERR_NOTFOUND);
    assert_null(r);
    assert_int_equal(
        sf_reader_open(EXPORT_DIR, "../basic/Account", CSV_ENC_AUTO, &r, &e),
        ERR_USAGE);
}

/* A header naming a column twice: the mapping would read one of the two
 * and drop the other's values without a word. Empty names (a trailing
 * comma) are no column anyone maps. */
static void test_duplicate_header(void **state)
{
    static const char *const heads[] = {
        "Id,LastName,Email,LastName\n",
        "Id,LastName,,Email,\n",
    };
    char tmpl[] = "/tmp/hsm-test-sf-header.XXXXXX";
    char path[512];

    (void)state;
    assert_non_null(mkdtemp(tmpl));
    snprintf(path, sizeof(path), "%s/Contact.csv", tmpl);
    for (int i = 0; i < 2; i++) {
        struct sf_reader *r = NULL;
        struct err e = {0};
        FILE *f = fopen(path, "w");

        assert_non_null(f);
        fputs(heads[i], f);
        fclose(f);
        if (i == 0) {
            assert_int_equal(
                sf_reader_open(tmpl, "Contact", CSV_ENC_AUTO, &r, &e),
                ERR_INPUT);
            assert_null(r);
            assert_non_null(strstr(e.msg, "Contact.csv' line 1: column "
                                          "'LastName' appears twice in the "
                                          "header (columns 2 and 4)"));
        } else {
            if (sf_reader_open(tmpl, "Contact", CSV_ENC_AUTO, &r, &e))
                fail_msg("empty names refused: %s", e.msg);
            sf_reader_free(r);
        }
    }
    unlink(path);
    rmdir(tmpl);
}

/* The committed sample export reads without a single bad row, with every
 * id canonical, and its files are told apart as Latin-1 or plain ASCII. */
static void test_sample_export(void **state)
{
    static const struct {
        const char *object;
        long rows; /* live and deleted */
    } objects[] = {
        {"Account", 40},     {"Contact", 100}, {"Lead", 30},
        {"Opportunity", 40}, {"User", 8},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
        struct sf_reader *r = NULL;
        struct sf_row row;
        struct err e = {0};
        long live = 0;
        int rc;

        assert_int_equal(sf_reader_open("examples/salesforce-sample",
                                        objects[i].object, CSV_ENC_AUTO, &r,
                                        &e),
                         0);
        assert_int_equal(csv_reader_encoding(sf_reader_csv(r)), CSV_ENC_LATIN1);
        while ((rc = sf_reader_next(r, &row, &e)) == 1) {
            assert_int_equal(strlen(sf_row_get(r, &row, "Id")), 18);
            live++;
        }
        if (rc < 0)
            fail_msg("%s", e.msg);
        assert_int_equal(live + sf_reader_deleted(r), objects[i].rows);
        sf_reader_free(r);
    }
}

static void test_datetime(void **state)
{
    char out[32];

    (void)state;
    assert_int_equal(
        sf_datetime_to_iso("2024-01-02 03:04:05", out, sizeof(out)), 0);
    assert_string_equal(out, "2024-01-02T03:04:05.000Z");
    assert_int_equal(
        sf_datetime_to_iso("2022-01-02T17:38:59.000+0000", out, sizeof(out)),
        0);
    assert_string_equal(out, "2022-01-02T17:38:59.000Z");
    assert_int_equal(
        sf_datetime_to_iso("2022-01-02T00:30:00.25+01:00", out, sizeof(out)),
        0);
    assert_string_equal(out, "2022-01-01T23:30:00.250Z");
    assert_int_equal(sf_datetime_to_iso("2024-02-29", out, sizeof(out)), 0);
    assert_string_equal(out, "2024-02-29T00:00:00.000Z");
    assert_int_equal(sf_datetime_to_iso("", out, sizeof(out)), 1);
    assert_string_equal(out, "");
    assert_int_equal(
        sf_datetime_to_iso("2023-02-29 00:00:00", out, sizeof(out)), ERR_INPUT);
    assert_int_equal(
        sf_datetime_to_iso("2024-01-02 25:00:00", out, sizeof(out)), ERR_INPUT);
    assert_int_equal(sf_datetime_to_iso("1/2/2024 3:04 AM", out, sizeof(out)),
                     ERR_INPUT);
    assert_int_equal(
        sf_datetime_to_iso("2024-01-02 03:04:05x", out, sizeof(out)),
        ERR_INPUT);
    assert_int_equal(sf_datetime_to_iso("2024-01-02 03:04:05", out, 10),
                     ERR_INPUT);
}

static void test_date(void **state)
{
    char out[16];

    (void)state;
    assert_int_equal(sf_date_to_ymd("2023-09-15 00:00:00", out, sizeof(out)),
                     0);
    assert_string_equal(out, "2023-09-15");
    assert_int_equal(sf_date_to_ymd("2023-09-15", out, sizeof(out)), 0);
    assert_string_equal(out, "2023-09-15");
    assert_int_equal(sf_date_to_ymd("", out, sizeof(out)), 1);
    assert_int_equal(sf_date_to_ymd("2023-13-01", out, sizeof(out)), ERR_INPUT);
    assert_int_equal(sf_date_to_ymd("09/15/2023", out, sizeof(out)), ERR_INPUT);
}

static void test_bool(void **state)
{
    int b = -1;

    (void)state;
    assert_int_equal(sf_bool("1", &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(sf_bool("0", &b), 0);
    assert_int_equal(b, 0);
    assert_int_equal(sf_bool("TRUE", &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(sf_bool("false", &b), 0);
    assert_int_equal(b, 0);
    assert_int_equal(sf_bool("", &b), 1);
    assert_int_equal(sf_bool("yes please", &b), ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_contacts),
        cmocka_unit_test(test_missing_object),
        cmocka_unit_test(test_duplicate_header),
        cmocka_unit_test(test_sample_export),
        cmocka_unit_test(test_datetime),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_bool),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
