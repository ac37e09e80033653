/* Unit tests for the sandbox's rate-limit arithmetic, on a fake clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sandbox/ratelimit.h"

#define T0 1700000000000LL /* some UTC instant, ms */
#define DAY 86400000LL

static void test_window_fills_and_rolls(void **state)
{
    struct sb_limits l;
    struct sb_limit_info li;

    (void)state;
    sb_limits_init(&l, 3, 10000, 1000, 5);
    assert_int_equal(sb_limits_take(&l, T0, 0, &li), SB_LIMIT_OK);
    assert_int_equal(li.max, 3);
    assert_int_equal(li.remaining, 2);
    assert_int_equal(li.interval_ms, 10000);
    assert_int_equal(sb_limits_take(&l, T0 + 4000, 0, &li), SB_LIMIT_OK);
    assert_int_equal(sb_limits_take(&l, T0 + 5000, 0, &li), SB_LIMIT_OK);
    assert_int_equal(li.remaining, 0);

    /* Full: refused until the first request leaves the window. */
    assert_int_equal(sb_limits_take(&l, T0 + 9999, 0, &li), SB_LIMIT_BURST);
    assert_int_equal(li.retry_after_ms, 1);
    assert_int_equal(sb_limits_take(&l, T0 + 10000, 0, &li), SB_LIMIT_OK);
    /* Rolling, not fixed: the 4 s request still counts at 13.9 s. */
    assert_int_equal(sb_limits_take(&l, T0 + 13999, 0, &li), SB_LIMIT_BURST);
    assert_int_equal(li.retry_after_ms, 1);
    assert_int_equal(sb_limits_take(&l, T0 + 14000, 0, &li), SB_LIMIT_OK);
    sb_limits_release(&l);
}

static void test_refused_requests_use_nothing(void **state)
{
    struct sb_limits l;
    struct sb_limit_info li;

    (void)state;
    sb_limits_init(&l, 1, 10000, 1000, 5);
    assert_int_equal(sb_limits_take(&l, T0, 0, &li), SB_LIMIT_OK);
    for (int i = 0; i < 50; i++)
        assert_int_equal(sb_limits_take(&l, T0 + i, 0, &li), SB_LIMIT_BURST);
    assert_int_equal(li.daily_remaining, 999);
    assert_int_equal(sb_limits_take(&l, T0 + 10000, 0, &li), SB_LIMIT_OK);
    assert_int_equal(li.daily_remaining, 998);
    sb_limits_release(&l);
}

static void test_daily_budget_resets_at_utc_midnight(void **state)
{
    struct sb_limits l;
    struct sb_limit_info li;
    int64_t midnight = (T0 / DAY + 1) * DAY;

    (void)state;
    sb_limits_init(&l, -1, 10000, 2, 5);
    assert_int_equal(sb_limits_take(&l, midnight - 3000, 0, &li), SB_LIMIT_OK);
    assert_int_equal(sb_limits_take(&l, midnight - 2000, 1, &li), SB_LIMIT_OK);
    assert_int_equal(li.daily_remaining, 0);
    assert_int_equal(sb_limits_take(&l, midnight - 1000, 0, &li),
                     SB_LIMIT_DAILY);
    assert_int_equal(li.retry_after_ms, 1000);
    assert_int_equal(sb_limits_take(&l, midnight, 0, &li), SB_LIMIT_OK);
    assert_int_equal(li.daily_remaining, 1);
    sb_limits_release(&l);
}

static void test_search_bucket_is_separate(void **state)
{
    struct sb_limits l;
    struct sb_limit_info li;

    (void)state;
    sb_limits_init(&l, 2, 10000, 1000, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(sb_limits_take(&l, T0 + i * 100, 1, &li), SB_LIMIT_OK);
    assert_int_equal(sb_limits_take(&l, T0 + 999, 1, &li), SB_LIMIT_SECONDLY);
    /* The burst window saw none of the searches. */
    assert_int_equal(sb_limits_take(&l, T0 + 999, 0, &li), SB_LIMIT_OK);
    assert_int_equal(li.remaining, 1);
    assert_int_equal(sb_limits_take(&l, T0 + 1000, 1, &li), SB_LIMIT_OK);
    sb_limits_release(&l);
}

static void test_unlimited_and_reset(void **state)
{
    struct sb_limits l;
    struct sb_limit_info li;

    (void)state;
    sb_limits_init(&l, -1, 10000, -1, -1);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(sb_limits_take(&l, T0, 0, &li), SB_LIMIT_OK);
        assert_int_equal(sb_limits_take(&l, T0, 1, &li), SB_LIMIT_OK);
    }
    assert_true(li.max < 0);
    sb_limits_release(&l);

    sb_limits_init(&l, 1, 10000, 5, 5);
    assert_int_equal(sb_limits_take(&l, T0, 0, &li), SB_LIMIT_OK);
    assert_int_equal(sb_limits_take(&l, T0, 0, &li), SB_LIMIT_BURST);
    sb_limits_reset(&l);
    assert_int_equal(sb_limits_take(&l, T0, 0, &li), SB_LIMIT_OK);
    assert_int_equal(li.daily_remaining, 4);
    sb_limits_release(&l);
}

static void test_policy_names(void **state)
{
    (void)state;
    assert_string_equal(sb_limit_policy(SB_LIMIT_BURST),
                        "TEN_SECONDLY_ROLLING");
    assert_string_equal(sb_limit_policy(SB_LIMIT_DAILY), "DAILY");
    assert_string_equal(sb_limit_policy(SB_LIMIT_SECONDLY), "SECONDLY");
    assert_string_equal(sb_limit_message(SB_LIMIT_SECONDLY),
                        "You have reached your secondly limit.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_fills_and_rolls),
        cmocka_unit_test(test_refused_requests_use_nothing),
        cmocka_unit_test(test_daily_budget_resets_at_utc_midnight),
        cmocka_unit_test(test_search_bucket_is_separate),
        cmocka_unit_test(test_unlimited_and_reset),
        cmocka_unit_test(test_policy_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
