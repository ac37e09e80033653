/* Unit tests for core/: buffers and errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"

static void test_buf_grows_and_formats(void **state)
{
    struct buf b = {0};

    (void)state;
    assert_string_equal(buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        buf_addf(&b, "%d,", i);
    assert_true(b.len > 1000);
    assert_memory_equal(b.data, "0,1,2,", 6);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    buf_adds(&b, "x");
    buf_addc(&b, 'y');
    assert_string_equal(buf_str(&b), "xy");
    buf_release(&b);
    assert_null(b.data);
}

static void test_err_set_and_prefix(void **state)
{
    struct err e = {0};

    (void)state;
    assert_int_equal(err_set(&e, ERR_IO, "cannot open '%s'", "a.csv"), ERR_IO);
    err_prefix(&e, "line %d", 3);
    assert_string_equal(e.msg, "line 3: cannot open 'a.csv'");
    assert_int_equal(err_set(NULL, ERR_USAGE, "x"), ERR_USAGE);
}

/* A late failure becomes the error only when there was none. */
static void test_err_late(void **state)
{
    struct err late = {0}, e = {0};

    (void)state;
    err_set(&late, ERR_IO, "cannot write 'r.csv'");
    assert_int_equal(err_late(0, &e, &late, "all else is done"), ERR_IO);
    assert_string_equal(e.msg, "cannot write 'r.csv'; all else is done");
    err_set(&e, ERR_AUTH, "401");
    assert_int_equal(err_late(ERR_AUTH, &e, &late, "x"), ERR_AUTH);
    assert_string_equal(e.msg, "401");
}

static void test_clock_iso(void **state)
{
    char out[32];

    (void)state;
    clock_format_iso(1705521304281LL, out, sizeof(out));
    assert_string_equal(out, "2024-01-17T19:55:04.281Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_formats),
        cmocka_unit_test(test_err_set_and_prefix),
        cmocka_unit_test(test_err_late),
        cmocka_unit_test(test_clock_iso),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
