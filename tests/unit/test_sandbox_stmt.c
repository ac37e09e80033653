/* The sandbox's prepared-statement cache: a statement is reused only for
 * the same SQL text, never while it is held, comes back with its bindings
 * cleared, and is finalized before its connection closes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "sandbox/sb.h"
#include "sandbox/store.h"

static sqlite3 *open_db(void)
{
    struct err e = {0};
    sqlite3 *db = NULL;

    assert_int_equal(sb_store_open(NULL, &db, &e), 0);
    return db;
}

static void test_reused_after_release(void **state)
{
    sqlite3 *db = open_db();
    sqlite3_stmt *a = NULL, *b = NULL;

    (void)state;
    assert_int_equal(sb_stmt_prepare(db, "SELECT ?1", &a), SQLITE_OK);
    sqlite3_bind_int(a, 1, 7);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(a, 0), 7);
    sb_stmt_release(a);
    assert_int_equal(sb_stmt_prepare(db, "SELECT ?1", &b), SQLITE_OK);
    assert_ptr_equal(a, b);
    /* Reset and unbound: the old 7 must not leak into the next use. */
    assert_int_equal(sqlite3_step(b), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL);
    sb_stmt_release(b);
    sb_store_close(db);
}

static void test_held_not_shared(void **state)
{
    sqlite3 *db = open_db();
    sqlite3_stmt *outer = NULL, *inner = NULL;

    (void)state;
    assert_int_equal(sb_stmt_prepare(db, "SELECT 1 UNION ALL SELECT 2", &outer),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
    assert_int_equal(sb_stmt_prepare(db, "SELECT 1 UNION ALL SELECT 2", &inner),
                     SQLITE_OK);
    assert_ptr_not_equal(outer, inner);
    assert_int_equal(sqlite3_step(inner), SQLITE_ROW);
    sb_stmt_release(inner);
    /* The outer loop goes on where it was. */
    assert_int_equal(sqlite3_step(outer), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(outer, 0), 2);
    sb_stmt_release(outer);
    sb_store_close(db);
}

static void test_keyed_by_text_and_db(void **state)
{
    sqlite3 *db = open_db(), *other = open_db();
    sqlite3_stmt *a = NULL, *b = NULL, *c = NULL;

    (void)state;
    assert_int_equal(sb_stmt_prepare(db, "SELECT 'a'", &a), SQLITE_OK);
    sb_stmt_release(a);
    assert_int_equal(sb_stmt_prepare(db, "SELECT 'b'", &b), SQLITE_OK);
    assert_ptr_not_equal(a, b);
    assert_int_equal(sqlite3_step(b), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(b, 0), "b");
    sb_stmt_release(b);
    assert_int_equal(sb_stmt_prepare(other, "SELECT 'a'", &c), SQLITE_OK);
    assert_ptr_not_equal(a, c);
    assert_ptr_equal(sqlite3_db_handle(c), other);
    sb_stmt_release(c);
    sb_store_close(other);
    sb_store_close(db);
}

static void test_bad_sql(void **state)
{
    sqlite3 *db = open_db();
    sqlite3_stmt *st = NULL;

    (void)state;
    assert_int_not_equal(sb_stmt_prepare(db, "SELECT FROM nowhere", &st),
                         SQLITE_OK);
    assert_null(st);
    sb_stmt_release(st);
    sb_store_close(db);
}

/* More distinct statements than the cache holds: old ones are evicted,
 * held ones never, and every answer stays right. */
static void test_eviction(void **state)
{
    sqlite3 *db = open_db();
    sqlite3_stmt *held = NULL, *st = NULL;
    char sql[64];

    (void)state;
    assert_int_equal(sb_stmt_prepare(db, "SELECT 'held'", &held), SQLITE_OK);
    for (int i = 0; i < 1000; i++) {
        snprintf(sql, sizeof(sql), "SELECT %d", i);
        assert_int_equal(sb_stmt_prepare(db, sql, &st), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), i);
        sb_stmt_release(st);
    }
    assert_int_equal(sqlite3_step(held), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(held, 0), "held");
    sb_stmt_release(held);
    sb_store_close(db);
}

/* sb_store_close finalizes the cached statements: sqlite3_close would
 * refuse (and leak the connection) if any were left. */
static void test_forget_before_close(void **state)
{
    sqlite3 *db = open_db();
    sqlite3_stmt *st = NULL;

    (void)state;
    assert_int_equal(sb_stmt_prepare(db, "SELECT 1", &st), SQLITE_OK);
    sb_stmt_release(st);
    sb_stmt_forget(db);
    assert_null(sqlite3_next_stmt(db, NULL));
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reused_after_release),
        cmocka_unit_test(test_held_not_shared),
        cmocka_unit_test(test_keyed_by_text_and_db),
        cmocka_unit_test(test_bad_sql),
        cmocka_unit_test(test_eviction),
        cmocka_unit_test(test_forget_before_close),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
