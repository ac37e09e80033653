/* Unit tests for the sandbox's association rules (assoc_store.c) and the
 * deal stage check (pipelines.c), over an in-memory store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "sandbox/assoc_store.h"
#include "sandbox/pipelines.h"
#include "sandbox/sb.h"
#include "sandbox/store.h"

int sb_pipelines_seed_defaults(sqlite3 *db, struct err *e);

/* Contacts 1-3, companies 10-12, deal 20, all live. */
static int setup(void **state)
{
    sqlite3 *db = NULL;
    struct err e = {0};

    if (sb_store_open(NULL, &db, &e) < 0)
        return -1;
    if (sb_db_exec(db, "INSERT INTO objects (id, object_type, created_at,"
                       " updated_at) VALUES (1, 'contacts', 0, 0),"
                       " (2, 'contacts', 0, 0), (3, 'contacts', 0, 0),"
                       " (10, 'companies', 0, 0), (11, 'companies', 0, 0),"
                       " (12, 'companies', 0, 0), (20, 'deals', 0, 0)") < 0)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    sb_store_close(*state);
    return 0;
}

/* The type ids from one record to another, as "a,b" in id order. */
static const char *types(sqlite3 *db, int from, int64_t fid, int to,
                         int64_t tid)
{
    static char out[64];
    struct assoc_link *links = NULL;
    struct err e = {0};
    size_t n = 0;
    bool more;

    out[0] = '\0';
    assert_int_equal(
        assoc_store_list(db, from, fid, to, tid - 1, 1, &links, &n, &more, &e),
        0);
    for (size_t i = 0; i < n && links[i].to_id == tid; i++)
        for (int k = 0; k < links[i].ntypes; k++)
            snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%d",
                     k ? "," : "", links[i].type_ids[k]);
    free(links);
    return out;
}

static void set(sqlite3 *db, int from, int64_t fid, int to, int64_t tid,
                int type, bool replace)
{
    struct err e = {0};

    assert_int_equal(
        assoc_store_set(db, from, fid, to, tid, &type, 1, replace, &e), 0);
}

static void test_primary_implies_unlabeled(void **state)
{
    sqlite3 *db = *state;

    set(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10, 1, true);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10),
                        "1,279");
    assert_string_equal(types(db, SB_OT_COMPANIES, 10, SB_OT_CONTACTS, 1),
                        "2,280");
}

static void test_one_primary_company(void **state)
{
    sqlite3 *db = *state;

    set(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10, 1, true);
    set(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 11, 1, true);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10),
                        "279");
    assert_string_equal(types(db, SB_OT_COMPANIES, 10, SB_OT_CONTACTS, 1),
                        "280");
    /* From the company side, type 2 is still the contact's primary. */
    set(db, SB_OT_COMPANIES, 12, SB_OT_CONTACTS, 1, 2, true);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 11),
                        "279");
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 12),
                        "1,279");
    /* Another contact's primary is untouched. */
    set(db, SB_OT_CONTACTS, 2, SB_OT_COMPANIES, 12, 1, true);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 12),
                        "1,279");
}

static void test_replace_and_add(void **state)
{
    sqlite3 *db = *state;

    set(db, SB_OT_DEALS, 20, SB_OT_COMPANIES, 10, 5, true);
    set(db, SB_OT_DEALS, 20, SB_OT_COMPANIES, 10, 341, false);
    assert_string_equal(types(db, SB_OT_DEALS, 20, SB_OT_COMPANIES, 10),
                        "5,341");
    set(db, SB_OT_DEALS, 20, SB_OT_COMPANIES, 10, 341, true);
    assert_string_equal(types(db, SB_OT_DEALS, 20, SB_OT_COMPANIES, 10), "341");
    assert_string_equal(types(db, SB_OT_COMPANIES, 10, SB_OT_DEALS, 20), "342");
}

static void test_remove_types(void **state)
{
    sqlite3 *db = *state;
    struct err e = {0};
    int primary = 1, unlabeled = 279;

    set(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10, 1, true);
    assert_int_equal(assoc_store_remove_types(db, SB_OT_CONTACTS, 1,
                                              SB_OT_COMPANIES, 10, &primary, 1,
                                              &e),
                     0);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10),
                        "279");
    set(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10, 1, true);
    assert_int_equal(assoc_store_remove_types(db, SB_OT_CONTACTS, 1,
                                              SB_OT_COMPANIES, 10, &unlabeled,
                                              1, &e),
                     0);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10), "");
    assert_string_equal(types(db, SB_OT_COMPANIES, 10, SB_OT_CONTACTS, 1), "");
}

static void test_unknown_type_refused(void **state)
{
    sqlite3 *db = *state;
    struct err e = {0};
    int bad = 3; /* deal to contact, not contact to company */

    assert_true(assoc_store_set(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10,
                                &bad, 1, true, &e) < 0);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10), "");
}

static void test_move_keeps_survivor_primary(void **state)
{
    sqlite3 *db = *state;
    struct err e = {0};

    set(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10, 1, true);
    set(db, SB_OT_CONTACTS, 2, SB_OT_COMPANIES, 11, 1, true);
    set(db, SB_OT_DEALS, 20, SB_OT_CONTACTS, 2, 3, true);
    assert_int_equal(assoc_store_move(db, SB_OT_CONTACTS, 2, 1, &e), 0);
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 10),
                        "1,279");
    assert_string_equal(types(db, SB_OT_CONTACTS, 1, SB_OT_COMPANIES, 11),
                        "279");
    assert_string_equal(types(db, SB_OT_COMPANIES, 11, SB_OT_CONTACTS, 1),
                        "280");
    assert_string_equal(types(db, SB_OT_DEALS, 20, SB_OT_CONTACTS, 1), "3");
    assert_string_equal(types(db, SB_OT_DEALS, 20, SB_OT_CONTACTS, 2), "");
    assert_string_equal(types(db, SB_OT_COMPANIES, 11, SB_OT_CONTACTS, 2), "");
}

static void test_archived_records_are_not_listed(void **state)
{
    sqlite3 *db = *state;

    set(db, SB_OT_CONTACTS, 3, SB_OT_COMPANIES, 12, 279, true);
    assert_int_equal(sb_db_exec(db, "UPDATE objects SET archived = 1"
                                    " WHERE id = 12"),
                     0);
    assert_string_equal(types(db, SB_OT_CONTACTS, 3, SB_OT_COMPANIES, 12), "");
}

static void test_deal_stage_check(void **state)
{
    sqlite3 *db = *state;
    struct err e = {0};
    char msg[512];

    assert_int_equal(sb_pipelines_seed_defaults(db, &e), 0);
    assert_int_equal(
        pipelines_check_deal(db, NULL, "closedwon", msg, sizeof(msg)), 0);
    assert_int_equal(
        pipelines_check_deal(db, "default", "Closed Won", msg, sizeof(msg)),
        PIPELINES_BAD_STAGE);
    assert_string_equal(msg, "Closed Won is not a valid pipeline stage ID."
                             " Valid options are: pipelineId=default :"
                             " [appointmentscheduled, qualifiedtobuy,"
                             " presentationscheduled, decisionmakerboughtin,"
                             " contractsent, closedwon, closedlost]");
    assert_int_equal(pipelines_check_deal(db, "nope", NULL, msg, sizeof(msg)),
                     PIPELINES_BAD_PIPELINE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_primary_implies_unlabeled, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_one_primary_company, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_replace_and_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_type_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_move_keeps_survivor_primary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_archived_records_are_not_listed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_deal_stage_check, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
